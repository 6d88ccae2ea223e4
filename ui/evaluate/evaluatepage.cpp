#include <ui/evaluate/evaluatepage.h>

#include <ui/evaluate/blindreviewdialog.h>
#include <ui/evaluate/compareview.h>
#include <ui/evaluate/experimentlauncher.h>
#include <ui/evaluate/experimentsetuppanel.h>
#include <ui/evaluate/reportexporter.h>
#include <ui/evaluate/ratingbar.h>
#include <ui/evaluate/ratingsview.h>
#include <ui/evaluate/runchartsview.h>
#include <ui/evaluate/runresultsview.h>
#include <ui/evaluate/runsmodel.h>

#include <ui/initialize/connectionresolver.h>
#include <ui/initialize/simulatorservice.h>

#include <core/experiment/experimentrequest.h>
#include <core/report/compareset.h>

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace fb::ui {

namespace {

QString durationText(double seconds)
{
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60) {
        return EvaluatePage::tr("%1 s").arg(s);
    }
    if (s < 3600) {
        return EvaluatePage::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    }
    return EvaluatePage::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

} // namespace

EvaluatePage::EvaluatePage(SimulatorService *simulator, SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_simulator(simulator)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("evaluatePage"));
    m_launcher = new ExperimentLauncher(this);
    m_exporter = new ReportExporter(this);
    m_runs = new RunsModel(this);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("evaluateSplitter"));
    m_splitter->setChildrenCollapsible(false);
    layout->addWidget(m_splitter);

    // Left: what to run, and Start / Cancel.
    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_setupScroll = new QScrollArea(left);
    m_setupScroll->setWidgetResizable(true);
    m_setupScroll->setFrameShape(QFrame::NoFrame);
    m_setupScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_setup = new ExperimentSetupPanel(m_setupScroll);
    m_setupScroll->setWidget(m_setup);
    leftLayout->addWidget(m_setupScroll, 1);
    auto *buttons = new QHBoxLayout;
    m_start = new QPushButton(left);
    m_start->setObjectName(QStringLiteral("startExperiment"));
    m_start->setDefault(true);
    m_cancel = new QPushButton(left);
    m_cancel->setObjectName(QStringLiteral("cancelExperiment"));
    buttons->addWidget(m_start, 1);
    buttons->addWidget(m_cancel);
    leftLayout->addLayout(buttons);
    m_statusLine = new QLabel(left);
    m_statusLine->setObjectName(QStringLiteral("experimentStatus"));
    m_statusLine->setWordWrap(true);
    m_statusLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftLayout->addWidget(m_statusLine);

    // Right: progress and the runs of the workspace, over the lines of the selected run.
    m_rightSplitter = new QSplitter(Qt::Vertical, m_splitter);
    m_rightSplitter->setObjectName(QStringLiteral("evaluateRightSplitter"));
    m_rightSplitter->setChildrenCollapsible(false);
    auto *right = new QWidget(m_rightSplitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_progressTitle = new QLabel(right);
    m_progressTitle->setWordWrap(true);
    m_progressTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    QFont bold = m_progressTitle->font();
    bold.setBold(true);
    m_progressTitle->setFont(bold);
    rightLayout->addWidget(m_progressTitle);
    m_progress = new QProgressBar(right);
    m_progress->setObjectName(QStringLiteral("experimentProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    rightLayout->addWidget(m_progress);
    m_stats = new QLabel(right);
    m_stats->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_stats->setObjectName(QStringLiteral("experimentStats"));
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rightLayout->addWidget(m_stats);
    m_runBarsLayout = new QVBoxLayout;
    rightLayout->addLayout(m_runBarsLayout);

    auto *runsHeader = new QHBoxLayout;
    m_runsTitle = new QLabel(right);
    // The buttons beside it keep their width; the title gives way in long languages.
    m_runsTitle->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_runsTitle->setMinimumWidth(80);
    m_runsTitle->setFont(bold);
    runsHeader->addWidget(m_runsTitle, 1);
    m_resume = new QPushButton(right);
    m_resume->setObjectName(QStringLiteral("resumeRun"));
    m_refresh = new QPushButton(right);
    m_refresh->setObjectName(QStringLiteral("refreshRuns"));
    m_export = new QPushButton(right);
    m_export->setObjectName(QStringLiteral("exportReport"));
    m_openReport = new QPushButton(right);
    m_openReport->setObjectName(QStringLiteral("openReport"));
    m_openReport->setEnabled(false);
    m_compareButton = new QPushButton(right);
    m_compareButton->setObjectName(QStringLiteral("compareRuns"));
    runsHeader->addWidget(m_refresh);
    rightLayout->addLayout(runsHeader);
    // What applies to the selected runs, below the list.
    auto *runActions = new QHBoxLayout;
    runActions->addWidget(m_compareButton);
    runActions->addWidget(m_resume);
    runActions->addWidget(m_export);
    runActions->addWidget(m_openReport);
    runActions->addStretch(1);
    m_runsView = new QTableView(right);
    m_runsView->setObjectName(QStringLiteral("runsTable"));
    m_runsView->setModel(m_runs);
    m_runsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runsView->verticalHeader()->hide();
    m_runsView->setWordWrap(false);
    m_runsView->horizontalHeader()->setStretchLastSection(true);
    m_runsView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    rightLayout->addWidget(m_runsView, 1);
    rightLayout->addLayout(runActions);

    // Below: the selected run's lines, or the comparison of the runs last compared.
    m_views = new QTabWidget(m_rightSplitter);
    m_views->setObjectName(QStringLiteral("evaluateViews"));
    m_views->setDocumentMode(true);
    m_results = new RunResultsView(m_views);
    m_results->setObjectName(QStringLiteral("runResults"));
    m_compare = new CompareView(m_views);
    m_compare->setObjectName(QStringLiteral("compareView"));
    m_charts = new RunChartsView(m_views);
    m_charts->setObjectName(QStringLiteral("runCharts"));
    m_views->addTab(m_results, QString());
    m_views->addTab(m_compare, QString());
    m_views->addTab(m_charts, QString());
    m_ratings = new RatingsView(m_views);
    m_views->addTab(m_ratings, QString());
    m_undo = new QUndoStack(this);
    m_results->ratingBar()->setUndoStack(m_undo);
    m_rightSplitter->addWidget(right);
    m_rightSplitter->addWidget(m_views);
    m_rightSplitter->setStretchFactor(0, 1);
    m_rightSplitter->setStretchFactor(1, 1);
    m_rightSplitter->setSizes({300, 460});
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_rightSplitter);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({400, 860});

    m_poll = new QTimer(this);
    m_poll->setInterval(1000);
    connect(m_poll, &QTimer::timeout, m_runs, &RunsModel::refresh);

    connect(m_start, &QPushButton::clicked, this, &EvaluatePage::startExperiment);
    connect(m_cancel, &QPushButton::clicked, this, &EvaluatePage::cancel);
    connect(m_resume, &QPushButton::clicked, this, &EvaluatePage::resumeSelected);
    connect(m_refresh, &QPushButton::clicked, m_runs, &RunsModel::refresh);
    connect(m_export, &QPushButton::clicked, this, &EvaluatePage::exportSelected);
    connect(m_compareButton, &QPushButton::clicked, this, &EvaluatePage::compareSelected);
    connect(m_compare, &CompareView::failed, this, [this](const QString &message) {
        setStatusText(tr("Cannot compare: %1").arg(message));
    });
    connect(m_openReport, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_lastReport));
    });
    connect(m_exporter, &ReportExporter::finished, this,
            [this](bool ok, const QString &message, const QStringList &files) {
                if (!ok) {
                    setStatusText(tr("The report was not written: %1").arg(message));
                } else {
                    QStringList shown;
                    for (const QString &f : files) {
                        shown << QDir::toNativeSeparators(f);
                    }
                    setStatusText(tr("Report written: %1").arg(shown.join(QStringLiteral(", "))));
                    m_lastReport = files.value(0);
                }
                m_openReport->setEnabled(ok
                                         && ReportExporter::formatOf(m_lastReport)
                                                == ReportExporter::Format::Html);
                Q_EMIT status(m_statusLine->text(), false);
                updateButtons();
            });
    connect(m_setup, &ExperimentSetupPanel::changed, this, &EvaluatePage::updateButtons);
    connect(m_runs, &RunsModel::refreshed, this, [this] {
        m_runsView->resizeColumnsToContents();
        updateRunBars();
        updateButtons();
    });
    connect(m_runs, &RunsModel::failed, this, &EvaluatePage::setStatusText);
    connect(m_runsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        showSelectedRun();
        chartSelectedRuns();
    });
    connect(m_runsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_ratings->setRuns(m_storePath, selectedRuns()); });
    connect(m_results->ratingBar(), &RatingBar::ratingsChanged, m_ratings, &RatingsView::refresh);
    connect(m_ratings, &RatingsView::blindReviewRequested, this,
            [this](fb::RunId first, fb::RunId second) { openBlindReview(first, second); });
    // The charts follow the selection while their tab shows (computing costs a pass per run).
    connect(m_views, &QTabWidget::currentChanged, this, [this] { chartSelectedRuns(); });

    connect(m_launcher, &ExperimentLauncher::prepared, this,
            [this](const QStringList &names, qint64 total, const QStringList &warnings) {
                m_activeRuns = names;
                m_progress->setRange(0, int(std::min<qint64>(total, INT_MAX)));
                m_progress->setValue(0);
                for (auto &bar : m_runBars) {
                    delete bar.second;
                }
                m_runBars.clear();
                if (names.size() > 1) {
                    for (const QString &name : names) {
                        auto *bar = new QProgressBar(this);
                        bar->setObjectName(QStringLiteral("runProgress"));
                        bar->setFormat(name + QStringLiteral(" — %p%"));
                        bar->setRange(0, 1);
                        bar->setValue(0);
                        m_runBarsLayout->addWidget(bar);
                        m_runBars << qMakePair(name, bar);
                    }
                }
                if (!warnings.isEmpty()) {
                    setStatusText(warnings.join(QLatin1Char('\n')));
                }
            });
    connect(m_launcher, &ExperimentLauncher::started, this,
            [this](const QStringList &names, qint64 alreadyDone, bool simulated) {
                m_simulated = simulated;
                m_activeRuns = names;
                Q_UNUSED(alreadyDone);
                m_phase = Phase::Running;
                updateTitle();
                m_runs->refresh();
                m_poll->start();
            });
    connect(m_launcher, &ExperimentLauncher::progressed, this, &EvaluatePage::showProgress);
    connect(m_launcher, &ExperimentLauncher::finished, this,
            [this](bool ok, int state, const QString &message) {
                m_poll->stop();
                showProgress();
                const QString names = m_activeRuns.join(QStringLiteral(", "));
                QString text;
                if (!ok) {
                    text = tr("Not run: %1").arg(message);
                } else if (fb::RunState(state) == fb::RunState::Cancelled) {
                    text = tr("Cancelled %1; select it in the list and press Resume to run the "
                              "missing lines.").arg(names);
                } else if (fb::RunState(state) == fb::RunState::Failed) {
                    text = tr("%1 failed: %2").arg(names, message);
                } else {
                    text = tr("Finished %1.").arg(names)
                           + (m_simulated ? QLatin1Char(' ') + tr("The answers were SIMULATED.")
                                          : QString());
                }
                m_phase = ok ? Phase::Finished : Phase::NotRun;
                updateTitle();
                setStatusText(text);
                Q_EMIT status(text, false);
                m_runs->refresh();
                m_charts->refresh(); // what it drew may have grown
                // Select what just ran, so Resume and the results apply to it.
                connect(m_runs, &RunsModel::refreshed, this, [this, runs = m_activeRuns] {
                    m_runsView->clearSelection();
                    for (const QString &name : runs) {
                        const int row = m_runs->rowOf(name);
                        if (row >= 0) {
                            m_runsView->selectionModel()->select(
                                m_runs->index(row, 0),
                                QItemSelectionModel::Select | QItemSelectionModel::Rows);
                        }
                    }
                }, Qt::SingleShotConnection);
                updateButtons();
                Q_EMIT runningChanged(false);
            });

    retranslateUi();
    updateButtons();
}

