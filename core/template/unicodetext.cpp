#include <array>
#include <core/template/unicodetext_p.h>

namespace fb::jinja {

namespace {

enum class RangeKind { Delta, Pairs };

/// An upper-case range and how to reach its lower-case letters: a constant delta, or
/// alternating upper/lower pairs starting with an upper-case letter at `lo`.
struct CaseRange
{
    char32_t lo;
    char32_t hi;
    RangeKind kind;
    int delta;
};

constexpr std::array<CaseRange, 39> kCaseRanges{{
    {0x41, 0x5A, RangeKind::Delta, 32},        {0xC0, 0xD6, RangeKind::Delta, 32},
    {0xD8, 0xDE, RangeKind::Delta, 32},        {0x100, 0x12F, RangeKind::Pairs, 1},
    {0x132, 0x137, RangeKind::Pairs, 1},       {0x139, 0x148, RangeKind::Pairs, 1},
    {0x14A, 0x177, RangeKind::Pairs, 1},       {0x179, 0x17E, RangeKind::Pairs, 1},
    {0x1CD, 0x1DC, RangeKind::Pairs, 1},       {0x1DE, 0x1EF, RangeKind::Pairs, 1},
    {0x1F8, 0x21F, RangeKind::Pairs, 1},       {0x222, 0x233, RangeKind::Pairs, 1},
    {0x246, 0x24F, RangeKind::Pairs, 1},       {0x386, 0x386, RangeKind::Delta, 38},
    {0x388, 0x38A, RangeKind::Delta, 37},      {0x38C, 0x38C, RangeKind::Delta, 64},
    {0x38E, 0x38F, RangeKind::Delta, 63},      {0x391, 0x3A1, RangeKind::Delta, 32},
    {0x3A3, 0x3AB, RangeKind::Delta, 32},      {0x3D8, 0x3EF, RangeKind::Pairs, 1},
    {0x400, 0x40F, RangeKind::Delta, 80},      {0x410, 0x42F, RangeKind::Delta, 32},
    {0x460, 0x481, RangeKind::Pairs, 1},       {0x48A, 0x4BF, RangeKind::Pairs, 1},
    {0x4C0, 0x4C0, RangeKind::Delta, 15},      {0x4C1, 0x4CE, RangeKind::Pairs, 1},
    {0x4D0, 0x52F, RangeKind::Pairs, 1},       {0x531, 0x556, RangeKind::Delta, 48},
    {0x1E00, 0x1E95, RangeKind::Pairs, 1},     {0x1EA0, 0x1EFF, RangeKind::Pairs, 1},
    {0x2160, 0x216F, RangeKind::Delta, 16},    {0x24B6, 0x24CF, RangeKind::Delta, 26},
    {0x2C00, 0x2C2F, RangeKind::Delta, 48},    {0xFF21, 0xFF3A, RangeKind::Delta, 32},
    {0x10400, 0x10427, RangeKind::Delta, 40},  {0x178, 0x178, RangeKind::Delta, -121},
    {0x1E9E, 0x1E9E, RangeKind::Delta, -7615}, {0x130, 0x130, RangeKind::Delta, 0},
    {0x10A0, 0x10C5, RangeKind::Delta, 7264},
}};

/// Lower-case mapping of an upper-case letter, or 0 when `cp` is not upper case.
char32_t toLowerSimple(char32_t cp)
{
    if (cp < 0x80) {
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : 0;
    }
    for (const CaseRange &r : kCaseRanges) {
        if (cp < r.lo || cp > r.hi) {
            continue;
        }
        if (r.kind == RangeKind::Delta) {
            return r.delta == 0 ? U'i' : static_cast<char32_t>(static_cast<int>(cp) + r.delta);
        }
        return ((cp - r.lo) % 2 == 0) ? cp + 1 : 0;
    }
    return 0;
}

/// Upper-case mapping of a lower-case letter, or 0 when `cp` is not lower case.
char32_t toUpperSimple(char32_t cp)
{
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') ? cp - 32 : 0;
    }
    switch (cp) {
    case 0xB5:
        return 0x39C;
    case 0xFF:
        return 0x178;
    case 0x131:
        return U'I';
    case 0x17F:
        return U'S';
    case 0x3C2:
        return 0x3A3;
    default:
        break;
    }
    for (const CaseRange &r : kCaseRanges) {
        if (r.kind == RangeKind::Delta) {
            if (r.delta <= 0) {
                continue;
            }
            const char32_t lo = r.lo + static_cast<char32_t>(r.delta);
            const char32_t hi = r.hi + static_cast<char32_t>(r.delta);
            if (cp >= lo && cp <= hi) {
                return cp - static_cast<char32_t>(r.delta);
            }
        } else if (cp > r.lo && cp <= r.hi && (cp - r.lo) % 2 == 1) {
            return cp - 1;
        }
    }
    return 0;
}

bool isCased(char32_t cp) { return toLowerSimple(cp) != 0 || toUpperSimple(cp) != 0 || cp == 0xDF; }

} // namespace

