#pragma once

#include <ui/editor/graphtypes.h>

#include <QHash>
#include <QList>
#include <QPointF>
#include <QSizeF>

#include <functional>

namespace fb::ui {

class FlowGraphModel;

/// Layered left-to-right layout for flows without saved positions: longest-path layers (the
/// flow's inputs first, its outputs last), barycentre ordering inside layers to reduce edge
/// crossings, layers centred vertically. Deterministic for a given graph. Pure computation.
class AutoLayout
{
public:
    struct Edge
    {
        NodeId from = NodeId::Invalid;
        NodeId to = NodeId::Invalid;
    };
    using SizeFunction = std::function<QSizeF(NodeId)>;

    /// Top-left positions for `nodes` (in the given order as the initial order in a layer).
    [[nodiscard]] static QHash<NodeId, QPointF>
    layout(const QList<NodeId> &nodes, const QList<Edge> &edges, const SizeFunction &size);
    /// Lays out every node of `model`.
    [[nodiscard]] static QHash<NodeId, QPointF> layout(const FlowGraphModel &model,
                                                       const SizeFunction &size);

    static constexpr qreal kLayerGap = 64;
    static constexpr qreal kNodeGap = 36;
};

} // namespace fb::ui