EvaluatePage::~EvaluatePage()
{
    // The stack empties itself as it dies: nobody may hear of it then (the window's Undo).
    m_undo->disconnect();
}

void EvaluatePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void EvaluatePage::retranslateUi()
{
    m_start->setText(tr("&Start Experiment"));
    m_cancel->setText(tr("Cance&l"));
    m_resume->setText(tr("&Resume"));
    m_resume->setToolTip(tr("Run the missing and failed lines of the selected cancelled or "
                            "failed run (all runs of its experiment)"));
    m_refresh->setText(tr("Re&fresh"));
    m_export->setText(tr("E&xport Report…"));
    m_export->setToolTip(tr("Save an HTML, CSV or JSON report of the selected runs, or a run "
                            "bundle of them (flowbench-cli bundle show / import reads it)"));
    m_openReport->setText(tr("Open in &Browser"));
    m_compareButton->setText(tr("&Compare"));
    m_compareButton->setToolTip(tr("Compare the selected runs (2 to 20) row by row, with the "
                                   "oldest as the baseline"));
    m_views->setTabText(m_views->indexOf(m_results), tr("Lines of the Selected Run"));
    m_views->setTabText(m_views->indexOf(m_compare), tr("Comparison"));
    m_views->setTabText(m_views->indexOf(m_charts), tr("Charts"));
    m_views->setTabText(m_views->indexOf(m_ratings), tr("Ratings"));
    m_runsTitle->setText(tr("Runs in this workspace"));
    updateTitle();
    showProgress();
    fitSetupWidth();
}

