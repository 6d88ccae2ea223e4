#include <core/experiment/evaluatorspec.h>

#include <core/eval/evaluatorregistry.h>

#include <map>

namespace fb {

namespace {

std::string trim(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return {};
    }
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

} // namespace

Result<Value> EvaluatorSpec::parse(const std::string &text)
{
    const std::string t = trim(text);
    if (t.empty()) {
        return fail(ErrorCode::InvalidArgument, "--evaluator: empty spec");
    }
    if (t.front() == '{') {
        Value v = Value::parse(t, nullptr, false);
        if (v.is_discarded() || !v.is_object()) {
            return fail(ErrorCode::InvalidArgument,
                        "--evaluator '" + t + "': not a JSON object");
        }
        if (!v.contains("type") || !v["type"].is_string()) {
            return fail(ErrorCode::InvalidArgument,
                        "--evaluator '" + t + "': needs a string \"type\"");
        }
        return v;
    }
    Value v = Value::object();
    const auto colon = t.find(':');
    v["type"] = trim(t.substr(0, colon));
    if (colon == std::string::npos) {
        return v;
    }
    // KEY=VALUE pairs split on commas that start a new KEY= (values may contain commas).
    const std::string rest = t.substr(colon + 1);
    std::vector<std::string> parts;
    std::string current;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == ',') {
            const auto eq = rest.find('=', i + 1);
            const auto nextComma = rest.find(',', i + 1);
            if (eq != std::string::npos && (nextComma == std::string::npos || eq < nextComma)) {
                parts.push_back(current);
                current.clear();
                continue;
            }
        }
        current += rest[i];
    }
    parts.push_back(current);
    for (const auto &part : parts) {
        const auto eq = part.find('=');
        if (eq == std::string::npos || trim(part.substr(0, eq)).empty()) {
            return fail(ErrorCode::InvalidArgument,
                        "--evaluator '" + t + "': expected KEY=VALUE, got '" + part + "'");
        }
        const std::string key = trim(part.substr(0, eq));
        const std::string raw = trim(part.substr(eq + 1));
        Value parsed = Value::parse(raw, nullptr, false);
        v[key] = parsed.is_discarded() || parsed.is_string() ? Value(raw) : parsed;
    }
    return v;
}

Result<std::vector<BatchEvaluator>> EvaluatorSpec::build(const Value &specs,
                                                         const EvaluatorRegistry &registry)
{
    std::vector<BatchEvaluator> out;
    if (specs.is_null()) {
        return out;
    }
    if (!specs.is_array()) {
        return fail(ErrorCode::InvalidArgument, "evaluators must be a list of specs");
    }
    std::map<std::string, int> seen;
    for (const Value &spec : specs) {
        if (!spec.is_object() || !spec.contains("type") || !spec["type"].is_string()) {
            return fail(ErrorCode::InvalidArgument,
                        "evaluator spec " + spec.dump() + " needs a string \"type\"");
        }
        Value options = spec;
        BatchEvaluator e;
        const std::string type = spec["type"].get<std::string>();
        auto take = [&](const char *key, std::string &into) -> Result<void> {
            if (!options.contains(key)) {
                return {};
            }
            if (!options[key].is_string()) {
                return fail(ErrorCode::InvalidArgument, "evaluator '" + type + "': '" + key
                                                            + "' must be text (a column or output name)");
            }
            into = options[key].get<std::string>();
            options.erase(key);
            return {};
        };
        for (auto [key, into] : {std::pair{"name", &e.name}, std::pair{"output", &e.output},
                                 std::pair{"reference", &e.referenceColumn},
                                 std::pair{"question", &e.questionColumn},
                                 std::pair{"context", &e.contextColumn}}) {
            if (auto ok = take(key, *into); !ok) {
                return std::move(ok).error();
            }
        }
        auto built = registry.create(options);
        if (!built) {
            return fail(built.error().code, "--evaluator " + spec.dump() + ": " + built.error().message);
        }
        e.evaluator = std::shared_ptr<const Evaluator>(std::move(*built));
        if (e.name.empty()) {
            const int n = ++seen[type];
            e.name = n == 1 ? type : type + "_" + std::to_string(n);
        }
        for (const auto &other : out) {
            if (other.name == e.name) {
                return fail(ErrorCode::InvalidArgument,
                            "two evaluators are named '" + e.name + "'; give one a name=...");
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace fb
