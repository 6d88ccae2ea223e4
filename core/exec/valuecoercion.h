#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/flow/flow.h>

#include <string>
#include <string_view>

namespace fb {

/// Converts loosely typed values (CLI strings, CSV cells, YAML literals) to the types a flow
/// declares, with promptflow's rules: int/double from numeric text, bool from "true"/"false"
/// (any case), list/object from JSON text. Errors name the field and what was expected.
/// Stateless; thread-safe.
class ValueCoercion
{
public:
    /// Coerces `value` to `type`; `field` names it in errors ("input 'n'").
    [[nodiscard]] static Result<Value> toType(const Value &value, ValueType type,
                                              const std::string &field);

    /// True for llm-node inputs that are API parameters rather than template variables, for
    /// `api` ("chat" or "completion"; see ApiParameters).
    [[nodiscard]] static bool isApiParameter(std::string_view name, std::string_view api);

    /// Coerces an llm API parameter to the type the API expects (max_tokens → int,
    /// temperature → double, stop → list, tools → list from JSON text, ...).
    [[nodiscard]] static Result<Value> toApiParameter(const std::string &name, const Value &value);
};

} // namespace fb
