#include <core/eval/pairedtests.h>

#include <core/eval/descriptivestats.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace fb {

namespace {

Result<void> checkPaired(std::size_t a, std::size_t b)
{
    if (a != b) {
        return fail(ErrorCode::InvalidArgument, "paired runs must cover the same rows (got "
                                                    + std::to_string(a) + " and "
                                                    + std::to_string(b) + ")");
    }
    if (a == 0) {
        return fail(ErrorCode::InvalidArgument, "paired tests need at least one row");
    }
    return {};
}

double normalSf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

/// P(X <= k) for X ~ Binomial(n, 1/2), summed in log space.
double binomialHalfCdf(std::size_t k, std::size_t n)
{
    double sum = 0.0;
    const double logHalfN = double(n) * std::log(0.5);
    for (std::size_t i = 0; i <= k && i <= n; ++i) {
        sum += std::exp(std::lgamma(double(n) + 1) - std::lgamma(double(i) + 1)
                        - std::lgamma(double(n - i) + 1) + logHalfN);
    }
    return sum;
}

/// Number of subsets of {1..n} with each rank sum 0..n(n+1)/2. For n <= 50 every count is
/// below 2^50, so doubles hold them exactly.
std::vector<double> signedRankCounts(std::size_t n)
{
    const std::size_t maxSum = n * (n + 1) / 2;
    std::vector<double> counts(maxSum + 1, 0.0);
    counts[0] = 1.0;
    for (std::size_t r = 1; r <= n; ++r) {
        for (std::size_t s = maxSum; s >= r; --s) {
            counts[s] += counts[s - r];
        }
    }
    return counts;
}

std::vector<double> differences(std::span<const double> a, std::span<const double> b)
{
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        d[i] = a[i] - b[i];
    }
    return d;
}

} // namespace

Result<McNemarResult> PairedTests::mcnemar(const std::vector<bool> &a, const std::vector<bool> &b)
{
    if (auto ok = checkPaired(a.size(), b.size()); !ok) {
        return ok.error();
    }
    McNemarResult r;
    for (std::size_t i = 0; i < a.size(); ++i) {
        r.onlyA += (a[i] && !b[i]) ? 1 : 0;
        r.onlyB += (!a[i] && b[i]) ? 1 : 0;
    }
    const std::size_t n = r.onlyA + r.onlyB;
    if (n == 0) {
        r.exact = true;
        r.pValue = 1.0;
        return r;
    }
    if (n < 25) {
        r.exact = true;
        const std::size_t k = std::min(r.onlyA, r.onlyB);
        r.statistic = double(k);
        r.pValue = std::min(1.0, 2.0 * binomialHalfCdf(k, n));
    } else {
        const double diff = std::fabs(double(r.onlyA) - double(r.onlyB)) - 1.0;
        r.statistic = diff * diff / double(n);
        // Chi-square with one degree of freedom: P(X > x) = erfc(sqrt(x / 2)).
        r.pValue = std::erfc(std::sqrt(r.statistic / 2.0));
    }
    return r;
}

Result<WilcoxonResult> PairedTests::wilcoxon(std::span<const double> a, std::span<const double> b,
                                             bool continuityCorrection)
{
    if (auto ok = checkPaired(a.size(), b.size()); !ok) {
        return ok.error();
    }
    std::vector<double> d;
    for (double x : differences(a, b)) {
        if (x != 0.0) {
            d.push_back(x);
        }
    }
    WilcoxonResult r;
    r.n = d.size();
    if (r.n == 0) {
        return r;
    }
    // Average ranks of |d|, remembering tie group sizes for the variance correction.
    std::vector<std::size_t> order(d.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t x, std::size_t y) { return std::fabs(d[x]) < std::fabs(d[y]); });
    std::vector<double> rank(d.size());
    double tieTerm = 0.0;
    bool ties = false;
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && std::fabs(d[order[j + 1]]) == std::fabs(d[order[i]])) {
            ++j;
        }
        const double average = (double(i + 1) + double(j + 1)) / 2.0;
        for (std::size_t k = i; k <= j; ++k) {
            rank[order[k]] = average;
        }
        const double t = double(j - i + 1);
        tieTerm += t * t * t - t;
        ties = ties || j > i;
        i = j + 1;
    }
    for (std::size_t i = 0; i < d.size(); ++i) {
        (d[i] > 0 ? r.rPlus : r.rMinus) += rank[i];
    }
    r.statistic = std::min(r.rPlus, r.rMinus);
    const double n = double(r.n);
    if (r.n <= 50 && !ties) {
        r.exact = true;
        const std::vector<double> counts = signedRankCounts(r.n);
        const double total = std::ldexp(1.0, int(r.n));
        const auto rp = std::size_t(std::llround(r.rPlus));
        double le = 0.0;
        double ge = 0.0;
        for (std::size_t s = 0; s < counts.size(); ++s) {
            le += s <= rp ? counts[s] : 0.0;
            ge += s >= rp ? counts[s] : 0.0;
        }
        r.pValue = std::min(1.0, 2.0 * std::min(le, ge) / total);
        return r;
    }
    const double mean = n * (n + 1) / 4.0;
    const double se = std::sqrt((n * (n + 1) * (2 * n + 1) - tieTerm / 2.0) / 24.0);
    double numerator = r.rPlus - mean;
    if (continuityCorrection && numerator != 0.0) {
        numerator -= numerator > 0 ? 0.5 : -0.5;
    }
    r.z = se > 0 ? numerator / se : 0.0;
    r.pValue = std::min(1.0, 2.0 * normalSf(std::fabs(r.z)));
    return r;
}

