#pragma once

#include <QHashFunctions>
#include <QMetaType>
#include <QString>

namespace fb::ui {

/// A graph node's id, stable while the node exists in one FlowGraphModel (ids are never
/// reused). The flow's inputs and outputs are shown as two pseudo-nodes with fixed ids.
enum class NodeId : int {
    Invalid = 0,
    FlowInputs = 1,  ///< the flow's inputs: one output port per flow input
    FlowOutputs = 2, ///< the flow's outputs: one input port per flow output
};

/// What a graph node stands for.
enum class GraphNodeKind { FlowInputs, FlowOutputs, Node };

/// One edge of the graph: a `${...}` reference written in the input port `inPort` of
/// `inNode`, naming the output port `outPort` of `outNode` (and, for `${node.output.key}`,
/// a `key`). Node output ports are called "output"; flow inputs are the FlowInputs node's
/// ports; flow outputs are the FlowOutputs node's ports.
struct GraphConnection
{
    NodeId outNode = NodeId::Invalid;
    QString outPort;
    NodeId inNode = NodeId::Invalid;
    QString inPort;
    QString key;

    bool operator==(const GraphConnection &) const = default;
};

/// The name of a node's output port.
inline const QString &outputPortName()
{
    static const QString name = QStringLiteral("output");
    return name;
}

/// The name of the input port standing for a node's `activate.when` reference.
inline const QString &activatePortName()
{
    static const QString name = QStringLiteral("@activate");
    return name;
}

inline size_t qHash(const GraphConnection &c, size_t seed = 0)
{
    return qHashMulti(seed, int(c.outNode), c.outPort, int(c.inNode), c.inPort, c.key);
}

} // namespace fb::ui

Q_DECLARE_METATYPE(fb::ui::NodeId)
Q_DECLARE_METATYPE(fb::ui::GraphConnection)
