#include <core/common/utf8.h>

#include <cstdint>
#include <cstring>

namespace fb {

std::size_t utf8SequenceLength(std::string_view text, std::size_t at)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const unsigned char c = s[at];
    if (c < 0x80) {
        return 1;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) {
            lo = 0xA0; // overlong
        } else if (c == 0xED) {
            hi = 0x9F; // surrogates
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) {
            lo = 0x90; // overlong
        } else if (c == 0xF4) {
            hi = 0x8F; // above U+10FFFF
        }
    } else {
        return 0;
    }
    if (at + len > text.size() || s[at + 1] < lo || s[at + 1] > hi) {
        return 0;
    }
    for (std::size_t k = 2; k < len; ++k) {
        if (s[at + k] < 0x80 || s[at + k] > 0xBF) {
            return 0;
        }
    }
    return len;
}

std::size_t firstInvalidUtf8(std::string_view text)
{
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // Fast path: eight ASCII bytes at a time.
        if (i + 8 <= n) {
            std::uint64_t word = 0;
            std::memcpy(&word, text.data() + i, 8);
            if ((word & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const std::size_t len = utf8SequenceLength(text, i);
        if (len == 0) {
            return i;
        }
        i += len;
    }
    return std::string_view::npos;
}

} // namespace fb
