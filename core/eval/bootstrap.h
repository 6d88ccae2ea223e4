#pragma once

#include <core/common/result.h>

#include <cstdint>
#include <span>
#include <vector>

namespace fb {

/// How to bootstrap.
struct BootstrapOptions
{
    int resamples = 2000;
    double confidence = 0.95;      ///< in (0, 1)
    std::uint64_t seed = 20240601; ///< same seed, same data → same interval, on every platform
};

/// A point estimate with a two-sided confidence interval.
struct ConfidenceInterval
{
    double estimate = 0.0;
    double lower = 0.0;
    double upper = 0.0;
    double confidence = 0.95;
};

/// Percentile bootstrap of the mean. Resampling draws indices with std::mt19937_64 (whose
/// output the standard fixes) and an unbiased rejection step of our own (the std
/// distributions differ between libraries), so results are reproducible for a seed.
/// Stateless; thread-safe.
class Bootstrap
{
public:
    /// The means of `options.resamples` resamples (with replacement, same size) of `values`.
    /// Fails on empty input or resamples < 1.
    [[nodiscard]] static Result<std::vector<double>>
    resampledMeans(std::span<const double> values, const BootstrapOptions &options);

    /// Mean with its percentile-method interval: the (1-c)/2 and (1+c)/2 percentiles (numpy
    /// linear) of the resampled means.
    [[nodiscard]] static Result<ConfidenceInterval>
    meanInterval(std::span<const double> values, const BootstrapOptions &options = {});

    /// Checks resamples and confidence; the message names the bad field.
    [[nodiscard]] static Result<void> checkOptions(const BootstrapOptions &options);
};

} // namespace fb
