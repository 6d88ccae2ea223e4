#include <core/batch/runaggregator.h>

#include <core/store/storetypes.h>

namespace fb {

namespace {

RunStatus statusFromName(const std::string &name)
{
    for (RunStatus s : {RunStatus::Completed, RunStatus::Failed, RunStatus::Bypassed,
                        RunStatus::Cancelled, RunStatus::Running}) {
        if (name == runStatusName(s)) {
            return s;
        }
    }
    return RunStatus::NotStarted;
}

} // namespace

Result<std::map<std::string, double>>
RunAggregator::aggregate(ExperimentStore &store, RunId run,
                         const std::shared_ptr<const PreparedFlow> &flow, FlowExecutor &executor,
                         const LineOptions &options)
{
    bool hasAggregation = false;
    for (const auto &n : flow->nodes()) {
        hasAggregation = hasAggregation || n.node.aggregation;
    }
    if (!hasAggregation) {
        return std::map<std::string, double>();
    }
    auto indexes = store.completedLineIndexes(run);
    if (!indexes) {
        return std::move(indexes).error();
    }
    std::vector<LineResult> lines;
    lines.reserve(indexes->size());
    for (std::int64_t index : *indexes) {
        auto record = store.line(run, index);
        if (!record) {
            return std::move(record).error();
        }
        LineResult line;
        line.status = RunStatus::Completed;
        line.inputs = std::move(record->inputs);
        line.outputs = std::move(record->outputs);
        for (auto &n : record->nodes) {
            NodeTrace trace;
            trace.node = n.node;
            trace.variantId = n.variantId;
            trace.status = statusFromName(n.status);
            trace.output = std::move(n.output);
            line.nodes.push_back(std::move(trace));
        }
        lines.push_back(std::move(line));
    }
    const AggregationResult result = executor.runAggregation(flow, lines, options);
    for (const auto &[name, value] : result.metrics) {
        if (auto put = store.putMetric(run, name, value); !put) {
            return std::move(put).error();
        }
    }
    if (result.status == RunStatus::Failed) {
        return fail(ErrorCode::Internal, result.error);
    }
    return result.metrics;
}

} // namespace fb
