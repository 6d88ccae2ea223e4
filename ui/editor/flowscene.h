#pragma once

#include <core/flow/flow.h>
#include <ui/editor/graphtypes.h>

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>
#include <QStringList>

class QUndoStack;

namespace fb::ui {

class ConnectionItem;
class FlowGraphModel;
class NodeItem;

/// The flow graph as QGraphicsItems, built from FlowGraphModel's signals. User gestures
/// (drag a port to a port, move, delete, add, rename) become QUndoCommands pushed on the
/// undo stack; the scene never edits the flow itself.
class FlowScene final : public QGraphicsScene
{
    Q_OBJECT

public:
    FlowScene(FlowGraphModel *model, QUndoStack *undoStack, QObject *parent = nullptr);
    ~FlowScene() override;

    [[nodiscard]] FlowGraphModel *model() const { return m_model; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undoStack; }
    [[nodiscard]] NodeItem *nodeItem(NodeId id) const;
    [[nodiscard]] ConnectionItem *connectionItem(const GraphConnection &connection) const;
    [[nodiscard]] QList<NodeItem *> nodeItems() const;
    [[nodiscard]] QList<ConnectionItem *> connectionItems() const;

    /// Places the nodes with a layered layout. With `onlyUnplaced`, only nodes without a saved
    /// position move and nothing is pushed (opening a flow); otherwise every node moves in
    /// one undoable step.
    void autoLayout(bool onlyUnplaced);

    /// Validation results per node (errors, warnings) shown on the node items.
    void setProblems(const QHash<NodeId, QStringList> &errors,
                     const QHash<NodeId, QStringList> &warnings);

    /// Re-reads the translatable texts of the items (graphics items get no LanguageChange;
    /// the widget showing the scene calls this on its own).
    void retranslate();

    /// The single selected flow node, or Invalid.
    [[nodiscard]] NodeId selectedNode() const;
    void selectNode(NodeId id);

    // User actions (push commands).
    void addNode(fb::NodeType type, const QPointF &scenePos);
    void deleteSelection();
    void renameNodeInteractively(NodeId id);
    void connectPorts(NodeId outNode, const QString &outPort, NodeId inNode, const QString &inPort);
    /// Names used for new llm nodes' connection.
    void setDefaultConnection(const QString &name) { m_defaultConnection = name; }

    /// Called by NodeItem when it moved (drag or model update): re-routes its edges.
    void nodeItemMoved(NodeItem *item);

Q_SIGNALS:
    /// Double-click on a node.
    void nodeActivated(fb::ui::NodeId id);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QGraphicsSceneContextMenuEvent *event) override;

private:
    /// The nearest point to `scenePos` where a new node overlaps no other.
    [[nodiscard]] QPointF freeSpotNear(const QPointF &scenePos) const;
    void rebuild();
    void createNodeItem(NodeId id);
    void removeNodeItem(NodeId id);
    void updateNodeItem(NodeId id);
    void moveNodeItem(NodeId id);
    void createConnectionItem(const GraphConnection &connection);
    void removeConnectionItem(const GraphConnection &connection);
    void updateConnectionGeometry(ConnectionItem *item);
    void updateConnectedPorts(NodeId id);
    [[nodiscard]] QString connectionType(const GraphConnection &connection) const;
    [[nodiscard]] NodeItem *nodeItemAt(const QPointF &scenePos) const;
    void finishConnectionDrag(const QPointF &scenePos);
    void clearDragHighlight();

    FlowGraphModel *m_model;
    QUndoStack *m_undoStack;
    QHash<NodeId, NodeItem *> m_nodes;
    QHash<GraphConnection, ConnectionItem *> m_connections;
    QString m_defaultConnection;

    // Connection drag state.
    ConnectionItem *m_draft = nullptr;
    NodeId m_dragNode = NodeId::Invalid;
    QString m_dragPort;
    bool m_dragFromInput = false;
    NodeItem *m_dragHighlight = nullptr;

    // Move tracking: positions at mouse press.
    QHash<NodeId, QPointF> m_pressPositions;
    bool m_syncingFromModel = false;
};

} // namespace fb::ui
