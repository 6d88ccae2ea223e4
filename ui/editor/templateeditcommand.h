#pragma once

#include <QPointer>
#include <QString>
#include <QTextDocument>
#include <QUndoCommand>

namespace fb::ui {

/// One undo step of a template's text (as QTextDocument recorded it: a run of typing, a paste,
/// a deletion) on the flow's undo stack, so Edit ▸ Undo walks prompt and graph edits in the
/// order they were made. The document keeps the text changes; this command asks it to undo or
/// redo one step. Pushed after the edit happened: the first redo() does nothing.
class TemplateEditCommand final : public QUndoCommand
{
public:
    TemplateEditCommand(QTextDocument *document, const QString &fileName,
                        QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    QPointer<QTextDocument> m_document;
    bool m_skipFirstRedo = true; ///< pushed after the edit: the text has changed already
};

} // namespace fb::ui
