#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace fb {

/// When and how long to wait before retrying a model call: exponential backoff
/// (base × 2^k, capped) with full jitter, stretched to at least what the server asked for
/// in `retry-after-ms` or `retry-after` (itself capped). A plain value type: thread-safe
/// when const; the caller supplies the random number so tests can pin it.
class RetryPolicy
{
public:
    RetryPolicy(int maxAttempts, double baseMs, double capMs, double maxRetryAfterMs);

    [[nodiscard]] int maxAttempts() const { return m_maxAttempts; }

    /// True for the statuses worth another try: 408, 429, 500, 502, 503, 504.
    [[nodiscard]] static bool isRetryableStatus(long status);

    /// Server-requested wait in ms from the `retry-after-ms` header (milliseconds) or, when
    /// that is absent or unusable, `retry-after` (delay-seconds or an HTTP date compared with
    /// `now`). Empty views mean "header absent". nullopt when neither gives a wait.
    [[nodiscard]] static std::optional<double>
    serverDelayMs(std::string_view retryAfterMs, std::string_view retryAfter,
                  std::chrono::system_clock::time_point now);

    /// Wait before retry number `retry` (0 = the first retry): uniform in
    /// [0, min(cap, base × 2^retry)] using `unit` ∈ [0, 1), then raised to the server's wait
    /// (capped at maxRetryAfterMs) when one was given.
    [[nodiscard]] double delayMs(int retry, double unit, std::optional<double> serverMs) const;

private:
    int m_maxAttempts;
    double m_baseMs;
    double m_capMs;
    double m_maxRetryAfterMs;
};

} // namespace fb
