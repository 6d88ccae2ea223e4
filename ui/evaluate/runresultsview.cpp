#include <ui/evaluate/runresultsview.h>

#include <ui/evaluate/ratingbar.h>
#include <ui/evaluate/resultcelldelegate.h>
#include <ui/evaluate/runresultsmodel.h>
#include <ui/experiment/tracemodel.h>

#include <core/exec/linetypes.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QKeySequence>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

namespace fb::ui {

namespace {

constexpr int kFilterRole = Qt::UserRole;
constexpr int kEvaluatorRole = Qt::UserRole + 1;

fb::RunStatus runStatusFromName(const std::string &name)
{
    constexpr std::array statuses
        = {fb::RunStatus::NotStarted, fb::RunStatus::Running,  fb::RunStatus::Completed,
           fb::RunStatus::Failed,     fb::RunStatus::Bypassed, fb::RunStatus::Cancelled};
    for (fb::RunStatus status : statuses) {
        if (name == fb::runStatusName(status)) {
            return status;
        }
    }
    return fb::RunStatus::NotStarted;
}

// A stored node result in the shape of Experiment mode's trace (with its last LLM call).
fb::NodeTrace nodeTrace(const fb::NodeResultRecord &node,
                        const std::vector<fb::LlmCallRecord> &calls)
{
    fb::NodeTrace t;
    t.node = node.node;
    t.variantId = node.variantId;
    t.status = runStatusFromName(node.status);
    t.output = node.output;
    t.error = node.error;
    t.startMs = 0;
    t.endMs = node.durationMs.value_or(-1); // TraceModel shows a negative duration as "—"
    for (const fb::LlmCallRecord &call : calls) {
        if (call.node != node.node) {
            continue;
        }
        fb::LlmResponse r;
        r.model = call.model;
        r.usage.promptTokens = call.promptTokens;
        r.usage.completionTokens = call.completionTokens;
        r.usage.cachedPromptTokens = call.cachedTokens;
        r.usage.reported = true;
        r.timing.ttftMs = call.ttftMs.value_or(-1);
        r.timing.tpotMs = call.tpotMs.value_or(-1);
        r.timing.latencyMs = call.latencyMs.value_or(0);
        r.attempts = call.attempts;
        r.httpStatus = call.httpStatus;
        t.llm = r;
        t.cacheHit = call.cacheHit;
    }
    return t;
}

QString json(const fb::Value &value)
{
    return QString::fromStdString(value.dump(2, ' ', false, fb::Value::error_handler_t::replace));
}

} // namespace

RunResultsView::RunResultsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new RunResultsModel(this))
    , m_table(new QTableView(this))
    , m_filterLabel(new QLabel(this))
    , m_filter(new QComboBox(this))
    , m_thresholdLabel(new QLabel(this))
    , m_threshold(new QDoubleSpinBox(this))
    , m_status(new QLabel(this))
    , m_message(new QLabel(this))
    , m_detailTitle(new QLabel(this))
    , m_trace(new TraceModel(this))
    , m_traceView(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
{
    m_filter->setObjectName(QStringLiteral("resultsFilter"));
    m_filterLabel->setBuddy(m_filter);
    m_threshold->setObjectName(QStringLiteral("resultsThreshold"));
    m_threshold->setRange(-1000, 1000);
    m_threshold->setDecimals(3);
    m_threshold->setSingleStep(0.05);
    m_threshold->setValue(0.5);
    m_thresholdLabel->setBuddy(m_threshold);
    m_status->setObjectName(QStringLiteral("resultsStatus"));
    m_message->setObjectName(QStringLiteral("resultsMessage"));
    m_message->setWordWrap(true);

    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new ResultCellDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    // Every row one line high, never measured: a million rows cost nothing to lay out.
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    m_table->setSortingEnabled(true);

    m_traceView->setObjectName(QStringLiteral("resultsTrace"));
    m_traceView->setModel(m_trace);
    m_traceView->verticalHeader()->hide();
    m_traceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_traceView->horizontalHeader()->setStretchLastSection(true);
    m_detail->setObjectName(QStringLiteral("resultsDetail"));
    m_detail->setReadOnly(true);
    m_detail->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterLabel);
    bar->addWidget(m_filter);
    bar->addWidget(m_thresholdLabel);
    bar->addWidget(m_threshold);
    bar->addStretch(1);
    bar->addWidget(m_status);

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_detailTitle);
    m_rating = new RatingBar(detail);
    detailLayout->addWidget(m_rating);
    auto *detailSplit = new QSplitter(Qt::Horizontal, detail);
    detailSplit->addWidget(m_traceView);
    detailSplit->addWidget(m_detail);
    detailSplit->setStretchFactor(0, 3);
    detailSplit->setStretchFactor(1, 2);
    detailLayout->addWidget(detailSplit);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(split);
    m_message->hide();

    connect(m_model, &RunResultsModel::loaded, this, [this] {
        rebuildFilterChoices();
        sizeColumns();
        showSortOrder();
        updateStatus();
    });
    connect(m_model, &RunResultsModel::scoresLoaded, this, [this] {
        rebuildFilterChoices();
        showSortOrder();
        updateStatus();
    });
    connect(m_model, &RunResultsModel::orderChanged, this, [this] {
        m_message->hide();
        showSortOrder();
        updateStatus();
    });
    // After the table's own connection, which asks the model to sort: "sorting…".
    connect(m_table->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            &RunResultsView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RunResultsView::updateStatus);
    connect(m_model, &RunResultsModel::loadFailed, this, [this](const QString &message) {
        m_loadError = message;
        updateStatus();
    });
    connect(m_model, &RunResultsModel::sortRefused, this, [this](const QString &reason) {
        showSortOrder();
        m_message->setText(reason);
        m_message->show();
    });
    connect(m_filter, &QComboBox::currentIndexChanged, this, &RunResultsView::applyFilterChoice);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, [this] {
        const auto filter = RunResultsModel::Filter(m_filter->currentData(kFilterRole).toInt());
        if (filter == RunResultsModel::Filter::ScorePassed
            || filter == RunResultsModel::Filter::ScoreNotPassed) {
            applyFilterChoice();
        }
    });
    connect(m_table, &QAbstractItemView::activated, this, &RunResultsView::showDetail);
    addRatingKeys();
    connect(m_model, &RunResultsModel::lineRecordReady, this,
            [this](qint64 lineIndex, const fb::LineRecord &record) {
                if (lineIndex == m_requestedLine) {
                    fillDetail(lineIndex, record);
                }
            });
    connect(m_model, &RunResultsModel::lineRecordFailed, this,
            [this](qint64 lineIndex, const QString &message) {
                if (lineIndex == m_requestedLine) {
                    m_detailTitle->setText(
                        tr("Line %1 could not be read: %2").arg(lineIndex).arg(message));
                }
            });
    retranslate();
}

