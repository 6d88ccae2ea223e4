#include <ui/evaluate/compareverdictmodel.h>

#include <core/report/compareset.h>
#include <ui/evaluate/verdictwording.h>

#include <QBrush>
#include <QColor>

namespace fb::ui {

CompareVerdictModel::CompareVerdictModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void CompareVerdictModel::setCompareSet(std::shared_ptr<const fb::CompareSet> set)
{
    beginResetModel();
    m_set = std::move(set);
    endResetModel();
}

int CompareVerdictModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_set ? 0 : int(m_set->verdict().verdicts().size());
}

int CompareVerdictModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompareVerdictModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_set || index.row() >= rowCount()) {
        return {};
    }
    const fb::MetricVerdict &v = m_set->verdict().verdicts()[std::size_t(index.row())];
    if (role == Qt::BackgroundRole) {
        if (v.direction == fb::VerdictDirection::Better) {
            return QBrush(QColor(46, 160, 67, 60));
        }
        if (v.direction == fb::VerdictDirection::Worse) {
            return QBrush(QColor(218, 54, 51, 60));
        }
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Verdict) {
        return VerdictWording::sentence(v);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
    case Candidate:
        return QString::fromStdString(v.candidate);
    case Metric:
        return VerdictWording::metricName(v);
    case WinTieLoss: {
        for (const auto &c : m_set->comparisons()) {
            if (c.candidate.id == v.candidateId) {
                if (const auto *e = c.evaluator(v.metric)) {
                    return QStringLiteral("%1 / %2 / %3")
                        .arg(e->winTieLoss.wins)
                        .arg(e->winTieLoss.ties)
                        .arg(e->winTieLoss.losses);
                }
            }
        }
        return QStringLiteral("—");
    }
    case Effect:
        return VerdictWording::effect(v);
    case PValue:
        return v.pValue ? QString::number(*v.pValue, 'g', 3) : QString();
    case AdjustedPValue:
        return v.adjustedPValue ? QString::number(*v.adjustedPValue, 'g', 3) : QString();
    case Test:
        return QString::fromStdString(v.test);
    case Verdict:
        return VerdictWording::direction(v);
    default:
        break;
    }
    return {};
}

QVariant CompareVerdictModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case Candidate:
        return tr("Candidate");
    case Metric:
        return tr("Metric");
    case WinTieLoss:
        return tr("Win / tie / loss");
    case Effect:
        return tr("Effect");
    case PValue:
        return tr("p");
    case AdjustedPValue:
        return tr("p (Holm)");
    case Test:
        return tr("Test");
    case Verdict:
        return tr("Verdict");
    default:
        break;
    }
    return {};
}

} // namespace fb::ui
