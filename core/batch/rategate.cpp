#include <core/batch/rategate.h>

#include <algorithm>
#include <atomic>

namespace fb {

// One admission: fires exactly once, by the timer (admitted) or by cancel (not admitted).
class RateGate::PendingAdmission final : public CallGate::Waiter
{
public:
    explicit PendingAdmission(std::function<void(bool)> admit)
        : m_admit(std::move(admit))
    {
    }

    void fire(bool admitted)
    {
        if (!m_fired.exchange(true)) {
            auto admit = std::move(m_admit);
            admit(admitted);
        }
    }

    void cancel() override { fire(false); }

private:
    std::atomic<bool> m_fired{false};
    std::function<void(bool)> m_admit; // moved out by the one fire() that wins
};

namespace {

// An admission that happened at once: nothing to cancel.
class AdmittedAlready final : public CallGate::Waiter
{
public:
    void cancel() override {}
};

} // namespace

RateGate::RateGate(RateLimiter::Limits defaults,
                   std::map<std::string, RateLimiter::Limits> perConnection)
    : m_defaults(defaults)
    , m_perConnection(std::move(perConnection))
{
}

RateGate::~RateGate() = default;

RateGate::PerConnection &RateGate::entry(const std::string &connection)
{
    auto it = m_connections.find(connection);
    if (it != m_connections.end()) {
        return it->second;
    }
    const auto named = m_perConnection.find(connection);
    const RateLimiter::Limits limits = named != m_perConnection.end() ? named->second : m_defaults;
    PerConnection pc;
    if (limits.requestsPerMinute > 0 || limits.tokensPerMinute > 0) {
        pc.limiter = std::make_unique<RateLimiter>(limits);
    }
    return m_connections.emplace(connection, std::move(pc)).first->second;
}

std::shared_ptr<CallGate::Waiter> RateGate::acquire(const std::string &connection,
                                                    std::int64_t estimatedTokens,
                                                    std::function<void(bool admitted)> admit)
{
    const auto now = RateLimiter::Clock::now();
    RateLimiter::Clock::time_point startAt = now;
    {
        std::lock_guard lock(m_mutex);
        PerConnection &pc = entry(connection);
        if (pc.limiter) {
            startAt = pc.limiter->reserve(std::max<std::int64_t>(0, estimatedTokens), now);
        }
        ++m_admitted;
        m_waitMs += std::chrono::duration<double, std::milli>(startAt - now).count();
    }
    if (startAt <= now) {
        admit(true);
        return std::make_shared<AdmittedAlready>();
    }
    auto pending = std::make_shared<PendingAdmission>(std::move(admit));
    m_timers.schedule(startAt, [pending] { pending->fire(true); });
    return pending;
}

void RateGate::settle(const std::string &connection, std::int64_t estimatedTokens,
                      std::int64_t actualTokens, bool rateLimited)
{
    std::lock_guard lock(m_mutex);
    PerConnection &pc = entry(connection);
    if (!pc.limiter) {
        return;
    }
    pc.limiter->settle(std::max<std::int64_t>(0, estimatedTokens), actualTokens);
    if (actualTokens > 0) {
        pc.tokensSeen += actualTokens;
        ++pc.callsSeen;
    }
    if (rateLimited) {
        pc.limiter->rateLimited();
    } else if (actualTokens > 0) {
        pc.limiter->succeeded();
    }
}

std::int64_t RateGate::estimateTokens(const std::string &connection)
{
    std::lock_guard lock(m_mutex);
    const PerConnection &pc = entry(connection);
    return pc.callsSeen > 0 ? pc.tokensSeen / pc.callsSeen : 0;
}

std::int64_t RateGate::admittedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_admitted;
}

double RateGate::totalWaitMs() const
{
    std::lock_guard lock(m_mutex);
    return m_waitMs;
}

} // namespace fb
