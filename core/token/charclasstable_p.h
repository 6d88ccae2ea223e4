#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fb::token_detail {

/// The classes of code points the tiktoken patterns distinguish. Disjoint: every code point
/// is in exactly one. Letters keep their general category (o200k tells them apart), marks and
/// numbers are one class each, Space is ECMAScript's \s (what js-tiktoken's regex uses).
enum class CharClass : std::uint8_t {
    Other,
    Lu,
    Ll,
    Lt,
    Lm,
    Lo,
    Mark,
    Number,
    Space,
};

/// One run of code points of one class (inclusive bounds), as generated into
/// unicodeclasstable_p.h.
struct CharRange
{
    char32_t first;
    char32_t last;
    CharClass cls;
};

/// One decoded code point of UTF-8 text. A byte that does not start a valid UTF-8 sequence
/// decodes as a one-byte code point of class Other (cp = 0xFFFFFFFF), so any byte string can be
/// split and tokenised (byte-level BPE) and decodes back to itself.
struct CodePoint
{
    char32_t cp;
    CharClass cls;
    std::uint8_t len;
};

/// Code point class lookup (two-stage table built once from the generated ranges) and UTF-8
/// decoding. Thread-safe.
class CharClassTable
{
public:
    /// The class of a code point; Other for unassigned ones and anything above U+10FFFF.
    [[nodiscard]] static CharClass classOf(char32_t cp);

    /// Decodes the code point at byte `pos` of `text` (pos < text.size()).
    [[nodiscard]] static CodePoint decode(std::string_view text, std::size_t pos)
    {
        const auto b0 = static_cast<unsigned char>(text[pos]);
        if (b0 < 0x80) {
            return {b0, kAscii[b0], 1};
        }
        return decodeMultiByte(text, pos);
    }

    /// The Unicode version the table was generated from.
    [[nodiscard]] static const char *unicodeVersion();

private:
    static CodePoint decodeMultiByte(std::string_view text, std::size_t pos);

    static constexpr CharClass O = CharClass::Other;
    static constexpr CharClass S = CharClass::Space;
    static constexpr CharClass N = CharClass::Number;
    static constexpr CharClass U = CharClass::Lu;
    static constexpr CharClass L = CharClass::Ll;
    // clang-format off
    static constexpr CharClass kAscii[128] = {
        O, O, O, O, O, O, O, O, O, S, S, S, S, S, O, O,
        O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
        S, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
        N, N, N, N, N, N, N, N, N, N, O, O, O, O, O, O,
        O, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
        U, U, U, U, U, U, U, U, U, U, U, O, O, O, O, O,
        O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
        L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O,
    };
    // clang-format on
};

} // namespace fb::token_detail
