#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace fb {

/// Request counters of the simulator, served as JSON by GET /stats (tests count retries with
/// it). Thread-safe: counters are atomics, the per-path table is guarded by a mutex.
class SimStats
{
public:
    /// A request arrived for `path` (without query); it is active until requestFinished().
    void requestStarted(std::string_view path);
    /// The response status chosen for a counted request.
    void statusSent(int status);
    /// A counted request's response was completed, or its connection dropped.
    void requestFinished();
    void connectionTruncated() { m_truncated.fetch_add(1, std::memory_order_relaxed); }
    void chunkMalformed() { m_malformed.fetch_add(1, std::memory_order_relaxed); }
    /// Zeroes every counter except "active".
    void reset();

    [[nodiscard]] std::uint64_t requests() const
    {
        return m_requests.load(std::memory_order_relaxed);
    }
    [[nodiscard]] std::int64_t active() const { return m_active.load(std::memory_order_relaxed); }
    /// {"simulator": true, "requests": N, "by_status": {"200": n}, "active": k,
    ///  "by_path": {...}, "truncated": t, "malformed": m, "first_request_ms": a,
    ///  "last_request_ms": b} — arrival times of the first and last counted request on a
    /// monotonic clock (ms; only their difference means something), absent before any.
    [[nodiscard]] std::string toJson() const;

private:
    std::atomic<std::uint64_t> m_requests{0};
    std::atomic<std::int64_t> m_active{0};
    std::atomic<std::uint64_t> m_truncated{0};
    std::atomic<std::uint64_t> m_malformed{0};
    std::array<std::atomic<std::uint64_t>, 600> m_byStatus{};
    mutable std::mutex m_mutex;
    std::map<std::string, std::uint64_t, std::less<>> m_byPath; // guarded by m_mutex
    double m_firstMs = -1;                                      // guarded by m_mutex
    double m_lastMs = -1;                                       // guarded by m_mutex
};

} // namespace fb
