#pragma once

#include <core/batch/ratelimiter.h>
#include <core/common/timerqueue.h>
#include <core/llm/callgate.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace fb {

/// The batch scheduler's CallGate: one RateLimiter (RPM and TPM token buckets) per connection,
/// so an experiment's variants share each endpoint's limits while different endpoints do not
/// slow each other down. estimateTokens() is the connection's running mean of actual tokens
/// per call; a call is charged its estimate, then corrected by settle(). Admissions
/// that must wait are released by a timer thread at their reserved time, in reservation order.
///
/// Thread-safety: all methods may be called from any thread. Destroying the gate drops waiters
/// that were never admitted (their admit callback is not called), so destroy it only after the
/// lines using it have finished.
class RateGate final : public CallGate
{
public:
    /// `defaults` apply to every connection not named in `perConnection`.
    explicit RateGate(RateLimiter::Limits defaults,
                      std::map<std::string, RateLimiter::Limits> perConnection = {});
    ~RateGate() override;

    std::int64_t estimateTokens(const std::string &connection) override;
    std::shared_ptr<Waiter> acquire(const std::string &connection, std::int64_t estimatedTokens,
                                    std::function<void(bool admitted)> admit) override;
    void settle(const std::string &connection, std::int64_t estimatedTokens,
                std::int64_t actualTokens, bool rateLimited) override;

    /// Calls admitted so far and the total time they waited (ms).
    [[nodiscard]] std::int64_t admittedCount() const;
    [[nodiscard]] double totalWaitMs() const;

private:
    struct PerConnection
    {
        std::unique_ptr<RateLimiter> limiter; // null = unlimited
        std::int64_t tokensSeen = 0;
        std::int64_t callsSeen = 0;
    };
    class PendingAdmission;

    PerConnection &entry(const std::string &connection); // requires m_mutex

    RateLimiter::Limits m_defaults;
    std::map<std::string, RateLimiter::Limits> m_perConnection;
    mutable std::mutex m_mutex;
    std::map<std::string, PerConnection> m_connections; // guarded by m_mutex
    std::int64_t m_admitted = 0;                        // guarded by m_mutex
    double m_waitMs = 0;                                // guarded by m_mutex
    TimerQueue m_timers; // last: destroyed first, so no timer runs into a dead gate
};

} // namespace fb
