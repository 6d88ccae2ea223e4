#pragma once

#include <core/common/result.h>
#include <core/eval/evalscore.h>

#include <string>

namespace fb {

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

    /// Scores one row. Thread-safe.
    [[nodiscard]] virtual Result<EvalScore> evaluate(const EvalInput &input) const = 0;
};

} // namespace fb
