#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace fb::ui {

class ConnectionsPanel;
class DatasetsPanel;
class SecretStore;
class SimulatorService;
class Workspace;

/// Initialize mode: start a flow from a template (copied into the workspace) or open a flow
/// folder; the flow's goal and notes (FlowMetadata, saved as you type); its datasets; the
/// workspace's connections. GUI thread only.
class InitializePage final : public QWidget
{
    Q_OBJECT

public:
    InitializePage(SecretStore *secrets, SimulatorService *simulator, QWidget *parent = nullptr);

    void setWorkspace(const Workspace &workspace);
    void setFlow(const QString &flowDir);
    [[nodiscard]] QString flowDir() const { return m_flowDir; }

    /// Copies a template into the workspace as a new flow named `name` (a folder of the
    /// workspace; empty: the template's name, made unique); on success `createdDir` is the new
    /// folder and openFlowRequested() is emitted. Refuses a name in use or not a plain name.
    bool createFromTemplate(const QString &templateDir, QString *createdDir, QString *error,
                            const QString &name = {});
    /// Writes pending notes now.
    void flushNotes();

    [[nodiscard]] DatasetsPanel *datasets() const { return m_datasets; }
    [[nodiscard]] ConnectionsPanel *connections() const { return m_connections; }
    [[nodiscard]] QPlainTextEdit *notesEditor() const { return m_notes; }

Q_SIGNALS:
    void openFlowRequested(const QString &flowDir);
    void browseForFlowRequested();
    void status(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void fillTemplates();
    void createSelected();

    QString m_workspaceRoot;
    QString m_flowDir;

    QLabel *m_startTitle = nullptr;
    QListWidget *m_templates = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_open = nullptr;
    QLabel *m_flowTitle = nullptr;
    QLabel *m_notesTitle = nullptr;
    QPlainTextEdit *m_notes = nullptr;
    bool m_notesDirty = false; ///< notes typed since the last write
    bool m_notesLoaded = false;
    QTimer *m_notesTimer = nullptr;
    DatasetsPanel *m_datasets = nullptr;
    ConnectionsPanel *m_connections = nullptr;
};

} // namespace fb::ui
