#include <core/exec/columnmapping.h>

#include <algorithm>

namespace fb {

namespace {

struct Source
{
    enum class Kind { Literal, Data, RunOutputs, RunInputs };
    Kind kind = Kind::Literal;
    std::string name;
};

Result<Source> classify(const std::string &input, const Value &value)
{
    Source s;
    if (!value.is_string()) {
        return s;
    }
    const std::string text = value.get<std::string>();
    if (text.size() < 4 || text.rfind("${", 0) != 0 || text.back() != '}') {
        return s;
    }
    const std::string inner = text.substr(2, text.size() - 3);
    auto take = [&](const char *prefix, Source::Kind kind) -> bool {
        const std::string p = prefix;
        if (inner.rfind(p, 0) == 0 && inner.size() > p.size()) {
            s.kind = kind;
            s.name = inner.substr(p.size());
            return true;
        }
        return false;
    };
    if (take("data.", Source::Kind::Data) || take("run.outputs.", Source::Kind::RunOutputs)
        || take("run.inputs.", Source::Kind::RunInputs)) {
        return s;
    }
    return fail(ErrorCode::InvalidArgument,
                "column mapping for input '" + input + "': '" + text
                    + "' is not ${data.COLUMN}, ${run.outputs.NAME} or ${run.inputs.NAME}");
}

} // namespace

Result<ColumnMapping> ColumnMapping::parse(const std::vector<std::string> &pairs)
{
    Value object = Value::object();
    for (const auto &pair : pairs) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0) {
            return fail(ErrorCode::InvalidArgument, "column mapping '" + pair
                                                        + "': expected INPUT=VALUE, e.g. "
                                                          "question=${data.question}");
        }
        object[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    return fromJson(object);
}

Result<ColumnMapping> ColumnMapping::fromJson(const Value &object)
{
    if (!object.is_object()) {
        return fail(ErrorCode::InvalidArgument, "column mapping must be an object of input: value");
    }
    ColumnMapping mapping;
    for (const auto &[input, value] : object.items()) {
        auto source = classify(input, value);
        if (!source) {
            return std::move(source).error();
        }
        mapping.m_entries[input] = value;
    }
    return mapping;
}

Value ColumnMapping::toJson() const
{
    Value out = Value::object();
    for (const auto &[k, v] : m_entries) {
        out[k] = v;
    }
    return out;
}

Result<ColumnMapping::LineOutcome>
ColumnMapping::resolve(const Flow &flow, const Value &dataRow, const Value *baseOutputs,
                       const Value *baseInputs, const std::string &where, Value &inputs) const
{
    inputs = Value::object();
    for (const auto &input : flow.inputs) {
        const auto it = m_entries.find(input.name);
        if (it == m_entries.end()) {
            if (input.defaultValue) {
                continue; // the executor applies the default
            }
            if (dataRow.is_object() && dataRow.contains(input.name)) {
                inputs[input.name] = dataRow.at(input.name);
            }
            continue; // else: the executor reports the missing input
        }
        auto source = classify(input.name, it->second);
        if (!source) {
            return std::move(source).error();
        }
        switch (source->kind) {
        case Source::Kind::Literal:
            inputs[input.name] = it->second;
            break;
        case Source::Kind::Data:
            if (!dataRow.is_object() || !dataRow.contains(source->name)) {
                return fail(ErrorCode::InvalidArgument,
                            where + ": no column '" + source->name + "' for input '" + input.name
                                + "' (mapped as ${data." + source->name + "})");
            }
            inputs[input.name] = dataRow.at(source->name);
            break;
        case Source::Kind::RunOutputs:
        case Source::Kind::RunInputs: {
            const Value *base = source->kind == Source::Kind::RunOutputs ? baseOutputs : baseInputs;
            if (!base) {
                return LineOutcome::Drop;
            }
            if (!base->is_object() || !base->contains(source->name)) {
                return fail(ErrorCode::InvalidArgument,
                            where + ": the base run's line has no "
                                + (source->kind == Source::Kind::RunOutputs ? "output" : "input")
                                + " '" + source->name + "' for input '" + input.name + "'");
            }
            inputs[input.name] = base->at(source->name);
            break;
        }
        }
    }
    return LineOutcome::Run;
}

Result<std::vector<std::string>> ColumnMapping::check(const Flow &flow,
                                                      const std::vector<std::string> &columns,
                                                      bool hasBaseRun) const
{
    std::vector<std::string> warnings;
    auto hasColumn = [&columns](const std::string &c) {
        return std::find(columns.begin(), columns.end(), c) != columns.end();
    };
    for (const auto &[input, value] : m_entries) {
        if (!flow.input(input)) {
            return fail(ErrorCode::InvalidArgument, "column mapping names '" + input
                                                        + "', which is not an input of "
                                                        + flow.file.string());
        }
        auto source = classify(input, value);
        if (!source) {
            return std::move(source).error();
        }
        if (source->kind == Source::Kind::Data && !columns.empty() && !hasColumn(source->name)) {
            return fail(ErrorCode::InvalidArgument, "column mapping for input '" + input
                                                        + "': the data has no column '"
                                                        + source->name + "'");
        }
        if ((source->kind == Source::Kind::RunOutputs || source->kind == Source::Kind::RunInputs)
            && !hasBaseRun) {
            return fail(ErrorCode::InvalidArgument, "column mapping for input '" + input
                                                        + "' uses ${run...}, but no base run "
                                                          "was given");
        }
    }
    for (const auto &input : flow.inputs) {
        if (m_entries.count(input.name)) {
            continue;
        }
        if (input.defaultValue && hasColumn(input.name)) {
            warnings.push_back("input '" + input.name
                               + "' is filled by its default, not by the "
                                 "same-named data column (promptflow's rule); map it explicitly "
                                 "with "
                               + input.name + "=${data." + input.name + "} to use the column");
        } else if (!input.defaultValue && !input.isChatHistory && !hasColumn(input.name)) {
            return fail(ErrorCode::InvalidArgument,
                        "input '" + input.name
                            + "' has no default, no mapping and no same-named data column");
        }
    }
    return warnings;
}

} // namespace fb
