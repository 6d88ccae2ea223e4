#include <core/flow/variantresolver.h>

#include <algorithm>

namespace fb {

namespace {

std::string trimmed(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

std::string variantIds(const NodeVariants &nv)
{
    std::string ids;
    for (const auto &v : nv.variants) {
        ids += (ids.empty() ? "" : ", ") + v.id;
    }
    return ids.empty() ? std::string("none") : ids;
}

bool isIdentifier(const std::string &text)
{
    const auto letter
        = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    return !text.empty() && letter(text[0]) && std::all_of(text.begin(), text.end(), [&](char c) {
        return letter(c) || (c >= '0' && c <= '9');
    });
}

/// Splits "${node.variant_id}" into its two names; false when it has another shape.
bool splitItem(const std::string &item, std::string &node, std::string &id)
{
    if (item.size() < 5 || item.compare(0, 2, "${") != 0 || item.back() != '}') {
        return false;
    }
    const std::string inner = item.substr(2, item.size() - 3);
    const auto dot = inner.find('.');
    if (dot == std::string::npos || dot == 0) {
        return false;
    }
    node = inner.substr(0, dot);
    id = inner.substr(dot + 1);
    const bool nodeOk = node.find_first_of(" \t\r\n{}$") == std::string::npos;
    return nodeOk && isIdentifier(id);
}

} // namespace

Result<Flow> VariantResolver::resolve(const Flow &flow, const VariantSelection &selection)
{
    for (const auto &[nodeName, id] : selection) {
        const Node *node = flow.node(nodeName);
        if (!node) {
            return fail(ErrorCode::NotFound, "variant selection names node '" + nodeName
                                                 + "', which the flow does not have");
        }
        if (!node->useVariants) {
            return fail(ErrorCode::InvalidArgument,
                        "variant selection names node '" + nodeName
                            + "', which has no variants (it does not set use_variants)");
        }
    }

    Flow resolved = flow;
    for (auto &node : resolved.nodes) {
        if (!node.useVariants) {
            continue;
        }
        const NodeVariants *nv = flow.variantsOf(node.name);
        if (!nv) {
            return fail(ErrorCode::NotFound, "node '" + node.name
                                                 + "' sets use_variants but node_variants has "
                                                   "no entry for it");
        }
        const auto chosen = selection.find(node.name);
        const std::string id = chosen != selection.end() ? chosen->second : nv->defaultVariantId;
        if (id.empty()) {
            return fail(ErrorCode::InvalidArgument,
                        "node '" + node.name
                            + "' has no default_variant_id and no variant was selected");
        }
        const Variant *variant = nv->variant(id);
        if (!variant) {
            return fail(ErrorCode::NotFound, "node '" + node.name + "' has no variant '" + id
                                                 + "' (variants: " + variantIds(*nv) + ")");
        }
        const std::string name = node.name;
        node = variant->node;
        node.name = name;
        node.useVariants = false;
    }
    // The result is a plain flow: nothing is left to select.
    resolved.nodeVariants.clear();
    return resolved;
}

Result<VariantSelection> VariantResolver::parseSelection(const std::string &text)
{
    VariantSelection selection;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string part = trimmed(
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        start = comma == std::string::npos ? text.size() + 1 : comma + 1;
        if (part.empty()) {
            if (comma == std::string::npos && selection.empty() && trimmed(text).empty()) {
                break;
            }
            return fail(ErrorCode::InvalidArgument,
                        "empty entry in variant selection '" + text
                            + "' (expected ${node.variant_id}, separated by commas)");
        }
        std::string node;
        std::string id;
        if (!splitItem(part, node, id)) {
            return fail(ErrorCode::InvalidArgument,
                        "bad variant selection '" + part + "' (expected ${node.variant_id})");
        }
        const auto [it, inserted] = selection.emplace(node, id);
        if (!inserted && it->second != id) {
            return fail(ErrorCode::InvalidArgument, "variant selection names node '" + node
                                                        + "' twice ('" + it->second + "' and '" + id
                                                        + "')");
        }
    }
    return selection;
}

Result<std::vector<VariantSelection>>
VariantResolver::crossProduct(const Flow &flow,
                              const std::map<std::string, std::vector<std::string>> &choices,
                              bool allVariants)
{
    // Axes in the flow's node_variants order, so the runs come out in a stable order.
    std::vector<std::pair<std::string, std::vector<std::string>>> axes;
    for (const auto &[node, ids] : choices) {
        const auto found = std::find_if(flow.nodeVariants.begin(), flow.nodeVariants.end(),
                                        [&](const NodeVariants &nv) { return nv.nodeName == node; });
        if (found == flow.nodeVariants.end()) {
            return fail(ErrorCode::InvalidArgument,
                        "node '" + node + "' has no variants (node_variants) in " + flow.file.string());
        }
        for (const auto &id : ids) {
            if (!found->variant(id)) {
                std::string known;
                for (const auto &v : found->variants) {
                    known += (known.empty() ? "" : ", ") + v.id;
                }
                return fail(ErrorCode::InvalidArgument, "node '" + node + "' has no variant '" + id
                                                            + "' (it has: " + known + ")");
            }
        }
    }
    for (const auto &nv : flow.nodeVariants) {
        const auto chosen = choices.find(nv.nodeName);
        if (chosen != choices.end()) {
            std::vector<std::string> ids;
            for (const auto &id : chosen->second) {
                if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
                    ids.push_back(id);
                }
            }
            axes.emplace_back(nv.nodeName, std::move(ids));
        } else if (allVariants) {
            std::vector<std::string> ids;
            for (const auto &v : nv.variants) {
                ids.push_back(v.id);
            }
            axes.emplace_back(nv.nodeName, std::move(ids));
        }
    }
    std::vector<VariantSelection> out{VariantSelection{}};
    for (const auto &[node, ids] : axes) {
        std::vector<VariantSelection> next;
        for (const auto &partial : out) {
            for (const auto &id : ids) {
                VariantSelection s = partial;
                s[node] = id;
                next.push_back(std::move(s));
            }
        }
        out = std::move(next);
    }
    return out;
}

} // namespace fb
