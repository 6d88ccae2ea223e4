#include <ui/evaluate/runchartbuilder.h>

#include <core/report/chartdata.h>

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace fb::ui {

namespace {

using fb::ChartData;
using fb::ChartKind;
using fb::TrendMetric;

QString qs(const std::string &s) { return QString::fromStdString(s); }

/// Numbers on labels: a few significant digits in the user's locale.
QString number(double v, int digits = 3)
{
    if (v != 0 && std::abs(v) < 1) {
        return QLocale().toString(v, 'g', digits);
    }
    return QLocale().toString(v, 'f', std::abs(v) >= 100 ? 0 : 1);
}

/// What draws the chart: the chart, its text colour, and helpers that add series and axes.
class Canvas
{
public:
    explicit Canvas(bool dark)
        : chart(new QChart)
        , ink(dark ? QColor(225, 225, 225) : QColor(40, 40, 40))
        , dark(dark)
    {
        chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->legend()->setAlignment(Qt::AlignBottom);
        QFont title = chart->titleFont();
        title.setPointSizeF(title.pointSizeF() * 1.15);
        title.setBold(true);
        chart->setTitleFont(title);
    }

    QValueAxis *valueAxis(const QString &title, double min, double max, Qt::Alignment where,
                          const char *format = "%.4g")
    {
        auto *axis = new QValueAxis;
        axis->setTitleText(title);
        axis->setLabelFormat(QString::fromLatin1(format));
        if (!(max > min)) {
            max = min + 1;
        }
        // Ticks 1, 2 or 5 × 10^k apart, at most 8 intervals, the ends on ticks: tighter than
        // applyNiceNumbers(), which can leave a third of the plot empty.
        double step = std::pow(10.0, std::floor(std::log10((max - min) / 8)));
        for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
            if ((max - min) / (step * factor) <= 8) {
                step *= factor;
                break;
            }
        }
        const double from = std::floor(min / step + 1e-9) * step;
        const double to = std::ceil(max / step - 1e-9) * step;
        axis->setRange(from, to);
        axis->setTickCount(int(std::lround((to - from) / step)) + 1);
        chart->addAxis(axis, where);
        return axis;
    }

    /// A y axis of counts: 0 to a round number at or above `ceiling`, whole-number ticks.
    QValueAxis *countAxis(const QString &title, double ceiling)
    {
        double step = 1;
        for (int i = 0; step * 5 < ceiling; ++i) {
            step *= i % 3 == 1 ? 2.5 : 2; // 1, 2, 5, 10, 20, 50, ...
        }
        auto *axis = new QValueAxis;
        axis->setTitleText(title);
        axis->setLabelFormat(QStringLiteral("%.0f"));
        const double max = step * std::ceil(ceiling / step);
        axis->setRange(0, max);
        axis->setTickCount(int(std::lround(max / step)) + 1);
        chart->addAxis(axis, Qt::AlignLeft);
        return axis;
    }

    QBarCategoryAxis *categoryAxis(QStringList labels, const QString &title)
    {
        // Runs of one experiment are named EXPERIMENT/label: the shared part says nothing.
        if (labels.size() > 1) {
            qsizetype common = labels.front().size();
            for (const QString &l : labels) {
                qsizetype k = 0;
                while (k < common && k < l.size() && l[k] == labels.front()[k]) {
                    ++k;
                }
                common = k;
            }
            const qsizetype cut = labels.front().left(common).lastIndexOf(QLatin1Char('/')) + 1;
            const bool whole = std::all_of(labels.begin(), labels.end(),
                                           [cut](const QString &l) { return l.size() > cut; });
            if (cut > 0 && whole) {
                for (QString &l : labels) {
                    l = l.mid(cut);
                }
            }
        }
        auto *axis = new QBarCategoryAxis;
        axis->append(labels);
        axis->setTitleText(title);
        const bool crowded = labels.size() > 4
                             || std::any_of(labels.begin(), labels.end(),
                                            [](const QString &l) { return l.size() > 14; });
        if (crowded) {
            axis->setLabelsAngle(-35);
        }
        chart->addAxis(axis, Qt::AlignBottom);
        return axis;
    }

    void add(QAbstractSeries *series, QAbstractAxis *x, QAbstractAxis *y, bool inLegend = true)
    {
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
        if (!inLegend) {
            for (QLegendMarker *marker : chart->legend()->markers(series)) {
                marker->setVisible(false);
            }
        }
    }

    /// An interval whisker at x from lower to upper, with caps.
    void whisker(const QString &name, double x, double lower, double upper, double cap,
                 QAbstractAxis *xAxis, QAbstractAxis *yAxis)
    {
        auto *line = new QLineSeries;
        line->setObjectName(QStringLiteral("ci:") + name);
        line->append({{x - cap, lower},
                      {x + cap, lower},
                      {x, lower},
                      {x, upper},
                      {x - cap, upper},
                      {x + cap, upper}});
        add(line, xAxis, yAxis, false);
        line->setPen(QPen(ink, 2));
    }

    QChart *chart;
    QColor ink;
    bool dark;
};

double shown(bool percent, double v) { return percent ? 100 * v : v; }

/// The y axis of a quality figure: 0-100 % for rates, else the intervals' span with room.
QValueAxis *qualityAxis(Canvas &canvas, bool percent, double low, double high)
{
    if (percent) {
        return canvas.valueAxis(RunChartBuilder::tr("Pass rate (%)"), 0, 100, Qt::AlignLeft,
                                "%.0f");
    }
    const double pad = std::max(1e-9, (high - low) * 0.1);
    return canvas.valueAxis(RunChartBuilder::tr("Mean score"), std::min(0.0, low - pad), high + pad,
                            Qt::AlignLeft);
}

void drawQuality(Canvas &canvas, const ChartData &data, QString evaluator, QStringList &notes)
{
    if (evaluator.isEmpty() && !data.evaluators.empty()) {
        evaluator = qs(data.evaluators.front());
    }
    std::vector<const fb::QualityBar *> bars;
    for (const auto &bar : data.quality) {
        if (qs(bar.evaluator) == evaluator) {
            bars.push_back(&bar);
        }
    }
    canvas.chart->setTitle(
        RunChartBuilder::tr("Quality: %1 (mean with 95 % interval)")
            .arg(evaluator.isEmpty() ? RunChartBuilder::tr("no evaluator") : evaluator));
    if (bars.empty()) {
        notes << (data.evaluators.empty()
                      ? RunChartBuilder::tr("These runs have no evaluator scores.")
                      : RunChartBuilder::tr("No run has scores of %1.").arg(evaluator));
    }
    const bool percent = std::any_of(bars.begin(), bars.end(),
                                     [](const fb::QualityBar *b) { return b->passRate; });
    QStringList labels;
    auto *set = new QBarSet(percent ? RunChartBuilder::tr("Pass rate")
                                    : RunChartBuilder::tr("Mean score"));
    double low = 0;
    double high = 0;
    for (const auto *bar : bars) {
        labels << qs(bar->label);
        *set << shown(percent, bar->value.interval.estimate);
        low = std::min(low, shown(percent, bar->value.interval.lower));
        high = std::max(high, shown(percent, bar->value.interval.upper));
    }
    auto *series = new QBarSeries;
    series->setObjectName(QStringLiteral("bars"));
    series->setBarWidth(0.5);
    series->append(set);
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsInsideBase);
    series->setLabelsPrecision(3);
    QBarCategoryAxis *x = canvas.categoryAxis(labels, RunChartBuilder::tr("Run"));
    QValueAxis *y = qualityAxis(canvas, percent, low, high);
    canvas.add(series, x, y);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto &v = bars[i]->value;
        canvas.whisker(qs(bars[i]->label), double(i), shown(percent, v.interval.lower),
                       shown(percent, v.interval.upper), 0.12, x, y);
    }
}

