#pragma once

#include <core/common/result.h>
#include <core/report/runstatistics.h>
#include <core/store/storeids.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;

/// What a chart of Evaluate mode shows.
enum class ChartKind {
    Quality,       ///< per run and evaluator: mean (or pass rate) with its 95 % interval
    Latency,       ///< histogram of line durations, p50/p95/p99 marked
    Ttft,          ///< histogram of the LLM calls' time to first token
    Tpot,          ///< histogram of the LLM calls' time per output token
    Cost,          ///< per run: total cost and cost per 1,000 lines
    QualityVsCost, ///< per run: one evaluator's quality against cost per 1,000 lines, Pareto front
    Trend,         ///< one metric over the runs of a flow, oldest first
};

/// The metric a trend follows.
enum class TrendMetric {
    Quality,        ///< an evaluator's headline figure (pass rate, else mean score)
    LatencyP50,     ///< median line duration, ms
    LatencyP95,     ///< 95th percentile of the line durations, ms
    CostPer1kLines, ///< USD per 1,000 priced lines
};

/// What to compute.
struct ChartRequest
{
    ChartKind kind = ChartKind::Quality;
    std::vector<RunId> runs; ///< in the order to draw; Trend uses the flow of the first
    /// Quality vs cost and a Quality trend: the evaluator; empty picks the first one (by name)
    /// that the first run has.
    std::string evaluator;
    TrendMetric trendMetric = TrendMetric::Quality;
    int bins = 40;                  ///< histogram bins, >= 1
    double rangePercentile = 99.5;  ///< histograms span 0 .. this percentile, in (0, 100]
    std::size_t maxTrendRuns = 100; ///< a trend shows at most the newest this many runs
    StatsOptions stats;             ///< intervals as the reports compute them
};

/// Equal-width bins over [lower, upper] with the order statistics of all the values.
struct Histogram
{
    double lower = 0.0; ///< 0, or the minimum when a value is negative
    double upper = 0.0; ///< the request's rangePercentile (lower + 1 when all values are equal)
    std::vector<std::int64_t> counts; ///< bin i covers [lower + i·w, lower + (i+1)·w); the last
                                      ///< one includes upper
    std::int64_t count = 0;           ///< values, NaNs dropped
    std::int64_t above = 0;           ///< values > upper, in no bin
    double min = 0.0;
    double max = 0.0;
    double mean = 0.0;
    double p50 = 0.0; ///< numpy's "linear" percentiles, as DescriptiveStats computes them
    double p95 = 0.0;
    double p99 = 0.0;

    [[nodiscard]] double binWidth() const;
    /// The largest bin count (0 with no bins).
    [[nodiscard]] std::int64_t maxCount() const;

    /// Bins `values` (reordered in place: a selection finds the percentiles in linear time,
    /// where a sort of a million values would take most of a chart's time budget). NaNs are
    /// dropped; no values give an empty histogram with count 0. bins >= 1; rangePercentile in
    /// (0, 100].
    [[nodiscard]] static Histogram of(std::vector<double> &values, int bins,
                                      double rangePercentile);
};

/// One run's histogram of one distribution.
struct RunHistogram
{
    RunId run;
    std::string label; ///< the run's name
    Histogram histogram;
};

/// One evaluator's headline figure in one run.
struct QualityBar
{
    RunId run;
    std::string label;
    std::string evaluator;
    bool passRate = false; ///< true: a pass rate in [0, 1]; false: a mean score
    MeanInterval value;    ///< estimate with the 95 % (StatsOptions) interval
};

/// One run's cost.
struct RunCost
{
    RunId run;
    std::string label;
    double totalUsd = 0.0; ///< over lines with a known price
    std::int64_t linesWithCost = 0;
    std::int64_t linesWithoutCost = 0;
    std::optional<double> per1kLinesUsd; ///< 1000 · totalUsd / linesWithCost
};

/// One run on the quality-vs-cost plane.
struct QualityCostPoint
{
    RunId run;
    std::string label;
    double costPer1kLinesUsd = 0.0;
    bool passRate = false;
    MeanInterval quality;
    bool onParetoFront = false; ///< no other run has higher-or-equal quality at lower-or-equal
                                ///< cost with one of the two strictly better
};

/// One run of a trend.
struct TrendPoint
{
    RunId run;
    std::string label;
    std::int64_t createdAtMs = 0;
    double value = 0.0;
    std::optional<double> lower; ///< the interval of a quality trend
    std::optional<double> upper;
};

/// What one chart draws, aggregated: a handful of numbers per run however many lines the runs
/// have. Which vectors are filled depends on `kind`.
///
/// compute() reads only the columns the chart needs through the store's narrow readers
/// (completedLineDurations(), lineCostTotals(), callTimings(), runHeader(): no line counts),
/// and RunScores for quality — the same scores and intervals the HTML report shows. Not
/// thread-safe: it uses the caller's store, so call it on the thread that owns the store (a
/// StoreReader job). Fails with the store's error (NotFound for an unknown run) or InvalidArgument
/// for a bad request.
struct ChartData
{
    ChartKind kind = ChartKind::Quality;
    std::vector<std::string> evaluators; ///< Quality, QualityVsCost, Trend: all, by name
    std::string evaluator;               ///< QualityVsCost and Quality trend: the one shown
    bool passRate = false;               ///< QualityVsCost and Quality trend: figures are rates

    std::vector<QualityBar> quality;      ///< run-major, evaluators by name
    std::vector<RunHistogram> histograms; ///< Latency, Ttft, Tpot: one per run
    std::vector<RunCost> costs;           ///< Cost: one per run
    std::vector<QualityCostPoint> points; ///< QualityVsCost: runs with a price and a figure
    std::vector<TrendPoint> trend;        ///< Trend: oldest first
    std::string trendFlow;                ///< Trend: the flow's name
    TrendMetric trendMetric = TrendMetric::Quality; ///< Trend: the metric followed

    [[nodiscard]] static Result<ChartData> compute(ExperimentStore &store,
                                                   const ChartRequest &request);

    /// Pareto membership of (cost, quality) points where lower cost and higher quality are
    /// better: true for each point no other point dominates. Equal points dominate neither
    /// each other, so ties are all on the front. NaN coordinates are never on it.
    [[nodiscard]] static std::vector<bool> paretoFront(std::span<const double> costs,
                                                       std::span<const double> qualities);
};

} // namespace fb