Result<PairedBootstrapResult> PairedTests::pairedBootstrap(std::span<const double> a,
                                                           std::span<const double> b,
                                                           const BootstrapOptions &options)
{
    if (auto ok = checkPaired(a.size(), b.size()); !ok) {
        return ok.error();
    }
    const std::vector<double> d = differences(a, b);
    auto means = Bootstrap::resampledMeans(d, options);
    if (!means) {
        return means.error();
    }
    PairedBootstrapResult r;
    const double observed = DescriptiveStats::mean(d);
    std::size_t extreme = 0;
    for (double m : *means) {
        // Shifting the bootstrap distribution to mean 0 (the null) and asking how often it is
        // at least as far out as the observed difference.
        extreme += std::fabs(m - observed) >= std::fabs(observed) ? 1 : 0;
    }
    r.pValue = double(extreme + 1) / double(means->size() + 1);
    std::sort(means->begin(), means->end());
    r.meanDifference.estimate = observed;
    r.meanDifference.confidence = options.confidence;
    r.meanDifference.lower
        = DescriptiveStats::percentileSorted(*means, 100.0 * (1.0 - options.confidence) / 2.0);
    r.meanDifference.upper
        = DescriptiveStats::percentileSorted(*means, 100.0 * (1.0 + options.confidence) / 2.0);
    return r;
}

Result<double> PairedTests::cohensD(std::span<const double> a, std::span<const double> b)
{
    if (auto ok = checkPaired(a.size(), b.size()); !ok) {
        return ok.error();
    }
    const std::vector<double> d = differences(a, b);
    const double m = DescriptiveStats::mean(d);
    const double sd = d.size() > 1 ? DescriptiveStats::sampleStdDev(d) : 0.0;
    if (sd == 0.0) {
        if (m == 0.0) {
            return 0.0;
        }
        return m > 0 ? std::numeric_limits<double>::infinity()
                     : -std::numeric_limits<double>::infinity();
    }
    return m / sd;
}

Result<double> PairedTests::cliffsDelta(std::span<const double> a, std::span<const double> b)
{
    if (a.empty() || b.empty()) {
        return fail(ErrorCode::InvalidArgument, "Cliff's delta needs values on both sides");
    }
    std::vector<double> sortedB(b.begin(), b.end());
    std::sort(sortedB.begin(), sortedB.end());
    double dominance = 0.0;
    for (double x : a) {
        const auto less = std::lower_bound(sortedB.begin(), sortedB.end(), x) - sortedB.begin();
        const auto greater = sortedB.end() - std::upper_bound(sortedB.begin(), sortedB.end(), x);
        dominance += double(less) - double(greater);
    }
    return dominance / (double(a.size()) * double(b.size()));
}

double PairedTests::signTest(std::size_t wins, std::size_t losses)
{
    const std::size_t n = wins + losses;
    if (n == 0) {
        return 1.0;
    }
    return std::min(1.0, 2.0 * binomialHalfCdf(std::min(wins, losses), n));
}

Result<WinTieLoss> PairedTests::winTieLoss(std::span<const double> a, std::span<const double> b,
                                           double tolerance)
{
    if (auto ok = checkPaired(a.size(), b.size()); !ok) {
        return ok.error();
    }
    WinTieLoss w;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::fabs(a[i] - b[i]) <= tolerance) {
            ++w.ties;
        } else if (a[i] > b[i]) {
            ++w.wins;
        } else {
            ++w.losses;
        }
    }
    return w;
}

} // namespace fb
