#include <core/flow/flowloader.h>

#include <core/common/fileio.h>
#include <core/flow/yamlscalar_p.h>
#include <core/flow/yamltree_p.h>

#include <functional>
#include <set>
#include <utility>

namespace fb {

namespace {

/// Thrown inside the loader only; caught in loadFromString so no exception leaves the API.
struct LoadFailure
{
    Error error;
};

using YamlNode = YamlTree::Node;

SourcePos positionOf(const YamlNode &node) { return node.pos(); }

std::string quote(const std::string &name) { return "'" + name + "'"; }

class Loader
{
public:
    explicit Loader(std::string file)
        : m_file(std::move(file))
    {
    }

    Flow parseFlow(const YamlNode &root);

private:
    using EntryFn = std::function<void(const std::string &key, const YamlNode &keyNode,
                                       const YamlNode &value)>;

    [[noreturn]] void failAt(SourcePos pos, const std::string &message) const
    {
        std::string text = m_file;
        if (pos.line > 0) {
            text += ':' + std::to_string(pos.line) + ':' + std::to_string(pos.column);
        }
        throw LoadFailure{Error(ErrorCode::Parse, text + ": " + message)};
    }

    void forEachEntry(const YamlNode &map, const std::string &context, bool allowDuplicates,
                      const EntryFn &fn) const;
    Value toValue(const YamlNode &node, const std::string &context) const;
    std::string text(const YamlNode &value, const YamlNode &keyNode, const std::string &what) const;
    std::string nonEmptyText(const YamlNode &value, const YamlNode &keyNode,
                             const std::string &what) const
    {
        std::string result = text(value, keyNode, what);
        if (result.empty()) {
            failAt(positionOf(keyNode), what + " must not be empty");
        }
        return result;
    }
    bool boolean(const YamlNode &value, const YamlNode &keyNode, const std::string &what) const;
    void requireMap(const YamlNode &value, const YamlNode &keyNode, const std::string &what) const;

    FlowInput parseInput(const std::string &name, const YamlNode &keyNode,
                         const YamlNode &body) const;
    FlowOutput parseOutput(const std::string &name, const YamlNode &keyNode,
                           const YamlNode &body) const;
    Node parseNode(const YamlNode &body, const std::string &context,
                   const std::string *variantOwner) const;
    NodeVariants parseNodeVariants(const std::string &nodeName, const YamlNode &keyNode,
                                   const YamlNode &body) const;

