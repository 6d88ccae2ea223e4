#include <ui/evaluate/runsmodel.h>

#include <core/store/experimentstore.h>

#include <QDateTime>
#include <QFileInfo>
#include <QLocale>

namespace fb::ui {

namespace {

QString stateText(fb::RunState state)
{
    switch (state) {
    case fb::RunState::NotStarted:
        return RunsModel::tr("Not started");
    case fb::RunState::Running:
        return RunsModel::tr("Running");
    case fb::RunState::Completed:
        return RunsModel::tr("Completed");
    case fb::RunState::Failed:
        return RunsModel::tr("Failed");
    case fb::RunState::Cancelled:
        return RunsModel::tr("Cancelled");
    }
    return {};
}

} // namespace

RunsModel::RunsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

RunsModel::~RunsModel()
{
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

void RunsModel::setStorePath(const QString &path)
{
    if (path == m_storePath) {
        return;
    }
    m_storePath = path;
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    refresh();
}

void RunsModel::refresh()
{
    if (m_reading) {
        m_again = true;
        return;
    }
    if (m_worker.joinable()) {
        m_worker.join();
    }
    const QString path = m_storePath;
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        apply({});
        Q_EMIT refreshed();
        return;
    }
    m_reading = true;
    const int generation = m_generation;
    m_worker = std::thread([this, path, generation] {
        std::vector<Row> rows;
        QString error;
        if (auto store = fb::ExperimentStore::open(path.toStdString())) {
            if (auto runs = store->runs()) {
                for (auto &r : *runs) {
                    Row row;
                    if (auto metrics = store->metrics(r.id)) {
                        row.metrics = std::move(*metrics);
                    }
                    row.run = std::move(r);
                    rows.push_back(std::move(row));
                }
            } else {
                error = QString::fromStdString(runs.error().message);
            }
        } else {
            error = QString::fromStdString(store.error().message);
        }
        QMetaObject::invokeMethod(
            this,
            [this, rows = std::move(rows), error, generation]() mutable {
                m_reading = false;
                if (generation == m_generation) {
                    if (error.isEmpty()) {
                        apply(std::move(rows));
                    } else {
                        Q_EMIT failed(error);
                    }
                }
                if (m_again || generation != m_generation) {
                    m_again = false;
                    refresh();
                    return;
                }
                Q_EMIT refreshed();
            },
            Qt::QueuedConnection);
    });
}

void RunsModel::apply(std::vector<Row> rows)
{
    bool sameRuns = rows.size() == m_rows.size();
    for (std::size_t i = 0; sameRuns && i < rows.size(); ++i) {
        sameRuns = rows[i].run.id.value == m_rows[i].run.id.value;
    }
    if (sameRuns) {
        m_rows = std::move(rows);
        if (!m_rows.empty()) {
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        }
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int RunsModel::rowOf(const QString &name) const
{
    const std::string wanted = name.toStdString();
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].run.name == wanted) {
            return int(i);
        }
    }
    return -1;
}

QString RunsModel::variantsText(const fb::Value &variants)
{
    QStringList parts;
    if (variants.is_object()) {
        for (const auto &[node, id] : variants.items()) {
            const QString v = QString::fromStdString(id.is_string() ? id.get<std::string>() : id.dump());
            parts << (variants.size() == 1 ? v : QString::fromStdString(node) + QLatin1Char('=') + v);
        }
    }
    return parts.isEmpty() ? tr("default") : parts.join(QStringLiteral(", "));
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const Row &row = m_rows[std::size_t(index.row())];
    const fb::RunSummary &r = row.run;
    const QLocale locale;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (Column(index.column())) {
        case Name:
            return QString::fromStdString(r.name);
        case Status:
            return stateText(r.status);
        case Variants:
            return variantsText(r.variants);
        case Lines:
            return tr("%1 / %2").arg(locale.toString(qlonglong(r.completedLines + r.failedLines)),
                                     locale.toString(qlonglong(r.totalLines)));
        case Failed:
            return locale.toString(qlonglong(r.failedLines));
        case Metrics: {
            QStringList parts;
            for (const auto &[name, value] : row.metrics) {
                parts << QStringLiteral("%1 = %2").arg(QString::fromStdString(name),
                                                       locale.toString(value, 'g', 4));
            }
            return parts.join(QStringLiteral(", "));
        }
        case Created:
            return locale.toString(QDateTime::fromMSecsSinceEpoch(r.createdAtMs),
                                   QLocale::ShortFormat);
        case ColumnCount:
            break;
        }
    }
    if (role == Qt::TextAlignmentRole
        && (index.column() == Lines || index.column() == Failed)) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::UserRole) {
        return qlonglong(r.id.value);
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (Column(section)) {
    case Name:
        return tr("Run");
    case Status:
        return tr("Status");
    case Variants:
        return tr("Variants");
    case Lines:
        return tr("Lines");
    case Failed:
        return tr("Failed", "lines");
    case Metrics:
        return tr("Metrics");
    case Created:
        return tr("Created");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace fb::ui
