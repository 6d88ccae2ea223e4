#pragma once

#include <optional>
#include <string_view>

namespace fb {

/// The value an llm API parameter takes, for coercing YAML literals and checking them.
enum class ApiParameterType { String, Int, Double, Bool, Object, List, StringOrList, Any };

/// The llm-node inputs that are API parameters rather than template variables (promptflow-format
/// reference §3): common ones, chat-only ones and completion-only ones. One table for the
/// validator and the executor. Stateless; thread-safe.
class ApiParameters
{
public:
    /// True when an llm node input named `name` goes to the model for `api` ("chat" or
    /// "completion"; any other value: either api).
    [[nodiscard]] static bool isApiParameter(std::string_view name, std::string_view api);

    /// The parameter's value type, or nullopt when `name` is no API parameter of any api.
    [[nodiscard]] static std::optional<ApiParameterType> type(std::string_view name);
};

} // namespace fb
