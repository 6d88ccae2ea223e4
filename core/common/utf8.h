#pragma once

#include <cstddef>
#include <string_view>

namespace fb {

/// Length of the well-formed UTF-8 sequence that starts at `text[at]` (1 for ASCII), or 0
/// when none does there: overlong forms, surrogates, code points above U+10FFFF, stray
/// continuation bytes and sequences cut off by the end of `text` are ill-formed.
[[nodiscard]] std::size_t utf8SequenceLength(std::string_view text, std::size_t at);

/// Offset of the first byte of `text` that does not start (or continue) a well-formed UTF-8
/// sequence, or std::string_view::npos when all of `text` is valid.
[[nodiscard]] std::size_t firstInvalidUtf8(std::string_view text);

} // namespace fb
