#pragma once

#include <core/common/result.h>
#include <core/common/value.h>

#include <string>
#include <string_view>

namespace fb {

/// Follows the key path of a reference such as ${node.output.answer} (dotted keys; numeric
/// parts index lists). An empty path yields the value itself. Stateless.
class ValuePath
{
public:
    [[nodiscard]] static Result<Value> extract(const Value &value, const std::string &path,
                                               const std::string &what);

    /// The same walk without a copy or an error message: the value the path leads to inside
    /// `value`, or nullptr exactly when extract() would fail. For hot paths, which call
    /// extract() only to describe a failure.
    [[nodiscard]] static const Value *find(const Value &value, std::string_view path);
};

} // namespace fb
