#include <core/bundle/runbundle.h>

#include <core/bundle/bundleschema_p.h>
#include <core/common/fileio.h>
#include <core/common/sha256.h>
#include <core/store/experimentstore.h>
#include <core/store/sqliteconnection_p.h>
#include <core/store/storeschema_p.h>

#include <sqlite3.h>

#include <unistd.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <utility>

namespace fb {

namespace {

namespace fs = std::filesystem;

std::uint32_t bigEndian32(const unsigned char *p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8
           | std::uint32_t(p[3]);
}

std::string hex32(std::uint32_t v)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", v);
    return text;
}

// The 100-byte SQLite header, checked before SQLite reads the file: the magic string, a
// length that matches the page count (a truncated copy is named as such, not as "corrupt"),
// and the bundle's application id (an experiment store or another program's file is not one).
// The file's size and its first 100 bytes (fewer when it is shorter), read from a descriptor
// that openRegularFile checked: a FIFO swapped in after the check is refused, not waited on.
Result<std::uint64_t> readHeader(const std::string &path, std::uint64_t maxBytes,
                                 unsigned char (&header)[100], bool &complete)
{
    auto fd = openRegularFile(path, maxBytes);
    if (!fd) {
        return std::move(fd).error();
    }
    struct stat st = {};
    std::size_t got = 0;
    if (::fstat(*fd, &st) == 0) {
        while (got < sizeof header) {
            const ssize_t n = ::read(*fd, header + got, sizeof header - got);
            if (n <= 0) {
                break;
            }
            got += std::size_t(n);
        }
    }
    ::close(*fd);
    complete = got == sizeof header;
    return std::uint64_t(st.st_size);
}

Result<void> checkHeader(const std::string &path, std::uint64_t size,
                         const unsigned char (&header)[100], bool complete)
{
    if (!complete
        || std::string_view(reinterpret_cast<const char *>(header), 16)
               != std::string_view("SQLite format 3\0", 16)) {
        return fail(ErrorCode::Parse, path + ": not a run bundle (not a SQLite file)");
    }
    const std::uint32_t appId = bigEndian32(header + 68);
    if (appId != BundleSchema::kApplicationId) {
        return fail(ErrorCode::Parse,
                    path + ": not a Flowbench run bundle (SQLite application_id " + hex32(appId)
                        + (appId == 0 ? ", as an experiment store has" : "") + ")");
    }
    std::uint32_t pageSize = std::uint32_t(header[16]) << 8 | header[17];
    if (pageSize == 1) {
        pageSize = 65536;
    }
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0) {
        return fail(ErrorCode::Parse,
                    path + ": damaged SQLite header (page size " + std::to_string(pageSize) + ")");
    }
    if (header[18] != 1 || header[19] != 1) {
        // WAL mode: part of the content could live in a -wal file beside it.
        return fail(ErrorCode::Parse, path + ": not a self-contained run bundle (WAL mode)");
    }
    const std::uint32_t changeCounter = bigEndian32(header + 24);
    const std::uint32_t pageCount = bigEndian32(header + 28);
    const std::uint32_t validFor = bigEndian32(header + 92);
    const std::uint64_t expected = std::uint64_t(pageCount) * pageSize;
    if ((validFor == changeCounter && pageCount != 0 && size < expected) || size % pageSize != 0) {
        return fail(ErrorCode::Parse,
                    path + ": truncated: the file has " + std::to_string(size)
                        + " bytes, its header says "
                        + std::to_string(validFor == changeCounter ? expected : size));
    }
    return {};
}

} // namespace

class RunBundle::Private
{
public:
    std::string path;
    SqliteConnection conn;
    BundleManifest manifest;
    std::uint64_t fileSize = 0;
    BundleLimits limits;

    Result<std::int64_t> integer(const std::string &sql, const char *what)
    {
        auto stmt = conn.prepare(sql);
        if (!stmt || stmt->step() != SQLITE_ROW) {
            return bad(std::string(what) + ": " + reason("read"));
        }
        return stmt->int64At(0);
    }

    // The connection's last error without the path it starts with (bad() adds it).
    std::string reason(std::string_view context) const
    {
        std::string message = conn.error(context).message;
        if (message.starts_with(path + ": ")) {
            message.erase(0, path.size() + 2);
        }
        return message;
    }

    Unexpected bad(const std::string &what) const
    {
        return fail(ErrorCode::Parse, path + ": " + what);
    }

