#include <core/eval/descriptivestats.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

double DescriptiveStats::mean(std::span<const double> values)
{
    if (values.empty()) {
        return kNaN;
    }
    double sum = 0.0;
    for (double v : values) {
        sum += v;
    }
    return sum / double(values.size());
}

double DescriptiveStats::sampleStdDev(std::span<const double> values)
{
    if (values.size() < 2) {
        return kNaN;
    }
    // Two passes: subtracting the mean first keeps the sum of squares accurate.
    const double m = mean(values);
    double ss = 0.0;
    for (double v : values) {
        ss += (v - m) * (v - m);
    }
    return std::sqrt(ss / double(values.size() - 1));
}

double DescriptiveStats::passRate(const std::vector<bool> &passed)
{
    if (passed.empty()) {
        return kNaN;
    }
    const auto n = std::count(passed.begin(), passed.end(), true);
    return double(n) / double(passed.size());
}

double DescriptiveStats::percentileSorted(std::span<const double> sorted, double q)
{
    if (sorted.empty() || !(q >= 0.0 && q <= 100.0)) {
        return kNaN;
    }
    const double h = double(sorted.size() - 1) * (q / 100.0);
    const double lowerIndex = std::floor(h);
    const auto lo = std::size_t(lowerIndex);
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double t = h - lowerIndex;
    const double a = sorted[lo];
    const double b = sorted[hi];
    // numpy's _lerp: interpolate from whichever end is nearer, which keeps the result exact
    // at the ends and monotonic.
    const double diff = b - a;
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

double DescriptiveStats::percentile(std::span<const double> values, double q)
{
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return percentileSorted(sorted, q);
}

Result<ScoreSummary> DescriptiveStats::summarize(std::span<const double> values)
{
    if (values.empty()) {
        return fail(ErrorCode::InvalidArgument, "cannot summarise an empty list of scores");
    }
    for (double v : values) {
        if (std::isnan(v)) {
            return fail(ErrorCode::InvalidArgument, "cannot summarise scores containing NaN");
        }
    }
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    ScoreSummary s;
    s.count = sorted.size();
    s.mean = mean(sorted);
    s.stddev = sorted.size() > 1 ? sampleStdDev(sorted) : 0.0;
    s.min = sorted.front();
    s.max = sorted.back();
    s.p50 = percentileSorted(sorted, 50);
    s.p90 = percentileSorted(sorted, 90);
    s.p95 = percentileSorted(sorted, 95);
    s.p99 = percentileSorted(sorted, 99);
    return s;
}

} // namespace fb
