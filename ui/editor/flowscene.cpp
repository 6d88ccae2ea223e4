#include <ui/editor/flowscene.h>

#include <ui/editor/addnodecommand.h>
#include <ui/editor/autolayout.h>
#include <ui/editor/connectcommand.h>
#include <ui/editor/connectionitem.h>
#include <ui/editor/deletenodescommand.h>
#include <ui/editor/disconnectcommand.h>
#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/movenodescommand.h>
#include <ui/editor/nodeitem.h>
#include <ui/editor/renamenodecommand.h>

#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QMenu>
#include <QMessageBox>
#include <QUndoStack>

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace fb::ui {

FlowScene::FlowScene(FlowGraphModel *model, QUndoStack *undoStack, QObject *parent)
    : QGraphicsScene(parent)
    , m_model(model)
    , m_undoStack(undoStack)
{
    setItemIndexMethod(QGraphicsScene::NoIndex);
    connect(model, &FlowGraphModel::modelReset, this, &FlowScene::rebuild);
    connect(model, &FlowGraphModel::nodeCreated, this, &FlowScene::createNodeItem);
    connect(model, &FlowGraphModel::nodeDeleted, this, &FlowScene::removeNodeItem);
    connect(model, &FlowGraphModel::nodeUpdated, this, &FlowScene::updateNodeItem);
    connect(model, &FlowGraphModel::nodePositionUpdated, this, &FlowScene::moveNodeItem);
    connect(model, &FlowGraphModel::connectionCreated, this, &FlowScene::createConnectionItem);
    connect(model, &FlowGraphModel::connectionDeleted, this, &FlowScene::removeConnectionItem);
    rebuild();
}

FlowScene::~FlowScene() = default;

NodeItem *FlowScene::nodeItem(NodeId id) const { return m_nodes.value(id); }

ConnectionItem *FlowScene::connectionItem(const GraphConnection &connection) const
{
    return m_connections.value(connection);
}

QList<NodeItem *> FlowScene::nodeItems() const { return m_nodes.values(); }

QList<ConnectionItem *> FlowScene::connectionItems() const { return m_connections.values(); }

void FlowScene::rebuild()
{
    m_draft = nullptr;
    m_dragHighlight = nullptr;
    m_pressPositions.clear();
    clear();
    m_nodes.clear();
    m_connections.clear();
    for (const NodeId id : m_model->nodeIds()) {
        createNodeItem(id);
    }
    const QList<GraphConnection> connections = m_model->connections();
    for (const auto &c : connections) {
        createConnectionItem(c);
    }
}

void FlowScene::createNodeItem(NodeId id)
{
    if (m_nodes.contains(id)) {
        return;
    }
    auto *item = new NodeItem(m_model, id);
    m_nodes.insert(id, item);
    addItem(item);
    item->setPos(m_model->position(id));
}

void FlowScene::removeNodeItem(NodeId id)
{
    NodeItem *item = m_nodes.take(id);
    if (!item) {
        return;
    }
    for (auto it = m_connections.begin(); it != m_connections.end();) {
        if (it.key().inNode == id || it.key().outNode == id) {
            delete it.value();
            it = m_connections.erase(it);
        } else {
            ++it;
        }
    }
    if (m_dragHighlight == item) {
        m_dragHighlight = nullptr;
    }
    delete item;
}

void FlowScene::updateNodeItem(NodeId id)
{
    NodeItem *item = m_nodes.value(id);
    if (!item) {
        return;
    }
    item->refresh();
    nodeItemMoved(item);
    updateConnectedPorts(id);
}

void FlowScene::retranslate()
{
    for (NodeItem *item : std::as_const(m_nodes)) {
        item->refresh();
    }
}

void FlowScene::moveNodeItem(NodeId id)
{
    if (NodeItem *item = m_nodes.value(id)) {
        item->setPos(m_model->position(id));
    }
}

QString FlowScene::connectionType(const GraphConnection &connection) const
{
    return m_model->portType(connection.outNode, connection.outPort, false);
}

void FlowScene::createConnectionItem(const GraphConnection &connection)
{
    if (m_connections.contains(connection) || !m_nodes.contains(connection.inNode)
        || !m_nodes.contains(connection.outNode)) {
        return;
    }
    auto *item = new ConnectionItem(connection, connectionType(connection));
    m_connections.insert(connection, item);
    addItem(item);
    updateConnectionGeometry(item);
    updateConnectedPorts(connection.inNode);
    updateConnectedPorts(connection.outNode);
}

void FlowScene::removeConnectionItem(const GraphConnection &connection)
{
    delete m_connections.take(connection);
    updateConnectedPorts(connection.inNode);
    updateConnectedPorts(connection.outNode);
}

void FlowScene::updateConnectionGeometry(ConnectionItem *item)
{
    const GraphConnection &c = item->connection();
    const NodeItem *from = m_nodes.value(c.outNode);
    const NodeItem *to = m_nodes.value(c.inNode);
    if (from && to) {
        item->setEnds(from->portScenePos(c.outPort, false), to->portScenePos(c.inPort, true));
    }
}

void FlowScene::updateConnectedPorts(NodeId id)
{
    NodeItem *item = m_nodes.value(id);
    if (!item) {
        return;
    }
    QSet<QString> ports;
    bool output = false;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        if (it.key().inNode == id) {
            ports.insert(it.key().inPort);
        }
        if (it.key().outNode == id) {
            output = true;
            if (id == NodeId::FlowInputs) {
                ports.insert(it.key().outPort);
            }
        }
    }
    item->setConnectedPorts(ports, output);
}

