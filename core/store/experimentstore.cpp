#include <core/store/experimentstore.h>

#include <core/common/fileio.h>
#include <core/store/sqliteconnection_p.h>
#include <core/store/storeschema_p.h>
#include <core/store/storeutil_p.h>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <mutex>
#include <numeric>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

namespace fb {

using storeutil::fromJson;
using storeutil::nowMs;
using storeutil::toJson;

namespace {

// A row of "SELECT line_index, evaluator, score, passed, detail FROM scores".
ScoreRecord scoreFromRow(const SqliteStatement &s)
{
    ScoreRecord score;
    score.lineIndex = s.int64At(0);
    score.evaluator = s.textAt(1);
    score.score = s.optionalDoubleAt(2);
    if (auto passed = s.optionalInt64At(3)) {
        score.passed = *passed != 0;
    }
    score.detail = s.textAt(4);
    return score;
}

} // namespace

class ExperimentStore::Private
{
public:
    SqliteConnection conn;
    std::mutex helperMutex;
    sqlite3 *helperDb = nullptr; // guarded by helperMutex: the connection of inTwo()'s thread

    // Runs `work(conn, 0)` here and `work(helper, 1)` at the same time on a second thread with
    // a second connection (interrupt() reaches both); the first failure, if any.
    Result<void> inTwo(const std::function<Result<void>(SqliteConnection &conn, int part)> &work);

    Result<SqliteStatement> prepare(std::string_view sql) { return conn.prepare(sql); }

    // Runs a statement that returns no rows.
    Result<void> run(SqliteStatement &stmt, std::string_view context)
    {
        const int rc = stmt.step();
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
            return conn.error(context);
        }
        return {};
    }

    // LLM calls / scores of one line, or of every line when `lineIndex` is empty.
    Result<std::vector<LlmCallRecord>> readCalls(RunId run, std::optional<std::int64_t> lineIndex)
    {
        auto calls = prepare(
            std::string("SELECT line_index, node, model, prompt_tokens, completion_tokens, "
                        "cached_tokens, ttft_ms, tpot_ms, latency_ms, attempts, "
                        "http_status, cache_hit FROM llm_calls WHERE run_id = ?1 ")
            + (lineIndex ? "AND line_index = ?2 ORDER BY seq" : "ORDER BY line_index, seq"));
        if (!calls) {
            return std::move(calls).error();
        }
        calls->bindInt64(1, run.value);
        if (lineIndex) {
            calls->bindInt64(2, *lineIndex);
        }
        std::vector<LlmCallRecord> out;
        int rc = SQLITE_ROW;
        while ((rc = calls->step()) == SQLITE_ROW) {
            LlmCallRecord c;
            c.lineIndex = calls->int64At(0);
            c.node = calls->textAt(1);
            c.model = calls->textAt(2);
            c.promptTokens = calls->int64At(3);
            c.completionTokens = calls->int64At(4);
            c.cachedTokens = calls->int64At(5);
            c.ttftMs = calls->optionalDoubleAt(6);
            c.tpotMs = calls->optionalDoubleAt(7);
            c.latencyMs = calls->optionalDoubleAt(8);
            c.attempts = static_cast<int>(calls->int64At(9));
            c.httpStatus = static_cast<int>(calls->int64At(10));
            c.cacheHit = calls->int64At(11) != 0;
            out.push_back(std::move(c));
        }
        if (rc != SQLITE_DONE) {
            return conn.error("read llm calls");
        }
        return out;
    }

    Result<std::vector<ScoreRecord>> readScores(RunId run, std::optional<std::int64_t> lineIndex)
    {
        auto select = prepare(std::string("SELECT line_index, evaluator, score, passed, detail "
                                          "FROM scores WHERE run_id = ?1 ")
                              + (lineIndex ? "AND line_index = ?2 ORDER BY evaluator"
                                           : "ORDER BY line_index, evaluator"));
        if (!select) {
            return std::move(select).error();
        }
        select->bindInt64(1, run.value);
        if (lineIndex) {
            select->bindInt64(2, *lineIndex);
        }
        std::vector<ScoreRecord> out;
        int rc = SQLITE_ROW;
        while ((rc = select->step()) == SQLITE_ROW) {
            out.push_back(scoreFromRow(*select));
        }
        if (rc != SQLITE_DONE) {
            return conn.error("read scores");
        }
        return out;
    }

    /// Runs matching `where`; with `counts`, each with its completed and failed line counts
    /// (two counts over its lines), else those are 0.
    Result<std::vector<RunSummary>>
    querySummaries(const std::string &where, const std::function<void(SqliteStatement &)> &bind,
                   bool counts = true);
};

