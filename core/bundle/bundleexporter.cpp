#include <core/bundle/bundleexporter.h>

#include <core/bundle/bundleschema_p.h>
#include <core/common/fileio.h>
#include <core/common/sha256.h>
#include <core/data/datasetfingerprint.h>
#include <core/data/datasetreader.h>
#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/store/experimentstore.h>
#include <core/store/sqliteconnection_p.h>
#include <core/store/storeschema_p.h>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

namespace fb {

namespace {

namespace fs = std::filesystem;

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string joined(const std::vector<std::string> &items, const std::string &prefix = {})
{
    std::string out;
    for (const auto &item : items) {
        out += (out.empty() ? "" : ", ") + prefix + item;
    }
    return out;
}

/// Removes the temporary bundle (and any journal SQLite left beside it) unless committed.
class TemporaryFile final
{
public:
    explicit TemporaryFile(fs::path path)
        : m_path(std::move(path))
    {
        removeAll();
    }
    TemporaryFile(const TemporaryFile &) = delete;
    TemporaryFile &operator=(const TemporaryFile &) = delete;
    ~TemporaryFile() { removeAll(); }

    [[nodiscard]] const fs::path &path() const { return m_path; }

private:
    void removeAll()
    {
        std::error_code ec;
        for (const char *suffix : {"", "-journal", "-wal", "-shm"}) {
            fs::remove(m_path.string() + suffix, ec);
        }
    }
    fs::path m_path;
};

/// The runs to bundle: the given ones, the runs they evaluate, and their evaluation runs,
/// in id order. Fails naming the store and the first unknown run.
Result<std::vector<std::int64_t>> runClosure(const std::string &storePath,
                                             const std::vector<RunId> &given)
{
    if (given.empty()) {
        return fail(ErrorCode::InvalidArgument, storePath + ": no runs given to bundle");
    }
    if (auto exists = checkRegularFile(storePath); !exists) {
        return fail(exists.error().code,
                    "no experiment store at " + storePath + ": " + exists.error().message);
    }
    auto store = ExperimentStore::open(storePath);
    if (!store) {
        return std::move(store).error();
    }
    auto all = store->runs();
    if (!all) {
        return std::move(all).error();
    }
    std::map<std::int64_t, const RunSummary *> byId;
    for (const auto &r : *all) {
        byId[r.id.value] = &r;
    }
    std::set<std::int64_t> chosen;
    for (const RunId id : given) {
        if (!byId.count(id.value)) {
            return fail(ErrorCode::NotFound,
                        storePath + ": no run " + std::to_string(id.value) + " to bundle");
        }
        chosen.insert(id.value);
    }
    // Until nothing changes: a base run of a chosen one, an evaluation run of a chosen one.
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto &r : *all) {
            const bool isChosen = chosen.count(r.id.value) != 0;
            if (isChosen && r.baseRunId && byId.count(r.baseRunId->value)) {
                grew |= chosen.insert(r.baseRunId->value).second;
            }
            if (!isChosen && r.baseRunId && chosen.count(r.baseRunId->value)) {
                grew |= chosen.insert(r.id.value).second;
            }
        }
    }
    return std::vector<std::int64_t>(chosen.begin(), chosen.end());
}

/// One export: the bundle connection with the store attached as `src`.
class Export final
{
public:
    Export(SqliteConnection &conn, const BundleExportOptions &options, std::string bundlePath)
        : m_conn(conn)
        , m_options(options)
        , m_bundlePath(std::move(bundlePath))
    {
    }

    Result<void> copyRuns(const std::vector<std::int64_t> &ids);
    Result<void> addFlowFiles();
    Result<void> addDatasetRows();
    Result<void> writeManifest();

    BundleManifest manifest;

private:
    Result<void> copy(const std::string &table, const std::string &where);
    Result<std::int64_t> count(const char *sql);

    SqliteConnection &m_conn;
    const BundleExportOptions &m_options;
    std::string m_bundlePath;
};

Result<void> Export::copy(const std::string &table, const std::string &where)
{
    auto columns = BundleSchema::columns(m_conn, "main", table);
    if (!columns) {
        return std::move(columns).error();
    }
    const std::string list = joined(*columns);
    const std::string sql = "INSERT INTO main." + table + "(" + list + ") SELECT " + list
                            + " FROM src." + table + " " + where;
    if (auto done = m_conn.exec(sql.c_str()); !done) {
        return fail(ErrorCode::Io, "bundle the " + table + ": " + done.error().message);
    }
    return {};
}

