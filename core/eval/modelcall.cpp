#include <core/eval/modelcall_p.h>

#include <core/eval/evaloptions_p.h>
#include <core/llm/callgate.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>

#include <memory>

namespace fb {

namespace {

/// What a call needs after start() returned (the gate may admit it later, on its thread).
struct PendingCall
{
    Connection connection;
    LlmRequest request;
    LlmClient *llm = nullptr;
    CallGate *gate = nullptr;
    std::int64_t estimatedTokens = 0;
    std::string prefix;
    ModelCall::Finished finished;
};

Error prefixed(Error e, const std::string &prefix)
{
    e.message = prefix + e.message;
    return e;
}

void launch(const std::shared_ptr<PendingCall> &call)
{
    LlmCallbacks callbacks;
    callbacks.onFinished = [call](Result<LlmResponse> r) {
        if (call->gate) {
            const bool rateLimited = r ? r->attempts > 1 : r.error().code == ErrorCode::RateLimited;
            const std::int64_t used
                = r ? r->usage.promptTokens + r->usage.completionTokens : std::int64_t(0);
            call->gate->settle(call->connection.name, call->estimatedTokens, used, rateLimited);
        }
        ModelCall::Finished finished = std::move(call->finished);
        if (!r) {
            finished(prefixed(std::move(r).error(), call->prefix));
            return;
        }
        finished(std::move(r));
    };
    call->llm->start(call->connection, std::move(call->request), std::move(callbacks));
}

} // namespace

Result<ModelTarget> ModelCall::readTarget(const EvalOptions &options)
{
    ModelTarget target;
    if (!options.has("connection")) {
        return options.error("connection", "is required (the name of an LLM connection)");
    }
    auto connection = options.string("connection", {});
    if (!connection) {
        return connection.error();
    }
    if (connection->empty()) {
        return options.error("connection", "must not be empty");
    }
    target.connection = std::move(*connection);
    const bool hasModel = options.has("model");
    const bool hasDeployment = options.has("deployment_name");
    if (hasModel && hasDeployment) {
        return options.error("deployment_name",
                             "and 'model' name the same thing: give only one of them");
    }
    const std::string key = hasDeployment ? "deployment_name" : "model";
    if (!hasModel && !hasDeployment) {
        return options.error("model", "is required (the model, or for Azure OpenAI the "
                                      "deployment_name)");
    }
    auto model = options.string(key, {});
    if (!model) {
        return model.error();
    }
    if (model->empty()) {
        return options.error(key, "must not be empty");
    }
    target.model = std::move(*model);
    return target;
}

void ModelCall::start(const EvalServices &services, const std::string &evaluator,
                      const std::string &connection, LlmRequest request,
                      std::int64_t estimatedTokens, Finished finished)
{
    const std::string prefix = "evaluator '" + evaluator + "': ";
    if (!services.llm || !services.connections) {
        finished(Error(ErrorCode::InvalidArgument,
                       prefix
                           + "needs model services (an LLM client and the connections); "
                             "run it through evaluateAsync in a batch"));
        return;
    }
    const Connection *found = services.connections->find(connection);
    if (!found) {
        std::string known;
        for (const std::string &name : services.connections->names()) {
            known += (known.empty() ? "" : ", ") + name;
        }
        finished(Error(ErrorCode::NotFound,
                       prefix + "unknown connection '" + connection
                           + "' (known: " + (known.empty() ? std::string("none") : known) + ")"));
        return;
    }
    auto call = std::make_shared<PendingCall>();
    call->connection = *found;
    call->request = std::move(request);
    call->llm = services.llm;
    call->gate = services.gate;
    call->estimatedTokens = estimatedTokens;
    call->prefix = prefix;
    call->finished = std::move(finished);
    if (!services.gate) {
        launch(call);
        return;
    }
    // The waiter may be dropped: the gate calls admit exactly once either way.
    (void)services.gate->acquire(connection, estimatedTokens, [call](bool admitted) {
        if (!admitted) {
            ModelCall::Finished finished = std::move(call->finished);
            finished(Error(ErrorCode::Cancelled,
                           call->prefix + "the model call was cancelled before it started"));
            return;
        }
        launch(call);
    });
}

} // namespace fb