namespace {

constexpr const char *kSummarySelect
    = "SELECT r.id, r.name, r.experiment_id, r.flow_id, f.name, r.dataset_id, r.variants, "
      "r.column_mapping, r.parameters, r.base_run_id, r.status, r.created_at, r.started_at, "
      "r.finished_at, r.total_lines, "
      "(SELECT count(*) FROM lines l WHERE l.run_id = r.id AND l.status = 'Completed'), "
      "(SELECT count(*) FROM lines l WHERE l.run_id = r.id AND l.status = 'Failed') "
      "FROM runs r JOIN flows f ON f.id = r.flow_id ";
// The same columns without the line counts (0, 0).
constexpr const char *kHeaderSelect
    = "SELECT r.id, r.name, r.experiment_id, r.flow_id, f.name, r.dataset_id, r.variants, "
      "r.column_mapping, r.parameters, r.base_run_id, r.status, r.created_at, r.started_at, "
      "r.finished_at, r.total_lines, 0, 0 "
      "FROM runs r JOIN flows f ON f.id = r.flow_id ";

RunSummary summaryFromRow(const SqliteStatement &s)
{
    RunSummary r;
    r.id = RunId{s.int64At(0)};
    r.name = s.textAt(1);
    if (auto e = s.optionalInt64At(2)) {
        r.experimentId = ExperimentId{*e};
    }
    r.flowId = FlowVersionId{s.int64At(3)};
    r.flowName = s.textAt(4);
    if (auto ds = s.optionalInt64At(5)) {
        r.datasetId = DatasetVersionId{*ds};
    }
    r.variants = fromJson(s.textAt(6));
    r.columnMapping = fromJson(s.textAt(7));
    r.parameters = fromJson(s.textAt(8));
    if (auto base = s.optionalInt64At(9)) {
        r.baseRunId = RunId{*base};
    }
    r.status = runStateFromName(s.textAt(10));
    r.createdAtMs = s.int64At(11);
    r.startedAtMs = s.optionalInt64At(12);
    r.finishedAtMs = s.optionalInt64At(13);
    r.totalLines = s.int64At(14);
    r.completedLines = s.int64At(15);
    r.failedLines = s.int64At(16);
    return r;
}

std::string runLabel(RunId run) { return "run " + std::to_string(run.value); }

// The `PRAGMA application_id` of an existing SQLite file, read from its header (offset 68, big
// endian) without opening it; 0 when the file is missing, short or not SQLite. Read before
// open() so that a file of another application is refused before the WAL pragma changes it.
std::uint32_t applicationIdOf(const std::string &path)
{
    // Only a regular file is read here: opening a FIFO for reading would wait for a writer.
    if (!checkRegularFile(path)) {
        return 0;
    }
    std::ifstream in(path, std::ios::binary);
    char header[72] = {};
    if (!in.read(header, sizeof header)
        || std::string_view(header, 16) != std::string_view("SQLite format 3\0", 16)) {
        return 0;
    }
    const auto byte = [&](int i) { return std::uint32_t(static_cast<unsigned char>(header[i])); };
    return byte(68) << 24 | byte(69) << 16 | byte(70) << 8 | byte(71);
}

Result<int> storedSchemaVersion(SqliteConnection &conn)
{
    auto stmt = conn.prepare("PRAGMA user_version");
    if (!stmt) {
        return std::move(stmt).error();
    }
    if (stmt->step() != SQLITE_ROW) {
        return conn.error("read user_version");
    }
    return static_cast<int>(stmt->int64At(0));
}

} // namespace

Result<std::vector<RunSummary>>
ExperimentStore::Private::querySummaries(const std::string &where,
                                         const std::function<void(SqliteStatement &)> &bind,
                                         bool counts)
{
    auto stmt = prepare(std::string(counts ? kSummarySelect : kHeaderSelect) + where);
    if (!stmt) {
        return std::move(stmt).error();
    }
    bind(*stmt);
    std::vector<RunSummary> out;
    int rc = SQLITE_ROW;
    while ((rc = stmt->step()) == SQLITE_ROW) {
        out.push_back(summaryFromRow(*stmt));
    }
    if (rc != SQLITE_DONE) {
        return conn.error("read runs");
    }
    return out;
}

ExperimentStore::ExperimentStore(std::unique_ptr<Private> priv)
    : d(std::move(priv))
{
}

ExperimentStore::ExperimentStore(ExperimentStore &&other) noexcept = default;
ExperimentStore &ExperimentStore::operator=(ExperimentStore &&other) noexcept = default;
ExperimentStore::~ExperimentStore() = default;

Result<ExperimentStore> ExperimentStore::open(const std::string &path)
{
    if (const std::uint32_t appId = applicationIdOf(path); appId != 0) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08x", appId);
        return fail(ErrorCode::Parse,
                    path + ": not a Flowbench experiment store (SQLite application_id " + hex
                        + "); a run bundle is opened read-only or imported with "
                          "'flowbench-cli bundle import', never as a store");
    }
    auto conn = SqliteConnection::open(path);
    if (!conn) {
        return std::move(conn).error();
    }
    if (auto migrated = StoreSchema::migrate(*conn); !migrated) {
        return std::move(migrated).error();
    }
    auto priv = std::make_unique<Private>();
    priv->conn = std::move(*conn);
    return ExperimentStore(std::move(priv));
}

Result<ExperimentStore> ExperimentStore::openReadOnly(const std::string &path)
{
    auto conn = SqliteConnection::openReadOnly(path);
    if (!conn) {
        return std::move(conn).error();
    }
    auto version = storedSchemaVersion(*conn);
    if (!version) {
        return std::move(version).error();
    }
    if (*version != StoreSchema::latestVersion()) {
        return fail(ErrorCode::Unsupported,
                    path + ": schema version " + std::to_string(*version)
                        + " cannot be read read-only by this Flowbench (it reads version "
                        + std::to_string(StoreSchema::latestVersion()) + ")");
    }
    auto priv = std::make_unique<Private>();
    priv->conn = std::move(*conn);
    return ExperimentStore(std::move(priv));
}

int ExperimentStore::schemaVersion() { return StoreSchema::latestVersion(); }

const std::string &ExperimentStore::path() const { return d->conn.path(); }

bool ExperimentStore::isReadOnly() const { return d->conn.isReadOnly(); }

Result<FlowVersionId> ExperimentStore::internFlow(const std::string &contentHash,
                                                  const std::string &name, const std::string &path,
                                                  const std::string &canonical)
{
    // INSERT ... DO NOTHING then SELECT: correct even when two processes intern at once.
    auto insert = d->prepare("INSERT INTO flows(content_hash, name, path, canonical, created_at) "
                             "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(content_hash) DO NOTHING");
    if (!insert) {
        return std::move(insert).error();
    }
    insert->bindText(1, contentHash);
    insert->bindText(2, name);
    insert->bindText(3, path);
    insert->bindText(4, canonical);
    insert->bindInt64(5, nowMs());
    if (auto done = d->run(*insert, "intern flow"); !done) {
        return std::move(done).error();
    }
    auto select = d->prepare("SELECT id FROM flows WHERE content_hash = ?1");
    if (!select) {
        return std::move(select).error();
    }
    select->bindText(1, contentHash);
    if (select->step() != SQLITE_ROW) {
        return d->conn.error("intern flow");
    }
    return FlowVersionId{select->int64At(0)};
}

