#pragma once

#include <cstddef>
#include <string_view>

namespace fb::token_detail {

/// The pre-tokeniser of cl100k_base: splits text into the pieces tiktoken's pattern
///   '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|
///   \s*[\r\n]|\s+(?!\S)|\s+
/// matches, written out by hand (same leftmost-first alternation and backtracking results as
/// js-tiktoken's ECMAScript form of it; \s is ECMAScript's). Stateless and thread-safe.
class Cl100kPreTokenizer
{
public:
    /// End (byte offset) of the piece that starts at `pos` (< text.size()); the piece is never
    /// empty, and the pieces of a text concatenate back to it.
    [[nodiscard]] static std::size_t nextPiece(std::string_view text, std::size_t pos);
};

} // namespace fb::token_detail