void EvaluatePage::fitSetupWidth()
{
    m_setup->adjustSize();
    const int needed = m_setup->minimumSizeHint().width()
                       + m_setupScroll->verticalScrollBar()->sizeHint().width();
    m_setupScroll->setMinimumWidth(needed);
}

void EvaluatePage::setWorkspace(const QString &root, const QString &connectionsDir,
                                const QString &storePath)
{
    m_root = root;
    m_connectionsDir = connectionsDir;
    m_storePath = storePath;
    m_shownRun = 0;
    m_runs->setStorePath(storePath);
    m_compare->setStorePath(storePath);
    m_charts->setStorePath(storePath);
    m_charts->setExportFolder(root);
    m_chartedRuns.clear();
}

void EvaluatePage::setFlow(const fb::Flow &flow)
{
    m_flow = flow;
    m_hasFlow = true;
    m_setup->setFlow(flow);
    fitSetupWidth();
    updateButtons();
}

void EvaluatePage::setDatasetFiles(const QStringList &files)
{
    m_setup->setDatasets(files);
    updateButtons();
}

void EvaluatePage::setUnsavedCheck(std::function<bool()> isModified, SaveHandler save)
{
    m_isModified = std::move(isModified);
    m_save = std::move(save);
}

bool EvaluatePage::isRunning() const { return m_preparing || m_launcher->isRunning(); }

