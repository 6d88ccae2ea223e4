#include <core/eval/evaluator.h>

namespace fb {

Evaluator::~Evaluator() = default;

} // namespace fb
