#include <core/exec/linerun_p.h>

#include <core/exec/lineobserver.h>
#include <core/exec/nodeinvoker_p.h>
#include <core/exec/pythonrunner.h>
#include <core/exec/responsecache.h>
#include <core/exec/valuepath_p.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>

#include <new>

namespace fb {

LineRun::LineRun(ExecServices &services, std::shared_ptr<const PreparedFlow> flow, Value inputs,
                 LineOptions options, LineObserver *observer,
                 std::function<void(LineResult)> onDone)
    : m_services(services)
    , m_flow(std::move(flow))
    , m_options(options)
    , m_observer(observer)
    , m_onDone(std::move(onDone))
    , m_inputs(std::move(inputs))
{
    const auto &nodes = m_flow->nodes();
    m_nodes.resize(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        m_nodes[i].trace.node = nodes[i].node.name;
        m_nodes[i].trace.type = nodes[i].node.type;
        m_nodes[i].trace.variantId = nodes[i].variantId;
    }
}

double LineRun::nowMs() const
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start)
        .count();
}

void LineRun::start()
{
    m_start = std::chrono::steady_clock::now();
    if (m_options.timeout.count() > 0) {
        std::weak_ptr<LineRun> weak = weak_from_this();
        m_timer = m_services.timers.schedule(m_start + m_options.timeout, [weak] {
            if (auto self = weak.lock()) {
                self->timeOut();
            }
        });
    }
    const auto &nodes = m_flow->nodes();
    std::vector<int> ready;
    bool nothingToRun = false;
    {
        std::lock_guard lock(m_mutex);
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (nodes[i].node.aggregation) {
                continue;
            }
            for (int dep : nodes[i].dependencies) {
                if (nodes[std::size_t(dep)].node.aggregation && !m_failed) {
                    m_failed = true;
                    m_error = "node '" + nodes[i].node.name
                              + "' uses the output of aggregation node '"
                              + nodes[std::size_t(dep)].node.name
                              + "', which only runs after all lines";
                }
            }
            m_nodes[i].pending = int(nodes[i].dependencies.size());
            if (m_nodes[i].pending == 0 && !m_failed) {
                m_nodes[i].status = RunStatus::Running;
                ready.push_back(int(i));
            }
        }
        if (m_failed) {
            ready.clear();
            for (auto &n : m_nodes) {
                n.status = RunStatus::NotStarted;
            }
        }
        m_inFlight = int(ready.size());
        nothingToRun = ready.empty();
        m_finished = nothingToRun;
    }
    for (int i : ready) {
        launch(i);
    }
    if (nothingToRun) {
        finish();
    }
}

void LineRun::cancel()
{
    if (m_cancelled.exchange(true)) {
        return;
    }
    std::vector<std::shared_ptr<LlmCall>> calls;
    std::vector<std::shared_ptr<CallGate::Waiter>> waiters;
    {
        std::lock_guard lock(m_mutex);
        for (auto &n : m_nodes) {
            if (n.call) {
                calls.push_back(n.call);
            }
            if (n.waiter) {
                waiters.push_back(n.waiter);
            }
        }
    }
    for (auto &c : calls) {
        c->cancel();
    }
    for (auto &w : waiters) {
        w->cancel();
    }
}

void LineRun::timeOut()
{
    if (m_cancelled) {
        return;
    }
    m_timedOut = true;
    cancel();
}

Result<const Value *> LineRun::resolveBinding(const PreparedBinding &b, bool &bypassed) const
{
    static const Value kNull;
    bypassed = false;
    if (!b.reference) {
        return &b.literal;
    }
    // Runs for every input of every node: the error text is only built when the path fails.
    const Reference &ref = *b.reference;
    if (ref.kind == Reference::Kind::FlowInput) {
        const auto it = m_inputs.find(ref.name);
        if (it == m_inputs.end()) {
            return &kNull;
        }
        if (const Value *found = ValuePath::find(*it, ref.key)) {
            return found;
        }
        return ValuePath::extract(*it, ref.key, "input '" + ref.name + "'").error();
    }
    const NodeState &src = m_nodes[std::size_t(b.sourceNode)];
    if (src.status == RunStatus::Bypassed) {
        bypassed = true;
        return &kNull;
    }
    if (const Value *found = ValuePath::find(src.trace.output, ref.key)) {
        return found;
    }
    return ValuePath::extract(src.trace.output, ref.key, "output of node '" + ref.name + "'")
        .error();
}

