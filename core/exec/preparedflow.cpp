#include <core/exec/preparedflow.h>

#include <core/common/fileio.h>
#include <core/exec/valuecoercion.h>

#include <algorithm>

namespace fb {

namespace {

std::string where(const Flow &flow, const SourcePos &pos)
{
    std::string out = flow.file.string();
    if (pos.line > 0) {
        out += ':' + std::to_string(pos.line);
        if (pos.column > 0) {
            out += ':' + std::to_string(pos.column);
        }
    }
    return out;
}

} // namespace

int PreparedFlow::nodeIndex(const std::string &name) const
{
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes[i].node.name == name) {
            return int(i);
        }
    }
    return -1;
}

bool PreparedFlow::hasAggregation() const
{
    return std::any_of(m_nodes.begin(), m_nodes.end(),
                       [](const PreparedNode &n) { return n.node.aggregation; });
}

Result<std::shared_ptr<const PreparedFlow>> PreparedFlow::prepare(const Flow &original,
                                                                  const VariantSelection &selection,
                                                                  const TemplateTexts *unsaved)
{
    auto resolved = VariantResolver::resolve(original, selection);
    if (!resolved) {
        return std::move(resolved).error();
    }
    auto prepared = std::make_shared<PreparedFlow>();
    prepared->m_flow = std::move(*resolved);
    const Flow &flow = prepared->m_flow;

    for (const auto &nv : original.nodeVariants) {
        const auto it = selection.find(nv.nodeName);
        prepared->m_variants[nv.nodeName]
            = it != selection.end() ? it->second : nv.defaultVariantId;
    }

    std::map<std::string, int> indexOf;
    for (std::size_t i = 0; i < flow.nodes.size(); ++i) {
        indexOf[flow.nodes[i].name] = int(i);
    }

    auto bind = [&](const std::string &name, const Value &value, const std::string &owner,
                    const SourcePos &pos) -> Result<PreparedBinding> {
        PreparedBinding b;
        b.name = name;
        if (!Reference::looksLikeReference(value)) {
            b.literal = value;
            return b;
        }
        auto ref = Reference::parse(value.get<std::string>());
        if (!ref) {
            return fail(ErrorCode::Validation, where(flow, pos) + ": " + owner
                                                   + ": malformed reference "
                                                   + value.get<std::string>());
        }
        if (ref->kind == Reference::Kind::FlowInput) {
            if (!flow.input(ref->name)) {
                return fail(ErrorCode::Validation, where(flow, pos) + ": " + owner
                                                       + " references unknown input '" + ref->name
                                                       + "'");
            }
        } else {
            const auto it = indexOf.find(ref->name);
            if (it == indexOf.end()) {
                return fail(ErrorCode::Validation, where(flow, pos) + ": " + owner
                                                       + " references unknown node '" + ref->name
                                                       + "'");
            }
            b.sourceNode = it->second;
        }
        b.reference = std::move(*ref);
        return b;
    };

    for (const auto &node : flow.nodes) {
        PreparedNode pn;
        pn.node = node;
        if (const auto it = prepared->m_variants.find(node.name);
            it != prepared->m_variants.end()) {
            pn.variantId = it->second;
        }
        const std::string owner = "node '" + node.name + "'";
        for (const auto &input : node.inputs) {
            auto b
                = bind(input.name, input.value, owner + " input '" + input.name + "'", input.pos);
            if (!b) {
                return std::move(b).error();
            }
            pn.inputs.push_back(std::move(*b));
        }
        if (node.activate) {
            auto b = bind("activate.when", Value(node.activate->when), owner + " activate.when",
                          node.activate->pos);
            if (!b) {
                return std::move(b).error();
            }
            if (!b->reference) {
                return fail(ErrorCode::Validation, where(flow, node.activate->pos) + ": " + owner
                                                       + ": activate.when must be a reference");
            }
            pn.activateWhen = std::move(*b);
            pn.activateIs = node.activate->is;
        }
        if (!node.source.path.empty()) {
            pn.sourceFile = flow.resolvePath(node.source.path);
        }
        if (node.type == NodeType::Llm || node.type == NodeType::Prompt
            || node.type == NodeType::CustomLlm) {
            if (pn.sourceFile.empty()) {
                return fail(ErrorCode::Validation, where(flow, node.pos) + ": " + owner
                                                       + " has no template (source.path)");
            }
            std::optional<std::string> buffered;
            if (unsaved) {
                std::error_code ec;
                const auto key = std::filesystem::absolute(pn.sourceFile, ec).lexically_normal();
                if (const auto it = unsaved->find(key); it != unsaved->end()) {
                    buffered = it->second;
                }
            }
            ReadFileLimits limits;
            limits.maxBytes = kMaxSourceFileBytes;
            auto text = buffered ? Result<std::string>(std::move(*buffered))
                                 : readFile(pn.sourceFile, limits);
            if (!text) {
                return fail(ErrorCode::NotFound, where(flow, node.pos) + ": " + owner
                                                     + ": template: " + text.error().message);
            }
            auto tmpl = Template::parse(*text, pn.sourceFile.string());
            if (!tmpl) {
                return std::move(tmpl).error();
            }
            pn.tmpl = std::move(*tmpl);
        }
        for (const auto &b : pn.inputs) {
            if (b.sourceNode >= 0) {
                pn.dependencies.push_back(b.sourceNode);
            }
        }
        if (pn.activateWhen && pn.activateWhen->sourceNode >= 0) {
            pn.dependencies.push_back(pn.activateWhen->sourceNode);
        }
        std::sort(pn.dependencies.begin(), pn.dependencies.end());
        pn.dependencies.erase(std::unique(pn.dependencies.begin(), pn.dependencies.end()),
                              pn.dependencies.end());
        prepared->m_nodes.push_back(std::move(pn));
    }

    auto &nodes = prepared->m_nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        for (int dep : nodes[i].dependencies) {
            nodes[std::size_t(dep)].dependents.push_back(int(i));
        }
    }

    // Kahn's algorithm, keeping the flow's order among nodes that are ready together.
    std::vector<int> pending(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        pending[i] = int(nodes[i].dependencies.size());
    }
    std::vector<bool> done(nodes.size(), false);
    while (prepared->m_order.size() < nodes.size()) {
        bool progressed = false;
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (!done[i] && pending[i] == 0) {
                done[i] = true;
                progressed = true;
                prepared->m_order.push_back(int(i));
                for (int d : nodes[i].dependents) {
                    --pending[std::size_t(d)];
                }
            }
        }
        if (!progressed) {
            std::string cycle;
            for (std::size_t i = 0; i < nodes.size(); ++i) {
                if (!done[i]) {
                    cycle += (cycle.empty() ? "" : ", ") + nodes[i].node.name;
                }
            }
            return fail(ErrorCode::Validation,
                        flow.file.string() + ": the nodes " + cycle + " form a cycle");
        }
    }

    for (const auto &out : flow.outputs) {
        auto b = bind(out.name, Value(out.reference), "output '" + out.name + "'", out.pos);
        if (!b) {
            return std::move(b).error();
        }
        prepared->m_outputs.push_back(std::move(*b));
    }
    return std::shared_ptr<const PreparedFlow>(std::move(prepared));
}

Result<Value> PreparedFlow::prepareInputs(const Value &given) const
{
    Value result = Value::object();
    std::string missing;
    for (const auto &input : m_flow.inputs) {
        const bool present = given.is_object() && given.contains(input.name);
        if (!present) {
            if (input.defaultValue) {
                result[input.name] = *input.defaultValue;
            } else if (input.isChatHistory) {
                result[input.name] = Value::array();
            } else {
                missing += (missing.empty() ? "'" : ", '") + input.name + "'";
            }
            continue;
        }
        auto coerced
            = ValueCoercion::toType(given.at(input.name), input.type, "input '" + input.name + "'");
        if (!coerced) {
            return std::move(coerced).error();
        }
        result[input.name] = std::move(*coerced);
    }
    if (!missing.empty()) {
        return fail(ErrorCode::InvalidArgument, m_flow.file.string() + ": missing flow input "
                                                    + missing + " (no value given and no default)");
    }
    if (given.is_object()) {
        for (const auto &[key, value] : given.items()) {
            if (!result.contains(key)) {
                result[key] = value;
            }
        }
    }
    return result;
}

} // namespace fb
