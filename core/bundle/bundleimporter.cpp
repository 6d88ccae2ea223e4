#include <core/bundle/bundleimporter.h>

#include <core/bundle/bundleschema_p.h>
#include <core/bundle/runbundle.h>
#include <core/store/experimentstore.h>
#include <core/store/sqliteconnection_p.h>

#include <sqlite3.h>

#include <map>
#include <optional>

namespace fb {

namespace {

/// One import: the store's connection with the bundle attached as `bundle`, inside the
/// transaction. Ids are mapped through temp.import_map(kind, old, new, copy).
class Import final
{
public:
    Import(SqliteConnection &conn, const RunBundle &bundle, OnPresentRun onPresent)
        : m_conn(conn)
        , m_bundle(bundle)
        , m_onPresent(onPresent)
    {
    }

    Result<void> mapVersions();
    Result<void> importRuns();
    Result<void> copyRunRows();

    BundleImportReport report;

private:
    struct BundleRun
    {
        std::int64_t id = 0;
        std::string name;
        std::int64_t createdAt = 0;
        std::string flowHash;
        std::optional<std::string> fingerprint;
        std::string variants;
        std::optional<std::int64_t> base;
    };

    Result<void> exec(const std::string &sql, const std::string &what);
    Result<std::vector<BundleRun>> bundleRuns();
    Result<std::optional<std::int64_t>> presentRun(const BundleRun &run);
    Result<std::string> freeName(const std::string &name);
    Result<std::int64_t> insertRun(const BundleRun &run, const std::string &name);

    SqliteConnection &m_conn;
    const RunBundle &m_bundle;
    OnPresentRun m_onPresent;
    std::map<std::int64_t, std::int64_t> m_runIds; // bundle id -> store id
};

Result<void> Import::exec(const std::string &sql, const std::string &what)
{
    if (auto done = m_conn.exec(sql.c_str()); !done) {
        return fail(done.error().code, done.error().message + " (while importing " + what + " from "
                                           + m_bundle.path() + ")");
    }
    return {};
}

Result<void> Import::mapVersions()
{
    // Flow and dataset versions are content-addressed: the store's own row when it has the
    // content, else a new one. Experiments: same name and creation time is the same one.
    return exec(R"sql(
CREATE TEMP TABLE import_map(kind TEXT NOT NULL, old INTEGER NOT NULL, new INTEGER NOT NULL,
                             copy INTEGER NOT NULL, PRIMARY KEY(kind, old));
INSERT INTO main.flows(content_hash, name, path, canonical, created_at)
    SELECT content_hash, name, path, canonical, created_at FROM bundle.flows WHERE true
    ON CONFLICT(content_hash) DO NOTHING;
INSERT INTO temp.import_map SELECT 'flow', b.id, m.id, 0
    FROM bundle.flows b JOIN main.flows m ON m.content_hash = b.content_hash;
INSERT INTO main.datasets(fingerprint, path, row_count, created_at)
    SELECT fingerprint, path, row_count, created_at FROM bundle.datasets WHERE true
    ON CONFLICT(fingerprint) DO NOTHING;
INSERT INTO temp.import_map SELECT 'dataset', b.id, m.id, 0
    FROM bundle.datasets b JOIN main.datasets m ON m.fingerprint = b.fingerprint;
INSERT INTO main.experiments(name, created_at)
    SELECT name, created_at FROM bundle.experiments b WHERE NOT EXISTS (
        SELECT 1 FROM main.experiments m WHERE m.name = b.name AND m.created_at = b.created_at);
INSERT INTO temp.import_map SELECT 'experiment', b.id, (
        SELECT min(m.id) FROM main.experiments m
        WHERE m.name = b.name AND m.created_at = b.created_at), 0
    FROM bundle.experiments b;
)sql",
                "flow, dataset and experiment versions");
}

Result<std::vector<Import::BundleRun>> Import::bundleRuns()
{
    auto select = m_conn.prepare(
        "SELECT r.id, r.name, r.created_at, f.content_hash, d.fingerprint, r.variants, "
        "r.base_run_id FROM bundle.runs r JOIN bundle.flows f ON f.id = r.flow_id "
        "LEFT JOIN bundle.datasets d ON d.id = r.dataset_id ORDER BY r.id");
    if (!select) {
        return std::move(select).error();
    }
    std::vector<BundleRun> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        BundleRun r;
        r.id = select->int64At(0);
        r.name = select->textAt(1);
        r.createdAt = select->int64At(2);
        r.flowHash = select->textAt(3);
        if (!select->isNull(4)) {
            r.fingerprint = select->textAt(4);
        }
        r.variants = select->textAt(5);
        r.base = select->optionalInt64At(6);
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) {
        return m_conn.error("read the runs of " + m_bundle.path());
    }
    return out;
}

