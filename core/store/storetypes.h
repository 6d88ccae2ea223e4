#pragma once

#include <core/common/value.h>
#include <core/store/storeids.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Lifecycle of a run as stored in `runs.status` (promptflow's names).
enum class RunState { NotStarted, Running, Completed, Failed, Cancelled };

[[nodiscard]] const char *runStateName(RunState state); ///< "NotStarted", "Running", ...
/// The state for a stored name; NotStarted for anything unknown.
[[nodiscard]] RunState runStateFromName(std::string_view name);

/// Line and node statuses are stored as promptflow's names; these two are counted per run.
inline constexpr std::string_view kLineCompleted = "Completed";
inline constexpr std::string_view kLineFailed = "Failed";

/// A line's stored status as one byte, for sorting and filtering many lines (RunLineKeys).
enum class LineStatus : std::uint8_t { Completed, Failed, Cancelled, Other };

/// The code for a stored status name; Other for anything but the three named ones.
[[nodiscard]] LineStatus lineStatusFromName(std::string_view name);

/// What a run is: flow version × variants × dataset version × mapping × parameters.
struct RunSpec
{
    std::string name; ///< unique in the store
    std::optional<ExperimentId> experimentId;
    FlowVersionId flowId;
    std::optional<DatasetVersionId> datasetId;
    Value variants = Value::object(); ///< e.g. {"summarize":"variant_1"}
    Value columnMapping
        = Value::object(); ///< input name → "${data.x}" / "${run.outputs.y}" / literal
    Value parameters = Value::object(); ///< connection overrides, concurrency, ...
    std::optional<RunId> baseRunId;     ///< evaluation runs: the run they evaluate
    std::int64_t totalLines = 0;
};

/// A stored run with its line counts (a snapshot).
struct RunSummary
{
    RunId id;
    std::string name;
    std::optional<ExperimentId> experimentId;
    FlowVersionId flowId;
    std::string flowName;
    std::optional<DatasetVersionId> datasetId;
    Value variants = Value::object();
    Value columnMapping = Value::object();
    Value parameters = Value::object();
    std::optional<RunId> baseRunId;
    RunState status = RunState::NotStarted;
    std::int64_t createdAtMs = 0;             ///< ms since the Unix epoch
    std::optional<std::int64_t> startedAtMs;  ///< first time the run became Running
    std::optional<std::int64_t> finishedAtMs; ///< last time it became Completed/Failed/Cancelled
    std::int64_t totalLines = 0;
    std::int64_t completedLines = 0; ///< lines stored with status "Completed"
    std::int64_t failedLines = 0;    ///< lines stored with status "Failed"
};

/// One node of one line (`node_results`).
struct NodeResultRecord
{
    std::string node;
    std::string variantId;
    std::string status; ///< promptflow's names: "Completed", "Failed", "Bypassed", ...
    Value output;
    std::string error;
    std::optional<double> durationMs;
};

/// One request to a model (`llm_calls`): the trace figures of an llm node.
struct LlmCallRecord
{
    std::int64_t lineIndex = 0; ///< filled on read; the owning LineRecord's index on write
    std::string node;
    std::string model;
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    std::int64_t cachedTokens = 0;
    std::optional<double> ttftMs;
    std::optional<double> tpotMs;
    std::optional<double> latencyMs;
    int attempts = 1;
    int httpStatus = 0;
    bool cacheHit = false;
};

/// One evaluator's verdict on one line (`scores`): built-in evaluators run with the line.
struct ScoreRecord
{
    std::int64_t lineIndex = 0; ///< filled on read; the owning LineRecord's index on write
    std::string evaluator;      ///< the evaluator's name in the run, e.g. "exact_match"
    std::optional<double> score;
    std::optional<bool> passed;
    std::string detail;
};

