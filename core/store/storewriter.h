#pragma once

#include <core/common/result.h>
#include <core/store/storetypes.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace fb {

class SecretRedactor;

/// How a StoreWriter batches.
struct StoreWriterOptions
{
    std::size_t batchSize = 500;                  ///< write as soon as this many are queued
    std::chrono::milliseconds flushInterval{100}; ///< ... or when the oldest waited this long
    std::size_t queueCapacity = 16384;            ///< submit() blocks while this many wait
    std::function<void(const Error &)> onError;   ///< called on the writer thread
    /// When set, every line's errors, score details and (for lines and nodes that did not
    /// complete) outputs are redacted before they are stored.
    std::shared_ptr<const SecretRedactor> redactor;
};

/// Writes lines (each with its node results and LLM calls) to an experiment store on ONE
/// writer thread that owns its own connection, in batched transactions.
///
/// A line is replaced as a whole when written again for the same (run, line index): its old
/// node results, LLM calls and scores are removed in the same transaction, so a resumed run has
/// no duplicates. A line is stored with all its children or not at all. If a batch fails, its
/// lines are retried one per transaction so one bad line (e.g. an unknown run) does not lose
/// the others; each failure goes to `onError` and lastError(). For speed the writer's connection
/// checks the run reference itself (a line for an unknown run fails with InvalidArgument)
/// instead of SQLite foreign-key enforcement.
///
/// The WAL is checkpointed by a second thread with its own connection (passively, beside the
/// writes), so commits never wait for one; busySeconds() is the writer thread's time alone.
///
/// Thread rules: submit(), flush() and lastError() may be called from any thread. The
/// destructor writes everything still queued and joins the threads.
class StoreWriter final
{
public:
    /// Opens (and if needed creates/migrates) the store at `path` on the writer thread; fails
    /// like ExperimentStore::open.
    [[nodiscard]] static Result<std::unique_ptr<StoreWriter>> open(const std::string &path,
                                                                   StoreWriterOptions options = {});
    StoreWriter(const StoreWriter &) = delete;
    StoreWriter &operator=(const StoreWriter &) = delete;
    ~StoreWriter();

    /// Queues one line; blocks while the queue is full (back-pressure on the producer). Its
    /// JSON columns are serialized here, on the calling thread, so producers share that work
    /// and the writer thread only runs SQL.
    void submit(LineRecord record);
    /// Blocks until every line submitted before the call is committed (durable across a process
    /// kill). Fails with the first write error since the previous flush(), if any.
    [[nodiscard]] Result<void> flush();
    /// The most recent write error, if any ever happened.
    [[nodiscard]] std::optional<Error> lastError() const;
    /// Lines committed so far.
    [[nodiscard]] std::uint64_t writtenCount() const;
    /// Lines whose write failed so far (each also went to onError and lastError()).
    [[nodiscard]] std::uint64_t failedCount() const;
    /// Time the writer thread spent writing (in transactions), in seconds of wall time: it
    /// includes any time the thread waited for a CPU.
    [[nodiscard]] double busySeconds() const;
    /// The CPU time the writer thread used for those writes, in seconds.
    [[nodiscard]] double busyCpuSeconds() const;

private:
    class Private;
    explicit StoreWriter(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace fb
