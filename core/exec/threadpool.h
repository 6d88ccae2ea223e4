#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fb {

/// A fixed set of worker threads for blocking work (python tool calls). Tasks run in
/// submission order as workers free up. Thread-safe. The destructor finishes queued tasks
/// and joins the workers.
class ThreadPool
{
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    void post(std::function<void()> task);

private:
    void work(std::stop_token stop);

    std::mutex m_mutex;
    std::condition_variable_any m_cv;
    std::deque<std::function<void()>> m_tasks; // guarded by m_mutex
    std::vector<std::jthread> m_threads;
};

} // namespace fb