    Result<void> checkIntegrity();
    Result<void> readManifest();
    Result<void> checkCounts();
    Result<void> checkFlowFiles();
    // Writes `planned` files (each under its folder below `dir`) after checking every target.
    Result<std::vector<fs::path>>
    extract(const RunBundle &bundle,
            const std::vector<std::pair<BundleFlowFile, fs::path>> &planned, const fs::path &dir,
            bool overwrite) const;
};

Result<void> RunBundle::Private::checkIntegrity()
{
    auto check = conn.prepare("PRAGMA quick_check(5)");
    if (!check) {
        return bad("damaged (" + reason("quick_check") + ")");
    }
    std::string problems;
    int rc = SQLITE_ROW;
    while ((rc = check->step()) == SQLITE_ROW) {
        const std::string line = check->textAt(0);
        if (line != "ok") {
            problems += (problems.empty() ? "" : "; ") + line;
        }
    }
    if (rc != SQLITE_DONE) {
        return bad("damaged (" + reason("quick_check") + ")");
    }
    if (!problems.empty()) {
        return bad("damaged (" + problems + ")");
    }
    auto version = integer("PRAGMA user_version", "read the schema version");
    if (!version) {
        return std::move(version).error();
    }
    if (*version != StoreSchema::latestVersion()) {
        return fail(ErrorCode::Unsupported, path + ": the bundle holds store schema version "
                                                + std::to_string(*version)
                                                + "; this Flowbench reads version "
                                                + std::to_string(StoreSchema::latestVersion()));
    }
    return {};
}

Result<void> RunBundle::Private::readManifest()
{
    auto select = conn.prepare("SELECT length(CAST(value AS BLOB)), value FROM bundle_manifest "
                               "WHERE key = ?1");
    if (!select) {
        return bad("no manifest (" + reason("read") + ")");
    }
    select->bindText(1, "format_version");
    if (select->step() != SQLITE_ROW) {
        return bad("no manifest (no format_version)");
    }
    const std::string version = select->textAt(1);
    if (version != std::to_string(BundleManifest::kFormatVersion)) {
        return fail(ErrorCode::Unsupported,
                    path + ": bundle format version '" + version.substr(0, 32)
                        + "' is not one this Flowbench reads (it reads version "
                        + std::to_string(BundleManifest::kFormatVersion) + ")");
    }
    select->reset();
    select->bindText(1, "manifest");
    if (select->step() != SQLITE_ROW) {
        return bad("no manifest");
    }
    if (std::uint64_t(select->int64At(0)) > limits.maxManifestBytes) {
        return bad("the manifest is "
                   + describeSizeOverLimit(select->int64At(0), limits.maxManifestBytes));
    }
    auto parsed = BundleManifest::fromJson(select->textViewAt(1), path);
    if (!parsed) {
        return std::move(parsed).error();
    }
    manifest = std::move(*parsed);
    if (manifest.storeSchema != StoreSchema::latestVersion()) {
        return bad("manifest field 'store_schema' is " + std::to_string(manifest.storeSchema)
                   + ", the file's schema is " + std::to_string(StoreSchema::latestVersion()));
    }
    return {};
}

