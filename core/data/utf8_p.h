#pragma once

#include <cstddef>
#include <string_view>

namespace fb::data {

/// Offset of the first byte of `text` that does not start (or continue) a well-formed UTF-8
/// sequence — overlong forms, surrogates and code points above U+10FFFF are ill-formed — or
/// std::string_view::npos when all of `text` is valid.
[[nodiscard]] std::size_t firstInvalidUtf8(std::string_view text);

} // namespace fb::data
