#include <core/report/svgchart.h>

#include <core/report/reportformat_p.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace fb {

namespace {

constexpr double kWidth = 680.0;
constexpr double kLabelRight = 176.0; ///< labels end here (right-aligned)
constexpr double kPlotLeft = 186.0;
constexpr double kPlotRight = 520.0;
constexpr double kRow = 28.0;
constexpr double kTop = 34.0;

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string esc(const std::string &s) { return ReportFormat::escape(s); }

/// A label cut to fit the label column, with the full text as a tooltip.
std::string label(const std::string &text, double x, double y, const char *anchor,
                  std::size_t maxChars = 26)
{
    std::string shown = text;
    if (shown.size() > maxChars) {
        shown = ReportFormat::truncate(shown, maxChars - 1) + "\xE2\x80\xA6";
    }
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor
           + "\" font-size=\"12\" fill=\"#1f2933\"><title>" + esc(text) + "</title>" + esc(shown)
           + "</text>";
}

std::string open(double height, const std::string &title)
{
    return "<svg class=\"chart\" viewBox=\"0 0 " + num(kWidth) + " " + num(height)
           + "\" role=\"img\" aria-label=\"" + esc(title)
           + "\" font-family=\"inherit\"><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
           + "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#1f2933\">"
           + esc(title) + "</text>";
}

/// Digits after the point that show a multiple of `step` exactly (steps are 1, 2 or 5 x 10^k).
int decimalsFor(double step)
{
    if (!(step > 0)) {
        return 0;
    }
    return std::max(0, int(-std::floor(std::log10(step) + 1e-9)));
}

/// An axis label; `step` is the distance between ticks and sets the precision.
std::string tickText(double v, double step, bool percent, bool durations)
{
    if (percent) {
        return ReportFormat::number(v * 100.0, decimalsFor(step * 100.0)) + "%";
    }
    if (durations) {
        if (step >= 500.0) {
            return ReportFormat::number(v / 1000.0, decimalsFor(step / 1000.0)) + " s";
        }
        return ReportFormat::number(v, decimalsFor(step)) + " ms";
    }
    return ReportFormat::number(v, decimalsFor(step));
}

/// Vertical grid lines and tick labels of a horizontal axis from `lo` to `hi` at `y`.
std::string xAxis(double lo, double hi, double left, double right, double top, double y,
                  bool percent, bool durations)
{
    std::string out;
    const auto ticks = SvgChart::ticks(lo, hi);
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : hi - lo;
    for (double t : ticks) {
        const double x = left + (t - lo) / (hi - lo) * (right - left);
        out += "<line x1=\"" + num(x) + "\" y1=\"" + num(top) + "\" x2=\"" + num(x) + "\" y2=\""
               + num(y) + "\" stroke=\"#e4e7eb\" stroke-width=\"1\"/>";
        out += "<text x=\"" + num(x) + "\" y=\"" + num(y + 14)
               + "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#616e7c\">"
               + esc(tickText(t, step, percent, durations)) + "</text>";
    }
    out += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(right) + "\" y2=\""
           + num(y) + "\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>";
    return out;
}

} // namespace

std::string SvgChart::color(std::size_t index)
{
    // Okabe–Ito-like palette: distinguishable for colour-blind readers and in print.
    static const std::array<const char *, 8> palette{"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                                     "#56b4e9", "#d55e00", "#7f7f7f", "#f0e442"};
    return palette[index % palette.size()];
}

std::vector<double> SvgChart::ticks(double low, double high, int count)
{
    std::vector<double> out;
    if (!(high > low) || !std::isfinite(low) || !std::isfinite(high) || count < 1) {
        out.push_back(std::isfinite(low) ? low : 0.0);
        return out;
    }
    const double raw = (high - low) / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= raw) {
            break;
        }
    }
    const double first = std::ceil(low / step - 1e-9) * step;
    for (double t = first; t <= high + step * 1e-9; t += step) {
        out.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
        if (out.size() > 50) {
            break;
        }
    }
    return out;
}

