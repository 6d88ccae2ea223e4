#pragma once

#include <core/flow/flow.h>

#include <QPointF>
#include <QUndoCommand>

namespace fb::ui {

class FlowGraphModel;

/// Adds a node at the end of the flow's nodes, at a position in the graph.
class AddNodeCommand final : public QUndoCommand
{
public:
    AddNodeCommand(FlowGraphModel *model, fb::Node node, const QPointF &pos,
                   QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

    /// A new node of `type` named `name` with sensible defaults: llm nodes get a chat template
    /// `<name>.jinja2`, a model and a temperature; prompt nodes a template; python nodes
    /// `<name>.py`. `connection` is used for llm nodes when not empty.
    [[nodiscard]] static fb::Node defaultNode(fb::NodeType type, const QString &name,
                                              const QString &connection = {});

private:
    FlowGraphModel *m_model;
    fb::Node m_node;
};

} // namespace fb::ui
