#pragma once

#include <core/flow/flow.h>

#include <string>
#include <string_view>
#include <unordered_map>

namespace fb {

/// Name lookups into one Flow in constant time, built once in linear time: what Flow::node,
/// Flow::input and Flow::variantsOf answer by a linear search, for callers that look up every
/// node (validating a flow of n nodes did n such searches: 50,000 nodes took 24 s). The first
/// of duplicate names wins, as in Flow. It holds pointers into the flow: rebuild it after the
/// flow changes. Thread-safe for reading.
class FlowIndex
{
public:
    explicit FlowIndex(const Flow &flow);
    FlowIndex(const FlowIndex &) = delete;
    FlowIndex &operator=(const FlowIndex &) = delete;

    [[nodiscard]] const Flow &flow() const { return m_flow; }
    [[nodiscard]] const FlowInput *input(std::string_view name) const;
    [[nodiscard]] const Node *node(std::string_view name) const;
    [[nodiscard]] const NodeVariants *variantsOf(std::string_view nodeName) const;

private:
    const Flow &m_flow;
    // Keys view the names inside the flow.
    std::unordered_map<std::string_view, const FlowInput *> m_inputs;
    std::unordered_map<std::string_view, const Node *> m_nodes;
    std::unordered_map<std::string_view, const NodeVariants *> m_variants;
};

} // namespace fb
