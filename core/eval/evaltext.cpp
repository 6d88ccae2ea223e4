#include <core/eval/evaltext_p.h>

namespace fb {

char32_t EvalText::decode(std::string_view text, std::size_t pos, std::size_t *length)
{
    const auto b0 = static_cast<unsigned char>(text[pos]);
    auto cont = [&](std::size_t i) {
        return pos + i < text.size() && (static_cast<unsigned char>(text[pos + i]) & 0xC0) == 0x80;
    };
    auto bits = [&](std::size_t i) {
        return static_cast<char32_t>(static_cast<unsigned char>(text[pos + i]) & 0x3F);
    };
    if (b0 < 0x80) {
        *length = 1;
        return b0;
    }
    if ((b0 & 0xE0) == 0xC0 && b0 >= 0xC2 && cont(1)) {
        *length = 2;
        return (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1);
    }
    if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
        *length = 3;
        return (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
    }
    if ((b0 & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
        *length = 4;
        return (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6)
               | bits(3);
    }
    *length = 1;
    return 0xFFFD;
}

void EvalText::append(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

namespace {

char32_t lowerOf(char32_t c)
{
    if (c >= U'A' && c <= U'Z') {
        return c + 32;
    }
    if (c < 0xC0) {
        return c;
    }
    if (c <= 0xDE) {
        return c == 0xD7 ? c : c + 32;
    }
    if (c >= 0x100 && c <= 0x137) {
        return (c % 2 == 0) ? c + 1 : c;
    }
    if (c >= 0x139 && c <= 0x148) {
        return (c % 2 == 1) ? c + 1 : c;
    }
    if (c >= 0x14A && c <= 0x177) {
        return (c % 2 == 0) ? c + 1 : c;
    }
    if (c == 0x178) {
        return 0xFF;
    }
    if (c >= 0x179 && c <= 0x17E) {
        return (c % 2 == 1) ? c + 1 : c;
    }
    if (c == 0x386) {
        return 0x3AC;
    }
    if (c >= 0x388 && c <= 0x38A) {
        return c + 37;
    }
    if (c == 0x38C) {
        return 0x3CC;
    }
    if (c == 0x38E || c == 0x38F) {
        return c + 63;
    }
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) {
        return c + 32;
    }
    if (c >= 0x400 && c <= 0x40F) {
        return c + 80;
    }
    if (c >= 0x410 && c <= 0x42F) {
        return c + 32;
    }
    return c;
}

} // namespace

std::string EvalText::toLower(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = 1;
        const char32_t cp = decode(text, i, &len);
        if (cp == 0xFFFD && len == 1) {
            out += text[i]; // keep invalid bytes untouched
        } else {
            append(out, lowerOf(cp));
        }
        i += len;
    }
    return out;
}

bool EvalText::isSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
           || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
           || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string EvalText::trim(std::string_view text)
{
    std::size_t begin = 0;
    std::size_t end = 0; // one past the last non-space byte
    bool seen = false;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = 1;
        const char32_t cp = decode(text, i, &len);
        if (!isSpace(cp)) {
            if (!seen) {
                begin = i;
                seen = true;
            }
            end = i + len;
        }
        i += len;
    }
    return seen ? std::string(text.substr(begin, end - begin)) : std::string();
}

std::string EvalText::collapseWhitespace(std::string_view text)
{
    std::string out;
    bool inSpace = false;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = 1;
        const char32_t cp = decode(text, i, &len);
        if (isSpace(cp)) {
            if (!inSpace) {
                out += ' ';
            }
            inSpace = true;
        } else {
            out.append(text.substr(i, len));
            inSpace = false;
        }
        i += len;
    }
    return out;
}

std::vector<std::string> EvalText::split(std::string_view text)
{
    std::vector<std::string> out;
    std::string current;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = 1;
        const char32_t cp = decode(text, i, &len);
        if (isSpace(cp)) {
            if (!current.empty()) {
                out.push_back(std::move(current));
                current.clear();
            }
        } else {
            current.append(text.substr(i, len));
        }
        i += len;
    }
    if (!current.empty()) {
        out.push_back(std::move(current));
    }
    return out;
}

std::size_t EvalText::length(std::string_view text)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t len = 1;
        decode(text, i, &len);
        i += len;
        ++n;
    }
    return n;
}

} // namespace fb