bool LineRun::shouldBypass(int index, Value &whenValue) const
{
    const PreparedNode &node = m_flow->nodes()[std::size_t(index)];
    if (node.activateWhen) {
        bool bypassedSource = false;
        auto v = resolveBinding(*node.activateWhen, bypassedSource);
        if (bypassedSource || !v) {
            return true;
        }
        whenValue = **v;
        return !(whenValue == node.activateIs);
    }
    if (node.dependencies.empty()) {
        return false;
    }
    for (int dep : node.dependencies) {
        if (m_nodes[std::size_t(dep)].status != RunStatus::Bypassed) {
            return false;
        }
    }
    return true;
}

void LineRun::launch(int index)
{
    const PreparedNode &node = m_flow->nodes()[std::size_t(index)];
    NodeTrace &trace = m_nodes[std::size_t(index)].trace;
    trace.startMs = nowMs();
    if (m_cancelled || m_failed) {
        complete(index, RunStatus::Cancelled, Value(),
                 m_cancelled ? "cancelled" : "not run: the line failed");
        return;
    }
    if (m_observer) {
        std::lock_guard lock(m_observerMutex);
        m_observer->nodeStarted(node.node.name);
    }
    Value whenValue;
    if (shouldBypass(index, whenValue)) {
        complete(index, RunStatus::Bypassed, Value(), {});
        return;
    }

    Value inputs = Value::object();
    inputs.get_ref<Value::object_t &>().reserve(node.inputs.size());
    for (const auto &b : node.inputs) {
        bool bypassed = false;
        auto v = resolveBinding(b, bypassed);
        if (!v) {
            complete(index, RunStatus::Failed, Value(),
                     "input '" + b.name + "': " + v.error().message);
            return;
        }
        if (bypassed) {
            continue;
        }
        inputs[b.name] = **v;
    }
    if (m_options.recordDetail) {
        trace.inputs = inputs;
    }

    switch (node.node.type) {
    case NodeType::Prompt: {
        auto text = NodeInvoker::renderPrompt(node, inputs);
        if (!text) {
            complete(index, RunStatus::Failed, Value(), text.error().message);
            return;
        }
        if (m_options.recordDetail) {
            trace.renderedPrompt = *text;
        }
        complete(index, RunStatus::Completed, Value(std::move(*text)), {});
        return;
    }
    case NodeType::Python: {
        auto self = shared_from_this();
        m_services.pool.post([self, index, inputs = std::move(inputs)]() mutable {
            const PreparedNode &n = self->m_flow->nodes()[std::size_t(index)];
            if (self->m_cancelled) {
                self->complete(index, RunStatus::Cancelled, Value(), "cancelled");
                return;
            }
            // A line timeout bounds its python calls too (a running tool cannot be cancelled).
            auto timeout = self->m_options.pythonTimeout;
            if (self->m_options.timeout.count() > 0) {
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    self->m_start + self->m_options.timeout - std::chrono::steady_clock::now());
                timeout = std::max(std::chrono::milliseconds(1), std::min(timeout, left));
            }
            const PythonCall call = NodeInvoker::pythonCall(self->m_flow->flow(), n, inputs,
                                                            self->m_services.connections, false,
                                                            timeout);
            Result<PythonResult> result = fail(ErrorCode::Internal, "not run");
            try {
                result = self->m_services.python.run(call);
            } catch (const std::bad_alloc &) {
                // A pool thread must not end by an exception; the line fails, the run goes on.
                result = fail(ErrorCode::Python,
                              "out of memory while running python tool " + call.file.string());
            }
            if (!result) {
                const bool cancelled = result.error().code == ErrorCode::Cancelled;
                self->complete(index, cancelled ? RunStatus::Cancelled : RunStatus::Failed, Value(),
                               result.error().message);
                return;
            }
            self->m_nodes[std::size_t(index)].trace.log = std::move(result->log);
            self->complete(index, RunStatus::Completed, std::move(result->output), {});
        });
        return;
    }
    case NodeType::Llm:
    case NodeType::CustomLlm:
        runLlm(index, std::move(inputs));
        return;
    }
}

