#include <ui/editor/deletenodescommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QCoreApplication>
#include <QSet>

#include <algorithm>

namespace fb::ui {

DeleteNodesCommand::DeleteNodesCommand(FlowGraphModel *model, const QStringList &names,
                                       QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_names(names)
{
    setText(names.size() == 1
                ? QCoreApplication::translate("fb::ui::DeleteNodesCommand", "Delete node %1")
                      .arg(names.front())
                : QCoreApplication::translate("fb::ui::DeleteNodesCommand", "Delete %n nodes",
                                              nullptr, int(names.size())));
}

void DeleteNodesCommand::redo()
{
    m_removed.clear();
    m_cleared.clear();
    QSet<NodeId> ids;
    for (const auto &name : m_names) {
        const NodeId id = m_model->nodeId(name);
        if (id != NodeId::Invalid) {
            ids.insert(id);
        }
    }
    // Clear the references the remaining graph holds to the deleted nodes.
    const QList<GraphConnection> all = m_model->connections();
    for (const auto &c : all) {
        if (ids.contains(c.outNode) && !ids.contains(c.inNode)) {
            ClearedPort cleared{NodeKey::of(*m_model, c.inNode), c.inPort,
                                m_model->portValue(c.inNode, c.inPort)};
            m_model->setPortValue(c.inNode, c.inPort, Value(""));
            m_cleared.push_back(std::move(cleared));
        }
    }
    // Remove from the back so that the recorded indices stay valid for the reinsertion.
    QList<NodeId> ordered(ids.begin(), ids.end());
    std::sort(ordered.begin(), ordered.end(),
              [&](NodeId a, NodeId b) { return m_model->nodeIndex(a) > m_model->nodeIndex(b); });
    for (const NodeId id : ordered) {
        Removed removed;
        removed.node = *m_model->node(id);
        removed.index = m_model->nodeIndex(id);
        removed.variantsIndex = m_model->variantsIndex(id);
        if (const NodeVariants *nv = m_model->variants(id)) {
            removed.variants = *nv;
        } else if (removed.variantsIndex >= 0) {
            removed.variants = m_model->flow().nodeVariants[std::size_t(removed.variantsIndex)];
        }
        removed.position = m_model->position(id);
        m_model->removeNode(id);
        m_removed.push_back(std::move(removed));
    }
}

void DeleteNodesCommand::undo()
{
    for (auto it = m_removed.rbegin(); it != m_removed.rend(); ++it) {
        const NodeId id = m_model->insertNode(it->index, it->node, it->variants, it->variantsIndex);
        if (!m_model->savedPosition(id)) {
            m_model->setLayoutPositions({{id, it->position}});
        }
    }
    for (auto it = m_cleared.rbegin(); it != m_cleared.rend(); ++it) {
        m_model->setPortValue(it->node.resolve(*m_model), it->port, it->previous);
    }
}

} // namespace fb::ui