Result<DatasetVersionId> ExperimentStore::internDataset(const std::string &fingerprint,
                                                        const std::string &path,
                                                        std::int64_t rowCount)
{
    auto insert = d->prepare("INSERT INTO datasets(fingerprint, path, row_count, created_at) "
                             "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(fingerprint) DO NOTHING");
    if (!insert) {
        return std::move(insert).error();
    }
    insert->bindText(1, fingerprint);
    insert->bindText(2, path);
    insert->bindInt64(3, rowCount);
    insert->bindInt64(4, nowMs());
    if (auto done = d->run(*insert, "intern dataset"); !done) {
        return std::move(done).error();
    }
    auto select = d->prepare("SELECT id FROM datasets WHERE fingerprint = ?1");
    if (!select) {
        return std::move(select).error();
    }
    select->bindText(1, fingerprint);
    if (select->step() != SQLITE_ROW) {
        return d->conn.error("intern dataset");
    }
    return DatasetVersionId{select->int64At(0)};
}

Result<ExperimentId> ExperimentStore::createExperiment(const std::string &name)
{
    auto insert = d->prepare("INSERT INTO experiments(name, created_at) VALUES(?1, ?2)");
    if (!insert) {
        return std::move(insert).error();
    }
    insert->bindText(1, name);
    insert->bindInt64(2, nowMs());
    if (auto done = d->run(*insert, "create experiment '" + name + "'"); !done) {
        return std::move(done).error();
    }
    return ExperimentId{d->conn.lastInsertRowId()};
}

Result<ExperimentId> ExperimentStore::findExperiment(const std::string &name)
{
    auto select
        = d->prepare("SELECT id FROM experiments WHERE name = ?1 ORDER BY id DESC LIMIT 1");
    if (!select) {
        return std::move(select).error();
    }
    select->bindText(1, name);
    const int rc = select->step();
    if (rc == SQLITE_ROW) {
        return ExperimentId{select->int64At(0)};
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read experiments");
    }
    return fail(ErrorCode::NotFound, path() + ": no experiment named '" + name + "'");
}

Result<std::vector<RunSummary>> ExperimentStore::experimentRuns(ExperimentId experiment)
{
    return d->querySummaries("WHERE r.experiment_id = ?1 ORDER BY r.id",
                             [&](SqliteStatement &s) { s.bindInt64(1, experiment.value); });
}

Result<std::string> ExperimentStore::datasetPath(DatasetVersionId dataset)
{
    auto select = d->prepare("SELECT path FROM datasets WHERE id = ?1");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, dataset.value);
    const int rc = select->step();
    if (rc == SQLITE_ROW) {
        return select->textAt(0);
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read datasets");
    }
    return fail(ErrorCode::NotFound,
                path() + ": no dataset version " + std::to_string(dataset.value));
}

Result<RunId> ExperimentStore::createRun(const RunSpec &spec)
{
    if (spec.name.empty()) {
        return fail(ErrorCode::InvalidArgument, path() + ": a run needs a name");
    }
    if (auto existing = findRunByName(spec.name); existing) {
        return fail(ErrorCode::InvalidArgument,
                    path() + ": a run named '" + spec.name + "' already exists");
    }
    auto insert = d->prepare(
        "INSERT INTO runs(name, experiment_id, flow_id, dataset_id, variants, column_mapping, "
        "parameters, base_run_id, status, created_at, total_lines) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!insert) {
        return std::move(insert).error();
    }
    const std::string variants = toJson(spec.variants);
    const std::string mapping = toJson(spec.columnMapping);
    const std::string parameters = toJson(spec.parameters);
    insert->bindText(1, spec.name);
    insert->bindOptionalInt64(2, spec.experimentId ? std::optional(spec.experimentId->value)
                                                   : std::nullopt);
    insert->bindInt64(3, spec.flowId.value);
    insert->bindOptionalInt64(4,
                              spec.datasetId ? std::optional(spec.datasetId->value) : std::nullopt);
    insert->bindText(5, variants);
    insert->bindText(6, mapping);
    insert->bindText(7, parameters);
    insert->bindOptionalInt64(8,
                              spec.baseRunId ? std::optional(spec.baseRunId->value) : std::nullopt);
    insert->bindText(9, runStateName(RunState::NotStarted));
    insert->bindInt64(10, nowMs());
    insert->bindInt64(11, spec.totalLines);
    if (auto done = d->run(*insert, "create run '" + spec.name + "'"); !done) {
        return std::move(done).error();
    }
    return RunId{d->conn.lastInsertRowId()};
}

Result<void> ExperimentStore::setRunStatus(RunId run, RunState state)
{
    const bool terminal
        = state == RunState::Completed || state == RunState::Failed || state == RunState::Cancelled;
    auto update = d->prepare(
        "UPDATE runs SET status = ?2, "
        "started_at = CASE WHEN ?3 AND started_at IS NULL THEN ?5 ELSE started_at END, "
        "finished_at = CASE WHEN ?4 THEN ?5 WHEN ?3 THEN NULL ELSE finished_at END "
        "WHERE id = ?1");
    if (!update) {
        return std::move(update).error();
    }
    update->bindInt64(1, run.value);
    update->bindText(2, runStateName(state));
    update->bindInt64(3, state == RunState::Running ? 1 : 0);
    update->bindInt64(4, terminal ? 1 : 0);
    update->bindInt64(5, nowMs());
    if (auto done = d->run(*update, "set status of " + runLabel(run)); !done) {
        return done;
    }
    if (d->conn.changes() == 0) {
        return fail(ErrorCode::NotFound, path() + ": no " + runLabel(run));
    }
    return {};
}

Result<void> ExperimentStore::setRunTotalLines(RunId run, std::int64_t totalLines)
{
    auto update = d->prepare("UPDATE runs SET total_lines = ?2 WHERE id = ?1");
    if (!update) {
        return std::move(update).error();
    }
    update->bindInt64(1, run.value);
    update->bindInt64(2, totalLines);
    return d->run(*update, "set total lines of " + runLabel(run));
}

Result<std::vector<RunSummary>> ExperimentStore::runs()
{
    return d->querySummaries("ORDER BY r.id DESC", [](SqliteStatement &) {});
}

Result<RunSummary> ExperimentStore::run(RunId run)
{
    auto found = d->querySummaries("WHERE r.id = ?1",
                                   [&](SqliteStatement &s) { s.bindInt64(1, run.value); });
    if (!found) {
        return std::move(found).error();
    }
    if (found->empty()) {
        return fail(ErrorCode::NotFound, path() + ": no " + runLabel(run));
    }
    return std::move(found->front());
}

Result<std::vector<RunSummary>> ExperimentStore::runHeaders()
{
    return d->querySummaries("ORDER BY r.id DESC", [](SqliteStatement &) {}, false);
}