void drawHistograms(Canvas &canvas, const ChartData &data, QStringList &notes)
{
    QString axisTitle;
    QString countTitle = RunChartBuilder::tr("LLM calls");
    switch (data.kind) {
    case ChartKind::Latency:
        canvas.chart->setTitle(RunChartBuilder::tr("Line latency"));
        axisTitle = RunChartBuilder::tr("Line latency (ms)");
        countTitle = RunChartBuilder::tr("Lines");
        break;
    case ChartKind::Ttft:
        canvas.chart->setTitle(RunChartBuilder::tr("Time to first token (TTFT)"));
        axisTitle = RunChartBuilder::tr("Time to first token (ms)");
        break;
    default:
        canvas.chart->setTitle(RunChartBuilder::tr("Time per output token (TPOT)"));
        axisTitle = RunChartBuilder::tr("Time per output token (ms)");
        break;
    }
    double lower = 0;
    double upper = 0;
    std::int64_t top = 0;
    for (const auto &run : data.histograms) {
        if (run.histogram.count > 0) {
            lower = std::min(lower, run.histogram.lower);
            upper = std::max(upper, run.histogram.upper);
            top = std::max(top, run.histogram.maxCount());
        }
    }
    // Room above the bars for three staggered percentile labels per run.
    const int labelled = int(std::min<std::size_t>(data.histograms.size(), 3));
    const double ceiling = double(std::max<std::int64_t>(top, 1)) * (1.12 + 0.27 * labelled);
    // Room on the right for the label of a marker near the end of the range.
    QValueAxis *x
        = canvas.valueAxis(axisTitle, lower, lower + (upper - lower) * 1.08, Qt::AlignBottom);
    QValueAxis *y = canvas.countAxis(countTitle, ceiling);
    int row = 0;
    for (const auto &run : data.histograms) {
        const fb::Histogram &h = run.histogram;
        const QString name = qs(run.label);
        if (h.count == 0) {
            notes << RunChartBuilder::tr("%1: nothing recorded.").arg(name);
            continue;
        }
        auto *outline = new QLineSeries;
        const double w = h.binWidth();
        for (std::size_t i = 0; i < h.counts.size(); ++i) {
            const double from = h.lower + w * double(i);
            outline->append(from, double(h.counts[i]));
            outline->append(from + w, double(h.counts[i]));
        }
        auto *area = new QAreaSeries(outline);
        outline->setParent(area);
        area->setObjectName(QStringLiteral("histogram:") + name);
        area->setName(name);
        canvas.add(area, x, y);
        QColor fill = area->color();
        const QColor edge = fill;
        fill.setAlpha(data.histograms.size() > 1 ? 90 : 150);
        area->setColor(fill);
        area->setBorderColor(edge);
        struct Mark
        {
            const char *key;
            double value;
            Qt::PenStyle style;
        };
        const Mark marks[] = {{"p50", h.p50, Qt::SolidLine},
                              {"p95", h.p95, Qt::DashLine},
                              {"p99", h.p99, Qt::DotLine}};
        for (int k = 0; k < 3; ++k) {
            const Mark &m = marks[k];
            const QString key = QString::fromLatin1(m.key);
            const double labelY = ceiling * (0.97 - 0.085 * double(row * 3 + k));
            auto *line = new QLineSeries;
            line->setObjectName(key + QLatin1Char(':') + name);
            line->append(m.value, 0);
            line->append(m.value, labelY);
            canvas.add(line, x, y, false);
            // One run: the markers stand out from its filled bins (brighter on dark).
            const QColor markColour = data.histograms.size() > 1 ? edge
                                      : canvas.dark              ? edge.lighter(150)
                                                                 : edge.darker(140);
            QPen pen(markColour, 2, m.style);
            line->setPen(pen);
            if (row < labelled) {
                // The label: one invisible point at the top of the marker, labelled.
                auto *tag = new QScatterSeries;
                tag->setObjectName(QStringLiteral("label:") + key + QLatin1Char(':') + name);
                tag->append(m.value, labelY);
                tag->setMarkerSize(1);
                canvas.add(tag, x, y, false);
                tag->setColor(Qt::transparent);
                tag->setBorderColor(Qt::transparent);
                tag->setPointLabelsClipping(false);
                tag->setPointLabelsColor(canvas.ink);
                tag->setPointLabelsFormat(
                    (data.histograms.size() > 1 ? name + QLatin1Char(' ') : QString())
                    + RunChartBuilder::tr("%1 %2 ms").arg(key, number(m.value)));
                tag->setPointLabelsVisible(true);
            }
        }
        if (h.above > 0) {
            notes << RunChartBuilder::tr("%1: %2 of %3 values are above p99.5 (%4 ms) and not "
                                         "drawn; the largest is %5 ms.")
                         .arg(name, QLocale().toString(qint64(h.above)),
                              QLocale().toString(qint64(h.count)), number(h.upper), number(h.max));
        }
        ++row;
    }
}

