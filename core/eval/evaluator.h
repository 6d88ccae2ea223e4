#pragma once

#include <core/common/result.h>
#include <core/eval/evalscore.h>

#include <functional>
#include <string>

namespace fb {

class CallGate;
class ConnectionStore;
class LlmClient;

/// What model-backed evaluators (LLM-as-judge, groundedness, embedding similarity) call through:
/// the batch's own LLM client, connections and rate-limit gate, so their calls share the run's
/// scheduler and limits. `gate` may be null (no limits).
struct EvalServices
{
    LlmClient *llm = nullptr;
    const ConnectionStore *connections = nullptr;
    CallGate *gate = nullptr;
};

/// A deterministic evaluator: scores one row's output against its reference.
///
/// Implementations are immutable once built (all options are checked by their `create`), so
/// `evaluate` may be called concurrently from any number of threads.
/// `evaluate` fails (rather than scoring 0) only when the row cannot be judged at all, e.g. a
/// regex taken from the reference is not a valid pattern or a latency threshold has no latency.
class Evaluator
{
public:
    virtual ~Evaluator();

    /// The registry name of this evaluator, e.g. "rouge_l".
    [[nodiscard]] virtual std::string type() const = 0;

    /// Scores one row. Thread-safe. Model-backed evaluators block here on their model call;
    /// schedulers use evaluateAsync() instead.
    [[nodiscard]] virtual Result<EvalScore> evaluate(const EvalInput &input) const = 0;

    /// True when scoring calls a model (then evaluateAsync needs `services.llm`).
    [[nodiscard]] virtual bool usesModel() const;

    /// Scores one row and calls `done` exactly once, on any thread. The default runs
    /// evaluate() at once on the calling thread; model-backed evaluators start their call
    /// through `services` and return immediately. Thread-safe.
    virtual void evaluateAsync(const EvalInput &input, const EvalServices &services,
                               std::function<void(Result<EvalScore>)> done) const;
};

} // namespace fb
