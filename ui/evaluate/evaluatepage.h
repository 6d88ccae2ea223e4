#pragma once

#include <core/flow/flow.h>

#include <QList>
#include <QWidget>

#include <functional>
#include <vector>

class QLabel;
class QProgressBar;
class QScrollArea;
class QPushButton;
class QTableView;
class QVBoxLayout;
class QSplitter;
class QTabWidget;
class QTimer;
class QUndoStack;

namespace fb {
struct ExperimentRequest;
struct RunId;
}

namespace fb::ui {

class BlindReviewDialog;
class CompareView;
class ExperimentLauncher;
class ExperimentSetupPanel;
class ReportExporter;
class RatingsView;
class RunChartsView;
class RunResultsView;
class RunsModel;
class SecretStore;
class SimulatorService;

/// Evaluate mode: set up an experiment (ExperimentSetupPanel), start it against the Simulator
/// or the workspace's connections, watch it (lines, rate, ETA, tokens, cost, failures, a bar per
/// run), cancel it, and find it in the workspace's runs list, where a cancelled or failed run
/// resumes to exactly its missing lines. The experiment runs in core (ExperimentPlan) on a
/// worker thread; this page only routes. GUI thread only.
class EvaluatePage final : public QWidget
{
    Q_OBJECT

public:
    EvaluatePage(SimulatorService *simulator, SecretStore *secrets, QWidget *parent = nullptr);
    ~EvaluatePage() override;

    void setWorkspace(const QString &root, const QString &connectionsDir, const QString &storePath);
    /// The flow to run, as saved in `flow.dir` (runs read the saved files).
    void setFlow(const fb::Flow &flow);
    void setDatasetFiles(const QStringList &files);
    /// Asked before a start when the flow has unsaved edits: saves them, or says why not.
    using SaveHandler = std::function<bool(QString *error)>;
    void setUnsavedCheck(std::function<bool()> isModified, SaveHandler save);

    /// Starts the experiment the form describes; false (reason in the status) if it cannot.
    bool startExperiment();
    /// Resumes the run selected in the runs list (its experiment, when it belongs to one).
    bool resumeSelected();
    void cancel();
    [[nodiscard]] bool isRunning() const;
    /// Asks where to save a report of the selected runs (HTML, CSV or JSON by the file type
    /// chosen) and writes it in the background.
    void exportSelected();
    /// The runs selected in the runs list, in list order.
    [[nodiscard]] std::vector<fb::RunId> selectedRuns() const;
    /// Opens the comparison of the selected runs (2 to 20; the oldest is the baseline) below.
    bool compareSelected();
    /// Selects every run of the list.
    void selectAllRuns();
    /// Brings the Charts tab forward (it charts the selected runs).
    void showCharts();
    /// Shows the charts of the selected runs when the Charts tab is the one showing.
    void chartSelectedRuns();
    /// Selects the first run of the list alone (its lines show below).
    void selectFirstRun();

    [[nodiscard]] ExperimentSetupPanel *setup() const { return m_setup; }
    [[nodiscard]] RunsModel *runs() const { return m_runs; }
    [[nodiscard]] RunResultsView *results() const { return m_results; }
    [[nodiscard]] CompareView *compareView() const { return m_compare; }
    [[nodiscard]] RunChartsView *charts() const { return m_charts; }
    [[nodiscard]] RatingsView *ratings() const { return m_ratings; }
    /// Ratings and blind A/B choices made on this page: the window's Undo in Evaluate mode.
    [[nodiscard]] QUndoStack *undoStack() const { return m_undo; }
    /// Opens the blind A/B review of two runs (non-modal; one at a time).
    BlindReviewDialog *openBlindReview(fb::RunId first, fb::RunId second);

Q_SIGNALS:
    void status(const QString &text, bool busy);
    void runningChanged(bool running);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void launch(fb::ExperimentRequest request);
    void launchWithTarget(fb::ExperimentRequest request);
    void showProgress();
    void updateRunBars();
    void updateButtons();
    /// Shows the lines of the one selected run (a finished one is read once, as a snapshot).
    void showSelectedRun();
    void setStatusText(const QString &text);
    /// The progress area's title for the current state, in the current language.
    void updateTitle();
    /// Keeps the form whole: the column is at least as wide as the form needs in this language.
    void fitSetupWidth();

    SimulatorService *m_simulator = nullptr;
    SecretStore *m_secrets = nullptr;
    QString m_root;
    QString m_connectionsDir;
    QString m_storePath;
    fb::Flow m_flow;
    bool m_hasFlow = false;
    std::function<bool()> m_isModified;
    SaveHandler m_save;
    bool m_preparing = false; // waiting for connections or the simulator before the launch

    ExperimentSetupPanel *m_setup = nullptr;
    QScrollArea *m_setupScroll = nullptr;
    ExperimentLauncher *m_launcher = nullptr;
    RunsModel *m_runs = nullptr;
    QSplitter *m_splitter = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_progressTitle = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_stats = nullptr;
    QLabel *m_statusLine = nullptr;
    QVBoxLayout *m_runBarsLayout = nullptr;
    QList<QPair<QString, QProgressBar *>> m_runBars;
    QLabel *m_runsTitle = nullptr;
    QTableView *m_runsView = nullptr;
    QSplitter *m_rightSplitter = nullptr;
    QTabWidget *m_views = nullptr;
    RunResultsView *m_results = nullptr;
    CompareView *m_compare = nullptr;
    RunChartsView *m_charts = nullptr;
    RatingsView *m_ratings = nullptr;
    QUndoStack *m_undo = nullptr;
    std::vector<fb::RunId> m_chartedRuns;
    QPushButton *m_compareButton = nullptr;
    qint64 m_shownRun = 0;
    QPushButton *m_resume = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_openReport = nullptr;
    ReportExporter *m_exporter = nullptr;
    QString m_lastReport;
    QTimer *m_poll = nullptr;
    QStringList m_activeRuns;
    bool m_simulated = false;
    enum class Phase { Idle, Preparing, Running, Finished, NotRun } m_phase = Phase::Idle;
    bool m_resuming = false;
};

} // namespace fb::ui
