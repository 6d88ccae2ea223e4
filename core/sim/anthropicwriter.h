#pragma once

#include <cstdint>
#include <string_view>

namespace fb {

struct SimFaults;
struct SimResponsePlan;
struct SimTurn;

/// Renders simulated turns in the shape of Anthropic's Messages API (POST /v1/messages):
/// a "message" body, or the SSE events message_start, content_block_start, ping,
/// content_block_delta, content_block_stop, message_delta, message_stop; and Anthropic's
/// {"type":"error","error":{...}} bodies. Stateless; every function is thread-safe.
class AnthropicWriter
{
public:
    /// A successful response, with stall, truncation and malformed-JSON faults applied.
    static void writeTurn(const SimTurn &turn, const SimFaults &faults, bool stream,
                          std::string_view id, SimResponsePlan &plan);

    /// An error body; `type` is e.g. "invalid_request_error" or "authentication_error".
    static void writeError(SimResponsePlan &plan, int status, std::string_view type,
                           std::string_view message);

    /// The error of an injected failure (429 rate_limit_error, 5xx api_error, ...).
    static void writeFaultError(SimResponsePlan &plan, int status);
};

} // namespace fb
