#pragma once

#include <core/common/result.h>
#include <core/common/value.h>

#include <string>

namespace fb {

/// Follows the key path of a reference such as ${node.output.answer} (dotted keys; numeric
/// parts index lists). An empty path yields the value itself. Stateless.
class ValuePath
{
public:
    [[nodiscard]] static Result<Value> extract(const Value &value, const std::string &path,
                                               const std::string &what);
};

} // namespace fb