RunResultsView::~RunResultsView() = default;

bool RunResultsView::openRun(const QString &storePath, fb::RunId run, QString *error)
{
    m_loadError.clear();
    m_message->hide();
    m_requestedLine = -1;
    m_detailLine = -1;
    m_trace->reset({});
    m_detail->clear();
    const bool ok = m_model->open(storePath, run, error);
    m_storePath = storePath;
    m_run = run;
    m_rating->setLine(storePath, run, -1);
    rebuildFilterChoices();
    retranslate();
    return ok;
}

void RunResultsView::addRatingKeys()
{
    // The bar rates the table's current line.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_rating->setLine(m_storePath, m_run,
                                  current.isValid()
                                      ? current.data(RunResultsModel::LineIndexRole).toLongLong()
                                      : -1);
            });
    // On the table only, so typing a comment never rates: a key rates the current line and
    // moves on to the next one, as a reviewer goes down a run.
    const std::array<std::pair<int, RatingBar::Verdict>, 7> keys{{
        {Qt::Key_P, RatingBar::Verdict::Pass},
        {Qt::Key_F, RatingBar::Verdict::Fail},
        {Qt::Key_1, RatingBar::Verdict::Stars1},
        {Qt::Key_2, RatingBar::Verdict::Stars2},
        {Qt::Key_3, RatingBar::Verdict::Stars3},
        {Qt::Key_4, RatingBar::Verdict::Stars4},
        {Qt::Key_5, RatingBar::Verdict::Stars5},
    }};
    for (const auto &[key, verdict] : keys) {
        auto *shortcut = new QShortcut(QKeySequence(key), m_table);
        shortcut->setContext(Qt::WidgetShortcut);
        connect(shortcut, &QShortcut::activated, this, [this, verdict = verdict] {
            const QModelIndex current = m_table->currentIndex();
            if (!current.isValid() || !m_rating->rate(verdict)) {
                return;
            }
            const QModelIndex next = m_model->index(current.row() + 1, current.column());
            if (next.isValid()) {
                m_table->setCurrentIndex(next);
            }
        });
    }
    auto *commentKey = new QShortcut(QKeySequence(Qt::Key_C), m_table);
    commentKey->setContext(Qt::WidgetShortcut);
    connect(commentKey, &QShortcut::activated, this, [this] {
        if (m_rating->commentEdit()->isEnabled()) {
            m_rating->commentEdit()->setFocus();
        }
    });
}

void RunResultsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

void RunResultsView::retranslate()
{
    m_filterLabel->setText(tr("&Show:"));
    m_thresholdLabel->setText(tr("&Threshold:"));
    m_threshold->setToolTip(tr("A line passes an evaluator when its score is at least this"));
    rebuildFilterChoices();
    updateStatus();
    if (m_detailLine < 0) {
        m_detailTitle->setText(tr("Double-click a line, or press Enter on it, to see its nodes."));
    }
}

void RunResultsView::rebuildFilterChoices()
{
    const auto current = RunResultsModel::Filter(m_filter->currentData(kFilterRole).toInt());
    const QString currentEvaluator = m_filter->currentData(kEvaluatorRole).toString();
    const QSignalBlocker blocker(m_filter);
    m_filter->clear();
    const auto add
        = [this](const QString &text, RunResultsModel::Filter filter, const QString &evaluator) {
              m_filter->addItem(text);
              m_filter->setItemData(m_filter->count() - 1, int(filter), kFilterRole);
              m_filter->setItemData(m_filter->count() - 1, evaluator, kEvaluatorRole);
          };
    add(tr("All lines"), RunResultsModel::Filter::All, {});
    add(tr("Failed only"), RunResultsModel::Filter::FailedLines, {});
    for (const QString &evaluator : m_model->evaluators()) {
        add(tr("%1: passed (≥ threshold)").arg(evaluator), RunResultsModel::Filter::ScorePassed,
            evaluator);
        add(tr("%1: not passed (< threshold)").arg(evaluator),
            RunResultsModel::Filter::ScoreNotPassed, evaluator);
    }
    int keep = 0;
    for (int i = 0; i < m_filter->count(); ++i) {
        if (RunResultsModel::Filter(m_filter->itemData(i, kFilterRole).toInt()) == current
            && m_filter->itemData(i, kEvaluatorRole).toString() == currentEvaluator) {
            keep = i;
        }
    }
    m_filter->setCurrentIndex(keep);
    const auto kept = RunResultsModel::Filter(m_filter->currentData(kFilterRole).toInt());
    m_threshold->setEnabled(kept == RunResultsModel::Filter::ScorePassed
                            || kept == RunResultsModel::Filter::ScoreNotPassed);
}

void RunResultsView::applyFilterChoice()
{
    const auto filter = RunResultsModel::Filter(m_filter->currentData(kFilterRole).toInt());
    const bool byScore = filter == RunResultsModel::Filter::ScorePassed
                         || filter == RunResultsModel::Filter::ScoreNotPassed;
    m_threshold->setEnabled(byScore);
    m_model->setFilter(filter, m_filter->currentData(kEvaluatorRole).toString(),
                       m_threshold->value());
    updateStatus();
}

void RunResultsView::updateStatus()
{
    if (!m_loadError.isEmpty()) {
        m_status->setText(tr("Could not read the run: %1").arg(m_loadError));
        return;
    }
    if (!m_model->runId().isValid()) {
        m_status->clear();
        return;
    }
    if (!m_model->isLoaded()) {
        m_status->setText(tr("Loading the run's lines…"));
        return;
    }
    const QString lines = tr("%Ln lines", nullptr, int(m_model->lineCount()));
    const QString failed = tr("%Ln failed", nullptr, int(m_model->failedCount()));
    if (m_model->isSortPending()) {
        m_status->setText(tr("%1 · %2 · sorting…").arg(lines, failed));
    } else if (m_model->isFilterPending()) {
        m_status->setText(tr("%1 · %2 · filtering…").arg(lines, failed));
    } else if (m_model->filter() != RunResultsModel::Filter::All) {
        const QString shown = tr("%Ln shown", nullptr, m_model->rowCount());
        m_status->setText(tr("%1 of %2 · %3").arg(shown, lines, failed));
    } else {
        m_status->setText(tr("%1 · %2").arg(lines, failed));
    }
}

void RunResultsView::showSortOrder()
{
    // The header shows the order of the rows; blocked, so that showing it does not sort again.
    QHeaderView *header = m_table->horizontalHeader();
    const QSignalBlocker blocker(header);
    header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
    header->viewport()->update();
}

