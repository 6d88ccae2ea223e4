#include <ui/editor/autolayout.h>

#include <ui/editor/flowgraphmodel.h>

#include <QSet>

#include <algorithm>
#include <map>

namespace fb::ui {

QHash<NodeId, QPointF> AutoLayout::layout(const QList<NodeId> &nodes, const QList<Edge> &edges,
                                          const SizeFunction &size)
{
    QHash<NodeId, QList<NodeId>> successors;
    QHash<NodeId, QList<NodeId>> predecessors;
    QHash<NodeId, int> inDegree;
    const QSet<NodeId> known(nodes.begin(), nodes.end());
    for (const NodeId n : nodes) {
        inDegree.insert(n, 0);
    }
    QSet<QPair<int, int>> seenEdges;
    for (const auto &e : edges) {
        if (!known.contains(e.from) || !known.contains(e.to) || e.from == e.to
            || seenEdges.contains({int(e.from), int(e.to)})) {
            continue;
        }
        seenEdges.insert({int(e.from), int(e.to)});
        successors[e.from].append(e.to);
        predecessors[e.to].append(e.from);
        ++inDegree[e.to];
    }

    // Longest-path layering over a topological order (Kahn); nodes on cycles come last.
    QHash<NodeId, int> layer;
    QList<NodeId> queue;
    for (const NodeId n : nodes) {
        if (inDegree.value(n) == 0) {
            queue.append(n);
        }
    }
    const bool hasInputs = known.contains(NodeId::FlowInputs);
    QList<NodeId> order;
    while (!queue.isEmpty()) {
        const NodeId n = queue.takeFirst();
        order.append(n);
        int l = 0;
        for (const NodeId p : predecessors.value(n)) {
            l = std::max(l, layer.value(p) + 1);
        }
        if (hasInputs && n != NodeId::FlowInputs) {
            l = std::max(l, 1);
        }
        layer.insert(n, l);
        for (const NodeId s : successors.value(n)) {
            if (--inDegree[s] == 0) {
                queue.append(s);
            }
        }
    }
    int maxLayer = 0;
    for (auto it = layer.begin(); it != layer.end(); ++it) {
        if (it.key() != NodeId::FlowOutputs) {
            maxLayer = std::max(maxLayer, it.value());
        }
    }
    for (const NodeId n : nodes) {
        if (!layer.contains(n)) {
            layer.insert(n, ++maxLayer);
        }
    }
    if (known.contains(NodeId::FlowOutputs)) {
        int last = 0;
        for (auto it = layer.begin(); it != layer.end(); ++it) {
            if (it.key() != NodeId::FlowOutputs) {
                last = std::max(last, it.value());
            }
        }
        layer.insert(NodeId::FlowOutputs, last + 1);
    }

    std::map<int, QList<NodeId>> layers;
    for (const NodeId n : nodes) {
        layers[layer.value(n)].append(n);
    }

    // Barycentre sweeps: order each layer by the mean index of its neighbours in the layer
    // before (downward) or after (upward).
    QHash<NodeId, double> index;
    const auto reindex = [&](const QList<NodeId> &list) {
        for (int i = 0; i < list.size(); ++i) {
            index.insert(list[i], i);
        }
    };
    for (const auto &[l, list] : layers) {
        reindex(list);
    }
    const auto sweep = [&](QList<NodeId> &list, const QHash<NodeId, QList<NodeId>> &neighbours) {
        QHash<NodeId, double> key;
        for (const NodeId n : list) {
            const QList<NodeId> ns = neighbours.value(n);
            if (ns.isEmpty()) {
                key.insert(n, index.value(n));
                continue;
            }
            double sum = 0;
            for (const NodeId m : ns) {
                sum += index.value(m);
            }
            key.insert(n, sum / double(ns.size()));
        }
        std::stable_sort(list.begin(), list.end(),
                         [&](NodeId a, NodeId b) { return key.value(a) < key.value(b); });
        reindex(list);
    };
    for (int pass = 0; pass < 4; ++pass) {
        if (pass % 2 == 0) {
            for (auto it = std::next(layers.begin()); it != layers.end(); ++it) {
                sweep(it->second, predecessors);
            }
        } else if (layers.size() > 1) {
            for (auto it = std::next(layers.rbegin()); it != layers.rend(); ++it) {
                sweep(it->second, successors);
            }
        }
    }

    QHash<NodeId, QPointF> result;
    qreal x = 0;
    for (const auto &[l, list] : layers) {
        qreal width = 0;
        qreal height = 0;
        for (const NodeId n : list) {
            const QSizeF s = size(n);
            width = std::max(width, s.width());
            height += s.height();
        }
        height += kNodeGap * qreal(std::max<qsizetype>(0, list.size() - 1));
        qreal y = -height / 2;
        for (const NodeId n : list) {
            const QSizeF s = size(n);
            result.insert(n, QPointF(x + (width - s.width()) / 2, y));
            y += s.height() + kNodeGap;
        }
        x += width + kLayerGap;
    }
    return result;
}

QHash<NodeId, QPointF> AutoLayout::layout(const FlowGraphModel &model, const SizeFunction &size)
{
    QList<Edge> edges;
    const QList<GraphConnection> connections = model.connections();
    for (const auto &c : connections) {
        edges.append({c.outNode, c.inNode});
    }
    return layout(model.nodeIds(), edges, size);
}

} // namespace fb::ui
