#include <core/report/storedevaluatorspecs_p.h>

#include <map>

namespace fb {

std::vector<std::pair<std::string, Value>> StoredEvaluatorSpecs::of(const RunSummary &run)
{
    std::vector<std::pair<std::string, Value>> out;
    if (!run.parameters.is_object() || !run.parameters.contains("evaluators")
        || !run.parameters["evaluators"].is_array()) {
        return out;
    }
    std::map<std::string, int> unnamed;
    for (const Value &spec : run.parameters["evaluators"]) {
        if (!spec.is_object() || !spec.contains("type") || !spec["type"].is_string()) {
            continue;
        }
        if (spec.contains("name") && spec["name"].is_string()
            && !spec["name"].get<std::string>().empty()) {
            out.emplace_back(spec["name"].get<std::string>(), spec);
            continue;
        }
        const std::string type = spec["type"].get<std::string>();
        const int n = ++unnamed[type];
        out.emplace_back(n == 1 ? type : type + "_" + std::to_string(n), spec);
    }
    return out;
}

Value StoredEvaluatorSpecs::find(const RunSummary &run, const std::string &name)
{
    for (auto &[specName, spec] : of(run)) {
        if (specName == name) {
            return spec;
        }
    }
    return Value();
}

} // namespace fb
