#pragma once

#include <ui/app/flowrecovery.h>
#include <ui/app/workspace.h>

#include <QMainWindow>
#include <QPointer>

#include <functional>

class QAction;
class QUndoStack;
class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTimer;

namespace fb::ui {

class EvaluatePage;
class ExperimentPage;
class InitializePage;
class LanguageManager;
class ModeBar;
class PlaceholderPage;
class SecretStore;
class SimulatorService;

/// The workbench window: a left bar with the four lifecycle modes (Initialize, Experiment,
/// Evaluate, Deploy), one page per mode, menus with the keyboard shortcuts, recent workspaces
/// and flows, a status bar for background work; window state is restored from AppSettings.
/// Unsaved edits are written to a recovery file every few seconds (FlowRecovery) and offered
/// back when the flow is opened again after a crash. GUI thread only.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    enum class Mode { Initialize, Experiment, Evaluate, Deploy };
    static constexpr int kModeCount = 4;

    explicit MainWindow(LanguageManager *language, QWidget *parent = nullptr);
    ~MainWindow() override;

    void setMode(Mode mode);
    [[nodiscard]] Mode mode() const;

    /// Opens (creating if needed) a workspace folder and remembers it in the recent list.
    bool openWorkspace(const QString &dir, QString *error);
    [[nodiscard]] const Workspace &workspace() const { return m_workspace; }

    /// Opens a flow folder (or its flow.dag.yaml) and shows it in Experiment mode.
    bool openFlow(const QString &dir, QString *error);
    [[nodiscard]] QString currentFlowDir() const { return m_flowDir; }

    bool saveFlow(QString *error);
    /// Opens a flow as the user asked for it: unsaved changes to the current flow are saved,
    /// discarded or the open is cancelled (asked first); errors are shown in a message box.
    bool openFlowInteractively(const QString &dir);

    /// Writes the unsaved edits of the open flow to its recovery file now (the timer does this
    /// every few seconds); removes the file when nothing is unsaved.
    void autosaveNow();
    [[nodiscard]] FlowRecovery &recovery() { return m_recovery; }
    /// Decides whether recovered edits are restored (true) or thrown away; by default the user
    /// is asked. Tests replace it.
    using RecoveryPrompt = std::function<bool(const FlowRecovery::Snapshot &)>;
    void setRecoveryPrompt(RecoveryPrompt prompt) { m_recoveryPrompt = std::move(prompt); }

    [[nodiscard]] InitializePage *initializePage() const { return m_initializePage; }
    [[nodiscard]] ExperimentPage *experimentPage() const { return m_experimentPage; }
    [[nodiscard]] SecretStore *secretStore() const { return m_secrets; }
    [[nodiscard]] SimulatorService *simulator() const { return m_simulator; }

    /// Shows `text` in the status bar; `busy` shows the activity indicator.
    void showActivity(const QString &text, bool busy);

    /// Renders each mode at the window's size into `dir` as <mode>.png (for docs and the
    /// screenshot script). Returns false when a file cannot be written.
    bool saveScreenshots(const QString &dir);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createPages();
    void retranslateUi();
    void rebuildRecentMenus();
    void restoreWindowState();
    void updateTitle();
    void updateEditActions();
    /// The undo stack of what the current mode shows.
    [[nodiscard]] QUndoStack *activeUndoStack() const;

    void openFlowDialog();
    /// Save / Discard / Cancel for unsaved changes; true when it is fine to leave the flow.
    bool confirmLeavingFlow();
    void offerRecovery();
    bool askToRecover(const FlowRecovery::Snapshot &snapshot);
    void openWorkspaceDialog();
    void showSettings();
    void showAbout();
    void showShortcuts();

    LanguageManager *m_language = nullptr;
    Workspace m_workspace;
    QString m_flowDir;
    FlowRecovery m_recovery;
    RecoveryPrompt m_recoveryPrompt;
    QTimer *m_autosaveTimer = nullptr;
    QByteArray m_autosaved; ///< digest of the last snapshot written, empty when none

    ModeBar *m_modeBar = nullptr;
    QStackedWidget *m_pages = nullptr;
    SecretStore *m_secrets = nullptr;
    SimulatorService *m_simulator = nullptr;
    InitializePage *m_initializePage = nullptr;
    ExperimentPage *m_experimentPage = nullptr;
    EvaluatePage *m_evaluatePage = nullptr;
    PlaceholderPage *m_deployPage = nullptr;

    QLabel *m_statusText = nullptr;
    QProgressBar *m_busy = nullptr;

    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentFlowsMenu = nullptr;
    QMenu *m_recentWorkspacesMenu = nullptr;
    QMenu *m_editMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_runMenu = nullptr;
    QMenu *m_helpMenu = nullptr;

    QAction *m_openFlowAction = nullptr;
    QAction *m_openWorkspaceAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_modeActions[kModeCount] = {};
    QAction *m_runAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_shortcutsAction = nullptr;
    QAction *m_aboutAction = nullptr;
};

} // namespace fb::ui
