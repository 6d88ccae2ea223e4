#include <core/token/o200kpretokenizer_p.h>

#include <core/token/pretokenizerutil_p.h>

namespace fb::token_detail {

using namespace pretok;

namespace {

constexpr std::size_t kFail = std::size_t(-1);

/// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
bool isUpperish(CharClass c)
{
    return c == CharClass::Lu || c == CharClass::Lt || c == CharClass::Lm || c == CharClass::Lo
           || c == CharClass::Mark;
}

/// [\p{Ll}\p{Lm}\p{Lo}\p{M}]
bool isLowerish(CharClass c)
{
    return c == CharClass::Ll || c == CharClass::Lm || c == CharClass::Lo || c == CharClass::Mark;
}

std::size_t withContraction(std::string_view text, std::size_t end)
{
    return end + contractionLength(text, end);
}

/// Upper*Lower+Contraction? from `pos`, or kFail. Upper* is greedy and gives code points back
/// until Lower+ can start: Lower+ starts right after the Upper run when that code point is
/// lower-ish, else at the last lower-ish code point inside the Upper run.
std::size_t firstAlternative(std::string_view text, std::size_t pos)
{
    std::size_t end = pos;
    std::size_t lastLowerish = kFail;
    while (end < text.size()) {
        const CodePoint c = CharClassTable::decode(text, end);
        if (!isUpperish(c.cls)) {
            if (isLowerish(c.cls)) {
                lastLowerish = end;
            }
            break;
        }
        if (isLowerish(c.cls)) {
            lastLowerish = end;
        }
        end += c.len;
    }
    if (lastLowerish == kFail) {
        return kFail;
    }
    end = runEnd(text, lastLowerish, [](const CodePoint &c) { return isLowerish(c.cls); });
    return withContraction(text, end);
}

/// Upper+Lower*Contraction? from `pos`, or kFail.
std::size_t secondAlternative(std::string_view text, std::size_t pos)
{
    const std::size_t upperEnd
        = runEnd(text, pos, [](const CodePoint &c) { return isUpperish(c.cls); });
    if (upperEnd == pos) {
        return kFail;
    }
    const std::size_t end
        = runEnd(text, upperEnd, [](const CodePoint &c) { return isLowerish(c.cls); });
    return withContraction(text, end);
}

} // namespace

std::size_t O200kPreTokenizer::nextPiece(std::string_view text, std::size_t pos)
{
    const CodePoint c0 = CharClassTable::decode(text, pos);
    const bool prefix = isPrefix(c0);
    const std::size_t afterPrefix = pos + c0.len;

    // Letter alternatives; each first with the optional prefix code point, then without.
    for (auto alternative : {firstAlternative, secondAlternative}) {
        if (prefix && afterPrefix < text.size()) {
            if (const std::size_t end = alternative(text, afterPrefix); end != kFail) {
                return end;
            }
        }
        if (const std::size_t end = alternative(text, pos); end != kFail) {
            return end;
        }
    }
    // \p{N}{1,3}
    if (c0.cls == CharClass::Number) {
        std::size_t end = afterPrefix;
        for (int i = 1; i < 3 && end < text.size(); ++i) {
            const CodePoint c = CharClassTable::decode(text, end);
            if (c.cls != CharClass::Number) {
                break;
            }
            end += c.len;
        }
        return end;
    }
    //  ?[^\s\p{L}\p{N}]+[\r\n/]*
    std::size_t start = pos;
    if (c0.cp == U' ' && afterPrefix < text.size()
        && isPunct(CharClassTable::decode(text, afterPrefix).cls)) {
        start = afterPrefix;
    }
    if (start != pos || isPunct(c0.cls)) {
        const std::size_t end
            = runEnd(text, start, [](const CodePoint &c) { return isPunct(c.cls); });
        return runEnd(text, end, [](const CodePoint &c) { return isCrLf(c.cp) || c.cp == U'/'; });
    }
    return whitespacePiece(text, pos);
}

} // namespace fb::token_detail
