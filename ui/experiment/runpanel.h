#pragma once

#include <core/common/value.h>
#include <core/exec/linetypes.h>
#include <core/flow/flow.h>
#include <core/llm/connection.h>

#include <QList>
#include <QPair>
#include <QWidget>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace fb::ui {

class ExecutionServices;
class LineRunBridge;
class SecretStore;
class SimulatorService;
class TraceModel;

/// "Run one row": pick a row of the flow's dataset or type the inputs as JSON, run the flow
/// (with the chosen variants) through core's FlowExecutor against the Simulator or the
/// workspace's connections, watch the output stream in, and read the per-node trace (status,
/// rendered prompt, messages, output, TTFT, TPOT, latency, tokens, retries). Cancel at any
/// time. Everything slow runs on core's threads; the GUI thread only routes. GUI thread only.
class RunPanel final : public QWidget
{
    Q_OBJECT

public:
    RunPanel(SimulatorService *simulator, SecretStore *secrets, QWidget *parent = nullptr);
    ~RunPanel() override;

    void setWorkspace(const QString &root, const QString &connectionsDir);
    /// A newly opened flow (a copy) and the variants chosen for it ({"node": "variant_1"}):
    /// the previous flow's output, status, trace and inputs are cleared; the inputs become the
    /// flow's defaults until a dataset row is chosen.
    void openFlow(const fb::Flow &flow, const fb::Value &variants = fb::Value::object());
    /// The same flow after an edit: the trace follows its node list; the inputs, the output and
    /// the status are kept (they describe the last run, which the edit did not change).
    void setFlow(const fb::Flow &flow, const fb::Value &variants = fb::Value::object());
    /// What a run uses, asked at the start of every run: the flow and the variant selection as
    /// the editor shows them at that moment. Without a source the last setFlow() is used.
    struct RunSource
    {
        fb::Flow flow;
        fb::Value variants = fb::Value::object();
    };
    using SourceProvider = std::function<RunSource()>;
    void setSourceProvider(SourceProvider provider) { m_source = std::move(provider); }
    /// Asked at the start of every run for template text to use instead of the files on disk
    /// (the editor's unsaved buffers, by absolute path).
    using UnsavedTemplates = std::function<std::map<std::filesystem::path, std::string>()>;
    void setUnsavedTemplates(UnsavedTemplates provider)
    {
        m_unsavedTemplates = std::move(provider);
    }
    /// The datasets attached to the flow (absolute paths), offered beside the row picker when
    /// there is more than one; `current` is the one whose rows the picker shows.
    void setDatasets(const QStringList &files, const QString &current);
    /// Rows offered in the row picker (dataset rows, as flow inputs).
    void setSampleRows(const QList<fb::Value> &rows);
    /// Shows row `index` of the sample rows and puts its values in the inputs.
    void chooseRow(int index);
    void setInputs(const fb::Value &inputs);
    /// The inputs typed in the editor; false (with `error`) when they are not a JSON object.
    bool inputs(fb::Value *inputs, QString *error) const;

    void setUseSimulator(bool simulator);
    /// Whether the next run goes to the Simulator (the target chosen now).
    [[nodiscard]] bool useSimulator() const;
    /// Whether the shown result came from the Simulator (the target of the last run started).
    [[nodiscard]] bool lastRunSimulated() const { return m_runSimulated; }
    /// Clears the output, status, trace and source of the last run.
    void clearResult();

    /// Starts a run; false (and the reason in the status) when one is running or the flow or
    /// inputs are not runnable. The run itself reports through runFinished().
    bool run();
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }

    [[nodiscard]] QString outputText() const;
    [[nodiscard]] TraceModel *traceModel() const { return m_trace; }
    [[nodiscard]] LineRunBridge *bridge() const { return m_bridge; }

Q_SIGNALS:
    void runningChanged(bool running);
    void runFinished(const fb::LineResult &result);
    void inputsChanged(const fb::Value &inputs);
    /// The user chose another attached dataset for the row picker.
    void datasetChosen(const QString &file);
    void status(const QString &text, bool busy);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void startWithConnections(std::vector<fb::Connection> connections);
    /// Reads the price table for the cost column; returns a problem to show, or empty.
    QString loadPrices();
    void fail(const QString &message);
    /// Shows a status in the one-line label: the first line, elided; all of it as tooltip.
    void setStatusText(const QString &text);
    void showSource();
    /// Forgets the shown run: output, detail, status, source line (not the trace).
    void forgetShownRun();
    void resetInputs();
    /// Ends a started run that could not reach the executor (runFinished() reports Failed).
    void failRun(const QString &message);
    void appendOutput(const QString &node, const QString &text);
    void showNodeDetail(int row);
    void finishRun(const fb::LineResult &result);
    [[nodiscard]] QString summaryOf(const fb::LineResult &result) const;
    void showSummary();
    void appendFlowOutputs(const fb::LineResult &result);
    void renderOutput();
    void setRunning(bool running);

    SimulatorService *m_simulator = nullptr;
    SecretStore *m_secrets = nullptr;
    std::unique_ptr<ExecutionServices> m_services;
    LineRunBridge *m_bridge = nullptr;
    TraceModel *m_trace = nullptr;
    QString m_root;
    QString m_connectionsDir;
    fb::Flow m_flow;
    UnsavedTemplates m_unsavedTemplates;
    SourceProvider m_source;
    bool m_runSimulated = false; ///< the target of the run whose result is shown
    QString m_runSimulatorUrl;
    QStringList m_runConnections; ///< workspace connections the shown run used
    bool m_pricesLoaded = false;
    bool m_hasFlow = false;
    fb::Value m_variants = fb::Value::object();
    QList<fb::Value> m_rows;
    bool m_running = false;
    bool m_cancelRequested = false;
    QString m_lastOutputNode;
    QList<QPair<QString, QString>> m_streamed; ///< (node, text) as streamed in the shown run
    std::optional<fb::LineResult> m_lastResult; ///< the shown run's result, once it ended
    int m_runId = 0;

    QLabel *m_inputsLabel = nullptr;
    QComboBox *m_datasetPicker = nullptr;
    QComboBox *m_rowPicker = nullptr;
    QComboBox *m_target = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_simulatedBadge = nullptr;
    QLabel *m_statusLabel = nullptr;
    QPlainTextEdit *m_inputsEdit = nullptr;
    QLabel *m_outputLabel = nullptr;
    QLabel *m_sourceLabel = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QTableView *m_traceView = nullptr;
    QPlainTextEdit *m_detail = nullptr;
};

} // namespace fb::ui