void EvaluatePage::setStatusText(const QString &text) { m_statusLine->setText(text); }

void EvaluatePage::updateTitle()
{
    const QString names = m_activeRuns.join(QStringLiteral(", "));
    switch (m_phase) {
    case Phase::Idle:
    case Phase::NotRun:
        m_progressTitle->setText(tr("No experiment running"));
        break;
    case Phase::Preparing:
        m_progressTitle->setText(m_resuming ? tr("Resuming…") : tr("Starting…"));
        break;
    case Phase::Running:
        m_progressTitle->setText(m_simulated ? tr("Running %1 — SIMULATED answers").arg(names)
                                             : tr("Running %1").arg(names));
        break;
    case Phase::Finished:
        m_progressTitle->setText(tr("Last experiment: %1").arg(names));
        break;
    }
}

void EvaluatePage::updateButtons()
{
    const bool running = isRunning();
    const QString problem = m_setup->problem();
    m_start->setEnabled(!running && problem.isEmpty() && !m_storePath.isEmpty());
    m_start->setToolTip(problem);
    m_cancel->setEnabled(running && !m_launcher->isCancelling());
    bool resumable = false;
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    if (rows.size() == 1) {
        const fb::RunState state = m_runs->run(rows.first().row()).status;
        resumable = state == fb::RunState::Cancelled || state == fb::RunState::Failed
                    || state == fb::RunState::Running; // Running but no one runs it: a crash
    }
    m_resume->setEnabled(!running && resumable && m_hasFlow);
    m_export->setEnabled(!rows.isEmpty() && !m_exporter->isRunning());
    m_compareButton->setEnabled(rows.size() >= 2
                                && rows.size() <= int(fb::CompareSet::kMaxRuns));
}

void EvaluatePage::selectAllRuns() { m_runsView->selectAll(); }

void EvaluatePage::showCharts() { m_views->setCurrentWidget(m_charts); }

void EvaluatePage::chartSelectedRuns()
{
    if (m_views->currentWidget() != m_charts) {
        return;
    }
    std::vector<fb::RunId> runs = selectedRuns();
    // The runs list is newest first; charts read left to right, oldest first.
    std::sort(runs.begin(), runs.end());
    if (runs == m_chartedRuns) {
        return;
    }
    m_chartedRuns = runs;
    m_charts->setRuns(runs);
}

