#include <core/exec/threadpool.h>

namespace fb {

ThreadPool::ThreadPool(int threads)
{
    if (threads < 1) {
        threads = 1;
    }
    m_threads.reserve(std::size_t(threads));
    for (int i = 0; i < threads; ++i) {
        m_threads.emplace_back([this](std::stop_token stop) { work(stop); });
    }
}

ThreadPool::~ThreadPool()
{
    for (auto &t : m_threads) {
        t.request_stop();
    }
    m_cv.notify_all();
    m_threads.clear(); // joins
}

void ThreadPool::post(std::function<void()> task)
{
    {
        std::lock_guard lock(m_mutex);
        m_tasks.push_back(std::move(task));
    }
    m_cv.notify_one();
}

void ThreadPool::work(std::stop_token stop)
{
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, stop, [this] { return !m_tasks.empty(); });
            if (m_tasks.empty()) {
                return; // stop requested and nothing left to do
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
    }
}

} // namespace fb
