#include <core/store/storewriter.h>

#include <core/store/sqliteconnection_p.h>
#include <core/store/storeschema_p.h>
#include <core/store/storeutil_p.h>

#include <sqlite3.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <stop_token>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace fb {

namespace {

#define LINE_COLUMNS                                                                               \
    "(run_id, line_index, status, inputs, outputs, error, started_at, duration_ms, queue_ms, "     \
    "prompt_tokens, completion_tokens, cost_usd) "                                                 \
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"

// The writer thread's connection and statements; created and used on that thread only.
class BatchWriter
{
public:
    static Result<BatchWriter> create(const std::string &path)
    {
        auto conn = SqliteConnection::open(path);
        if (!conn) {
            return std::move(conn).error();
        }
        if (auto migrated = StoreSchema::migrate(*conn); !migrated) {
            return std::move(migrated).error();
        }
        BatchWriter w;
        w.m_conn = std::move(*conn);
        // Fewer, larger checkpoints (each one syncs) and room for the b-tree pages a batch
        // touches. Foreign keys cost a fifth of the write time, so this connection checks the
        // one reference it can break itself (the run, once per batch); a line's children are
        // always written and deleted with it in one transaction.
        if (auto tuned = w.m_conn.exec("PRAGMA wal_autocheckpoint=8192; PRAGMA cache_size=-32768; "
                                       "PRAGMA foreign_keys=OFF");
            !tuned) {
            return std::move(tuned).error();
        }
        const std::pair<SqliteStatement *, const char *> statements[] = {
            {&w.m_begin, "BEGIN IMMEDIATE"},
            {&w.m_runExists, "SELECT 1 FROM runs WHERE id = ?1"},
            {&w.m_commit, "COMMIT"},
            {&w.m_rollback, "ROLLBACK"},
            {&w.m_deleteNodes, "DELETE FROM node_results WHERE run_id = ?1 AND line_index = ?2"},
            {&w.m_deleteCalls, "DELETE FROM llm_calls WHERE run_id = ?1 AND line_index = ?2"},
            {&w.m_deleteScores, "DELETE FROM scores WHERE run_id = ?1 AND line_index = ?2"},
            {&w.m_insertScore,
             "INSERT OR REPLACE INTO scores(run_id, line_index, evaluator, score, passed, detail) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"},
            {&w.m_insertLine, "INSERT INTO lines" LINE_COLUMNS},
            {&w.m_replaceLine, "INSERT OR REPLACE INTO lines" LINE_COLUMNS},
            {&w.m_insertNode,
             "INSERT OR REPLACE INTO node_results(run_id, line_index, node, variant_id, status, "
             "output, error, duration_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
            {&w.m_insertCall,
             "INSERT INTO llm_calls(run_id, line_index, node, model, prompt_tokens, "
             "completion_tokens, cached_tokens, ttft_ms, tpot_ms, latency_ms, attempts, "
             "http_status, cache_hit) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
             "?13)"},
        };
        for (const auto &[target, sql] : statements) {
            auto stmt = w.m_conn.prepare(sql);
            if (!stmt) {
                return std::move(stmt).error();
            }
            *target = std::move(*stmt);
        }
        return w;
    }

    /// Writes all records; returns the errors of the records that could not be written and
    /// the number written.
    std::size_t write(const std::vector<LineRecord> &batch, std::vector<Error> &errors)
    {
        if (writeTransaction(batch.data(), batch.size(), nullptr)) {
            return batch.size();
        }
        // Something in the batch failed: isolate it so the other lines still land.
        std::size_t written = 0;
        for (const LineRecord &record : batch) {
            Error error;
            if (writeTransaction(&record, 1, &error)) {
                ++written;
            } else {
                errors.push_back(std::move(error));
            }
        }
        return written;
    }

private:
    bool runStep(SqliteStatement &stmt)
    {
        const int rc = stmt.step();
        stmt.reset();
        return rc == SQLITE_DONE || rc == SQLITE_ROW;
    }

    bool runExists(std::int64_t run)
    {
        if (m_knownRuns.count(run) != 0) {
            return true;
        }
        m_runExists.bindInt64(1, run);
        const bool found = m_runExists.step() == SQLITE_ROW;
        m_runExists.reset();
        if (found) {
            m_knownRuns.insert(run);
        }
        return found;
    }

    bool writeTransaction(const LineRecord *records, std::size_t count, Error *error)
    {
        // Runs are checked inside the transaction, so none can vanish before the commit.
        m_knownRuns.clear();
        if (!runStep(m_begin)) {
            if (error) {
                *error = m_conn.error("begin write transaction");
            }
            return false;
        }
        for (std::size_t i = 0; i < count; ++i) {
            const LineRecord &record = records[i];
            auto what = [&record] {
                return "write line " + std::to_string(record.lineIndex) + " of run "
                       + std::to_string(record.runId.value);
            };
            if (!runExists(record.runId.value)) {
                if (error) {
                    *error = Error(ErrorCode::InvalidArgument,
                                   m_conn.path() + ": " + what() + ": no such run");
                }
                runStep(m_rollback);
                return false;
            }
            if (!writeRecord(record)) {
                if (error) {
                    *error = m_conn.error(what());
                }
                runStep(m_rollback);
                return false;
            }
        }
        if (!runStep(m_commit)) {
            if (error) {
                *error = m_conn.error("commit lines");
            }
            runStep(m_rollback);
            return false;
        }
        return true;
    }

    void bindLine(SqliteStatement &line, const LineRecord &r, const std::string &inputs,
                  const std::string &outputs)
    {
        line.bindInt64(1, r.runId.value);
        line.bindInt64(2, r.lineIndex);
        line.bindText(3, r.status);
        line.bindText(4, inputs);
        line.bindText(5, outputs);
        line.bindText(6, r.error);
        line.bindOptionalInt64(7, r.startedAtMs);
        line.bindOptionalDouble(8, r.durationMs);
        line.bindOptionalDouble(9, r.queueMs);
        line.bindInt64(10, r.promptTokens);
        line.bindInt64(11, r.completionTokens);
        line.bindOptionalDouble(12, r.costUsd);
    }

    bool writeRecord(const LineRecord &r)
    {
        const std::int64_t run = r.runId.value;
        const std::string inputs = storeutil::toJson(r.inputs);
        const std::string outputs = storeutil::toJson(r.outputs);
        // A new line has no children (foreign keys and this writer keep it so): a plain INSERT
        // suffices. Only when the key exists (a rewrite) are the old children deleted and the
        // line replaced; the failed INSERT leaves the transaction intact.
        bindLine(m_insertLine, r, inputs, outputs);
        const int rc = m_insertLine.step();
        m_insertLine.reset();
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
            for (SqliteStatement *del : {&m_deleteNodes, &m_deleteCalls, &m_deleteScores}) {
                del->bindInt64(1, run);
                del->bindInt64(2, r.lineIndex);
                if (!runStep(*del)) {
                    return false;
                }
            }
            bindLine(m_replaceLine, r, inputs, outputs);
            if (!runStep(m_replaceLine)) {
                return false;
            }
        } else if (rc != SQLITE_DONE) {
            return false;
        }
        for (const NodeResultRecord &n : r.nodes) {
            const std::string output = storeutil::toJson(n.output);
            SqliteStatement &node = m_insertNode;
            node.bindInt64(1, run);
            node.bindInt64(2, r.lineIndex);
            node.bindText(3, n.node);
            node.bindText(4, n.variantId);
            node.bindText(5, n.status);
            node.bindText(6, output);
            node.bindText(7, n.error);
            node.bindOptionalDouble(8, n.durationMs);
            if (!runStep(node)) {
                return false;
            }
        }
        for (const LlmCallRecord &c : r.llmCalls) {
            SqliteStatement &call = m_insertCall;
            call.bindInt64(1, run);
            call.bindInt64(2, r.lineIndex);
            call.bindText(3, c.node);
            call.bindText(4, c.model);
            call.bindInt64(5, c.promptTokens);
            call.bindInt64(6, c.completionTokens);
            call.bindInt64(7, c.cachedTokens);
            call.bindOptionalDouble(8, c.ttftMs);
            call.bindOptionalDouble(9, c.tpotMs);
            call.bindOptionalDouble(10, c.latencyMs);
            call.bindInt64(11, c.attempts);
            call.bindInt64(12, c.httpStatus);
            call.bindInt64(13, c.cacheHit ? 1 : 0);
            if (!runStep(call)) {
                return false;
            }
        }
        for (const ScoreRecord &s : r.scores) {
            SqliteStatement &score = m_insertScore;
            score.bindInt64(1, run);
            score.bindInt64(2, r.lineIndex);
            score.bindText(3, s.evaluator);
            score.bindOptionalDouble(4, s.score);
            score.bindOptionalInt64(5, s.passed ? std::optional<std::int64_t>(*s.passed ? 1 : 0)
                                                : std::nullopt);
            score.bindText(6, s.detail);
            if (!runStep(score)) {
                return false;
            }
        }
        return true;
    }