void drawCost(Canvas &canvas, const ChartData &data, QStringList &notes)
{
    canvas.chart->setTitle(RunChartBuilder::tr("Cost per run"));
    QStringList labels;
    auto *perLine = new QBarSet(RunChartBuilder::tr("Cost per 1,000 lines (USD)"));
    auto *total = new QScatterSeries;
    total->setObjectName(QStringLiteral("total"));
    total->setName(RunChartBuilder::tr("Total cost (USD)"));
    total->setMarkerSize(12);
    double maxPer1k = 0;
    double maxTotal = 0;
    for (std::size_t i = 0; i < data.costs.size(); ++i) {
        const auto &c = data.costs[i];
        labels << qs(c.label);
        *perLine << c.per1kLinesUsd.value_or(0.0);
        total->append(double(i), c.totalUsd);
        maxPer1k = std::max(maxPer1k, c.per1kLinesUsd.value_or(0.0));
        maxTotal = std::max(maxTotal, c.totalUsd);
        if (c.linesWithoutCost > 0) {
            notes << RunChartBuilder::tr("%1: %2 lines have no price and are not counted.")
                         .arg(qs(c.label), QLocale().toString(qint64(c.linesWithoutCost)));
        }
    }
    auto *bars = new QBarSeries;
    bars->setObjectName(QStringLiteral("bars"));
    bars->append(perLine);
    bars->setBarWidth(0.5);
    bars->setLabelsVisible(true);
    bars->setLabelsPrecision(4);
    QBarCategoryAxis *x = canvas.categoryAxis(labels, RunChartBuilder::tr("Run"));
    QValueAxis *left = canvas.valueAxis(RunChartBuilder::tr("Cost per 1,000 lines (USD)"), 0,
                                        maxPer1k * 1.15, Qt::AlignLeft);
    QValueAxis *right = canvas.valueAxis(RunChartBuilder::tr("Total cost (USD)"), 0,
                                         maxTotal * 1.15, Qt::AlignRight);
    canvas.add(bars, x, left);
    canvas.add(total, x, right);
}

