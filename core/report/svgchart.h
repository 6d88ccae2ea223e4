#pragma once

#include <core/report/runstatistics.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// One bar: a value with an optional interval, drawn in the colour of series `series`.
struct ChartBar
{
    std::string label;
    double value = 0.0;
    std::optional<double> low;
    std::optional<double> high;
    std::size_t series = 0;
    std::string valueText; ///< printed after the bar; empty = the value, compact
};

/// One box of a box plot.
struct ChartBox
{
    std::string label;
    Distribution distribution;
    std::size_t series = 0;
};

/// One point of a scatter plot with an optional vertical interval.
struct ChartPoint
{
    std::string label;
    double x = 0.0;
    double y = 0.0;
    std::optional<double> yLow;
    std::optional<double> yHigh;
    std::size_t series = 0;
};

/// Small self-contained SVG charts for the HTML report: inline <svg> elements (HTML5, so no
/// namespace URL) with inline attributes only (no script, no external reference, no CSS
/// dependency), every text HTML-escaped, sized by a viewBox so they scale with the page and
/// print sharply.
/// Stateless; thread-safe.
class SvgChart
{
public:
    /// Fill colour of series `index` (a fixed palette that is readable on white and in grey).
    [[nodiscard]] static std::string color(std::size_t index);

    /// Horizontal bars with interval whiskers. The axis runs from min(0, lowest) to
    /// `axisMax` when given, else to the highest value or interval end.
    [[nodiscard]] static std::string bars(const std::string &title,
                                          const std::vector<ChartBar> &bars,
                                          std::optional<double> axisMax = std::nullopt,
                                          bool percentAxis = false);

    /// Horizontal box plots on one axis: box p25–p75, median line, whiskers from min to p99,
    /// a diamond at p95; values formatted as durations when `durations`.
    [[nodiscard]] static std::string
    boxes(const std::string &title, const std::vector<ChartBox> &boxes, bool durations = true);

    /// Scatter of points with labels and vertical interval whiskers.
    [[nodiscard]] static std::string scatter(const std::string &title, const std::string &xLabel,
                                             const std::string &yLabel,
                                             const std::vector<ChartPoint> &points,
                                             bool yPercent = false);

    /// About `count` round tick positions covering [low, high] (steps of 1, 2 or 5 × 10^k).
    [[nodiscard]] static std::vector<double> ticks(double low, double high, int count = 5);
};

} // namespace fb
