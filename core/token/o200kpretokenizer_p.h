#pragma once

#include <cstddef>
#include <string_view>

namespace fb::token_detail {

/// The pre-tokeniser of o200k_base: splits text into the pieces tiktoken's pattern
///   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///   |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///   |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
/// matches, written out by hand with the regex's backtracking results (the two letter
/// classes overlap, and a mark is both a possible prefix and a letter-class member). Same
/// results as js-tiktoken's ECMAScript form of it; \s is ECMAScript's. Stateless, thread-safe.
class O200kPreTokenizer
{
public:
    /// End (byte offset) of the piece that starts at `pos` (< text.size()); the piece is never
    /// empty, and the pieces of a text concatenate back to it.
    [[nodiscard]] static std::size_t nextPiece(std::string_view text, std::size_t pos);
};

} // namespace fb::token_detail
