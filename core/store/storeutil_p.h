#pragma once

#include <core/common/value.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace fb::storeutil {

/// Compact JSON, the same text as `value.dump()`; invalid UTF-8 is replaced (U+FFFD) rather
/// than thrown on.
[[nodiscard]] std::string toJson(const Value &value);
/// Parses a stored JSON column; null when the text is empty or not JSON.
[[nodiscard]] Value fromJson(std::string_view text);
/// Milliseconds since the Unix epoch.
[[nodiscard]] std::int64_t nowMs();

} // namespace fb::storeutil
