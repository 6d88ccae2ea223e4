#pragma once

#include <core/common/value.h>
#include <ui/editor/graphtypes.h>
#include <ui/editor/nodekey_p.h>

#include <QUndoCommand>

namespace fb::ui {

class FlowGraphModel;

/// Removes a connection by clearing the reference in its input port (an empty string, so
/// the input itself stays); undo writes the reference back.
class DisconnectCommand final : public QUndoCommand
{
public:
    DisconnectCommand(FlowGraphModel *model, const GraphConnection &connection,
                      QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    FlowGraphModel *m_model;
    NodeKey m_in;
    QString m_inPort;
    fb::Value m_previous;
};

} // namespace fb::ui
