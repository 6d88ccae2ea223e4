#pragma once

#include <core/common/value.h>
#include <core/flow/flow.h>

#include <QHash>
#include <QWidget>

#include <filesystem>
#include <map>
#include <string>

class QAction;
class QListView;
class QTextDocument;
class QTimer;
class QToolButton;
class QUndoStack;

namespace fb {

namespace ui {
class FlowGraphModel;
class FlowScene;
class FlowView;
class NodePropertiesPanel;
class ProblemsModel;
class PromptEditor;
class VariantTabBar;
} // namespace ui

/// The Experiment-mode flow editor, as one widget for the shell: the graph (with the variant
/// tabs of the selected node) is this widget; the properties panel, the problems list and the
/// prompt editor are separate widgets the shell places (they are children of this widget
/// until the shell re-parents them into its layout).
///
/// The flow (fb::Flow) is the truth, held by a FlowGraphModel; every edit of the graph,
/// properties or variants is a command on undoStack(); so is each undo step of a template's
/// text, so one history holds every edit of the flow. Template edits count in isModified()
/// and are written by save().
/// Validation (FlowValidator) runs shortly after each change; problems show on the nodes and
/// in problemsView(). GUI thread only.
class FlowEditorWidget : public QWidget
{
    Q_OBJECT

public:
    explicit FlowEditorWidget(QWidget *parent = nullptr);
    ~FlowEditorWidget() override;

    /// Loads `dir` (a flow folder or its flow.dag.yaml), builds the graph, lays out nodes
    /// without saved positions, clears the undo history. On failure keeps the current flow
    /// and sets `error` (file:line:column: message).
    bool openFlow(const QString &dir, QString *error);
    /// Writes flow.dag.yaml (with every node's position) and the edited or new template and
    /// code files. Sets `error` on failure.
    bool save(QString *error);
    [[nodiscard]] bool isModified() const;
    [[nodiscard]] const fb::Flow &flow() const;
    [[nodiscard]] QUndoStack *undoStack() const;
    /// The text of every template edited but not saved yet, by absolute, lexically normal
    /// path: a run uses what the user sees, not the file on disk.
    [[nodiscard]] std::map<std::filesystem::path, std::string> unsavedTemplates() const;
    /// The flow's YAML as edited now (what save() would write, without layout-only positions).
    [[nodiscard]] QByteArray editedYaml() const;
    /// Edited, unsaved template and code files: absolute path -> text.
    [[nodiscard]] QHash<QString, QString> editedFiles() const;
    /// Replaces the open flow with recovered unsaved work (YAML as edited and file texts by
    /// absolute path) and marks it modified, so the user saves or discards it. The open
    /// flow's file is kept as the save target. False with `error` when the YAML does not load.
    bool restoreEdits(const QByteArray &yaml, const QHash<QString, QString> &files, QString *error);
    /// {"node": "variant_id", ...}: the variant chosen in the tabs for every variant node.
    [[nodiscard]] fb::Value variantSelection() const;
    /// The flow inputs (a dataset row) the prompt preview renders with; inputs missing here
    /// use the flow's defaults.
    void setSampleInputs(const fb::Value &inputs);

    [[nodiscard]] QWidget *propertiesPanel() const;
    [[nodiscard]] QWidget *problemsView() const;
    [[nodiscard]] QWidget *promptEditor() const;

    /// Connection names offered for llm nodes (the first is used for new nodes).
    void setConnectionNames(const QStringList &names);
    /// Selects a node by name (empty: clears the selection) and scrolls it into view.
    void selectNode(const QString &name);
    [[nodiscard]] QString selectedNode() const;
    /// Runs validation now instead of after the pause that follows an edit.
    void validateNow();
    /// Fits the whole flow in the view.
    void fitToView();

    // Parts, for tests and the shell's menus.
    [[nodiscard]] ui::FlowGraphModel *graphModel() const { return m_model; }
    [[nodiscard]] ui::FlowScene *scene() const { return m_scene; }
    [[nodiscard]] ui::FlowView *view() const { return m_view; }
    [[nodiscard]] ui::VariantTabBar *variantTabBar() const { return m_variants; }
    [[nodiscard]] ui::ProblemsModel *problemsModel() const { return m_problems; }
    /// The text document of a template or code file (path relative to the flow folder),
    /// loaded on first use.
    [[nodiscard]] QTextDocument *templateDocument(const QString &relativePath);

Q_SIGNALS:
    void flowChanged();
    void selectedNodeChanged(const QString &node);
    void modifiedChanged(bool modified);
    void problemsChanged(int errorCount);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Sets every translatable text: toolbar, add menu, and the parts that get no
    /// LanguageChange of their own (graph items, problems list, prompt editor message).
    void retranslateUi();
    void onSelectionChanged();
    void loadPrompt();
    [[nodiscard]] fb::Value promptContext(const fb::Node &node) const;
    void updateModified();
    void copyTemplate(const QString &from, const QString &to);
    void compareVariants(const QString &node, const QString &left, const QString &right);
    void activateProblem(const QModelIndex &index);
    void clearTemplates();
    void showFlow(fb::Flow flow);
    /// Template colouring: KF6 SyntaxHighlighting when built with it, else JinjaHighlighter.
    void highlight(QTextDocument *doc, const QString &fileName) const;
    [[nodiscard]] QString absolutePath(const QString &relativePath) const;

    ui::FlowGraphModel *m_model;
    QUndoStack *m_undoStack;
    ui::FlowScene *m_scene;
    ui::FlowView *m_view;
    ui::VariantTabBar *m_variants;
    ui::NodePropertiesPanel *m_properties;
    ui::ProblemsModel *m_problems;
    QListView *m_problemsView;
    ui::PromptEditor *m_prompt;
    QTimer *m_validateTimer;
    QToolButton *m_addButton = nullptr;
    QAction *m_addLlmAction = nullptr;
    QAction *m_addPromptAction = nullptr;
    QAction *m_addPythonAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_layoutAction = nullptr;
    QAction *m_fitAction = nullptr;
    QHash<QString, QTextDocument *> m_templates; // by absolute path
    fb::Value m_sampleInputs = fb::Value::object();
    QString m_selected;
    bool m_lastModified = false;
    bool m_fitPending = false;
    bool m_settingText = false; ///< text set by code, not typed: no undo step of its own
};

} // namespace fb
