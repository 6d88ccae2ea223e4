#include <ui/editor/disconnectcommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QCoreApplication>

namespace fb::ui {

DisconnectCommand::DisconnectCommand(FlowGraphModel *model, const GraphConnection &connection,
                                     QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_in(NodeKey::of(*model, connection.inNode))
    , m_inPort(connection.inPort)
{
    setText(QCoreApplication::translate("fb::ui::DisconnectCommand", "Disconnect %1")
                .arg(connection.inPort));
}

void DisconnectCommand::redo()
{
    const NodeId in = m_in.resolve(*m_model);
    m_previous = m_model->portValue(in, m_inPort);
    m_model->setPortValue(in, m_inPort, Value(""));
}

void DisconnectCommand::undo()
{
    m_model->setPortValue(m_in.resolve(*m_model), m_inPort, m_previous);
}

} // namespace fb::ui