void LineRun::runLlm(int index, Value inputs)
{
    const PreparedNode &node = m_flow->nodes()[std::size_t(index)];
    NodeTrace &trace = m_nodes[std::size_t(index)].trace;
    const Connection *connection = nullptr;
    auto request = NodeInvoker::buildLlmRequest(node, inputs, m_services.connections, connection,
                                                trace, m_options.recordDetail);
    if (!request) {
        complete(index, RunStatus::Failed, Value(), request.error().message);
        return;
    }
    request->stream = m_options.stream;

    std::string cacheKey;
    if (m_options.cache && (node.node.enableCache || m_options.cacheAllLlmNodes)) {
        cacheKey = ResponseCache::keyFor(*connection, *request);
        if (auto cached = m_options.cache->find(cacheKey)) {
            Value output = NodeInvoker::llmOutput(*cached);
            if (m_observer && m_options.stream && !cached->text.empty()) {
                std::lock_guard lock(m_observerMutex);
                m_observer->nodeDelta(node.node.name, cached->text);
            }
            m_nodes[std::size_t(index)].trace.cacheHit = true;
            m_nodes[std::size_t(index)].trace.llm = std::move(*cached);
            complete(index, RunStatus::Completed, std::move(output), {});
            return;
        }
    }

    if (!m_options.gate) {
        startCall(index, *connection, std::move(*request), std::move(cacheKey), 0);
        return;
    }
    // Wait for the connection's rate limits; the connection lives in the ConnectionStore,
    // which outlives every line.
    auto self = shared_from_this();
    const auto asked = std::chrono::steady_clock::now();
    const std::int64_t estimate = m_options.gate->estimateTokens(connection->name);
    auto waiter = m_options.gate->acquire(
        connection->name, estimate,
        [self, index, connection, asked, estimate, request = std::move(*request),
         cacheKey = std::move(cacheKey)](bool admitted) mutable {
            {
                std::lock_guard lock(self->m_mutex);
                NodeState &st = self->m_nodes[std::size_t(index)];
                st.waiter.reset();
                st.trace.gateWaitMs = std::chrono::duration<double, std::milli>(
                                          std::chrono::steady_clock::now() - asked)
                                          .count();
            }
            if (!admitted || self->m_cancelled || self->m_failed) {
                self->m_options.gate->settle(connection->name, estimate, 0, false);
                self->complete(index, RunStatus::Cancelled, Value(),
                               self->m_cancelled ? "cancelled" : "not run: the line failed");
                return;
            }
            self->startCall(index, *connection, std::move(request), std::move(cacheKey),
                            estimate);
        });
    bool cancelNow = false;
    {
        std::lock_guard lock(m_mutex);
        NodeState &st = m_nodes[std::size_t(index)];
        if (st.status == RunStatus::Running && !st.call) {
            st.waiter = waiter;
        }
        cancelNow = m_cancelled || m_failed;
    }
    if (cancelNow) {
        waiter->cancel();
    }
}

void LineRun::startCall(int index, const Connection &connection, LlmRequest request,
                        std::string cacheKey, std::int64_t estimate)
{
    auto self = shared_from_this();
    LlmCallbacks callbacks;
    if (m_observer && m_options.stream) {
        callbacks.onDelta = [self, index](std::string_view delta) {
            std::lock_guard lock(self->m_observerMutex);
            self->m_observer->nodeDelta(self->m_flow->nodes()[std::size_t(index)].node.name, delta);
        };
    }
    // The connection lives in the ConnectionStore, which outlives every line.
    const Connection *conn = &connection;
    callbacks.onFinished = [self, index, conn, estimate,
                            cacheKey = std::move(cacheKey)](Result<LlmResponse> response) {
        if (CallGate *gate = self->m_options.gate) {
            const bool limited = response ? response->attempts > 1
                                          : response.error().code == ErrorCode::RateLimited;
            const std::int64_t used
                = response ? response->usage.promptTokens + response->usage.completionTokens : 0;
            gate->settle(conn->name, estimate, used, limited);
        }
        if (!response) {
            const bool cancelled = response.error().code == ErrorCode::Cancelled;
            self->complete(index, cancelled ? RunStatus::Cancelled : RunStatus::Failed, Value(),
                           response.error().message);
            return;
        }
        if (!cacheKey.empty() && self->m_options.cache) {
            self->m_options.cache->store(cacheKey, *response);
        }
        Value output = NodeInvoker::llmOutput(*response);
        self->m_nodes[std::size_t(index)].trace.llm = std::move(*response);
        self->complete(index, RunStatus::Completed, std::move(output), {});
    };
    auto call = m_services.llm.start(connection, std::move(request), std::move(callbacks));
    bool cancelNow = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_nodes[std::size_t(index)].status == RunStatus::Running) {
            m_nodes[std::size_t(index)].call = call;
        }
        cancelNow = m_cancelled || m_failed;
    }
    if (cancelNow) {
        call->cancel();
    }
}

