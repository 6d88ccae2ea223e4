#pragma once

#include <core/common/value.h>
#include <optional>
#include <string_view>

namespace fb {

/// Parses a Python literal or JSON text (lists, tuples, dicts, strings with either quote,
/// numbers, True/False/None and true/false/null) into a Value. Used for `## tool_calls:`,
/// which promptflow reads with ast.literal_eval while templates often write JSON.
class PyLiteral
{
public:
    [[nodiscard]] static std::optional<Value> parse(std::string_view text);
};

} // namespace fb
