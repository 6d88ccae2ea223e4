#include <array>
#include <core/template/rolemarker_p.h>

namespace fb {

namespace {

constexpr std::array<std::string_view, 5> kRoles
    = {"system", "user", "assistant", "function", "tool"};

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

} // namespace

bool RoleMarker::isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
           || (c >= 0x1C && c <= 0x1F);
}

bool RoleMarker::matchAt(std::string_view text, std::size_t pos, bool allowTextEnd, Match &match)
{
    const std::size_t n = text.size();
    std::size_t p = pos;
    while (p < n && isSpace(text[p])) {
        ++p;
    }
    if (p < n && text[p] == '#') {
        ++p;
        while (p < n && isSpace(text[p])) {
            ++p;
        }
    }
    const std::size_t roleBegin = p;
    std::size_t roleEnd = 0;
    for (std::string_view role : kRoles) {
        if (n - p < role.size()) {
            continue;
        }
        bool same = true;
        for (std::size_t i = 0; i < role.size(); ++i) {
            if (lowerAscii(text[p + i]) != role[i]) {
                same = false;
                break;
            }
        }
        if (same) {
            roleEnd = p + role.size();
            break;
        }
    }
    if (roleEnd == 0) {
        return false;
    }
    p = roleEnd;
    while (p < n && isSpace(text[p])) {
        ++p;
    }
    if (p >= n || text[p] != ':') {
        return false;
    }
    ++p;
    // `\s*\n`: the whitespace after the colon must hold a newline; the match ends after the
    // last one.
    std::size_t lastNewline = std::string_view::npos;
    while (p < n && isSpace(text[p])) {
        if (text[p] == '\n') {
            lastNewline = p;
        }
        ++p;
    }
    std::size_t end = 0;
    if (lastNewline != std::string_view::npos) {
        end = lastNewline + 1;
    } else if (allowTextEnd && p == n) {
        end = n;
    } else {
        return false;
    }
    match.begin = pos;
    match.roleBegin = roleBegin;
    match.roleEnd = roleEnd;
    match.end = end;
    return true;
}

} // namespace fb
