#include <ui/editor/prompteditor.h>

#include <core/template/chatparser.h>
#include <core/template/template.h>

#include <QEvent>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextDocumentLayout>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSplitter>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

/// The line number in a core template error "file:7: message" (0 when there is none).
int errorLineOf(const QString &message, const QString &fileName)
{
    static const QRegularExpression re(QStringLiteral(":(\\d+)(?::\\d+)?: "));
    const int start = message.startsWith(fileName) ? int(fileName.size()) : 0;
    const QRegularExpressionMatch m = re.match(message, start);
    return m.hasMatch() && m.capturedStart() == start ? m.captured(1).toInt() : 0;
}

QString roleColour(const QString &role, bool dark)
{
    if (role == QLatin1String("system")) {
        return dark ? QStringLiteral("#c69cf5") : QStringLiteral("#7b3fc4");
    }
    if (role == QLatin1String("assistant")) {
        return dark ? QStringLiteral("#7fd1a0") : QStringLiteral("#1f7a45");
    }
    return dark ? QStringLiteral("#7fb6f5") : QStringLiteral("#1f5fbf");
}

} // namespace

PromptEditor::PromptEditor(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_preview(new QTextBrowser(this))
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_timer(new QTimer(this))
    , m_placeholder(new QTextDocument(this))
{
    m_placeholder->setDocumentLayout(new QPlainTextDocumentLayout(m_placeholder));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_edit->setFont(mono);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')) * 4);
    m_edit->setDocument(m_placeholder);
    m_edit->setReadOnly(true);
    m_preview->setOpenLinks(false);
    m_title->setTextFormat(Qt::PlainText);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto *previewPane = new QWidget(this);
    auto *previewLayout = new QVBoxLayout(previewPane);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    m_previewTitle = new QLabel(previewPane);
    m_previewTitle->setFont(bold);
    previewLayout->addWidget(m_previewTitle);
    previewLayout->addWidget(m_preview, 1);
    previewLayout->addWidget(m_status);

    auto *editPane = new QWidget(this);
    auto *editLayout = new QVBoxLayout(editPane);
    editLayout->setContentsMargins(0, 0, 0, 0);
    editLayout->addWidget(m_title);
    editLayout->addWidget(m_edit, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("promptSplit"));
    splitter->addWidget(editPane);
    splitter->addWidget(previewPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    m_timer->setSingleShot(true);
    m_timer->setInterval(200);
    connect(m_timer, &QTimer::timeout, this, &PromptEditor::refreshPreview);
    retranslateUi();
    clearTemplate(tr("Select an llm or prompt node to edit its template."));
}

void PromptEditor::retranslateUi()
{
    m_edit->setAccessibleName(tr("Prompt template"));
    m_preview->setAccessibleName(tr("Rendered prompt preview"));
    m_preview->setPlaceholderText(tr("The rendered messages appear here."));
    m_previewTitle->setText(tr("Preview"));
}

void PromptEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        // The status line and the title are rebuilt in the new language; the message shown
        // without a template is the caller's, which sets it again.
        if (m_document) {
            refreshPreview();
        } else {
            m_title->setText(tr("No template"));
        }
    }
    if (event->type() == QEvent::PaletteChange && m_document) {
        refreshPreview(); // role colours and the error colour depend on the palette
    }
    QWidget::changeEvent(event);
}

void PromptEditor::setTemplate(QTextDocument *document, const QString &fileName, bool chat,
                               const Value &context)
{
    if (m_document) {
        disconnect(m_document, nullptr, this, nullptr);
    }
    m_document = document;
    m_fileName = fileName;
    m_chat = chat;
    m_context = context;
    m_edit->setDocument(document);
    m_edit->setReadOnly(false);
    m_title->setText(fileName);
    connect(document, &QTextDocument::contentsChanged, this, &PromptEditor::scheduleRefresh);
    refreshPreview();
}

