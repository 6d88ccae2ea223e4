#include <core/exec/nodeinvoker_p.h>

#include <core/exec/valuecoercion.h>
#include <core/llm/connectionstore.h>
#include <core/template/chatparser.h>
#include <core/template/roleescaper.h>

#include <cstdlib>

namespace fb {

namespace {

std::string nodeLabel(const PreparedNode &node) { return "node '" + node.node.name + "'"; }

Value connectionValue(const Connection &c)
{
    Value v = Value::object();
    v["name"] = c.name;
    v["type"] = connectionTypeName(c.type);
    v["configs"] = Value::object();
    v["secrets"] = Value::object();
    for (const auto &[k, val] : c.configs) {
        v["configs"][k] = val;
    }
    for (const auto &[k, val] : c.secrets) {
        v["secrets"][k] = val;
    }
    return v;
}

// Resolves "${conn.key}" and "${env:VAR}" in flow-level environment_variables.
std::string resolveEnvironmentValue(const std::string &raw, const ConnectionStore &connections)
{
    if (raw.size() > 3 && raw.rfind("${", 0) == 0 && raw.back() == '}') {
        const std::string inner = raw.substr(2, raw.size() - 3);
        if (inner.rfind("env:", 0) == 0) {
            const char *v = std::getenv(inner.substr(4).c_str());
            return v ? v : "";
        }
        const auto dot = inner.find('.');
        if (dot != std::string::npos) {
            if (const Connection *c = connections.find(inner.substr(0, dot))) {
                return c->value(inner.substr(dot + 1));
            }
        }
    }
    return raw;
}

/// Whether the node's input `name` is bound to a flow input.
bool isFlowInputBinding(const PreparedNode &node, const std::string &name)
{
    for (const PreparedBinding &b : node.inputs) {
        if (b.reference && b.reference->kind == Reference::Kind::FlowInput && b.name == name) {
            return true;
        }
    }
    return false;
}

/// NodeInvoker::buildLlmRequest(); the inputs whose role markers are escaped are those in
/// `fromFlowInputs`, or without it those bound to flow inputs.
Result<LlmRequest> buildRequest(const PreparedNode &node, const Value &inputs,
                                const std::set<std::string> *fromFlowInputs,
                                const ConnectionStore &connections, const Connection *&connection,
                                NodeTrace &trace, bool recordTrace)
{
    LlmRequest request;
    request.api = node.node.api == "completion" ? LlmApi::Completion : LlmApi::Chat;

    std::string connectionName = node.node.connection;
    Value variables = Value::object();
    variables.get_ref<Value::object_t &>().reserve(inputs.size());
    RoleEscaper escaper;
    for (const auto &[name, value] : inputs.items()) {
        if (node.node.type == NodeType::CustomLlm && name == "connection") {
            if (value.is_string()) {
                connectionName = value.get<std::string>();
            }
            continue;
        }
        if (name == "model" || name == "deployment_name") {
            if (!value.is_string()) {
                return fail(ErrorCode::InvalidArgument,
                            nodeLabel(node) + ": input '" + name + "' must be a string");
            }
            request.model = value.get<std::string>();
            continue;
        }
        if (ValueCoercion::isApiParameter(name, node.node.api)) {
            auto coerced = ValueCoercion::toApiParameter(name, value);
            if (!coerced) {
                return fail(coerced.error().code, nodeLabel(node) + ": " + coerced.error().message);
            }
            if (!coerced->is_null()) {
                request.parameters[name] = std::move(*coerced);
            }
            continue;
        }
        if (fromFlowInputs ? fromFlowInputs->count(name) > 0 : isFlowInputBinding(node, name)) {
            variables[name] = escaper.escape(value);
        } else {
            variables[name] = value;
        }
    }
    if (request.model.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    nodeLabel(node)
                        + ": no model: give the input 'model' (OpenAI, Anthropic) or "
                          "'deployment_name' (Azure OpenAI)");
    }
    if (connectionName.empty()) {
        return fail(ErrorCode::InvalidArgument, nodeLabel(node) + ": no connection is set");
    }
    connection = connections.find(connectionName);
    if (!connection) {
        return fail(ErrorCode::NotFound,
                    nodeLabel(node) + ": unknown connection '" + connectionName + "'");
    }

    auto rendered = node.tmpl->render(variables);
    if (!rendered) {
        return std::move(rendered).error();
    }
    if (request.api == LlmApi::Chat) {
        auto messages = ChatParser::parse(*rendered, node.sourceFile.string());
        if (!messages) {
            return std::move(messages).error();
        }
        escaper.restore(*messages);
        request.messages = std::move(*messages);
        if (recordTrace) {
            trace.messages = request.messages;
            trace.renderedPrompt = escaper.restore(std::move(*rendered));
        }
    } else {
        request.prompt = escaper.restore(std::move(*rendered));
        if (recordTrace) {
            trace.renderedPrompt = request.prompt;
        }
    }
    return request;
}

} // namespace

Result<std::string> NodeInvoker::renderPrompt(const PreparedNode &node, const Value &inputs)
{
    return node.tmpl->render(inputs);
}

Result<LlmRequest> NodeInvoker::buildLlmRequest(const PreparedNode &node, const Value &inputs,
                                                const std::set<std::string> &fromFlowInputs,
                                                const ConnectionStore &connections,
                                                const Connection *&connection, NodeTrace &trace,
                                                bool recordTrace)
{
    return buildRequest(node, inputs, &fromFlowInputs, connections, connection, trace, recordTrace);
}

Result<LlmRequest> NodeInvoker::buildLlmRequest(const PreparedNode &node, const Value &inputs,
                                                const ConnectionStore &connections,
                                                const Connection *&connection, NodeTrace &trace,
                                                bool recordTrace)
{
    // A scan of the node's few bindings costs less than a set of names built on every call.
    return buildRequest(node, inputs, nullptr, connections, connection, trace, recordTrace);
}

Value NodeInvoker::llmOutput(const LlmResponse &response)
{
    if (response.toolCalls.is_null() || response.toolCalls.empty()) {
        return Value(response.text);
    }
    Value message = Value::object();
    message["role"] = "assistant";
    message["content"] = response.text.empty() ? Value() : Value(response.text);
    if (response.toolCalls.is_array()) {
        message["tool_calls"] = response.toolCalls;
    } else {
        message["function_call"] = response.toolCalls;
    }
    return message;
}

PythonCall NodeInvoker::pythonCall(const Flow &flow, const PreparedNode &node, const Value &inputs,
                                   const ConnectionStore &connections, bool aggregation,
                                   std::chrono::milliseconds timeout)
{
    PythonCall call;
    call.file = node.sourceFile;
    call.inputs = inputs;
    call.aggregation = aggregation;
    call.timeout = timeout;
    call.workingDir = flow.dir;
    for (const auto &b : node.inputs) {
        if (b.reference) {
            continue;
        }
        call.literalInputs.push_back(b.name);
        if (b.literal.is_string()) {
            if (const Connection *c = connections.find(b.literal.get<std::string>())) {
                call.connections[b.name] = connectionValue(*c);
            }
        }
    }
    if (flow.environmentVariables.is_object()) {
        for (const auto &[key, value] : flow.environmentVariables.items()) {
            const std::string raw = value.is_string() ? value.get<std::string>() : value.dump();
            call.environment[key] = resolveEnvironmentValue(raw, connections);
        }
    }
    return call;
}

} // namespace fb