Result<RunSummary> ExperimentStore::runHeader(RunId run)
{
    auto found = d->querySummaries(
        "WHERE r.id = ?1", [&](SqliteStatement &s) { s.bindInt64(1, run.value); }, false);
    if (!found) {
        return std::move(found).error();
    }
    if (found->empty()) {
        return fail(ErrorCode::NotFound, path() + ": no " + runLabel(run));
    }
    return std::move(found->front());
}

Result<RunSummary> ExperimentStore::findRunByName(const std::string &name)
{
    auto found
        = d->querySummaries("WHERE r.name = ?1", [&](SqliteStatement &s) { s.bindText(1, name); });
    if (!found) {
        return std::move(found).error();
    }
    if (found->empty()) {
        return fail(ErrorCode::NotFound, path() + ": no run named '" + name + "'");
    }
    return std::move(found->front());
}

Result<std::vector<std::int64_t>> ExperimentStore::completedLineIndexes(RunId run)
{
    auto select = d->prepare("SELECT line_index FROM lines WHERE run_id = ?1 AND status = "
                             "'Completed' ORDER BY line_index");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    std::vector<std::int64_t> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        out.push_back(select->int64At(0));
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read completed lines of " + runLabel(run));
    }
    return out;
}

namespace {

constexpr const char *kLineSelect
    = "SELECT run_id, line_index, status, inputs, outputs, error, started_at, duration_ms, "
      "queue_ms, prompt_tokens, completion_tokens, cost_usd FROM lines ";

LineRecord lineFromRow(const SqliteStatement &s)
{
    LineRecord line;
    line.runId = RunId{s.int64At(0)};
    line.lineIndex = s.int64At(1);
    line.status = s.textAt(2);
    line.inputs = fromJson(s.textAt(3));
    line.outputs = fromJson(s.textAt(4));
    line.error = s.textAt(5);
    line.startedAtMs = s.optionalInt64At(6);
    line.durationMs = s.optionalDoubleAt(7);
    line.queueMs = s.optionalDoubleAt(8);
    line.promptTokens = s.int64At(9);
    line.completionTokens = s.int64At(10);
    line.costUsd = s.optionalDoubleAt(11);
    return line;
}

} // namespace

Result<std::vector<LineRecord>> ExperimentStore::lines(RunId run, std::int64_t offset,
                                                       std::int64_t limit)
{
    return linePage(run, "ORDER BY line_index LIMIT ?3 OFFSET ?2", offset, limit);
}

Result<std::vector<LineRecord>> ExperimentStore::linesAfter(RunId run, std::int64_t after,
                                                            std::int64_t limit)
{
    return linePage(run, "AND line_index > ?2 ORDER BY line_index LIMIT ?3", after, limit);
}

Result<std::vector<LineRecord>> ExperimentStore::linePage(RunId run, const char *tail,
                                                          std::int64_t key, std::int64_t limit)
{
    auto select = d->prepare(std::string(kLineSelect) + "WHERE run_id = ?1 " + tail);
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    select->bindInt64(2, key);
    select->bindInt64(3, limit);
    std::vector<LineRecord> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        out.push_back(lineFromRow(*select));
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read lines of " + runLabel(run));
    }
    return out;
}

Result<LineRecord> ExperimentStore::line(RunId run, std::int64_t lineIndex)
{
    auto select = d->prepare(std::string(kLineSelect) + "WHERE run_id = ?1 AND line_index = ?2");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    select->bindInt64(2, lineIndex);
    const int rc = select->step();
    if (rc == SQLITE_DONE) {
        return fail(ErrorCode::NotFound,
                    path() + ": " + runLabel(run) + " has no line " + std::to_string(lineIndex));
    }
    if (rc != SQLITE_ROW) {
        return d->conn.error("read line");
    }
    LineRecord line = lineFromRow(*select);

    auto nodes = d->prepare("SELECT node, variant_id, status, output, error, duration_ms FROM "
                            "node_results WHERE run_id = ?1 AND line_index = ?2 ORDER BY node");
    if (!nodes) {
        return std::move(nodes).error();
    }
    nodes->bindInt64(1, run.value);
    nodes->bindInt64(2, lineIndex);
    while (nodes->step() == SQLITE_ROW) {
        NodeResultRecord n;
        n.node = nodes->textAt(0);
        n.variantId = nodes->textAt(1);
        n.status = nodes->textAt(2);
        n.output = fromJson(nodes->textAt(3));
        n.error = nodes->textAt(4);
        n.durationMs = nodes->optionalDoubleAt(5);
        line.nodes.push_back(std::move(n));
    }

    auto calls = d->readCalls(run, lineIndex);
    if (!calls) {
        return std::move(calls).error();
    }
    line.llmCalls = std::move(*calls);
    auto scores = d->readScores(run, lineIndex);
    if (!scores) {
        return std::move(scores).error();
    }
    line.scores = std::move(*scores);
    return line;
}

Result<std::vector<LlmCallRecord>> ExperimentStore::llmCalls(RunId run)
{
    return d->readCalls(run, std::nullopt);
}

Result<std::vector<ScoreRecord>> ExperimentStore::scores(RunId run)
{
    return d->readScores(run, std::nullopt);
}

namespace {

// Appends the line keys of `run` with line indexes in [first, last] to `keys`.
Result<void> appendLineKeys(SqliteConnection &conn, RunId run, std::int64_t first,
                            std::int64_t last, RunLineKeys &keys)
{
    auto select = conn.prepare(
        "SELECT line_index, status, duration_ms, prompt_tokens + completion_tokens, cost_usd "
        "FROM lines WHERE run_id = ?1 AND line_index BETWEEN ?2 AND ?3 ORDER BY line_index");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    select->bindInt64(2, first);
    select->bindInt64(3, last);
    constexpr float none = std::numeric_limits<float>::quiet_NaN();
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        keys.lineIndex.push_back(select->int64At(0));
        keys.status.push_back(lineStatusFromName(select->textViewAt(1)));
        keys.latencyMs.push_back(select->isNull(2) ? none : float(select->doubleAt(2)));
        keys.tokens.push_back(std::int32_t(std::clamp<std::int64_t>(
            select->int64At(3), 0, std::numeric_limits<std::int32_t>::max())));
        keys.costUsd.push_back(select->isNull(4) ? none : float(select->doubleAt(4)));
    }
    if (rc != SQLITE_DONE) {
        return conn.error("read line keys of " + runLabel(run));
    }
    return {};
}

