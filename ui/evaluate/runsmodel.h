#pragma once

#include <core/store/storetypes.h>

#include <QAbstractTableModel>

#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fb::ui {

/// The runs of a workspace's experiment store, newest first: name, status, variants, lines
/// done of total, failed lines, metrics, created. refresh() reads the store on a worker thread
/// (counting a million-line run's lines must not freeze the window) and updates the rows on the
/// GUI thread — in place when the same runs are listed, so selections survive. GUI thread only.
class RunsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Status, Variants, Lines, Failed, Metrics, Created, ColumnCount };

    explicit RunsModel(QObject *parent = nullptr);
    ~RunsModel() override;

    /// The store to list; an empty path or a missing file lists nothing.
    void setStorePath(const QString &path);
    [[nodiscard]] QString storePath() const { return m_storePath; }
    /// Reads the store again (asynchronously); refreshed() follows.
    void refresh();

    [[nodiscard]] const fb::RunSummary &run(int row) const { return m_rows.at(std::size_t(row)).run; }
    /// The row of the run named `name`, or -1.
    [[nodiscard]] int rowOf(const QString &name) const;
    /// "variant_1", "classify=variant_1, summary=variant_0", or "default".
    [[nodiscard]] static QString variantsText(const fb::Value &variants);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void refreshed();
    /// The store could not be read; the list keeps its rows.
    void failed(const QString &message);

private:
    struct Row
    {
        fb::RunSummary run;
        std::map<std::string, double> metrics;
    };
    void apply(std::vector<Row> rows);

    QString m_storePath;
    std::vector<Row> m_rows;
    std::thread m_worker;
    bool m_reading = false;
    bool m_again = false;
    // Bumped by setStorePath(): a read of another store is dropped when it arrives.
    int m_generation = 0;
};

} // namespace fb::ui
