#pragma once

#include <ui/editor/nodekey_p.h>

#include <QPointF>
#include <QUndoCommand>

#include <optional>
#include <vector>

namespace fb::ui {

class FlowGraphModel;

/// Moves nodes to new positions. Consecutive moves of the same nodes merge into one step.
/// Undo restores the previous saved position, or removes it when the node had none.
class MoveNodesCommand final : public QUndoCommand
{
public:
    struct Move
    {
        NodeId node = NodeId::Invalid;
        QPointF to;
    };

    MoveNodesCommand(FlowGraphModel *model, const QList<Move> &moves,
                     QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;
    [[nodiscard]] int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    struct Entry
    {
        NodeKey node;
        std::optional<QPointF> from;
        QPointF to;
    };

    FlowGraphModel *m_model;
    std::vector<Entry> m_entries;
};

} // namespace fb::ui
