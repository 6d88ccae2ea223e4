#include <core/flow/flowwriter.h>

#include <core/common/fileio.h>
#include <core/flow/yamlscalar_p.h>

#include <string>

namespace fb {

namespace {

/// Block-style YAML in promptflow's layout: two-space mappings, sequences at their key's
/// indentation ("nodes:\n- name: x"), empty containers as {} and [].
class Emitter
{
public:
    void document(const Value &doc)
    {
        if (doc.is_object() && !doc.empty()) {
            mapping(doc, 0, {});
        } else {
            m_out += scalarOrEmpty(doc) + "\n";
        }
    }

    [[nodiscard]] std::string take() { return std::move(m_out); }

private:
    static bool isInline(const Value &v) { return !(v.is_object() || v.is_array()) || v.empty(); }

    static std::string scalarOrEmpty(const Value &v)
    {
        if (v.is_object()) {
            return "{}";
        }
        if (v.is_array()) {
            return "[]";
        }
        return yamlscalar::formatScalar(v);
    }

    static std::string key(const std::string &k)
    {
        return yamlscalar::needsQuotes(k) ? yamlscalar::doubleQuoted(k) : k;
    }

    void mapping(const Value &obj, int indent, const std::string &firstPrefix)
    {
        bool first = true;
        for (const auto &[k, v] : obj.items()) {
            m_out += first ? firstPrefix : std::string(std::size_t(indent), ' ');
            first = false;
            m_out += key(k) + ":";
            if (isInline(v)) {
                m_out += " " + scalarOrEmpty(v) + "\n";
            } else if (v.is_object()) {
                m_out += "\n";
                mapping(v, indent + 2, std::string(std::size_t(indent + 2), ' '));
            } else {
                m_out += "\n";
                sequence(v, indent, std::string(std::size_t(indent), ' '));
            }
        }
    }

    void sequence(const Value &arr, int indent, const std::string &firstPrefix)
    {
        bool first = true;
        for (const auto &item : arr) {
            const std::string prefix
                = (first ? firstPrefix : std::string(std::size_t(indent), ' ')) + "- ";
            first = false;
            if (isInline(item)) {
                m_out += prefix + scalarOrEmpty(item) + "\n";
            } else if (item.is_object()) {
                mapping(item, indent + 2, prefix);
            } else {
                sequence(item, indent + 2, prefix);
            }
        }
    }

