#include <ui/initialize/datasetpreviewmodel.h>

#include <QFileInfo>

namespace fb::ui {

DatasetPreviewModel::DatasetPreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void DatasetPreviewModel::setPreview(fb::DatasetInfo info)
{
    beginResetModel();
    m_info = std::move(info);
    endResetModel();
}

void DatasetPreviewModel::clear() { setPreview({}); }

fb::Value DatasetPreviewModel::rowValue(int row) const
{
    if (row < 0 || row >= int(m_info.rows.size())) {
        return fb::Value::object();
    }
    return m_info.rows[size_t(row)].row;
}

int DatasetPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_info.rows.size());
}

int DatasetPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_info.columns.size());
}

QVariant DatasetPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto &row = m_info.rows[size_t(index.row())].row;
    const auto &column = m_info.columns[size_t(index.column())].name;
    const auto it = row.find(column);
    const bool present = it != row.end() && !it->is_null();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        if (!present) {
            return {};
        }
        QString text = it->is_string() ? QString::fromStdString(it->get<std::string>())
                                       : QString::fromStdString(it->dump());
        if (role == Qt::DisplayRole && text.size() > 200) {
            text = text.left(200) + QChar(0x2026);
        }
        if (role == Qt::DisplayRole) {
            text.replace(QLatin1Char('\n'), QChar(0x21b5));
        }
        return text;
    }
    case JsonRole:
        return present ? QString::fromStdString(it->dump()) : QStringLiteral("null");
    case Qt::TextAlignmentRole:
        if (present && it->is_number()) {
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    default:
        return {};
    }
}

QVariant DatasetPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= int(m_info.columns.size())) {
            return {};
        }
        const auto &c = m_info.columns[size_t(section)];
        switch (role) {
        case Qt::DisplayRole:
            return QStringLiteral("%1  ·  %2")
                .arg(QString::fromStdString(c.name),
                     QString::fromLatin1(fb::columnTypeName(c.type)));
        case ColumnTypeRole:
            return QString::fromLatin1(fb::columnTypeName(c.type));
        case Qt::ToolTipRole:
            return tr("%1: %2, missing in %n preview row(s)", nullptr, int(c.missing))
                .arg(QString::fromStdString(c.name),
                     QString::fromLatin1(fb::columnTypeName(c.type)));
        default:
            return {};
        }
    }
    if (section < 0 || section >= int(m_info.rows.size())) {
        return {};
    }
    const auto &r = m_info.rows[size_t(section)];
    if (role == Qt::DisplayRole) {
        return section + 1;
    }
    if (role == SourceLineRole || role == Qt::ToolTipRole) {
        return QStringLiteral("%1:%2")
            .arg(QFileInfo(QString::fromStdString(r.file)).fileName())
            .arg(r.line);
    }
    return {};
}

} // namespace fb::ui
