#include <ui/app/mainwindow.h>

#include <ui/app/aboutdialog.h>
#include <ui/app/appsettings.h>
#include <ui/app/languagemanager.h>
#include <ui/app/modebar.h>
#include <ui/app/placeholderpage.h>
#include <ui/app/settingsdialog.h>
#include <ui/app/theme.h>
#include <ui/evaluate/compareview.h>
#include <ui/evaluate/evaluatepage.h>
#include <ui/evaluate/runchartsview.h>
#include <ui/evaluate/runsmodel.h>
#include <ui/evaluate/experimentsetuppanel.h>
#include <ui/experiment/experimentpage.h>
#ifdef FB_HAVE_EDITOR
#include <ui/editor/floweditorwidget.h>
#endif
#include <ui/experiment/runpanel.h>
#include <ui/initialize/connectionspanel.h>
#include <ui/initialize/datasetspanel.h>
#include <ui/initialize/initializepage.h>
#include <ui/initialize/secretstore.h>
#include <ui/initialize/simulatorservice.h>

#include <QAction>
#include <QCheckBox>
#include <QApplication>
#include <QCloseEvent>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPixmap>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>

namespace fb::ui {

namespace {
constexpr int kAutosaveMs = 5000;
} // namespace

MainWindow::MainWindow(LanguageManager *language, QWidget *parent)
    : QMainWindow(parent)
    , m_language(language)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/flowbench.svg")));

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_modeBar = new ModeBar(central);
    m_pages = new QStackedWidget(central);
    m_pages->setObjectName(QStringLiteral("modePages"));
    layout->addWidget(m_modeBar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_statusText = new QLabel(this);
    m_statusText->setObjectName(QStringLiteral("statusText"));
    // A long message must not widen the window: one elided line, the rest in the tooltip.
    m_statusText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_statusText->setTextFormat(Qt::PlainText);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("statusBusy"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(14);
    m_busy->setTextVisible(false);
    m_busy->hide();
    statusBar()->addWidget(m_statusText, 1);
    statusBar()->addPermanentWidget(m_busy);

    createActions();
    createMenus();
    createPages();
    retranslateUi();
    rebuildRecentMenus();

    connect(m_modeBar, &ModeBar::currentChanged, this, [this](int index) { setMode(Mode(index)); });
    restoreWindowState();

    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setInterval(kAutosaveMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosaveNow);
    m_autosaveTimer->start();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto make = [this](const char *name, const QKeySequence &key) {
        auto *a = new QAction(this);
        a->setObjectName(QString::fromLatin1(name));
        if (!key.isEmpty()) {
            a->setShortcut(key);
        }
        addAction(a);
        return a;
    };
    m_openFlowAction = make("actionOpenFlow", QKeySequence::Open);
    connect(m_openFlowAction, &QAction::triggered, this, &MainWindow::openFlowDialog);
    m_openWorkspaceAction = make("actionOpenWorkspace", QKeySequence(tr("Ctrl+Shift+O")));
    connect(m_openWorkspaceAction, &QAction::triggered, this, &MainWindow::openWorkspaceDialog);
    m_saveAction = make("actionSave", QKeySequence::Save);
    m_saveAction->setEnabled(false);
    m_settingsAction = make("actionSettings", QKeySequence::Preferences);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::showSettings);
    m_quitAction = make("actionQuit", QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);
    m_undoAction = make("actionUndo", QKeySequence(Qt::CTRL | Qt::Key_Z));
    m_undoAction->setEnabled(false);
    m_redoAction = make("actionRedo", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    m_redoAction->setEnabled(false);
    for (int i = 0; i < kModeCount; ++i) {
        auto *a = make(QStringLiteral("actionMode%1").arg(i + 1).toLatin1().constData(),
                       QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        a->setCheckable(true);
        connect(a, &QAction::triggered, this, [this, i] { setMode(Mode(i)); });
        m_modeActions[i] = a;
    }
    m_runAction = make("actionRun", QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_runAction->setEnabled(false);
    m_cancelAction = make("actionCancel", QKeySequence(Qt::Key_Escape));
    m_cancelAction->setEnabled(false);
    m_shortcutsAction = make("actionHelp", QKeySequence::HelpContents);
    connect(m_shortcutsAction, &QAction::triggered, this, &MainWindow::showShortcuts);
    m_aboutAction = make("actionAbout", {});
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openFlowAction);
    m_recentFlowsMenu = m_fileMenu->addMenu(QString());
    m_fileMenu->addAction(m_openWorkspaceAction);
    m_recentWorkspacesMenu = m_fileMenu->addMenu(QString());
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_settingsAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);

    m_viewMenu = menuBar()->addMenu(QString());
    for (QAction *a : m_modeActions) {
        m_viewMenu->addAction(a);
    }

    m_runMenu = menuBar()->addMenu(QString());
    m_runMenu->addAction(m_runAction);
    m_runMenu->addAction(m_cancelAction);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_shortcutsAction);
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::createPages()
{
    m_modeBar->addMode(QIcon(QStringLiteral(":/icons/mode-initialize.svg")), {}, {});
    m_modeBar->addMode(QIcon(QStringLiteral(":/icons/mode-experiment.svg")), {}, {});
    m_modeBar->addMode(QIcon(QStringLiteral(":/icons/mode-evaluate.svg")), {}, {});
    m_modeBar->addMode(QIcon(QStringLiteral(":/icons/mode-deploy.svg")), {}, {});

    m_secrets = new SecretStore(this);
    m_simulator = new SimulatorService(this);
    m_initializePage = new InitializePage(m_secrets, m_simulator, m_pages);
    m_experimentPage = new ExperimentPage(m_simulator, m_secrets, m_pages);
    m_evaluatePage = new EvaluatePage(m_simulator, m_secrets, m_pages);
    m_deployPage = new PlaceholderPage(m_pages);
    m_deployPage->setObjectName(QStringLiteral("deployPage"));
    m_pages->addWidget(m_initializePage);
    m_pages->addWidget(m_experimentPage);
    m_pages->addWidget(m_evaluatePage);
    m_pages->addWidget(m_deployPage);

    connect(m_initializePage, &InitializePage::openFlowRequested, this,
            &MainWindow::openFlowInteractively);
    connect(m_initializePage, &InitializePage::browseForFlowRequested, this,
            &MainWindow::openFlowDialog);
    connect(m_initializePage, &InitializePage::status, this,
            [this](const QString &text) { showActivity(text, false); });
    connect(m_initializePage->datasets(), &DatasetsPanel::datasetsChanged, m_experimentPage,
            &ExperimentPage::setDatasetFiles);
    connect(m_initializePage->connections(), &ConnectionsPanel::connectionsChanged, this,
            [this](const QStringList &names) { m_experimentPage->setConnectionNames(names); });
    connect(m_experimentPage, &ExperimentPage::status, this, &MainWindow::showActivity);
    connect(m_initializePage->datasets(), &DatasetsPanel::datasetsChanged, m_evaluatePage,
            &EvaluatePage::setDatasetFiles);
    // Evaluate runs the saved flow: its variants follow the editor's.
    connect(m_experimentPage, &ExperimentPage::flowChanged, this,
            [this] { m_evaluatePage->setFlow(m_experimentPage->flow()); });
    connect(m_evaluatePage, &EvaluatePage::status, this, &MainWindow::showActivity);
    m_evaluatePage->setUnsavedCheck([this] { return m_experimentPage->isModified(); },
                                    [this](QString *error) { return saveFlow(error); });
    connect(m_experimentPage, &ExperimentPage::modifiedChanged, this, [this] {
        updateEditActions();
        updateTitle();
    });
    connect(m_experimentPage->runPanel(), &RunPanel::runningChanged, this,
            [this] { updateEditActions(); });
    connect(m_simulator, &SimulatorService::started, this, [this](const QString &url) {
        showActivity(tr("Simulator running at %1 — its answers are simulated").arg(url), false);
    });
    connect(m_simulator, &SimulatorService::failed, this, [this](const QString &error) {
        showActivity(tr("Simulator failed: %1").arg(error), false);
    });
    connect(m_saveAction, &QAction::triggered, this, [this] {
        QString error;
        if (!saveFlow(&error) && !error.isEmpty()) {
            QMessageBox::warning(this, tr("Save Flow"), error);
        }
    });
    connect(m_runAction, &QAction::triggered, this, [this] {
        setMode(Mode::Experiment);
        m_experimentPage->runPanel()->run();
    });
    connect(m_cancelAction, &QAction::triggered, this,
            [this] { m_experimentPage->runPanel()->cancel(); });
    // Undo and Redo act on what the mode shows: flow edits in Experiment (and Initialize),
    // ratings in Evaluate.
    connect(m_undoAction, &QAction::triggered, this, [this] {
        if (QUndoStack *stack = activeUndoStack()) {
            stack->undo();
        }
    });
    connect(m_redoAction, &QAction::triggered, this, [this] {
        if (QUndoStack *stack = activeUndoStack()) {
            stack->redo();
        }
    });
    for (QUndoStack *stack : {m_experimentPage->undoStack(), m_evaluatePage->undoStack()}) {
        if (stack == nullptr) {
            continue;
        }
        connect(stack, &QUndoStack::canUndoChanged, this, [this] { updateEditActions(); });
        connect(stack, &QUndoStack::canRedoChanged, this, [this] { updateEditActions(); });
        connect(stack, &QUndoStack::undoTextChanged, this, [this] { updateEditActions(); });
        connect(stack, &QUndoStack::redoTextChanged, this, [this] { updateEditActions(); });
    }
    updateEditActions();
}

QUndoStack *MainWindow::activeUndoStack() const
{
    return mode() == Mode::Evaluate ? m_evaluatePage->undoStack() : m_experimentPage->undoStack();
}

void MainWindow::updateEditActions()
{
    QUndoStack *stack = activeUndoStack();
    m_undoAction->setEnabled(stack && stack->canUndo());
    m_redoAction->setEnabled(stack && stack->canRedo());
    // Named as the step they take back: "Undo Move Node", "Redo Edit classify.jinja2".
    m_undoAction->setText(stack && stack->canUndo() && !stack->undoText().isEmpty()
                              ? tr("&Undo %1").arg(stack->undoText())
                              : tr("&Undo"));
    m_redoAction->setText(stack && stack->canRedo() && !stack->redoText().isEmpty()
                              ? tr("&Redo %1").arg(stack->redoText())
                              : tr("&Redo"));
    const bool hasFlow = m_experimentPage->hasFlow();
    const bool running = m_experimentPage->runPanel()->isRunning();
    m_saveAction->setEnabled(hasFlow && m_experimentPage->isModified());
    m_runAction->setEnabled(hasFlow && !running);
    m_cancelAction->setEnabled(running);
}

bool MainWindow::saveFlow(QString *error)
{
    if (!m_experimentPage->hasFlow()) {
        return false;
    }
    if (!m_experimentPage->save(error)) {
        return false;
    }
    showActivity(tr("Saved %1").arg(QDir::toNativeSeparators(m_flowDir)), false);
    m_recovery.discard(m_flowDir);
    m_autosaved.clear();
    updateEditActions();
    updateTitle();
    return true;
}

void MainWindow::retranslateUi()
{
    m_fileMenu->setTitle(tr("&File"));
    m_recentFlowsMenu->setTitle(tr("Recent &Flows"));
    m_recentWorkspacesMenu->setTitle(tr("Recent &Workspaces"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_runMenu->setTitle(tr("&Run"));
    m_helpMenu->setTitle(tr("&Help"));

    m_openFlowAction->setText(tr("&Open Flow…"));
    m_openWorkspaceAction->setText(tr("Open &Workspace…"));
    m_saveAction->setText(tr("&Save Flow"));
    m_settingsAction->setText(tr("Se&ttings…"));
    m_quitAction->setText(tr("&Quit"));

    m_runAction->setText(tr("Run &One Row"));
    m_cancelAction->setText(tr("&Cancel Run"));
    m_shortcutsAction->setText(tr("&Keyboard Shortcuts"));
    m_aboutAction->setText(tr("&About Flowbench"));

    const QString names[kModeCount]
        = {tr("Initialize"), tr("Experiment"), tr("Evaluate"), tr("Deploy")};
    const QString tips[kModeCount] = {
        tr("Start a flow, attach data and set up connections"),
        tr("Edit the flow and run it on one row"),
        tr("Batch runs, metrics and comparisons"),
        tr("Versions, approval and rollout"),
    };
    for (int i = 0; i < kModeCount; ++i) {
        m_modeActions[i]->setText(tr("%1 Mode").arg(names[i]));
        m_modeBar->setModeText(
            i, names[i],
            QStringLiteral("%1 (%2)").arg(
                tips[i], m_modeActions[i]->shortcut().toString(QKeySequence::NativeText)));
    }
    m_deployPage->setTexts(
        tr("Deploy — coming later"),
        tr("<p>Version history with diffs, an approval gate backed by evaluation evidence, "
           "push to a serving gateway or Kubernetes with canary traffic, live metrics from "
           "the target, and one-action rollback.</p>"));
    // A message in the previous language would stay on screen: say "Ready" unless busy.
    showActivity(m_busy->isVisible() ? m_statusText->text() : tr("Ready"), m_busy->isVisible());
    rebuildRecentMenus();
    updateTitle();
    updateEditActions();
}

void MainWindow::rebuildRecentMenus()
{
    m_recentFlowsMenu->clear();
    const QStringList flows = AppSettings::recentFlows();
    for (const QString &path : flows) {
        QAction *a = m_recentFlowsMenu->addAction(QDir::toNativeSeparators(path));
        connect(a, &QAction::triggered, this, [this, path] { openFlowInteractively(path); });
    }
    m_recentFlowsMenu->setEnabled(!flows.isEmpty());

    m_recentWorkspacesMenu->clear();
    const QStringList workspaces = AppSettings::recentWorkspaces();
    for (const QString &path : workspaces) {
        QAction *a = m_recentWorkspacesMenu->addAction(QDir::toNativeSeparators(path));
        connect(a, &QAction::triggered, this, [this, path] {
            QString error;
            if (!openWorkspace(path, &error)) {
                QMessageBox::warning(this, tr("Open Workspace"), error);
            }
        });
    }
    m_recentWorkspacesMenu->setEnabled(!workspaces.isEmpty());
}

void MainWindow::restoreWindowState()
{
    const QByteArray geometry = AppSettings::windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // 1280×800 of content, but never more than the screen has room for with the frame.
        const QRect room = screen() ? screen()->availableGeometry() : QRect(0, 0, 1280, 800);
        constexpr int kFrame = 40; // title bar and borders, before a window manager tells
        const QSize size(std::min(1280, room.width()), std::min(800, room.height() - kFrame));
        resize(size);
        if (size.width() >= room.width() - 40 && size.height() >= room.height() - kFrame - 40) {
            setWindowState(windowState() | Qt::WindowMaximized);
        }
    }
    restoreState(AppSettings::windowState());
    // Every named splitter keeps the sizes the user gave it.
    const QList<QSplitter *> splitters = findChildren<QSplitter *>();
    for (QSplitter *splitter : splitters) {
        if (!splitter->objectName().isEmpty()) {
            const QByteArray state = AppSettings::splitterState(splitter->objectName());
            if (!state.isEmpty()) {
                splitter->restoreState(state);
            }
        }
    }
    const int last = AppSettings::lastMode();
    setMode(Mode(last >= 0 && last < kModeCount ? last : 0));
}

void MainWindow::setMode(Mode mode)
{
    const int index = int(mode);
    m_pages->setCurrentIndex(index);
    m_modeBar->setCurrent(index);
    for (int i = 0; i < kModeCount; ++i) {
        m_modeActions[i]->setChecked(i == index);
    }
    m_modeBar->update();
    updateEditActions();
}

MainWindow::Mode MainWindow::mode() const { return Mode(m_pages->currentIndex()); }

bool MainWindow::openWorkspace(const QString &dir, QString *error)
{
    Workspace ws;
    if (!ws.open(dir, error)) {
        return false;
    }
    m_workspace = ws;
    m_initializePage->setWorkspace(m_workspace);
    m_experimentPage->setWorkspace(m_workspace.root(), m_workspace.connectionsDir());
    m_evaluatePage->setWorkspace(m_workspace.root(), m_workspace.connectionsDir(),
                                 m_workspace.storePath());
    AppSettings::addRecentWorkspace(m_workspace.root());
    rebuildRecentMenus();
    updateTitle();
    showActivity(tr("Workspace %1").arg(QDir::toNativeSeparators(m_workspace.root())), false);
    return true;
}

bool MainWindow::openFlow(const QString &dir, QString *error)
{
    QFileInfo info(dir);
    const QString flowDir = info.isFile() ? info.absolutePath() : info.absoluteFilePath();
    if (!Workspace::isFlowDir(flowDir)) {
        if (error) {
            *error = tr("%1 holds no flow.dag.yaml.").arg(QDir::toNativeSeparators(flowDir));
        }
        return false;
    }
    if (!m_experimentPage->openFlow(flowDir, error)) {
        return false;
    }
    m_flowDir = QDir::cleanPath(flowDir);
    m_autosaved.clear();
    offerRecovery();
    m_initializePage->setFlow(m_flowDir);
    m_experimentPage->setDatasetFiles(m_initializePage->datasets()->datasets());
    m_evaluatePage->setFlow(m_experimentPage->flow());
    m_evaluatePage->setDatasetFiles(m_initializePage->datasets()->datasets());
    updateEditActions();
    AppSettings::addRecentFlow(m_flowDir);
    rebuildRecentMenus();
    updateTitle();
    setMode(Mode::Experiment);
    // The status bar spoke of the previous flow (its answer, its failure): start afresh.
    showActivity(tr("Opened %1").arg(QDir::toNativeSeparators(m_flowDir)), false);
    return true;
}

void MainWindow::showActivity(const QString &text, bool busy)
{
    QString line = text.trimmed().section(QLatin1Char('\n'), 0, 0);
    if (line.size() > 200) {
        line = line.left(199) + QChar(0x2026);
    }
    m_statusText->setText(line);
    m_statusText->setToolTip(line == text ? QString() : text.left(2000));
    m_busy->setVisible(busy);
}

bool MainWindow::saveScreenshots(const QString &dir)
{
    static const char *const names[kModeCount] = {"initialize", "experiment", "evaluate", "deploy"};
    if (!QDir().mkpath(dir)) {
        return false;
    }
    auto settle = [](int ms) {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        loop.exec();
    };
    // On a real display (Xvfb with a window manager in scripts/screenshots.sh) the window is
    // shown as a user gets it and the whole screen is captured, frame and all: what does not
    // fit the screen shows. Offscreen, the window's own pixels at 1280×800 are all there is.
    const bool offscreen = QGuiApplication::platformName() == QLatin1String("offscreen");
    if (offscreen) {
        setAttribute(Qt::WA_DontShowOnScreen, !isVisible());
        resize(1280, 800);
    }
    show();
    settle(offscreen ? 300 : 1500); // previews and validation arrive from their threads
    bool ok = true;
    // Saves the window (the whole screen on a real display) as NAME.png once it has settled.
    auto capture = [&](const char *name, int settleMs) {
        settle(settleMs);
        const QPixmap shot = offscreen || !screen() ? grab() : screen()->grabWindow(0);
        ok = shot.save(QDir(dir).filePath(QString::fromLatin1(name) + ".png")) && ok;
    };
    for (int i = 0; i < kModeCount; ++i) {
        setMode(Mode(i));
        if (Mode(i) == Mode::Experiment && m_experimentPage->hasFlow()) {
            // Show a finished run: streamed output and the per-node trace.
            QEventLoop loop;
            connect(m_experimentPage->runPanel(), &RunPanel::runFinished, &loop, &QEventLoop::quit);
            QTimer::singleShot(30000, &loop, &QEventLoop::quit);
            if (m_experimentPage->runPanel()->run()) {
                loop.exec();
            }
        }
        if (Mode(i) == Mode::Evaluate && m_experimentPage->hasFlow() && m_workspace.isOpen()) {
            // Show a finished experiment over every variant, scored, and one run's lines.
            ExperimentSetupPanel *setup = m_evaluatePage->setup();
            for (QCheckBox *check : setup->findChildren<QCheckBox *>()) {
                if (check->property("variantId").isValid()
                    || check->objectName() == QLatin1String("evaluator_exact_match")) {
                    check->setChecked(true);
                }
            }
            QEventLoop loop;
            connect(m_evaluatePage, &EvaluatePage::runningChanged, &loop,
                    [&loop](bool running) {
                        if (!running) {
                            loop.quit();
                        }
                    });
            QTimer::singleShot(60000, &loop, &QEventLoop::quit);
            if (m_evaluatePage->startExperiment()) {
                loop.exec();
            }
            settle(500);
            m_evaluatePage->selectFirstRun();
            settle(offscreen ? 500 : 1500);
        }
        capture(names[i], offscreen ? 150 : 600);
        if (Mode(i) == Mode::Evaluate && m_evaluatePage->runs()->rowCount() >= 2) {
            // The comparison of every run of that experiment, then their charts.
            m_evaluatePage->selectAllRuns();
            {
                QEventLoop loop;
                connect(m_evaluatePage->compareView(), &CompareView::ready, &loop,
                        &QEventLoop::quit);
                QTimer::singleShot(30000, &loop, &QEventLoop::quit);
                if (m_evaluatePage->compareSelected()) {
                    loop.exec();
                }
            }
            m_evaluatePage->compareView()->rowsTable()->selectRow(0);
            capture("evaluate-compare", offscreen ? 300 : 1200);
            {
                QEventLoop loop;
                connect(m_evaluatePage->charts(), &RunChartsView::chartReady, &loop,
                        &QEventLoop::quit);
                QTimer::singleShot(30000, &loop, &QEventLoop::quit);
                m_evaluatePage->showCharts();
                loop.exec();
            }
            capture("evaluate-charts", offscreen ? 300 : 1200);
        }
    }
    return ok;
}

void MainWindow::updateTitle()
{
    // The application's display name is added by Qt (" — Flowbench"); the title names what is
    // open: the flow, its unsaved mark, and the workspace.
    QStringList parts;
    if (!m_flowDir.isEmpty()) {
        parts.append(QFileInfo(m_flowDir).fileName()
                     + (m_experimentPage->isModified() ? QStringLiteral("*") : QString()));
    }
    if (m_workspace.isOpen()) {
        parts.append(tr("workspace %1").arg(m_workspace.name()));
    }
    setWindowTitle(parts.join(QStringLiteral(" · ")));
}

void MainWindow::openFlowDialog()
{
    const QString start = m_workspace.isOpen() ? m_workspace.root() : QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open a Flow Folder (with flow.dag.yaml)"), start);
    if (!dir.isEmpty()) {
        openFlowInteractively(dir);
    }
}

bool MainWindow::openFlowInteractively(const QString &dir)
{
    if (!confirmLeavingFlow()) {
        return false;
    }
    QString error;
    if (!openFlow(dir, &error)) {
        QMessageBox::warning(this, tr("Open Flow"), error);
        return false;
    }
    return true;
}

bool MainWindow::confirmLeavingFlow()
{
    if (!m_experimentPage->isModified()) {
        return true;
    }
    const auto answer = QMessageBox::question(
        this, tr("Unsaved Changes"), tr("Save the changes to %1?").arg(m_flowDir),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel) {
        return false;
    }
    if (answer == QMessageBox::Save) {
        QString error;
        if (!saveFlow(&error)) {
            QMessageBox::warning(this, tr("Save Flow"), error);
            return false;
        }
        return true;
    }
    m_recovery.discard(m_flowDir);
    m_autosaved.clear();
    return true;
}

void MainWindow::autosaveNow()
{
#ifdef FB_HAVE_EDITOR
    if (m_flowDir.isEmpty() || !m_experimentPage->hasFlow()) {
        return;
    }
    if (!m_experimentPage->isModified()) {
        if (!m_autosaved.isEmpty()) {
            m_recovery.discard(m_flowDir);
            m_autosaved.clear();
        }
        return;
    }
    FlowRecovery::Snapshot snapshot;
    snapshot.flowDir = m_flowDir;
    snapshot.savedAt = QDateTime::currentDateTimeUtc();
    snapshot.flowYaml = m_experimentPage->editor()->editedYaml();
    snapshot.templates = m_experimentPage->editor()->editedFiles();
    QCryptographicHash digest(QCryptographicHash::Sha256);
    digest.addData(snapshot.flowYaml);
    QStringList files = snapshot.templates.keys();
    files.sort();
    for (const QString &file : std::as_const(files)) {
        digest.addData(file.toUtf8());
        digest.addData(snapshot.templates.value(file).toUtf8());
    }
    const QByteArray result = digest.result();
    if (result == m_autosaved) {
        return;
    }
    QString error;
    if (m_recovery.save(snapshot, &error)) {
        m_autosaved = result;
    } else {
        showActivity(tr("Could not keep a recovery copy: %1").arg(error), false);
    }
#endif
}

void MainWindow::offerRecovery()
{
#ifdef FB_HAVE_EDITOR
    const auto snapshot = m_recovery.load(m_flowDir);
    if (!snapshot) {
        return;
    }
    const bool restore = m_recoveryPrompt ? m_recoveryPrompt(*snapshot) : askToRecover(*snapshot);
    if (!restore) {
        m_recovery.discard(m_flowDir);
        return;
    }
    QString error;
    if (!m_experimentPage->editor()->restoreEdits(snapshot->flowYaml, snapshot->templates,
                                                  &error)) {
        // Keep the file: the user may want to look at it.
        QMessageBox::warning(
            this, tr("Recover Unsaved Changes"),
            tr("The recovered changes could not be loaded (%1). They are kept "
               "in %2.")
                .arg(error, QDir::toNativeSeparators(m_recovery.fileFor(m_flowDir))));
        return;
    }
    showActivity(
        tr("Recovered unsaved changes from %1 — save to keep them")
            .arg(QLocale().toString(snapshot->savedAt.toLocalTime(), QLocale::ShortFormat)),
        false);
#endif
}

bool MainWindow::askToRecover(const FlowRecovery::Snapshot &snapshot)
{
    const auto answer = QMessageBox::question(
        this, tr("Recover Unsaved Changes"),
        tr("%1 has changes from %2 that were never saved (Flowbench did not close normally). "
           "Recover them?")
            .arg(QDir::toNativeSeparators(snapshot.flowDir),
                 QLocale().toString(snapshot.savedAt.toLocalTime(), QLocale::ShortFormat)),
        QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
    return answer == QMessageBox::Yes;
}

void MainWindow::openWorkspaceDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open or Create a Workspace Folder"),
        m_workspace.isOpen() ? m_workspace.root() : Workspace::defaultRoot());
    if (dir.isEmpty()) {
        return;
    }
    QString error;
    if (!openWorkspace(dir, &error)) {
        QMessageBox::warning(this, tr("Open Workspace"), error);
    }
}

void MainWindow::showSettings()
{
    // The dialog applies language and palette as they are chosen; Cancel puts back the old.
    SettingsDialog dialog(m_language, this);
    dialog.exec();
}

void MainWindow::showAbout()
{
    AboutDialog dialog(this);
    dialog.exec();
}

void MainWindow::showShortcuts()
{
    QString html = QStringLiteral("<table cellpadding='3'>");
    const QList<QAction *> all = {
        m_openFlowAction, m_openWorkspaceAction, m_saveAction,     m_undoAction,     m_redoAction,
        m_modeActions[0], m_modeActions[1],      m_modeActions[2], m_modeActions[3], m_runAction,
        m_cancelAction,   m_settingsAction,      m_shortcutsAction};
    for (QAction *a : all) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                         a->text().remove(QLatin1Char('&')).toHtmlEscaped());
    }
    // Keys of the flow graph (they act when the graph has the focus).
    const QList<QPair<QString, QString>> graph = {
        {tr("F"), tr("Fit the flow in the view")},
        {tr("Ctrl+Wheel, Ctrl++ / Ctrl+-"), tr("Zoom the flow graph")},
        {tr("Ctrl+0"), tr("Zoom to 100%")},
        {tr("Space+Drag"), tr("Pan the flow graph")},
        {tr("Delete, Backspace"), tr("Delete the selected nodes or connections")},
        {tr("F2"), tr("Rename the selected node")},
    };
    html += QStringLiteral("<tr><td colspan='2'><br><i>%1</i></td></tr>")
                .arg(tr("In the flow graph").toHtmlEscaped());
    for (const auto &[key, what] : graph) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(key.toHtmlEscaped(), what.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    QMessageBox box(QMessageBox::Information, tr("Keyboard Shortcuts"), html, QMessageBox::Close,
                    this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmLeavingFlow()) {
        event->ignore();
        return;
    }
    m_initializePage->flushNotes();
    m_experimentPage->runPanel()->cancel();
    AppSettings::setWindowState(saveGeometry(), saveState());
    const QList<QSplitter *> splitters = findChildren<QSplitter *>();
    for (QSplitter *splitter : splitters) {
        if (!splitter->objectName().isEmpty()) {
            AppSettings::setSplitterState(splitter->objectName(), splitter->saveState());
        }
    }
    AppSettings::setLastMode(int(mode()));
    event->accept();
}

} // namespace fb::ui
