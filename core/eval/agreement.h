#pragma once

#include <core/common/result.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// Chance-corrected agreement of raters who sorted the same items into categories:
/// kappa = (observed - expected) / (1 - expected).
struct KappaResult
{
    /// Undefined (nullopt) when the expected agreement is 1, i.e. every rating fell into one
    /// and the same category: 0 / 0 when the raters also agree on every item, which they then
    /// must. scikit-learn's cohen_kappa_score returns NaN there; we say "undefined".
    std::optional<double> kappa;
    double observedAgreement = 0.0; ///< Cohen: p_o; Fleiss: P-bar, the mean pairwise agreement
    double expectedAgreement = 0.0; ///< by chance: Cohen p_e; Fleiss P-bar_e
    std::size_t items = 0;
    std::size_t ratersPerItem = 0; ///< 2 for Cohen's kappa; n for Fleiss'
    std::size_t categories = 0;    ///< categories the computation saw (labels used, table width)
};

/// Cohen's kappa (two raters) and Fleiss' kappa (any fixed number of ratings per item), on
/// nominal labels: a label is a category and nothing more (no order, no distance; a 1–5 scale
/// is treated as five unrelated categories). Labels are compared exactly ("4" != "4.0").
/// Stateless; thread-safe. Invalid input (below) fails with InvalidArgument naming what is wrong.
class Agreement
{
public:
    /// Cohen (1960), as scikit-learn's cohen_kappa_score (unweighted): item i got label a[i]
    /// from rater A and b[i] from rater B. p_o = share of items labelled alike;
    /// p_e = sum over categories k of (share of A's labels that are k) x (share of B's).
    /// Fails when the lists differ in length or are empty.
    [[nodiscard]] static Result<KappaResult> cohensKappa(const std::vector<std::string> &a,
                                                         const std::vector<std::string> &b);
    /// Same, for labels that are integers (e.g. ratings on a 1–5 scale, 0/1 for fail/pass).
    [[nodiscard]] static Result<KappaResult> cohensKappa(const std::vector<std::int64_t> &a,
                                                         const std::vector<std::int64_t> &b);
    /// Same, from the contingency table: table[i][j] = items rater A put in category i and
    /// rater B in category j. Fails unless the table is square and non-empty, with counts >= 0
    /// adding up to at least 1 and at most 3,000,000,000 (the sums are exact 64-bit integers).
    [[nodiscard]] static Result<KappaResult>
    cohensKappaFromTable(const std::vector<std::vector<std::int64_t>> &table);

    /// Fleiss (1971): itemLabels[i] holds the labels item i got, one per rating, in any order
    /// (the raters need not be the same people from item to item). Standard Fleiss needs the
    /// same number n >= 2 of ratings on every item; a different count fails, naming the item.
    /// P_i = (sum_j n_ij^2 - n) / (n (n - 1)), P-bar = mean of P_i; p_j = share of all ratings
    /// in category j, P-bar_e = sum_j p_j^2.
    [[nodiscard]] static Result<KappaResult>
    fleissKappa(const std::vector<std::vector<std::string>> &itemLabels);
    /// Same, from counts: counts[i][j] = ratings of item i in category j (every row the same
    /// width and the same sum n >= 2; counts >= 0; at most 3,000,000,000 ratings in all).
    [[nodiscard]] static Result<KappaResult>
    fleissKappaFromCounts(const std::vector<std::vector<std::int64_t>> &counts);
};

} // namespace fb
