#include <ui/experiment/experimentpage.h>

#include <ui/experiment/runpanel.h>

#include <core/data/datasetinfo.h>
#include <core/flow/flowloader.h>

#ifdef FB_HAVE_EDITOR
#include <ui/editor/floweditorwidget.h>
#include <ui/editor/flowscene.h>
#endif

#include <QCoreApplication>
#include <QEvent>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QSplitter>
#include <QTabWidget>
#include <QThreadPool>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include <memory>

namespace fb::ui {

ExperimentPage::ExperimentPage(SimulatorService *simulator, SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("experimentPage"));
    m_run = new RunPanel(simulator, secrets, this);
    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->setObjectName(QStringLiteral("experimentSplit"));
    m_vertical->setChildrenCollapsible(false);
    auto *top = new QSplitter(Qt::Horizontal, m_vertical);
    top->setObjectName(QStringLiteral("experimentTopSplit"));
    top->setChildrenCollapsible(false);
    m_bottomTabs = new QTabWidget(m_vertical);
    m_bottomTabs->setObjectName(QStringLiteral("experimentBottomTabs"));
    m_bottomTabs->setDocumentMode(true);
    m_bottomTabs->addTab(m_run, QString());

#ifdef FB_HAVE_EDITOR
    m_editor = new fb::FlowEditorWidget(top);
    m_editor->setObjectName(QStringLiteral("flowEditor"));
    m_sideTabs = new QTabWidget(top);
    m_sideTabs->setObjectName(QStringLiteral("experimentSideTabs"));
    m_sideTabs->setDocumentMode(true);
    m_sideTabs->addTab(m_editor->promptEditor(), QString());
    m_sideTabs->addTab(m_editor->propertiesPanel(), QString());
    m_problems = m_editor->problemsView();
    m_bottomTabs->addTab(m_problems, QString());
    top->addWidget(m_editor);
    top->addWidget(m_sideTabs);
    top->setStretchFactor(0, 1);
    top->setStretchFactor(1, 1);
    // The graph and the prompt share the width: editor and preview side by side need it.
    top->setSizes({560, 620});
    connect(m_editor, &fb::FlowEditorWidget::modifiedChanged, this,
            &ExperimentPage::modifiedChanged);
    m_run->setUnsavedTemplates([this] { return m_editor->unsavedTemplates(); });
    connect(m_editor, &fb::FlowEditorWidget::flowChanged, this, [this] {
        refreshRunFlow();
        Q_EMIT flowChanged();
    });
    connect(m_editor, &fb::FlowEditorWidget::problemsChanged, this, [this](int errors) {
        m_bottomTabs->setTabText(1, errors > 0 ? tr("Problems (%1)").arg(errors) : tr("Problems"));
    });
    // A run takes the flow and the open variant tabs as they are when Run is pressed.
    m_run->setSourceProvider([this] {
        return RunPanel::RunSource{m_editor->flow(), m_editor->variantSelection()};
    });
    connect(m_run, &RunPanel::inputsChanged, m_editor, &fb::FlowEditorWidget::setSampleInputs);
#else
    m_nodes = new QListWidget(top);
    m_nodes->setObjectName(QStringLiteral("nodeList"));
    auto *note = new QLabel(top);
    note->setObjectName(QStringLiteral("noEditorNote"));
    note->setWordWrap(true);
    note->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    top->addWidget(m_nodes);
    top->addWidget(note);
#endif
    m_vertical->addWidget(top);
    m_vertical->addWidget(m_bottomTabs);
    m_vertical->setStretchFactor(0, 4);
    m_vertical->setStretchFactor(1, 3);
    m_vertical->setSizes({420, 320});

    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("experimentHeader"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_header->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_header);
    layout->addWidget(m_vertical, 1);

    connect(m_run, &RunPanel::status, this, &ExperimentPage::status);
    connect(m_run, &RunPanel::datasetChosen, this, &ExperimentPage::loadRows);
    retranslateUi();
}

ExperimentPage::~ExperimentPage() = default;

void ExperimentPage::retranslateUi()
{
    m_bottomTabs->setTabText(0, tr("Run One Row"));
#ifdef FB_HAVE_EDITOR
    m_sideTabs->setTabText(0, tr("Prompt"));
    m_sideTabs->setTabText(1, tr("Properties"));
    m_bottomTabs->setTabText(1, tr("Problems"));
#else
    if (auto *note = findChild<QLabel *>(QStringLiteral("noEditorNote"))) {
        note->setText(tr("This build has no flow editor: the nodes are listed read-only."));
    }
#endif
    if (m_hasFlow) {
        m_header->setText(
            tr("<b>%1</b> &nbsp; <span style='color:gray'>%2</span>")
                .arg(QString::fromStdString(m_flow.dir.filename().string()).toHtmlEscaped(),
                     m_flowDir.toHtmlEscaped()));
    } else {
        m_header->setText(tr("No flow open — open one with Ctrl+O or start one in Initialize."));
    }
}

void ExperimentPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

bool ExperimentPage::openFlow(const QString &dir, QString *error)
{
#ifdef FB_HAVE_EDITOR
    if (!m_editor->openFlow(dir, error)) {
        return false;
    }
    m_flow = m_editor->flow();
    // Fit once the layout has given the view its final size.
    QTimer::singleShot(0, m_editor, &fb::FlowEditorWidget::fitToView);
#else
    auto loaded = fb::FlowLoader::load(dir.toStdString());
    if (!loaded) {
        if (error) {
            *error = QString::fromStdString(loaded.error().message);
        }
        return false;
    }
    m_flow = std::move(*loaded);
    m_nodes->clear();
    for (const auto &n : m_flow.nodes) {
        m_nodes->addItem(QStringLiteral("%1  ·  %2")
                             .arg(QString::fromStdString(n.name),
                                  QString::fromLatin1(fb::nodeTypeName(n.type))));
    }
#endif
    m_flowDir = QString::fromStdString(m_flow.dir.string());
    m_hasFlow = true;
#ifdef FB_HAVE_EDITOR
    m_run->openFlow(m_editor->flow(), m_editor->variantSelection());
#else
    m_run->openFlow(m_flow);
#endif
    retranslateUi();
    Q_EMIT flowChanged();
    return true;
}

const fb::Flow &ExperimentPage::flow() const
{
#ifdef FB_HAVE_EDITOR
    if (m_hasFlow) {
        return m_editor->flow();
    }
#endif
    return m_flow;
}

void ExperimentPage::refreshRunFlow()
{
    if (!m_hasFlow) {
        return;
    }
#ifdef FB_HAVE_EDITOR
    m_run->setFlow(m_editor->flow(), m_editor->variantSelection());
#else
    m_run->setFlow(m_flow);
#endif
}

bool ExperimentPage::save(QString *error)
{
#ifdef FB_HAVE_EDITOR
    return m_hasFlow && m_editor->save(error);
#else
    if (error) {
        *error = tr("This build has no flow editor.");
    }
    return false;
#endif
}

bool ExperimentPage::isModified() const
{
#ifdef FB_HAVE_EDITOR
    return m_hasFlow && m_editor->isModified();
#else
    return false;
#endif
}

QUndoStack *ExperimentPage::undoStack() const
{
#ifdef FB_HAVE_EDITOR
    return m_editor->undoStack();
#else
    return nullptr;
#endif
}

void ExperimentPage::setWorkspace(const QString &root, const QString &connectionsDir)
{
    m_run->setWorkspace(root, connectionsDir);
}

void ExperimentPage::setConnectionNames(const QStringList &names)
{
#ifdef FB_HAVE_EDITOR
    m_editor->setConnectionNames(names);
#else
    Q_UNUSED(names);
#endif
}

void ExperimentPage::setDatasetFiles(const QStringList &files)
{
    m_datasetFiles = files;
    // Keep reading the dataset the user chose while it stays attached.
    loadRows(files.contains(m_datasetFile) ? m_datasetFile : files.value(0));
}

void ExperimentPage::loadRows(const QString &file)
{
    const int generation = ++m_datasetGeneration;
    m_datasetFile = file;
    m_run->setDatasets(m_datasetFiles, file);
    if (file.isEmpty()) {
        m_run->setSampleRows({});
        return;
    }
    QPointer<ExperimentPage> self(this);
    const std::string path = file.toStdString();
    // Read on a pool thread; the rows hop back to the GUI thread (queued).
    QThreadPool::globalInstance()->start([self, path, generation] {
        fb::DatasetReaderOptions options;
        options.onBadRow = fb::OnBadRow::Skip;
        auto result = std::make_shared<fb::Result<fb::DatasetInfo>>(
            fb::DatasetInfo::preview(path, 50, options));
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, result, generation] {
                if (!self || generation != self->m_datasetGeneration) {
                    return;
                }
                QList<fb::Value> rows;
                if (*result) {
                    for (const auto &r : (*result)->rows) {
                        rows.append(r.row);
                    }
                }
                self->m_run->setSampleRows(rows);
                self->m_run->chooseRow(0);
            },
            Qt::QueuedConnection);
    });
}

} // namespace fb::ui