Result<std::int64_t> Export::count(const char *sql)
{
    auto stmt = m_conn.prepare(sql);
    if (!stmt) {
        return std::move(stmt).error();
    }
    if (stmt->step() != SQLITE_ROW) {
        return m_conn.error("count");
    }
    return stmt->int64At(0);
}

Result<void> Export::copyRuns(const std::vector<std::int64_t> &ids)
{
    if (auto made = m_conn.exec("CREATE TEMP TABLE bundle_selection(id INTEGER PRIMARY KEY)");
        !made) {
        return made;
    }
    auto insert = m_conn.prepare("INSERT INTO temp.bundle_selection(id) VALUES(?1)");
    if (!insert) {
        return std::move(insert).error();
    }
    for (const std::int64_t id : ids) {
        insert->reset();
        insert->bindInt64(1, id);
        if (insert->step() != SQLITE_DONE) {
            return m_conn.error("select runs");
        }
    }
    const std::string selected = "(SELECT id FROM temp.bundle_selection)";
    const std::string ofRuns = " FROM src.runs WHERE id IN " + selected + ")";
    for (const auto &[table, where] : std::vector<std::pair<std::string, std::string>>{
             {"experiments", "WHERE id IN (SELECT experiment_id" + ofRuns},
             {"flows", "WHERE id IN (SELECT flow_id" + ofRuns},
             {"datasets", "WHERE id IN (SELECT dataset_id" + ofRuns},
             // Base runs before the runs that evaluate them (they are older).
             {"runs", "WHERE id IN " + selected + " ORDER BY id"}}) {
        if (auto copied = copy(table, where); !copied) {
            return copied;
        }
    }
    for (const auto &table : BundleSchema::runTables()) {
        if (auto copied = copy(table, "WHERE run_id IN " + selected); !copied) {
            return copied;
        }
    }
    // Blind A/B choices between two runs that both go.
    return copy("preferences",
                "WHERE run_a IN " + selected + " AND run_b IN " + selected + " ORDER BY id");
}

Result<void> Export::addFlowFiles()
{
    const BundleLimits &limits = m_options.limits;
    auto flows = m_conn.prepare("SELECT id, name, path, content_hash FROM main.flows ORDER BY id");
    auto insert = m_conn.prepare("INSERT INTO main.bundle_flow_files(flow_id, path, size, sha256, "
                                 "content) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!flows || !insert) {
        return m_conn.error("bundle flow files");
    }
    std::int64_t fileCount = 0;
    while (flows->step() == SQLITE_ROW) {
        BundleFlowEntry entry;
        entry.id = flows->int64At(0);
        entry.name = flows->textAt(1);
        const std::string folder = flows->textAt(2);
        entry.contentHash = flows->textAt(3);
        auto flow = m_options.flowFiles ? FlowLoader::load(folder)
                                        : Result<Flow>(fail(ErrorCode::InvalidArgument, {}));
        auto hash = flow ? FlowHasher::contentHash(*flow) : Result<std::string>(flow.error());
        if (!m_options.flowFiles) {
            entry.files = "unavailable";
            entry.note = "exported without flow files";
        } else if (!hash) {
            entry.files = "unavailable";
            entry.note = hash.error().message;
        } else if (*hash != entry.contentHash) {
            entry.files = "changed";
            entry.note = folder + " has changed since these runs (its content hash differs)";
        } else {
            entry.files = "as-run";
            std::vector<std::string> paths
                = {flow->file.lexically_relative(flow->dir).generic_string()};
            for (const auto &[path, node] : FlowHasher::sourceFiles(*flow)) {
                paths.push_back(path);
            }
            for (const auto &path : paths) {
                if (auto problem = BundleSchema::pathProblem(path, limits.maxPathBytes)) {
                    entry.files = "partial";
                    entry.note += (entry.note.empty() ? "" : "; ") + ("left out '" + path)
                                  + "': " + *problem;
                    continue;
                }
                ReadFileLimits readLimits;
                readLimits.maxBytes = limits.maxFlowFileBytes;
                auto content = readFile(flow->resolvePath(path), readLimits);
                if (!content) {
                    return fail(content.error().code,
                                "flow '" + entry.name + "': " + content.error().message);
                }
                manifest.flowFileBytes += content->size();
                if (++fileCount > limits.maxFlowFiles
                    || manifest.flowFileBytes > limits.maxFlowFilesBytes) {
                    return fail(ErrorCode::InvalidArgument,
                                m_bundlePath + ": the flow files pass the bundle's limit of "
                                    + std::to_string(limits.maxFlowFiles) + " files or "
                                    + describeByteSize(limits.maxFlowFilesBytes)
                                    + " (export without flow files)");
                }
                const std::string sha = Sha256::hex(*content);
                insert->reset();
                insert->bindInt64(1, entry.id);
                insert->bindText(2, path);
                insert->bindInt64(3, std::int64_t(content->size()));
                insert->bindText(4, sha);
                insert->bindBlob(5, *content);
                if (insert->step() != SQLITE_DONE) {
                    return m_conn.error("bundle flow file '" + path + "'");
                }
            }
        }
        manifest.flows.push_back(std::move(entry));
    }
    return {};
}