Result<std::optional<std::int64_t>> Import::presentRun(const BundleRun &run)
{
    // A run's identity: when it was created, from which flow and data version, with which
    // variants. Its name is not part of it (an imported run may have been renamed).
    auto select = m_conn.prepare(
        "SELECT m.id FROM main.runs m JOIN main.flows f ON f.id = m.flow_id "
        "LEFT JOIN main.datasets d ON d.id = m.dataset_id WHERE m.created_at = ?1 "
        "AND f.content_hash = ?2 AND d.fingerprint IS ?3 AND m.variants = ?4 ORDER BY m.id");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, run.createdAt);
    select->bindText(2, run.flowHash);
    if (run.fingerprint) {
        select->bindText(3, *run.fingerprint);
    } else {
        select->bindNull(3);
    }
    select->bindText(4, run.variants);
    const int rc = select->step();
    if (rc == SQLITE_ROW) {
        return std::optional<std::int64_t>(select->int64At(0));
    }
    if (rc != SQLITE_DONE) {
        return m_conn.error("look for run '" + run.name + "'");
    }
    return std::optional<std::int64_t>();
}

Result<std::string> Import::freeName(const std::string &name)
{
    auto taken = m_conn.prepare("SELECT 1 FROM main.runs WHERE name = ?1");
    if (!taken) {
        return std::move(taken).error();
    }
    for (int n = 1; n < 10000; ++n) {
        const std::string candidate
            = n == 1 ? name : name + "-imported" + (n == 2 ? "" : "-" + std::to_string(n - 1));
        taken->reset();
        taken->bindText(1, candidate);
        const int rc = taken->step();
        if (rc == SQLITE_DONE) {
            return candidate;
        }
        if (rc != SQLITE_ROW) {
            return m_conn.error("look up run names");
        }
    }
    return fail(ErrorCode::InvalidArgument,
                m_conn.path() + ": no free name for run '" + name + "'");
}

Result<std::int64_t> Import::insertRun(const BundleRun &run, const std::string &name)
{
    auto columns = BundleSchema::columns(m_conn, "main", "runs");
    if (!columns) {
        return std::move(columns).error();
    }
    const auto mapped = [](const char *kind, const char *column) {
        return std::string("(SELECT new FROM temp.import_map WHERE kind = '") + kind
               + "' AND old = r." + column + ")";
    };
    const std::map<std::string, std::string> replaced
        = {{"name", "?2"},
           {"experiment_id", mapped("experiment", "experiment_id")},
           {"flow_id", mapped("flow", "flow_id")},
           {"dataset_id", mapped("dataset", "dataset_id")},
           {"base_run_id", mapped("run", "base_run_id")}};
    std::string into;
    std::string select;
    for (const auto &column : *columns) {
        if (column == "id") {
            continue; // a new id in the store
        }
        const auto it = replaced.find(column);
        into += (into.empty() ? "" : ", ") + column;
        select
            += (select.empty() ? "" : ", ") + (it != replaced.end() ? it->second : "r." + column);
    }
    auto insert = m_conn.prepare("INSERT INTO main.runs(" + into + ") SELECT " + select
                                 + " FROM bundle.runs r WHERE r.id = ?1");
    if (!insert) {
        return std::move(insert).error();
    }
    insert->bindInt64(1, run.id);
    insert->bindText(2, name);
    if (insert->step() != SQLITE_DONE) {
        return m_conn.error("import run '" + run.name + "'");
    }
    return m_conn.lastInsertRowId();
}

Result<void> Import::importRuns()
{
    auto runs = bundleRuns();
    if (!runs) {
        return std::move(runs).error();
    }
    auto remember = m_conn.prepare(
        "INSERT INTO temp.import_map(kind, old, new, copy) VALUES('run', ?1, ?2, ?3)");
    if (!remember) {
        return std::move(remember).error();
    }
    std::vector<bool> done(runs->size(), false);
    std::size_t remaining = runs->size();
    // A run after the run it evaluates, whatever their ids.
    while (remaining > 0) {
        const std::size_t before = remaining;
        for (std::size_t i = 0; i < runs->size(); ++i) {
            const BundleRun &run = (*runs)[i];
            if (done[i] || (run.base && !m_runIds.count(*run.base))) {
                continue;
            }
            ImportedRun outcome;
            outcome.bundleId = RunId{run.id};
            auto present = presentRun(run);
            if (!present) {
                return std::move(present).error();
            }
            if (*present) {
                if (m_onPresent == OnPresentRun::Refuse) {
                    return fail(ErrorCode::InvalidArgument,
                                m_conn.path() + " already holds run '" + run.name + "' of "
                                    + m_bundle.path() + " (as run " + std::to_string(**present)
                                    + "); nothing was imported");
                }
                outcome.skipped = true;
                outcome.storeId = RunId{**present};
                auto name = m_conn.prepare("SELECT name FROM main.runs WHERE id = ?1");
                if (!name) {
                    return std::move(name).error();
                }
                name->bindInt64(1, **present);
                outcome.name = name->step() == SQLITE_ROW ? name->textAt(0) : run.name;
            } else {
                auto name = freeName(run.name);
                if (!name) {
                    return std::move(name).error();
                }
                auto id = insertRun(run, *name);
                if (!id) {
                    return std::move(id).error();
                }
                outcome.storeId = RunId{*id};
                outcome.name = *name;
                outcome.renamed = *name != run.name;
            }
            remember->reset();
            remember->bindInt64(1, run.id);
            remember->bindInt64(2, outcome.storeId.value);
            remember->bindInt64(3, outcome.skipped ? 0 : 1);
            if (remember->step() != SQLITE_DONE) {
                return m_conn.error("map run ids");
            }
            m_runIds[run.id] = outcome.storeId.value;
            report.runs.push_back(std::move(outcome));
            done[i] = true;
            --remaining;
        }
        if (remaining == before) {
            return fail(ErrorCode::Parse,
                        m_bundle.path() + ": runs refer to base runs the bundle lacks");
        }
    }
    std::sort(report.runs.begin(), report.runs.end(),
              [](const ImportedRun &a, const ImportedRun &b) { return a.bundleId < b.bundleId; });
    return {};
}