    std::string m_file;
};

void Loader::forEachEntry(const YamlNode &map, const std::string &context, bool allowDuplicates,
                          const EntryFn &fn) const
{
    std::set<std::string> seen;
    for (const auto &[keyNode, value] : map.entries()) {
        if (!keyNode.isScalar()) {
            failAt(positionOf(keyNode), context + "keys must be plain text");
        }
        const std::string key = keyNode.scalar();
        if (!allowDuplicates && !seen.insert(key).second) {
            failAt(positionOf(keyNode), context + "duplicate key " + quote(key));
        }
        fn(key, keyNode, value);
    }
}

Value Loader::toValue(const YamlNode &node, const std::string &context) const
{
    switch (node.kind()) {
    case YamlTree::Kind::Undefined:
    case YamlTree::Kind::Null:
        return nullptr;
    case YamlTree::Kind::Scalar: {
        const std::string &tag = node.tag();
        // yaml-cpp tags quoted and block scalars "!", plain ones "?".
        if (tag == "!" || tag == "tag:yaml.org,2002:str") {
            return node.scalar();
        }
        return yamlscalar::resolvePlain(node.scalar());
    }
    case YamlTree::Kind::Sequence: {
        Value out = Value::array();
        for (const auto &item : node.items()) {
            out.push_back(toValue(item, context));
        }
        return out;
    }
    case YamlTree::Kind::Map: {
        Value out = Value::object();
        forEachEntry(node, context, false,
                     [&](const std::string &key, const YamlNode &, const YamlNode &value) {
                         out[key] = toValue(value, context);
                     });
        return out;
    }
    }
    return nullptr;
}

std::string Loader::text(const YamlNode &value, const YamlNode &keyNode,
                         const std::string &what) const
{
    if (value.isNull()) {
        return {};
    }
    if (!value.isScalar()) {
        failAt(positionOf(keyNode), what + " must be a string");
    }
    return value.scalar();
}

bool Loader::boolean(const YamlNode &value, const YamlNode &keyNode, const std::string &what) const
{
    if (value.isScalar()) {
        const Value v = yamlscalar::resolvePlain(value.scalar());
        if (v.is_boolean()) {
            return v.get<bool>();
        }
    }
    failAt(positionOf(keyNode), what + " must be true or false");
}

void Loader::requireMap(const YamlNode &value, const YamlNode &keyNode,
                        const std::string &what) const
{
    if (!value.isMap()) {
        failAt(positionOf(keyNode), what + " must be a mapping");
    }
}

FlowInput Loader::parseInput(const std::string &name, const YamlNode &keyNode,
                             const YamlNode &body) const
{
    const std::string ctx = "input " + quote(name) + ": ";
    FlowInput in;
    in.name = name;
    in.pos = positionOf(keyNode);
    if (!body.isMap()) {
        failAt(in.pos, "input " + quote(name) + " must be a mapping with at least 'type'");
    }
    bool hasType = false;
    forEachEntry(body, ctx, false,
                 [&](const std::string &key, const YamlNode &k, const YamlNode &v) {
                     in.keyPos[key] = positionOf(k);
                     if (key == "type") {
                         hasType = true;
                         const std::string type = nonEmptyText(v, k, ctx + "'type'");
                         if (const auto t = parseValueType(type)) {
                             in.type = *t;
                         } else {
                             in.unknownType = type;
                         }
                     } else if (key == "default") {
                         in.defaultValue = toValue(v, ctx);
                     } else if (key == "description") {
                         in.description = text(v, k, ctx + "'description'");
                     } else if (key == "enum") {
                         if (!v.isSequence()) {
                             failAt(positionOf(k), ctx + "'enum' must be a list");
                         }
                         for (const auto &item : v.items()) {
                             in.enumValues.push_back(toValue(item, ctx));
                         }
                     } else if (key == "is_chat_input") {
                         in.isChatInput = boolean(v, k, ctx + "'is_chat_input'");
                     } else if (key == "is_chat_history") {
                         in.isChatHistory = boolean(v, k, ctx + "'is_chat_history'");
                     } else {
                         in.extra[key] = toValue(v, ctx);
                     }
                 });
    if (!hasType) {
        failAt(in.pos, ctx + "missing 'type'");
    }
    return in;
}

FlowOutput Loader::parseOutput(const std::string &name, const YamlNode &keyNode,
                               const YamlNode &body) const
{
    const std::string ctx = "output " + quote(name) + ": ";
    FlowOutput out;
    out.name = name;
    out.pos = positionOf(keyNode);
    if (!body.isMap()) {
        failAt(out.pos, "output " + quote(name) + " must be a mapping with 'type' and 'reference'");
    }
    forEachEntry(body, ctx, false,
                 [&](const std::string &key, const YamlNode &k, const YamlNode &v) {
                     out.keyPos[key] = positionOf(k);
                     if (key == "type") {
                         const std::string type = nonEmptyText(v, k, ctx + "'type'");
                         if (const auto t = parseValueType(type)) {
                             out.type = *t;
                         } else {
                             out.unknownType = type;
                         }
                     } else if (key == "reference") {
                         out.reference = text(v, k, ctx + "'reference'");
                     } else if (key == "description") {
                         out.description = text(v, k, ctx + "'description'");
                     } else if (key == "is_chat_output") {
                         out.isChatOutput = boolean(v, k, ctx + "'is_chat_output'");
                     } else if (key == "evaluation_only") {
                         out.evaluationOnly = boolean(v, k, ctx + "'evaluation_only'");
                     } else {
                         out.extra[key] = toValue(v, ctx);
                     }
                 });
    return out;
}

Node Loader::parseNode(const YamlNode &body, const std::string &context,
                       const std::string *variantOwner) const
{
    Node node;
    node.pos = positionOf(body);
    std::string ctx = context + ": ";
    if (variantOwner) {
        node.name = *variantOwner;
    } else {
        // Name first, so every later message can say which node it is about.
        bool hasName = false;
        for (const auto &[keyNode, value] : body.entries()) {
            if (keyNode.isScalar() && keyNode.scalar() == "name") {
                hasName = true;
                node.name = text(value, keyNode, context + ": 'name'");
                if (node.name.empty()) {
                    failAt(positionOf(keyNode), context + ": 'name' must not be empty");
                }
                break;
            }
        }
        if (!hasName) {
            failAt(node.pos, context + " is missing 'name'");
        }
        ctx = "node " + quote(node.name) + ": ";
    }
    bool hasType = false;
    bool hasAggregation = false;
    forEachEntry(
        body, ctx, false, [&](const std::string &key, const YamlNode &k, const YamlNode &v) {
            node.keyPos[key] = positionOf(k);
            if (key == "name" && !variantOwner) {
                return;
            }
            if (key == "type") {
                hasType = true;
                const std::string type = nonEmptyText(v, k, ctx + "'type'");
                if (type == "llm") {
                    node.type = NodeType::Llm;
                } else if (type == "prompt") {
                    node.type = NodeType::Prompt;
                } else if (type == "python") {
                    node.type = NodeType::Python;
                } else if (type == "custom_llm") {
                    node.type = NodeType::CustomLlm;
                } else {
                    node.unknownType = type;
                }
            } else if (key == "source") {
                requireMap(v, k, ctx + "'source'");
                forEachEntry(v, ctx + "source: ", false,
                             [&](const std::string &sk, const YamlNode &sKey, const YamlNode &sv) {
                                 node.keyPos["source." + sk] = positionOf(sKey);
                                 const std::string what = ctx + "'source." + sk + "'";
                                 if (sk == "type") {
                                     node.source.type = text(sv, sKey, what);
                                 } else if (sk == "path") {
                                     node.source.path = text(sv, sKey, what);
                                 } else if (sk == "tool") {
                                     node.source.tool = text(sv, sKey, what);
                                 } else {
                                     node.source.extra[sk] = toValue(sv, ctx);
                                 }
                             });
            } else if (key == "inputs") {
                if (v.isNull()) {
                    return;
                }
                requireMap(v, k, ctx + "'inputs'");
                forEachEntry(v, ctx + "inputs: ", false,
                             [&](const std::string &ik, const YamlNode &iKey, const YamlNode &iv) {
                                 NodeInput input;
                                 input.name = ik;
                                 input.value = toValue(iv, ctx);
                                 input.pos = positionOf(iKey);
                                 node.inputs.push_back(std::move(input));
                             });
            } else if (key == "connection") {
                node.connection = text(v, k, ctx + "'connection'");
            } else if (key == "api") {
                node.api = text(v, k, ctx + "'api'");
            } else if (key == "aggregation" || key == "reduce") {
                if (hasAggregation) {
                    failAt(positionOf(k),
                           ctx + "both 'aggregation' and its legacy alias 'reduce' are set");
                }
                hasAggregation = true;
                node.aggregation = boolean(v, k, ctx + quote(key));
                node.keyPos["aggregation"] = positionOf(k);
            } else if (key == "activate") {
                requireMap(v, k, ctx + "'activate'");
                Activate activate;
                activate.pos = positionOf(k);
                activate.hasIs = false;
                forEachEntry(v, ctx + "activate: ", false,
                             [&](const std::string &ak, const YamlNode &aKey, const YamlNode &av) {
                                 activate.keyPos[ak] = positionOf(aKey);
                                 if (ak == "when") {
                                     activate.when = text(av, aKey, ctx + "'activate.when'");
                                 } else if (ak == "is") {
                                     activate.is = toValue(av, ctx);
                                     activate.hasIs = true;
                                 } else {
                                     activate.extra[ak] = toValue(av, ctx);
                                 }
                             });
                node.activate = std::move(activate);
            } else if (key == "use_variants") {
                node.useVariants = boolean(v, k, ctx + "'use_variants'");
            } else if (key == "enable_cache") {
                node.enableCache = boolean(v, k, ctx + "'enable_cache'");
            } else if (key == "comment") {
                node.comment = text(v, k, ctx + "'comment'");
            } else {
                // Unknown keys, a variant node's own 'name', and the legacy provider/module
                // (the provider comes from the connection) are kept as they are.
                node.extra[key] = toValue(v, ctx);
            }
        });
    if (!hasType && !node.useVariants) {
        failAt(node.pos, ctx + "missing 'type' (llm, prompt, python or custom_llm)");
    }
    return node;
}

NodeVariants Loader::parseNodeVariants(const std::string &nodeName, const YamlNode &keyNode,
                                       const YamlNode &body) const
{
    const std::string ctx = "node_variants " + quote(nodeName) + ": ";
    NodeVariants nv;
    nv.nodeName = nodeName;
    nv.pos = positionOf(keyNode);
    if (!body.isMap()) {
        failAt(nv.pos, "node_variants " + quote(nodeName)
                           + " must be a mapping with 'default_variant_id' and 'variants'");
    }
    bool hasVariants = false;
    forEachEntry(
        body, ctx, false, [&](const std::string &key, const YamlNode &k, const YamlNode &v) {
            nv.keyPos[key] = positionOf(k);
            if (key == "default_variant_id") {
                nv.defaultVariantId = text(v, k, ctx + "'default_variant_id'");
            } else if (key == "variants") {
                hasVariants = true;
                requireMap(v, k, ctx + "'variants'");
                forEachEntry(
                    v, ctx + "variants: ", false,
                    [&](const std::string &id, const YamlNode &idKey, const YamlNode &body2) {
                        const std::string vctx = ctx + "variant " + quote(id) + ": ";
                        Variant variant;
                        variant.id = id;
                        variant.pos = positionOf(idKey);
                        if (!body2.isMap()) {
                            failAt(variant.pos, vctx + "must be a mapping with 'node'");
                        }
                        bool hasNode = false;
                        forEachEntry(
                            body2, vctx, false,
                            [&](const std::string &vk, const YamlNode &vKey, const YamlNode &vv) {
                                variant.keyPos[vk] = positionOf(vKey);
                                if (vk == "node") {
                                    hasNode = true;
                                    requireMap(vv, vKey, vctx + "'node'");
                                    variant.node = parseNode(vv,
                                                             "node_variants " + quote(nodeName)
                                                                 + " variant " + quote(id),
                                                             &nodeName);
                                } else if (vk == "description") {
                                    variant.description = text(vv, vKey, vctx + "'description'");
                                } else {
                                    variant.extra[vk] = toValue(vv, vctx);
                                }
                            });
                        if (!hasNode) {
                            failAt(variant.pos, vctx + "missing 'node'");
                        }
                        nv.variants.push_back(std::move(variant));
                    });
            } else {
                nv.extra[key] = toValue(v, ctx);
            }
        });
    if (!hasVariants) {
        failAt(nv.pos, ctx + "missing 'variants'");
    }
    return nv;
}

Flow Loader::parseFlow(const YamlNode &root)
{
    Flow flow;
    if (!root || root.isNull()) {
        failAt({1, 1}, "the flow file is empty");
    }
    if (!root.isMap()) {
        failAt(positionOf(root),
               "the top level must be a mapping with keys such as 'inputs', 'outputs' and "
               "'nodes'");
    }
    forEachEntry(
        root, "", false, [&](const std::string &key, const YamlNode &k, const YamlNode &v) {
            flow.keyPos[key] = positionOf(k);
            const std::string what = quote(key);
            if (key == "$schema") {
                flow.schema = text(v, k, what);
            } else if (key == "id") {
                flow.id = text(v, k, what);
            } else if (key == "name") {
                flow.name = text(v, k, what);
            } else if (key == "language") {
                flow.language = text(v, k, what);
            } else if (key == "message_format") {
                flow.messageFormat = text(v, k, what);
            } else if (key == "environment" || key == "environment_variables") {
                if (v.isNull()) {
                    return;
                }
                requireMap(v, k, what);
                (key == "environment" ? flow.environment : flow.environmentVariables)
                    = toValue(v, key + ": ");
            } else if (key == "additional_includes") {
                if (v.isNull()) {
                    return;
                }
                if (!v.isSequence()) {
                    failAt(positionOf(k), "'additional_includes' must be a list of paths");
                }
                for (const auto &item : v.items()) {
                    if (!item.isScalar() || item.scalar().empty()) {
                        failAt(positionOf(item), "'additional_includes' entries must be paths");
                    }
                    flow.keyPos["additional_includes."
                                + std::to_string(flow.additionalIncludes.size())]
                        = positionOf(item);
                    flow.additionalIncludes.push_back(item.scalar());
                }
            } else if (key == "inputs" || key == "outputs") {
                if (v.isNull()) {
                    return;
                }
                requireMap(v, k, what);
                // Duplicate names are kept: FlowValidator reports them with both positions.
                forEachEntry(
                    v, key + ": ", true,
                    [&](const std::string &name, const YamlNode &nameKey, const YamlNode &body) {
                        if (key == "inputs") {
                            flow.inputs.push_back(parseInput(name, nameKey, body));
                        } else {
                            flow.outputs.push_back(parseOutput(name, nameKey, body));
                        }
                    });
            } else if (key == "nodes") {
                if (v.isNull()) {
                    return;
                }
                if (!v.isSequence()) {
                    failAt(positionOf(k), "'nodes' must be a list");
                }
                int index = 0;
                for (const auto &item : v.items()) {
                    const std::string context = "node #" + std::to_string(++index);
                    if (!item.isMap()) {
                        failAt(positionOf(item), context + " must be a mapping");
                    }
                    flow.nodes.push_back(parseNode(item, context, nullptr));
                }
            } else if (key == "node_variants") {
                if (v.isNull()) {
                    return;
                }
                requireMap(v, k, what);
                forEachEntry(
                    v, "node_variants: ", false,
                    [&](const std::string &name, const YamlNode &nameKey, const YamlNode &body) {
                        flow.nodeVariants.push_back(parseNodeVariants(name, nameKey, body));
                    });
            } else {
                flow.extra[key] = toValue(v, "");
            }
        });
    return flow;
}

} // namespace

Result<Flow> FlowLoader::load(const std::filesystem::path &flowDirOrFile)
{
    return load(flowDirOrFile, FlowLoadLimits{});
}

Result<Flow> FlowLoader::load(const std::filesystem::path &flowDirOrFile,
                              const FlowLoadLimits &limits)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path file = flowDirOrFile;
    if (fs::is_directory(flowDirOrFile, ec)) {
        file = flowDirOrFile / "flow.dag.yaml";
        if (!fs::exists(file, ec) && fs::exists(flowDirOrFile / "flow.dag.yml", ec)) {
            file = flowDirOrFile / "flow.dag.yml";
        } else if (!fs::exists(file, ec)) {
            return fail(ErrorCode::NotFound,
                        flowDirOrFile.string() + ": no flow.dag.yaml in this folder");
        }
    }
    // A FIFO or device is refused before it is opened (opening a FIFO would wait for a
    // writer; /dev/zero never ends), and a file over the size limit before it is read.
    ReadFileLimits readLimits;
    readLimits.maxBytes = limits.maxFileBytes;
    auto content = readFile(file, readLimits);
    if (!content) {
        return content.error();
    }
    return loadFromString(*content, file, limits);
}

Result<Flow> FlowLoader::loadFromString(std::string_view yaml, const std::filesystem::path &file)
{
    return loadFromString(yaml, file, FlowLoadLimits{});
}

Result<Flow> FlowLoader::loadFromString(std::string_view yaml, const std::filesystem::path &file,
                                        const FlowLoadLimits &limits)
{
    const std::string fileName = file.string();
    if (yaml.size() > limits.maxFileBytes) {
        return fail(ErrorCode::InvalidArgument,
                    fileName + ": the flow file is "
                        + describeSizeOverLimit(yaml.size(), limits.maxFileBytes));
    }
    try {
        // Held to the limits while it is parsed: the tree shares aliased nodes, but everything
        // built from it (values, nodes) expands them.
        const auto tree = YamlTree::parse(yaml, fileName, limits);
        if (!tree) {
            return tree.error();
        }
        Loader loader(fileName);
        Flow flow = loader.parseFlow(tree->root());
        flow.file = file;
        flow.dir = file.parent_path();
        return flow;
    } catch (const LoadFailure &failure) {
        return failure.error;
    } catch (const std::exception &e) {
        return fail(ErrorCode::Internal, fileName + ": cannot read the flow: " + e.what());
    }
}

} // namespace fb
