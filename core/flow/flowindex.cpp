#include <core/flow/flowindex.h>

namespace fb {

namespace {

template <typename T>
const T *find(const std::unordered_map<std::string_view, const T *> &map, std::string_view key)
{
    const auto it = map.find(key);
    return it == map.end() ? nullptr : it->second;
}

} // namespace

FlowIndex::FlowIndex(const Flow &flow)
    : m_flow(flow)
{
    m_inputs.reserve(flow.inputs.size());
    for (const auto &in : flow.inputs) {
        m_inputs.emplace(in.name, &in); // emplace keeps the first of duplicate names
    }
    m_nodes.reserve(flow.nodes.size());
    for (const auto &node : flow.nodes) {
        m_nodes.emplace(node.name, &node);
    }
    m_variants.reserve(flow.nodeVariants.size());
    for (const auto &nv : flow.nodeVariants) {
        m_variants.emplace(nv.nodeName, &nv);
    }
}

const FlowInput *FlowIndex::input(std::string_view name) const { return find(m_inputs, name); }

const Node *FlowIndex::node(std::string_view name) const { return find(m_nodes, name); }

const NodeVariants *FlowIndex::variantsOf(std::string_view nodeName) const
{
    return find(m_variants, nodeName);
}

} // namespace fb
