#include <ui/app/aboutdialog.h>

#include <QCoreApplication>
#include <QDialogButtonBox>
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
    setWindowTitle(tr("About Flowbench"));
    auto *layout = new QVBoxLayout(this);
    auto *header = new QHBoxLayout;
    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/flowbench.svg")).pixmap(64, 64));
    header->addWidget(icon, 0, Qt::AlignTop);
    auto *title = new QLabel(this);
    title->setTextFormat(Qt::RichText);
    title->setWordWrap(true);
    title->setText(QStringLiteral("<h2>Flowbench %1</h2><p>%2</p>")
                       .arg(QCoreApplication::applicationVersion(),
                            tr("A workbench for LLM prompt flows: initialize, experiment, "
                               "evaluate and deploy promptflow <tt>flow.dag.yaml</tt> flows.")));
    header->addWidget(title, 1);
    layout->addLayout(header);
    auto *intro
        = new QLabel(tr("Flowbench ships with these components, under these licences:"), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *browser = new QTextBrowser(this);
    browser->setObjectName(QStringLiteral("licences"));
    browser->setHtml(licencesHtml());
    browser->setMinimumHeight(200);
    layout->addWidget(browser, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(520, 420);
}

} // namespace fb::ui