bool EvaluatePage::compareSelected()
{
    std::vector<fb::RunId> runs = selectedRuns();
    // The oldest run is the baseline: what the others were made to improve on.
    std::sort(runs.begin(), runs.end());
    QString error;
    if (!m_compare->compare(runs, &error)) {
        setStatusText(error);
        return false;
    }
    m_views->setCurrentWidget(m_compare);
    return true;
}

bool EvaluatePage::startExperiment()
{
    if (isRunning()) {
        return false;
    }
    if (const QString problem = m_setup->problem(); !problem.isEmpty()) {
        setStatusText(problem);
        return false;
    }
    if (m_isModified && m_isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Start Experiment"),
            tr("The flow has unsaved changes, and an experiment runs the saved flow. Save the "
               "changes and start?"),
            QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Save);
        if (answer != QMessageBox::Save) {
            return false;
        }
        QString error;
        if (!m_save || !m_save(&error)) {
            setStatusText(tr("Not started: the flow could not be saved. %1").arg(error));
            return false;
        }
    }
    m_resuming = false;
    launch(m_setup->request());
    return true;
}

bool EvaluatePage::resumeSelected()
{
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    if (isRunning() || rows.size() != 1 || !m_hasFlow) {
        return false;
    }
    const fb::RunSummary &run = m_runs->run(rows.first().row());
    fb::ExperimentRequest request;
    request.flow = m_flow.dir;
    // A run of an experiment is named EXPERIMENT/label: resume the whole experiment.
    const auto slash = run.name.rfind('/');
    request.resume = run.experimentId && slash != std::string::npos ? run.name.substr(0, slash)
                                                                      : run.name;
    request.concurrency = m_setup->request().concurrency;
    m_resuming = true;
    launch(std::move(request));
    return true;
}

void EvaluatePage::launch(fb::ExperimentRequest request)
{
    request.store = m_storePath.toStdString();
    request.workspace = m_root.toStdString();
    m_preparing = true;
    m_activeRuns.clear();
    m_phase = Phase::Preparing;
    updateTitle();
    m_stats->clear();
    setStatusText(QString());
    Q_EMIT runningChanged(true);
    updateButtons();
    if (m_setup->useSimulator()) {
        const QString config = QString::fromStdString((m_flow.dir / "simulator.json").string());
        m_simulator->ensureRunning(QFileInfo::exists(config) ? config : QString(), this,
                                   [this, request = std::move(request)](const QString &url,
                                                                        const QString &error) mutable {
                                       if (!error.isEmpty()) {
                                           m_preparing = false;
                                           m_phase = Phase::NotRun;
                                           updateTitle();
                                           setStatusText(tr("Not started: the simulator did not "
                                                            "start: %1").arg(error));
                                           updateButtons();
                                           Q_EMIT runningChanged(false);
                                           return;
                                       }
                                       request.simulatorUrl = url.toStdString();
                                       launchWithTarget(std::move(request));
                                   });
        return;
    }
    ConnectionResolver::resolve(m_root, m_connectionsDir, m_secrets, this,
                                [this, request = std::move(request)](
                                    std::vector<fb::Connection> connections) mutable {
                                    request.connections = std::move(connections);
                                    launchWithTarget(std::move(request));
                                });
}

void EvaluatePage::launchWithTarget(fb::ExperimentRequest request)
{
    m_preparing = false;
    m_launcher->start(std::move(request));
    updateButtons();
}

std::vector<fb::RunId> EvaluatePage::selectedRuns() const
{
    QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    std::vector<fb::RunId> runs;
    for (const QModelIndex &row : rows) {
        runs.push_back(m_runs->run(row.row()).id);
    }
    return runs;
}

BlindReviewDialog *EvaluatePage::openBlindReview(fb::RunId first, fb::RunId second)
{
    auto *dialog = new BlindReviewDialog(m_storePath, first, second, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BlindReviewDialog::preferencesChanged, m_ratings, &RatingsView::refresh);
    dialog->show();
    return dialog;
}

void EvaluatePage::selectFirstRun()
{
    if (m_runs->rowCount() > 0) {
        m_runsView->selectRow(0);
    }
}