/// One line of a run with its node results and LLM calls: the unit StoreWriter writes
/// atomically (a line is stored with all its children or not at all).
struct LineRecord
{
    RunId runId;
    std::int64_t lineIndex = 0;
    std::string status; ///< "Completed", "Failed", "Cancelled"
    Value inputs = Value::object();
    Value outputs = Value::object();
    std::string error;
    std::optional<std::int64_t> startedAtMs;
    std::optional<double> durationMs;
    std::optional<double> queueMs; ///< time waiting for a slot or a rate limit
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    std::optional<double> costUsd;
    std::vector<NodeResultRecord> nodes;
    std::vector<LlmCallRecord> llmCalls;
    std::vector<ScoreRecord> scores;
};

/// The sortable figures of every stored line of a run, as a struct of arrays: entry i of each
/// array belongs to the same line, and lines are in line index order. This is what a results
/// table sorts and filters in memory: 21 bytes a line (a million lines: 21 MB). Figures are
/// floats (7 significant digits: enough to order and show them); missing ones are NaN.
struct RunLineKeys
{
    std::vector<std::int64_t> lineIndex; ///< ascending
    std::vector<LineStatus> status;
    std::vector<float> latencyMs;     ///< `lines.duration_ms`
    std::vector<std::int32_t> tokens; ///< prompt + completion tokens
    std::vector<float> costUsd;

    [[nodiscard]] std::size_t size() const { return lineIndex.size(); }
};

/// Every evaluator score of a run aligned to the lines of a RunLineKeys: `scores[e][i]` is the
/// score of evaluator `evaluators[e]` on line `lineIndex[i]`, NaN when that line has none.
/// 4 bytes a line per evaluator.
struct RunScoreKeys
{
    std::vector<std::string> evaluators;    ///< in name order
    std::vector<std::vector<float>> scores; ///< one array per evaluator, each as long as the keys
};

/// What a run's lines cost, summed by the store (ExperimentStore::lineCostTotals).
struct LineCostTotals
{
    double totalUsd = 0.0;            ///< over lines with a price
    std::int64_t linesWithCost = 0;   ///< stored lines with a price
    std::int64_t linesWithoutCost = 0; ///< stored lines whose price was unknown
};

/// One timing of an LLM call (`llm_calls`), for ExperimentStore::callTimings.
enum class CallTiming { LatencyMs, TtftMs, TpotMs };

/// What a human rating says. Kinds are kept apart: agreement and summaries count pass/fail
/// verdicts and star ratings separately, and a comment alone is not a label.
enum class RatingKind {
    Score,    ///< a bare score of no stated kind (stores before schema v4, `agreement` on them)
    PassFail, ///< score 1 = pass, 0 = fail
    Stars,    ///< score 1–5
    Comment,  ///< a comment without a score
};

/// A human rating of one line (`ratings`).
struct Rating
{
    std::int64_t id = 0; ///< assigned by the store
    RunId runId;
    std::int64_t lineIndex = 0;
    std::string rater;
    RatingKind kind = RatingKind::Score;
    std::optional<double> score;
    std::string comment;
    std::int64_t createdAtMs = 0; ///< assigned by the store when 0

    /// "score", "pass_fail", "stars", "comment" (the `kind` column; Score is stored as '').
    [[nodiscard]] static const char *kindName(RatingKind kind);
    /// The inverse of kindName; '' is Score; nullopt for anything else.
    [[nodiscard]] static std::optional<RatingKind> kindFromName(std::string_view name);
};

/// A rater's blind A/B choice between the outputs of two runs on one line (`preferences`).
/// The pair is kept ordered (runA < runB) whatever order the outputs were shown in.
struct Preference
{
    std::int64_t id = 0; ///< assigned by the store
    RunId runA;
    RunId runB;
    std::int64_t lineIndex = 0;
    std::string rater;
    std::optional<RunId> preferred; ///< runA or runB; nullopt for a tie
    RunId leftRun;                  ///< the run whose output was shown on the left
    std::string comment;
    std::int64_t createdAtMs = 0; ///< assigned by the store when 0
};

} // namespace fb
