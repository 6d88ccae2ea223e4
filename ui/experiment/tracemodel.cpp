#include <ui/experiment/tracemodel.h>

#include <ui/app/theme.h>

#include <QBrush>
#include <QEvent>

namespace fb::ui {

namespace {

QString ms(double value)
{
    if (value < 0) {
        return QStringLiteral("—");
    }
    if (value >= 10000) {
        return QStringLiteral("%1 s").arg(value / 1000.0, 0, 'f', 1);
    }
    return QStringLiteral("%1 ms").arg(value, 0, 'f', value < 10 ? 1 : 0);
}

} // namespace

TraceModel::TraceModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString TraceModel::statusText(fb::RunStatus status)
{
    switch (status) {
    case fb::RunStatus::NotStarted:
        return tr("Waiting");
    case fb::RunStatus::Running:
        return tr("Running");
    case fb::RunStatus::Completed:
        return tr("Completed");
    case fb::RunStatus::Failed:
        return tr("Failed");
    case fb::RunStatus::Bypassed:
        return tr("Bypassed");
    case fb::RunStatus::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

void TraceModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    // Row by row: a view showing one row's details follows the changes of that row.
    for (int row = 0; row < rowCount(); ++row) {
        changed(row);
    }
}

bool TraceModel::event(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    return QAbstractTableModel::event(event);
}

void TraceModel::reset(const QStringList &nodes)
{
    beginResetModel();
    m_rows.clear();
    for (const QString &n : nodes) {
        m_rows.push_back({n, fb::RunStatus::NotStarted, false, {}});
    }
    endResetModel();
}

int TraceModel::rowOf(const QString &node) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].node == node) {
            return int(i);
        }
    }
    return -1;
}

void TraceModel::changed(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TraceModel::setRunning(const QString &node)
{
    int row = rowOf(node);
    if (row < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.push_back({node, fb::RunStatus::Running, false, {}});
        endInsertRows();
        return;
    }
    m_rows[size_t(row)].status = fb::RunStatus::Running;
    changed(row);
}

void TraceModel::setTrace(const fb::NodeTrace &trace)
{
    const QString node = QString::fromStdString(trace.node);
    int row = rowOf(node);
    if (row < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.push_back({node, trace.status, true, trace});
        endInsertRows();
        return;
    }
    Row &r = m_rows[size_t(row)];
    r.status = trace.status;
    r.hasTrace = true;
    r.trace = trace;
    changed(row);
}

void TraceModel::finishLine(fb::RunStatus status)
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &r = m_rows[i];
        if (r.status == fb::RunStatus::Running
            || (r.status == fb::RunStatus::NotStarted && status == fb::RunStatus::Cancelled)) {
            r.status = fb::RunStatus::Cancelled;
            changed(int(i));
        }
    }
}

const fb::NodeTrace *TraceModel::trace(int row) const
{
    if (row < 0 || row >= int(m_rows.size()) || !m_rows[size_t(row)].hasTrace) {
        return nullptr;
    }
    return &m_rows[size_t(row)].trace;
}

fb::RunStatus TraceModel::status(int row) const
{
    if (row < 0 || row >= int(m_rows.size())) {
        return fb::RunStatus::NotStarted;
    }
    return m_rows[size_t(row)].status;
}

int TraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TraceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void TraceModel::setCostCalculator(std::shared_ptr<const fb::CostCalculator> calculator)
{
    m_cost = std::move(calculator);
    if (!m_rows.empty()) {
        Q_EMIT dataChanged(index(0, CostColumn), index(rowCount() - 1, CostColumn));
    }
}

QVariant TraceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row &r = m_rows[size_t(index.row())];
    const fb::NodeTrace &t = r.trace;
    const bool llm = r.hasTrace && t.llm.has_value();
    if (role == NodeNameRole) {
        return r.node;
    }
    if (role == StatusRole) {
        return int(r.status);
    }
    if (role == Qt::ForegroundRole && index.column() == StatusColumn) {
        switch (r.status) {
        case fb::RunStatus::Completed:
            return QBrush(Theme::success());
        case fb::RunStatus::Failed:
            return QBrush(Theme::error());
        case fb::RunStatus::Cancelled:
        case fb::RunStatus::Running:
            return QBrush(Theme::warning());
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= LatencyColumn
        && index.column() <= RetriesColumn) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && index.column() == OutputColumn && r.hasTrace) {
        return t.error.empty() ? QString::fromStdString(t.output.dump(2))
                               : QString::fromStdString(t.error);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(index.column())) {
    case NodeColumn:
        return r.node;
    case StatusColumn:
        return statusText(r.status);
    case VariantColumn:
        return r.hasTrace ? QString::fromStdString(t.variantId) : QString();
    case LatencyColumn:
        return r.hasTrace ? ms(t.durationMs()) : QString();
    case TtftColumn:
        return llm ? ms(t.llm->timing.ttftMs) : QString();
    case TpotColumn:
        return llm ? ms(t.llm->timing.tpotMs) : QString();
    case TokensColumn:
        if (!llm) {
            return QString();
        }
        return QStringLiteral("%1 → %2%3")
            .arg(t.llm->usage.promptTokens)
            .arg(t.llm->usage.completionTokens)
            .arg(t.llm->usage.reported ? QString() : QStringLiteral(" ~"));
    case CostColumn: {
        if (!llm || !m_cost) {
            return QString();
        }
        const auto &u = t.llm->usage;
        const auto cost
            = m_cost->breakdown(t.llm->model, fb::TokenUsage{u.promptTokens, u.completionTokens,
                                                             u.cachedPromptTokens,
                                                             u.cacheWriteTokens});
        if (!cost) {
            return QString();
        }
        if (cost->price.simulated) {
            return tr("$0 (sim.)");
        }
        return QStringLiteral("$%1%2")
            .arg(cost->totalUsd, 0, 'f', cost->totalUsd < 0.01 ? 6 : 4)
            .arg(u.reported ? QString() : QStringLiteral(" ~"));
    }
    case RetriesColumn:
        return llm ? QString::number(std::max(0, t.llm->attempts - 1)) : QString();
    case OutputColumn: {
        if (!r.hasTrace) {
            return QString();
        }
        QString text = !t.error.empty()       ? QString::fromStdString(t.error)
                       : t.output.is_string() ? QString::fromStdString(t.output.get<std::string>())
                                              : QString::fromStdString(t.output.dump());
        text.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return text.left(160);
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case TtftColumn:
            return tr("Time to first token");
        case TpotColumn:
            return tr("Time per output token after the first");
        case TokensColumn:
            return tr("Prompt tokens → completion tokens");
        case RetriesColumn:
            return tr("Attempts after the first (429, 5xx, timeouts)");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case NodeColumn:
        return tr("Node");
    case StatusColumn:
        return tr("Status");
    case VariantColumn:
        return tr("Variant");
    case LatencyColumn:
        return tr("Latency");
    case TtftColumn:
        return tr("TTFT");
    case TpotColumn:
        return tr("TPOT");
    case TokensColumn:
        return tr("Tokens");
    case CostColumn:
        return tr("Cost");
    case RetriesColumn:
        return tr("Retries");
    case OutputColumn:
        return tr("Output");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace fb::ui
