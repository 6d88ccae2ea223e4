#include <ui/editor/templateeditcommand.h>

#include <QCoreApplication>

namespace fb::ui {

TemplateEditCommand::TemplateEditCommand(QTextDocument *document, const QString &fileName,
                                         QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
{
    setText(QCoreApplication::translate("fb::ui::TemplateEditCommand", "Edit %1").arg(fileName));
}

void TemplateEditCommand::redo()
{
    if (m_skipFirstRedo) {
        m_skipFirstRedo = false;
        return;
    }
    if (m_document) {
        m_document->redo();
    }
}

void TemplateEditCommand::undo()
{
    if (m_document) {
        m_document->undo();
    }
}

} // namespace fb::ui
