#include <ui/app/modebar.h>

#include <QButtonGroup>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace fb::ui {

ModeBar::ModeBar(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
    , m_group(new QButtonGroup(this))
{
    setObjectName(QStringLiteral("modeBar"));
    m_layout->setContentsMargins(6, 10, 6, 10);
    m_layout->setSpacing(4);
    m_layout->addStretch(1);
    m_group->setExclusive(true);
    setFixedWidth(92);
    setAttribute(Qt::WA_StyledBackground, false);
    connect(m_group, &QButtonGroup::idClicked, this, &ModeBar::currentChanged);
}

int ModeBar::addMode(const QIcon &icon, const QString &text, const QString &toolTip)
{
    auto *button = new QToolButton(this);
    button->setIcon(icon);
    button->setIconSize(QSize(28, 28));
    button->setText(text);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    button->setMinimumHeight(64);
    button->setFocusPolicy(Qt::TabFocus);
    const int index = int(m_buttons.size());
    button->setObjectName(QStringLiteral("modeButton%1").arg(index));
    m_group->addButton(button, index);
    m_layout->insertWidget(index, button);
    m_buttons.append(button);
    if (index == 0) {
        button->setChecked(true);
    }
    return index;
}

void ModeBar::setModeText(int index, const QString &text, const QString &toolTip)
{
    if (QToolButton *b = m_buttons.value(index)) {
        b->setText(text);
        b->setToolTip(toolTip);
    }
    fitWidth();
}

void ModeBar::fitWidth()
{
    // Wide enough for the longest name in the language in force ("Eksperyment"), never
    // narrower than the icons need.
    int widest = 0;
    for (const QToolButton *b : std::as_const(m_buttons)) {
        widest = std::max(widest, b->fontMetrics().horizontalAdvance(b->text()));
    }
    setFixedWidth(std::max(92, widest + 2 * 6 + 24));
}

void ModeBar::setCurrent(int index)
{
    if (QToolButton *b = m_buttons.value(index)) {
        b->setChecked(true);
    }
}

int ModeBar::current() const { return m_group->checkedId(); }

void ModeBar::paintEvent(QPaintEvent *event)
{
    QPainter p(this);
    const QPalette &pal = palette();
    QColor bg = pal.color(QPalette::Window);
    bg = bg.lightness() < 128 ? bg.darker(125) : bg.darker(106);
    p.fillRect(rect(), bg);
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(rect().topRight(), rect().bottomRight());
    // The checked mode gets an accent strip on its left edge.
    for (QToolButton *b : m_buttons) {
        if (b->isChecked()) {
            const QRect r = b->geometry();
            p.fillRect(QRect(0, r.top() + 6, 3, r.height() - 12), pal.color(QPalette::Highlight));
        }
    }
    QWidget::paintEvent(event);
}

} // namespace fb::ui
