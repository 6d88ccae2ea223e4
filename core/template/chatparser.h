#pragma once

#include <core/common/chatmessage.h>
#include <core/common/result.h>

#include <string>
#include <string_view>

namespace fb {

/// Turns rendered chat-template text into messages, with promptflow's rules: a role line is,
/// case-insensitively, optional '#', optional spaces, a role (system, user, assistant,
/// function, tool), ':', then end of line; contents are trimmed; `## name:`, `## content:`,
/// `## tool_calls:` and `## tool_call_id:` inside a message set those fields. Markdown headings
/// such as "# Example" are not role lines. Non-blank text before the first role line is an
/// error naming `fileName`.
class ChatParser
{
public:
    [[nodiscard]] static Result<ChatMessages> parse(std::string_view rendered,
                                                    const std::string &fileName);
};

} // namespace fb
