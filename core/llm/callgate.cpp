#include <core/llm/callgate.h>

namespace fb {

CallGate::Waiter::~Waiter() = default;
CallGate::~CallGate() = default;

} // namespace fb
