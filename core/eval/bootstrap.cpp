#include <core/eval/bootstrap.h>

#include <core/eval/descriptivestats.h>

#include <algorithm>
#include <random>

namespace fb {

Result<void> Bootstrap::checkOptions(const BootstrapOptions &options)
{
    if (options.resamples < 1) {
        return fail(ErrorCode::InvalidArgument, "bootstrap needs at least one resample");
    }
    if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
        return fail(ErrorCode::InvalidArgument, "bootstrap confidence must be between 0 and 1");
    }
    return {};
}

Result<std::vector<double>> Bootstrap::resampledMeans(std::span<const double> values,
                                                      const BootstrapOptions &options)
{
    if (auto ok = checkOptions(options); !ok) {
        return ok.error();
    }
    if (values.empty()) {
        return fail(ErrorCode::InvalidArgument, "cannot bootstrap an empty list of values");
    }
    std::mt19937_64 rng(options.seed);
    const std::uint64_t n = values.size();
    // Largest multiple of n that fits; draws at or above it are rejected so every index is
    // equally likely.
    const std::uint64_t limit = std::mt19937_64::max() - (std::mt19937_64::max() % n + 1) % n;
    std::vector<double> means;
    means.reserve(std::size_t(options.resamples));
    for (int b = 0; b < options.resamples; ++b) {
        double sum = 0.0;
        for (std::uint64_t i = 0; i < n; ++i) {
            std::uint64_t draw = rng();
            while (draw > limit) {
                draw = rng();
            }
            sum += values[std::size_t(draw % n)];
        }
        means.push_back(sum / double(n));
    }
    return means;
}

Result<ConfidenceInterval> Bootstrap::meanInterval(std::span<const double> values,
                                                   const BootstrapOptions &options)
{
    auto means = resampledMeans(values, options);
    if (!means) {
        return means.error();
    }
    std::sort(means->begin(), means->end());
    ConfidenceInterval ci;
    ci.estimate = DescriptiveStats::mean(values);
    ci.confidence = options.confidence;
    ci.lower = DescriptiveStats::percentileSorted(*means, 100.0 * (1.0 - options.confidence) / 2.0);
    ci.upper = DescriptiveStats::percentileSorted(*means, 100.0 * (1.0 + options.confidence) / 2.0);
    return ci;
}

} // namespace fb
