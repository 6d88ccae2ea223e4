#pragma once

#include <core/common/result.h>
#include <core/data/datarow.h>
#include <core/exec/columnmapping.h>
#include <core/exec/flowexecutor.h>
#include <core/store/storeids.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace fb {

class StoreWriter;

struct BatchOptions
{
    int concurrency = 16;               ///< lines in flight at once
    OnBadRow onBadRow = OnBadRow::Stop; ///< malformed dataset rows: stop, or skip and report
    LineOptions line;                   ///< per-line options (python timeout, streaming)
    double requestsPerMinute = 0;       ///< LLM requests per minute over all lines; 0 = no limit
    double tokensPerMinute = 0;         ///< LLM tokens per minute over all lines; 0 = no limit
    std::chrono::milliseconds progressInterval{50}; ///< throttle for progress reports (~20 Hz)
};

/// Counters of a batch in progress (a snapshot).
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
    double elapsedS = 0;
};

struct BatchResult
{
    BatchProgress progress;
    bool cancelled = false;
    std::vector<std::string> skippedRows; ///< bad rows skipped (file:line: reason)
};

/// Runs every line of a dataset through a prepared flow at a bounded concurrency, writing each
/// finished line (with its node results and LLM calls) to the store through a StoreWriter.
/// Lines whose index is in `alreadyDone` are skipped, so resuming after cancel or a kill re-runs
/// only missing or failed lines and never duplicates one. Memory is bounded: rows are read one at
/// a time and at most `concurrency` lines are in flight.
///
/// With RPM/TPM limits, each line reserves its LLM calls in a RateLimiter before it starts (the
/// tokens are estimated from the lines so far, then corrected by the actual usage), and a line
/// whose calls needed retries (429s) slows the rate down; the wait counts as queue time.
///
/// Thread-safety: run() blocks the calling thread; `progress` is called on core threads, never
/// concurrently. Cancel by setting `cancel`: lines in flight are cancelled and not stored, so a
/// resume runs them again. Failure: dataset and mapping errors end the batch with an Error that
/// names the file and line.
class BatchRunner
{
public:
    BatchRunner(FlowExecutor &executor, StoreWriter &writer);

    [[nodiscard]] Result<BatchResult>
    run(RunId run, const std::shared_ptr<const PreparedFlow> &flow,
        const std::filesystem::path &data, const ColumnMapping &mapping,
        const std::vector<std::int64_t> &alreadyDone, const BatchOptions &options,
        const std::function<void(const BatchProgress &)> &progress = {},
        const std::atomic<bool> *cancel = nullptr);

private:
    FlowExecutor &m_executor;
    StoreWriter &m_writer;
};

} // namespace fb
