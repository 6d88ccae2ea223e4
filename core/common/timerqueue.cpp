#include <core/common/timerqueue.h>

namespace fb {

TimerQueue::TimerQueue()
    : m_thread([this](std::stop_token stop) { loop(stop); })
{
}

TimerQueue::~TimerQueue()
{
    m_thread.request_stop();
    m_cv.notify_all();
}

TimerQueue::Id TimerQueue::schedule(Clock::time_point when, std::function<void()> task)
{
    Id id = 0;
    bool first = false;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        auto it = m_tasks.emplace(std::make_pair(when, id), std::move(task)).first;
        m_index.emplace(id, when);
        first = it == m_tasks.begin();
    }
    if (first) {
        m_cv.notify_all();
    }
    return id;
}

bool TimerQueue::cancel(Id id)
{
    std::lock_guard lock(m_mutex);
    auto it = m_index.find(id);
    if (it == m_index.end()) {
        return false;
    }
    m_tasks.erase(std::make_pair(it->second, id));
    m_index.erase(it);
    return true;
}

void TimerQueue::loop(std::stop_token stop)
{
    std::unique_lock lock(m_mutex);
    while (!stop.stop_requested()) {
        if (m_tasks.empty()) {
            m_cv.wait(lock, stop, [this] { return !m_tasks.empty(); });
            continue;
        }
        const auto when = m_tasks.begin()->first.first;
        if (Clock::now() < when) {
            // Wakes early when an earlier task is scheduled or on stop; then re-checks.
            m_cv.wait_until(lock, stop, when, [this, when] {
                return !m_tasks.empty() && m_tasks.begin()->first.first < when;
            });
            continue;
        }
        auto node = m_tasks.extract(m_tasks.begin());
        m_index.erase(node.key().second);
        lock.unlock();
        node.mapped()();
        lock.lock();
    }
}

} // namespace fb
