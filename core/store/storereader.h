#pragma once

#include <core/common/result.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

namespace fb {

class ExperimentStore;

/// A reader thread over an experiment store: jobs posted from any thread run one after another,
/// in the order posted, on ONE thread that owns its own ExperimentStore connection. A front end
/// posts its queries here so that none runs on its own (GUI) thread; a job reports its results
/// itself, e.g. by posting them to that thread.
///
/// Thread rules: post() and dropPending() may be called from any thread. Jobs run on the reader
/// thread and must not call back into this StoreReader's destructor. The destructor drops the
/// jobs not started, interrupts the query of the running one (it fails with Cancelled; the job's
/// stop token is set), waits for that job to return, and closes the connection.
class StoreReader final
{
public:
    /// A read job; `stop` is set when the reader is being destroyed.
    using Job = std::function<void(ExperimentStore &store, std::stop_token stop)>;

    /// Opens (and if needed creates/migrates) the store at `path` on the calling thread, then
    /// hands it to the reader thread; fails like ExperimentStore::open.
    [[nodiscard]] static Result<std::unique_ptr<StoreReader>> open(const std::string &path);
    /// The same over ExperimentStore::openReadOnly (a run bundle a reviewer opens).
    [[nodiscard]] static Result<std::unique_ptr<StoreReader>> openReadOnly(const std::string &path);
    StoreReader(const StoreReader &) = delete;
    StoreReader &operator=(const StoreReader &) = delete;
    ~StoreReader();

    /// Queues a job to run after the ones already queued.
    void post(Job job);
    /// Drops the queued jobs that have not started; returns how many.
    std::size_t dropPending();

private:
    class Private;
    explicit StoreReader(std::unique_ptr<Private> d);
    /// Hands an opened store to a new reader thread.
    static std::unique_ptr<StoreReader> start(ExperimentStore store);
    std::unique_ptr<Private> d;
};

} // namespace fb
