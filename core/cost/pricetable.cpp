#include <core/cost/pricetable.h>

#include <core/common/fileio.h>
#include <core/common/jsonvaluereader.h>
#include <core/common/utf8.h>
#include <core/common/value.h>
#include <core/cost/builtinpricing_p.h>
#include <core/cost/jsonkeylines_p.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>

namespace fb {

namespace {

using detail::JsonKeyLines;

bool allDigits(std::string_view s)
{
    return !s.empty()
           && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// `name` without one trailing date or "-latest" (or a Vertex "@date"), or nullopt.
std::optional<std::string> withoutDatedSuffix(const std::string &name)
{
    if (const auto at = name.find('@'); at != std::string::npos && at > 0) {
        return name.substr(0, at);
    }
    const std::string_view n(name);
    auto endsWithDigitsAfterDash = [&n](std::size_t digits) {
        return n.size() > digits + 1 && n[n.size() - digits - 1] == '-'
               && allDigits(n.substr(n.size() - digits));
    };
    if (n.size() > 7 && n.substr(n.size() - 7) == "-latest") {
        return name.substr(0, n.size() - 7);
    }
    // -YYYY-MM-DD (OpenAI snapshots)
    if (n.size() > 11 && n[n.size() - 11] == '-' && allDigits(n.substr(n.size() - 10, 4))
        && n[n.size() - 6] == '-' && allDigits(n.substr(n.size() - 5, 2)) && n[n.size() - 3] == '-'
        && allDigits(n.substr(n.size() - 2))) {
        return name.substr(0, n.size() - 11);
    }
    // -YYYYMMDD (Anthropic) and -MMDD (older OpenAI snapshots such as gpt-4-0613)
    if (endsWithDigitsAfterDash(8)) {
        return name.substr(0, n.size() - 9);
    }
    if (endsWithDigitsAfterDash(4)) {
        return name.substr(0, n.size() - 5);
    }
    return std::nullopt;
}

std::string lowered(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string joinPath(const JsonKeyLines::Path &path)
{
    std::string out;
    for (const auto &p : path) {
        out += (out.empty() ? "" : ".") + p;
    }
    return out;
}

/// Reads one pricing JSON text (a complete table or an override) into a table.
class PricingReader
{
public:
    PricingReader(std::string_view text, std::string origin)
        : m_text(text)
        , m_origin(std::move(origin))
    {
    }

    Result<Value> parseDocument() const
    {
        Value doc;
        if (firstInvalidUtf8(m_text) == std::string_view::npos
            && JsonValueReader::read(m_text, doc)) {
            if (!doc.is_object()) {
                return fail(ErrorCode::Parse, m_origin + ":1: expected a JSON object");
            }
            return doc;
        }
        try {
            doc = Value::parse(m_text.begin(), m_text.end());
        } catch (const Value::parse_error &e) {
            // nlohmann reports the offset just past the offending byte.
            const auto pos
                = detail::positionOfOffset(m_text, e.byte > 0 ? std::size_t(e.byte - 1) : 0);
            std::string what = e.what();
            if (const auto col = what.find("column "); col != std::string::npos) {
                if (const auto colon = what.find(": ", col); colon != std::string::npos) {
                    what = what.substr(colon + 2);
                }
            }
            return fail(ErrorCode::Parse, m_origin + ":" + std::to_string(pos.line) + ":"
                                              + std::to_string(pos.column)
                                              + ": invalid JSON: " + what);
        }
        if (!doc.is_object()) {
            return fail(ErrorCode::Parse, m_origin + ":1: expected a JSON object");
        }
        return doc;
    }

    Unexpected error(const JsonKeyLines::Path &path, const std::string &message) const
    {
        // Indexed on the first error only: a table without errors never needs it.
        if (!m_lines) {
            m_lines.emplace(m_text);
        }
        const int line = m_lines->line(path);
        return fail(ErrorCode::Parse, m_origin + ":" + std::to_string(line > 0 ? line : 1) + ": "
                                          + joinPath(path) + ": " + message);
    }

    /// Reads `doc` into the given parts of a table. `complete`: a whole table (version, as_of
    /// and models required); else an override (every key optional, models merged).
    Result<void> apply(const Value &doc, int &version, std::string &asOf,
                       std::map<std::string, ModelPrice> &models,
                       std::map<std::string, std::string> &deployments, bool complete) const
    {
        static const std::set<std::string> known
            = {"$schema", "version", "as_of",  "currency",    "unit",
               "notes",   "sources", "models", "deployments", "description"};
        for (const auto &[key, value] : doc.items()) {
            if (!known.count(key)) {
                return error({key}, "unknown key (expected one of version, as_of, currency, "
                                    "unit, notes, sources, models, deployments)");
            }
        }
        if (doc.contains("version")) {
            const Value &v = doc["version"];
            if (!v.is_number_integer() || v.get<std::int64_t>() < 1) {
                return error({"version"}, "expected an integer >= 1");
            }
            if (complete) {
                version = v.get<int>();
            }
        }
        if (doc.contains("as_of")) {
            const Value &v = doc["as_of"];
            const std::string s = v.is_string() ? v.get<std::string>() : std::string();
            if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !allDigits(s.substr(0, 4))
                || !allDigits(s.substr(5, 2)) || !allDigits(s.substr(8, 2))) {
                return error({"as_of"}, "expected a date \"YYYY-MM-DD\"");
            }
            if (complete) {
                asOf = s;
            }
        }
        if (doc.contains("currency")
            && (!doc["currency"].is_string() || doc["currency"].get<std::string>() != "USD")) {
            return error({"currency"}, "only \"USD\" is supported");
        }
        if (doc.contains("models")) {
            const Value &m = doc["models"];
            if (!m.is_object()) {
                return error({"models"}, "expected an object of model name -> prices");
            }
            for (const auto &[name, entry] : m.items()) {
                auto r = applyModel(name, entry, models);
                if (!r) {
                    return r;
                }
            }
        }
        if (doc.contains("deployments")) {
            const Value &d = doc["deployments"];
            if (!d.is_object()) {
                return error({"deployments"}, "expected an object of deployment name -> model");
            }
            for (const auto &[name, target] : d.items()) {
                if (!target.is_string() || target.get<std::string>().empty()) {
                    return error({"deployments", name}, "expected a model name");
                }
                deployments[name] = target.get<std::string>();
            }
        }
        for (const char *required : {"version", "as_of", "models"}) {
            if (complete && !doc.contains(required)) {
                return fail(ErrorCode::Parse, m_origin + ":1: " + required
                                                  + ": missing (a price table needs "
                                                    "version, as_of and models)");
            }
        }
        return {};
    }

    /// Error line for a deployment whose model is unknown (checked once models are merged).
    Unexpected unknownDeploymentModel(const std::string &name, const std::string &model) const
    {
        return error({"deployments", name},
                     "unknown model '" + model + "' (add it under \"models\" first)");
    }

private:
    Result<void> applyModel(const std::string &name, const Value &entry,
                            std::map<std::string, ModelPrice> &models) const
    {
        const JsonKeyLines::Path base = {"models", name};
        if (name.empty()) {
            return error(base, "a model name must not be empty");
        }
        if (!entry.is_object()) {
            return error(base, "expected an object with input, cached_input and output prices");
        }
        const auto existing = models.find(name);
        const bool isNew = existing == models.end();
        ModelPrice price = isNew ? ModelPrice{} : existing->second;
        price.model = name;
        bool hasInput = false;
        bool hasCached = false;
        bool hasOutput = false;
        for (const auto &[key, value] : entry.items()) {
            const JsonKeyLines::Path path = {"models", name, key};
            auto number = [&](double &out) -> Result<void> {
                if (!value.is_number() || !std::isfinite(value.get<double>())
                    || value.get<double>() < 0) {
                    return error(path, "expected a number >= 0 (USD per 1M tokens)");
                }
                out = value.get<double>();
                return {};
            };
            Result<void> r;
            if (key == "input") {
                r = number(price.input);
                hasInput = true;
            } else if (key == "cached_input") {
                r = number(price.cachedInput);
                hasCached = true;
            } else if (key == "output") {
                r = number(price.output);
                hasOutput = true;
            } else if (key == "cache_write") {
                double w = 0;
                r = number(w);
                price.cacheWrite = w;
            } else if (key == "provider" || key == "source") {
                if (!value.is_string()) {
                    return error(path, "expected a string");
                }
                (key == "provider" ? price.provider : price.source) = value.get<std::string>();
            } else if (key == "simulated") {
                if (!value.is_boolean()) {
                    return error(path, "expected true or false");
                }
                price.simulated = value.get<bool>();
            } else if (key == "aliases") {
                if (!value.is_array()) {
                    return error(path, "expected an array of model names");
                }
                for (const auto &a : value) {
                    if (!a.is_string() || a.get<std::string>().empty()) {
                        return error(path, "expected an array of model names");
                    }
                    const std::string alias = a.get<std::string>();
                    if (std::find(price.aliases.begin(), price.aliases.end(), alias)
                        == price.aliases.end()) {
                        price.aliases.push_back(alias);
                    }
                }
            } else {
                return error(path, "unknown key (expected provider, input, cached_input, "
                                   "output, cache_write, aliases, simulated, source)");
            }
            if (!r) {
                return r;
            }
        }
        if (isNew && (!hasInput || !hasOutput)) {
            return error(base, std::string("missing '") + (hasInput ? "output" : "input")
                                   + "' (a new model needs input and output prices)");
        }
        if (isNew && !hasCached) {
            price.cachedInput = price.input; // no cache discount
        }
        models[name] = std::move(price);
        return {};
    }

    std::string_view m_text;
    std::string m_origin;
    mutable std::optional<JsonKeyLines> m_lines;
};

} // namespace

Result<PriceTable> PriceTable::builtin()
{
    static const Result<PriceTable> table
        = parse(detail::builtinPricingJson(), "resources/pricing.json (built in)");
    return table;
}

Result<PriceTable> PriceTable::load(const std::filesystem::path &path)
{
    auto text = readFile(path);
    if (!text) {
        return std::move(text).error();
    }
    return parse(*text, path.string());
}

Result<PriceTable> PriceTable::parse(std::string_view json, const std::string &origin)
{
    PriceTable empty;
    if (auto r = empty.apply(json, origin, true); !r) {
        return std::move(r).error();
    }
    return empty;
}

std::optional<std::filesystem::path>
PriceTable::findWorkspaceOverride(const std::filesystem::path &dir)
{
    for (const char *name : {kOverrideFile, kOverrideFileInFolder}) {
        std::error_code ec;
        const auto candidate = dir / name;
        if (std::filesystem::is_regular_file(candidate, ec)) {
            return candidate;
        }
    }
    return std::nullopt;
}

Result<PriceTable> PriceTable::forWorkspace(const std::filesystem::path &dir)
{
    auto table = builtin();
    if (!table) {
        return table;
    }
    if (auto file = findWorkspaceOverride(dir)) {
        if (auto r = table->merge(*file); !r) {
            return std::move(r).error();
        }
    }
    return table;
}

Result<void> PriceTable::merge(const std::filesystem::path &overrideFile)
{
    auto text = readFile(overrideFile);
    if (!text) {
        return std::move(text).error();
    }
    return mergeJson(*text, overrideFile.string());
}

Result<void> PriceTable::mergeJson(std::string_view json, const std::string &origin)
{
    return apply(json, origin, false);
}

Result<void> PriceTable::apply(std::string_view json, const std::string &origin, bool complete)
{
    PricingReader reader(json, origin);
    auto doc = reader.parseDocument();
    if (!doc) {
        return std::move(doc).error();
    }
    PriceTable next = *this;
    std::map<std::string, std::string> deployments;
    int version = 0;
    std::string asOf;
    if (auto r = reader.apply(*doc, version, asOf, next.m_models, deployments, complete); !r) {
        return r;
    }
    if (complete) {
        next.m_version = version;
        next.m_asOf = asOf;
    }
    next.rebuildAliases();
    for (const auto &[key, price] : next.m_models) {
        for (const auto &alias : price.aliases) {
            if (next.m_models.count(alias) || next.m_aliases.at(alias) != key) {
                return reader.error({"models", key, "aliases"},
                                    "alias '" + alias + "' already names another model");
            }
        }
    }
    for (const auto &[name, model] : deployments) {
        if (!next.lookupResolved(model)) {
            return reader.unknownDeploymentModel(name, model);
        }
        next.m_deployments[name] = model;
    }
    next.m_origins.push_back(origin);
    *this = std::move(next);
    return {};
}

Result<void> PriceTable::mapDeployment(const std::string &deployment, const std::string &model)
{
    if (deployment.empty()) {
        return fail(ErrorCode::InvalidArgument, "a deployment name must not be empty");
    }
    if (!lookupResolved(model)) {
        return fail(ErrorCode::NotFound, "deployment '" + deployment + "': unknown model '" + model
                                             + "' in the price table");
    }
    m_deployments[deployment] = model;
    return {};
}

std::optional<ModelPrice> PriceTable::find(std::string_view model) const
{
    std::string name(model);
    if (auto d = m_deployments.find(name); d != m_deployments.end()) {
        name = d->second;
    }
    if (const ModelPrice *p = lookupResolved(name)) {
        return *p;
    }
    return std::nullopt;
}

const ModelPrice *PriceTable::lookupResolved(const std::string &name) const
{
    auto withSuffixesStripped = [this](std::string n) -> const ModelPrice * {
        for (;;) {
            if (const ModelPrice *p = lookup(n)) {
                return p;
            }
            auto stripped = withoutDatedSuffix(n);
            if (!stripped) {
                return nullptr;
            }
            n = std::move(*stripped);
        }
    };
    std::vector<std::string> candidates = {name, lowered(name)};
    if (const auto slash = name.rfind('/'); slash != std::string::npos && slash + 1 < name.size()) {
        candidates.push_back(name.substr(slash + 1));
        candidates.push_back(lowered(name.substr(slash + 1)));
    }
    for (const auto &c : candidates) {
        if (const ModelPrice *p = withSuffixesStripped(c)) {
            return p;
        }
    }
    static constexpr std::string_view simPrefix = "flowbench-sim:";
    if (name.size() > simPrefix.size()
        && std::string_view(name).substr(0, simPrefix.size()) == simPrefix) {
        return lookup(kSimulatorEntry);
    }
    return nullptr;
}

const ModelPrice *PriceTable::lookup(const std::string &name) const
{
    if (auto it = m_models.find(name); it != m_models.end()) {
        return &it->second;
    }
    if (auto a = m_aliases.find(name); a != m_aliases.end()) {
        if (auto it = m_models.find(a->second); it != m_models.end()) {
            return &it->second;
        }
    }
    return nullptr;
}

void PriceTable::rebuildAliases()
{
    m_aliases.clear();
    for (const auto &[key, price] : m_models) {
        for (const auto &alias : price.aliases) {
            m_aliases.emplace(alias, key); // first one wins; duplicates are reported by callers
        }
    }
}

} // namespace fb