void EvaluatePage::showSelectedRun()
{
    const std::vector<fb::RunId> runs = selectedRuns();
    if (runs.size() != 1 || runs.front().value == m_shownRun) {
        return;
    }
    const int row = m_runs->rowOf(QString::fromStdString(
        m_runs->run(m_runsView->selectionModel()->selectedRows().constFirst().row()).name));
    // A running run's lines are still being written: show it once it has finished.
    if (row >= 0 && m_runs->run(row).status == fb::RunState::Running && isRunning()) {
        return;
    }
    QString error;
    if (m_results->openRun(m_storePath, runs.front(), &error)) {
        m_shownRun = runs.front().value;
        m_views->setCurrentWidget(m_results);
    } else if (!error.isEmpty()) {
        setStatusText(error);
    }
}

void EvaluatePage::exportSelected()
{
    const std::vector<fb::RunId> runs = selectedRuns();
    if (runs.empty() || m_exporter->isRunning()) {
        return;
    }
    QFileDialog dialog(this, tr("Export Report"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setOption(QFileDialog::DontUseNativeDialog, true);
    const QStringList filters{tr("HTML report (*.html)"), tr("CSV, one row per line (*.csv)"),
                              tr("JSON (*.json)"),
                              tr("Run bundle, to open or import elsewhere (*.fbbundle)")};
    dialog.setNameFilters(filters);
    const QDir folder(m_root.isEmpty() ? QDir::homePath() : m_root);
    dialog.setDirectory(folder);
    // Suggest a name that is free, so saving never replaces an earlier report unasked.
    QString suggested = QStringLiteral("report.html");
    for (int n = 2; folder.exists(suggested); ++n) {
        suggested = QStringLiteral("report-%1.html").arg(n);
    }
    dialog.selectFile(suggested);
    connect(&dialog, &QFileDialog::filterSelected, &dialog, [&dialog, &filters](const QString &f) {
        static const char *const suffixes[] = {"html", "csv", "json", "fbbundle"};
        dialog.setDefaultSuffix(QString::fromLatin1(suffixes[std::max<qsizetype>(0, filters.indexOf(f))]));
    });
    dialog.setDefaultSuffix(QStringLiteral("html"));
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) {
        return;
    }
    const QString path = dialog.selectedFiles().constFirst();
    m_exporter->start(m_storePath, runs, path, ReportExporter::formatOf(path));
    setStatusText(tr("Writing %1…").arg(QDir::toNativeSeparators(path)));
    updateButtons();
}

void EvaluatePage::cancel()
{
    if (m_launcher->isRunning()) {
        m_launcher->cancel();
        setStatusText(tr("Cancelling: lines in flight stop, finished lines are kept…"));
    }
    updateButtons();
}

void EvaluatePage::showProgress()
{
    const fb::BatchProgress &p = m_launcher->progress();
    const qint64 total = m_launcher->totalLines();
    const qint64 finished = p.completed + p.failed;
    const qint64 done = finished + p.resumed + p.dropped;
    if (total > 0) {
        m_progress->setValue(int(std::min<qint64>(done, m_progress->maximum())));
    }
    if (total <= 0 && !isRunning()) {
        m_stats->clear();
        return;
    }
    const QLocale locale;
    const double rate = p.elapsedS > 0 ? double(finished) / p.elapsedS : 0;
    QStringList parts;
    parts << tr("%1 of %2 lines").arg(locale.toString(done), locale.toString(total));
    parts << tr("%1 failed").arg(locale.toString(p.failed));
    parts << tr("%1 lines/s").arg(locale.toString(rate, 'f', 1));
    if (m_launcher->isRunning() && rate > 0 && total > done) {
        parts << tr("ETA %1").arg(durationText(double(total - done) / rate));
    }
    parts << tr("%1 tokens in / %2 out")
                 .arg(locale.toString(p.promptTokens), locale.toString(p.completionTokens));
    parts << tr("$%1").arg(locale.toString(p.costUsd, 'f', 4));
    if (p.cacheHits > 0) {
        parts << tr("%1 from cache").arg(locale.toString(p.cacheHits));
    }
    m_stats->setText(parts.join(QStringLiteral(" · ")));
}

void EvaluatePage::updateRunBars()
{
    for (auto &[name, bar] : m_runBars) {
        const int row = m_runs->rowOf(name);
        if (row < 0) {
            continue;
        }
        const fb::RunSummary &r = m_runs->run(row);
        bar->setRange(0, int(std::max<qint64>(1, std::min<qint64>(r.totalLines, INT_MAX))));
        bar->setValue(int(std::min<qint64>(r.completedLines + r.failedLines, bar->maximum())));
    }
}

} // namespace fb::ui
