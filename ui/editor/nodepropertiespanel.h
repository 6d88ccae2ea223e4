#pragma once

#include <core/flow/flow.h>
#include <ui/editor/graphtypes.h>

#include <QMap>
#include <QPointer>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
class QUndoStack;

namespace fb::ui {

class FlowGraphModel;

/// The properties of the selected node (of its active variant): name, type, source path,
/// connection, api, model or deployment, API parameters with typed editors (each can be left
/// unset), the other inputs as a table, activate condition and aggregation. Every edit is a
/// command on the undo stack; the panel follows the model when the node changes.
class NodePropertiesPanel final : public QWidget
{
    Q_OBJECT

public:
    NodePropertiesPanel(FlowGraphModel *model, QUndoStack *undoStack, QWidget *parent = nullptr);

    /// Shows `id` (Invalid: nothing selected).
    void setNode(NodeId id);
    [[nodiscard]] NodeId node() const { return m_id; }
    /// The connection names offered in the connection combo.
    void setConnectionNames(const QStringList &names);

    // Editors, exposed for tests.
    [[nodiscard]] QLineEdit *nameEdit() const { return m_name; }
    [[nodiscard]] QComboBox *connectionCombo() const { return m_connection; }
    [[nodiscard]] QLineEdit *modelEdit() const { return m_model; }
    [[nodiscard]] QDoubleSpinBox *temperatureSpin() const;
    [[nodiscard]] QSpinBox *maxTokensSpin() const;
    [[nodiscard]] QCheckBox *aggregationCheck() const { return m_aggregation; }

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Parameter
    {
        QString name;
        QCheckBox *enabled = nullptr;
        QWidget *editor = nullptr;
    };

    void retranslateUi();
    void reload();
    void push(const fb::Node &node, const QString &field);
    [[nodiscard]] fb::Node current() const;
    void addParameter(QFormLayout *form, const QString &name, QWidget *editor);
    void commitParameter(const Parameter &p);
    void commitModel();
    void commitInputs();
    void commitActivate();
    void rename();
    [[nodiscard]] static bool isParameterEditor(const QString &name);

    FlowGraphModel *m_graph;
    QUndoStack *m_undoStack;
    NodeId m_id = NodeId::Invalid;
    bool m_loading = false;
    QStringList m_connectionNames;

    QStackedWidget *m_stack;
    QLabel *m_empty;
    QLabel *m_header;
    QLineEdit *m_name;
    QComboBox *m_type;
    QLineEdit *m_source;
    QWidget *m_llmBox;
    QComboBox *m_connection;
    QComboBox *m_api;
    QLabel *m_modelLabel;
    QLineEdit *m_model;
    QGroupBox *m_parameterBox;
    QList<Parameter> m_parameters;
    QLineEdit *m_stop = nullptr;
    QGroupBox *m_inputsBox = nullptr;
    QTableWidget *m_inputs;
    QPushButton *m_addInput = nullptr;
    QPushButton *m_removeInput = nullptr;
    QGroupBox *m_activateBox;
    QComboBox *m_when;
    QLineEdit *m_is;
    QCheckBox *m_aggregation;
    // Form labels, set again when the language changes.
    QLabel *m_nameLabel = nullptr;
    QLabel *m_typeLabel = nullptr;
    QLabel *m_sourceLabel = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_apiLabel = nullptr;
    QLabel *m_whenLabel = nullptr;
    QLabel *m_isLabel = nullptr;
};

} // namespace fb::ui