void FlowScene::nodeItemMoved(NodeItem *item)
{
    const NodeId id = item->nodeId();
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it) {
        if (it.key().inNode == id || it.key().outNode == id) {
            updateConnectionGeometry(it.value());
        }
    }
}

void FlowScene::autoLayout(bool onlyUnplaced)
{
    const auto sizeOf = [this](NodeId id) {
        const NodeItem *item = m_nodes.value(id);
        return item ? item->size() : QSizeF(200, 80);
    };
    QHash<NodeId, QPointF> positions = AutoLayout::layout(*m_model, sizeOf);
    if (!onlyUnplaced) {
        QList<MoveNodesCommand::Move> moves;
        for (auto it = positions.cbegin(); it != positions.cend(); ++it) {
            moves.append({it.key(), it.value()});
        }
        auto *cmd = new MoveNodesCommand(m_model, moves);
        cmd->setText(tr("Auto layout"));
        m_undoStack->push(cmd);
        return;
    }
    bool anySaved = false;
    QRectF placed;
    for (const NodeId id : m_model->nodeIds()) {
        if (m_model->kind(id) != GraphNodeKind::Node) {
            continue;
        }
        if (const auto saved = m_model->savedPosition(id)) {
            anySaved = true;
            positions.remove(id);
            placed = placed.united(QRectF(*saved, sizeOf(id)));
        }
    }
    if (anySaved) {
        // Place the unplaced nodes below the saved ones, and the inputs/outputs beside them.
        const qreal shiftY = placed.bottom() + AutoLayout::kLayerGap;
        QRectF all = placed;
        for (auto it = positions.begin(); it != positions.end(); ++it) {
            if (m_model->kind(it.key()) == GraphNodeKind::Node) {
                it.value() += QPointF(placed.left(), shiftY);
                all = all.united(QRectF(it.value(), sizeOf(it.key())));
            }
        }
        const qreal midY = all.center().y();
        const QSizeF in = sizeOf(NodeId::FlowInputs);
        const QSizeF out = sizeOf(NodeId::FlowOutputs);
        positions.insert(
            NodeId::FlowInputs,
            QPointF(all.left() - AutoLayout::kLayerGap - in.width(), midY - in.height() / 2));
        positions.insert(NodeId::FlowOutputs,
                         QPointF(all.right() + AutoLayout::kLayerGap, midY - out.height() / 2));
    }
    m_model->setLayoutPositions(positions);
}