char32_t UnicodeText::decode(std::string_view text, std::size_t &pos)
{
    const auto b0 = static_cast<unsigned char>(text[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    int extra = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
        extra = 1;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3;
        cp = b0 & 0x07;
    } else {
        ++pos;
        return b0;
    }
    if (pos + extra >= text.size()) {
        ++pos;
        return b0;
    }
    for (int i = 1; i <= extra; ++i) {
        const auto b = static_cast<unsigned char>(text[pos + i]);
        if ((b & 0xC0) != 0x80) {
            ++pos;
            return b0;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    pos += extra + 1;
    return cp;
}

void UnicodeText::append(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool UnicodeText::isAscii(std::string_view text)
{
    for (char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

std::size_t UnicodeText::length(std::string_view text)
{
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
        } else {
            decode(text, pos);
        }
        ++n;
    }
    return n;
}

std::size_t UnicodeText::offsetOf(std::string_view text, std::size_t index)
{
    std::size_t pos = 0;
    for (std::size_t i = 0; i < index && pos < text.size(); ++i) {
        decode(text, pos);
    }
    return pos;
}

bool UnicodeText::isSpace(char32_t cp)
{
    if (cp < 0x80) {
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    }
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
           || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool UnicodeText::isDigit(char32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) || (cp >= 0x6F0 && cp <= 0x6F9)
           || (cp >= 0x966 && cp <= 0x96F) || (cp >= 0xFF10 && cp <= 0xFF19);
}

bool UnicodeText::isAlpha(char32_t cp)
{
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    }
    if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) {
        return true;
    }
    if (cp >= 0xC0 && cp <= 0x24F) {
        return cp != 0xD7 && cp != 0xF7;
    }
    if (isCased(cp)) {
        return true;
    }
    return (cp >= 0x370 && cp <= 0x3FF && cp != 0x37E && cp != 0x387)
           || (cp >= 0x400 && cp <= 0x52F && (cp < 0x482 || cp > 0x489))
           || (cp >= 0x531 && cp <= 0x587) || (cp >= 0x5D0 && cp <= 0x5EA)
           || (cp >= 0x620 && cp <= 0x64A) || (cp >= 0x904 && cp <= 0x939)
           || (cp >= 0xE01 && cp <= 0xE30) || (cp >= 0x10A0 && cp <= 0x10FF)
           || (cp >= 0x1E00 && cp <= 0x1FFF) || (cp >= 0x3041 && cp <= 0x3096)
           || (cp >= 0x30A1 && cp <= 0x30FA) || (cp >= 0x3400 && cp <= 0x4DBF)
           || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3)
           || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

bool UnicodeText::isWordChar(char32_t cp) { return cp == '_' || isAlpha(cp) || isDigit(cp); }

bool UnicodeText::isUpper(char32_t cp) { return toLowerSimple(cp) != 0; }

bool UnicodeText::isLower(char32_t cp)
{
    return toUpperSimple(cp) != 0 || cp == 0xDF || cp == 0x149 || cp == 0x138;
}

void UnicodeText::appendUpper(std::string &out, char32_t cp)
{
    if (cp == 0xDF) {
        out += "SS";
        return;
    }
    if (cp == 0x149) {
        append(out, 0x2BC);
        out.push_back('N');
        return;
    }
    const char32_t u = toUpperSimple(cp);
    append(out, u != 0 ? u : cp);
}

void UnicodeText::appendLower(std::string &out, char32_t cp)
{
    if (cp == 0x130) {
        out.push_back('i');
        append(out, 0x307);
        return;
    }
    const char32_t l = toLowerSimple(cp);
    append(out, l != 0 ? l : cp);
}

std::string UnicodeText::upper(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) {
            out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 32)
                                                 : static_cast<char>(c));
            ++pos;
            continue;
        }
        appendUpper(out, decode(text, pos));
    }
    return out;
}