    std::string m_out;
};

void appendExtra(Value &target, const Value &extra)
{
    if (!extra.is_object()) {
        return;
    }
    for (const auto &[k, v] : extra.items()) {
        if (!target.contains(k)) {
            target[k] = v;
        }
    }
}

Value inputDoc(const FlowInput &in)
{
    Value doc = Value::object();
    doc["type"] = in.unknownType.empty() ? valueTypeName(in.type) : in.unknownType;
    if (in.defaultValue) {
        doc["default"] = *in.defaultValue;
    }
    if (!in.description.empty()) {
        doc["description"] = in.description;
    }
    if (!in.enumValues.empty()) {
        doc["enum"] = Value(in.enumValues);
    }
    if (in.isChatInput) {
        doc["is_chat_input"] = true;
    }
    if (in.isChatHistory) {
        doc["is_chat_history"] = true;
    }
    appendExtra(doc, in.extra);
    return doc;
}

Value outputDoc(const FlowOutput &out)
{
    Value doc = Value::object();
    doc["type"] = out.unknownType.empty() ? valueTypeName(out.type) : out.unknownType;
    if (!out.reference.empty()) {
        doc["reference"] = out.reference;
    }
    if (!out.description.empty()) {
        doc["description"] = out.description;
    }
    if (out.isChatOutput) {
        doc["is_chat_output"] = true;
    }
    if (out.evaluationOnly) {
        doc["evaluation_only"] = true;
    }
    appendExtra(doc, out.extra);
    return doc;
}

/// A node in promptflow's key order; `withName` is false for a variant's node.
Value nodeDoc(const Node &node, bool withName)
{
    Value doc = Value::object();
    if (withName) {
        doc["name"] = node.name;
    }
    // A variant stub takes its type from the variants; write one only if it says more.
    if (!node.unknownType.empty()) {
        doc["type"] = node.unknownType;
    } else if (!node.useVariants || node.type != NodeType::Llm) {
        doc["type"] = nodeTypeName(node.type);
    }
    const NodeSource &src = node.source;
    if (!src.type.empty() || !src.path.empty() || !src.tool.empty()
        || (src.extra.is_object() && !src.extra.empty())) {
        Value source = Value::object();
        if (!src.type.empty()) {
            source["type"] = src.type;
        }
        if (!src.path.empty()) {
            source["path"] = src.path;
        }
        if (!src.tool.empty()) {
            source["tool"] = src.tool;
        }
        appendExtra(source, src.extra);
        doc["source"] = std::move(source);
    }
    if (!node.useVariants || !node.inputs.empty()) {
        Value inputs = Value::object();
        for (const auto &in : node.inputs) {
            inputs[in.name] = in.value;
        }
        doc["inputs"] = std::move(inputs);
    }
    if (!node.connection.empty()) {
        doc["connection"] = node.connection;
    }
    if (!node.api.empty()) {
        doc["api"] = node.api;
    }
    if (node.aggregation) {
        doc["aggregation"] = true;
    }
    if (node.activate) {
        Value activate = Value::object();
        if (!node.activate->when.empty()) {
            activate["when"] = node.activate->when;
        }
        if (node.activate->hasIs) {
            activate["is"] = node.activate->is;
        }
        appendExtra(activate, node.activate->extra);
        doc["activate"] = std::move(activate);
    }
    if (node.useVariants) {
        doc["use_variants"] = true;
    }
    if (node.enableCache) {
        doc["enable_cache"] = true;
    }
    if (!node.comment.empty()) {
        doc["comment"] = node.comment;
    }
    appendExtra(doc, node.extra);
    return doc;
}

Value nodeVariantsDoc(const NodeVariants &nv)
{
    Value doc = Value::object();
    if (!nv.defaultVariantId.empty()) {
        doc["default_variant_id"] = nv.defaultVariantId;
    }
    Value variants = Value::object();
    for (const auto &variant : nv.variants) {
        Value v = Value::object();
        v["node"] = nodeDoc(variant.node, false);
        if (!variant.description.empty()) {
            v["description"] = variant.description;
        }
        appendExtra(v, variant.extra);
        variants[variant.id] = std::move(v);
    }
    doc["variants"] = std::move(variants);
    appendExtra(doc, nv.extra);
    return doc;
}

bool hasContent(const Value &v)
{
    return !v.is_null() && !((v.is_object() || v.is_array()) && v.empty());
}

Value flowDoc(const Flow &flow)
{
    Value doc = Value::object();
    const auto setText = [&](const char *key, const std::string &value) {
        if (!value.empty()) {
            doc[key] = value;
        }
    };
    setText("$schema", flow.schema);
    setText("id", flow.id);
    setText("name", flow.name);
    setText("language", flow.language);
    setText("message_format", flow.messageFormat);
    if (hasContent(flow.environment)) {
        doc["environment"] = flow.environment;
    }
    if (hasContent(flow.environmentVariables)) {
        doc["environment_variables"] = flow.environmentVariables;
    }
    if (!flow.additionalIncludes.empty()) {
        doc["additional_includes"] = Value(flow.additionalIncludes);
    }
    Value inputs = Value::object();
    for (const auto &in : flow.inputs) {
        inputs[in.name] = inputDoc(in);
    }
    doc["inputs"] = std::move(inputs);
    Value outputs = Value::object();
    for (const auto &out : flow.outputs) {
        outputs[out.name] = outputDoc(out);
    }
    doc["outputs"] = std::move(outputs);
    Value nodes = Value::array();
    for (const auto &node : flow.nodes) {
        nodes.push_back(nodeDoc(node, true));
    }
    doc["nodes"] = std::move(nodes);
    if (!flow.nodeVariants.empty()) {
        Value variants = Value::object();
        for (const auto &nv : flow.nodeVariants) {
            variants[nv.nodeName] = nodeVariantsDoc(nv);
        }
        doc["node_variants"] = std::move(variants);
    }
    appendExtra(doc, flow.extra);
    return doc;
}

} // namespace

std::string FlowWriter::toYaml(const Flow &flow)
{
    Emitter emitter;
    emitter.document(flowDoc(flow));
    return emitter.take();
}

Result<void> FlowWriter::save(const Flow &flow, const std::filesystem::path &file)
{
    const std::filesystem::path target = file.empty() ? flow.file : file;
    if (target.empty()) {
        return fail(ErrorCode::InvalidArgument, "cannot save the flow: no file name given");
    }
    return writeFileAtomically(target, toYaml(flow));
}

} // namespace fb
