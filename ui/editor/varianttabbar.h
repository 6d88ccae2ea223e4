#pragma once

#include <ui/editor/graphtypes.h>

#include <QWidget>

class QAction;
class QLabel;
class QTabBar;
class QToolButton;
class QUndoStack;

namespace fb::ui {

class FlowGraphModel;

/// Variant tabs of the selected llm or prompt node: one tab per variant (the default one
/// marked), a "+" button that creates a variant from the current one, and a menu to rename,
/// describe, make default, delete and compare variants. Choosing a tab makes that variant
/// the active one (what the graph, properties and prompt editor show and what a run uses).
class VariantTabBar final : public QWidget
{
    Q_OBJECT

public:
    VariantTabBar(FlowGraphModel *model, QUndoStack *undoStack, QWidget *parent = nullptr);

    void setNode(NodeId id);
    [[nodiscard]] NodeId node() const { return m_id; }
    [[nodiscard]] QTabBar *tabBar() const { return m_tabs; }

    // The actions, without dialogs; return false (with `error`) when impossible.
    bool createVariant(QString *error = nullptr);
    bool renameVariant(const QString &variantId, const QString &newId, QString *error = nullptr);
    bool describeVariant(const QString &variantId, const QString &description, const QString &notes,
                         QString *error = nullptr);
    bool setDefaultVariant(const QString &variantId, QString *error = nullptr);
    bool removeVariant(const QString &variantId, QString *error = nullptr);

Q_SIGNALS:
    /// A new variant reads `to`, a copy of the template `from` (relative paths): emitted
    /// before the variant is created so the caller can copy the text.
    void templateCopyNeeded(const QString &from, const QString &to);
    /// The user asked to compare two variants.
    void compareRequested(const QString &nodeName, const QString &left, const QString &right);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void rebuild();
    [[nodiscard]] QString currentVariant() const;
    void renameInteractively();
    void describeInteractively();
    void report(const QString &error);

    FlowGraphModel *m_model;
    QUndoStack *m_undoStack;
    NodeId m_id = NodeId::Invalid;
    bool m_rebuilding = false;
    QLabel *m_label;
    QTabBar *m_tabs;
    QToolButton *m_add;
    QToolButton *m_menu;
    QAction *m_renameAction = nullptr;
    QAction *m_describeAction = nullptr;
    QAction *m_defaultAction = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_deleteAction = nullptr;
};

} // namespace fb::ui
