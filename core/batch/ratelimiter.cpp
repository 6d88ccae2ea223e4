#include <core/batch/ratelimiter.h>

#include <algorithm>

namespace fb {

namespace {

constexpr double kBurstSeconds = 2.0;
constexpr double kMinFactor = 1.0 / 16.0;

} // namespace

RateLimiter::RateLimiter(Limits limits, Clock::time_point now)
    : m_updated(now)
{
    auto init = [](Bucket &b, double perMinute) {
        b.perSecond = perMinute > 0 ? perMinute / 60.0 : 0;
        b.capacity = std::max(1.0, b.perSecond * kBurstSeconds);
        b.level = b.capacity;
    };
    init(m_requests, limits.requestsPerMinute);
    init(m_tokens, limits.tokensPerMinute);
}

void RateLimiter::refill(Clock::time_point now)
{
    if (now <= m_updated) {
        return;
    }
    const double elapsed = std::chrono::duration<double>(now - m_updated).count();
    m_updated = now;
    for (Bucket *b : {&m_requests, &m_tokens}) {
        if (b->perSecond > 0) {
            b->level = std::min(b->capacity, b->level + b->perSecond * m_factor * elapsed);
        }
    }
}

double RateLimiter::waitSeconds(const Bucket &b, double factor)
{
    if (b.perSecond <= 0 || b.level >= 0) {
        return 0;
    }
    return -b.level / (b.perSecond * factor);
}

RateLimiter::Clock::time_point RateLimiter::reserve(std::int64_t estimatedTokens,
                                                    Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    refill(now);
    // Charge first: the debt is this reservation's place in the queue.
    if (m_requests.perSecond > 0) {
        m_requests.level -= 1;
    }
    if (m_tokens.perSecond > 0) {
        m_tokens.level -= double(std::max<std::int64_t>(0, estimatedTokens));
    }
    const double wait
        = std::max(waitSeconds(m_requests, m_factor), waitSeconds(m_tokens, m_factor));
    return now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
}

void RateLimiter::settle(std::int64_t estimatedTokens, std::int64_t actualTokens)
{
    std::lock_guard lock(m_mutex);
    if (m_tokens.perSecond > 0) {
        m_tokens.level -= double(actualTokens - estimatedTokens);
        m_tokens.level = std::min(m_tokens.level, m_tokens.capacity);
    }
}

void RateLimiter::rateLimited()
{
    std::lock_guard lock(m_mutex);
    m_factor = std::max(kMinFactor, m_factor * 0.5);
}

void RateLimiter::succeeded()
{
    std::lock_guard lock(m_mutex);
    m_factor = std::min(1.0, m_factor + 0.05);
}

double RateLimiter::factor() const
{
    std::lock_guard lock(m_mutex);
    return m_factor;
}

} // namespace fb
