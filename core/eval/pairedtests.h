#pragma once

#include <core/common/result.h>
#include <core/eval/bootstrap.h>

#include <cstddef>
#include <span>
#include <vector>

namespace fb {

/// McNemar's test on paired pass/fail outcomes of runs A and B over the same rows.
struct McNemarResult
{
    std::size_t onlyA = 0;  ///< rows A passed and B failed (b)
    std::size_t onlyB = 0;  ///< rows B passed and A failed (c)
    bool exact = false;     ///< exact binomial test (b + c < 25) or chi-square
    double statistic = 0.0; ///< min(b, c) when exact, else (|b - c| - 1)^2 / (b + c)
    double pValue = 1.0;    ///< two-sided
};

/// Wilcoxon signed-rank test on paired scores.
struct WilcoxonResult
{
    std::size_t n = 0;  ///< pairs left after dropping zero differences
    double rPlus = 0.0; ///< rank sum of positive differences (A > B)
    double rMinus = 0.0;
    double statistic = 0.0; ///< min(rPlus, rMinus), as scipy reports for two-sided
    double z = 0.0;         ///< normal-approximation z (0 when exact)
    bool exact = false;
    double pValue = 1.0; ///< two-sided
};

/// Paired bootstrap of the mean difference A - B.
struct PairedBootstrapResult
{
    ConfidenceInterval meanDifference;
    double pValue = 1.0; ///< two-sided, see PairedTests::pairedBootstrap
};

/// Win/tie/loss of A against B row by row.
struct WinTieLoss
{
    std::size_t wins = 0; ///< A > B
    std::size_t ties = 0;
    std::size_t losses = 0;
};

/// Significance tests and effect sizes for two runs on the same rows (index i of A and B is
/// the same dataset row). All functions fail with InvalidArgument when the sizes differ or the
/// input is empty. Stateless; thread-safe.
class PairedTests
{
public:
    /// McNemar as statsmodels' mcnemar: exact two-sided binomial test (p = min(1, 2 P(X <=
    /// min(b, c))), X ~ Bin(b + c, 1/2)) when b + c < 25, else the chi-square statistic with
    /// continuity correction on 1 degree of freedom. No discordant pairs gives p = 1.
    [[nodiscard]] static Result<McNemarResult> mcnemar(const std::vector<bool> &a,
                                                       const std::vector<bool> &b);

    /// Wilcoxon signed-rank test on d = a - b, matching scipy.stats.wilcoxon's defaults
    /// (zero_method="wilcox": zero differences are dropped; correction=False; two-sided):
    /// with n <= 50 non-zero differences and no ties among |d| the exact null distribution is
    /// used (p = min(1, 2 min(P(T+ <= r+), P(T+ >= r+)))); otherwise the normal approximation
    /// with the tie-corrected variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48, plus a continuity
    /// correction of 0.5 towards the mean when `continuityCorrection` is set.
    /// All differences zero gives n = 0 and p = 1.
    [[nodiscard]] static Result<WilcoxonResult> wilcoxon(std::span<const double> a,
                                                         std::span<const double> b,
                                                         bool continuityCorrection = false);

    /// Bootstrap of mean(a - b) resampling rows (pairs kept together). The interval is the
    /// percentile interval; the p-value tests "mean difference = 0" with the bootstrap
    /// distribution shifted to the null: (1 + #{|m* - m| >= |m|}) / (1 + resamples).
    [[nodiscard]] static Result<PairedBootstrapResult>
    pairedBootstrap(std::span<const double> a, std::span<const double> b,
                    const BootstrapOptions &options = {});

    /// Cohen's d of the paired differences (d_z): mean(a - b) / sd(a - b), sample sd. 0 when
    /// all differences are equal to 0, ±infinity when they are all equal and non-zero.
    [[nodiscard]] static Result<double> cohensD(std::span<const double> a,
                                                std::span<const double> b);

    /// Cliff's delta of A over B: (#{a_i > b_j} - #{a_i < b_j}) / (n m) over all pairs, in
    /// [-1, 1]. Computed in O(n log n).
    [[nodiscard]] static Result<double> cliffsDelta(std::span<const double> a,
                                                    std::span<const double> b);

    /// The sign test: `wins` rows went to A and `losses` to B (ties left out beforehand).
    /// Exact two-sided binomial p = min(1, 2 P(X <= min(wins, losses))), X ~ Bin(n, 1/2),
    /// n = wins + losses, at any n (scipy.stats.binomtest(k, n).pvalue for k = min). 1 when
    /// n = 0.
    [[nodiscard]] static double signTest(std::size_t wins, std::size_t losses);

    /// Row-wise comparison; |a - b| <= tolerance counts as a tie.
    [[nodiscard]] static Result<WinTieLoss>
    winTieLoss(std::span<const double> a, std::span<const double> b, double tolerance = 0.0);
};

} // namespace fb
