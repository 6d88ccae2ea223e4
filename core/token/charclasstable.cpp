#include <core/token/charclasstable_p.h>

#include <core/token/unicodeclasstable_p.h>

#include <array>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fb::token_detail {

namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;
constexpr std::size_t kBlockBits = 8;
constexpr std::size_t kBlockSize = std::size_t(1) << kBlockBits;
constexpr std::size_t kBlockCount = 0x110000 >> kBlockBits;

/// Two-stage table: a block index per 256 code points, and the distinct 256-entry blocks.
/// Most blocks are shared (all Other, all Lo...), so it stays small (~100 KB).
struct TwoStageTable
{
    std::array<std::uint16_t, kBlockCount> index{};
    std::vector<CharClass> blocks;

    TwoStageTable()
    {
        std::vector<CharClass> flat(0x110000, CharClass::Other);
        for (const auto &r : kCharRanges) {
            for (char32_t cp = r.first; cp <= r.last; ++cp) {
                flat[cp] = r.cls;
            }
        }
        std::unordered_map<std::string_view, std::uint16_t> seen;
        const auto *bytes = reinterpret_cast<const char *>(flat.data());
        for (std::size_t b = 0; b < kBlockCount; ++b) {
            const std::string_view block(bytes + b * kBlockSize, kBlockSize);
            auto [it, inserted] = seen.emplace(block, std::uint16_t(blocks.size() / kBlockSize));
            if (inserted) {
                blocks.insert(blocks.end(), flat.begin() + std::ptrdiff_t(b * kBlockSize),
                              flat.begin() + std::ptrdiff_t((b + 1) * kBlockSize));
            }
            index[b] = it->second;
        }
    }

    [[nodiscard]] CharClass lookup(char32_t cp) const
    {
        if (cp >= 0x110000) {
            return CharClass::Other;
        }
        return blocks[(std::size_t(index[cp >> kBlockBits]) << kBlockBits)
                      | (cp & (kBlockSize - 1))];
    }
};

const TwoStageTable &table()
{
    static const TwoStageTable t; // thread-safe lazy initialisation
    return t;
}

bool isContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

} // namespace

CharClass CharClassTable::classOf(char32_t cp)
{
    if (cp < 0x80) {
        return kAscii[cp];
    }
    return table().lookup(cp);
}

const char *CharClassTable::unicodeVersion() { return kUnicodeVersion; }

CodePoint CharClassTable::decodeMultiByte(std::string_view text, std::size_t pos)
{
    // Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF); anything else is a
    // one-byte invalid code point.
    const std::size_t n = text.size() - pos;
    const auto *p = reinterpret_cast<const unsigned char *>(text.data() + pos);
    const unsigned char b0 = p[0];
    char32_t cp = kInvalid;
    std::uint8_t len = 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        if (n >= 2 && isContinuation(p[1])) {
            cp = (char32_t(b0 & 0x1F) << 6) | (p[1] & 0x3F);
            len = 2;
        }
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (n >= 3 && isContinuation(p[1]) && isContinuation(p[2])) {
            const char32_t c
                = (char32_t(b0 & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
                cp = c;
                len = 3;
            }
        }
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (n >= 4 && isContinuation(p[1]) && isContinuation(p[2]) && isContinuation(p[3])) {
            const char32_t c = (char32_t(b0 & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12)
                               | (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
            if (c >= 0x10000 && c <= 0x10FFFF) {
                cp = c;
                len = 4;
            }
        }
    }
    if (cp == kInvalid) {
        return {kInvalid, CharClass::Other, 1};
    }
    return {cp, table().lookup(cp), len};
}

} // namespace fb::token_detail