Result<void> Import::copyRunRows()
{
    for (const auto &table : BundleSchema::runTables()) {
        auto columns = BundleSchema::columns(m_conn, "main", table);
        if (!columns) {
            return std::move(columns).error();
        }
        std::string into;
        std::string select;
        for (const auto &column : *columns) {
            if (column == "id") {
                continue; // ratings get new ids
            }
            into += (into.empty() ? "" : ", ") + column;
            select += (select.empty() ? "" : ", ") + (column == "run_id" ? "m.new" : "x." + column);
        }
        const std::string sql = "INSERT INTO main." + table + "(" + into + ") SELECT " + select
                                + " FROM bundle." + table
                                + " x JOIN temp.import_map m ON "
                                  "m.kind = 'run' AND m.old = x.run_id AND m.copy = 1";
        if (auto copied = exec(sql, table); !copied) {
            return copied;
        }
        const std::int64_t added = m_conn.changes();
        if (table == "lines") {
            report.lines = added;
        } else if (table == "scores") {
            report.scores = added;
        } else if (table == "metrics") {
            report.metrics = added;
        } else if (table == "ratings") {
            report.ratings = added;
        }
    }
    // A/B choices between two runs that both came in (a skipped run's choices stay out: its
    // copy in the store has its own).
    const std::string mapped = "JOIN temp.import_map ma ON ma.kind = 'run' AND ma.old = x.run_a "
                               "AND ma.copy = 1 "
                               "JOIN temp.import_map mb ON mb.kind = 'run' AND mb.old = x.run_b "
                               "AND mb.copy = 1";
    // New ids can swap the pair's order: run_a stays the smaller id.
    const std::string sql
        = "INSERT INTO main.preferences(run_a, run_b, line_index, rater, preferred, left_run, "
          "comment, created_at) SELECT min(ma.new, mb.new), max(ma.new, mb.new), x.line_index, "
          "x.rater, CASE x.preferred WHEN x.run_a THEN ma.new WHEN x.run_b THEN mb.new END, "
          "CASE x.left_run WHEN x.run_a THEN ma.new ELSE mb.new END, x.comment, x.created_at "
          "FROM bundle.preferences x "
        + mapped + " ORDER BY x.id";
    if (auto copied = exec(sql, "preferences"); !copied) {
        return copied;
    }
    report.preferences = m_conn.changes();
    return {};
}

} // namespace

Result<BundleImportReport> BundleImporter::import(const RunBundle &bundle,
                                                  const std::string &storePath,
                                                  OnPresentRun onPresent)
{
    {
        // Creates and migrates the store, and refuses a file that is not one.
        auto store = ExperimentStore::open(storePath);
        if (!store) {
            return std::move(store).error();
        }
    }
    auto conn = SqliteConnection::open(storePath);
    if (!conn) {
        return std::move(conn).error();
    }
    auto attach = conn->prepare("ATTACH DATABASE ?1 AS bundle");
    if (!attach) {
        return std::move(attach).error();
    }
    const std::string bundleUri = SqliteConnection::uri(bundle.path(), "mode=ro&immutable=1");
    attach->bindText(1, bundleUri);
    if (attach->step() != SQLITE_DONE) {
        return conn->error("attach " + bundle.path());
    }
    attach = SqliteStatement();
    if (auto begun = conn->exec("BEGIN IMMEDIATE"); !begun) {
        return std::move(begun).error();
    }
    Import import(*conn, bundle, onPresent);
    Result<void> done = import.mapVersions();
    if (done) {
        done = import.importRuns();
    }
    if (done) {
        done = import.copyRunRows();
    }
    if (done) {
        done = conn->exec("COMMIT");
    }
    if (!done) {
        (void)conn->exec("ROLLBACK");
        (void)conn->exec("DETACH DATABASE bundle");
        return std::move(done).error();
    }
    (void)conn->exec("DETACH DATABASE bundle");
    return std::move(import.report);
}

} // namespace fb
