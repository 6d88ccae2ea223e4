#pragma once

// moc cannot read <compare> (which storeids.h includes) and needs no core type to read this.
#ifndef Q_MOC_RUN
#include <core/store/storeids.h>
#endif

#include <QWidget>

#include <map>
#include <memory>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;

namespace fb {
class StoreReader;
struct ChartData;
} // namespace fb

namespace fb::ui {

/// The charts of Evaluate mode over a list of stored runs: quality per run with 95 % interval
/// whiskers, line latency / TTFT / TPOT histograms with p50, p95 and p99 marked, cost per run
/// and per 1,000 lines, quality against cost with the Pareto front, and one metric's trend over
/// the runs of a flow. A picker chooses the chart, a second one the evaluator and a third the
/// trend's metric where they apply; "Export PNG…" and "Export SVG…" save what is shown.
///
/// The figures are aggregated by fb::ChartData on a reader thread (fb::StoreReader) with its
/// own store connection; the GUI thread only draws a few points per run. While a chart is
/// computed the status says "Computing…"; a result for an older selection is dropped. Results
/// are kept per chart until the runs or the store change, so going back to a chart is
/// immediate. GUI thread only.
class RunChartsView final : public QWidget
{
    Q_OBJECT

public:
    enum class Chart { Quality, Latency, Ttft, Tpot, Cost, QualityVsCost, Trend };
    Q_ENUM(Chart)

    explicit RunChartsView(QWidget *parent = nullptr);
    ~RunChartsView() override;

    /// The experiment store the runs are in; an empty path or a missing file shows nothing.
    void setStorePath(const QString &path);
    [[nodiscard]] QString storePath() const { return m_storePath; }
    /// The runs to chart, in the order to draw them (a trend follows the first one's flow).
    /// Recomputes the chart shown when the list changed.
    void setRuns(const std::vector<fb::RunId> &runs);
    [[nodiscard]] const std::vector<fb::RunId> &runs() const { return m_runs; }
    /// Drops the figures kept and computes the chart shown again: for when the runs' lines
    /// changed (a run finished or was resumed, an evaluation run was added).
    void refresh();
    /// Where the export dialogs open (default: the home folder).
    void setExportFolder(const QString &folder) { m_exportFolder = folder; }

    void setChart(Chart chart);
    [[nodiscard]] Chart chart() const;
    /// True from a request until its figures are drawn (or failed).
    [[nodiscard]] bool isComputing() const { return m_computing; }

    [[nodiscard]] QChartView *chartView() const { return m_view; }
    /// Renders the chart shown into a PNG or SVG file; false with `error` set on failure.
    bool exportPng(const QString &path, QString *error = nullptr);
    bool exportSvg(const QString &path, QString *error = nullptr);

Q_SIGNALS:
    /// A chart was drawn from fresh figures (also an empty one: no runs, no data).
    void chartReady();
    /// Computing the figures failed; the status shows `message`.
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void request();
    void display(std::shared_ptr<const fb::ChartData> data);
    void redraw();
    void updatePickers();
    void exportWithDialog(bool svg);
    [[nodiscard]] QString cacheKey() const;
    void setStatus(const QString &text);

    QString m_storePath;
    QString m_exportFolder;
    std::vector<fb::RunId> m_runs;
    std::unique_ptr<fb::StoreReader> m_reader;
    // Figures already computed for the current store and runs, by cacheKey().
    std::map<QString, std::shared_ptr<const fb::ChartData>> m_cache;
    std::shared_ptr<const fb::ChartData> m_shown;
    // Bumped by every request: a result of an older one is dropped when it arrives.
    quint64 m_generation = 0;
    bool m_computing = false;
    QString m_error;

    QLabel *m_chartLabel = nullptr;
    QComboBox *m_chartPicker = nullptr;
    QLabel *m_evaluatorLabel = nullptr;
    QComboBox *m_evaluatorPicker = nullptr;
    QLabel *m_metricLabel = nullptr;
    QComboBox *m_metricPicker = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_exportPng = nullptr;
    QPushButton *m_exportSvg = nullptr;
    QChartView *m_view = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace fb::ui
