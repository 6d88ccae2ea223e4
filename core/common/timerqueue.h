#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace fb {

/// One thread that runs short callbacks at given times (rate-limit admissions, line
/// timeouts). Callbacks run on the timer's thread in time order and must not block.
///
/// Thread-safety: schedule() and cancel() may be called from any thread, including from a
/// callback. The destructor drops callbacks that have not run and joins the thread.
class TimerQueue
{
public:
    using Clock = std::chrono::steady_clock;
    using Id = std::uint64_t;

    TimerQueue();
    ~TimerQueue();
    TimerQueue(const TimerQueue &) = delete;
    TimerQueue &operator=(const TimerQueue &) = delete;

    /// Runs `task` at `when` (at once, on the timer thread, when `when` has passed).
    Id schedule(Clock::time_point when, std::function<void()> task);
    /// Drops a scheduled task; false when it already ran, is running or never existed.
    bool cancel(Id id);

private:
    void loop(std::stop_token stop);

    std::mutex m_mutex;
    std::condition_variable_any m_cv;
    // Ordered by (time, id) so equal times keep scheduling order.
    std::map<std::pair<Clock::time_point, Id>, std::function<void()>> m_tasks; // guarded by m_mutex
    std::map<Id, Clock::time_point> m_index;                                   // guarded by m_mutex
    Id m_nextId = 1;                                                           // guarded by m_mutex
    std::jthread m_thread;
};

} // namespace fb
