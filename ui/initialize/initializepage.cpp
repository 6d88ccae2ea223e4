#include <ui/initialize/initializepage.h>

#include <ui/app/workspace.h>
#include <ui/initialize/connectionspanel.h>
#include <ui/initialize/datasetspanel.h>
#include <ui/initialize/flowmetadata.h>
#include <ui/initialize/flowtemplates.h>

#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QInputDialog>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace fb::ui {

namespace {

QFrame *card(QWidget *parent)
{
    auto *f = new QFrame(parent);
    f->setFrameShape(QFrame::StyledPanel);
    f->setAutoFillBackground(true);
    f->setBackgroundRole(QPalette::Base);
    return f;
}

QLabel *heading(QWidget *parent)
{
    auto *l = new QLabel(parent);
    QFont f = l->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.1);
    l->setFont(f);
    return l;
}

} // namespace

InitializePage::InitializePage(SecretStore *secrets, SimulatorService *simulator, QWidget *parent)
    : QWidget(parent)
    , m_notesTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("initializePage"));

    auto *startCard = card(this);
    m_startTitle = heading(startCard);
    m_templates = new QListWidget(startCard);
    m_templates->setObjectName(QStringLiteral("templateList"));
    m_templates->setWordWrap(true);
    m_templates->setSpacing(2);
    m_create = new QPushButton(startCard);
    m_create->setObjectName(QStringLiteral("createFromTemplate"));
    m_create->setDefault(true);
    m_open = new QPushButton(startCard);
    auto *startButtons = new QHBoxLayout;
    startButtons->addWidget(m_create);
    startButtons->addWidget(m_open);
    auto *startLayout = new QVBoxLayout(startCard);
    startLayout->addWidget(m_startTitle);
    startLayout->addWidget(m_templates, 1);
    startLayout->addLayout(startButtons);

    auto *notesCard = card(this);
    m_notesTitle = heading(notesCard);
    m_flowTitle = new QLabel(notesCard);
    m_flowTitle->setObjectName(QStringLiteral("flowTitle"));
    m_flowTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes = new QPlainTextEdit(notesCard);
    m_notes->setObjectName(QStringLiteral("flowNotes"));
    auto *notesLayout = new QVBoxLayout(notesCard);
    notesLayout->addWidget(m_notesTitle);
    notesLayout->addWidget(m_flowTitle);
    notesLayout->addWidget(m_notes, 1);

    auto *dataCard = card(this);
    m_datasets = new DatasetsPanel(dataCard);
    auto *dataLayout = new QVBoxLayout(dataCard);
    dataLayout->addWidget(m_datasets);

    auto *connCard = card(this);
    m_connections = new ConnectionsPanel(secrets, simulator, connCard);
    auto *connLayout = new QVBoxLayout(connCard);
    connLayout->addWidget(m_connections);

    auto *left = new QSplitter(Qt::Vertical, this);
    left->setObjectName(QStringLiteral("initializeLeftSplit"));
    left->addWidget(startCard);
    left->addWidget(notesCard);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 2);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->setObjectName(QStringLiteral("initializeRightSplit"));
    right->addWidget(dataCard);
    right->addWidget(connCard);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    auto *main = new QSplitter(Qt::Horizontal, this);
    main->setObjectName(QStringLiteral("initializeSplit"));
    main->addWidget(left);
    main->addWidget(right);
    main->setStretchFactor(0, 2);
    main->setStretchFactor(1, 3);
    main->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 12, 12, 12);
    layout->addWidget(main);

    m_notesTimer->setSingleShot(true);
    m_notesTimer->setInterval(800);
    connect(m_notesTimer, &QTimer::timeout, this, &InitializePage::flushNotes);
    connect(m_notes, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_flowDir.isEmpty()) {
            m_notesDirty = true;
            m_notesTimer->start();
        }
    });
    connect(m_create, &QPushButton::clicked, this, &InitializePage::createSelected);
    connect(m_templates, &QListWidget::itemDoubleClicked, this, &InitializePage::createSelected);
    connect(m_open, &QPushButton::clicked, this, &InitializePage::browseForFlowRequested);

    retranslateUi();
    setFlow({});
}

void InitializePage::retranslateUi()
{
    m_startTitle->setText(tr("Start a flow"));
    m_create->setText(tr("Create from Template"));
    m_open->setText(tr("Open Flow Folder…"));
    m_notesTitle->setText(tr("Goal and notes"));
    m_notes->setPlaceholderText(
        tr("What should this flow achieve? Who reads its output? What does good look like?"));
    fillTemplates();
    setFlow(m_flowDir);
}

void InitializePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void InitializePage::fillTemplates()
{
    const int current = m_templates->currentRow();
    m_templates->clear();
    for (const QString &dir : FlowTemplates::list()) {
        const QString name = QFileInfo(dir).fileName();
        const QString about = FlowTemplates::describe(dir);
        auto *item = new QListWidgetItem(
            about.isEmpty() ? name : QStringLiteral("%1\n%2").arg(name, about), m_templates);
        item->setData(Qt::UserRole, dir);
        item->setToolTip(QDir::toNativeSeparators(dir));
    }
    m_templates->setCurrentRow(current < 0 ? 0 : current);
}

void InitializePage::setWorkspace(const Workspace &workspace)
{
    m_workspaceRoot = workspace.root();
    m_create->setEnabled(workspace.isOpen());
    m_connections->setWorkspace(workspace.root(),
                                workspace.isOpen() ? workspace.connectionsDir() : QString());
}

void InitializePage::setFlow(const QString &flowDir)
{
    const bool otherFlow = flowDir != m_flowDir || !m_notesLoaded;
    if (flowDir != m_flowDir) {
        flushNotes();
    }
    m_flowDir = flowDir;
    if (flowDir.isEmpty()) {
        m_flowTitle->setText(tr("No flow open — create one from a template or open a folder."));
    } else {
        m_flowTitle->setText(tr("Flow: %1").arg(QDir::toNativeSeparators(flowDir)));
    }
    if (otherFlow) {
        // Only for another flow: a language switch re-runs this and must keep unsaved typing.
        const QSignalBlocker block(m_notes);
        m_notes->setPlainText(flowDir.isEmpty() ? QString() : FlowMetadata::notes(flowDir));
        m_notesLoaded = true;
    }
    m_notes->setEnabled(!flowDir.isEmpty());
    if (m_datasets->property("flowDir").toString() != flowDir) {
        m_datasets->setProperty("flowDir", flowDir);
        m_datasets->setFlow(flowDir);
    }
}

void InitializePage::flushNotes()
{
    // Called by the timer (no longer active then), on leaving the flow and on quit: what
    // decides is whether there is unsaved text, not whether the timer still runs.
    m_notesTimer->stop();
    if (!m_notesDirty || m_flowDir.isEmpty()) {
        return;
    }
    m_notesDirty = false;
    QString error;
    if (FlowMetadata::setNotes(m_flowDir, m_notes->toPlainText(), &error)) {
        Q_EMIT status(tr("Notes saved"));
    } else {
        Q_EMIT status(error);
    }
}

bool InitializePage::createFromTemplate(const QString &templateDir, QString *createdDir,
                                        QString *error, const QString &name)
{
    if (m_workspaceRoot.isEmpty()) {
        if (error) {
            *error = tr("Open a workspace first.");
        }
        return false;
    }
    Workspace ws;
    QString wsError;
    if (!ws.open(m_workspaceRoot, &wsError)) {
        if (error) {
            *error = wsError;
        }
        return false;
    }
    QString target;
    if (name.isEmpty()) {
        target = ws.uniqueFlowDir(QFileInfo(templateDir).fileName());
    } else {
        static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_. -]*$"));
        if (!valid.match(name).hasMatch() || name.size() > 100) {
            if (error) {
                *error = tr("\"%1\" cannot be a flow folder name: use letters, digits, '_', "
                            "'-', '.' and spaces.")
                             .arg(name);
            }
            return false;
        }
        target = QDir(ws.root()).filePath(name);
        if (QFileInfo::exists(target)) {
            if (error) {
                *error = tr("%1 already exists in the workspace.").arg(name);
            }
            return false;
        }
    }
    if (!FlowTemplates::copy(templateDir, target, error)) {
        return false;
    }
    if (createdDir) {
        *createdDir = target;
    }
    Q_EMIT status(tr("Created %1").arg(QDir::toNativeSeparators(target)));
    Q_EMIT openFlowRequested(target);
    return true;
}

void InitializePage::createSelected()
{
    const QListWidgetItem *item = m_templates->currentItem();
    if (!item) {
        return;
    }
    const QString templateDir = item->data(Qt::UserRole).toString();
    Workspace ws;
    QString error;
    if (m_workspaceRoot.isEmpty() || !ws.open(m_workspaceRoot, &error)) {
        QMessageBox::warning(this, tr("New Flow"),
                             error.isEmpty() ? tr("Open a workspace first.") : error);
        return;
    }
    // The new flow's folder, in the workspace: the template's name, made unique.
    QString name = QFileInfo(ws.uniqueFlowDir(QFileInfo(templateDir).fileName())).fileName();
    for (;;) {
        bool ok = false;
        name = QInputDialog::getText(
                   this, tr("New Flow"),
                   tr("Folder name for the new flow (in %1):")
                       .arg(QDir::toNativeSeparators(ws.root())),
                   QLineEdit::Normal, name, &ok)
                   .trimmed();
        if (!ok || name.isEmpty()) {
            return;
        }
        if (createFromTemplate(templateDir, nullptr, &error, name)) {
            return;
        }
        QMessageBox::warning(this, tr("New Flow"), error);
    }
}

} // namespace fb::ui
