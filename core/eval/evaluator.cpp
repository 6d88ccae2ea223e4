#include <core/eval/evaluator.h>

namespace fb {

Evaluator::~Evaluator() = default;

bool Evaluator::usesModel() const { return false; }

void Evaluator::evaluateAsync(const EvalInput &input, const EvalServices &services,
                              std::function<void(Result<EvalScore>)> done) const
{
    (void)services;
    done(evaluate(input));
}

} // namespace fb
