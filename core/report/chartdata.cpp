#include <core/report/chartdata.h>

#include <core/eval/descriptivestats.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace fb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The q-th percentile of `values` as DescriptiveStats::percentileSorted defines it, without
/// sorting: the two order statistics the linear method interpolates between are put in their
/// sorted places (nth_element, then the smallest value above), and percentileSorted reads only
/// those two places. Reorders `values`; elements before `*from` must already be the smallest
/// ones in order (a previous, lower q), which lets a rising list of q's narrow the range.
double selectPercentile(std::vector<double> &values, double q, std::size_t *from)
{
    const double h = double(values.size() - 1) * (q / 100.0);
    const auto lo = std::size_t(std::floor(h));
    const auto begin = values.begin();
    if (lo >= *from) {
        std::nth_element(begin + std::ptrdiff_t(*from), begin + std::ptrdiff_t(lo), values.end());
        if (lo + 1 < values.size()) {
            std::iter_swap(begin + std::ptrdiff_t(lo + 1),
                           std::min_element(begin + std::ptrdiff_t(lo + 1), values.end()));
        }
        *from = lo + 1;
    }
    return DescriptiveStats::percentileSorted(values, q);
}

/// The headline figure of an evaluator column, as the HTML report picks it: the pass rate if
/// the evaluator gives verdicts, else the mean score; nullopt when it has neither.
Result<std::optional<MeanInterval>> headline(const EvaluatorColumn &column,
                                             const StatsOptions &options, bool *passRate)
{
    std::vector<double> values;
    *passRate = column.verdictCount > 0;
    if (*passRate) {
        values.reserve(column.verdictCount);
        for (signed char v : column.verdicts) {
            if (v >= 0) {
                values.push_back(double(v));
            }
        }
    } else {
        values.reserve(column.scoreCount);
        for (double v : column.scores) {
            if (!std::isnan(v)) {
                values.push_back(v);
            }
        }
    }
    return RunStatistics::meanInterval(values, options);
}

std::optional<double> costPer1k(const LineCostTotals &c)
{
    return c.linesWithCost > 0
               ? std::optional<double>(1000.0 * c.totalUsd / double(c.linesWithCost))
               : std::nullopt;
}

/// Evaluator names of `scores`, by name (RunScores keeps its columns in name order).
std::vector<std::string> evaluatorNames(const RunScores &scores)
{
    std::vector<std::string> names;
    for (const auto &c : scores.columns()) {
        names.push_back(c.name);
    }
    return names;
}

Result<void> collectQuality(ExperimentStore &store, const ChartRequest &request, ChartData &out)
{
    std::set<std::string> names;
    for (RunId run : request.runs) {
        auto summary = store.runHeader(run);
        if (!summary) {
            return summary.error();
        }
        auto scores = RunScores::load(store, run, request.stats.pageSize);
        if (!scores) {
            return scores.error();
        }
        for (const auto &column : scores->columns()) {
            names.insert(column.name);
            bool passRate = false;
            auto value = headline(column, request.stats, &passRate);
            if (!value) {
                return value.error();
            }
            if (*value) {
                out.quality.push_back(
                    QualityBar{run, summary->name, column.name, passRate, **value});
            }
        }
    }
    out.evaluators.assign(names.begin(), names.end());
    return {};
}

Result<void> collectHistograms(ExperimentStore &store, const ChartRequest &request, ChartData &out)
{
    for (RunId run : request.runs) {
        auto summary = store.runHeader(run);
        if (!summary) {
            return summary.error();
        }
        // One column through the store's narrow readers: a million lines in one pass each.
        auto column
            = request.kind == ChartKind::Latency
                  ? store.completedLineDurations(run, 2) // two halves on two connections
                  : store.callTimings(run, request.kind == ChartKind::Ttft ? CallTiming::TtftMs
                                                                           : CallTiming::TpotMs);
        if (!column) {
            return column.error();
        }
        std::vector<double> values(column->begin(), column->end());
        out.histograms.push_back(RunHistogram{
            run, summary->name, Histogram::of(values, request.bins, request.rangePercentile)});
    }
    return {};
}

Result<void> collectCosts(ExperimentStore &store, const ChartRequest &request, ChartData &out)
{
    for (RunId run : request.runs) {
        auto summary = store.runHeader(run);
        if (!summary) {
            return summary.error();
        }
        auto c = store.lineCostTotals(run);
        if (!c) {
            return c.error();
        }
        out.costs.push_back(RunCost{run, summary->name, c->totalUsd, c->linesWithCost,
                                    c->linesWithoutCost, costPer1k(*c)});
    }
    return {};
}