Result<void> RunBundle::Private::checkCounts()
{
    const BundleCounts &c = manifest.counts;
    for (const auto &[table, field, stated] :
         std::vector<std::tuple<std::string, std::string, std::int64_t>>{
             {"runs", "runs", c.runs},
             {"experiments", "experiments", c.experiments},
             {"flows", "flows", c.flows},
             {"datasets", "datasets", c.datasets},
             {"lines", "lines", c.lines},
             {"node_results", "node_results", c.nodeResults},
             {"llm_calls", "llm_calls", c.llmCalls},
             {"scores", "scores", c.scores},
             {"metrics", "metrics", c.metrics},
             {"ratings", "ratings", c.ratings},
             {"preferences", "preferences", c.preferences},
             {"bundle_flow_files", "flow_files", c.flowFiles},
             {"bundle_dataset_rows", "dataset_rows", c.datasetRows}}) {
        auto n = integer("SELECT count(*) FROM " + table, "count the rows");
        if (!n) {
            return std::move(n).error();
        }
        if (*n != stated) {
            return bad("manifest field 'counts." + field + "' says " + std::to_string(stated)
                       + ", the bundle holds " + std::to_string(*n));
        }
    }
    if (c.runs > limits.maxRuns) {
        return bad(std::to_string(c.runs) + " runs, more than the limit of "
                   + std::to_string(limits.maxRuns));
    }
    if (std::int64_t(manifest.runs.size()) != c.runs) {
        return bad("manifest field 'runs' lists " + std::to_string(manifest.runs.size())
                   + " runs, the bundle holds " + std::to_string(c.runs));
    }
    auto runs = conn.prepare("SELECT id, name FROM runs ORDER BY id");
    if (!runs) {
        return std::move(runs).error();
    }
    std::set<std::pair<std::int64_t, std::string>> stored;
    while (runs->step() == SQLITE_ROW) {
        stored.emplace(runs->int64At(0), runs->textAt(1));
    }
    for (std::size_t i = 0; i < manifest.runs.size(); ++i) {
        if (!stored.count({manifest.runs[i].id, manifest.runs[i].name})) {
            return bad("manifest field 'runs[" + std::to_string(i) + "]' names run "
                       + std::to_string(manifest.runs[i].id) + " '" + manifest.runs[i].name
                       + "', which the bundle does not hold");
        }
    }
    // Rows that point at rows the bundle lacks (a line of a missing run, a file of a missing
    // flow) would read as nonsense later.
    auto orphans = conn.prepare("PRAGMA foreign_key_check");
    if (!orphans) {
        return std::move(orphans).error();
    }
    if (orphans->step() == SQLITE_ROW) {
        return bad("table '" + orphans->textAt(0) + "' has rows that refer to missing '"
                   + orphans->textAt(2) + "' rows");
    }
    auto rows = integer("SELECT coalesce(sum(length(CAST(row AS BLOB))), 0) "
                        "FROM bundle_dataset_rows",
                        "measure the dataset rows");
    if (!rows) {
        return std::move(rows).error();
    }
    if (std::uint64_t(*rows) > limits.maxDatasetRowsBytes) {
        return bad("dataset rows of "
                   + describeSizeOverLimit(std::uint64_t(*rows), limits.maxDatasetRowsBytes));
    }
    return {};
}

Result<void> RunBundle::Private::checkFlowFiles()
{
    if (manifest.counts.flowFiles > limits.maxFlowFiles) {
        return bad(std::to_string(manifest.counts.flowFiles)
                   + " flow files, more than the limit of " + std::to_string(limits.maxFlowFiles));
    }
    auto files = conn.prepare("SELECT flow_id, CAST(path AS BLOB), size, "
                              "length(CAST(content AS BLOB)) FROM bundle_flow_files");
    if (!files) {
        return std::move(files).error();
    }
    std::uint64_t total = 0;
    int rc = SQLITE_ROW;
    while ((rc = files->step()) == SQLITE_ROW) {
        // Read as a blob: a NUL inside the path is kept and refused, not cut off.
        const std::string path = files->blobAt(1);
        const std::string shown = std::string(path.c_str()).substr(0, 200);
        if (auto problem = BundleSchema::pathProblem(path, limits.maxPathBytes)) {
            return bad("flow file path '" + shown + "' (bundle_flow_files.path): " + *problem);
        }
        const std::int64_t size = files->int64At(2);
        const std::int64_t actual = files->int64At(3);
        if (size != actual) {
            return bad("flow file '" + shown + "': bundle_flow_files.size says "
                       + std::to_string(size) + " bytes, it holds " + std::to_string(actual));
        }
        if (std::uint64_t(actual) > limits.maxFlowFileBytes) {
            return bad("flow file '" + shown + "' of "
                       + describeSizeOverLimit(std::uint64_t(actual), limits.maxFlowFileBytes));
        }
        total += std::uint64_t(actual);
        if (total > limits.maxFlowFilesBytes) {
            return bad("flow files of more than the limit of "
                       + describeByteSize(limits.maxFlowFilesBytes) + " together");
        }
    }
    if (rc != SQLITE_DONE) {
        return bad(reason("read flow files"));
    }
    if (total != manifest.flowFileBytes) {
        return bad("manifest field 'flow_file_bytes' says " + std::to_string(manifest.flowFileBytes)
                   + ", the flow files hold " + std::to_string(total));
    }
    return {};
}

RunBundle::RunBundle(std::unique_ptr<Private> priv)
    : d(std::move(priv))
{
}

RunBundle::RunBundle(RunBundle &&other) noexcept = default;
RunBundle &RunBundle::operator=(RunBundle &&other) noexcept = default;
RunBundle::~RunBundle() = default;

