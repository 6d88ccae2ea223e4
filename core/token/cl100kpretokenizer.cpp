#include <core/token/cl100kpretokenizer_p.h>

#include <core/token/pretokenizerutil_p.h>

namespace fb::token_detail {

using namespace pretok;

std::size_t Cl100kPreTokenizer::nextPiece(std::string_view text, std::size_t pos)
{
    const CodePoint c0 = CharClassTable::decode(text, pos);
    const auto letter = [](const CodePoint &c) { return isLetter(c.cls); };

    // '(?i:[sdmt]|ll|ve|re)
    if (c0.cp == U'\'') {
        if (const std::size_t n = contractionLength(text, pos)) {
            return pos + n;
        }
    }
    // [^\r\n\p{L}\p{N}]?+\p{L}+
    if (isLetter(c0.cls)) {
        return runEnd(text, pos + c0.len, letter);
    }
    if (isPrefix(c0)) {
        const std::size_t next = pos + c0.len;
        if (next < text.size() && isLetter(CharClassTable::decode(text, next).cls)) {
            return runEnd(text, next, letter);
        }
    }
    // \p{N}{1,3}
    if (c0.cls == CharClass::Number) {
        std::size_t end = pos + c0.len;
        for (int i = 1; i < 3 && end < text.size(); ++i) {
            const CodePoint c = CharClassTable::decode(text, end);
            if (c.cls != CharClass::Number) {
                break;
            }
            end += c.len;
        }
        return end;
    }
    //  ?[^\s\p{L}\p{N}]++[\r\n]*
    std::size_t start = pos;
    if (c0.cp == U' ' && pos + 1 < text.size()
        && isPunct(CharClassTable::decode(text, pos + 1).cls)) {
        start = pos + 1;
    }
    if (start != pos || isPunct(c0.cls)) {
        const std::size_t end
            = runEnd(text, start, [](const CodePoint &c) { return isPunct(c.cls); });
        return runEnd(text, end, [](const CodePoint &c) { return isCrLf(c.cp); });
    }
    // c0 is whitespace: \s*[\r\n]|\s+(?!\S)|\s+
    return whitespacePiece(text, pos);
}

} // namespace fb::token_detail
