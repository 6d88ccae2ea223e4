#include <ui/editor/renamenodecommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QCoreApplication>

namespace fb::ui {

RenameNodeCommand::RenameNodeCommand(FlowGraphModel *model, const QString &oldName,
                                     const QString &newName, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_oldName(oldName)
    , m_newName(newName)
{
    setText(QCoreApplication::translate("fb::ui::RenameNodeCommand", "Rename %1 to %2")
                .arg(oldName, newName));
}

void RenameNodeCommand::redo() { m_model->renameNode(m_model->nodeId(m_oldName), m_newName); }

void RenameNodeCommand::undo() { m_model->renameNode(m_model->nodeId(m_newName), m_oldName); }

} // namespace fb::ui
