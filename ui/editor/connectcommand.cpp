#include <ui/editor/connectcommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QCoreApplication>

namespace fb::ui {

ConnectCommand::ConnectCommand(FlowGraphModel *model, NodeId outNode, const QString &outPort,
                               NodeId inNode, const QString &inPort, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_out(NodeKey::of(*model, outNode))
    , m_outPort(outPort)
    , m_in(NodeKey::of(*model, inNode))
    , m_inPort(inPort)
{
    setText(QCoreApplication::translate("fb::ui::ConnectCommand", "Connect %1 to %2")
                .arg(model->referenceText(outNode, outPort), inPort));
}

void ConnectCommand::redo()
{
    const NodeId in = m_in.resolve(*m_model);
    m_previous = m_model->portValue(in, m_inPort);
    const QString reference = m_model->referenceText(m_out.resolve(*m_model), m_outPort);
    m_model->setPortValue(in, m_inPort, Value(reference.toStdString()));
}

void ConnectCommand::undo() { m_model->setPortValue(m_in.resolve(*m_model), m_inPort, m_previous); }

} // namespace fb::ui
