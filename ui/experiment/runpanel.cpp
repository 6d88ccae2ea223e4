#include <ui/experiment/runpanel.h>

#include <ui/experiment/executionservices.h>
#include <ui/experiment/linerunbridge.h>
#include <ui/experiment/tracemodel.h>
#include <ui/initialize/connectionresolver.h>
#include <ui/initialize/secretstore.h>
#include <ui/initialize/simulatorservice.h>

#include <core/cost/pricetable.h>
#include <core/exec/preparedflow.h>

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSizePolicy>
#include <QSplitter>
#include <QTableView>
#include <QTextCursor>
#include <QVBoxLayout>

#include <algorithm>

namespace fb::ui {

namespace {

QString compact(const fb::Value &v, int max)
{
    QString s = QString::fromStdString(v.dump());
    if (s.size() > max) {
        s = s.left(max) + QChar(0x2026);
    }
    return s;
}

/// The nodes a single-line run shows in its trace: aggregation nodes run over a batch of
/// lines, never in one line.
QStringList lineNodes(const fb::Flow &flow)
{
    QStringList nodes;
    for (const auto &n : flow.nodes) {
        if (!n.aggregation) {
            nodes.append(QString::fromStdString(n.name));
        }
    }
    return nodes;
}

QWidget *titled(QLabel *label, QWidget *body, QWidget *parent)
{
    auto *w = new QWidget(parent);
    auto *l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->setSpacing(2);
    l->addWidget(label);
    l->addWidget(body, 1);
    return w;
}

} // namespace

RunPanel::RunPanel(SimulatorService *simulator, SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_simulator(simulator)
    , m_secrets(secrets)
    , m_bridge(new LineRunBridge(this))
    , m_trace(new TraceModel(this))
{
    setObjectName(QStringLiteral("runPanel"));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_inputsLabel = new QLabel(this);
    m_datasetPicker = new QComboBox(this);
    m_datasetPicker->setObjectName(QStringLiteral("datasetPicker"));
    m_datasetPicker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_datasetPicker->hide();
    m_rowPicker = new QComboBox(this);
    m_rowPicker->setObjectName(QStringLiteral("rowPicker"));
    m_rowPicker->setMinimumWidth(260);
    m_rowPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("runTarget"));
    m_target->addItem(QString(), true);
    m_target->addItem(QString(), false);
    m_simulatedBadge = new QLabel(this);
    m_simulatedBadge->setObjectName(QStringLiteral("simulatedBadge"));
    m_simulatedBadge->setStyleSheet(QStringLiteral(
        "QLabel { background: #b45309; color: white; border-radius: 3px; padding: 1px 6px; "
        "font-weight: 600; }"));
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("runStatus"));
    // One line that never asks for more width than the bar has: a long error must not widen
    // the window. The whole text is in the tooltip and the trace detail.
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_statusLabel->setMinimumWidth(80);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_cancel = new QPushButton(this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setDefault(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_inputsLabel);
    bar->addWidget(m_datasetPicker);
    bar->addWidget(m_rowPicker, 1);
    bar->addWidget(m_target);
    bar->addWidget(m_simulatedBadge);
    bar->addWidget(m_statusLabel, 2);
    bar->addWidget(m_cancel);
    bar->addWidget(m_run);

    m_inputsEdit = new QPlainTextEdit(this);
    m_inputsEdit->setObjectName(QStringLiteral("inputsEditor"));
    m_inputsEdit->setFont(mono);
    m_inputsEdit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(QStringLiteral("runOutput"));
    m_output->setReadOnly(true);
    m_outputLabel = new QLabel(this);
    m_sourceLabel = new QLabel(this);
    m_sourceLabel->setObjectName(QStringLiteral("runSource"));
    m_sourceLabel->setTextFormat(Qt::PlainText);
    m_sourceLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_sourceLabel->hide();
    m_traceView = new QTableView(this);
    m_traceView->setObjectName(QStringLiteral("traceView"));
    m_traceView->setModel(m_trace);
    m_traceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_traceView->verticalHeader()->hide();
    m_traceView->verticalHeader()->setDefaultSectionSize(22);
    m_traceView->horizontalHeader()->setStretchLastSection(true);
    // The output column takes what the others leave; it may get narrow before the table
    // scrolls sideways (the whole output is in the detail below and in the Output pane).
    m_traceView->horizontalHeader()->setMinimumSectionSize(24);
    m_traceView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_traceView->horizontalHeader()->setSectionResizeMode(TraceModel::OutputColumn,
                                                          QHeaderView::Stretch);
    m_traceView->setAlternatingRowColors(true);
    m_traceView->setWordWrap(false);
    m_detail = new QPlainTextEdit(this);
    m_detail->setObjectName(QStringLiteral("traceDetail"));
    m_detail->setReadOnly(true);
    m_detail->setFont(mono);

    auto *inputsLabel = new QLabel(this);
    inputsLabel->setObjectName(QStringLiteral("inputsTitle"));
    auto *traceLabel = new QLabel(this);
    traceLabel->setObjectName(QStringLiteral("traceTitle"));
    auto *traceSplit = new QSplitter(Qt::Vertical, this);
    traceSplit->setObjectName(QStringLiteral("traceSplit"));
    traceSplit->addWidget(m_traceView);
    traceSplit->addWidget(m_detail);
    traceSplit->setStretchFactor(0, 3);
    traceSplit->setStretchFactor(1, 2);
    // Inputs above the output on the left, the trace with room for all its columns on the
    // right (a 1280-pixel screen shows every column without sideways scrolling).
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("runSplit"));
    auto *ioSplit = new QSplitter(Qt::Vertical, split);
    ioSplit->setObjectName(QStringLiteral("runInputsSplit"));
    ioSplit->setChildrenCollapsible(false);
    ioSplit->addWidget(titled(inputsLabel, m_inputsEdit, ioSplit));
    auto *outputBox = new QWidget(ioSplit);
    auto *outputLayout = new QVBoxLayout(outputBox);
    outputLayout->setContentsMargins(0, 0, 0, 0);
    outputLayout->setSpacing(2);
    outputLayout->addWidget(m_outputLabel);
    outputLayout->addWidget(m_sourceLabel);
    outputLayout->addWidget(m_output, 1);
    ioSplit->addWidget(outputBox);
    ioSplit->setStretchFactor(0, 2);
    ioSplit->setStretchFactor(1, 3);
    split->addWidget(ioSplit);
    split->addWidget(titled(traceLabel, traceSplit, split));
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({440, 720});
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &RunPanel::run);
    connect(m_cancel, &QPushButton::clicked, this, &RunPanel::cancel);
    connect(m_datasetPicker, &QComboBox::activated, this, [this](int index) {
        Q_EMIT datasetChosen(m_datasetPicker->itemData(index).toString());
    });
    connect(m_rowPicker, &QComboBox::activated, this, &RunPanel::chooseRow);
    connect(m_target, &QComboBox::currentIndexChanged, this,
            [this] { m_simulatedBadge->setVisible(useSimulator()); });
    connect(m_inputsEdit, &QPlainTextEdit::textChanged, this, [this] {
        fb::Value v;
        const bool valid = inputs(&v, nullptr);
        // The row box says where the inputs came from: a row, or typed by hand.
        const int row = m_rowPicker->currentIndex();
        const bool fromRow = valid && row >= 0 && row < m_rows.size() && m_rows.at(row) == v;
        if (!fromRow && !m_rows.isEmpty() && m_rowPicker->currentIndex() != m_rows.size()) {
            const QSignalBlocker block(m_rowPicker);
            if (m_rowPicker->count() == m_rows.size()) {
                m_rowPicker->addItem(tr("Edited inputs"));
            }
            m_rowPicker->setCurrentIndex(m_rows.size());
        }
        if (valid) {
            Q_EMIT inputsChanged(v);
        }
    });
    connect(m_traceView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showNodeDetail(current.row()); });
    connect(m_trace, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &tl) {
        if (m_traceView->currentIndex().row() == tl.row()) {
            showNodeDetail(tl.row());
        }
    });
    connect(m_bridge, &LineRunBridge::nodeStarted, m_trace, &TraceModel::setRunning);
    connect(m_bridge, &LineRunBridge::nodeFinished, m_trace, &TraceModel::setTrace);
    connect(m_bridge, &LineRunBridge::outputDelta, this, &RunPanel::appendOutput);
    connect(m_bridge, &LineRunBridge::lineFinished, this, &RunPanel::finishRun);

    retranslateUi();
    inputsLabel->setText(tr("Inputs (JSON)"));
    traceLabel->setText(tr("Trace"));
    setInputs(fb::Value::object());
}