void LineRun::complete(int index, RunStatus status, Value output, std::string error)
{
    const auto &nodes = m_flow->nodes();
    std::vector<int> ready;
    std::vector<std::shared_ptr<LlmCall>> toCancel;
    std::vector<std::shared_ptr<CallGate::Waiter>> waitersToCancel;
    bool done = false;
    std::optional<NodeTrace> snapshot; // only for an observer: a NodeTrace costs allocations
    {
        std::lock_guard lock(m_mutex);
        NodeState &st = m_nodes[std::size_t(index)];
        st.status = status;
        st.trace.status = status;
        st.trace.output = std::move(output);
        st.trace.error = std::move(error);
        st.trace.endMs = nowMs();
        st.call.reset();
        st.waiter.reset();
        if (status == RunStatus::Failed && !m_failed) {
            m_failed = true;
            m_error = "node '" + st.trace.node + "': " + st.trace.error;
            for (auto &n : m_nodes) {
                if (n.call) {
                    toCancel.push_back(n.call);
                }
                if (n.waiter) {
                    waitersToCancel.push_back(n.waiter);
                }
            }
        }
        --m_inFlight;
        if (!m_failed && !m_cancelled) {
            for (int d : nodes[std::size_t(index)].dependents) {
                if (nodes[std::size_t(d)].node.aggregation) {
                    continue;
                }
                NodeState &dep = m_nodes[std::size_t(d)];
                if (--dep.pending == 0) {
                    dep.status = RunStatus::Running;
                    ready.push_back(d);
                }
            }
        }
        m_inFlight += int(ready.size());
        if (m_observer) {
            snapshot = st.trace;
        }
        if (m_inFlight == 0 && !m_finished) {
            m_finished = true;
            done = true;
        }
    }
    for (auto &c : toCancel) {
        c->cancel();
    }
    for (auto &w : waitersToCancel) {
        w->cancel();
    }
    if (m_observer) {
        std::lock_guard lock(m_observerMutex);
        m_observer->nodeFinished(*snapshot);
    }
    for (int r : ready) {
        launch(r);
    }
    if (done) {
        finish();
    }
}

void LineRun::finish()
{
    LineResult result;
    {
        std::lock_guard lock(m_mutex);
        result.status = m_cancelled ? RunStatus::Cancelled
                        : m_failed  ? RunStatus::Failed
                                    : RunStatus::Completed;
        result.error = m_cancelled && m_error.empty() ? std::string("cancelled") : m_error;
        if (m_timedOut) {
            // A timeout is a failure of the line (stored, retried by a resume), not a cancel.
            result.status = RunStatus::Failed;
            result.error = "line timed out after "
                           + std::to_string(double(m_options.timeout.count()) / 1000.0).substr(0, 5)
                           + " s";
        }
        const auto &nodes = m_flow->nodes();
        for (const auto &out : m_flow->outputs()) {
            Value v;
            if (!out.reference) {
                v = out.literal;
            } else if (out.reference->kind == Reference::Kind::FlowInput) {
                if (const auto it = m_inputs.find(out.reference->name); it != m_inputs.end()) {
                    const Value *found = ValuePath::find(*it, out.reference->key);
                    v = found ? *found : Value();
                }
            } else {
                const NodeState &src = m_nodes[std::size_t(out.sourceNode)];
                if (src.status == RunStatus::Completed) {
                    // The error text is only built when the path fails.
                    if (const Value *found
                        = ValuePath::find(src.trace.output, out.reference->key)) {
                        v = *found;
                    } else if (result.status == RunStatus::Completed) {
                        result.status = RunStatus::Failed;
                        result.error = ValuePath::extract(src.trace.output, out.reference->key,
                                                          "output '" + out.name + "'")
                                           .error()
                                           .message;
                    }
                }
            }
            result.outputs[out.name] = std::move(v);
        }
        result.nodes.reserve(m_nodes.size());
        for (std::size_t i = 0; i < m_nodes.size(); ++i) {
            if (nodes[i].node.aggregation) {
                continue;
            }
            NodeTrace trace = std::move(m_nodes[i].trace);
            if (trace.status == RunStatus::NotStarted && m_cancelled) {
                trace.status = RunStatus::Cancelled;
            }
            result.nodes.push_back(std::move(trace));
        }
        // Nothing reads the inputs once the line has finished.
        result.inputs = std::move(m_inputs);
    }
    result.durationMs = nowMs();
    if (m_timer != 0) {
        m_services.timers.cancel(m_timer);
    }
    auto onDone = std::move(m_onDone);
    onDone(std::move(result));
}

} // namespace fb
