#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <vector>

namespace fb {
struct LineRecord;
class CompareSet;
class StoreReader;
}

namespace fb::ui {

/// The aligned rows of a compare view: one row per dataset line of the runs (filtered: every
/// row, rows that differ, regressions, improvements, failed in any), a column for the line
/// index and one per run with its output; the baseline first. Figures and flags come from the
/// CompareSet; output texts are read from the store a page of rows at a time on the reader
/// thread, when a row is first shown, and the last pages are kept. GUI thread only.
class CompareRowsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kPageRows = 100;
    static constexpr int kMaxPages = 40;
    static constexpr int kPreviewChars = 400;

    enum Role {
        CellFlagsRole = Qt::UserRole + 1, ///< CompareSet::cellFlags of the cell's run (uint)
        RowFlagsRole,                     ///< CompareSet::flags of the row (uint)
        LineIndexRole,                    ///< the row's dataset line index (qint64)
    };

    explicit CompareRowsModel(QObject *parent = nullptr);
    ~CompareRowsModel() override;

    /// A line's output as text: its only output as it is (a string) or as JSON, every output
    /// as JSON when there are several (`indent` as Value::dump), a failed line's error.
    /// Thread-safe.
    [[nodiscard]] static QString outputText(const fb::LineRecord &line, int indent = -1);

    /// Where output texts are read; the set's runs must be in that store.
    void setSource(std::shared_ptr<fb::StoreReader> reader, std::shared_ptr<const fb::CompareSet> set);
    [[nodiscard]] const std::shared_ptr<const fb::CompareSet> &compareSet() const { return m_set; }
    /// Rows whose flags include any of `mask` (CompareSet::RowFlag); 0 shows every row.
    void setFilter(std::uint8_t mask);
    [[nodiscard]] std::uint8_t filter() const { return m_filter; }
    [[nodiscard]] qint64 lineIndexAt(int row) const;
    /// The CompareSet row shown at `row` (valid rows only).
    [[nodiscard]] std::size_t setRowAt(int row) const { return m_rows[std::size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// Output texts of rows [first, last] arrived.
    void pageLoaded(int first, int last);

private:
    struct Page
    {
        std::vector<QStringList> texts; ///< [run][row in page]
    };
    void requestPage(int page) const;
    void applyPage(quint64 generation, int page, std::shared_ptr<Page> built);

    std::shared_ptr<fb::StoreReader> m_reader;
    std::shared_ptr<const fb::CompareSet> m_set;
    std::uint8_t m_filter = 0;
    std::vector<std::uint32_t> m_rows; ///< CompareSet rows shown, in order
    quint64 m_generation = 0;
    mutable std::map<int, std::shared_ptr<const Page>> m_pages;
    mutable std::list<int> m_pageOrder; ///< least recently fetched first
    mutable std::map<int, bool> m_pending;
};

} // namespace fb::ui
