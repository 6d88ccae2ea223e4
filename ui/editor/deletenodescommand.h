#pragma once

#include <core/flow/flow.h>
#include <ui/editor/nodekey_p.h>

#include <QPointF>
#include <QStringList>
#include <QUndoCommand>

#include <optional>
#include <vector>

namespace fb::ui {

class FlowGraphModel;

/// Deletes nodes. References to them from the remaining nodes and outputs are cleared (set to
/// an empty string) and restored on undo, as are the nodes' places in `nodes` and
/// `node_variants`, so undo gives back the identical flow.
class DeleteNodesCommand final : public QUndoCommand
{
public:
    DeleteNodesCommand(FlowGraphModel *model, const QStringList &names,
                       QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    struct Removed
    {
        fb::Node node;
        std::optional<fb::NodeVariants> variants;
        int index = -1;
        int variantsIndex = -1;
        QPointF position;
    };
    struct ClearedPort
    {
        NodeKey node;
        QString port;
        fb::Value previous;
    };

    FlowGraphModel *m_model;
    QStringList m_names;
    std::vector<Removed> m_removed;
    std::vector<ClearedPort> m_cleared;
};

} // namespace fb::ui