Result<void> Export::addDatasetRows()
{
    auto datasets = m_conn.prepare("SELECT id, path, fingerprint FROM main.datasets ORDER BY id");
    auto used = m_conn.prepare(
        "SELECT DISTINCT l.line_index FROM main.lines l JOIN main.runs r ON r.id = l.run_id "
        "WHERE r.dataset_id = ?1 ORDER BY 1");
    auto insert = m_conn.prepare(
        "INSERT INTO main.bundle_dataset_rows(dataset_id, row_index, row) VALUES(?1, ?2, ?3)");
    if (!datasets || !used || !insert) {
        return m_conn.error("bundle dataset rows");
    }
    while (datasets->step() == SQLITE_ROW) {
        BundleDatasetEntry entry;
        entry.id = datasets->int64At(0);
        const std::string path = datasets->textAt(1);
        entry.name = fs::path(path).filename().string();
        entry.fingerprint = datasets->textAt(2);
        auto fingerprint = m_options.datasetRows
                               ? DatasetFingerprint::compute(path)
                               : Result<std::string>(fail(ErrorCode::InvalidArgument, {}));
        if (!m_options.datasetRows) {
            entry.rows = "unavailable";
            entry.note = "exported without dataset rows";
        } else if (!fingerprint) {
            entry.rows = "unavailable";
            entry.note = fingerprint.error().message;
        } else if (*fingerprint != entry.fingerprint) {
            entry.rows = "changed";
            entry.note = path + " has changed since these runs (its fingerprint differs)";
        } else {
            entry.rows = "as-run";
            std::vector<std::int64_t> indexes;
            used->reset();
            used->bindInt64(1, entry.id);
            while (used->step() == SQLITE_ROW) {
                indexes.push_back(used->int64At(0));
            }
            // Bad rows take no index in a run (OnBadRow::Skip), so skip them here too.
            DatasetReaderOptions readerOptions;
            readerOptions.onBadRow = OnBadRow::Skip;
            auto reader = DatasetReader::open(path, readerOptions);
            if (!reader) {
                return std::move(reader).error();
            }
            std::size_t next = 0; // the first wanted index not yet reached (both ascending)
            while (next < indexes.size()) {
                auto row = reader->next();
                if (!row) {
                    return std::move(row).error();
                }
                if (!*row) {
                    break;
                }
                if ((*row)->index != indexes[next]) {
                    continue;
                }
                ++next;
                const std::string text
                    = (*row)->row.dump(-1, ' ', false, Value::error_handler_t::replace);
                manifest.datasetRowBytes += text.size();
                if (manifest.datasetRowBytes > m_options.limits.maxDatasetRowsBytes) {
                    return fail(ErrorCode::InvalidArgument,
                                m_bundlePath + ": the dataset rows pass the bundle's limit of "
                                    + describeByteSize(m_options.limits.maxDatasetRowsBytes)
                                    + " (export without dataset rows)");
                }
                insert->reset();
                insert->bindInt64(1, entry.id);
                insert->bindInt64(2, (*row)->index);
                insert->bindText(3, text);
                if (insert->step() != SQLITE_DONE) {
                    return m_conn.error("bundle dataset rows of " + path);
                }
            }
        }
        manifest.datasets.push_back(std::move(entry));
    }
    return {};
}