void RunResultsView::sizeColumns()
{
    // Widths from the header and a typical cell, never from the cells: measuring them would
    // read rows the view does not show.
    const QFontMetrics metrics = fontMetrics();
    const int em = metrics.horizontalAdvance(QLatin1Char('M'));
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QString typical = QStringLiteral("0.0000");
        switch (m_model->columnKind(c)) {
        case RunResultsModel::ColumnKind::Line:
        case RunResultsModel::ColumnKind::Tokens:
            typical = QStringLiteral("0000000");
            break;
        case RunResultsModel::ColumnKind::Latency:
            typical = QStringLiteral("00000 ms");
            break;
        case RunResultsModel::ColumnKind::Cost:
            typical = QStringLiteral("$0.000000");
            break;
        case RunResultsModel::ColumnKind::Status:
            typical.clear();
            for (auto status : {fb::LineStatus::Completed, fb::LineStatus::Failed,
                                fb::LineStatus::Cancelled, fb::LineStatus::Other}) {
                const QString text = RunResultsModel::statusText(status);
                if (metrics.horizontalAdvance(text) > metrics.horizontalAdvance(typical)) {
                    typical = text;
                }
            }
            break;
        case RunResultsModel::ColumnKind::Input:
        case RunResultsModel::ColumnKind::Output:
        case RunResultsModel::ColumnKind::Error:
            typical = QString(16, QLatin1Char('M'));
            break;
        default:
            break;
        }
        const QString header = m_model->headerData(c, Qt::Horizontal).toString();
        // Room for the sort arrow and the margins beside the header text.
        const int width = std::max(metrics.horizontalAdvance(typical) + em,
                                   metrics.horizontalAdvance(header) + 3 * em);
        m_table->setColumnWidth(c, width);
    }
}

void RunResultsView::showDetail(const QModelIndex &index)
{
    const qint64 lineIndex = m_model->lineIndexAt(index.row());
    if (lineIndex < 0) {
        return;
    }
    m_requestedLine = lineIndex;
    m_detailTitle->setText(tr("Reading line %1…").arg(lineIndex));
    m_model->requestLineRecord(lineIndex);
}

void RunResultsView::fillDetail(qint64 lineIndex, const fb::LineRecord &record)
{
    m_detailLine = lineIndex;
    m_detailTitle->setText(
        tr("Line %1 · %2")
            .arg(lineIndex)
            .arg(RunResultsModel::statusText(fb::lineStatusFromName(record.status))));
    QStringList nodes;
    for (const fb::NodeResultRecord &node : record.nodes) {
        nodes.append(QString::fromStdString(node.node));
    }
    m_trace->reset(nodes);
    for (const fb::NodeResultRecord &node : record.nodes) {
        m_trace->setTrace(nodeTrace(node, record.llmCalls));
    }

    QStringList text;
    if (!record.error.empty()) {
        text << tr("Error: %1").arg(QString::fromStdString(record.error)) << QString();
    }
    text << tr("Inputs:") << json(record.inputs) << QString();
    text << tr("Outputs:") << json(record.outputs) << QString();
    if (!record.scores.empty()) {
        text << tr("Scores:");
        for (const fb::ScoreRecord &score : record.scores) {
            const QString value = score.score ? QString::number(*score.score, 'g', 6) : tr("none");
            const QString name = QString::fromStdString(score.evaluator);
            if (!score.passed) {
                text << tr("%1: %2").arg(name, value);
            } else if (*score.passed) {
                text << tr("%1: %2 (passed)").arg(name, value);
            } else {
                text << tr("%1: %2 (not passed)").arg(name, value);
            }
            if (!score.detail.empty()) {
                text << QStringLiteral("    ") + QString::fromStdString(score.detail);
            }
        }
        text << QString();
    }
    if (!record.llmCalls.empty()) {
        text << tr("LLM calls:");
        for (const fb::LlmCallRecord &call : record.llmCalls) {
            text << tr("%1 · %2 · %3 → %4 tokens · %5 ms · HTTP %6")
                        .arg(QString::fromStdString(call.node), QString::fromStdString(call.model))
                        .arg(call.promptTokens)
                        .arg(call.completionTokens)
                        .arg(call.latencyMs ? QString::number(*call.latencyMs, 'f', 0)
                                            : QStringLiteral("—"))
                        .arg(call.httpStatus);
        }
    }
    m_detail->setPlainText(text.join(QLatin1Char('\n')));
    Q_EMIT detailShown(lineIndex);
}

} // namespace fb::ui