Result<void> collectQualityVsCost(ExperimentStore &store, const ChartRequest &request,
                                  ChartData &out)
{
    std::set<std::string> names;
    std::vector<RunScores> allScores;
    for (RunId run : request.runs) {
        auto scores = RunScores::load(store, run, request.stats.pageSize);
        if (!scores) {
            return scores.error();
        }
        for (const auto &c : scores->columns()) {
            names.insert(c.name);
        }
        allScores.push_back(std::move(*scores));
    }
    out.evaluators.assign(names.begin(), names.end());
    out.evaluator = request.evaluator;
    if (out.evaluator.empty() && !allScores.empty() && !allScores.front().columns().empty()) {
        out.evaluator = allScores.front().columns().front().name;
    }
    for (std::size_t i = 0; i < request.runs.size(); ++i) {
        const EvaluatorColumn *column = allScores[i].column(out.evaluator);
        if (!column) {
            continue;
        }
        bool passRate = false;
        auto quality = headline(*column, request.stats, &passRate);
        if (!quality) {
            return quality.error();
        }
        if (!*quality) {
            continue;
        }
        auto totals = store.lineCostTotals(request.runs[i]);
        if (!totals) {
            return totals.error();
        }
        const auto cost = costPer1k(*totals);
        if (!cost) {
            continue;
        }
        auto summary = store.runHeader(request.runs[i]);
        if (!summary) {
            return summary.error();
        }
        out.passRate = out.passRate || passRate;
        out.points.push_back(
            QualityCostPoint{request.runs[i], summary->name, *cost, passRate, **quality, false});
    }
    std::vector<double> costs;
    std::vector<double> qualities;
    for (const auto &p : out.points) {
        costs.push_back(p.costPer1kLinesUsd);
        qualities.push_back(p.quality.interval.estimate);
    }
    const std::vector<bool> front = ChartData::paretoFront(costs, qualities);
    for (std::size_t i = 0; i < out.points.size(); ++i) {
        out.points[i].onParetoFront = front[i];
    }
    return {};
}

Result<void> collectTrend(ExperimentStore &store, const ChartRequest &request, ChartData &out)
{
    auto first = store.runHeader(request.runs.front());
    if (!first) {
        return first.error();
    }
    out.trendFlow = first->flowName;
    out.trendMetric = request.trendMetric;
    auto all = store.runHeaders(); // newest first
    if (!all) {
        return all.error();
    }
    std::vector<RunSummary> runs;
    for (auto &r : *all) {
        // Evaluation runs score another run's lines: they are not a version of the flow.
        if (r.flowName == first->flowName && !r.baseRunId) {
            runs.push_back(std::move(r));
        }
    }
    std::stable_sort(runs.begin(), runs.end(), [](const RunSummary &a, const RunSummary &b) {
        return a.createdAtMs != b.createdAtMs ? a.createdAtMs > b.createdAtMs : a.id > b.id;
    });
    if (runs.size() > request.maxTrendRuns) {
        runs.resize(request.maxTrendRuns);
    }
    std::reverse(runs.begin(), runs.end()); // oldest first

    if (request.trendMetric == TrendMetric::Quality) {
        auto scores = RunScores::load(store, first->id, request.stats.pageSize);
        if (!scores) {
            return scores.error();
        }
        out.evaluators = evaluatorNames(*scores);
        out.evaluator = request.evaluator.empty() && !out.evaluators.empty()
                            ? out.evaluators.front()
                            : request.evaluator;
    }
    for (const RunSummary &run : runs) {
        TrendPoint point{run.id, run.name, run.createdAtMs, 0.0, std::nullopt, std::nullopt};
        if (request.trendMetric == TrendMetric::Quality) {
            auto scores = RunScores::load(store, run.id, request.stats.pageSize);
            if (!scores) {
                return scores.error();
            }
            const EvaluatorColumn *column = scores->column(out.evaluator);
            if (!column) {
                continue;
            }
            bool passRate = false;
            auto quality = headline(*column, request.stats, &passRate);
            if (!quality) {
                return quality.error();
            }
            if (!*quality) {
                continue;
            }
            out.passRate = out.passRate || passRate;
            point.value = (*quality)->interval.estimate;
            point.lower = (*quality)->interval.lower;
            point.upper = (*quality)->interval.upper;
        } else {
            if (request.trendMetric == TrendMetric::CostPer1kLines) {
                auto totals = store.lineCostTotals(run.id);
                if (!totals) {
                    return totals.error();
                }
                const auto cost = costPer1k(*totals);
                if (!cost) {
                    continue;
                }
                point.value = *cost;
            } else {
                auto durations = store.completedLineDurations(run.id, 2);
                if (!durations) {
                    return durations.error();
                }
                if (durations->empty()) {
                    continue;
                }
                const std::vector<double> values(durations->begin(), durations->end());
                point.value = DescriptiveStats::percentile(
                    values, request.trendMetric == TrendMetric::LatencyP50 ? 50 : 95);
            }
        }
        out.trend.push_back(std::move(point));
    }
    return {};
}

} // namespace

