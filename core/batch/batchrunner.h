#pragma once

#include <core/common/result.h>
#include <core/data/datarow.h>
#include <core/eval/evaluator.h>
#include <core/exec/columnmapping.h>
#include <core/exec/flowexecutor.h>
#include <core/store/storeids.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fb {

class StoreWriter;
struct LlmUsage;

/// A built-in evaluator run on every completed line of every job, as part of the line (it
/// holds the line's concurrency slot; model-backed evaluators share the run's rate limits).
struct BatchEvaluator
{
    std::string name;                          ///< stored score name, unique in the batch
    std::shared_ptr<const Evaluator> evaluator;
    std::string output;          ///< flow output scored; "" = the flow's only/first output
    std::string referenceColumn; ///< dataset column with the expected answer; "" = none
    std::string questionColumn;  ///< dataset column for judges' `question`; "" = none
    std::string contextColumn;   ///< dataset column for groundedness' `context`; "" = none
};

struct BatchOptions
{
    int concurrency = 16;               ///< lines in flight at once, over all jobs
    OnBadRow onBadRow = OnBadRow::Stop; ///< malformed dataset rows: stop, or skip and report
    /// Per-line options (streaming, python timeout, line timeout, response cache). The gate
    /// is set by the runner when limits are given.
    LineOptions line;
    double requestsPerMinute = 0; ///< per connection; 0 = no limit
    double tokensPerMinute = 0;   ///< per connection; 0 = no limit
    std::vector<BatchEvaluator> evaluators;
    /// Model-backed evaluators' client and connections (the runner adds its gate).
    EvalServices evalServices;
    /// Price of one call in USD from its model and usage; nullopt = unknown (the line's cost
    /// is then unknown). Empty = no costs.
    std::function<std::optional<double>(const std::string &model, const LlmUsage &usage)> price;
    /// Stop starting lines once the cost so far reaches this (USD); 0 = no cap.
    double budgetUsd = 0;
    /// Evaluation runs: the base run whose lines feed `${run.outputs.x}`/`${run.inputs.x}`,
    /// read (in pages, aligned by line index) from the store at `baseStorePath`. Rows whose
    /// base line is missing or did not complete are dropped when the mapping needs it.
    std::optional<RunId> baseRun;
    std::string baseStorePath;
    std::chrono::milliseconds progressInterval{50}; ///< throttle for progress reports (~20 Hz)
};

/// One run of an experiment: a flow with its variant selection, writing into its own run.
struct BatchJob
{
    RunId run;
    std::shared_ptr<const PreparedFlow> flow;
    std::vector<std::int64_t> alreadyDone; ///< line indexes stored as Completed (resume)
};

/// Counters of a batch in progress (a snapshot), summed over jobs.
struct BatchProgress
{
    std::int64_t submitted = 0; ///< lines started in this invocation
    std::int64_t completed = 0;
    std::int64_t failed = 0;
    std::int64_t resumed = 0; ///< lines skipped because the run already has them
    std::int64_t dropped = 0; ///< lines dropped by the column mapping (no base-run line)
    std::int64_t inFlight = 0;
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    std::int64_t llmCalls = 0;
    std::int64_t cacheHits = 0;
    double costUsd = 0; ///< priced calls only
    double elapsedS = 0;
};

struct BatchResult
{
    BatchProgress progress;
    bool cancelled = false;
    bool budgetReached = false;           ///< stopped early by BatchOptions::budgetUsd
    std::vector<std::string> skippedRows; ///< bad rows skipped (file:line: reason)
    double gateWaitMs = 0;                ///< total time calls waited for rate limits
};

/// Runs every line of a dataset through one or more prepared flows (an experiment's variant
/// selections) in ONE scheduler: rows are read once, each row starts a line per job, at most
/// `concurrency` lines are in flight over all jobs, and model calls pass one RateGate (RPM/TPM
/// per connection, shared by the jobs). Each finished line — with its node results, LLM calls
/// and evaluator scores — goes to the store through a StoreWriter. Lines whose index is in a
/// job's `alreadyDone` are skipped, so resuming after cancel or a kill re-runs only missing or
/// failed lines and never duplicates one. Memory is bounded: at most 2 × concurrency lines are
/// read ahead of the ones running. The calling thread reads the rows; a line that ends starts
/// the next one on the thread it ended on (usually the LLM client's I/O thread), so lines do not
/// wait for a thread hand-off.
///
/// Thread-safety: run() blocks the calling thread; `progress` is called on core threads, never
/// concurrently. Cancel by setting `cancel`: lines in flight are cancelled and not stored, so a
/// resume runs them again. A line the store cannot write (a full disk) stops the batch at once
/// the same way: no line starts after it, the lines in flight are cancelled, and run() fails
/// with an Io error that says so. Failure: dataset and mapping errors end the batch with an
/// Error that names the file and line.
class BatchRunner
{
public:
    BatchRunner(FlowExecutor &executor, StoreWriter &writer);

    [[nodiscard]] Result<BatchResult>
    run(const std::vector<BatchJob> &jobs, const std::filesystem::path &data,
        const ColumnMapping &mapping, const BatchOptions &options,
        const std::function<void(const BatchProgress &)> &progress = {},
        const std::atomic<bool> *cancel = nullptr);

private:
    FlowExecutor &m_executor;
    StoreWriter &m_writer;
};

} // namespace fb