Result<RunBundle> RunBundle::open(const std::string &path, const BundleLimits &limits)
{
    // Refuses FIFOs, devices and folders before opening, and anything over the size limit.
    unsigned char header[100] = {};
    bool complete = false;
    auto size = readHeader(path, limits.maxBundleBytes, header, complete);
    if (!size) {
        // Not a regular file, or too large: the bundle is refused (Parse); I/O stays I/O.
        const ErrorCode code = size.error().code == ErrorCode::InvalidArgument ? ErrorCode::Parse
                                                                               : size.error().code;
        return fail(code, "cannot open run bundle: " + size.error().message);
    }
    if (auto checked = checkHeader(path, *size, header, complete); !checked) {
        return std::move(checked).error();
    }
    auto priv = std::make_unique<Private>();
    priv->path = path;
    priv->fileSize = *size;
    priv->limits = limits;
    auto conn = SqliteConnection::openReadOnly(path);
    if (!conn) {
        return std::move(conn).error();
    }
    priv->conn = std::move(*conn);
    for (auto step : {&Private::checkIntegrity, &Private::readManifest, &Private::checkCounts,
                      &Private::checkFlowFiles}) {
        if (auto checked = ((*priv).*step)(); !checked) {
            return std::move(checked).error();
        }
    }
    return RunBundle(std::move(priv));
}

bool RunBundle::isBundleFile(const std::string &path)
{
    if (!checkRegularFile(path)) {
        return false;
    }
    unsigned char header[100] = {};
    std::ifstream in(path, std::ios::binary);
    return in.read(reinterpret_cast<char *>(header), sizeof header)
           && std::string_view(reinterpret_cast<const char *>(header), 16)
                  == std::string_view("SQLite format 3\0", 16)
           && bigEndian32(header + 68) == BundleSchema::kApplicationId;
}

const std::string &RunBundle::path() const { return d->path; }

const BundleManifest &RunBundle::manifest() const { return d->manifest; }

std::uint64_t RunBundle::fileSize() const { return d->fileSize; }

Result<ExperimentStore> RunBundle::openStore() const
{
    return ExperimentStore::openReadOnly(d->path);
}

Result<std::vector<BundleFlowFile>> RunBundle::flowFiles(FlowVersionId flow) const
{
    auto select = d->conn.prepare("SELECT flow_id, path, size, sha256 FROM bundle_flow_files "
                                  "WHERE ?1 = 0 OR flow_id = ?1 ORDER BY flow_id, path");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, flow.value);
    std::vector<BundleFlowFile> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        out.push_back({FlowVersionId{select->int64At(0)}, select->textAt(1),
                       std::uint64_t(select->int64At(2)), select->textAt(3)});
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read flow files");
    }
    return out;
}

Result<std::string> RunBundle::flowFileContent(FlowVersionId flow, const std::string &path) const
{
    auto select = d->conn.prepare("SELECT content, sha256 FROM bundle_flow_files "
                                  "WHERE flow_id = ?1 AND path = ?2");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, flow.value);
    select->bindText(2, path);
    if (select->step() != SQLITE_ROW) {
        return fail(ErrorCode::NotFound, d->path + ": no flow file '" + path + "' of flow "
                                             + std::to_string(flow.value));
    }
    std::string content = select->blobAt(0);
    if (Sha256::hex(content) != select->textAt(1)) {
        return d->bad("flow file '" + path + "': its bytes do not match its SHA-256");
    }
    return content;
}

Result<std::vector<BundleDatasetRow>>
RunBundle::datasetRows(DatasetVersionId dataset, std::int64_t after, std::int64_t limit) const
{
    auto select = d->conn.prepare("SELECT row_index, row FROM bundle_dataset_rows "
                                  "WHERE dataset_id = ?1 AND row_index > ?2 "
                                  "ORDER BY row_index LIMIT ?3");
    if (!select) {
        return std::move(select).error();
    }
    select->bindInt64(1, dataset.value);
    select->bindInt64(2, after);
    select->bindInt64(3, limit);
    std::vector<BundleDatasetRow> out;
    int rc = SQLITE_ROW;
    while ((rc = select->step()) == SQLITE_ROW) {
        const std::string_view text = select->textViewAt(1);
        Value row = Value::parse(text.begin(), text.end(), nullptr, false);
        if (row.is_discarded()) {
            return d->bad("dataset row " + std::to_string(select->int64At(0))
                          + " (bundle_dataset_rows.row) is not JSON");
        }
        out.push_back({dataset, select->int64At(0), std::move(row)});
    }
    if (rc != SQLITE_DONE) {
        return d->conn.error("read dataset rows");
    }
    return out;
}