void drawQualityVsCost(Canvas &canvas, const ChartData &data, QStringList &notes)
{
    const QString evaluator = qs(data.evaluator);
    canvas.chart->setTitle(RunChartBuilder::tr("Quality vs cost: %1").arg(evaluator));
    if (data.points.empty()) {
        notes << RunChartBuilder::tr("No run has both a price and scores of %1.").arg(evaluator);
    }
    const bool percent = data.passRate;
    double maxCost = 0;
    double low = 0;
    double high = 0;
    for (const auto &p : data.points) {
        maxCost = std::max(maxCost, p.costPer1kLinesUsd);
        low = std::min(low, shown(percent, p.quality.interval.lower));
        high = std::max(high, shown(percent, p.quality.interval.upper));
    }
    QValueAxis *x = canvas.valueAxis(RunChartBuilder::tr("Cost per 1,000 lines (USD)"), 0,
                                     maxCost * 1.15, Qt::AlignBottom);
    QValueAxis *y = qualityAxis(canvas, percent, low, high);
    std::vector<const fb::QualityCostPoint *> front;
    for (const auto &p : data.points) {
        auto *dot = new QScatterSeries;
        dot->setObjectName(QStringLiteral("run:") + qs(p.label));
        dot->setName(qs(p.label));
        dot->setMarkerSize(13);
        dot->append(p.costPer1kLinesUsd, shown(percent, p.quality.interval.estimate));
        canvas.add(dot, x, y);
        canvas.whisker(qs(p.label), p.costPer1kLinesUsd, shown(percent, p.quality.interval.lower),
                       shown(percent, p.quality.interval.upper), std::max(maxCost, 1e-9) * 0.015, x,
                       y);
        if (p.onParetoFront) {
            front.push_back(&p);
        }
    }
    std::sort(front.begin(), front.end(), [](const auto *a, const auto *b) {
        return a->costPer1kLinesUsd < b->costPer1kLinesUsd;
    });
    if (!front.empty()) {
        // The front: a dashed line through its runs, each ringed (one run has no line to show).
        auto *line = new QLineSeries;
        line->setObjectName(QStringLiteral("front"));
        auto *rings = new QScatterSeries;
        rings->setObjectName(QStringLiteral("front-rings"));
        rings->setName(RunChartBuilder::tr("Pareto front"));
        rings->setMarkerSize(24);
        for (const auto *p : front) {
            const QPointF at(p->costPer1kLinesUsd, shown(percent, p->quality.interval.estimate));
            line->append(at);
            rings->append(at);
        }
        canvas.add(line, x, y, false);
        line->setPen(QPen(canvas.ink, 2, Qt::DashLine));
        canvas.add(rings, x, y);
        rings->setColor(Qt::transparent);
        rings->setBorderColor(canvas.ink);
        QPen ring(canvas.ink, 2);
        rings->setPen(ring);
    }
}

