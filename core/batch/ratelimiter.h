#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace fb {

/// Requests-per-minute and tokens-per-minute token buckets for one connection, shared by every
/// line of an experiment. reserve() charges one request and the estimated tokens and says when
/// the call may start (the buckets go into debt, so callers queue fairly in reservation order);
/// settle() corrects the token charge with the actual usage; rateLimited() halves the effective
/// rate after a 429 and succeeded() lets it recover gradually. Buckets hold two seconds' worth
/// of their limit, so short bursts are allowed and the long-run rate is exact.
/// Time is passed in, so the behaviour is deterministic under test. Thread-safe.
class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    struct Limits
    {
        double requestsPerMinute = 0; ///< 0 = unlimited
        double tokensPerMinute = 0;   ///< 0 = unlimited
    };

    explicit RateLimiter(Limits limits, Clock::time_point now = Clock::now());

    /// Reserves one request with `estimatedTokens`; returns when it may be sent (≥ now).
    [[nodiscard]] Clock::time_point reserve(std::int64_t estimatedTokens, Clock::time_point now);
    /// Charges (or refunds) the difference between actual and estimated tokens.
    void settle(std::int64_t estimatedTokens, std::int64_t actualTokens);
    /// The server answered 429: halve the effective rate (down to 1/16 of the limit).
    void rateLimited();
    /// A call succeeded: recover 5 % of the limit, up to the full limit.
    void succeeded();

    /// Effective share of the limits in use, in (0, 1].
    [[nodiscard]] double factor() const;

private:
    struct Bucket
    {
        double perSecond = 0; ///< 0 = unlimited
        double capacity = 0;
        double level = 0; ///< may go negative (debt)
    };
    void refill(Clock::time_point now);
    [[nodiscard]] static double waitSeconds(const Bucket &b, double factor);

    mutable std::mutex m_mutex;
    Bucket m_requests;           // guarded by m_mutex
    Bucket m_tokens;             // guarded by m_mutex
    double m_factor = 1.0;       // guarded by m_mutex
    Clock::time_point m_updated; // guarded by m_mutex
};

} // namespace fb
