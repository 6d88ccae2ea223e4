#pragma once

#include <core/common/value.h>
#include <ui/editor/nodekey_p.h>

#include <QUndoCommand>

namespace fb::ui {

class FlowGraphModel;

/// Connects an output port to an input port by writing the `${...}` reference into the input
/// (replacing what was there; undo restores it, or removes the input if it did not exist).
class ConnectCommand final : public QUndoCommand
{
public:
    ConnectCommand(FlowGraphModel *model, NodeId outNode, const QString &outPort, NodeId inNode,
                   const QString &inPort, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    FlowGraphModel *m_model;
    NodeKey m_out;
    QString m_outPort;
    NodeKey m_in;
    QString m_inPort;
    fb::Value m_previous;
};

} // namespace fb::ui
