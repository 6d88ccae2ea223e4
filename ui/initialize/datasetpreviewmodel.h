#pragma once

#include <core/data/datasetinfo.h>

#include <QAbstractTableModel>

namespace fb::ui {

/// A table over a DatasetInfo preview (a snapshot copy): one column per dataset column (header
/// "name" with its inferred type as a tooltip and in TypeRole), one row per preview row.
/// Cells show JSON scalars as text and lists/objects as compact JSON. GUI thread.
class DatasetPreviewModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        ColumnTypeRole = Qt::UserRole, ///< header: the column's type name ("int", "string", ...)
        JsonRole,                      ///< cell: the value as compact JSON
        SourceLineRole,                ///< vertical header: "file:line" of the row
    };
    Q_ENUM(Role)

    explicit DatasetPreviewModel(QObject *parent = nullptr);

    void setPreview(fb::DatasetInfo info);
    void clear();
    [[nodiscard]] const fb::DatasetInfo &preview() const { return m_info; }
    /// The row's object (flow inputs), or an empty object when out of range.
    [[nodiscard]] fb::Value rowValue(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index,
                                int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    fb::DatasetInfo m_info;
};

} // namespace fb::ui
