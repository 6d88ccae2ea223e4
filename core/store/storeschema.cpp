#include <core/store/storeschema_p.h>

#include <core/store/sqliteconnection_p.h>

#include <sqlite3.h>

#include <string>
#include <vector>

namespace fb {

namespace {

struct Migration
{
    int version;     ///< user_version after this step
    const char *sql; ///< statements run inside the step's transaction
};

// Times are milliseconds since the Unix epoch; JSON columns hold compact JSON text.
// lines and node_results are WITHOUT ROWID: one b-tree per table instead of table + key index,
// which is most of the cost of writing a million lines.
constexpr const char *kSchemaV1 = R"sql(
CREATE TABLE flows(
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    canonical TEXT NOT NULL,
    created_at INTEGER NOT NULL);
CREATE TABLE datasets(
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    created_at INTEGER NOT NULL);
CREATE TABLE experiments(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL);
CREATE TABLE runs(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    experiment_id INTEGER REFERENCES experiments(id),
    flow_id INTEGER NOT NULL REFERENCES flows(id),
    dataset_id INTEGER REFERENCES datasets(id),
    variants TEXT NOT NULL DEFAULT '{}',
    column_mapping TEXT NOT NULL DEFAULT '{}',
    parameters TEXT NOT NULL DEFAULT '{}',
    base_run_id INTEGER REFERENCES runs(id),
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    total_lines INTEGER NOT NULL DEFAULT 0);
CREATE INDEX runs_experiment ON runs(experiment_id);
CREATE TABLE lines(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line_index INTEGER NOT NULL,
    status TEXT NOT NULL,
    inputs TEXT NOT NULL,
    outputs TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    started_at INTEGER,
    duration_ms REAL,
    queue_ms REAL,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL,
    PRIMARY KEY(run_id, line_index)) WITHOUT ROWID;
CREATE TABLE node_results(
    run_id INTEGER NOT NULL,
    line_index INTEGER NOT NULL,
    node TEXT NOT NULL,
    variant_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    output TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    duration_ms REAL,
    PRIMARY KEY(run_id, line_index, node),
    FOREIGN KEY(run_id, line_index) REFERENCES lines(run_id, line_index) ON DELETE CASCADE)
    WITHOUT ROWID;
CREATE TABLE llm_calls(
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line_index INTEGER NOT NULL,
    node TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    ttft_ms REAL,
    tpot_ms REAL,
    latency_ms REAL,
    attempts INTEGER NOT NULL DEFAULT 1,
    http_status INTEGER NOT NULL DEFAULT 0,
    cache_hit INTEGER NOT NULL DEFAULT 0);
CREATE INDEX llm_calls_line ON llm_calls(run_id, line_index);
CREATE TABLE metrics(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY(run_id, name));
CREATE TABLE ratings(
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line_index INTEGER NOT NULL,
    rater TEXT NOT NULL,
    score REAL,
    comment TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL);
CREATE INDEX ratings_line ON ratings(run_id, line_index);
)sql";

// v2: per-line evaluator scores (built-in evaluators run with the line) and the response cache.
constexpr const char *kSchemaV2 = R"sql(
CREATE TABLE scores(
    run_id INTEGER NOT NULL,
    line_index INTEGER NOT NULL,
    evaluator TEXT NOT NULL,
    score REAL,
    passed INTEGER,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY(run_id, line_index, evaluator),
    FOREIGN KEY(run_id, line_index) REFERENCES lines(run_id, line_index) ON DELETE CASCADE)
    WITHOUT ROWID;
CREATE TABLE response_cache(
    key TEXT PRIMARY KEY,
    response TEXT NOT NULL,
    created_at INTEGER NOT NULL) WITHOUT ROWID;
)sql";

// v3: llm_calls keyed by (run, line, seq) WITHOUT ROWID — one b-tree instead of a rowid table
// plus an index, a quarter of what a line costs to write. `seq` is the call's place in its line
// (the order of the old ids). The reference to runs is kept as it was.
constexpr const char *kSchemaV3 = R"sql(
CREATE TABLE llm_calls_v3(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line_index INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    node TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cached_tokens INTEGER NOT NULL DEFAULT 0,
    ttft_ms REAL,
    tpot_ms REAL,
    latency_ms REAL,
    attempts INTEGER NOT NULL DEFAULT 1,
    http_status INTEGER NOT NULL DEFAULT 0,
    cache_hit INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(run_id, line_index, seq)) WITHOUT ROWID;
INSERT INTO llm_calls_v3
    SELECT run_id, line_index, row_number() OVER (PARTITION BY run_id, line_index ORDER BY id) - 1,
           node, model, prompt_tokens, completion_tokens, cached_tokens, ttft_ms, tpot_ms,
           latency_ms, attempts, http_status, cache_hit
    FROM llm_calls;
DROP TABLE llm_calls;
ALTER TABLE llm_calls_v3 RENAME TO llm_calls;
)sql";

// v4: human review. A rating says what it is (pass/fail, stars, or a comment alone); blind A/B
// preferences between two runs on one line (run_a < run_b; `preferred` NULL is a tie; `left_run`
// the run whose output was shown on the left, for position bias).
constexpr const char *kSchemaV4 = R"sql(
ALTER TABLE ratings ADD COLUMN kind TEXT NOT NULL DEFAULT '';
CREATE TABLE preferences(
    id INTEGER PRIMARY KEY,
    run_a INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    run_b INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    line_index INTEGER NOT NULL,
    rater TEXT NOT NULL,
    preferred INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    left_run INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    CHECK(run_a < run_b),
    CHECK(preferred IS NULL OR preferred = run_a OR preferred = run_b),
    CHECK(left_run = run_a OR left_run = run_b));
CREATE INDEX preferences_pair ON preferences(run_a, run_b, line_index);
CREATE INDEX preferences_run_b ON preferences(run_b);
)sql";

const std::vector<Migration> &migrations()
{
    static const std::vector<Migration> steps
        = {{1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3}, {4, kSchemaV4}};
    return steps;
}

Result<int> userVersion(SqliteConnection &conn)
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

int StoreSchema::latestVersion() { return migrations().back().version; }

Result<void> StoreSchema::migrate(SqliteConnection &conn)
{
    for (const Migration &step : migrations()) {
        // Cheap check outside a transaction first so an up-to-date open takes no write lock.
        auto current = userVersion(conn);
        if (!current) {
            return std::move(current).error();
        }
        if (*current > latestVersion()) {
            return fail(ErrorCode::Unsupported,
                        conn.path() + ": experiment store has schema version "
                            + std::to_string(*current) + ", newer than this Flowbench supports ("
                            + std::to_string(latestVersion()) + "); upgrade Flowbench");
        }
        if (*current >= step.version) {
            continue;
        }
        if (auto begun = conn.exec("BEGIN IMMEDIATE"); !begun) {
            return begun;
        }
        // Another process may have migrated between the check and the lock.
        current = userVersion(conn);
        if (current && *current < step.version) {
            const std::string setVersion = "PRAGMA user_version=" + std::to_string(step.version);
            auto applied = conn.exec(step.sql);
            if (applied) {
                applied = conn.exec(setVersion.c_str());
            }
            if (!applied) {
                (void)conn.exec("ROLLBACK");
                return fail(ErrorCode::Io, "migration to schema version "
                                               + std::to_string(step.version)
                                               + " failed: " + applied.error().message);
            }
        }
        if (auto committed = conn.exec("COMMIT"); !committed) {
            (void)conn.exec("ROLLBACK");
            return committed;
        }
    }
    return {};
}

} // namespace fb