Result<void> Export::writeManifest()
{
    manifest.createdAtMs = nowMs();
    manifest.tool = m_options.tool.empty() ? std::string("Flowbench " FB_VERSION) : m_options.tool;
    manifest.storeSchema = StoreSchema::latestVersion();
    auto runs = m_conn.prepare("SELECT id, name, base_run_id FROM main.runs ORDER BY id");
    if (!runs) {
        return std::move(runs).error();
    }
    while (runs->step() == SQLITE_ROW) {
        manifest.runs.push_back({runs->int64At(0), runs->textAt(1), runs->int64At(2)});
    }
    BundleCounts &c = manifest.counts;
    for (const auto &[sql, field] : std::vector<std::pair<const char *, std::int64_t *>>{
             {"SELECT count(*) FROM main.runs", &c.runs},
             {"SELECT count(*) FROM main.experiments", &c.experiments},
             {"SELECT count(*) FROM main.flows", &c.flows},
             {"SELECT count(*) FROM main.datasets", &c.datasets},
             {"SELECT count(*) FROM main.lines", &c.lines},
             {"SELECT count(*) FROM main.node_results", &c.nodeResults},
             {"SELECT count(*) FROM main.llm_calls", &c.llmCalls},
             {"SELECT count(*) FROM main.scores", &c.scores},
             {"SELECT count(*) FROM main.metrics", &c.metrics},
             {"SELECT count(*) FROM main.ratings", &c.ratings},
             {"SELECT count(*) FROM main.preferences", &c.preferences},
             {"SELECT count(*) FROM main.bundle_flow_files", &c.flowFiles},
             {"SELECT count(*) FROM main.bundle_dataset_rows", &c.datasetRows}}) {
        auto n = count(sql);
        if (!n) {
            return std::move(n).error();
        }
        *field = *n;
    }
    auto insert = m_conn.prepare("INSERT INTO main.bundle_manifest(key, value) VALUES(?1, ?2)");
    if (!insert) {
        return std::move(insert).error();
    }
    const std::string version = std::to_string(manifest.formatVersion);
    const std::string json = manifest.toJson().dump(2, ' ', false, Value::error_handler_t::replace);
    for (const auto &[key, value] : std::vector<std::pair<const char *, const std::string *>>{
             {"format_version", &version}, {"manifest", &json}}) {
        insert->reset();
        insert->bindText(1, key);
        insert->bindText(2, *value);
        if (insert->step() != SQLITE_DONE) {
            return m_conn.error("write the manifest");
        }
    }
    return {};
}

} // namespace

Result<BundleManifest> BundleExporter::write(const std::string &storePath,
                                             const BundleExportOptions &options,
                                             const std::string &bundlePath)
{
    auto ids = runClosure(storePath, options.runs);
    if (!ids) {
        return std::move(ids).error();
    }
    if (std::int64_t(ids->size()) > options.limits.maxRuns) {
        return fail(ErrorCode::InvalidArgument,
                    bundlePath + ": " + std::to_string(ids->size())
                        + " runs (with their evaluation runs) are more than a bundle holds ("
                        + std::to_string(options.limits.maxRuns) + ")");
    }
    TemporaryFile temporary(temporarySibling(bundlePath));
    BundleManifest manifest;
    {
        auto conn = SqliteConnection::open(temporary.path().string());
        if (!conn) {
            return std::move(conn).error();
        }
        // One self-contained file: no WAL beside it, and a reader may open it immutable.
        if (auto mode = conn->exec("PRAGMA journal_mode=DELETE"); !mode) {
            return std::move(mode).error();
        }
        if (auto schema = StoreSchema::migrate(*conn); !schema) {
            return std::move(schema).error();
        }
        if (auto tables = BundleSchema::create(*conn); !tables) {
            return std::move(tables).error();
        }
        auto attach = conn->prepare("ATTACH DATABASE ?1 AS src");
        if (!attach) {
            return std::move(attach).error();
        }
        const std::string storeUri = SqliteConnection::uri(storePath);
        attach->bindText(1, storeUri);
        if (attach->step() != SQLITE_DONE) {
            return conn->error("attach " + storePath);
        }
        attach = SqliteStatement();
        // One transaction: the store is read as one snapshot, the bundle written at once.
        if (auto begun = conn->exec("BEGIN"); !begun) {
            return std::move(begun).error();
        }
        Export exporter(*conn, options, bundlePath);
        Result<void> done = exporter.copyRuns(*ids);
        if (done) {
            done = exporter.addFlowFiles();
        }
        if (done) {
            done = exporter.addDatasetRows();
        }
        if (done) {
            done = exporter.writeManifest();
        }
        if (done) {
            done = conn->exec("COMMIT");
        }
        if (!done) {
            (void)conn->exec("ROLLBACK");
            return std::move(done).error();
        }
        if (auto detached = conn->exec("DETACH DATABASE src"); !detached) {
            return std::move(detached).error();
        }
        manifest = std::move(exporter.manifest);
    } // the connection closes: the file is complete
    if (auto size = checkRegularFile(temporary.path(), options.limits.maxBundleBytes); !size) {
        return fail(ErrorCode::InvalidArgument,
                    bundlePath + ": the bundle would pass its size limit (" + size.error().message
                        + "); bundle fewer runs");
    }
    if (auto committed = commitFile(temporary.path(), bundlePath); !committed) {
        return std::move(committed).error();
    }
    return manifest;
}

} // namespace fb
