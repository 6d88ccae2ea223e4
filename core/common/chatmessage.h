#pragma once

#include <core/common/value.h>

#include <string>
#include <vector>

namespace fb {

/// One message of a chat request, as parsed from a rendered chat template.
struct ChatMessage
{
    std::string role;       ///< system, user, assistant, function or tool
    std::string content;    ///< trimmed text
    std::string name;       ///< from "## name:" (required for function messages)
    std::string toolCallId; ///< from "## tool_call_id:" (tool messages)
    Value toolCalls;        ///< from "## tool_calls:" (assistant messages); null when absent

    bool operator==(const ChatMessage &) const = default;
};

using ChatMessages = std::vector<ChatMessage>;

} // namespace fb
