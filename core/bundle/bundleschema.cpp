#include <core/bundle/bundleschema_p.h>

#include <core/store/sqliteconnection_p.h>

#include <sqlite3.h>

namespace fb {

namespace {

// Flow files are kept as bytes; a dataset row as the JSON text of its object. Both are keyed
// by the bundle's own flow/dataset ids.
constexpr const char *kBundleTables = R"sql(
CREATE TABLE bundle_manifest(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE bundle_flow_files(
    flow_id INTEGER NOT NULL REFERENCES flows(id),
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY(flow_id, path));
CREATE TABLE bundle_dataset_rows(
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    row_index INTEGER NOT NULL,
    row TEXT NOT NULL,
    PRIMARY KEY(dataset_id, row_index)) WITHOUT ROWID;
)sql";

} // namespace

Result<void> BundleSchema::create(SqliteConnection &conn)
{
    const std::string appId = "PRAGMA application_id=" + std::to_string(kApplicationId);
    if (auto set = conn.exec(appId.c_str()); !set) {
        return set;
    }
    return conn.exec(kBundleTables);
}

const std::vector<std::string> &BundleSchema::runTables()
{
    static const std::vector<std::string> tables
        = {"lines", "node_results", "llm_calls", "scores", "metrics", "ratings"};
    return tables;
}

Result<std::vector<std::string>>
BundleSchema::columns(SqliteConnection &conn, const std::string &schema, const std::string &table)
{
    // Names come from our own lists, never from input: safe to splice.
    auto info = conn.prepare("PRAGMA " + schema + ".table_info(" + table + ")");
    if (!info) {
        return std::move(info).error();
    }
    std::vector<std::string> out;
    int rc = SQLITE_ROW;
    while ((rc = info->step()) == SQLITE_ROW) {
        out.push_back(info->textAt(1));
    }
    if (rc != SQLITE_DONE || out.empty()) {
        return conn.error("read the columns of " + table);
    }
    return out;
}

std::optional<std::string> BundleSchema::pathProblem(std::string_view path, std::uint64_t maxBytes)
{
    if (path.empty()) {
        return "an empty path";
    }
    if (path.size() > maxBytes) {
        return "a path of " + std::to_string(path.size()) + " bytes, longer than the limit of "
               + std::to_string(maxBytes);
    }
    for (const char c : path) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0) {
            return "a path with a NUL byte";
        }
        if (byte < 0x20 || byte == 0x7F) {
            return "a path with a control character";
        }
        if (c == '\\') {
            return "a path with a backslash";
        }
    }
    if (path.front() == '/') {
        return "an absolute path";
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, end - start);
        if (part.empty()) {
            return "a path with an empty component";
        }
        if (part == "..") {
            return "a path that leaves the flow folder ('..')";
        }
        if (part == ".") {
            return "a path with a '.' component";
        }
        start = end + 1;
    }
    return std::nullopt;
}

} // namespace fb
