#pragma once

// moc cannot read <compare> (which storeids.h includes) and needs no core type to read this.
#ifndef Q_MOC_RUN
#include <core/store/storeids.h>
#include <core/store/storetypes.h>
#endif

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QModelIndex;
class QPlainTextEdit;
class QTableView;

namespace fb::ui {

class RatingBar;
class RunResultsModel;
class TraceModel;

/// The results of one stored run: a table of its lines (RunResultsModel; a header click sorts,
/// failed lines first by default), a filter (all lines, failed lines, or lines that pass or miss
/// a score threshold), a status line ("1,000,000 lines · 1,234 failed"), and the detail of the
/// line activated (double-click or Enter): its nodes in Experiment mode's trace table (status,
/// variant, latency, TTFT, TPOT, tokens, output or error) and its inputs, outputs, error, scores
/// and LLM calls as text.
class RunResultsView final : public QWidget
{
    Q_OBJECT

public:
    explicit RunResultsView(QWidget *parent = nullptr);
    ~RunResultsView() override;

    /// Shows `run` of the store at `storePath` (see RunResultsModel::open).
    bool openRun(const QString &storePath, fb::RunId run, QString *error = nullptr);

    [[nodiscard]] RunResultsModel *model() const { return m_model; }
    [[nodiscard]] QTableView *table() const { return m_table; }
    [[nodiscard]] QComboBox *filterCombo() const { return m_filter; }
    [[nodiscard]] QDoubleSpinBox *thresholdBox() const { return m_threshold; }
    [[nodiscard]] QLabel *statusLabel() const { return m_status; }
    /// The activated line's nodes.
    [[nodiscard]] TraceModel *traceModel() const { return m_trace; }
    [[nodiscard]] QPlainTextEdit *detailText() const { return m_detail; }
    /// Rates the table's current line (P, F, 1–5 on the table; C goes to the comment).
    [[nodiscard]] RatingBar *ratingBar() const { return m_rating; }
    /// The line the detail shows; -1 before one was activated.
    [[nodiscard]] qint64 detailLineIndex() const { return m_detailLine; }

Q_SIGNALS:
    /// The detail shows this line.
    void detailShown(qint64 lineIndex);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void rebuildFilterChoices();
    void applyFilterChoice();
    void updateStatus();
    void showSortOrder();
    void sizeColumns();
    void showDetail(const QModelIndex &index);
    void fillDetail(qint64 lineIndex, const fb::LineRecord &record);
    void addRatingKeys();

    RunResultsModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_filterLabel = nullptr;
    QComboBox *m_filter = nullptr;
    QLabel *m_thresholdLabel = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_detailTitle = nullptr;
    TraceModel *m_trace = nullptr;
    QTableView *m_traceView = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    RatingBar *m_rating = nullptr;
    QString m_storePath;
    fb::RunId m_run;
    qint64 m_requestedLine = -1;
    qint64 m_detailLine = -1;
    QString m_loadError;
};

} // namespace fb::ui