void FlowScene::setProblems(const QHash<NodeId, QStringList> &errors,
                            const QHash<NodeId, QStringList> &warnings)
{
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        it.value()->setProblems(errors.value(it.key()), warnings.value(it.key()));
    }
}

NodeId FlowScene::selectedNode() const
{
    NodeId found = NodeId::Invalid;
    const QList<QGraphicsItem *> items = selectedItems();
    for (QGraphicsItem *item : items) {
        if (item->type() != NodeItem::Type) {
            continue;
        }
        if (found != NodeId::Invalid) {
            return NodeId::Invalid;
        }
        found = static_cast<NodeItem *>(item)->nodeId();
    }
    return m_model->kind(found) == GraphNodeKind::Node ? found : NodeId::Invalid;
}

void FlowScene::selectNode(NodeId id)
{
    clearSelection();
    if (NodeItem *item = m_nodes.value(id)) {
        item->setSelected(true);
    }
}

void FlowScene::addNode(NodeType type, const QPointF &scenePos)
{
    const char *base = type == NodeType::Python   ? "python"
                       : type == NodeType::Prompt ? "prompt"
                                                  : "llm";
    const QString name = m_model->uniqueNodeName(QString::fromLatin1(base));
    m_undoStack->push(new AddNodeCommand(m_model,
                                         AddNodeCommand::defaultNode(type, name, m_defaultConnection),
                                         freeSpotNear(scenePos)));
    selectNode(m_model->nodeId(name));
}

QPointF FlowScene::freeSpotNear(const QPointF &scenePos) const
{
    // A new node goes where it covers no other: the asked point, else the nearest free place
    // on a spiral of steps around it. Nodes are at most this big when new.
    const QSizeF size(260, 130); // ports included
    const auto isFree = [this, &size](const QPointF &p) {
        const QRectF wanted(p - QPointF(16, 16), size + QSizeF(32, 32));
        const QList<QGraphicsItem *> hits
            = items(wanted, Qt::IntersectsItemBoundingRect, Qt::DescendingOrder);
        for (const QGraphicsItem *item : hits) {
            if (item->type() == NodeItem::Type) {
                return false;
            }
        }
        return true;
    };
    if (isFree(scenePos)) {
        return scenePos;
    }
    for (int ring = 1; ring <= 12; ++ring) {
        for (int dx = -ring; dx <= ring; ++dx) {
            for (int dy = -ring; dy <= ring; ++dy) {
                if (std::max(std::abs(dx), std::abs(dy)) != ring) {
                    continue;
                }
                const QPointF p = scenePos + QPointF(dx * (size.width() + 24) / 2.0,
                                                     dy * (size.height() + 24) / 2.0);
                if (isFree(p)) {
                    return p;
                }
            }
        }
    }
    return scenePos;
}

void FlowScene::deleteSelection()
{
    QStringList names;
    QList<GraphConnection> edges;
    const QList<QGraphicsItem *> items = selectedItems();
    for (QGraphicsItem *item : items) {
        if (item->type() == NodeItem::Type) {
            const NodeId id = static_cast<NodeItem *>(item)->nodeId();
            if (m_model->kind(id) == GraphNodeKind::Node) {
                names.append(m_model->nodeName(id));
            }
        } else if (item->type() == ConnectionItem::Type) {
            edges.append(static_cast<ConnectionItem *>(item)->connection());
        }
    }
    QList<GraphConnection> disconnect;
    for (const auto &c : edges) {
        if (!names.contains(m_model->nodeName(c.inNode))
            && !names.contains(m_model->nodeName(c.outNode))) {
            disconnect.append(c);
        }
    }
    const int count = int(disconnect.size()) + (names.isEmpty() ? 0 : 1);
    if (count == 0) {
        return;
    }
    if (count > 1) {
        m_undoStack->beginMacro(tr("Delete selection"));
    }
    for (const auto &c : disconnect) {
        m_undoStack->push(new DisconnectCommand(m_model, c));
    }
    if (!names.isEmpty()) {
        m_undoStack->push(new DeleteNodesCommand(m_model, names));
    }
    if (count > 1) {
        m_undoStack->endMacro();
    }
}

