#include <ui/app/aboutdialog.h>

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace fb::ui {

QString AboutDialog::licencesHtml()
{
    struct Entry
    {
        const char *component;
        QString licence;
    };
    const Entry entries[] = {
        {"Qt 6", tr("GNU LGPL version 3")},
        {"QtKeychain", tr("BSD 3-Clause")},
        {"yaml-cpp", tr("MIT")},
        {"nlohmann/json", tr("MIT")},
        {"libcurl", tr("curl licence (MIT/X derivative)")},
        {"SQLite", tr("public domain")},
        {"Boost", tr("Boost Software License 1.0")},
        {"tiktoken ranks", tr("MIT")},
    };
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='3'>");
    for (const Entry &e : entries) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;&nbsp;%2</td></tr>")
                    .arg(QString::fromUtf8(e.component).toHtmlEscaped(), e.licence.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    return html;
}

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/flowbench.svg")).pixmap(64, 64));
    header->addWidget(icon, 0, Qt::AlignTop);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    header->addWidget(m_title, 1);
    layout->addLayout(header);
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    layout->addWidget(m_intro);
    m_licences = new QTextBrowser(this);
    m_licences->setObjectName(QStringLiteral("licences"));
    m_licences->setMinimumHeight(200);
    layout->addWidget(m_licences, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    retranslateUi();
    resize(520, 420);
}

void AboutDialog::retranslateUi()
{
    setWindowTitle(tr("About Flowbench"));
    m_title->setText(QStringLiteral("<h2>Flowbench %1</h2><p>%2</p>")
                         .arg(QCoreApplication::applicationVersion(),
                              tr("A workbench for LLM prompt flows: initialize, experiment, "
                                 "evaluate and deploy promptflow <tt>flow.dag.yaml</tt> flows.")));
    m_intro->setText(tr("Flowbench ships with these components, under these licences:"));
    m_licences->setHtml(licencesHtml());
}

void AboutDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QDialog::changeEvent(event);
}

} // namespace fb::ui