void reserveLineKeys(RunLineKeys &keys, std::size_t n)
{
    keys.lineIndex.reserve(n);
    keys.status.reserve(n);
    keys.latencyMs.reserve(n);
    keys.tokens.reserve(n);
    keys.costUsd.reserve(n);
}

// Score columns for the lines lineIndexes[from, from + size): value i of a column is the score
// of lineIndexes[from + i].
struct ScoreColumns
{
    std::size_t from = 0;
    std::size_t size = 0;
    std::vector<std::string> names;
    std::vector<std::vector<float>> columns;

    std::vector<float> &column(std::string_view name)
    {
        auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) {
            names.emplace_back(name);
            columns.emplace_back(size, std::numeric_limits<float>::quiet_NaN());
            return columns.back();
        }
        return columns[std::size_t(it - names.begin())];
    }
};

// Reads the scores of the lines lineIndexes[begin, end) into `out`.
Result<void> readScoreKeys(SqliteConnection &conn, RunId run,
                           const std::vector<std::int64_t> &lineIndexes, std::size_t begin,
                           std::size_t end, ScoreColumns &out)
{
    if (begin >= end) {
        return {};
    }
    auto select = conn.prepare("SELECT line_index, evaluator, score FROM scores WHERE run_id = ?1 "
                               "AND line_index BETWEEN ?2 AND ?3 ORDER BY line_index, evaluator");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    select->bindInt64(2, lineIndexes[begin]);
    select->bindInt64(3, lineIndexes[end - 1]);
    std::size_t pos = begin; // the line the scan has reached (both are ascending)
    std::vector<float> *last = nullptr;
    std::string lastName;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        const std::int64_t index = select->int64At(0);
        while (pos < end && lineIndexes[pos] < index) {
            ++pos;
        }
        if (pos == end) {
            rc = SQLITE_DONE;
            break;
        }
        if (lineIndexes[pos] != index) {
            continue;
        }
        const std::string_view name = select->textViewAt(1);
        if (last == nullptr || name != lastName) {
            last = &out.column(name);
            lastName = name;
        }
        (*last)[pos - out.from] = select->isNull(2) ? std::numeric_limits<float>::quiet_NaN()
                                                    : float(select->doubleAt(2));
    }
    if (rc != SQLITE_DONE) {
        return conn.error("read score keys of " + runLabel(run));
    }
    return {};
}

} // namespace

Result<void> ExperimentStore::Private::inTwo(
    const std::function<Result<void>(SqliteConnection &conn, int part)> &work)
{
    auto helper = conn.isReadOnly() ? SqliteConnection::openReadOnly(conn.path())
                                    : SqliteConnection::open(conn.path());
    if (!helper) {
        // No second connection: both parts here, one after the other.
        auto lower = work(conn, 0);
        return lower ? work(conn, 1) : lower;
    }
    {
        std::lock_guard lock(helperMutex);
        helperDb = helper->handle();
    }
    Result<void> upper;
    std::jthread thread;
    try {
        thread = std::jthread([&] { upper = work(*helper, 1); });
    } catch (const std::system_error &) {
        upper = work(*helper, 1); // no thread to be had: the upper part first, here
    }
    auto lower = work(conn, 0);
    if (thread.joinable()) {
        thread.join();
    }
    {
        std::lock_guard lock(helperMutex);
        helperDb = nullptr;
    }
    return lower ? upper : lower;
}

Result<RunLineKeys> ExperimentStore::lineKeys(RunId run, int threads)
{
    // The planned line count sizes the arrays once; growing them by doubling would briefly
    // hold half as much again (a run still running or cancelled has fewer lines: see below).
    std::size_t planned = 0;
    auto total = d->prepare("SELECT total_lines FROM runs WHERE id = ?1");
    if (!total) {
        return std::move(total).error();
    }
    total->bindInt64(1, run.value);
    if (total->step() == SQLITE_ROW) {
        planned = static_cast<std::size_t>(
            std::clamp<std::int64_t>(total->int64At(0), 0, std::int64_t(100'000'000)));
    }
    RunLineKeys keys;
    reserveLineKeys(keys, planned);
    if (threads < 2) {
        if (auto read = appendLineKeys(d->conn, run, std::numeric_limits<std::int64_t>::min(),
                                       std::numeric_limits<std::int64_t>::max(), keys);
            !read) {
            return std::move(read).error();
        }
    } else {
        // Two halves of the line index range, the upper one on a second connection.
        std::int64_t bounds[2] = {0, -1};
        for (int i = 0; i < 2; ++i) {
            auto end = d->prepare(i == 0 ? "SELECT min(line_index) FROM lines WHERE run_id = ?1"
                                         : "SELECT max(line_index) FROM lines WHERE run_id = ?1");
            if (!end) {
                return std::move(end).error();
            }
            end->bindInt64(1, run.value);
            if (end->step() != SQLITE_ROW) {
                return d->conn.error("read line keys of " + runLabel(run));
            }
            if (end->isNull(0)) {
                return keys; // no lines
            }
            bounds[i] = end->int64At(0);
        }
        const std::int64_t middle = bounds[0] + (bounds[1] - bounds[0]) / 2;
        RunLineKeys upper;
        reserveLineKeys(upper, std::size_t(bounds[1] - middle));
        auto read = d->inTwo([&](SqliteConnection &conn, int part) {
            return part == 0 ? appendLineKeys(conn, run, bounds[0], middle, keys)
                             : appendLineKeys(conn, run, middle + 1, bounds[1], upper);
        });
        if (!read) {
            return std::move(read).error();
        }
        const auto append
            = [](auto &to, const auto &from) { to.insert(to.end(), from.begin(), from.end()); };
        append(keys.lineIndex, upper.lineIndex);
        append(keys.status, upper.status);
        append(keys.latencyMs, upper.latencyMs);
        append(keys.tokens, upper.tokens);
        append(keys.costUsd, upper.costUsd);
    }
    if (keys.size() < keys.lineIndex.capacity() / 4 * 3) {
        keys.lineIndex.shrink_to_fit();
        keys.status.shrink_to_fit();
        keys.latencyMs.shrink_to_fit();
        keys.tokens.shrink_to_fit();
        keys.costUsd.shrink_to_fit();
    }
    return keys;
}

