#include <core/llm/retrypolicy.h>

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace fb {

namespace {

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

/// A non-negative decimal number (integer or fraction), nothing else.
std::optional<double> parseNumber(std::string_view s)
{
    s = trimmed(s);
    if (s.empty() || !(s.front() >= '0' && s.front() <= '9')) {
        return std::nullopt;
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0) {
        return std::nullopt;
    }
    return v;
}

} // namespace

RetryPolicy::RetryPolicy(int maxAttempts, double baseMs, double capMs, double maxRetryAfterMs)
    : m_maxAttempts(std::max(1, maxAttempts))
    , m_baseMs(std::max(0.0, baseMs))
    , m_capMs(std::max(0.0, capMs))
    , m_maxRetryAfterMs(std::max(0.0, maxRetryAfterMs))
{
}

bool RetryPolicy::isRetryableStatus(long status)
{
    switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
        return true;
    default:
        return false;
    }
}

std::optional<double> RetryPolicy::serverDelayMs(std::string_view retryAfterMs,
                                                 std::string_view retryAfter,
                                                 std::chrono::system_clock::time_point now)
{
    if (const auto ms = parseNumber(retryAfterMs)) {
        return *ms;
    }
    const std::string_view ra = trimmed(retryAfter);
    if (ra.empty()) {
        return std::nullopt;
    }
    if (const auto seconds = parseNumber(ra)) {
        return *seconds * 1000.0;
    }
    // An HTTP date (IMF-fixdate, RFC 850 or asctime): curl_getdate reads all three.
    const std::string date(ra);
    const time_t when = curl_getdate(date.c_str(), nullptr);
    if (when < 0) {
        return std::nullopt;
    }
    const auto target = std::chrono::system_clock::from_time_t(when);
    const double ms = std::chrono::duration<double, std::milli>(target - now).count();
    return std::max(0.0, ms);
}

double RetryPolicy::delayMs(int retry, double unit, std::optional<double> serverMs) const
{
    const double exponent = std::min(retry, 62);
    const double ceiling = std::min(m_capMs, m_baseMs * std::ldexp(1.0, int(exponent)));
    double wait = std::clamp(unit, 0.0, 1.0) * ceiling;
    if (serverMs) {
        wait = std::max(wait, std::min(*serverMs, m_maxRetryAfterMs));
    }
    return wait;
}

} // namespace fb
