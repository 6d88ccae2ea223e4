#pragma once

#include <core/common/result.h>
#include <core/exec/linetypes.h>
#include <core/exec/preparedflow.h>

#include <chrono>
#include <functional>
#include <memory>

namespace fb {

class CallGate;
class ConnectionStore;
class LineObserver;
class ResponseCache;
class LlmClient;
class PythonRunner;

struct LineOptions
{
    bool stream = false; ///< stream llm output (observer gets deltas)
    std::chrono::milliseconds pythonTimeout{600000};
    /// The whole line's time limit; 0 = none. A line that runs out fails ("timed out") and
    /// its model calls are cancelled.
    std::chrono::milliseconds timeout{0};
    /// Rate limits: every model call is admitted by the gate first (null = no limits). The
    /// wait is recorded in NodeTrace::gateWaitMs, not in the call's latency.
    CallGate *gate = nullptr;
    /// Response cache for llm nodes with `enable_cache: true` (or all llm nodes with
    /// `cacheAllLlmNodes`); null = no cache.
    ResponseCache *cache = nullptr;
    bool cacheAllLlmNodes = false;
    /// Keep each node's resolved inputs, rendered prompt and chat messages in its NodeTrace.
    /// Batch runs, which store none of them, turn it off to save the copies.
    bool recordDetail = true;
};

/// A line in flight; cancel() is thread-safe and idempotent.
class LineHandle
{
public:
    virtual ~LineHandle() = default;
    virtual void cancel() = 0;
    /// Fails the line as timed out (as the line timeout does); thread-safe, idempotent.
    virtual void timeOut() = 0;
};

/// Runs prepared flows: one line at a time or many at once, each line's independent nodes
/// concurrently. llm nodes go through the LlmClient (async, its I/O thread), python nodes
/// through the PythonRunner on a small pool of threads, prompt nodes render inline. Applies
/// activate/bypass semantics as promptflow does: a node with `activate` is bypassed when its
/// condition does not hold or the node its `when` names was bypassed; a node without one is
/// bypassed when all the nodes it depends on were bypassed. Inputs fed by a bypassed node are
/// left out (python parameters fall back to their defaults, templates see them undefined);
/// flow outputs fed by one are null.
///
/// Thread-safety: all methods may be called from any thread; the services passed in must
/// outlive the executor. The destructor waits for lines still in flight.
class FlowExecutor
{
public:
    FlowExecutor(LlmClient &llm, PythonRunner &python, const ConnectionStore &connections,
                 int blockingThreads = 4);
    ~FlowExecutor();
    FlowExecutor(const FlowExecutor &) = delete;
    FlowExecutor &operator=(const FlowExecutor &) = delete;

    /// Starts one line; `onDone` is called exactly once, on a core thread. `observer` may be
    /// null; it must stay valid until onDone.
    std::shared_ptr<LineHandle> startLine(std::shared_ptr<const PreparedFlow> flow, Value inputs,
                                          const LineOptions &options, LineObserver *observer,
                                          std::function<void(LineResult)> onDone);

    /// Blocking convenience over startLine().
    [[nodiscard]] LineResult runLine(std::shared_ptr<const PreparedFlow> flow, const Value &inputs,
                                     const LineOptions &options = {},
                                     LineObserver *observer = nullptr);

    /// Runs the aggregation nodes over finished lines (only Completed lines contribute);
    /// blocking. Inputs referencing per-line data receive lists over those lines.
    [[nodiscard]] AggregationResult runAggregation(const std::shared_ptr<const PreparedFlow> &flow,
                                                   const std::vector<LineResult> &lines,
                                                   const LineOptions &options = {});

private:
    class Private;
    std::shared_ptr<Private> d;
};

} // namespace fb