void PromptEditor::clearTemplate(const QString &message)
{
    if (m_document) {
        disconnect(m_document, nullptr, this, nullptr);
    }
    m_document = nullptr;
    m_fileName.clear();
    m_edit->setDocument(m_placeholder);
    m_edit->setReadOnly(true);
    m_edit->setExtraSelections({});
    m_title->setText(tr("No template"));
    m_preview->clear();
    m_status->setText(message);
    m_error.clear();
    m_errorLine = 0;
    m_timer->stop();
}

void PromptEditor::setContext(const Value &context)
{
    m_context = context;
    if (m_document) {
        refreshPreview();
    }
}

void PromptEditor::scheduleRefresh() { m_timer->start(); }

QString PromptEditor::previewText() const { return m_preview->toPlainText(); }

void PromptEditor::showError(const QString &message, int line)
{
    m_error = message;
    m_errorLine = line;
    m_status->setText(message);
    // Only an error gets its own colour, one that reads on the palette in force; otherwise the
    // label follows the palette (a theme switch included).
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QColor red = dark ? QColor(0xf2, 0x5c, 0x54) : QColor(0xd9, 0x2d, 0x20);
    m_status->setStyleSheet(message.isEmpty()
                                ? QString()
                                : QStringLiteral("QLabel { color: %1; }").arg(red.name()));
    QList<QTextEdit::ExtraSelection> selections;
    if (line > 0 && m_document) {
        const QTextBlock block = m_document->findBlockByNumber(line - 1);
        if (block.isValid()) {
            QTextEdit::ExtraSelection selection;
            selection.cursor = QTextCursor(block);
            selection.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
            selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
            selection.format.setUnderlineColor(red);
            selection.format.setToolTip(message);
            selections.append(selection);
        }
    }
    m_edit->setExtraSelections(selections);
}

void PromptEditor::refreshPreview()
{
    m_timer->stop();
    if (!m_document) {
        return;
    }
    const std::string name = m_fileName.toStdString();
    auto parsed = Template::parse(m_document->toPlainText().toStdString(), name);
    if (!parsed) {
        const QString message = QString::fromStdString(parsed.error().message);
        showError(message, errorLineOf(message, m_fileName));
        Q_EMIT previewUpdated();
        return;
    }
    auto rendered = parsed->render(m_context);
    if (!rendered) {
        const QString message = QString::fromStdString(rendered.error().message);
        showError(message, errorLineOf(message, m_fileName));
        Q_EMIT previewUpdated();
        return;
    }
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QString html;
    QString problem;
    if (m_chat) {
        auto messages = ChatParser::parse(*rendered, name);
        if (!messages) {
            problem = QString::fromStdString(messages.error().message);
            html = QStringLiteral("<pre style='white-space:pre-wrap'>%1</pre>")
                       .arg(QString::fromStdString(*rendered).toHtmlEscaped());
        } else {
            for (const auto &m : *messages) {
                const QString role = QString::fromStdString(m.role);
                QString header = role.toUpper();
                if (!m.name.empty()) {
                    header += QStringLiteral(" · ") + QString::fromStdString(m.name);
                }
                html += QStringLiteral("<p style='margin-top:8px;margin-bottom:2px'><b "
                                       "style='color:%1;font-size:small'>%2</b></p>"
                                       "<pre style='white-space:pre-wrap;margin-top:0'>%3</pre>")
                            .arg(roleColour(role, dark), header.toHtmlEscaped(),
                                 QString::fromStdString(m.content).toHtmlEscaped());
            }
        }
    } else {
        html = QStringLiteral("<pre style='white-space:pre-wrap'>%1</pre>")
                   .arg(QString::fromStdString(*rendered).toHtmlEscaped());
    }
    m_preview->setHtml(html);
    if (!problem.isEmpty()) {
        showError(problem, 0);
    } else {
        showError({}, 0);
        QStringList missing;
        for (const auto &v : parsed->variables()) {
            if (!m_context.is_object() || !m_context.contains(v)) {
                missing.append(QString::fromStdString(v));
            }
        }
        if (!missing.isEmpty()) {
            m_status->setText(
                tr("Variables without a value: %1").arg(missing.join(QStringLiteral(", "))));
        }
    }
    Q_EMIT previewUpdated();
}

} // namespace fb::ui