double Histogram::binWidth() const
{
    return counts.empty() ? 0.0 : (upper - lower) / double(counts.size());
}

std::int64_t Histogram::maxCount() const
{
    return counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
}

Histogram Histogram::of(std::vector<double> &values, int bins, double rangePercentile)
{
    assert(bins >= 1 && rangePercentile > 0.0 && rangePercentile <= 100.0);
    values.erase(
        std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
        values.end());
    Histogram h;
    h.counts.assign(std::size_t(bins), 0);
    if (values.empty()) {
        return h;
    }
    h.count = std::int64_t(values.size());
    h.mean = DescriptiveStats::mean(values);
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    h.min = *lo;
    h.max = *hi;
    std::size_t from = 0;
    h.p50 = selectPercentile(values, 50, &from);
    h.p95 = selectPercentile(values, 95, &from);
    h.p99 = selectPercentile(values, 99, &from);
    const double top = selectPercentile(values, rangePercentile, &from);
    h.lower = std::min(0.0, h.min);
    h.upper = top > h.lower ? top : h.lower + 1.0;
    const double scale = double(bins) / (h.upper - h.lower);
    for (double v : values) {
        if (v > h.upper) {
            ++h.above;
            continue;
        }
        const auto bin = std::min(std::size_t((v - h.lower) * scale), std::size_t(bins - 1));
        ++h.counts[bin];
    }
    return h;
}

std::vector<bool> ChartData::paretoFront(std::span<const double> costs,
                                         std::span<const double> qualities)
{
    assert(costs.size() == qualities.size());
    std::vector<bool> front(costs.size(), false);
    for (std::size_t i = 0; i < costs.size(); ++i) {
        if (std::isnan(costs[i]) || std::isnan(qualities[i])) {
            continue;
        }
        bool dominated = false;
        for (std::size_t j = 0; j < costs.size() && !dominated; ++j) {
            dominated = j != i && costs[j] <= costs[i] && qualities[j] >= qualities[i]
                        && (costs[j] < costs[i] || qualities[j] > qualities[i]);
        }
        front[i] = !dominated;
    }
    return front;
}

Result<ChartData> ChartData::compute(ExperimentStore &store, const ChartRequest &request)
{
    if (request.runs.empty()) {
        return fail(ErrorCode::InvalidArgument, "a chart needs at least one run");
    }
    if (request.bins < 1 || request.bins > 10000) {
        return fail(ErrorCode::InvalidArgument,
                    "a histogram needs 1 to 10000 bins, not " + std::to_string(request.bins));
    }
    if (!(request.rangePercentile > 0.0 && request.rangePercentile <= 100.0)) {
        return fail(ErrorCode::InvalidArgument,
                    "a histogram's range percentile must be in (0, 100]");
    }
    if (auto ok = Bootstrap::checkOptions(request.stats.bootstrap); !ok) {
        return ok.error();
    }
    ChartData data;
    data.kind = request.kind;
    Result<void> done;
    switch (request.kind) {
    case ChartKind::Quality:
        done = collectQuality(store, request, data);
        break;
    case ChartKind::Latency:
    case ChartKind::Ttft:
    case ChartKind::Tpot:
        done = collectHistograms(store, request, data);
        break;
    case ChartKind::Cost:
        done = collectCosts(store, request, data);
        break;
    case ChartKind::QualityVsCost:
        done = collectQualityVsCost(store, request, data);
        break;
    case ChartKind::Trend:
        done = collectTrend(store, request, data);
        break;
    }
    if (!done) {
        return done.error();
    }
    return data;
}

} // namespace fb
