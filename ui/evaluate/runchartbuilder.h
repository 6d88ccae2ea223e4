#pragma once

#include <QCoreApplication>
#include <QString>

class QChart;

namespace fb {
struct ChartData;
} // namespace fb

namespace fb::ui {

/// Turns aggregated chart figures (fb::ChartData) into a QChart: a few series per run, axes with
/// titles and units, a legend, and a note for what the chart leaves out (values above the
/// histogram's range, runs without a price). Series carry object names tests and exports can
/// find: "bars", "ci:RUN" (an interval whisker), "histogram:RUN", "p50:RUN"/"p95:RUN"/"p99:RUN"
/// (percentile markers, x = the percentile), "total", "run:RUN", "front", "trend".
/// Stateless; GUI thread only (Qt Charts objects).
class RunChartBuilder
{
    Q_DECLARE_TR_FUNCTIONS(fb::ui::RunChartBuilder)

public:
    /// A new chart (the caller owns it) for `data`; `evaluator` picks the one a Quality chart
    /// shows (empty: the first). `dark` picks Qt Charts' dark theme. `note` gets what the chart
    /// does not show, or an empty string.
    [[nodiscard]] static QChart *build(const fb::ChartData &data, const QString &evaluator,
                                       bool dark, QString *note);
};

} // namespace fb::ui
