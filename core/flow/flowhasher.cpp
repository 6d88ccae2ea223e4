#include <core/flow/flowhasher.h>

#include <core/common/fileio.h>
#include <core/common/sha256.h>

#include <map>

namespace fb {

namespace {

Value objectOrEmpty(const Value &v) { return v.is_null() ? Value::object() : v; }

Value canonicalNode(const Node &node)
{
    Value doc = Value::object();
    doc["name"] = node.name;
    doc["type"] = node.unknownType.empty() ? nodeTypeName(node.type) : node.unknownType;
    doc["source"] = {{"type", node.source.type},
                     {"path", node.source.path},
                     {"tool", node.source.tool},
                     {"extra", objectOrEmpty(node.source.extra)}};
    // Inputs as [name, value] pairs: file order is kept, and names may repeat in an
    // invalid flow built in code.
    Value inputs = Value::array();
    for (const auto &in : node.inputs) {
        inputs.push_back(Value::array({in.name, in.value}));
    }
    doc["inputs"] = std::move(inputs);
    doc["connection"] = node.connection;
    doc["api"] = node.api;
    doc["aggregation"] = node.aggregation;
    if (node.activate) {
        doc["activate"] = {{"when", node.activate->when},
                           {"has_is", node.activate->hasIs},
                           {"is", node.activate->hasIs ? node.activate->is : Value()},
                           {"extra", objectOrEmpty(node.activate->extra)}};
    } else {
        doc["activate"] = nullptr;
    }
    doc["use_variants"] = node.useVariants;
    doc["enable_cache"] = node.enableCache;
    doc["comment"] = node.comment;
    doc["extra"] = objectOrEmpty(node.extra);
    return doc;
}

Value canonicalInput(const FlowInput &in)
{
    return {{"name", in.name},
            {"type", in.unknownType.empty() ? valueTypeName(in.type) : in.unknownType},
            {"has_default", in.defaultValue.has_value()},
            {"default", in.defaultValue.value_or(Value())},
            {"description", in.description},
            {"enum", Value(in.enumValues)},
            {"is_chat_input", in.isChatInput},
            {"is_chat_history", in.isChatHistory},
            {"extra", objectOrEmpty(in.extra)}};
}

Value canonicalOutput(const FlowOutput &out)
{
    return {{"name", out.name},
            {"type", out.unknownType.empty() ? valueTypeName(out.type) : out.unknownType},
            {"reference", out.reference},
            {"description", out.description},
            {"is_chat_output", out.isChatOutput},
            {"evaluation_only", out.evaluationOnly},
            {"extra", objectOrEmpty(out.extra)}};
}

Value canonicalNodeVariants(const NodeVariants &nv)
{
    Value variants = Value::array();
    for (const auto &v : nv.variants) {
        variants.push_back({{"id", v.id},
                            {"description", v.description},
                            {"node", canonicalNode(v.node)},
                            {"extra", objectOrEmpty(v.extra)}});
    }
    return {{"node", nv.nodeName},
            {"default_variant_id", nv.defaultVariantId},
            {"variants", std::move(variants)},
            {"extra", objectOrEmpty(nv.extra)}};
}

/// The document's top level; the lists (inputs, outputs, nodes, node_variants) are left empty
/// for canonicalForm to write an element at a time.
Value canonicalTopLevel(const Flow &flow)
{
    Value doc = Value::object();
    doc["format"] = "flowbench-canonical-flow/1";
    doc["schema"] = flow.schema;
    doc["id"] = flow.id;
    doc["name"] = flow.name;
    doc["language"] = flow.language;
    doc["message_format"] = flow.messageFormat;
    doc["environment"] = objectOrEmpty(flow.environment);
    doc["environment_variables"] = objectOrEmpty(flow.environmentVariables);
    doc["additional_includes"] = Value(flow.additionalIncludes);
    doc["inputs"] = Value::array();
    doc["outputs"] = Value::array();
    doc["nodes"] = Value::array();
    doc["node_variants"] = Value::array();
    doc["extra"] = objectOrEmpty(flow.extra);
    return doc;
}

} // namespace

std::string FlowHasher::canonicalForm(const Flow &flow)
{
    // Replace invalid UTF-8 instead of throwing: no exception may leave the core API.
    const auto dump = [](const Value &value) {
        return value.dump(-1, ' ', false, Value::error_handler_t::replace);
    };
    // The text is the compact dump of the whole document ({"key":value,...} in key order),
    // written a top-level key at a time and each list an element at a time: the document as
    // one Value held the flow twice over (400 MB for a flow of 200,000 nodes).
    std::string text;
    const auto list = [&](const auto &elements, const auto &canonical) {
        text += '[';
        for (std::size_t i = 0; i < elements.size(); ++i) {
            if (i > 0) {
                text += ',';
            }
            text += dump(canonical(elements[i]));
        }
        text += ']';
    };
    const Value doc = canonicalTopLevel(flow);
    text += '{';
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it != doc.begin()) {
            text += ',';
        }
        text += dump(Value(it.key()));
        text += ':';
        if (it.key() == "inputs") {
            list(flow.inputs, canonicalInput);
        } else if (it.key() == "outputs") {
            list(flow.outputs, canonicalOutput);
        } else if (it.key() == "nodes") {
            list(flow.nodes, canonicalNode);
        } else if (it.key() == "node_variants") {
            list(flow.nodeVariants, canonicalNodeVariants);
        } else {
            text += dump(it.value());
        }
    }
    text += '}';
    return text;
}

std::map<std::string, std::string> FlowHasher::sourceFiles(const Flow &flow)
{
    std::map<std::string, std::string> files;
    const auto collect = [&](const Node &node) {
        if (!node.source.path.empty()) {
            files.emplace(node.source.path, node.name);
        }
    };
    for (const auto &node : flow.nodes) {
        collect(node);
    }
    for (const auto &nv : flow.nodeVariants) {
        for (const auto &v : nv.variants) {
            collect(v.node);
        }
    }
    return files;
}

Result<std::string> FlowHasher::contentHash(const Flow &flow)
{
    // The owning node of each file is remembered for the error message.
    const std::map<std::string, std::string> files = sourceFiles(flow);
    Sha256 sha;
    const std::string canonical = canonicalForm(flow);
    sha.update("flowbench-flow-hash/1\n");
    sha.update(std::to_string(canonical.size()));
    sha.update(std::string_view("\0", 1));
    sha.update(canonical);
    for (const auto &[path, nodeName] : files) {
        ReadFileLimits limits;
        limits.maxBytes = kMaxSourceFileBytes;
        auto content = readFile(flow.resolvePath(path), limits);
        if (!content) {
            return fail(content.error().code, "node '" + nodeName + "': cannot hash '" + path
                                                  + "': " + content.error().message);
        }
        // Length-prefixed so that moving bytes between files or names changes the hash.
        sha.update(std::string_view("\0file\0", 6));
        sha.update(path);
        sha.update(std::string_view("\0", 1));
        sha.update(std::to_string(content->size()));
        sha.update(std::string_view("\0", 1));
        sha.update(*content);
    }
    return sha.hexDigest();
}

} // namespace fb