std::string SvgChart::bars(const std::string &title, const std::vector<ChartBar> &items,
                           std::optional<double> axisMax, bool percentAxis)
{
    double lo = 0.0;
    double hi = 0.0;
    for (const auto &b : items) {
        lo = std::min({lo, b.value, b.low.value_or(b.value)});
        hi = std::max({hi, b.value, b.high.value_or(b.value)});
    }
    if (axisMax) {
        hi = std::max(hi, *axisMax);
    }
    if (!(hi > lo)) {
        hi = lo + 1.0;
    }
    const double height = kTop + double(items.size()) * kRow + 30.0;
    const double axisY = kTop + double(items.size()) * kRow + 4.0;
    auto xOf
        = [&](double v) { return kPlotLeft + (v - lo) / (hi - lo) * (kPlotRight - kPlotLeft); };
    std::string out = open(height, title);
    out += xAxis(lo, hi, kPlotLeft, kPlotRight, kTop - 4, axisY, percentAxis, false);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto &b = items[i];
        const double y = kTop + double(i) * kRow;
        const double x0 = xOf(std::min(0.0, b.value) < lo ? lo : std::min(0.0, b.value));
        const double x1 = xOf(std::max(0.0, b.value));
        out += label(b.label, kLabelRight, y + 15, "end");
        out += "<rect x=\"" + num(std::min(x0, x1)) + "\" y=\"" + num(y + 4) + "\" width=\""
               + num(std::max(std::fabs(x1 - x0), 1.0)) + "\" height=\"16\" rx=\"2\" fill=\""
               + color(b.series) + "\" fill-opacity=\"0.85\"/>";
        if (b.low && b.high) {
            const double wl = xOf(*b.low);
            const double wh = xOf(*b.high);
            const double cy = y + 12;
            out += "<g stroke=\"#1f2933\" stroke-width=\"1.5\"><line x1=\"" + num(wl) + "\" y1=\""
                   + num(cy) + "\" x2=\"" + num(wh) + "\" y2=\"" + num(cy) + "\"/><line x1=\""
                   + num(wl) + "\" y1=\"" + num(cy - 6) + "\" x2=\"" + num(wl) + "\" y2=\""
                   + num(cy + 6) + "\"/><line x1=\"" + num(wh) + "\" y1=\"" + num(cy - 6)
                   + "\" x2=\"" + num(wh) + "\" y2=\"" + num(cy + 6) + "\"/></g>";
        }
        const std::string text = b.valueText.empty() ? ReportFormat::compact(b.value) : b.valueText;
        out += "<text x=\"" + num(kPlotRight + 10) + "\" y=\"" + num(y + 16)
               + "\" font-size=\"12\" fill=\"#1f2933\">" + esc(text) + "</text>";
    }
    out += "</svg>";
    return out;
}

std::string SvgChart::boxes(const std::string &title, const std::vector<ChartBox> &items,
                            bool durations)
{
    double hi = 0.0;
    double lo = 0.0;
    for (const auto &b : items) {
        if (b.distribution.count > 0) {
            hi = std::max(hi, b.distribution.p99);
            lo = std::min(lo, b.distribution.min);
        }
    }
    if (!(hi > lo)) {
        hi = lo + 1.0;
    }
    hi *= 1.04;
    const double height = kTop + double(items.size()) * kRow + 30.0;
    const double axisY = kTop + double(items.size()) * kRow + 4.0;
    auto xOf = [&](double v) {
        return kPlotLeft + (std::min(v, hi) - lo) / (hi - lo) * (kPlotRight - kPlotLeft);
    };
    std::string out = open(height, title);
    out += xAxis(lo, hi, kPlotLeft, kPlotRight, kTop - 4, axisY, false, durations);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto &b = items[i];
        const Distribution &d = b.distribution;
        const double y = kTop + double(i) * kRow;
        const double cy = y + 12;
        out += label(b.label, kLabelRight, y + 15, "end");
        if (d.count == 0) {
            out += "<text x=\"" + num(kPlotLeft + 4) + "\" y=\"" + num(y + 16)
                   + "\" font-size=\"12\" fill=\"#9aa5b1\">no data</text>";
            continue;
        }
        const std::string c = color(b.series);
        out += "<g stroke=\"" + c + "\" stroke-width=\"1.5\"><line x1=\"" + num(xOf(d.min))
               + "\" y1=\"" + num(cy) + "\" x2=\"" + num(xOf(d.p25)) + "\" y2=\"" + num(cy)
               + "\"/><line x1=\"" + num(xOf(d.p75)) + "\" y1=\"" + num(cy) + "\" x2=\""
               + num(xOf(d.p99)) + "\" y2=\"" + num(cy) + "\"/><line x1=\"" + num(xOf(d.min))
               + "\" y1=\"" + num(cy - 5) + "\" x2=\"" + num(xOf(d.min)) + "\" y2=\"" + num(cy + 5)
               + "\"/><line x1=\"" + num(xOf(d.p99)) + "\" y1=\"" + num(cy - 5) + "\" x2=\""
               + num(xOf(d.p99)) + "\" y2=\"" + num(cy + 5) + "\"/></g>";
        out += "<rect x=\"" + num(xOf(d.p25)) + "\" y=\"" + num(y + 4) + "\" width=\""
               + num(std::max(xOf(d.p75) - xOf(d.p25), 1.0)) + "\" height=\"16\" fill=\"" + c
               + "\" fill-opacity=\"0.25\" stroke=\"" + c + "\" stroke-width=\"1.5\"/>";
        out += "<line x1=\"" + num(xOf(d.p50)) + "\" y1=\"" + num(y + 3) + "\" x2=\""
               + num(xOf(d.p50)) + "\" y2=\"" + num(y + 21) + "\" stroke=\"#1f2933\" "
               + "stroke-width=\"2\"/>";
        const double px = xOf(d.p95);
        out += "<path d=\"M" + num(px) + " " + num(cy - 4) + " L" + num(px + 4) + " " + num(cy)
               + " L" + num(px) + " " + num(cy + 4) + " L" + num(px - 4) + " " + num(cy)
               + " Z\" fill=\"#1f2933\"/>";
        auto fmt = [&](double v) {
            return durations ? ReportFormat::duration(v) : ReportFormat::compact(v);
        };
        out += "<text x=\"" + num(kPlotRight + 10) + "\" y=\"" + num(y + 16)
               + "\" font-size=\"11\" fill=\"#1f2933\">"
               + esc("p50 " + fmt(d.p50) + " \xC2\xB7 p95 " + fmt(d.p95)) + "</text>";
    }
    out += "</svg>";
    return out;
}