Result<RunScoreKeys>
ExperimentStore::scoreKeys(RunId run, const std::vector<std::int64_t> &lineIndexes, int threads)
{
    const std::size_t n = lineIndexes.size();
    ScoreColumns lower{0, n, {}, {}};
    if (threads < 2 || n < 2) {
        if (auto read = readScoreKeys(d->conn, run, lineIndexes, 0, n, lower); !read) {
            return std::move(read).error();
        }
    } else {
        // The upper half of the lines on a second connection, into its own columns.
        const std::size_t middle = n / 2;
        ScoreColumns upper{middle, n - middle, {}, {}};
        auto read = d->inTwo([&](SqliteConnection &conn, int part) {
            return part == 0 ? readScoreKeys(conn, run, lineIndexes, 0, middle, lower)
                             : readScoreKeys(conn, run, lineIndexes, middle, n, upper);
        });
        if (!read) {
            return std::move(read).error();
        }
        for (std::size_t e = 0; e < upper.names.size(); ++e) {
            std::copy(upper.columns[e].begin(), upper.columns[e].end(),
                      lower.column(upper.names[e]).begin() + std::ptrdiff_t(middle));
        }
    }
    // Evaluators in name order, as line() gives a line's scores.
    std::vector<std::size_t> order(lower.names.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return lower.names[a] < lower.names[b]; });
    RunScoreKeys keys;
    for (std::size_t e : order) {
        keys.evaluators.push_back(std::move(lower.names[e]));
        keys.scores.push_back(std::move(lower.columns[e]));
    }
    return keys;
}

namespace {

// Appends the first column of `sql`'s rows (NULL as NaN) to `out`; ?1 = run, and for a range
// of lines ?2 and ?3 its first and last line index.
Result<void> appendFloats(SqliteConnection &conn, const char *sql, RunId run,
                          std::optional<std::pair<std::int64_t, std::int64_t>> range,
                          std::vector<float> &out)
{
    auto select = conn.prepare(sql);
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    if (range) {
        select->bindInt64(2, range->first);
        select->bindInt64(3, range->second);
    }
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        out.push_back(select->isNull(0) ? std::numeric_limits<float>::quiet_NaN()
                                        : float(select->doubleAt(0)));
    }
    if (rc != SQLITE_DONE) {
        return conn.error("read the lines of " + runLabel(run));
    }
    return {};
}

} // namespace

Result<std::vector<float>> ExperimentStore::completedLineDurations(RunId run, int threads)
{
    static constexpr const char *kSql
        = "SELECT duration_ms FROM lines WHERE run_id = ?1 AND line_index BETWEEN ?2 AND ?3 "
          "AND status = 'Completed' AND duration_ms IS NOT NULL ORDER BY line_index";
    // Separate subqueries: each min/max is then a seek on the key, not a scan.
    auto bounds = d->prepare("SELECT (SELECT min(line_index) FROM lines WHERE run_id = ?1), "
                             "(SELECT max(line_index) FROM lines WHERE run_id = ?1), "
                             "(SELECT total_lines FROM runs WHERE id = ?1)");
    if (!bounds) {
        return std::move(bounds).error();
    }
    bounds->bindInt64(1, run.value);
    if (bounds->step() != SQLITE_ROW) {
        return d->conn.error("read the lines of " + runLabel(run));
    }
    std::vector<float> lower;
    if (bounds->isNull(0)) {
        return lower; // no lines
    }
    const std::int64_t first = bounds->int64At(0);
    const std::int64_t last = bounds->int64At(1);
    const auto planned = std::size_t(std::clamp<std::int64_t>(
        std::min(bounds->int64At(2), last - first + 1), 0, std::int64_t(100'000'000)));
    if (threads < 2 || last == first) {
        lower.reserve(planned);
        if (auto read = appendFloats(d->conn, kSql, run, std::pair{first, last}, lower); !read) {
            return std::move(read).error();
        }
        return lower;
    }
    // Two halves of the line index range, the upper one on a second connection.
    const std::int64_t middle = first + (last - first) / 2;
    std::vector<float> upper;
    lower.reserve(planned / 2 + 1);
    upper.reserve(planned / 2 + 1);
    auto read = d->inTwo([&](SqliteConnection &conn, int part) {
        return part == 0 ? appendFloats(conn, kSql, run, std::pair{first, middle}, lower)
                         : appendFloats(conn, kSql, run, std::pair{middle + 1, last}, upper);
    });
    if (!read) {
        return std::move(read).error();
    }
    lower.insert(lower.end(), upper.begin(), upper.end());
    return lower;
}

Result<LineCostTotals> ExperimentStore::lineCostTotals(RunId run)
{
    auto select = d->prepare(
        "SELECT total(cost_usd), count(cost_usd), count(*) FROM lines WHERE run_id = ?1");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    if (select->step() != SQLITE_ROW) {
        return d->conn.error("read the cost of " + runLabel(run));
    }
    LineCostTotals totals;
    totals.totalUsd = select->doubleAt(0);
    totals.linesWithCost = select->int64At(1);
    totals.linesWithoutCost = select->int64At(2) - totals.linesWithCost;
    return totals;
}

Result<std::vector<float>> ExperimentStore::callTimings(RunId run, CallTiming timing)
{
    const char *sql = nullptr;
    switch (timing) {
    case CallTiming::LatencyMs:
        sql = "SELECT latency_ms FROM llm_calls WHERE run_id = ?1 AND latency_ms IS NOT NULL "
              "ORDER BY line_index, seq";
        break;
    case CallTiming::TtftMs:
        sql = "SELECT ttft_ms FROM llm_calls WHERE run_id = ?1 AND ttft_ms IS NOT NULL "
              "ORDER BY line_index, seq";
        break;
    case CallTiming::TpotMs:
        sql = "SELECT tpot_ms FROM llm_calls WHERE run_id = ?1 AND tpot_ms IS NOT NULL "
              "ORDER BY line_index, seq";
        break;
    }
    std::vector<float> out;
    if (auto read = appendFloats(d->conn, sql, run, std::nullopt, out); !read) {
        return std::move(read).error();
    }
    return out;
}

