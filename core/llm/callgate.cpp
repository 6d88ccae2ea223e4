#include <core/llm/callgate.h>

namespace fb {

CallGate::Waiter::~Waiter() = default;
CallGate::~CallGate() = default;

std::int64_t CallGate::estimateTokens(const std::string &connection)
{
    (void)connection;
    return 0;
}

} // namespace fb
