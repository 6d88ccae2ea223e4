#pragma once

#include <QAbstractTableModel>

#include <memory>

namespace fb {
class CompareSet;
}

namespace fb::ui {

/// The verdicts of a compare set, one row per candidate and metric: candidate, metric,
/// win/tie/loss on the paired lines, effect, raw and Holm-adjusted p, the test, and the verdict
/// in words. Better rows are tinted green, worse ones red. GUI thread only.
class CompareVerdictModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Candidate, Metric, WinTieLoss, Effect, PValue, AdjustedPValue, Test, Verdict,
                  ColumnCount };

    explicit CompareVerdictModel(QObject *parent = nullptr);

    void setCompareSet(std::shared_ptr<const fb::CompareSet> set);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const fb::CompareSet> m_set;
};

} // namespace fb::ui
