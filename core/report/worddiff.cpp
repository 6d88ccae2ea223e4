#include <core/report/worddiff.h>

#include <algorithm>
#include <cstdint>

namespace fb {

namespace {

enum class CharClass { Word, Space, Punct };

CharClass classOf(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_') {
        return CharClass::Word;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        return CharClass::Space;
    }
    return CharClass::Punct;
}

void push(std::vector<DiffSegment> &out, DiffSegment::Kind kind, std::string_view text)
{
    if (text.empty()) {
        return;
    }
    if (!out.empty() && out.back().kind == kind) {
        out.back().text.append(text);
    } else {
        out.push_back(DiffSegment{kind, std::string(text)});
    }
}

} // namespace

std::vector<std::string_view> WordDiff::tokens(std::string_view text)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const CharClass k = classOf(text[i]);
        std::size_t j = i + 1;
        if (k != CharClass::Punct) {
            while (j < text.size() && classOf(text[j]) == k) {
                ++j;
            }
        }
        out.push_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

std::vector<DiffSegment> WordDiff::diff(std::string_view before, std::string_view after,
                                        std::size_t maxCells)
{
    const auto a = tokens(before);
    const auto b = tokens(after);
    std::size_t prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
        ++prefix;
    }
    std::size_t suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
           && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
        ++suffix;
    }
    std::vector<DiffSegment> out;
    for (std::size_t k = 0; k < prefix; ++k) {
        push(out, DiffSegment::Kind::Same, a[k]);
    }
    const std::size_t n = a.size() - prefix - suffix;
    const std::size_t m = b.size() - prefix - suffix;
    if (n > 0 && m > 0 && n * m <= maxCells) {
        // lcs[i][j]: LCS length of a[prefix+i..] and b[prefix+j..], walked forwards after.
        std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
        auto at
            = [&](std::size_t i, std::size_t j) -> std::uint32_t & { return lcs[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;) {
            for (std::size_t j = m; j-- > 0;) {
                at(i, j) = a[prefix + i] == b[prefix + j] ? at(i + 1, j + 1) + 1
                                                          : std::max(at(i + 1, j), at(i, j + 1));
            }
        }
        std::size_t i = 0;
        std::size_t j = 0;
        while (i < n && j < m) {
            if (a[prefix + i] == b[prefix + j]) {
                push(out, DiffSegment::Kind::Same, a[prefix + i]);
                ++i;
                ++j;
            } else if (at(i + 1, j) >= at(i, j + 1)) {
                push(out, DiffSegment::Kind::Removed, a[prefix + i]);
                ++i;
            } else {
                push(out, DiffSegment::Kind::Added, b[prefix + j]);
                ++j;
            }
        }
        for (; i < n; ++i) {
            push(out, DiffSegment::Kind::Removed, a[prefix + i]);
        }
        for (; j < m; ++j) {
            push(out, DiffSegment::Kind::Added, b[prefix + j]);
        }
    } else {
        for (std::size_t k = 0; k < n; ++k) {
            push(out, DiffSegment::Kind::Removed, a[prefix + k]);
        }
        for (std::size_t k = 0; k < m; ++k) {
            push(out, DiffSegment::Kind::Added, b[prefix + k]);
        }
    }
    for (std::size_t k = a.size() - suffix; k < a.size(); ++k) {
        push(out, DiffSegment::Kind::Same, a[k]);
    }
    return out;
}

} // namespace fb
