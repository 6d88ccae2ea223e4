#include <core/store/storereader.h>

#include <core/store/experimentstore.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace fb {

class StoreReader::Private
{
public:
    explicit Private(ExperimentStore opened)
        : store(std::move(opened))
    {
    }

    void loop(std::stop_token stop)
    {
        for (;;) {
            Job job;
            {
                std::unique_lock lock(mutex);
                if (!wake.wait(lock, stop, [this] { return !queue.empty(); })) {
                    return; // stop requested
                }
                job = std::move(queue.front());
                queue.pop_front();
            }
            job(store, stop);
        }
    }

    // Declared before the thread: destroyed after it, so the thread never outlives the
    // connection it uses, and interrupt() always finds it open.
    ExperimentStore store;
    std::mutex mutex;
    std::condition_variable_any wake;
    std::deque<Job> queue; // guarded by mutex
    std::jthread thread;
};

StoreReader::StoreReader(std::unique_ptr<Private> priv)
    : d(std::move(priv))
{
}

std::unique_ptr<StoreReader> StoreReader::start(ExperimentStore store)
{
    auto priv = std::make_unique<Private>(std::move(store));
    Private *p = priv.get();
    p->thread = std::jthread([p](std::stop_token stop) { p->loop(std::move(stop)); });
    return std::unique_ptr<StoreReader>(new StoreReader(std::move(priv)));
}

Result<std::unique_ptr<StoreReader>> StoreReader::open(const std::string &path)
{
    auto store = ExperimentStore::open(path);
    if (!store) {
        return std::move(store).error();
    }
    return start(std::move(*store));
}

Result<std::unique_ptr<StoreReader>> StoreReader::openReadOnly(const std::string &path)
{
    auto store = ExperimentStore::openReadOnly(path);
    if (!store) {
        return std::move(store).error();
    }
    return start(std::move(*store));
}

StoreReader::~StoreReader()
{
    dropPending();
    d->thread.request_stop(); // wakes the loop; the running job sees its stop token
    d->store.interrupt();     // ... and its query, if it is in one, fails soon
    d->thread.join();
}

void StoreReader::post(Job job)
{
    {
        std::lock_guard lock(d->mutex);
        d->queue.push_back(std::move(job));
    }
    d->wake.notify_one();
}

std::size_t StoreReader::dropPending()
{
    std::deque<Job> dropped;
    {
        std::lock_guard lock(d->mutex);
        dropped.swap(d->queue);
    }
    return dropped.size(); // the jobs (and what they hold) are released outside the lock
}

} // namespace fb
