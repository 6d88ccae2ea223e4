#pragma once

#include <core/flow/flow.h>
#include <ui/editor/graphtypes.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QStringList>

#include <map>
#include <optional>

namespace fb::ui {

/// Adapts an fb::Flow (the truth) to a node graph, in QtNodes' shape: integer node ids,
/// ports derived from inputs, outputs and `${...}` references, and signals for every change.
/// Flow nodes, plus two pseudo-nodes for the flow's inputs and outputs, are graph nodes.
///
/// For a variant node (a `use_variants` stub) the graph shows the *active* variant (the one
/// picked in the variant tabs, the default one otherwise): its ports and references, and
/// edits of its inputs go to that variant's node.
///
/// Node positions persist in the node-level key `flowbench: {x: …, y: …}` that promptflow
/// ignores (its flow schema reads nodes as plain dictionaries); nodes without one are placed by
/// layout positions kept in memory (setLayoutPositions). The pseudo-nodes' positions are not
/// saved (promptflow rejects unknown keys on inputs/outputs and at the top level).
///
/// The mutators are meant for QUndoCommands: each one is exactly reversible by another call
/// with the previous value. GUI thread only.
class FlowGraphModel final : public QObject
{
    Q_OBJECT

public:
    explicit FlowGraphModel(QObject *parent = nullptr);
    ~FlowGraphModel() override;

    /// Replaces the whole flow; emits modelReset. Active variants return to the defaults.
    void resetFlow(fb::Flow flow);
    [[nodiscard]] const fb::Flow &flow() const { return m_flow; }

    // --- graph queries ---
    [[nodiscard]] QList<NodeId> nodeIds() const;
    [[nodiscard]] NodeId nodeId(const QString &name) const;
    [[nodiscard]] QString nodeName(NodeId id) const; ///< empty for pseudo-nodes
    [[nodiscard]] GraphNodeKind kind(NodeId id) const;
    [[nodiscard]] bool contains(NodeId id) const;
    /// The node as written in `nodes` (a stub for variant nodes); nullptr for pseudo-nodes.
    [[nodiscard]] const fb::Node *node(NodeId id) const;
    /// The node the graph shows: the active variant's node for a variant stub, else node().
    [[nodiscard]] const fb::Node *effectiveNode(NodeId id) const;
    [[nodiscard]] const fb::NodeVariants *variants(NodeId id) const;
    [[nodiscard]] QStringList inPorts(NodeId id) const;
    [[nodiscard]] QStringList outPorts(NodeId id) const;
    /// A short type name for a port ("string", "int", "any", ...).
    [[nodiscard]] QString portType(NodeId id, const QString &port, bool isInput) const;
    [[nodiscard]] QList<GraphConnection> connections() const;
    [[nodiscard]] QList<GraphConnection> connectionsOf(NodeId id) const;
    /// The raw value written in an input port: a node input's value, a flow output's
    /// reference, or activate.when (null when the node has no activate / no such input).
    [[nodiscard]] fb::Value portValue(NodeId inNode, const QString &inPort) const;
    /// The reference text connecting `outNode.outPort` ("${inputs.x}", "${node.output}").
    [[nodiscard]] QString referenceText(NodeId outNode, const QString &outPort,
                                        const QString &key = {}) const;
    /// False when a port does not exist or connecting would close a cycle, counting every
    /// variant of a variant node, not only the shown one (fb::FlowEdits::wouldCreateCycle).
    [[nodiscard]] bool canConnect(NodeId outNode, const QString &outPort, NodeId inNode,
                                  const QString &inPort) const;

    /// A node name not used by any node nor named by any reference, from `base`.
    [[nodiscard]] QString uniqueNodeName(const QString &base) const;
    /// True when `name` is a valid node name that is free (fb::FlowEdits::isNameAvailable).
    [[nodiscard]] bool isNameAvailable(const QString &name) const;

    // --- positions ---
    [[nodiscard]] QPointF position(NodeId id) const;
    /// The position saved in the flow (node-level flowbench.x/y), if any.
    [[nodiscard]] std::optional<QPointF> savedPosition(NodeId id) const;
    /// Writes (or, with nullopt, removes) a node's saved position; for pseudo-nodes the
    /// position is kept in memory only.
    void setNodePosition(NodeId id, const std::optional<QPointF> &pos);
    /// Positions for nodes without a saved one (auto-layout); not part of the flow.
    void setLayoutPositions(const QHash<NodeId, QPointF> &positions);
    /// Writes every node's current position into the flow (before saving).
    void commitPositions();

    // --- structure ---
    /// Inserts `node` at `index` of flow.nodes (and its variants at `variantsIndex` of
    /// node_variants); returns its new id.
    NodeId insertNode(int index, const fb::Node &node,
                      const std::optional<fb::NodeVariants> &variants = std::nullopt,
                      int variantsIndex = -1);
    /// Removes a node (and its node_variants entry). References to it stay as written.
    void removeNode(NodeId id);
    [[nodiscard]] int nodeIndex(NodeId id) const;     ///< index in flow.nodes, -1 if none
    [[nodiscard]] int variantsIndex(NodeId id) const; ///< index in node_variants, -1 if none
    /// Renames a node and rewrites every reference to it (inputs of all nodes and variants,
    /// activate conditions, flow outputs) without checking the name, so that undo can restore
    /// a loaded name the rules refuse (fb::FlowEdits::applyRename). Check isNameAvailable first.
    void renameNode(NodeId id, const QString &newName);

    /// Writes `value` into an input port (see portValue). For the activate port, null removes
    /// the node's activate; a string when there is none creates `{when: value, is: true}`.
    void setPortValue(NodeId inNode, const QString &inPort, const fb::Value &value);
    /// Replaces the effective node of `id` (properties edits). The name must not change.
    void setEffectiveNode(NodeId id, const fb::Node &node);
    /// Replaces a node's stub and its node_variants entry (variant edits).
    void setNodeAndVariants(NodeId id, const fb::Node &stub,
                            const std::optional<fb::NodeVariants> &variants, int variantsIndex);

    // --- variants (view state, not part of the flow) ---
    [[nodiscard]] QString activeVariant(NodeId id) const;
    void setActiveVariant(NodeId id, const QString &variantId);
    /// {"node": "variant_id", ...} for every variant node.
    [[nodiscard]] fb::Value variantSelection() const;

Q_SIGNALS:
    void modelReset();
    void nodeCreated(fb::ui::NodeId id);
    void nodeDeleted(fb::ui::NodeId id);
    /// Name, type, ports or properties changed.
    void nodeUpdated(fb::ui::NodeId id);
    void nodePositionUpdated(fb::ui::NodeId id);
    void connectionCreated(const fb::ui::GraphConnection &connection);
    void connectionDeleted(const fb::ui::GraphConnection &connection);
    void variantsChanged(fb::ui::NodeId id);
    /// Any change of the flow (not of view state such as layout or active variants).
    void flowChanged();

private:
    [[nodiscard]] fb::Node *mutableNode(NodeId id);
    [[nodiscard]] fb::Node *mutableEffectiveNode(NodeId id);
    [[nodiscard]] NodeId idForName(const std::string &name) const;
    void collectConnections(NodeId id, QList<GraphConnection> &out) const;
    void emitConnectionDiff(const QList<GraphConnection> &before);
    void assignIds();

    fb::Flow m_flow;
    std::map<NodeId, std::string> m_names; // real nodes only
    QHash<QString, NodeId> m_ids;
    int m_nextId = 3;
    QHash<NodeId, QPointF> m_layout;
    QHash<NodeId, QString> m_activeVariant;
};

} // namespace fb::ui
