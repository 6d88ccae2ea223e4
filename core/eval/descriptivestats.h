#pragma once

#include <core/common/result.h>

#include <cstddef>
#include <span>
#include <vector>

namespace fb {

/// Summary of a column of scores.
struct ScoreSummary
{
    std::size_t count = 0;
    double mean = 0.0;
    double stddev = 0.0; ///< sample standard deviation (n - 1); 0 when count == 1
    double min = 0.0;
    double max = 0.0;
    double p50 = 0.0;
    double p90 = 0.0;
    double p95 = 0.0;
    double p99 = 0.0;
};

/// Descriptive statistics. Stateless; all functions are thread-safe.
/// Functions returning a bare double give NaN when the input is too short to define them.
class DescriptiveStats
{
public:
    [[nodiscard]] static double mean(std::span<const double> values);
    /// Sample standard deviation (divides by n - 1, like numpy's std(ddof=1) and Python's
    /// statistics.stdev); NaN for fewer than two values.
    [[nodiscard]] static double sampleStdDev(std::span<const double> values);
    /// Fraction of true values; NaN for none.
    [[nodiscard]] static double passRate(const std::vector<bool> &passed);
    /// The q-th percentile (q in [0, 100]) with numpy's default "linear" method:
    /// h = (n - 1) q / 100, interpolating between the order statistics around h.
    [[nodiscard]] static double percentile(std::span<const double> values, double q);
    /// Same, on values already sorted ascending (no copy).
    [[nodiscard]] static double percentileSorted(std::span<const double> sorted, double q);
    /// count, mean, sample sd, min, max, p50/p90/p95/p99. Fails on empty input or NaN values.
    [[nodiscard]] static Result<ScoreSummary> summarize(std::span<const double> values);
};

} // namespace fb