RunPanel::~RunPanel()
{
    // The bridge cancels its line; the executor (in m_services) then waits for it.
    delete m_bridge;
    m_bridge = nullptr;
    m_services.reset();
}

void RunPanel::retranslateUi()
{
    m_inputsLabel->setText(tr("Row:"));
    m_target->setItemText(0, tr("Simulator"));
    m_target->setItemText(1, tr("Workspace connections"));
    m_target->setToolTip(tr("Where llm nodes send their calls"));
    m_simulatedBadge->setText(tr("SIMULATED"));
    m_simulatedBadge->setToolTip(tr("Answers come from flowbench-sim, not from a real model"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the run (Esc)"));
    m_run->setText(tr("Run ▶"));
    m_run->setToolTip(tr("Run the flow on these inputs (Ctrl+Return)"));
    m_outputLabel->setText(tr("Output"));
    showSource();
    if (!m_running && m_lastResult) {
        showSummary();
        renderOutput();
    }
    m_inputsEdit->setPlaceholderText(tr("{\"question\": \"…\"}"));
    const auto rows = m_rows;
    setSampleRows(rows);
    if (auto *title = findChild<QLabel *>(QStringLiteral("inputsTitle"))) {
        title->setText(tr("Inputs (JSON)"));
    }
    if (auto *title = findChild<QLabel *>(QStringLiteral("traceTitle"))) {
        title->setText(tr("Trace"));
    }
}

void RunPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void RunPanel::setWorkspace(const QString &root, const QString &connectionsDir)
{
    m_root = root;
    m_connectionsDir = connectionsDir;
    m_pricesLoaded = false; // the workspace may override prices
}

QString RunPanel::loadPrices()
{
    // Prices for the cost column: the built-in table plus the workspace's overrides, read when
    // the first run needs them. A broken override file leaves the built-in prices, and says so.
    m_pricesLoaded = true;
    QString problem;
    auto prices = m_root.isEmpty() ? fb::PriceTable::builtin()
                                   : fb::PriceTable::forWorkspace(m_root.toStdString());
    if (!prices) {
        problem = tr("Prices: %1").arg(QString::fromStdString(prices.error().message));
        prices = fb::PriceTable::builtin();
    }
    m_trace->setCostCalculator(
        prices ? std::make_shared<const fb::CostCalculator>(std::move(*prices)) : nullptr);
    return problem;
}

void RunPanel::openFlow(const fb::Flow &flow, const fb::Value &variants)
{
    if (m_running) {
        cancel();
    }
    ++m_runId; // a run of the previous flow still on its way reports nothing here
    m_flow = flow;
    m_hasFlow = true;
    m_variants = variants.is_object() ? variants : fb::Value::object();
    clearResult();
    resetInputs();
}

void RunPanel::setFlow(const fb::Flow &flow, const fb::Value &variants)
{
    m_flow = flow;
    m_hasFlow = true;
    m_variants = variants.is_object() ? variants : fb::Value::object();
    const QStringList nodes = lineNodes(flow);
    QStringList shown;
    for (int r = 0; r < m_trace->rowCount(); ++r) {
        shown.append(m_trace->data(m_trace->index(r, 0), TraceModel::NodeNameRole).toString());
    }
    // Edits that keep the node list keep the last run's output and trace on screen.
    if (!m_running && shown != nodes) {
        m_trace->reset(nodes);
        m_detail->clear();
    }
}

void RunPanel::resetInputs()
{
    fb::Value defaults = fb::Value::object();
    for (const auto &in : m_flow.inputs) {
        defaults[in.name]
            = in.defaultValue.value_or(in.isChatHistory ? fb::Value::array() : fb::Value(""));
    }
    setInputs(defaults);
}

void RunPanel::forgetShownRun()
{
    m_output->clear();
    m_streamed.clear();
    m_lastResult.reset();
    m_detail->clear();
    m_lastOutputNode.clear();
    m_statusLabel->clear();
    m_statusLabel->setToolTip(QString());
    m_runSimulated = false;
    m_runSimulatorUrl.clear();
    m_runConnections.clear();
    m_sourceLabel->hide();
}

void RunPanel::clearResult()
{
    forgetShownRun();
    m_trace->reset(m_hasFlow ? lineNodes(m_flow) : QStringList());
}

void RunPanel::showSource()
{
    // Says where the shown answer came from, for the run that produced it: the target combo
    // may have changed since, the answer has not.
    if (m_runSimulated) {
        m_sourceLabel->setText(tr("SIMULATED answer (flowbench-sim)"));
        m_sourceLabel->setStyleSheet(
            QStringLiteral("QLabel { color: #b45309; font-weight: 600; }"));
        m_sourceLabel->setToolTip(
            tr("Answered by flowbench-sim at %1, not by a real model").arg(m_runSimulatorUrl));
        m_sourceLabel->show();
    } else if (!m_runConnections.isEmpty()) {
        m_sourceLabel->setText(
            tr("Answered by %1").arg(m_runConnections.join(QStringLiteral(", "))));
        m_sourceLabel->setStyleSheet(QString());
        m_sourceLabel->setToolTip(m_sourceLabel->text());
        m_sourceLabel->show();
    } else {
        m_sourceLabel->hide();
    }
}

void RunPanel::setDatasets(const QStringList &files, const QString &current)
{
    const QSignalBlocker block(m_datasetPicker);
    m_datasetPicker->clear();
    for (const QString &file : files) {
        m_datasetPicker->addItem(QFileInfo(file).fileName(), file);
        m_datasetPicker->setItemData(m_datasetPicker->count() - 1,
                                     QDir::toNativeSeparators(file), Qt::ToolTipRole);
    }
    m_datasetPicker->setCurrentIndex(std::max(0, int(files.indexOf(current))));
    m_datasetPicker->setVisible(files.size() > 1);
}

void RunPanel::setSampleRows(const QList<fb::Value> &rows)
{
    // The same rows again (a language switch) keep the choice on screen.
    const int keep = rows == m_rows ? m_rowPicker->currentIndex() : 0;
    const bool edited = rows == m_rows && m_rowPicker->count() > m_rows.size();
    m_rows = rows;
    const QSignalBlocker block(m_rowPicker);
    m_rowPicker->clear();
    for (int i = 0; i < rows.size(); ++i) {
        m_rowPicker->addItem(tr("Row %1: %2").arg(i + 1).arg(compact(rows.at(i), 80)));
    }
    if (edited) {
        m_rowPicker->addItem(tr("Edited inputs"));
    }
    if (rows.isEmpty()) {
        m_rowPicker->addItem(tr("No dataset attached — type the inputs"));
        m_rowPicker->setEnabled(false);
    } else {
        m_rowPicker->setEnabled(true);
        m_rowPicker->setCurrentIndex(std::clamp(keep, 0, m_rowPicker->count() - 1));
    }
}

void RunPanel::chooseRow(int index)
{
    if (index < 0 || index >= m_rows.size()) {
        return;
    }
    {
        const QSignalBlocker block(m_rowPicker);
        if (m_rowPicker->count() > m_rows.size()) {
            m_rowPicker->removeItem(m_rows.size()); // no longer edited by hand
        }
        m_rowPicker->setCurrentIndex(index);
    }
    setInputs(m_rows.at(index));
}

void RunPanel::setInputs(const fb::Value &inputs)
{
    m_inputsEdit->setPlainText(QString::fromStdString(inputs.dump(2)));
}

bool RunPanel::inputs(fb::Value *inputs, QString *error) const
{
    const std::string text = m_inputsEdit->toPlainText().toStdString();
    fb::Value v = fb::Value::parse(text.empty() ? std::string("{}") : text, nullptr, false);
    if (v.is_discarded() || !v.is_object()) {
        if (error) {
            *error = tr("The inputs must be a JSON object, e.g. {\"question\": \"…\"}.");
        }
        return false;
    }
    *inputs = std::move(v);
    return true;
}

void RunPanel::setUseSimulator(bool simulator) { m_target->setCurrentIndex(simulator ? 0 : 1); }

bool RunPanel::useSimulator() const { return m_target->currentIndex() == 0; }

QString RunPanel::outputText() const { return m_output->toPlainText(); }

void RunPanel::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
    Q_EMIT runningChanged(running);
}

void RunPanel::setStatusText(const QString &text)
{
    QString line = text.trimmed().section(QLatin1Char('\n'), 0, 0);
    if (line.size() > 160) {
        line = line.left(159) + QChar(0x2026);
    }
    m_statusLabel->setText(line);
    m_statusLabel->setToolTip(text.size() > line.size() ? text.left(2000) : QString());
}

void RunPanel::fail(const QString &message)
{
    // The label gets one line; the whole message goes to the trace detail, which scrolls.
    setStatusText(message);
    m_detail->setPlainText(message);
    Q_EMIT status(m_statusLabel->text(), false);
}

void RunPanel::failRun(const QString &message)
{
    setRunning(false);
    fail(message);
    fb::LineResult result;
    result.status = fb::RunStatus::Failed;
    result.error = message.toStdString();
    Q_EMIT runFinished(result);
}

bool RunPanel::run()
{
    if (m_running) {
        return false;
    }
    if (!m_hasFlow) {
        fail(tr("Open a flow first."));
        return false;
    }
    fb::Value given;
    QString error;
    if (!inputs(&given, &error)) {
        fail(error);
        return false;
    }
    if (m_source) {
        // What the editor shows now: the open variant tab, the flow as edited.
        RunSource source = m_source();
        m_flow = std::move(source.flow);
        m_variants = source.variants.is_object() ? source.variants : fb::Value::object();
    }
    const int runId = ++m_runId;
    m_cancelRequested = false;
    setRunning(true);
    forgetShownRun();
    // The last run's trace goes too: a run refused before it starts must not leave the
    // previous answer's rows (their variant, their simulated cost) beside its error.
    m_trace->reset(lineNodes(m_flow));
    m_runSimulated = useSimulator();
    m_statusLabel->setText(tr("Starting…"));
    Q_EMIT status(tr("Running %1…").arg(QString::fromStdString(m_flow.dir.filename().string())),
                  true);
    auto proceed = [this, runId](std::vector<fb::Connection> connections) {
        if (runId != m_runId || !m_running) {
            return;
        }
        if (m_cancelRequested) {
            fb::LineResult cancelled;
            cancelled.status = fb::RunStatus::Cancelled;
            cancelled.error = tr("cancelled before it started").toStdString();
            finishRun(cancelled);
            return;
        }
        startWithConnections(std::move(connections));
    };
    if (useSimulator()) {
        const QString config = QString::fromStdString((m_flow.dir / "simulator.json").string());
        m_statusLabel->setText(tr("Starting the simulator…"));
        m_simulator->ensureRunning(
            QFileInfo::exists(config) ? config : QString(), this,
            [this, proceed, runId](const QString &, const QString &simError) {
                if (runId != m_runId) {
                    return;
                }
                if (!simError.isEmpty()) {
                    failRun(simError);
                    return;
                }
                std::vector<fb::Connection> connections;
                for (const auto &name : m_flow.connectionNames()) {
                    connections.push_back(m_simulator->connection(QString::fromStdString(name)));
                }
                m_runSimulatorUrl = m_simulator->baseUrl();
                proceed(std::move(connections));
            });
    } else {
        ConnectionResolver::resolve(m_root, m_connectionsDir, m_secrets, this, proceed);
    }
    return true;
}

void RunPanel::startWithConnections(std::vector<fb::Connection> connections)
{
    fb::VariantSelection selection;
    for (auto it = m_variants.begin(); it != m_variants.end(); ++it) {
        if (it.value().is_string()) {
            selection[it.key()] = it.value().get<std::string>();
        }
    }
    const auto unsaved
        = m_unsavedTemplates ? m_unsavedTemplates() : fb::PreparedFlow::TemplateTexts();
    auto prepared = fb::PreparedFlow::prepare(m_flow, selection, &unsaved);
    if (!prepared) {
        failRun(QString::fromStdString(prepared.error().message));
        return;
    }
    // Every connection the chosen variants use must be among this run's connections: a name
    // missing here is said now, in the GUI's words, rather than as a node failure.
    QStringList missing;
    for (const auto &name : (*prepared)->flow().connectionNames()) {
        const bool known = std::any_of(connections.begin(), connections.end(),
                                       [&name](const fb::Connection &c) { return c.name == name; });
        if (!known) {
            missing.append(QString::fromStdString(name));
        } else if (!m_runSimulated) {
            m_runConnections.append(QString::fromStdString(name));
        }
    }
    if (!missing.isEmpty()) {
        failRun(m_root.isEmpty()
                    ? tr("No workspace is open, so the connection %1 is unknown. Open a "
                         "workspace (File ▸ Open Workspace) and add it in Initialize ▸ "
                         "Connections, or choose Simulator.")
                          .arg(missing.join(QStringLiteral(", ")))
                    : tr("The flow uses the connection %1, which this workspace does not have. "
                         "Add it in Initialize ▸ Connections, or choose Simulator.")
                          .arg(missing.join(QStringLiteral(", "))));
        return;
    }
    showSource();
    if (!m_services) {
        m_services = std::make_unique<ExecutionServices>();
    }
    std::string error;
    if (!m_services->setConnections(connections, &error)) {
        failRun(QString::fromStdString(error));
        return;
    }
    m_trace->reset(lineNodes((*prepared)->flow()));
    fb::Value given;
    inputs(&given, nullptr);
    const QString pricesProblem = m_pricesLoaded ? QString() : loadPrices();
    setStatusText(pricesProblem.isEmpty() ? tr("Running…")
                                          : tr("Running…") + QStringLiteral(" — ") + pricesProblem);
    m_bridge->start(m_services->executor(), *prepared, std::move(given));
}

void RunPanel::cancel()
{
    if (!m_running) {
        return;
    }
    m_cancelRequested = true;
    m_statusLabel->setText(tr("Cancelling…"));
    m_bridge->cancel();
}

void RunPanel::appendOutput(const QString &node, const QString &text)
{
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    if (node != m_lastOutputNode) {
        // Several llm nodes stream in one line: each gets a heading.
        if (!m_lastOutputNode.isEmpty()) {
            cursor.insertText(QStringLiteral("\n\n"));
        }
        QTextCharFormat heading;
        heading.setFontWeight(QFont::Bold);
        heading.setForeground(palette().color(QPalette::Highlight));
        cursor.insertText(QStringLiteral("▍%1\n").arg(node), heading);
        m_lastOutputNode = node;
    }
    cursor.insertText(text, QTextCharFormat());
    if (!m_streamed.isEmpty() && m_streamed.last().first == node) {
        m_streamed.last().second += text;
    } else {
        m_streamed.append({node, text});
    }
    QScrollBar *bar = m_output->verticalScrollBar();
    bar->setValue(bar->maximum());
}

QString RunPanel::summaryOf(const fb::LineResult &result) const
{
    QString summary;
    switch (result.status) {
    case fb::RunStatus::Completed:
        summary = tr("Completed in %1 ms").arg(result.durationMs, 0, 'f', 0);
        break;
    case fb::RunStatus::Cancelled:
        summary = tr("Cancelled");
        break;
    default:
        summary = tr("Failed: %1").arg(
            QString::fromStdString(result.error).trimmed().section(QLatin1Char('\n'), 0, 0));
        break;
    }
    if (m_runSimulated) {
        summary += QStringLiteral(" · ") + tr("simulated");
    }
    return summary;
}

void RunPanel::showSummary()
{
    if (!m_lastResult) {
        return;
    }
    setStatusText(summaryOf(*m_lastResult));
    if (m_lastResult->status == fb::RunStatus::Failed) {
        m_statusLabel->setToolTip(tr("The whole message is in the trace detail."));
    }
}

void RunPanel::appendFlowOutputs(const fb::LineResult &result)
{
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    QTextCharFormat dim;
    dim.setForeground(palette().color(QPalette::PlaceholderText));
    cursor.insertText(QStringLiteral("\n\n%1\n").arg(tr("Flow outputs:")), dim);
    cursor.insertText(QString::fromStdString(result.outputs.dump(2)), QTextCharFormat());
}

void RunPanel::renderOutput()
{
    // The whole output again, from what streamed in: a language switch retitles it.
    m_output->clear();
    m_lastOutputNode.clear();
    const auto streamed = m_streamed;
    m_streamed.clear();
    for (const auto &[node, text] : streamed) {
        appendOutput(node, text);
    }
    if (m_lastResult && m_lastResult->status == fb::RunStatus::Completed) {
        appendFlowOutputs(*m_lastResult);
    }
}

void RunPanel::finishRun(const fb::LineResult &result)
{
    m_trace->finishLine(result.status);
    setRunning(false);
    m_lastResult = result;
    showSummary();
    if (result.status == fb::RunStatus::Completed) {
        appendFlowOutputs(result);
    } else if (!result.error.empty()) {
        m_detail->setPlainText(QString::fromStdString(result.error));
    }
    // Show the last model call's details when nothing is selected yet.
    if (!m_traceView->currentIndex().isValid()) {
        for (int r = m_trace->rowCount() - 1; r >= 0; --r) {
            const fb::NodeTrace *t = m_trace->trace(r);
            if (t && t->llm) {
                m_traceView->setCurrentIndex(m_trace->index(r, 0));
                break;
            }
        }
    }
    Q_EMIT status(m_statusLabel->text(), false);
    Q_EMIT runFinished(result);
}

void RunPanel::showNodeDetail(int row)
{
    const fb::NodeTrace *t = m_trace->trace(row);
    if (!t) {
        m_detail->setPlainText(row >= 0 ? TraceModel::statusText(m_trace->status(row)) : QString());
        return;
    }
    QString text;
    auto section = [&text](const QString &title, const QString &body) {
        if (!body.isEmpty()) {
            text += QStringLiteral("── %1 ──\n%2\n\n").arg(title, body);
        }
    };
    if (!t->error.empty()) {
        section(tr("Error"), QString::fromStdString(t->error));
    }
    if (!t->messages.empty()) {
        QString messages;
        for (const auto &m : t->messages) {
            messages += QStringLiteral("[%1] %2\n")
                            .arg(QString::fromStdString(m.role), QString::fromStdString(m.content));
        }
        section(tr("Messages"), messages.trimmed());
    } else {
        section(tr("Rendered prompt"), QString::fromStdString(t->renderedPrompt));
    }
    section(tr("Output"), t->output.is_string()
                              ? QString::fromStdString(t->output.get<std::string>())
                              : QString::fromStdString(t->output.dump(2)));
    if (t->llm) {
        const auto &l = *t->llm;
        section(tr("Model call"),
                tr("model %1 · TTFT %2 ms · TPOT %3 ms · latency %4 ms · tokens %5 → %6%7 · "
                   "attempts %8")
                    .arg(QString::fromStdString(l.model))
                    .arg(l.timing.ttftMs, 0, 'f', 0)
                    .arg(l.timing.tpotMs, 0, 'f', 1)
                    .arg(l.timing.latencyMs, 0, 'f', 0)
                    .arg(l.usage.promptTokens)
                    .arg(l.usage.completionTokens)
                    .arg(l.usage.reported ? QString() : tr(" (estimated)"))
                    .arg(l.attempts));
        if (!l.endpoint.empty()) {
            section(tr("Answered by"),
                    QString::fromStdString(l.endpoint)
                        + (m_runSimulated ? QStringLiteral(" (") + tr("SIMULATED") + QLatin1Char(')')
                                          : QString()));
        }
    }
    section(tr("Inputs"), QString::fromStdString(t->inputs.dump(2)));
    if (!t->log.empty()) {
        section(tr("Log"), QString::fromStdString(t->log));
    }
    m_detail->setPlainText(text.trimmed());
}

} // namespace fb::ui
