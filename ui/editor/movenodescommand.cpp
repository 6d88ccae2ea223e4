#include <ui/editor/movenodescommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QCoreApplication>

namespace fb::ui {

namespace {
constexpr int kMoveCommandId = 0x46420001;
}

MoveNodesCommand::MoveNodesCommand(FlowGraphModel *model, const QList<Move> &moves,
                                   QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
{
    for (const auto &move : moves) {
        Entry entry;
        entry.node = NodeKey::of(*model, move.node);
        entry.from = model->kind(move.node) == GraphNodeKind::Node
                         ? model->savedPosition(move.node)
                         : std::optional<QPointF>(model->position(move.node));
        entry.to = move.to;
        m_entries.push_back(entry);
    }
    setText(moves.size() == 1
                ? QCoreApplication::translate("fb::ui::MoveNodesCommand", "Move node")
                : QCoreApplication::translate("fb::ui::MoveNodesCommand", "Move %n nodes", nullptr,
                                              int(moves.size())));
}

void MoveNodesCommand::redo()
{
    for (const auto &entry : m_entries) {
        m_model->setNodePosition(entry.node.resolve(*m_model), entry.to);
    }
}

void MoveNodesCommand::undo()
{
    for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
        m_model->setNodePosition(it->node.resolve(*m_model), it->from);
    }
}

int MoveNodesCommand::id() const { return kMoveCommandId; }

bool MoveNodesCommand::mergeWith(const QUndoCommand *other)
{
    const auto *move = static_cast<const MoveNodesCommand *>(other);
    if (move->m_entries.size() != m_entries.size()) {
        return false;
    }
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (!(move->m_entries[i].node == m_entries[i].node)) {
            return false;
        }
    }
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        m_entries[i].to = move->m_entries[i].to;
    }
    return true;
}

} // namespace fb::ui
