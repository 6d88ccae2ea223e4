#include <ui/editor/variantdiffdialog.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

QColor rowColour(LineDiff::Row::Kind kind, bool left, bool dark)
{
    using Kind = LineDiff::Row::Kind;
    switch (kind) {
    case Kind::Same:
        return {};
    case Kind::Changed:
        return dark ? QColor(0x4a, 0x40, 0x1c) : QColor(0xfd, 0xf1, 0xc7);
    case Kind::Removed:
        return left ? (dark ? QColor(0x5a, 0x26, 0x26) : QColor(0xfd, 0xe0, 0xdd))
                    : (dark ? QColor(0x33, 0x33, 0x36) : QColor(0xee, 0xef, 0xf1));
    case Kind::Added:
        return left ? (dark ? QColor(0x33, 0x33, 0x36) : QColor(0xee, 0xef, 0xf1))
                    : (dark ? QColor(0x1f, 0x4a, 0x2c) : QColor(0xdc, 0xf5, 0xe3));
    }
    return {};
}

} // namespace

VariantDiffDialog::VariantDiffDialog(const Flow &flow, const QString &nodeName,
                                     TemplateText templateText, const QString &leftVariant,
                                     const QString &rightVariant, QWidget *parent)
    : QDialog(parent)
    , m_flow(flow)
    , m_nodeName(nodeName)
    , m_templateText(std::move(templateText))
    , m_left(new QComboBox(this))
    , m_right(new QComboBox(this))
    , m_leftText(new QPlainTextEdit(this))
    , m_rightText(new QPlainTextEdit(this))
    , m_summary(new QLabel(this))
{
    setWindowTitle(tr("Compare variants of %1").arg(nodeName));
    resize(1100, 640);
    if (const NodeVariants *nv = m_flow.variantsOf(nodeName.toStdString())) {
        for (const auto &v : nv->variants) {
            m_left->addItem(QString::fromStdString(v.id));
            m_right->addItem(QString::fromStdString(v.id));
        }
    }
    m_left->setCurrentText(leftVariant);
    m_right->setCurrentText(rightVariant);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit *edit : {m_leftText, m_rightText}) {
        edit->setReadOnly(true);
        edit->setFont(mono);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    auto *grid = new QGridLayout;
    grid->addWidget(m_left, 0, 0);
    grid->addWidget(m_right, 0, 1);
    grid->addWidget(m_leftText, 1, 0);
    grid->addWidget(m_rightText, 1, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_left, &QComboBox::currentTextChanged, this, &VariantDiffDialog::refresh);
    connect(m_right, &QComboBox::currentTextChanged, this, &VariantDiffDialog::refresh);
    // Scroll both sides together.
    connect(m_leftText->verticalScrollBar(), &QScrollBar::valueChanged,
            m_rightText->verticalScrollBar(), &QScrollBar::setValue);
    connect(m_rightText->verticalScrollBar(), &QScrollBar::valueChanged,
            m_leftText->verticalScrollBar(), &QScrollBar::setValue);
    refresh();
}

void VariantDiffDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        setWindowTitle(tr("Compare variants of %1").arg(m_nodeName));
        refresh(); // the summary line
    }
    QDialog::changeEvent(event);
}

QStringList VariantDiffDialog::describe(const Variant &variant, const TemplateText &templateText)
{
    const Node &n = variant.node;
    QStringList lines;
    lines.append(
        QStringLiteral("description: %1").arg(QString::fromStdString(variant.description)));
    lines.append(QStringLiteral("type: %1").arg(QString::fromLatin1(nodeTypeName(n.type))));
    lines.append(QStringLiteral("connection: %1").arg(QString::fromStdString(n.connection)));
    lines.append(QStringLiteral("api: %1").arg(QString::fromStdString(n.api)));
    lines.append(QStringLiteral("source: %1").arg(QString::fromStdString(n.source.path)));
    for (const auto &in : n.inputs) {
        lines.append(QStringLiteral("%1: %2").arg(
            QString::fromStdString(in.name),
            QString::fromStdString(in.value.is_string() ? in.value.get<std::string>()
                                                        : in.value.dump())));
    }
    lines.append(QString());
    if (!n.source.path.empty() && templateText) {
        lines.append(templateText(QString::fromStdString(n.source.path)).split(QLatin1Char('\n')));
    }
    return lines;
}

void VariantDiffDialog::refresh()
{
    const NodeVariants *nv = m_flow.variantsOf(m_nodeName.toStdString());
    if (!nv) {
        return;
    }
    const Variant *left = nv->variant(m_left->currentText().toStdString());
    const Variant *right = nv->variant(m_right->currentText().toStdString());
    if (!left || !right) {
        return;
    }
    m_rows = LineDiff::compare(describe(*left, m_templateText), describe(*right, m_templateText));
    QStringList leftLines;
    QStringList rightLines;
    for (const auto &row : std::as_const(m_rows)) {
        leftLines.append(row.left);
        rightLines.append(row.right);
    }
    m_leftText->setPlainText(leftLines.join(QLatin1Char('\n')));
    m_rightText->setPlainText(rightLines.join(QLatin1Char('\n')));
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    for (const bool isLeft : {true, false}) {
        QPlainTextEdit *edit = isLeft ? m_leftText : m_rightText;
        QList<QTextEdit::ExtraSelection> marks;
        for (int i = 0; i < m_rows.size(); ++i) {
            const QColor colour = rowColour(m_rows[i].kind, isLeft, dark);
            if (!colour.isValid()) {
                continue;
            }
            QTextEdit::ExtraSelection mark;
            mark.cursor = QTextCursor(edit->document()->findBlockByNumber(i));
            mark.format.setBackground(colour);
            mark.format.setProperty(QTextFormat::FullWidthSelection, true);
            marks.append(mark);
        }
        edit->setExtraSelections(marks);
    }
    m_summary->setText(tr("%n line(s) differ.", nullptr, LineDiff::differenceCount(m_rows)));
}

} // namespace fb::ui