void drawTrend(Canvas &canvas, const ChartData &data, TrendMetric metric, QStringList &notes)
{
    QString title;
    bool percent = false;
    switch (metric) {
    case TrendMetric::Quality:
        percent = data.passRate;
        title = percent ? RunChartBuilder::tr("Pass rate of %1 (%)").arg(qs(data.evaluator))
                        : RunChartBuilder::tr("Mean score of %1").arg(qs(data.evaluator));
        break;
    case TrendMetric::LatencyP50:
        title = RunChartBuilder::tr("p50 line latency (ms)");
        break;
    case TrendMetric::LatencyP95:
        title = RunChartBuilder::tr("p95 line latency (ms)");
        break;
    case TrendMetric::CostPer1kLines:
        title = RunChartBuilder::tr("Cost per 1,000 lines (USD)");
        break;
    }
    canvas.chart->setTitle(
        RunChartBuilder::tr("Trend over the runs of %1").arg(qs(data.trendFlow)));
    if (data.trend.empty()) {
        notes << RunChartBuilder::tr("No run of this flow has this figure.");
    }
    const double scale = percent ? 100 : 1;
    QStringList labels;
    double low = 0;
    double high = 0;
    for (const auto &p : data.trend) {
        labels << qs(p.label);
        low = std::min(low, scale * p.lower.value_or(p.value));
        high = std::max(high, scale * p.upper.value_or(p.value));
    }
    QBarCategoryAxis *x = canvas.categoryAxis(labels, RunChartBuilder::tr("Run, oldest first"));
    QValueAxis *y = percent
                        ? canvas.valueAxis(title, 0, 100, Qt::AlignLeft, "%.0f")
                        : canvas.valueAxis(title, std::min(0.0, low), high * 1.15, Qt::AlignLeft);
    auto *line = new QLineSeries;
    line->setObjectName(QStringLiteral("trend"));
    line->setName(title);
    line->setPointsVisible(true);
    for (std::size_t i = 0; i < data.trend.size(); ++i) {
        line->append(double(i), scale * data.trend[i].value);
    }
    canvas.add(line, x, y);
    QPen pen = line->pen();
    pen.setWidth(3);
    line->setPen(pen);
    for (std::size_t i = 0; i < data.trend.size(); ++i) {
        const auto &p = data.trend[i];
        if (p.lower && p.upper) {
            canvas.whisker(qs(p.label), double(i), scale * *p.lower, scale * *p.upper, 0.08, x, y);
        }
    }
}

} // namespace

QChart *RunChartBuilder::build(const fb::ChartData &data, const QString &evaluator, bool dark,
                               QString *note)
{
    Canvas canvas(dark);
    QStringList notes;
    switch (data.kind) {
    case ChartKind::Quality:
        drawQuality(canvas, data, evaluator, notes);
        break;
    case ChartKind::Latency:
    case ChartKind::Ttft:
    case ChartKind::Tpot:
        drawHistograms(canvas, data, notes);
        break;
    case ChartKind::Cost:
        drawCost(canvas, data, notes);
        break;
    case ChartKind::QualityVsCost:
        drawQualityVsCost(canvas, data, notes);
        break;
    case ChartKind::Trend:
        drawTrend(canvas, data, data.trendMetric, notes);
        break;
    }
    if (note) {
        *note = notes.join(QLatin1Char('\n'));
    }
    return canvas.chart;
}

} // namespace fb::ui
