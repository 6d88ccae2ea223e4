#pragma once

#include <core/cost/costcalculator.h>
#include <core/exec/linetypes.h>

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QStringList>

#include <memory>
#include <vector>

namespace fb::ui {

/// The per-node trace of one line: one row per node of the flow (in the flow's order), with
/// status, variant, latency, TTFT, TPOT, tokens, cost, retries and output. Holds copies of core's
/// NodeTrace values; updated on the GUI thread as the LineRunBridge reports progress.
class TraceModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NodeColumn,
        StatusColumn,
        VariantColumn,
        LatencyColumn,
        TtftColumn,
        TpotColumn,
        TokensColumn,
        CostColumn,
        RetriesColumn,
        OutputColumn,
        ColumnCount
    };
    enum Role {
        NodeNameRole = Qt::UserRole, ///< the node's name
        StatusRole,                  ///< int(fb::RunStatus)
    };
    Q_ENUM(Role)

    explicit TraceModel(QObject *parent = nullptr);

    /// Prices llm calls for the cost column; without one (or for unknown models) the column
    /// is empty. Simulator calls cost nothing and say so.
    void setCostCalculator(std::shared_ptr<const fb::CostCalculator> calculator);

    /// Starts a new line over these nodes, all NotStarted.
    void reset(const QStringList &nodes);
    void setRunning(const QString &node);
    void setTrace(const fb::NodeTrace &trace);
    /// Marks nodes still NotStarted/Running as Cancelled (after a cancelled line).
    void finishLine(fb::RunStatus status);

    [[nodiscard]] int rowOf(const QString &node) const;
    /// The trace of a row; nullptr before the node finished.
    [[nodiscard]] const fb::NodeTrace *trace(int row) const;
    [[nodiscard]] fb::RunStatus status(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index,
                                int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

    [[nodiscard]] static QString statusText(fb::RunStatus status);

public Q_SLOTS:
    /// Tells views that the header and status texts changed language (headerDataChanged, and
    /// dataChanged for each row).
    void retranslate();

protected:
    /// A model gets no changeEvent: QEvent::LanguageChange reaches it here when its parent is
    /// a widget (QWidget passes it on to all its children), and calls retranslate().
    bool event(QEvent *event) override;

private:
    struct Row
    {
        QString node;
        fb::RunStatus status = fb::RunStatus::NotStarted;
        bool hasTrace = false;
        fb::NodeTrace trace;
    };
    void changed(int row);

    std::vector<Row> m_rows;
    std::shared_ptr<const fb::CostCalculator> m_cost;
};

} // namespace fb::ui
