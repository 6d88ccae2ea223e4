#include <core/sim/latencydistribution.h>

#include <core/sim/simrandom.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

namespace fb {

namespace {

std::optional<double> parseNumber(std::string_view text)
{
    double value = 0.0;
    const auto *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value) || value < 0.0) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string_view> splitColons(std::string_view text)
{
    std::vector<std::string_view> parts;
    while (true) {
        const auto pos = text.find(':');
        parts.push_back(text.substr(0, pos));
        if (pos == std::string_view::npos) {
            break;
        }
        text.remove_prefix(pos + 1);
    }
    return parts;
}

std::string formatNumber(double v)
{
    char buffer[64];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, ec == std::errc() ? ptr : buffer);
}

} // namespace

Result<LatencyDistribution> LatencyDistribution::parse(std::string_view text)
{
    const auto bad = [&](std::string_view why) {
        return fail(ErrorCode::InvalidArgument,
                    "invalid delay distribution '" + std::string(text) + "': " + std::string(why)
                        + " (use N, uniform:A:B, normal:MEAN:SD or exp:MEAN, in milliseconds)");
    };
    const auto parts = splitColons(text);
    std::vector<double> numbers;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto n = parseNumber(parts[i]);
        if (!n) {
            return bad("'" + std::string(parts[i]) + "' is not a non-negative number");
        }
        numbers.push_back(*n);
    }
    LatencyDistribution d;
    if (parts.size() == 1) {
        const auto n = parseNumber(parts[0]);
        if (!n) {
            return bad("not a non-negative number");
        }
        d.m_a = *n;
        return d;
    }
    if (parts[0] == "uniform" && numbers.size() == 2) {
        if (numbers[1] < numbers[0]) {
            return bad("the upper bound is below the lower bound");
        }
        d.m_kind = Kind::Uniform;
        d.m_a = numbers[0];
        d.m_b = numbers[1];
        return d;
    }
    if (parts[0] == "normal" && numbers.size() == 2) {
        d.m_kind = Kind::Normal;
        d.m_a = numbers[0];
        d.m_b = numbers[1];
        return d;
    }
    if (parts[0] == "exp" && numbers.size() == 1) {
        d.m_kind = Kind::Exponential;
        d.m_a = numbers[0];
        return d;
    }
    return bad("unknown kind or wrong number of parameters");
}

LatencyDistribution LatencyDistribution::fixed(double ms)
{
    LatencyDistribution d;
    d.m_a = std::max(0.0, ms);
    return d;
}

double LatencyDistribution::sampleMs(SimRandom &random) const
{
    switch (m_kind) {
    case Kind::Fixed:
        return m_a;
    case Kind::Uniform:
        return m_a + (m_b - m_a) * random.nextDouble();
    case Kind::Normal:
        return std::max(0.0, m_a + m_b * random.nextNormal());
    case Kind::Exponential:
        return -m_a * std::log(1.0 - random.nextDouble());
    }
    return m_a;
}

double LatencyDistribution::meanMs() const
{
    return m_kind == Kind::Uniform ? (m_a + m_b) / 2.0 : m_a;
}

std::string LatencyDistribution::toString() const
{
    switch (m_kind) {
    case Kind::Fixed:
        return formatNumber(m_a);
    case Kind::Uniform:
        return "uniform:" + formatNumber(m_a) + ":" + formatNumber(m_b);
    case Kind::Normal:
        return "normal:" + formatNumber(m_a) + ":" + formatNumber(m_b);
    case Kind::Exponential:
        return "exp:" + formatNumber(m_a);
    }
    return formatNumber(m_a);
}

} // namespace fb
