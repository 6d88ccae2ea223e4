#pragma once

#include <core/common/result.h>
#include <core/eval/evaluator.h>
#include <core/llm/llmtypes.h>

#include <cstdint>
#include <functional>
#include <string>

namespace fb {

class EvalOptions;

/// Where a model-backed evaluator sends its calls: a connection name and a model (OpenAI,
/// compatible servers) or deployment (Azure OpenAI) name.
struct ModelTarget
{
    std::string connection;
    std::string model;
};

/// One model call of a model-backed evaluator, through the batch's services: looks the
/// connection up, asks `services.gate` for admission when there is a gate, starts the call on
/// `services.llm`, settles the gate with the tokens the call used (and whether it was
/// rate-limited or retried), then calls `finished` exactly once — on the caller's thread for
/// errors found before the call starts, else on the gate's or the client's thread.
/// Never blocks. Every error message starts with "evaluator '<name>': ".
///
/// Lifetime: the LLM client and the gate must outlive the call; the connection store is read
/// only during start().
class ModelCall
{
public:
    using Finished = std::function<void(Result<LlmResponse>)>;

    /// Reads the options `connection` (required) and `model` or its alias `deployment_name`
    /// (exactly one required), both non-empty strings.
    [[nodiscard]] static Result<ModelTarget> readTarget(const EvalOptions &options);

    static void start(const EvalServices &services, const std::string &evaluator,
                      const std::string &connection, LlmRequest request,
                      std::int64_t estimatedTokens, Finished finished);
};

} // namespace fb
