#pragma once

#include <core/common/value.h>

#include <QPointer>
#include <QTextDocument>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTextBrowser;
class QTimer;

namespace fb::ui {

/// Edits one template file of a node (the selected variant's): a QPlainTextEdit with Jinja2
/// and chat-role highlighting, a live preview of the rendered messages for a context (the
/// node's inputs filled from the sample row), and template errors underlined at their line
/// with the message beside. Undo of text edits is the document's own undo stack (one per
/// template file), not the flow's QUndoStack.
class PromptEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit PromptEditor(QWidget *parent = nullptr);

    /// Shows `document` (owned by the caller, kept alive while shown). `chat` parses the
    /// rendered text into chat messages; `context` holds the template variables.
    void setTemplate(QTextDocument *document, const QString &fileName, bool chat,
                     const fb::Value &context);
    /// Shows no template, with `message` explaining why (e.g. "python node").
    void clearTemplate(const QString &message);
    void setContext(const fb::Value &context);

    [[nodiscard]] QPlainTextEdit *textEdit() const { return m_edit; }
    [[nodiscard]] QTextDocument *document() const { return m_document; }
    [[nodiscard]] QString fileName() const { return m_fileName; }
    /// The preview as plain text (role headers and contents).
    [[nodiscard]] QString previewText() const;
    /// The current template error ("" when it renders), and its 1-based line (0 = none).
    [[nodiscard]] QString errorMessage() const { return m_error; }
    [[nodiscard]] int errorLine() const { return m_errorLine; }

    /// Renders now instead of after the typing pause.
    void refreshPreview();

Q_SIGNALS:
    void previewUpdated();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void scheduleRefresh();
    void showError(const QString &message, int line);

    QPlainTextEdit *m_edit;
    QTextBrowser *m_preview;
    QLabel *m_previewTitle = nullptr;
    QLabel *m_title;
    QLabel *m_status;
    QTimer *m_timer;
    QPointer<QTextDocument> m_document;
    QTextDocument *m_placeholder;
    QString m_fileName;
    bool m_chat = true;
    fb::Value m_context = fb::Value::object();
    QString m_error;
    int m_errorLine = 0;
};

} // namespace fb::ui
