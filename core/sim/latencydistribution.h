#pragma once

#include <core/common/result.h>

#include <string>
#include <string_view>

namespace fb {

class SimRandom;

/// A distribution of delays in milliseconds, written as on the simulator's command line:
/// `N` (fixed), `uniform:A:B`, `normal:MEAN:SD` (samples clamped at 0) or `exp:MEAN`.
/// A value type; sampling draws from the caller's SimRandom, so it is as thread-safe as that.
class LatencyDistribution
{
public:
    enum class Kind { Fixed, Uniform, Normal, Exponential };

    /// Fixed 0 ms.
    LatencyDistribution() = default;

    /// Parses the textual form; the error names the text and the accepted forms.
    [[nodiscard]] static Result<LatencyDistribution> parse(std::string_view text);
    [[nodiscard]] static LatencyDistribution fixed(double ms);

    /// One sample in milliseconds, never negative.
    [[nodiscard]] double sampleMs(SimRandom &random) const;
    /// The mean of the distribution in milliseconds (after clamping is ignored).
    [[nodiscard]] double meanMs() const;
    [[nodiscard]] Kind kind() const { return m_kind; }
    /// True for a fixed 0 ms, which needs no random draw.
    [[nodiscard]] bool isZero() const { return m_kind == Kind::Fixed && m_a == 0.0; }
    /// The textual form, parseable again.
    [[nodiscard]] std::string toString() const;

private:
    Kind m_kind = Kind::Fixed;
    double m_a = 0.0; ///< fixed value, lower bound, mean
    double m_b = 0.0; ///< upper bound, standard deviation
};

} // namespace fb