std::string SvgChart::scatter(const std::string &title, const std::string &xLabel,
                              const std::string &yLabel, const std::vector<ChartPoint> &points,
                              bool yPercent)
{
    constexpr double height = 340.0;
    constexpr double left = 70.0;
    constexpr double right = 600.0;
    constexpr double top = 40.0;
    constexpr double bottom = 280.0;
    double xHi = 0.0;
    double yLo = points.empty() ? 0.0 : points.front().y;
    double yHi = yLo;
    for (const auto &p : points) {
        xHi = std::max(xHi, p.x);
        yLo = std::min({yLo, p.y, p.yLow.value_or(p.y)});
        yHi = std::max({yHi, p.y, p.yHigh.value_or(p.y)});
    }
    xHi = xHi > 0 ? xHi * 1.25 : 1.0;
    const double pad = std::max((yHi - yLo) * 0.15, yPercent ? 0.05 : 1e-9);
    yLo -= pad;
    yHi += pad;
    if (yPercent) {
        yLo = std::max(0.0, yLo);
        yHi = std::min(1.0, yHi);
    }
    if (!(yHi > yLo)) {
        yHi = yLo + 1.0;
    }
    auto xOf = [&](double v) { return left + v / xHi * (right - left); };
    auto yOf = [&](double v) { return bottom - (v - yLo) / (yHi - yLo) * (bottom - top); };

    std::string out;
    out += "<svg class=\"chart\" viewBox=\"0 0 " + num(kWidth) + " " + num(height)
           + "\" role=\"img\" aria-label=\"" + esc(title)
           + "\" font-family=\"inherit\"><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
           + "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"600\" fill=\"#1f2933\">"
           + esc(title) + "</text>";
    out += xAxis(0.0, xHi, left, right, top, bottom, false, false);
    const auto yTicks = ticks(yLo, yHi);
    const double yStep = yTicks.size() > 1 ? yTicks[1] - yTicks[0] : yHi - yLo;
    for (double t : yTicks) {
        const double y = yOf(t);
        out += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(right)
               + "\" y2=\"" + num(y) + "\" stroke=\"#e4e7eb\" stroke-width=\"1\"/>";
        out += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + 4)
               + "\" text-anchor=\"end\" font-size=\"11\" fill=\"#616e7c\">"
               + esc(tickText(t, yStep, yPercent, false)) + "</text>";
    }
    out += "<line x1=\"" + num(left) + "\" y1=\"" + num(top) + "\" x2=\"" + num(left) + "\" y2=\""
           + num(bottom) + "\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>";
    out += "<text x=\"" + num((left + right) / 2) + "\" y=\"" + num(bottom + 34)
           + "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#3e4c59\">" + esc(xLabel)
           + "</text>";
    out += "<text x=\"16\" y=\"" + num((top + bottom) / 2) + "\" text-anchor=\"middle\" "
           + "font-size=\"12\" fill=\"#3e4c59\" transform=\"rotate(-90 16 "
           + num((top + bottom) / 2) + ")\">" + esc(yLabel) + "</text>";
    for (const auto &p : points) {
        const double x = xOf(p.x);
        const double y = yOf(p.y);
        const std::string c = color(p.series);
        if (p.yLow && p.yHigh) {
            out += "<g stroke=\"" + c + "\" stroke-width=\"1.5\"><line x1=\"" + num(x) + "\" y1=\""
                   + num(yOf(*p.yLow)) + "\" x2=\"" + num(x) + "\" y2=\"" + num(yOf(*p.yHigh))
                   + "\"/><line x1=\"" + num(x - 5) + "\" y1=\"" + num(yOf(*p.yLow)) + "\" x2=\""
                   + num(x + 5) + "\" y2=\"" + num(yOf(*p.yLow)) + "\"/><line x1=\"" + num(x - 5)
                   + "\" y1=\"" + num(yOf(*p.yHigh)) + "\" x2=\"" + num(x + 5) + "\" y2=\""
                   + num(yOf(*p.yHigh)) + "\"/></g>";
        }
        out += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"6\" fill=\"" + c
               + "\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>";
        // Labels go right of the point, or left of it near the right edge.
        const bool right = x < 440.0;
        out += label(p.label, right ? x + 10 : x - 10, y - 6, right ? "start" : "end", 30);
    }
    out += "</svg>";
    return out;
}

} // namespace fb
