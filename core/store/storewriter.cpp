#include <core/store/storewriter.h>

#include <core/common/secretredactor.h>
#include <core/store/sqliteconnection_p.h>
#include <core/store/storeschema_p.h>
#include <core/store/storeutil_p.h>

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <future>
#include <mutex>
#include <stop_token>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace fb {

namespace {

constexpr const char *kLineColumns
    = "(run_id, line_index, status, inputs, outputs, error, started_at, duration_ms, queue_ms, "
      "prompt_tokens, completion_tokens, cost_usd)";
constexpr int kLineParams = 12;
constexpr const char *kNodeColumns
    = "(run_id, line_index, node, variant_id, status, output, error, duration_ms)";
constexpr int kNodeParams = 8;
constexpr const char *kCallColumns
    = "(run_id, line_index, seq, node, model, prompt_tokens, completion_tokens, cached_tokens, "
      "ttft_ms, tpot_ms, latency_ms, attempts, http_status, cache_hit)";
constexpr int kCallParams = 14;

// CPU time the calling thread has used, in seconds.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Rows per multi-row INSERT: one statement per group of rows instead of one per row saves most
// of SQLite's per-statement work (cursor open/close, program start), the larger part of a
// small row's cost.
constexpr int kRowsPerInsert = 16;

// "INSERT INTO table(columns) VALUES(?,...),(?,...)" with `rows` rows of `params` parameters.
std::string insertSql(const char *verb, const char *table, const char *columns, int params,
                      int rows)
{
    std::string sql = std::string(verb) + " INTO " + table + columns + " VALUES";
    for (int r = 0; r < rows; ++r) {
        sql += r == 0 ? "(" : ",(";
        for (int p = 0; p < params; ++p) {
            sql += p == 0 ? "?" : ",?";
        }
        sql += ')';
    }
    return sql;
}

// A line as the writer thread binds it. Its JSON columns are serialized by submit(), on the
// producer's thread, so the writer thread — the store's one serial stage — only runs SQL.
struct PreparedLine
{
    LineRecord record; // its JSON values are released once serialized
    std::string inputs;
    std::string outputs;
    std::vector<std::string> nodeOutputs; // one per record.nodes entry
};

/// Keeps known secrets out of what error paths store: a server or a tool may echo a key.
void redactLine(LineRecord &record, const SecretRedactor &redactor)
{
    const bool completed = record.status == kLineCompleted;
    redactor.redact(record.error);
    if (!completed) {
        redactor.redact(record.outputs);
    }
    for (NodeResultRecord &node : record.nodes) {
        redactor.redact(node.error);
        if (node.status != kLineCompleted) {
            redactor.redact(node.output);
        }
    }
    for (ScoreRecord &score : record.scores) {
        redactor.redact(score.detail);
    }
}

PreparedLine prepareLine(LineRecord record, const SecretRedactor *redactor)
{
    if (redactor && !redactor->isEmpty()) {
        redactLine(record, *redactor);
    }
    PreparedLine p;
    p.inputs = storeutil::toJson(record.inputs);
    p.outputs = storeutil::toJson(record.outputs);
    p.nodeOutputs.reserve(record.nodes.size());
    for (NodeResultRecord &node : record.nodes) {
        p.nodeOutputs.push_back(storeutil::toJson(node.output));
        node.output = Value();
    }
    record.inputs = Value();
    record.outputs = Value();
    p.record = std::move(record);
    return p;
}

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
        // Checkpoints run on the StoreWriter's checkpoint thread (see walCommitted), not inside
        // this connection's commits; room for the b-tree pages a batch touches. Foreign keys
        // cost a fifth of the write time, so this connection checks the one reference it can
        // break itself (the run, once per batch); a line's children are always written and
        // deleted with it in one transaction.
        if (auto tuned = w.m_conn.exec("PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-32768; "
                                       "PRAGMA foreign_keys=OFF");
            !tuned) {
            return std::move(tuned).error();
        }
        const std::pair<SqliteStatement *, std::string> statements[] = {
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
            {&w.m_insertLine, insertSql("INSERT", "lines", kLineColumns, kLineParams, 1)},
            {&w.m_replaceLine,
             insertSql("INSERT OR REPLACE", "lines", kLineColumns, kLineParams, 1)},
            {&w.m_insertNode,
             insertSql("INSERT OR REPLACE", "node_results", kNodeColumns, kNodeParams, 1)},
            {&w.m_insertCall, insertSql("INSERT", "llm_calls", kCallColumns, kCallParams, 1)},
            {&w.m_insertLines,
             insertSql("INSERT", "lines", kLineColumns, kLineParams, kRowsPerInsert)},
            {&w.m_insertNodes, insertSql("INSERT OR REPLACE", "node_results", kNodeColumns,
                                         kNodeParams, kRowsPerInsert)},
            {&w.m_insertCalls,
             insertSql("INSERT", "llm_calls", kCallColumns, kCallParams, kRowsPerInsert)},
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
    std::size_t write(const std::vector<PreparedLine> &batch, std::vector<Error> &errors)
    {
        if (writeTransaction(batch.data(), batch.size(), nullptr)) {
            return batch.size();
        }
        // Something in the batch failed: isolate it so the other lines still land.
        std::size_t written = 0;
        for (const PreparedLine &record : batch) {
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

    bool writeTransaction(const PreparedLine *records, std::size_t count, Error *error)
    {
        // Runs are checked inside the transaction, so none can vanish before the commit.
        m_knownRuns.clear();
        if (!runStep(m_begin)) {
            if (error) {
                *error = m_conn.error("begin write transaction");
            }
            return false;
        }
        auto what = [](const LineRecord &record) {
            return "write line " + std::to_string(record.lineIndex) + " of run "
                   + std::to_string(record.runId.value);
        };
        for (std::size_t i = 0; i < count; ++i) {
            if (!runExists(records[i].record.runId.value)) {
                if (error) {
                    *error
                        = Error(ErrorCode::InvalidArgument,
                                m_conn.path() + ": " + what(records[i].record) + ": no such run");
                }
                runStep(m_rollback);
                return false;
            }
        }
        const bool written = count == 1 ? writeRecord(records[0]) : writeRecords(records, count);
        if (!written) {
            if (error) {
                *error = m_conn.error(count == 1 ? what(records[0].record)
                                                 : std::string("write lines"));
            }
            runStep(m_rollback);
            return false;
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

    static void bindLine(SqliteStatement &line, int base, const LineRecord &r,
                         const std::string &inputs, const std::string &outputs)
    {
        line.bindInt64(base + 1, r.runId.value);
        line.bindInt64(base + 2, r.lineIndex);
        line.bindText(base + 3, r.status);
        line.bindText(base + 4, inputs);
        line.bindText(base + 5, outputs);
        line.bindText(base + 6, r.error);
        line.bindOptionalInt64(base + 7, r.startedAtMs);
        line.bindOptionalDouble(base + 8, r.durationMs);
        line.bindOptionalDouble(base + 9, r.queueMs);
        line.bindInt64(base + 10, r.promptTokens);
        line.bindInt64(base + 11, r.completionTokens);
        line.bindOptionalDouble(base + 12, r.costUsd);
    }

    static void bindNode(SqliteStatement &node, int base, const LineRecord &r,
                         const NodeResultRecord &n, const std::string &output)
    {
        node.bindInt64(base + 1, r.runId.value);
        node.bindInt64(base + 2, r.lineIndex);
        node.bindText(base + 3, n.node);
        node.bindText(base + 4, n.variantId);
        node.bindText(base + 5, n.status);
        node.bindText(base + 6, output);
        node.bindText(base + 7, n.error);
        node.bindOptionalDouble(base + 8, n.durationMs);
    }

    // `seq`: the call's place in its line's llmCalls.
    static void bindCall(SqliteStatement &call, int base, const LineRecord &r, std::size_t seq)
    {
        const LlmCallRecord &c = r.llmCalls[seq];
        call.bindInt64(base + 1, r.runId.value);
        call.bindInt64(base + 2, r.lineIndex);
        call.bindInt64(base + 3, std::int64_t(seq));
        call.bindText(base + 4, c.node);
        call.bindText(base + 5, c.model);
        call.bindInt64(base + 6, c.promptTokens);
        call.bindInt64(base + 7, c.completionTokens);
        call.bindInt64(base + 8, c.cachedTokens);
        call.bindOptionalDouble(base + 9, c.ttftMs);
        call.bindOptionalDouble(base + 10, c.tpotMs);
        call.bindOptionalDouble(base + 11, c.latencyMs);
        call.bindInt64(base + 12, c.attempts);
        call.bindInt64(base + 13, c.httpStatus);
        call.bindInt64(base + 14, c.cacheHit ? 1 : 0);
    }

    // Several lines in one transaction: new lines go in groups of kRowsPerInsert per statement
    // (their children likewise); a group that meets an existing line (a rewrite) falls back to
    // writeRecord() line by line, which replaces it.
    bool writeRecords(const PreparedLine *records, std::size_t count)
    {
        constexpr std::size_t group = kRowsPerInsert;
        m_nodeRows.clear();
        m_callRows.clear();
        std::size_t i = 0;
        while (i < count) {
            const std::size_t n = std::min(group, count - i);
            if (n == group) {
                for (std::size_t k = 0; k < group; ++k) {
                    const PreparedLine &p = records[i + k];
                    bindLine(m_insertLines, int(k) * kLineParams, p.record, p.inputs, p.outputs);
                }
                const int rc = m_insertLines.step();
                m_insertLines.reset();
                if (rc == SQLITE_DONE) {
                    for (std::size_t k = 0; k < group; ++k) {
                        const PreparedLine &p = records[i + k];
                        for (std::size_t j = 0; j < p.record.nodes.size(); ++j) {
                            m_nodeRows.emplace_back(&p, j);
                        }
                        for (std::size_t c = 0; c < p.record.llmCalls.size(); ++c) {
                            m_callRows.emplace_back(&p.record, c);
                        }
                        if (!writeScores(p.record)) {
                            return false;
                        }
                    }
                    i += group;
                    continue;
                }
                if (rc != SQLITE_CONSTRAINT_PRIMARYKEY) {
                    return false;
                }
                // The statement was undone as a whole; the transaction goes on.
            }
            // A rewrite deletes the line's old children: those queued so far go in first.
            if (!writeNodeRows() || !writeCallRows()) {
                return false;
            }
            for (std::size_t k = 0; k < n; ++k) {
                if (!writeRecord(records[i + k])) {
                    return false;
                }
            }
            i += n;
        }
        return writeNodeRows() && writeCallRows();
    }

    /// Inserts queued child rows: whole groups of kRowsPerInsert through `many`, the rest one
    /// by one through `one`; clears the queue.
    template <class Row, class Bind>
    bool insertRows(std::vector<Row> &rows, SqliteStatement &many, SqliteStatement &one, int params,
                    const Bind &bind)
    {
        constexpr std::size_t group = kRowsPerInsert;
        std::size_t i = 0;
        for (; i + group <= rows.size(); i += group) {
            for (std::size_t k = 0; k < group; ++k) {
                bind(many, int(k) * params, rows[i + k]);
            }
            if (!runStep(many)) {
                return false;
            }
        }
        for (; i < rows.size(); ++i) {
            bind(one, 0, rows[i]);
            if (!runStep(one)) {
                return false;
            }
        }
        rows.clear();
        return true;
    }

    bool writeNodeRows()
    {
        return insertRows(m_nodeRows, m_insertNodes, m_insertNode, kNodeParams,
                          [](SqliteStatement &stmt, int base, const auto &row) {
                              const auto [line, j] = row;
                              bindNode(stmt, base, line->record, line->record.nodes[j],
                                       line->nodeOutputs[j]);
                          });
    }

    bool writeCallRows()
    {
        return insertRows(m_callRows, m_insertCalls, m_insertCall, kCallParams,
                          [](SqliteStatement &stmt, int base, const auto &row) {
                              const auto [line, seq] = row;
                              bindCall(stmt, base, *line, seq);
                          });
    }

    // One line with its children; replaces the line (and drops its old children) when it
    // exists already.
    bool writeRecord(const PreparedLine &p)
    {
        const LineRecord &r = p.record;
        const std::int64_t run = r.runId.value;
        // A new line has no children (foreign keys and this writer keep it so): a plain INSERT
        // suffices. Only when the key exists (a rewrite) are the old children deleted and the
        // line replaced; the failed INSERT leaves the transaction intact.
        bindLine(m_insertLine, 0, r, p.inputs, p.outputs);
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
            bindLine(m_replaceLine, 0, r, p.inputs, p.outputs);
            if (!runStep(m_replaceLine)) {
                return false;
            }
        } else if (rc != SQLITE_DONE) {
            return false;
        }
        for (std::size_t j = 0; j < r.nodes.size(); ++j) {
            bindNode(m_insertNode, 0, r, r.nodes[j], p.nodeOutputs[j]);
            if (!runStep(m_insertNode)) {
                return false;
            }
        }
        for (std::size_t c = 0; c < r.llmCalls.size(); ++c) {
            bindCall(m_insertCall, 0, r, c);
            if (!runStep(m_insertCall)) {
                return false;
            }
        }
        return writeScores(r);
    }

    bool writeScores(const LineRecord &r)
    {
        for (const ScoreRecord &s : r.scores) {
            SqliteStatement &score = m_insertScore;
            score.bindInt64(1, r.runId.value);
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

public:
    [[nodiscard]] SqliteConnection &connection() { return m_conn; }

private:
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
    SqliteStatement m_insertLines; // kRowsPerInsert rows each
    SqliteStatement m_insertNodes;
    SqliteStatement m_insertCalls;
    // writeRecords()' scratch: the children of the lines written in groups.
    std::vector<std::pair<const PreparedLine *, std::size_t>> m_nodeRows; // (line, node)
    std::vector<std::pair<const LineRecord *, std::size_t>> m_callRows;   // (line, seq)
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
    void runCheckpoints(std::stop_token stop, const std::string &path);
    static int walCommitted(void *self, sqlite3 *db, const char *name, int pages);

    const StoreWriterOptions options;

    // The checkpoint thread copies the WAL back into the database (PASSIVE: beside the
    // writer's transactions, never blocking them) once a commit leaves kCheckpointPages in it.
    // Should it fall behind, the writer checkpoints itself at kWriterCheckpointPages, which
    // bounds the WAL.
    static constexpr int kCheckpointPages = 4096;        // 16 MiB of 4 KiB pages
    static constexpr int kWriterCheckpointPages = 65536; // 256 MiB
    std::mutex checkpointMutex;
    std::condition_variable_any checkpointWake;
    bool checkpointWanted = false; // guarded by checkpointMutex
    std::jthread checkpointer;     // stopped and joined after `thread`

    mutable std::mutex mutex;
    std::condition_variable_any wake;  // the writer waits for work
    std::condition_variable space;     // producers wait for room in the queue
    std::condition_variable processed; // flush() waits for the writer
    std::vector<PreparedLine> pending; // guarded by mutex
    std::uint64_t submittedCount = 0;  // guarded by mutex
    std::uint64_t processedCount = 0;  // guarded by mutex (written or failed)
    std::uint64_t writtenCount = 0;    // guarded by mutex
    double busySeconds = 0;            // guarded by mutex
    double busyCpuSeconds = 0;         // guarded by mutex
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
    sqlite3_wal_hook(writer->connection().handle(), &Private::walCommitted, this);
    ready.set_value(std::nullopt);

    std::vector<PreparedLine> batch;
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
        const double cpuBegan = threadCpuSeconds();
        const std::size_t written = writer->write(batch, errors);
        const double spent
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
        const double cpuSpent = threadCpuSeconds() - cpuBegan;
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
        busyCpuSeconds += cpuSpent;
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

int StoreWriter::Private::walCommitted(void *self, sqlite3 *db, const char *name, int pages)
{
    auto *d = static_cast<Private *>(self);
    if (pages >= kWriterCheckpointPages) {
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= kCheckpointPages) {
        {
            std::lock_guard lock(d->checkpointMutex);
            d->checkpointWanted = true;
        }
        d->checkpointWake.notify_one();
    }
    return SQLITE_OK;
}

void StoreWriter::Private::runCheckpoints(std::stop_token stop, const std::string &path)
{
    // Its own connection; the last one to close (usually this) checkpoints what is left.
    auto conn = SqliteConnection::open(path);
    if (!conn) {
        return; // the writer then checkpoints at kWriterCheckpointPages
    }
    for (;;) {
        {
            std::unique_lock lock(checkpointMutex);
            checkpointWake.wait(lock, stop, [&] { return checkpointWanted; });
            if (!checkpointWanted) {
                return; // stop requested
            }
            checkpointWanted = false;
        }
        sqlite3_wal_checkpoint_v2(conn->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
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
    d->checkpointer.request_stop();
    if (d->checkpointer.joinable()) {
        d->checkpointer.join();
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
    // After the writer's open: the schema exists by now.
    priv->checkpointer = std::jthread(
        [p, path](std::stop_token stop) { p->runCheckpoints(std::move(stop), path); });
    return std::unique_ptr<StoreWriter>(new StoreWriter(std::move(priv)));
}

void StoreWriter::submit(LineRecord record)
{
    PreparedLine prepared = prepareLine(std::move(record), d->options.redactor.get());
    std::unique_lock lock(d->mutex);
    d->space.wait(lock, [&] { return d->pending.size() < d->options.queueCapacity; });
    d->pending.push_back(std::move(prepared));
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

std::uint64_t StoreWriter::failedCount() const
{
    std::lock_guard lock(d->mutex);
    return d->processedCount - d->writtenCount;
}

double StoreWriter::busySeconds() const
{
    std::lock_guard lock(d->mutex);
    return d->busySeconds;
}

double StoreWriter::busyCpuSeconds() const
{
    std::lock_guard lock(d->mutex);
    return d->busyCpuSeconds;
}

} // namespace fb
