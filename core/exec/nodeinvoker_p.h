#pragma once

#include <core/common/result.h>
#include <core/exec/linetypes.h>
#include <core/exec/preparedflow.h>
#include <core/exec/pythonrunner.h>
#include <core/llm/llmtypes.h>

#include <chrono>
#include <set>
#include <string>

namespace fb {

struct Connection;
class ConnectionStore;

/// Turns a prepared node plus its resolved inputs into the concrete work: a rendered prompt,
/// an LLM request, or a python call. Shared by per-line and aggregation execution. Stateless.
class NodeInvoker
{
public:
    /// prompt nodes: renders the template with every input as a variable.
    [[nodiscard]] static Result<std::string> renderPrompt(const PreparedNode &node,
                                                          const Value &inputs);

    /// llm nodes: splits API parameters from template variables, renders (escaping role
    /// markers in values that come straight from flow inputs), parses chat messages, and
    /// finds the connection. Fills trace.renderedPrompt/messages.
    [[nodiscard]] static Result<LlmRequest>
    buildLlmRequest(const PreparedNode &node, const Value &inputs,
                    const std::set<std::string> &fromFlowInputs, const ConnectionStore &connections,
                    const Connection *&connection, NodeTrace &trace, bool recordTrace = true);

    /// The same, for inputs resolved from every binding of the node: the values that come
    /// straight from flow inputs are those of the node's flow-input bindings.
    [[nodiscard]] static Result<LlmRequest>
    buildLlmRequest(const PreparedNode &node, const Value &inputs,
                    const ConnectionStore &connections, const Connection *&connection,
                    NodeTrace &trace, bool recordTrace = true);

    /// The value an llm node outputs: the text, or the whole assistant message when the
    /// model asked for tool calls.
    [[nodiscard]] static Value llmOutput(const LlmResponse &response);

    /// python nodes.
    [[nodiscard]] static PythonCall pythonCall(const Flow &flow, const PreparedNode &node,
                                               const Value &inputs,
                                               const ConnectionStore &connections, bool aggregation,
                                               std::chrono::milliseconds timeout);
};

} // namespace fb