void FlowScene::renameNodeInteractively(NodeId id)
{
    if (m_model->kind(id) != GraphNodeKind::Node) {
        return;
    }
    QWidget *parent = views().isEmpty() ? nullptr : views().front();
    const QString current = m_model->nodeName(id);
    bool ok = false;
    const QString name = QInputDialog::getText(parent, tr("Rename node"), tr("New name:"),
                                               QLineEdit::Normal, current, &ok)
                             .trimmed();
    if (!ok || name == current) {
        return;
    }
    if (!m_model->isNameAvailable(name)) {
        QMessageBox::warning(parent, tr("Rename node"),
                             tr("\"%1\" cannot be used: a node name is letters, digits and "
                                "underscores, starts with a letter, and is not used or "
                                "referenced yet.")
                                 .arg(name));
        return;
    }
    m_undoStack->push(new RenameNodeCommand(m_model, current, name));
}

void FlowScene::connectPorts(NodeId outNode, const QString &outPort, NodeId inNode,
                             const QString &inPort)
{
    if (!m_model->canConnect(outNode, outPort, inNode, inPort)) {
        return;
    }
    const QString reference = m_model->referenceText(outNode, outPort);
    const Value current = m_model->portValue(inNode, inPort);
    if (current.is_string() && QString::fromStdString(current.get<std::string>()) == reference) {
        return;
    }
    m_undoStack->push(new ConnectCommand(m_model, outNode, outPort, inNode, inPort));
}

NodeItem *FlowScene::nodeItemAt(const QPointF &scenePos) const
{
    const QList<QGraphicsItem *> under = items(scenePos.x() - 8, scenePos.y() - 8, 16, 16,
                                               Qt::IntersectsItemShape, Qt::DescendingOrder);
    for (QGraphicsItem *item : under) {
        if (item->type() == NodeItem::Type) {
            return static_cast<NodeItem *>(item);
        }
    }
    return nullptr;
}

void FlowScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        if (NodeItem *item = nodeItemAt(event->scenePos())) {
            const NodeItem::PortHit hit = item->portAt(item->mapFromScene(event->scenePos()));
            if (hit.isValid()) {
                m_dragNode = item->nodeId();
                m_dragPort = hit.port;
                m_dragFromInput = hit.isInput;
                m_draft = new ConnectionItem(
                    m_model->portType(m_dragNode, m_dragPort, m_dragFromInput));
                addItem(m_draft);
                const QPointF anchor = item->portScenePos(hit.port, hit.isInput);
                m_draft->setEnds(anchor, event->scenePos());
                event->accept();
                return;
            }
        }
    }
    QGraphicsScene::mousePressEvent(event);
    m_pressPositions.clear();
    const QList<QGraphicsItem *> selected = selectedItems();
    for (QGraphicsItem *item : selected) {
        if (item->type() == NodeItem::Type) {
            m_pressPositions.insert(static_cast<NodeItem *>(item)->nodeId(), item->pos());
        }
    }
}

void FlowScene::clearDragHighlight()
{
    if (m_dragHighlight) {
        m_dragHighlight->setHighlightedPort({}, false);
        m_dragHighlight = nullptr;
    }
}

void FlowScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (!m_draft) {
        QGraphicsScene::mouseMoveEvent(event);
        return;
    }
    const NodeItem *source = m_nodes.value(m_dragNode);
    if (!source) {
        return;
    }
    const QPointF anchor = source->portScenePos(m_dragPort, m_dragFromInput);
    QPointF end = event->scenePos();
    clearDragHighlight();
    if (NodeItem *target = nodeItemAt(event->scenePos())) {
        const NodeItem::PortHit hit = target->portAt(target->mapFromScene(event->scenePos()));
        if (hit.isValid() && hit.isInput != m_dragFromInput) {
            const bool ok
                = m_dragFromInput
                      ? m_model->canConnect(target->nodeId(), hit.port, m_dragNode, m_dragPort)
                      : m_model->canConnect(m_dragNode, m_dragPort, target->nodeId(), hit.port);
            if (ok) {
                end = target->portScenePos(hit.port, hit.isInput);
                target->setHighlightedPort(hit.port, hit.isInput);
                m_dragHighlight = target;
            }
        }
    }
    if (m_dragFromInput) {
        m_draft->setEnds(end, anchor);
    } else {
        m_draft->setEnds(anchor, end);
    }
}

void FlowScene::finishConnectionDrag(const QPointF &scenePos)
{
    clearDragHighlight();
    delete m_draft;
    m_draft = nullptr;
    NodeItem *target = nodeItemAt(scenePos);
    if (!target) {
        return;
    }
    const NodeItem::PortHit hit = target->portAt(target->mapFromScene(scenePos));
    if (!hit.isValid() || hit.isInput == m_dragFromInput) {
        return;
    }
    if (m_dragFromInput) {
        connectPorts(target->nodeId(), hit.port, m_dragNode, m_dragPort);
    } else {
        connectPorts(m_dragNode, m_dragPort, target->nodeId(), hit.port);
    }
}

void FlowScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_draft) {
        finishConnectionDrag(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    QList<MoveNodesCommand::Move> moves;
    for (auto it = m_pressPositions.cbegin(); it != m_pressPositions.cend(); ++it) {
        const NodeItem *item = m_nodes.value(it.key());
        if (item && item->pos() != it.value()) {
            moves.append({it.key(), item->pos()});
        }
    }
    m_pressPositions.clear();
    if (!moves.isEmpty()) {
        m_undoStack->push(new MoveNodesCommand(m_model, moves));
    }
}

void FlowScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    if (NodeItem *item = nodeItemAt(event->scenePos())) {
        Q_EMIT nodeActivated(item->nodeId());
        event->accept();
        return;
    }
    QGraphicsScene::mouseDoubleClickEvent(event);
}

void FlowScene::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Delete) || event->key() == Qt::Key_Backspace) {
        deleteSelection();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_F2) {
        renameNodeInteractively(selectedNode());
        event->accept();
        return;
    }
    QGraphicsScene::keyPressEvent(event);
}

void FlowScene::contextMenuEvent(QGraphicsSceneContextMenuEvent *event)
{
    QMenu menu;
    const QPointF pos = event->scenePos();
    NodeItem *node = nodeItemAt(pos);
    QGraphicsItem *top = itemAt(pos, QTransform());
    if (node && m_model->kind(node->nodeId()) == GraphNodeKind::Node) {
        const NodeId id = node->nodeId();
        if (!node->isSelected()) {
            selectNode(id);
        }
        menu.addAction(tr("Rename…"), this, [this, id] { renameNodeInteractively(id); });
        menu.addAction(tr("Delete"), this, [this] { deleteSelection(); });
    } else if (top && top->type() == ConnectionItem::Type) {
        const GraphConnection c = static_cast<ConnectionItem *>(top)->connection();
        menu.addAction(tr("Disconnect"), this,
                       [this, c] { m_undoStack->push(new DisconnectCommand(m_model, c)); });
    } else {
        menu.addAction(tr("Add LLM node"), this, [this, pos] { addNode(NodeType::Llm, pos); });
        menu.addAction(tr("Add prompt node"), this,
                       [this, pos] { addNode(NodeType::Prompt, pos); });
        menu.addAction(tr("Add Python node"), this,
                       [this, pos] { addNode(NodeType::Python, pos); });
        menu.addSeparator();
        menu.addAction(tr("Auto layout"), this, [this] { autoLayout(false); });
    }
    menu.exec(event->screenPos());
    event->accept();
}

} // namespace fb::ui