Result<std::vector<fs::path>> RunBundle::extractFlow(FlowVersionId flow, const fs::path &dir,
                                                     bool overwrite) const
{
    auto files = flowFiles(flow);
    if (!files) {
        return std::move(files).error();
    }
    if (files->empty()) {
        return fail(ErrorCode::NotFound,
                    d->path + ": the bundle holds no files of flow " + std::to_string(flow.value));
    }
    std::vector<std::pair<BundleFlowFile, fs::path>> planned;
    for (auto &file : *files) {
        planned.emplace_back(std::move(file), fs::path());
    }
    return d->extract(*this, planned, dir, overwrite);
}

Result<std::vector<fs::path>> RunBundle::extractFlows(const fs::path &dir, bool overwrite) const
{
    std::vector<std::pair<BundleFlowFile, fs::path>> planned;
    for (const auto &flow : d->manifest.flows) {
        auto files = flowFiles(FlowVersionId{flow.id});
        if (!files) {
            return std::move(files).error();
        }
        for (auto &file : *files) {
            planned.emplace_back(std::move(file), fs::path(flowFolderName(flow)));
        }
    }
    if (planned.empty()) {
        return fail(ErrorCode::NotFound, d->path + ": the bundle holds no flow files");
    }
    return d->extract(*this, planned, dir, overwrite);
}

std::string RunBundle::flowFolderName(const BundleFlowEntry &flow)
{
    std::string folder = std::to_string(flow.id) + "-";
    for (const char c : flow.name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                           || (c >= '0' && c <= '9') || c == '_' || c == '-';
        folder += plain ? c : '_';
    }
    return folder;
}

Result<std::vector<fs::path>>
RunBundle::Private::extract(const RunBundle &bundle,
                            const std::vector<std::pair<BundleFlowFile, fs::path>> &planned,
                            const fs::path &dir, bool overwrite) const
{
    // Check every target before writing any: nothing through a symbolic link below `dir`,
    // nothing over an existing file unless asked.
    std::error_code ec;
    std::vector<fs::path> targets;
    for (const auto &[file, folder] : planned) {
        if (auto problem = BundleSchema::pathProblem(file.path, limits.maxPathBytes)) {
            return bad("flow file path '" + file.path + "': " + *problem);
        }
        const fs::path relative = folder / fs::path(file.path);
        fs::path at = dir;
        for (auto part = relative.begin(); part != relative.end(); ++part) {
            at /= *part;
            const bool last = std::next(part) == relative.end();
            const fs::file_status status = fs::symlink_status(at, ec);
            if (fs::is_symlink(status)) {
                return fail(ErrorCode::InvalidArgument, at.string()
                                                            + " is a symbolic link: not writing '"
                                                            + file.path + "' through it");
            }
            if (!fs::exists(status)) {
                continue;
            }
            if (!last && !fs::is_directory(status)) {
                return fail(ErrorCode::InvalidArgument,
                            at.string() + " is in the way of '" + file.path + "'");
            }
            if (last && (!fs::is_regular_file(status) || !overwrite)) {
                return fail(ErrorCode::InvalidArgument,
                            at.string() + " exists" + (overwrite ? " and is not a file" : "")
                                + "; not overwriting it");
            }
        }
        targets.push_back(dir / relative);
    }
    // Every file's bytes checked against its SHA-256 before any is written (at most
    // maxFlowFilesBytes together, as open() checked).
    std::vector<std::string> contents;
    for (const auto &[file, folder] : planned) {
        auto content = bundle.flowFileContent(file.flow, file.path);
        if (!content) {
            return std::move(content).error();
        }
        contents.push_back(std::move(*content));
    }
    for (std::size_t i = 0; i < planned.size(); ++i) {
        fs::create_directories(targets[i].parent_path(), ec);
        if (ec) {
            return fail(ErrorCode::Io, targets[i].parent_path().string() + ": " + ec.message());
        }
        if (auto written = writeFileAtomically(targets[i], contents[i]); !written) {
            return std::move(written).error();
        }
    }
    return targets;
}

} // namespace fb
