#pragma once

#include <core/flow/flow.h>

#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;
class QSplitter;
class QTabWidget;
class QUndoStack;

namespace fb {
class FlowEditorWidget;
}

namespace fb::ui {

class RunPanel;
class SecretStore;
class SimulatorService;

/// Experiment mode: the flow editor (graph in the centre, properties and prompt editor on the
/// right, problems below — when built with ui/editor) or, without it, a read-only node list;
/// and the "Run one row" panel under it. GUI thread only.
class ExperimentPage final : public QWidget
{
    Q_OBJECT

public:
    ExperimentPage(SimulatorService *simulator, SecretStore *secrets, QWidget *parent = nullptr);
    ~ExperimentPage() override;

    /// Loads a flow folder; on failure keeps the current flow and sets `error`.
    bool openFlow(const QString &dir, QString *error);
    [[nodiscard]] bool hasFlow() const { return m_hasFlow; }
    [[nodiscard]] QString flowDir() const { return m_flowDir; }
    /// The flow as edited (or as loaded without the editor).
    [[nodiscard]] const fb::Flow &flow() const;
    bool save(QString *error);
    [[nodiscard]] bool isModified() const;
    /// The editor's undo stack; nullptr without the editor.
    [[nodiscard]] QUndoStack *undoStack() const;

    void setWorkspace(const QString &root, const QString &connectionsDir);
    void setConnectionNames(const QStringList &names);
    /// The flow's attached datasets; the run panel's row picker reads the first, or the one
    /// the user picks there.
    void setDatasetFiles(const QStringList &files);

    [[nodiscard]] RunPanel *runPanel() const { return m_run; }
#ifdef FB_HAVE_EDITOR
    [[nodiscard]] fb::FlowEditorWidget *editor() const { return m_editor; }
#endif

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void flowChanged();
    void status(const QString &text, bool busy);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refreshRunFlow();
    void loadRows(const QString &file);

    QString m_flowDir;
    bool m_hasFlow = false;
    fb::Flow m_flow; // without the editor: the loaded flow
    QLabel *m_header = nullptr;
    QSplitter *m_vertical = nullptr;
    QTabWidget *m_sideTabs = nullptr;
    QTabWidget *m_bottomTabs = nullptr;
    RunPanel *m_run = nullptr;
    QWidget *m_problems = nullptr;
#ifdef FB_HAVE_EDITOR
    fb::FlowEditorWidget *m_editor = nullptr;
#else
    QListWidget *m_nodes = nullptr;
#endif
    int m_datasetGeneration = 0;
    QStringList m_datasetFiles;
    QString m_datasetFile; ///< the one the row picker reads
};

} // namespace fb::ui
