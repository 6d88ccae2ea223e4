#pragma once

#include <ui/editor/flowgraphmodel.h>

namespace fb::ui {

/// How undo commands remember a graph node: by name for flow nodes (ids change when a node
/// is deleted and restored), by id for the two pseudo-nodes.
struct NodeKey
{
    NodeId pseudo = NodeId::Invalid;
    QString name;

    [[nodiscard]] static NodeKey of(const FlowGraphModel &model, NodeId id)
    {
        NodeKey key;
        if (model.kind(id) == GraphNodeKind::Node) {
            key.name = model.nodeName(id);
        } else {
            key.pseudo = id;
        }
        return key;
    }

    [[nodiscard]] NodeId resolve(const FlowGraphModel &model) const
    {
        return name.isEmpty() ? pseudo : model.nodeId(name);
    }

    bool operator==(const NodeKey &) const = default;
};

} // namespace fb::ui
