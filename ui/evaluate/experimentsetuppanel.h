#pragma once

#include <core/experiment/experimentrequest.h>
#include <core/flow/flow.h>

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;
class QVBoxLayout;

namespace fb::ui {

/// What an experiment runs, as a form: the dataset (of those attached to the flow), the
/// variants as a checkbox grid per variant node (any cross product: one run per combination),
/// built-in evaluators with their reference column, the target (the Simulator or the
/// workspace's connections), concurrency, budget cap, response cache and the name. request()
/// turns the form into core's ExperimentRequest; nothing here runs anything. GUI thread only.
class ExperimentSetupPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ExperimentSetupPanel(QWidget *parent = nullptr);

    /// The flow the experiment runs; variant checkboxes start at each node's default variant.
    void setFlow(const fb::Flow &flow);
    /// The datasets attached to the flow (absolute paths); the first is chosen.
    void setDatasets(const QStringList &files);
    [[nodiscard]] QString dataset() const;
    /// Runs the current choice makes (the size of the cross product); 0 if a node has none.
    [[nodiscard]] int runCount() const;
    [[nodiscard]] bool useSimulator() const;
    void setUseSimulator(bool simulator);
    /// Why the form cannot start an experiment now, or empty.
    [[nodiscard]] QString problem() const;
    /// The form as a request (flow, data, variants, evaluators, limits, name); the caller adds
    /// the store, the workspace and the connections.
    [[nodiscard]] fb::ExperimentRequest request() const;

Q_SIGNALS:
    /// Any choice changed.
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void rebuildVariants();
    void loadColumns();
    void updateSummary();

    struct EvaluatorRow
    {
        QString type;
        bool needsReference = false;
        QCheckBox *enabled = nullptr;
        QComboBox *reference = nullptr;
    };
    struct VariantBox
    {
        std::string node;
        QGroupBox *box = nullptr;
        QList<QCheckBox *> checks;
    };

    fb::Flow m_flow;
    bool m_hasFlow = false;
    QStringList m_columns;

    QLabel *m_flowLabel = nullptr;
    QLabel *m_datasetLabel = nullptr;
    QComboBox *m_dataset = nullptr;
    QLabel *m_datasetInfo = nullptr;
    QGroupBox *m_variantsBox = nullptr;
    QVBoxLayout *m_variantsLayout = nullptr;
    QLabel *m_noVariants = nullptr;
    QList<VariantBox> m_variantBoxes;
    QGroupBox *m_evaluatorsBox = nullptr;
    QTableWidget *m_evaluators = nullptr;
    QList<EvaluatorRow> m_evaluatorRows;
    QGroupBox *m_optionsBox = nullptr;
    QFormLayout *m_options = nullptr;
    QComboBox *m_target = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QDoubleSpinBox *m_budget = nullptr;
    QCheckBox *m_cache = nullptr;
    QLineEdit *m_name = nullptr;
    QLabel *m_summary = nullptr;
    qint64 m_rows = -1; // of the chosen dataset's preview; -1 unknown
    bool m_rowsComplete = false;
};

} // namespace fb::ui