    SqliteConnection m_conn;
    std::unordered_set<std::int64_t> m_knownRuns; // runs seen in the current transaction
    SqliteStatement m_runExists;
    SqliteStatement m_begin;
    SqliteStatement m_commit;
    SqliteStatement m_rollback;
    SqliteStatement m_deleteNodes;
    SqliteStatement m_deleteCalls;
    SqliteStatement m_insertLine;
    SqliteStatement m_replaceLine;
    SqliteStatement m_insertNode;
    SqliteStatement m_insertCall;
    SqliteStatement m_deleteScores;
    SqliteStatement m_insertScore;
};

} // namespace

class StoreWriter::Private
{
public:
    explicit Private(StoreWriterOptions opts)
        : options(std::move(opts))
    {
    }

    void run(std::stop_token stop, const std::string &path,
             std::promise<std::optional<Error>> ready);

    const StoreWriterOptions options;

    mutable std::mutex mutex;
    std::condition_variable_any wake;  // the writer waits for work
    std::condition_variable space;     // producers wait for room in the queue
    std::condition_variable processed; // flush() waits for the writer
    std::vector<LineRecord> pending;   // guarded by mutex
    std::uint64_t submittedCount = 0;  // guarded by mutex
    std::uint64_t processedCount = 0;  // guarded by mutex (written or failed)
    std::uint64_t writtenCount = 0;    // guarded by mutex
    double busySeconds = 0;            // guarded by mutex
    int flushWaiters = 0;              // guarded by mutex
    std::optional<Error> lastError;    // guarded by mutex
    std::optional<Error> unreported;   // guarded by mutex: first error since the last flush()

