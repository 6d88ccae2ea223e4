#include <ui/app/placeholderpage.h>

#include <QLabel>
#include <QVBoxLayout>

namespace fb::ui {

PlaceholderPage::PlaceholderPage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_body(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(48, 40, 48, 40);
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    m_title->setFont(f);
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::RichText);
    m_body->setMaximumWidth(720);
    m_body->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_title);
    layout->addSpacing(12);
    layout->addWidget(m_body);
    layout->addStretch(1);
}

void PlaceholderPage::setTexts(const QString &title, const QString &body)
{
    m_title->setText(title);
    m_body->setText(body);
}

} // namespace fb::ui