Result<std::vector<LineRecord>>
ExperimentStore::linesAt(RunId run, const std::vector<std::int64_t> &lineIndexes)
{
    std::unordered_map<std::int64_t, std::size_t> slotOf; // index -> place of its first mention
    std::vector<std::int64_t> distinct;
    for (std::int64_t index : lineIndexes) {
        if (slotOf.emplace(index, distinct.size()).second) {
            distinct.push_back(index);
        }
    }
    std::vector<std::optional<LineRecord>> found(distinct.size());
    // Bound parameters per statement, well under SQLite's limit on them.
    constexpr std::size_t kChunk = 500;
    for (std::size_t start = 0; start < distinct.size(); start += kChunk) {
        const std::size_t count = std::min(kChunk, distinct.size() - start);
        std::string list = "(";
        for (std::size_t i = 0; i < count; ++i) {
            list += (i == 0 ? "?" : ",?") + std::to_string(i + 2);
        }
        list += ')';
        auto lines
            = d->prepare(std::string(kLineSelect) + "WHERE run_id = ?1 AND line_index IN " + list);
        if (!lines) {
            return std::move(lines).error();
        }
        auto scores = d->prepare("SELECT line_index, evaluator, score, passed, detail FROM scores "
                                 "WHERE run_id = ?1 AND line_index IN "
                                 + list + " ORDER BY line_index, evaluator");
        if (!scores) {
            return std::move(scores).error();
        }
        for (SqliteStatement *stmt : {&*lines, &*scores}) {
            stmt->bindInt64(1, run.value);
            for (std::size_t i = 0; i < count; ++i) {
                stmt->bindInt64(int(i + 2), distinct[start + i]);
            }
        }
        int rc = SQLITE_ROW;
        while ((rc = lines->step()) == SQLITE_ROW) {
            LineRecord line = lineFromRow(*lines);
            found[slotOf.at(line.lineIndex)] = std::move(line);
        }
        if (rc != SQLITE_DONE) {
            return d->conn.error("read lines of " + runLabel(run));
        }
        while ((rc = scores->step()) == SQLITE_ROW) {
            ScoreRecord score = scoreFromRow(*scores);
            if (auto &line = found[slotOf.at(score.lineIndex)]) {
                line->scores.push_back(std::move(score));
            }
        }
        if (rc != SQLITE_DONE) {
            return d->conn.error("read scores of " + runLabel(run));
        }
    }
    std::vector<LineRecord> out;
    out.reserve(found.size());
    for (auto &line : found) {
        if (line) {
            out.push_back(std::move(*line));
        }
    }
    return out;
}

Result<std::optional<std::string>> ExperimentStore::cachedResponse(const std::string &key,
                                                                   std::int64_t notBeforeMs)
{
    auto select = d->prepare("SELECT response FROM response_cache WHERE key = ?1 AND "
                             "created_at >= ?2");
    if (!select) {
        return std::move(select).error();
    }
    select->bindText(1, key);
    select->bindInt64(2, notBeforeMs);
    const int rc = select->step();
    if (rc == SQLITE_DONE) {
        return std::optional<std::string>();
    }
    if (rc != SQLITE_ROW) {
        return d->conn.error("read response cache");
    }
    return std::optional<std::string>(select->textAt(0));
}

Result<void> ExperimentStore::putCachedResponse(const std::string &key,
                                                const std::string &response)
{
    auto insert = d->prepare(
        "INSERT OR REPLACE INTO response_cache(key, response, created_at) VALUES(?1, ?2, ?3)");
    if (!insert) {
        return std::move(insert).error();
    }
    insert->bindText(1, key);
    insert->bindText(2, response);
    insert->bindInt64(3, nowMs());
    return d->run(*insert, "write response cache");
}

Result<std::int64_t> ExperimentStore::lineCount(RunId run)
{
    auto select = d->prepare("SELECT count(*) FROM lines WHERE run_id = ?1");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    if (select->step() != SQLITE_ROW) {
        return d->conn.error("count lines of " + runLabel(run));
    }
    return select->int64At(0);
}

Result<void> ExperimentStore::putMetric(RunId run, const std::string &name, double value)
{
    auto upsert = d->prepare("INSERT INTO metrics(run_id, name, value) VALUES(?1, ?2, ?3) "
                             "ON CONFLICT(run_id, name) DO UPDATE SET value = excluded.value");
    if (!upsert) {
        return std::move(upsert).error();
    }
    upsert->bindInt64(1, run.value);
    upsert->bindText(2, name);
    upsert->bindDouble(3, value);
    return d->run(*upsert, "store metric '" + name + "' of " + runLabel(run));
}

Result<std::map<std::string, double>> ExperimentStore::metrics(RunId run)
{
    auto select = d->prepare("SELECT name, value FROM metrics WHERE run_id = ?1");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    std::map<std::string, double> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        out[select->textAt(0)] = select->doubleAt(1);
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read metrics of " + runLabel(run));
    }
    return out;
}

namespace {

/// Why `rating` cannot be stored, if it cannot.
std::optional<std::string> ratingProblem(const Rating &rating)
{
    if (rating.rater.empty()) {
        return "a rating needs a rater";
    }
    const std::optional<double> &score = rating.score;
    switch (rating.kind) {
    case RatingKind::PassFail:
        if (!score || (*score != 0.0 && *score != 1.0)) {
            return "a pass/fail rating is 1 (pass) or 0 (fail)";
        }
        break;
    case RatingKind::Stars:
        if (!score || *score < 1.0 || *score > 5.0 || *score != std::trunc(*score)) {
            return "a star rating is a whole number from 1 to 5";
        }
        break;
    case RatingKind::Comment:
        if (score) {
            return "a comment has no score";
        }
        if (rating.comment.empty()) {
            return "a comment rating needs a comment";
        }
        break;
    case RatingKind::Score:
        if (score && !std::isfinite(*score)) {
            return "a score must be a finite number";
        }
        break;
    }
    return std::nullopt;
}

} // namespace

