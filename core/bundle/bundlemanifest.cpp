#include <core/bundle/bundlemanifest.h>

#include <limits>

namespace fb {

namespace {

// The counts in manifest order, with their JSON names.
template <typename Counts, typename Visit> void forEachCount(Counts &c, Visit visit)
{
    visit("runs", c.runs);
    visit("experiments", c.experiments);
    visit("flows", c.flows);
    visit("datasets", c.datasets);
    visit("lines", c.lines);
    visit("node_results", c.nodeResults);
    visit("llm_calls", c.llmCalls);
    visit("scores", c.scores);
    visit("metrics", c.metrics);
    visit("ratings", c.ratings);
    visit("preferences", c.preferences);
    visit("flow_files", c.flowFiles);
    visit("dataset_rows", c.datasetRows);
}

/// Reads typed fields of a JSON object and remembers the first problem, named by its path in
/// the manifest ("counts.lines", "runs[2].name").
class FieldReader
{
public:
    FieldReader(const std::string &file, std::string &problem)
        : m_file(file)
        , m_problem(problem)
    {
    }

    const Value *field(const Value &object, const char *key, const std::string &path)
    {
        if (!m_problem.empty()) {
            return nullptr;
        }
        if (!object.is_object() || !object.contains(key)) {
            fail(path, "missing");
            return nullptr;
        }
        return &object[key];
    }

    std::int64_t integer(const Value &object, const char *key, const std::string &prefix,
                         std::int64_t minimum = 0)
    {
        const std::string path = prefix + key;
        const Value *v = field(object, key, path);
        if (v == nullptr) {
            return 0;
        }
        if (!v->is_number_integer() || v->get<std::int64_t>() < minimum) {
            fail(path, "expected a whole number >= " + std::to_string(minimum));
            return 0;
        }
        return v->get<std::int64_t>();
    }

    std::string text(const Value &object, const char *key, const std::string &prefix)
    {
        const std::string path = prefix + key;
        const Value *v = field(object, key, path);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_string()) {
            fail(path, "expected a string");
            return {};
        }
        return v->get<std::string>();
    }

    const Value *array(const Value &object, const char *key)
    {
        const Value *v = field(object, key, key);
        if (v != nullptr && !v->is_array()) {
            fail(key, "expected an array");
            return nullptr;
        }
        return v;
    }

    void fail(const std::string &path, const std::string &what)
    {
        if (m_problem.empty()) {
            m_problem = m_file + ": manifest field '" + path + "': " + what;
        }
    }

private:
    const std::string &m_file;
    std::string &m_problem;
};

} // namespace

Value BundleManifest::toJson() const
{
    Value out = Value::object();
    out["format"] = kFormatName;
    out["format_version"] = formatVersion;
    out["created_at"] = createdAtMs;
    out["tool"] = tool;
    out["store_schema"] = storeSchema;
    out["runs"] = Value::array();
    for (const auto &r : runs) {
        out["runs"].push_back({{"id", r.id}, {"name", r.name}, {"base_run_id", r.baseRunId}});
    }
    out["flows"] = Value::array();
    for (const auto &f : flows) {
        out["flows"].push_back({{"id", f.id},
                                {"name", f.name},
                                {"content_hash", f.contentHash},
                                {"files", f.files},
                                {"note", f.note}});
    }
    out["datasets"] = Value::array();
    for (const auto &d : datasets) {
        out["datasets"].push_back({{"id", d.id},
                                   {"name", d.name},
                                   {"fingerprint", d.fingerprint},
                                   {"rows", d.rows},
                                   {"note", d.note}});
    }
    Value counts = Value::object();
    forEachCount(this->counts, [&](const char *name, std::int64_t n) { counts[name] = n; });
    out["counts"] = counts;
    out["flow_file_bytes"] = flowFileBytes;
    out["dataset_row_bytes"] = datasetRowBytes;
    return out;
}

Result<BundleManifest> BundleManifest::fromJson(std::string_view text, const std::string &file)
{
    const Value doc = Value::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return fail(ErrorCode::Parse, file + ": the manifest is not a JSON object");
    }
    std::string problem;
    FieldReader read(file, problem);
    BundleManifest m;
    if (read.text(doc, "format", "") != kFormatName && problem.empty()) {
        read.fail("format", std::string("expected \"") + kFormatName + "\"");
    }
    const std::int64_t version = read.integer(doc, "format_version", "", 1);
    if (problem.empty() && version != kFormatVersion) {
        return fail(ErrorCode::Unsupported,
                    file + ": bundle format version " + std::to_string(version)
                        + " is not one this Flowbench reads (it reads version "
                        + std::to_string(kFormatVersion) + ")");
    }
    m.formatVersion = int(version);
    m.createdAtMs = read.integer(doc, "created_at", "");
    m.tool = read.text(doc, "tool", "");
    m.storeSchema = int(read.integer(doc, "store_schema", "", 1));
    if (const Value *runs = read.array(doc, "runs")) {
        for (std::size_t i = 0; i < runs->size() && problem.empty(); ++i) {
            const std::string at = "runs[" + std::to_string(i) + "].";
            BundleRunEntry r;
            r.id = read.integer((*runs)[i], "id", at, 1);
            r.name = read.text((*runs)[i], "name", at);
            r.baseRunId = read.integer((*runs)[i], "base_run_id", at);
            m.runs.push_back(std::move(r));
        }
    }
    if (const Value *flows = read.array(doc, "flows")) {
        for (std::size_t i = 0; i < flows->size() && problem.empty(); ++i) {
            const std::string at = "flows[" + std::to_string(i) + "].";
            BundleFlowEntry f;
            f.id = read.integer((*flows)[i], "id", at, 1);
            f.name = read.text((*flows)[i], "name", at);
            f.contentHash = read.text((*flows)[i], "content_hash", at);
            f.files = read.text((*flows)[i], "files", at);
            f.note = read.text((*flows)[i], "note", at);
            m.flows.push_back(std::move(f));
        }
    }
    if (const Value *datasets = read.array(doc, "datasets")) {
        for (std::size_t i = 0; i < datasets->size() && problem.empty(); ++i) {
            const std::string at = "datasets[" + std::to_string(i) + "].";
            BundleDatasetEntry d;
            d.id = read.integer((*datasets)[i], "id", at, 1);
            d.name = read.text((*datasets)[i], "name", at);
            d.fingerprint = read.text((*datasets)[i], "fingerprint", at);
            d.rows = read.text((*datasets)[i], "rows", at);
            d.note = read.text((*datasets)[i], "note", at);
            m.datasets.push_back(std::move(d));
        }
    }
    if (const Value *counts = read.field(doc, "counts", "counts")) {
        forEachCount(m.counts, [&](const char *name, std::int64_t &n) {
            n = read.integer(*counts, name, "counts.");
        });
    }
    m.flowFileBytes = std::uint64_t(read.integer(doc, "flow_file_bytes", ""));
    m.datasetRowBytes = std::uint64_t(read.integer(doc, "dataset_row_bytes", ""));
    if (!problem.empty()) {
        return fail(ErrorCode::Parse, problem);
    }
    return m;
}

} // namespace fb
