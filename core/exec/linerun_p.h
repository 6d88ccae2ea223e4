#pragma once

#include <core/exec/flowexecutor.h>
#include <core/exec/linetypes.h>
#include <core/exec/preparedflow.h>
#include <core/exec/threadpool.h>
#include <core/common/timerqueue.h>
#include <core/llm/callgate.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace fb {

class ConnectionStore;
class LineObserver;
class LlmCall;
struct Connection;
struct LlmRequest;
class LlmClient;
class PythonRunner;

/// What every line of an executor shares.
struct ExecServices
{
    LlmClient &llm;
    PythonRunner &python;
    const ConnectionStore &connections;
    ThreadPool pool;
    TimerQueue timers; // line timeouts

    ExecServices(LlmClient &l, PythonRunner &p, const ConnectionStore &c, int threads)
        : llm(l)
        , python(p)
        , connections(c)
        , pool(threads)
    {
    }
};

/// One line in flight: an event-driven walk of the DAG. A node starts when every node it
/// depends on has finished; completions arrive on the LLM I/O thread or a pool thread and
/// start the nodes they unblock. The last completion builds the LineResult and calls onDone.
class LineRun final : public LineHandle, public std::enable_shared_from_this<LineRun>
{
public:
    LineRun(ExecServices &services, std::shared_ptr<const PreparedFlow> flow, Value inputs,
            LineOptions options, LineObserver *observer, std::function<void(LineResult)> onDone);

    void start();
    void cancel() override;
    void timeOut() override;

private:
    struct NodeState
    {
        RunStatus status = RunStatus::NotStarted;
        int pending = 0;
        NodeTrace trace;
        std::shared_ptr<LlmCall> call;
        std::shared_ptr<CallGate::Waiter> waiter; // waiting for a rate-limit admission
    };

    void launch(int index);
    void runLlm(int index, Value inputs);
    void startCall(int index, const Connection &connection, LlmRequest request,
                   std::string cacheKey, std::int64_t estimate);
    void complete(int index, RunStatus status, Value output, std::string error);
    void finish();
    [[nodiscard]] double nowMs() const;
    [[nodiscard]] bool shouldBypass(int index, Value &whenValue) const;
    /// The value a binding refers to (a literal, a flow input or a node output, never
    /// copied), or the error naming what is missing.
    [[nodiscard]] Result<const Value *> resolveBinding(const PreparedBinding &b,
                                                       bool &bypassed) const;

    ExecServices &m_services; // owned by the FlowExecutor, which outlives every line's work
    std::shared_ptr<const PreparedFlow> m_flow;
    LineOptions m_options;
    LineObserver *m_observer;
    std::function<void(LineResult)> m_onDone;
    std::chrono::steady_clock::time_point m_start;

    std::mutex m_mutex;
    Value m_inputs;                 // immutable after start(); finish() moves it out
    std::vector<NodeState> m_nodes; // guarded by m_mutex (status/pending/trace/call)
    int m_inFlight = 0;             // guarded by m_mutex
    bool m_finished = false;        // guarded by m_mutex
    std::string m_error;            // guarded by m_mutex
    std::atomic<bool> m_failed{false};
    std::atomic<bool> m_cancelled{false};
    std::atomic<bool> m_timedOut{false};
    TimerQueue::Id m_timer = 0; // set in start(), before any completion can read it
    std::mutex m_observerMutex; // serialises observer calls
};

} // namespace fb
