#include <core/cost/jsonkeylines_p.h>

namespace fb::detail {

namespace {

struct Frame
{
    bool object = false;
    bool expectKey = false;
    bool hasKey = false;
    std::string key;
};

} // namespace

JsonKeyLines::JsonKeyLines(std::string_view text)
{
    std::vector<Frame> stack;
    int line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        } else if (c == '"') {
            const int startLine = line;
            std::string value;
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\\' && i + 1 < text.size()) {
                    ++i;
                    // Keys with escapes are rare; keep the simple ones readable.
                    value += (text[i] == 'n') ? '\n' : (text[i] == 't') ? '\t' : text[i];
                    continue;
                }
                if (text[i] == '\n') {
                    ++line;
                }
                value += text[i];
            }
            if (!stack.empty() && stack.back().object && stack.back().expectKey) {
                Frame &top = stack.back();
                top.expectKey = false;
                top.hasKey = true;
                top.key = std::move(value);
                Path path;
                for (const Frame &f : stack) {
                    if (f.object && f.hasKey) {
                        path.push_back(f.key);
                    }
                }
                m_lines.emplace(std::move(path), startLine);
            }
        } else if (c == '{') {
            stack.push_back({true, true, false, {}});
        } else if (c == '[') {
            stack.push_back({false, false, false, {}});
        } else if (c == '}' || c == ']') {
            if (!stack.empty()) {
                stack.pop_back();
            }
        } else if (c == ',') {
            if (!stack.empty() && stack.back().object) {
                stack.back().expectKey = true;
            }
        }
    }
}

int JsonKeyLines::line(const Path &path) const
{
    Path p = path;
    while (!p.empty()) {
        if (auto it = m_lines.find(p); it != m_lines.end()) {
            return it->second;
        }
        p.pop_back();
    }
    return 0;
}

TextPosition positionOfOffset(std::string_view text, std::size_t offset)
{
    TextPosition pos;
    const std::size_t end = offset < text.size() ? offset : text.size();
    for (std::size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++pos.column; // count characters, not UTF-8 continuation bytes
        }
    }
    return pos;
}

} // namespace fb::detail
