#pragma once

#include <core/token/charclasstable_p.h>

#include <cstddef>
#include <string_view>

/// Character predicates and runs shared by the hand-written pre-tokenisers.
namespace fb::token_detail::pretok {

inline bool isLetter(CharClass c) { return c >= CharClass::Lu && c <= CharClass::Lo; }

inline bool isCrLf(char32_t cp) { return cp == U'\r' || cp == U'\n'; }

/// [^\r\n\p{L}\p{N}]
inline bool isPrefix(const CodePoint &c)
{
    return !isLetter(c.cls) && c.cls != CharClass::Number && !isCrLf(c.cp);
}

/// [^\s\p{L}\p{N}]
inline bool isPunct(CharClass c)
{
    return !isLetter(c) && c != CharClass::Number && c != CharClass::Space;
}

/// End of the run of code points from `pos` whose class satisfies `pred`.
template <typename Pred> std::size_t runEnd(std::string_view text, std::size_t pos, Pred pred)
{
    while (pos < text.size()) {
        const CodePoint c = CharClassTable::decode(text, pos);
        if (!pred(c)) {
            break;
        }
        pos += c.len;
    }
    return pos;
}

inline char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

/// Length of the contraction 's 't 'm 'd 're 've 'll (ASCII case-insensitive) at `pos`, or 0.
inline std::size_t contractionLength(std::string_view text, std::size_t pos)
{
    if (pos + 1 >= text.size() || text[pos] != '\'') {
        return 0;
    }
    const char a = asciiLower(text[pos + 1]);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') {
        return 2;
    }
    if (pos + 2 >= text.size()) {
        return 0;
    }
    const char b = asciiLower(text[pos + 2]);
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
        return 3;
    }
    return 0;
}

/// The whitespace alternatives every tiktoken pattern ends with, at a position that holds
/// whitespace: \s*[\r\n]+ | \s+(?!\S) | \s+
inline std::size_t whitespacePiece(std::string_view text, std::size_t pos)
{
    std::size_t end = pos;
    std::size_t afterLastCrLf = 0;
    std::size_t lastStart = pos;
    std::size_t count = 0;
    while (end < text.size()) {
        const CodePoint c = CharClassTable::decode(text, end);
        if (c.cls != CharClass::Space) {
            break;
        }
        lastStart = end;
        end += c.len;
        ++count;
        if (isCrLf(c.cp)) {
            afterLastCrLf = end;
        }
    }
    if (afterLastCrLf != 0) {
        return afterLastCrLf; // \s*[\r\n]+ backtracks to the last line break of the run
    }
    if (end == text.size() || count == 1) {
        return end; // \s+(?!\S) at the end of text, or \s+ for a single space before \S
    }
    return lastStart; // \s+(?!\S) leaves the last space to prefix the next piece
}

} // namespace fb::token_detail::pretok