    std::jthread thread; // last: joined before the fields above die
};

void StoreWriter::Private::run(std::stop_token stop, const std::string &path,
                               std::promise<std::optional<Error>> ready)
{
    auto writer = BatchWriter::create(path);
    if (!writer) {
        ready.set_value(writer.error());
        return;
    }
    ready.set_value(std::nullopt);

    std::vector<LineRecord> batch;
    std::vector<Error> errors;
    while (true) {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, stop, options.flushInterval, [&] {
            return pending.size() >= options.batchSize || (flushWaiters > 0 && !pending.empty());
        });
        if (pending.empty()) {
            if (stop.stop_requested()) {
                break;
            }
            continue;
        }
        batch.swap(pending);
        lock.unlock();
        space.notify_all();

        const auto began = std::chrono::steady_clock::now();
        const std::size_t written = writer->write(batch, errors);
        const double spent
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
        // Callbacks run before the batch counts as processed: when flush() returns, they ran.
        if (options.onError) {
            for (const Error &error : errors) {
                options.onError(error);
            }
        }

        lock.lock();
        processedCount += batch.size();
        writtenCount += written;
        busySeconds += spent;
        if (!errors.empty()) {
            lastError = errors.back();
            if (!unreported) {
                unreported = errors.front();
            }
        }
        lock.unlock();
        processed.notify_all();
        errors.clear();
        batch.clear();
    }
}

StoreWriter::StoreWriter(std::unique_ptr<Private> priv)
    : d(std::move(priv))
{
}

StoreWriter::~StoreWriter()
{
    // Stop wakes the writer, which drains the queue before it returns; then join.
    d->thread.request_stop();
    if (d->thread.joinable()) {
        d->thread.join();
    }
}

Result<std::unique_ptr<StoreWriter>> StoreWriter::open(const std::string &path,
                                                       StoreWriterOptions options)
{
    if (options.batchSize == 0) {
        options.batchSize = 1;
    }
    if (options.queueCapacity < options.batchSize) {
        options.queueCapacity = options.batchSize;
    }
    auto priv = std::make_unique<Private>(std::move(options));
    std::promise<std::optional<Error>> ready;
    auto opened = ready.get_future();
    Private *p = priv.get();
    priv->thread = std::jthread([p, path, ready = std::move(ready)](std::stop_token stop) mutable {
        p->run(stop, path, std::move(ready));
    });
    if (std::optional<Error> error = opened.get()) {
        priv->thread.join();
        return std::move(*error);
    }
    return std::unique_ptr<StoreWriter>(new StoreWriter(std::move(priv)));
}

void StoreWriter::submit(LineRecord record)
{
    std::unique_lock lock(d->mutex);
    d->space.wait(lock, [&] { return d->pending.size() < d->options.queueCapacity; });
    d->pending.push_back(std::move(record));
    ++d->submittedCount;
    const bool full = d->pending.size() == d->options.batchSize;
    lock.unlock();
    if (full) {
        d->wake.notify_one();
    }
}

Result<void> StoreWriter::flush()
{
    std::unique_lock lock(d->mutex);
    const std::uint64_t target = d->submittedCount;
    ++d->flushWaiters;
    d->wake.notify_one();
    d->processed.wait(lock, [&] { return d->processedCount >= target; });
    --d->flushWaiters;
    if (std::optional<Error> error = std::exchange(d->unreported, std::nullopt)) {
        return std::move(*error);
    }
    return {};
}

std::optional<Error> StoreWriter::lastError() const
{
    std::lock_guard lock(d->mutex);
    return d->lastError;
}

std::uint64_t StoreWriter::writtenCount() const
{
    std::lock_guard lock(d->mutex);
    return d->writtenCount;
}

double StoreWriter::busySeconds() const
{
    std::lock_guard lock(d->mutex);
    return d->busySeconds;
}

} // namespace fb
