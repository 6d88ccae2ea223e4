#include <ui/experiment/runpanel.h>

#include <ui/experiment/executionservices.h>
#include <ui/experiment/linerunbridge.h>
#include <ui/experiment/tracemodel.h>
#include <ui/initialize/connectionresolver.h>
#include <ui/initialize/secretstore.h>
#include <ui/initialize/simulatorservice.h>

#include <core/cli/connectionsetup.h>
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
#include <QSplitter>
#include <QTableView>
#include <QTextCursor>
#include <QVBoxLayout>

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
    m_cancel = new QPushButton(this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setDefault(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_inputsLabel);
    bar->addWidget(m_rowPicker, 1);
    bar->addWidget(m_target);
    bar->addWidget(m_simulatedBadge);
    bar->addStretch(1);
    bar->addWidget(m_statusLabel);
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
    m_traceView = new QTableView(this);
    m_traceView->setObjectName(QStringLiteral("traceView"));
    m_traceView->setModel(m_trace);
    m_traceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_traceView->verticalHeader()->hide();
    m_traceView->verticalHeader()->setDefaultSectionSize(22);
    m_traceView->horizontalHeader()->setStretchLastSection(true);
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
    traceSplit->addWidget(m_traceView);
    traceSplit->addWidget(m_detail);
    traceSplit->setStretchFactor(0, 3);
    traceSplit->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(titled(inputsLabel, m_inputsEdit, split));
    split->addWidget(titled(m_outputLabel, m_output, split));
    split->addWidget(titled(traceLabel, traceSplit, split));
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 5);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &RunPanel::run);
    connect(m_cancel, &QPushButton::clicked, this, &RunPanel::cancel);
    connect(m_rowPicker, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < m_rows.size()) {
            setInputs(m_rows.at(index));
        }
    });
    connect(m_target, &QComboBox::currentIndexChanged, this,
            [this] { m_simulatedBadge->setVisible(useSimulator()); });
    connect(m_inputsEdit, &QPlainTextEdit::textChanged, this, [this] {
        fb::Value v;
        if (inputs(&v, nullptr)) {
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

void RunPanel::setFlow(const fb::Flow &flow, const fb::Value &variants)
{
    m_flow = flow;
    m_hasFlow = true;
    m_variants = variants.is_object() ? variants : fb::Value::object();
    QStringList nodes;
    for (const auto &n : flow.nodes) {
        if (!n.aggregation) {
            nodes.append(QString::fromStdString(n.name));
        }
    }
    QStringList shown;
    for (int r = 0; r < m_trace->rowCount(); ++r) {
        shown.append(m_trace->data(m_trace->index(r, 0), TraceModel::NodeNameRole).toString());
    }
    // Edits that keep the node list keep the last run's output and trace on screen.
    if (!m_running && shown != nodes) {
        m_trace->reset(nodes);
        m_detail->clear();
    }
    // Inputs: keep what was typed when the keys still fit, else the flow's defaults.
    fb::Value current;
    bool fits = inputs(&current, nullptr) && !current.empty();
    for (auto it = current.begin(); fits && it != current.end(); ++it) {
        fits = flow.input(it.key()) != nullptr;
    }
    if (!fits) {
        fb::Value defaults = fb::Value::object();
        for (const auto &in : flow.inputs) {
            defaults[in.name]
                = in.defaultValue.value_or(in.isChatHistory ? fb::Value::array() : fb::Value(""));
        }
        setInputs(defaults);
    }
}

void RunPanel::setVariantSelection(const fb::Value &variants)
{
    m_variants = variants.is_object() ? variants : fb::Value::object();
}

void RunPanel::setSampleRows(const QList<fb::Value> &rows)
{
    m_rows = rows;
    const QSignalBlocker block(m_rowPicker);
    m_rowPicker->clear();
    for (int i = 0; i < rows.size(); ++i) {
        m_rowPicker->addItem(tr("Row %1: %2").arg(i + 1).arg(compact(rows.at(i), 80)));
    }
    if (rows.isEmpty()) {
        m_rowPicker->addItem(tr("No dataset attached — type the inputs"));
        m_rowPicker->setEnabled(false);
    } else {
        m_rowPicker->setEnabled(true);
    }
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

void RunPanel::fail(const QString &message)
{
    m_statusLabel->setText(message.section(QLatin1Char('\n'), 0, 0).left(120));
    m_statusLabel->setToolTip(message);
    m_detail->setPlainText(message);
    Q_EMIT status(message, false);
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
    const int runId = ++m_runId;
    m_cancelRequested = false;
    setRunning(true);
    m_output->clear();
    m_detail->clear();
    m_lastOutputNode.clear();
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
                for (const auto &name : fb::ConnectionSetup::connectionNames(m_flow)) {
                    connections.push_back(m_simulator->connection(QString::fromStdString(name)));
                }
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
    if (!m_services) {
        m_services = std::make_unique<ExecutionServices>();
    }
    std::string error;
    if (!m_services->setConnections(connections, &error)) {
        failRun(QString::fromStdString(error));
        return;
    }
    QStringList nodes;
    for (const auto &n : (*prepared)->flow().nodes) {
        // Aggregation nodes run over a batch of lines, never in a single-line run.
        if (!n.aggregation) {
            nodes.append(QString::fromStdString(n.name));
        }
    }
    m_trace->reset(nodes);
    fb::Value given;
    inputs(&given, nullptr);
    const QString pricesProblem = m_pricesLoaded ? QString() : loadPrices();
    m_statusLabel->setText(pricesProblem.isEmpty()
                               ? tr("Running…")
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
    QScrollBar *bar = m_output->verticalScrollBar();
    bar->setValue(bar->maximum());
}

void RunPanel::finishRun(const fb::LineResult &result)
{
    m_trace->finishLine(result.status);
    setRunning(false);
    QString summary;
    switch (result.status) {
    case fb::RunStatus::Completed:
        summary = tr("Completed in %1 ms").arg(result.durationMs, 0, 'f', 0);
        break;
    case fb::RunStatus::Cancelled:
        summary = tr("Cancelled");
        break;
    default:
        summary = tr("Failed: %1").arg(QString::fromStdString(result.error));
        break;
    }
    if (useSimulator()) {
        summary += QStringLiteral(" · ") + tr("simulated");
    }
    m_statusLabel->setText(summary.left(140));
    m_statusLabel->setToolTip(summary);
    if (result.status == fb::RunStatus::Completed) {
        QTextCursor cursor(m_output->document());
        cursor.movePosition(QTextCursor::End);
        QTextCharFormat dim;
        dim.setForeground(palette().color(QPalette::PlaceholderText));
        cursor.insertText(QStringLiteral("\n\n%1\n").arg(tr("Flow outputs:")), dim);
        cursor.insertText(QString::fromStdString(result.outputs.dump(2)), QTextCharFormat());
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
    Q_EMIT status(summary, false);
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
    }
    section(tr("Inputs"), QString::fromStdString(t->inputs.dump(2)));
    if (!t->log.empty()) {
        section(tr("Log"), QString::fromStdString(t->log));
    }
    m_detail->setPlainText(text.trimmed());
}

} // namespace fb::ui
