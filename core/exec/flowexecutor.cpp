#include <core/exec/flowexecutor.h>

#include <core/exec/lineobserver.h>
#include <core/exec/linerun_p.h>
#include <core/exec/nodeinvoker_p.h>
#include <core/exec/pythonrunner.h>
#include <core/exec/valuepath_p.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>

#include <condition_variable>
#include <future>
#include <map>

namespace fb {

class FlowExecutor::Private
{
public:
    // Not shared with the lines: the pool's threads must be joined here, by the executor's
    // owner, never by a pool thread that happened to drop the last reference.
    std::unique_ptr<ExecServices> services;
    std::mutex mutex;
    std::condition_variable idle;
    int activeLines = 0; // guarded by mutex
};

FlowExecutor::FlowExecutor(LlmClient &llm, PythonRunner &python, const ConnectionStore &connections,
                           int blockingThreads)
    : d(std::make_shared<Private>())
{
    d->services = std::make_unique<ExecServices>(llm, python, connections, blockingThreads);
}

FlowExecutor::~FlowExecutor()
{
    {
        std::unique_lock lock(d->mutex);
        d->idle.wait(lock, [this] { return d->activeLines == 0; });
    }
    // Join the pool here, on the owner's thread; a line's last callback may still hold `d`.
    d->services.reset();
}

std::shared_ptr<LineHandle> FlowExecutor::startLine(std::shared_ptr<const PreparedFlow> flow,
                                                    Value inputs, const LineOptions &options,
                                                    LineObserver *observer,
                                                    std::function<void(LineResult)> onDone)
{
    auto prepared = flow->prepareInputs(inputs);
    if (!prepared) {
        LineResult failed;
        failed.status = RunStatus::Failed;
        failed.inputs = std::move(inputs);
        failed.error = prepared.error().message;
        onDone(std::move(failed));
        return nullptr;
    }
    {
        std::lock_guard lock(d->mutex);
        ++d->activeLines;
    }
    std::weak_ptr<Private> weak = d;
    auto wrapped = [weak, onDone = std::move(onDone)](LineResult result) {
        onDone(std::move(result));
        if (auto p = weak.lock()) {
            std::lock_guard lock(p->mutex);
            if (--p->activeLines == 0) {
                p->idle.notify_all();
            }
        }
    };
    auto run = std::make_shared<LineRun>(*d->services, std::move(flow), std::move(*prepared),
                                         options, observer, std::move(wrapped));
    run->start();
    return run;
}

LineResult FlowExecutor::runLine(std::shared_ptr<const PreparedFlow> flow, const Value &inputs,
                                 const LineOptions &options, LineObserver *observer)
{
    std::promise<LineResult> promise;
    auto future = promise.get_future();
    startLine(std::move(flow), inputs, options, observer,
              [&promise](LineResult r) { promise.set_value(std::move(r)); });
    return future.get();
}

AggregationResult FlowExecutor::runAggregation(const std::shared_ptr<const PreparedFlow> &flow,
                                               const std::vector<LineResult> &lines,
                                               const LineOptions &options)
{
    AggregationResult result;
    result.status = RunStatus::Completed;
    const auto &nodes = flow->nodes();

    std::vector<const LineResult *> completed;
    for (const auto &line : lines) {
        if (line.status == RunStatus::Completed) {
            completed.push_back(&line);
        }
    }
    // Per line: node name -> trace, for the per-line references of aggregation inputs.
    std::vector<std::map<std::string, const NodeTrace *>> traces(completed.size());
    for (std::size_t i = 0; i < completed.size(); ++i) {
        for (const auto &t : completed[i]->nodes) {
            traces[i][t.node] = &t;
        }
    }

    std::map<int, Value> aggregateOutputs;
    for (int index : flow->topologicalOrder()) {
        const PreparedNode &node = nodes[std::size_t(index)];
        if (!node.node.aggregation) {
            continue;
        }
        NodeTrace trace;
        trace.node = node.node.name;
        trace.type = node.node.type;
        trace.variantId = node.variantId;
        const auto start = std::chrono::steady_clock::now();
        auto fail = [&](const std::string &message) {
            trace.status = RunStatus::Failed;
            trace.error = message;
            if (result.status == RunStatus::Completed) {
                result.status = RunStatus::Failed;
                result.error = "node '" + node.node.name + "': " + message;
            }
        };

        Value inputs = Value::object();
        bool ok = true;
        for (const auto &b : node.inputs) {
            if (!b.reference) {
                inputs[b.name] = b.literal;
                continue;
            }
            const Reference &ref = *b.reference;
            if (b.sourceNode >= 0 && nodes[std::size_t(b.sourceNode)].node.aggregation) {
                const auto it = aggregateOutputs.find(b.sourceNode);
                auto v = ValuePath::extract(it != aggregateOutputs.end() ? it->second : Value(),
                                            ref.key, "output of node '" + ref.name + "'");
                if (!v) {
                    fail(v.error().message);
                    ok = false;
                    break;
                }
                inputs[b.name] = std::move(*v);
                continue;
            }
            Value list = Value::array();
            for (std::size_t i = 0; i < completed.size() && ok; ++i) {
                const Value *source = nullptr;
                if (ref.kind == Reference::Kind::FlowInput) {
                    const auto &in = completed[i]->inputs;
                    source = in.contains(ref.name) ? &in.at(ref.name) : nullptr;
                } else {
                    const auto it = traces[i].find(ref.name);
                    if (it != traces[i].end() && it->second->status == RunStatus::Completed) {
                        source = &it->second->output;
                    }
                }
                if (!source) {
                    list.push_back(Value());
                    continue;
                }
                auto v = ValuePath::extract(*source, ref.key, "'" + ref.name + "'");
                if (!v) {
                    fail(v.error().message);
                    ok = false;
                    break;
                }
                list.push_back(std::move(*v));
            }
            inputs[b.name] = std::move(list);
        }
        trace.inputs = inputs;

        if (ok) {
            switch (node.node.type) {
            case NodeType::Python: {
                const PythonCall call
                    = NodeInvoker::pythonCall(flow->flow(), node, inputs, d->services->connections,
                                              true, options.pythonTimeout);
                auto r = d->services->python.run(call);
                if (!r) {
                    fail(r.error().message);
                } else {
                    trace.status = RunStatus::Completed;
                    trace.output = std::move(r->output);
                    trace.log = std::move(r->log);
                    trace.metrics = r->metrics;
                    for (const auto &[k, v] : r->metrics) {
                        result.metrics[k] = v;
                    }
                }
                break;
            }
            case NodeType::Prompt: {
                auto text = NodeInvoker::renderPrompt(node, inputs);
                if (!text) {
                    fail(text.error().message);
                } else {
                    trace.status = RunStatus::Completed;
                    trace.renderedPrompt = *text;
                    trace.output = std::move(*text);
                }
                break;
            }
            case NodeType::Llm:
            case NodeType::CustomLlm: {
                const Connection *connection = nullptr;
                auto request = NodeInvoker::buildLlmRequest(
                    node, inputs, {}, d->services->connections, connection, trace);
                if (!request) {
                    fail(request.error().message);
                    break;
                }
                auto response = d->services->llm.call(*connection, std::move(*request));
                if (!response) {
                    fail(response.error().message);
                } else {
                    trace.status = RunStatus::Completed;
                    trace.output = NodeInvoker::llmOutput(*response);
                    trace.llm = std::move(*response);
                }
                break;
            }
            }
        }
        trace.endMs
            = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
        if (trace.status == RunStatus::Completed) {
            aggregateOutputs[index] = trace.output;
        }
        result.nodes.push_back(std::move(trace));
    }
    return result;
}

} // namespace fb
