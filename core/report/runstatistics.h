#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/eval/bootstrap.h>
#include <core/store/storeids.h>
#include <core/store/storetypes.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;
class RunScores;
struct LineFigures;

/// How statistics and comparisons are computed.
struct StatsOptions
{
    BootstrapOptions bootstrap;    ///< resamples, confidence and seed of every bootstrap
    std::int64_t pageSize = 10000; ///< lines per store query (the store pages with OFFSET)
    /// Above this many values a mean's interval uses the normal approximation (mean ± z·se)
    /// instead of the bootstrap, which costs resamples × n draws; at that size the two agree
    /// to a few parts in a thousand. The interval says which method it used.
    std::size_t maxBootstrapSize = 10000;
    std::size_t maxFailureReasons = 50; ///< distinct failure messages kept (the rest counted)
};

/// A mean with its two-sided interval and how it was obtained.
struct MeanInterval
{
    std::size_t n = 0;
    ConfidenceInterval interval; ///< estimate = the mean
    std::string method;          ///< "bootstrap" or "normal"
};

/// Order statistics of a list of values; all zero when count is 0.
struct Distribution
{
    std::size_t count = 0;
    double mean = 0.0;
    double min = 0.0;
    double p25 = 0.0;
    double p50 = 0.0;
    double p75 = 0.0;
    double p90 = 0.0;
    double p95 = 0.0;
    double p99 = 0.0;
    double max = 0.0;

    /// Percentiles with numpy's "linear" method (DescriptiveStats); sorts `values`. NaNs are
    /// dropped.
    [[nodiscard]] static Distribution of(std::vector<double> values);
    [[nodiscard]] Value toJson() const;
};

/// One evaluator's results over a run.
struct EvaluatorStatistics
{
    std::string name;
    std::string source;                    ///< empty: built in; else the evaluation run
    std::optional<MeanInterval> meanScore; ///< over lines with a score
    std::optional<MeanInterval> passRate;  ///< over lines with a verdict
    [[nodiscard]] Value toJson() const;
};

/// One distinct failure message of a run.
struct FailureReason
{
    std::string message; ///< the line's error (first 300 characters)
    std::int64_t count = 0;
    std::vector<std::int64_t> exampleLines; ///< up to 5 line indexes
};

/// Statistics of one run: line counts, quality per evaluator with 95 % intervals, latency /
/// TTFT / TPOT / queue-wait distributions, throughput, tokens, cost, retries and cache hits.
///
/// compute() reads the run's lines page by page and keeps numbers only (a million-line run
/// costs a few vectors of doubles), plus the run's LLM calls and scores through the store's
/// bulk reads. Results are deterministic: every bootstrap uses options.bootstrap.seed.
struct RunStatistics
{
    RunSummary run;
    std::vector<std::string> evaluationRuns; ///< evaluation runs whose outputs are folded in

    std::int64_t linesTotal = 0;  ///< the run's dataset size (RunSummary::totalLines)
    std::int64_t linesStored = 0; ///< lines in the store
    std::int64_t linesCompleted = 0;
    std::int64_t linesFailed = 0;
    std::int64_t linesOther = 0; ///< e.g. Cancelled

    std::vector<EvaluatorStatistics> evaluators; ///< by name
    std::map<std::string, double> metrics;       ///< the run's metrics, then its evaluation runs'

    Distribution lineLatencyMs; ///< durations of completed lines
    Distribution queueMs;       ///< queue wait of every line that records it
    Distribution callLatencyMs; ///< LLM request latency
    Distribution ttftMs;
    Distribution tpotMs;

    /// Seconds from the first line's start to the last line's end (from line timestamps;
    /// the run's own timestamps when lines have none). Includes pauses of a resumed run.
    std::optional<double> wallSeconds;
    std::optional<double> linesPerSecond;
    std::optional<double> callsPerSecond;

    std::int64_t llmCalls = 0;
    std::int64_t promptTokens = 0; ///< over all stored lines
    std::int64_t completionTokens = 0;
    double promptTokensPerLine = 0.0; ///< per stored line
    double completionTokensPerLine = 0.0;

    double costUsd = 0.0; ///< sum over lines with a known cost
    std::int64_t linesWithCost = 0;
    std::int64_t linesWithoutCost = 0;    ///< stored lines whose price was unknown
    std::optional<double> costPerLineUsd; ///< costUsd / linesWithCost

    std::int64_t retriedCalls = 0;     ///< calls with attempts > 1
    std::int64_t extraAttempts = 0;    ///< sum of (attempts - 1)
    std::int64_t rateLimitedCalls = 0; ///< calls that ended with HTTP 429
    std::int64_t cacheHits = 0;

    std::vector<FailureReason> failures; ///< most frequent first
    std::int64_t otherFailures = 0;      ///< failed lines beyond maxFailureReasons messages

    /// Whether the run was made against flowbench-sim (its parameters say "simulator": true).
    [[nodiscard]] bool isSimulated() const;
    /// The evaluator called `name`, or nullptr.
    [[nodiscard]] const EvaluatorStatistics *evaluator(const std::string &name) const;

    /// Fails with the store's error (NotFound for an unknown run) or InvalidArgument for bad
    /// bootstrap options.
    [[nodiscard]] static Result<RunStatistics> compute(ExperimentStore &store, RunId run,
                                                       const StatsOptions &options = {});
    /// Same, with the run's scores already loaded (RunScores::load); also fills `figures`
    /// (when given) from the same pass over the lines, for comparisons.
    [[nodiscard]] static Result<RunStatistics> compute(ExperimentStore &store, RunId run,
                                                       const RunScores &scores,
                                                       const StatsOptions &options,
                                                       LineFigures *figures = nullptr);
    /// The mean of `values` with its interval (bootstrap up to options.maxBootstrapSize, else
    /// normal); nullopt for no values.
    [[nodiscard]] static Result<std::optional<MeanInterval>>
    meanInterval(const std::vector<double> &values, const StatsOptions &options);

    [[nodiscard]] Value toJson() const;
};

} // namespace fb