Result<std::int64_t> ExperimentStore::addRating(const Rating &rating)
{
    if (auto problem = ratingProblem(rating)) {
        return fail(ErrorCode::InvalidArgument, path() + ": " + *problem);
    }
    auto insert = d->prepare("INSERT INTO ratings(run_id, line_index, rater, score, comment, "
                             "created_at, kind) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert) {
        return std::move(insert).error();
    }
    insert->bindInt64(1, rating.runId.value);
    insert->bindInt64(2, rating.lineIndex);
    insert->bindText(3, rating.rater);
    insert->bindOptionalDouble(4, rating.score);
    insert->bindText(5, rating.comment);
    insert->bindInt64(6, rating.createdAtMs != 0 ? rating.createdAtMs : nowMs());
    insert->bindText(7, rating.kind == RatingKind::Score ? "" : Rating::kindName(rating.kind));
    if (auto done = d->run(*insert, "add rating to " + runLabel(rating.runId)); !done) {
        return std::move(done).error();
    }
    return d->conn.lastInsertRowId();
}

Result<std::vector<Rating>> ExperimentStore::ratings(RunId run)
{
    auto select = d->prepare("SELECT id, run_id, line_index, rater, score, comment, created_at, "
                             "kind FROM ratings WHERE run_id = ?1 ORDER BY id");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.value);
    std::vector<Rating> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        Rating r;
        r.id = select->int64At(0);
        r.runId = RunId{select->int64At(1)};
        r.lineIndex = select->int64At(2);
        r.rater = select->textAt(3);
        r.score = select->optionalDoubleAt(4);
        r.comment = select->textAt(5);
        r.createdAtMs = select->int64At(6);
        // A kind this build does not know (a newer writer's) reads as a bare score.
        r.kind = Rating::kindFromName(select->textAt(7)).value_or(RatingKind::Score);
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read ratings of " + runLabel(run));
    }
    return out;
}

Result<void> ExperimentStore::removeRating(std::int64_t id)
{
    auto remove = d->prepare("DELETE FROM ratings WHERE id = ?1");
    if (!remove) {
        return std::move(remove).error();
    }
    remove->bindInt64(1, id);
    if (auto done = d->run(*remove, "remove rating " + std::to_string(id)); !done) {
        return done;
    }
    if (d->conn.changes() == 0) {
        return fail(ErrorCode::NotFound, path() + ": no rating " + std::to_string(id));
    }
    return {};
}

Result<std::int64_t> ExperimentStore::addPreference(const Preference &preference)
{
    const RunId a = std::min(preference.runA, preference.runB);
    const RunId b = std::max(preference.runA, preference.runB);
    const auto inPair = [&](RunId run) { return run == a || run == b; };
    if (a == b) {
        return fail(ErrorCode::InvalidArgument, path() + ": a preference is between two runs");
    }
    if ((preference.preferred && !inPair(*preference.preferred)) || !inPair(preference.leftRun)) {
        return fail(ErrorCode::InvalidArgument,
                    path() + ": a preference names a run outside the pair it compares");
    }
    if (preference.rater.empty()) {
        return fail(ErrorCode::InvalidArgument, path() + ": a preference needs a rater");
    }
    auto insert = d->prepare(
        "INSERT INTO preferences(run_a, run_b, line_index, rater, preferred, left_run, comment, "
        "created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!insert) {
        return std::move(insert).error();
    }
    insert->bindInt64(1, a.value);
    insert->bindInt64(2, b.value);
    insert->bindInt64(3, preference.lineIndex);
    insert->bindText(4, preference.rater);
    insert->bindOptionalInt64(5, preference.preferred
                                     ? std::optional<std::int64_t>(preference.preferred->value)
                                     : std::nullopt);
    insert->bindInt64(6, preference.leftRun.value);
    insert->bindText(7, preference.comment);
    insert->bindInt64(8, preference.createdAtMs != 0 ? preference.createdAtMs : nowMs());
    if (auto done = d->run(*insert, "add a preference between " + runLabel(a) + " and "
                                        + runLabel(b));
        !done) {
        return std::move(done).error();
    }
    return d->conn.lastInsertRowId();
}

Result<std::vector<Preference>> ExperimentStore::preferences(RunId first, RunId second)
{
    auto select = d->prepare(
        "SELECT id, run_a, run_b, line_index, rater, preferred, left_run, comment, created_at "
        "FROM preferences WHERE run_a = ?1 AND run_b = ?2 ORDER BY id");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, std::min(first, second).value);
    select->bindInt64(2, std::max(first, second).value);
    std::vector<Preference> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        Preference p;
        p.id = select->int64At(0);
        p.runA = RunId{select->int64At(1)};
        p.runB = RunId{select->int64At(2)};
        p.lineIndex = select->int64At(3);
        p.rater = select->textAt(4);
        if (auto preferred = select->optionalInt64At(5)) {
            p.preferred = RunId{*preferred};
        }
        p.leftRun = RunId{select->int64At(6)};
        p.comment = select->textAt(7);
        p.createdAtMs = select->int64At(8);
        out.push_back(std::move(p));
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read the preferences between " + runLabel(first) + " and "
                             + runLabel(second));
    }
    return out;
}

Result<void> ExperimentStore::removePreference(std::int64_t id)
{
    auto remove = d->prepare("DELETE FROM preferences WHERE id = ?1");
    if (!remove) {
        return std::move(remove).error();
    }
    remove->bindInt64(1, id);
    if (auto done = d->run(*remove, "remove preference " + std::to_string(id)); !done) {
        return done;
    }
    if (d->conn.changes() == 0) {
        return fail(ErrorCode::NotFound, path() + ": no preference " + std::to_string(id));
    }
    return {};
}

Result<std::string> ExperimentStore::integrityCheck()
{
    auto select = d->prepare("PRAGMA integrity_check");
    if (!select) {
        return std::move(select).error();
    }
    std::string out;
    while (select->step() == SQLITE_ROW) {
        if (!out.empty()) {
            out += '\n';
        }
        out += select->textAt(0);
    }
    return out;
}

void ExperimentStore::interrupt()
{
    sqlite3_interrupt(d->conn.handle());
    std::lock_guard lock(d->helperMutex);
    if (d->helperDb != nullptr) {
        sqlite3_interrupt(d->helperDb);
    }
}

} // namespace fb