std::string UnicodeText::lower(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) {
            out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32)
                                                 : static_cast<char>(c));
            ++pos;
            continue;
        }
        const char32_t cp = decode(text, pos);
        if (cp == 0x3A3) {
            // Python applies the Final_Sigma rule: a capital sigma that ends a word after a
            // cased letter lowers to the final form.
            bool before = false;
            {
                std::size_t back = out.size();
                while (back > 0 && (static_cast<unsigned char>(out[back - 1]) & 0xC0) == 0x80) {
                    --back;
                }
                if (back > 0) {
                    std::size_t p = back - 1;
                    while (p > 0 && (static_cast<unsigned char>(out[p]) & 0xC0) == 0x80) {
                        --p;
                    }
                    std::size_t q = p;
                    before = isCased(decode(out, q));
                }
            }
            bool after = false;
            if (pos < text.size()) {
                std::size_t q = pos;
                after = isCased(decode(text, q));
            }
            append(out, (before && !after) ? char32_t(0x3C2) : char32_t(0x3C3));
            continue;
        }
        appendLower(out, cp);
    }
    return out;
}

std::string UnicodeText::capitalize(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    if (pos < text.size()) {
        const char32_t first = decode(text, pos);
        if (first == 0xDF) {
            out += "Ss";
        } else {
            appendUpper(out, first);
        }
    }
    out += lower(text.substr(pos));
    return out;
}

std::string UnicodeText::swapCase(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t cp = decode(text, pos);
        if (isUpper(cp)) {
            appendLower(out, cp);
        } else if (isLower(cp)) {
            appendUpper(out, cp);
        } else {
            append(out, cp);
        }
    }
    return out;
}

std::string_view UnicodeText::strip(std::string_view text, bool left, bool right)
{
    std::size_t begin = 0;
    std::size_t end = text.size();
    if (left) {
        while (begin < end) {
            std::size_t p = begin;
            const char32_t cp = decode(text, p);
            if (!isSpace(cp)) {
                break;
            }
            begin = p;
        }
    }
    if (right) {
        while (end > begin) {
            std::size_t start = end - 1;
            while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
                --start;
            }
            std::size_t p = start;
            const char32_t cp = decode(text, p);
            if (!isSpace(cp) || p != end) {
                break;
            }
            end = start;
        }
    }
    return text.substr(begin, end - begin);
}

std::string_view UnicodeText::stripChars(std::string_view text, std::string_view chars, bool left,
                                         bool right)
{
    auto inSet = [&](char32_t cp) {
        std::size_t p = 0;
        while (p < chars.size()) {
            if (decode(chars, p) == cp) {
                return true;
            }
        }
        return false;
    };
    std::size_t begin = 0;
    std::size_t end = text.size();
    if (left) {
        while (begin < end) {
            std::size_t p = begin;
            if (!inSet(decode(text, p))) {
                break;
            }
            begin = p;
        }
    }
    if (right) {
        while (end > begin) {
            std::size_t start = end - 1;
            while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
                --start;
            }
            std::size_t p = start;
            if (!inSet(decode(text, p)) || p != end) {
                break;
            }
            end = start;
        }
    }
    return text.substr(begin, end - begin);
}

} // namespace fb::jinja
