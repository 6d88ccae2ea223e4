#pragma once

#include <core/common/chatmessage.h>
#include <core/common/value.h>
#include <core/flow/flow.h>
#include <core/llm/llmtypes.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// Status of a node or a line, with promptflow's names.
enum class RunStatus { NotStarted, Running, Completed, Failed, Bypassed, Cancelled };

[[nodiscard]] const char *runStatusName(RunStatus status); ///< "Completed", ...

/// What happened in one node of one line: the per-node trace.
struct NodeTrace
{
    std::string node;
    NodeType type = NodeType::Llm;
    std::string variantId; ///< for variant nodes: the variant that ran
    RunStatus status = RunStatus::NotStarted;
    Value inputs = Value::object(); ///< resolved inputs (API parameters and template variables)
    std::string renderedPrompt;     ///< prompt/llm nodes: the rendered template text
    ChatMessages messages;          ///< llm chat nodes: the messages sent
    Value output;                   ///< null unless Completed
    std::string error;              ///< Failed/Cancelled: what went wrong
    double startMs = 0;             ///< relative to the line's start (monotonic clock)
    double endMs = 0;
    std::optional<LlmResponse> llm;        ///< llm nodes: model, usage, TTFT/TPOT/latency, attempts
    bool cacheHit = false;                 ///< llm nodes: answered from the response cache
    double gateWaitMs = 0;                 ///< llm nodes: time waiting for a rate limit
    std::string log;                       ///< python nodes: what the tool printed
    std::map<std::string, double> metrics; ///< aggregation python nodes: log_metric values

    [[nodiscard]] double durationMs() const { return endMs - startMs; }
};

/// The result of one line (one set of flow inputs) through the DAG.
struct LineResult
{
    RunStatus status = RunStatus::NotStarted; ///< Completed, Failed or Cancelled
    Value inputs = Value::object();           ///< flow inputs after defaults and coercion
    Value outputs = Value::object();          ///< flow outputs (null for bypassed sources)
    std::vector<NodeTrace> nodes;             ///< per-line nodes in the flow's order
    std::string error;                        ///< first failure, "node 'x': message"
    double durationMs = 0;
};

/// The result of a flow's aggregation nodes over a set of lines.
struct AggregationResult
{
    RunStatus status = RunStatus::NotStarted;
    std::vector<NodeTrace> nodes;
    std::map<std::string, double> metrics; ///< all log_metric values
    std::string error;
};

} // namespace fb
