#include <core/template/chatparser.h>
#include <core/template/pyliteral_p.h>
#include <core/template/rolemarker_p.h>
#include <optional>

namespace fb {

namespace {

bool isSpace(char c) { return RoleMarker::isSpace(c); }

std::string_view trim(std::string_view s)
{
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && isSpace(s[b])) {
        ++b;
    }
    while (e > b && isSpace(s[e - 1])) {
        --e;
    }
    return s.substr(b, e - b);
}

std::size_t skipSpace(std::string_view s, std::size_t p)
{
    while (p < s.size() && isSpace(s[p])) {
        ++p;
    }
    return p;
}

/// After `key` at `p`: `\s*:` then whitespace holding at least one newline. Returns the
/// position after that whitespace, or npos.
std::size_t afterKeyLine(std::string_view s, std::size_t p)
{
    p = skipSpace(s, p);
    if (p >= s.size() || s[p] != ':') {
        return std::string_view::npos;
    }
    ++p;
    bool newline = false;
    while (p < s.size() && isSpace(s[p])) {
        newline = newline || s[p] == '\n';
        ++p;
    }
    return newline ? p : std::string_view::npos;
}

/// `\s*\n*#{0,2}\s*content\s*:` at `p`; returns the position after the colon or npos.
std::size_t contentKeyAt(std::string_view s, std::size_t p)
{
    p = skipSpace(s, p);
    for (int i = 0; i < 2 && p < s.size() && s[p] == '#'; ++i) {
        ++p;
    }
    p = skipSpace(s, p);
    if (s.substr(p, 7) != "content") {
        return std::string_view::npos;
    }
    p = skipSpace(s, p + 7);
    if (p >= s.size() || s[p] != ':') {
        return std::string_view::npos;
    }
    return p + 1;
}

/// promptflow's `\n*#{0,2}\s*<key>\s*:\s*\n+\s*(\S+)\s*\n*#{0,2}\s*content\s*:\s*\n?(.*)`,
/// searched anywhere in the message body (re.search, DOTALL, case-sensitive).
bool matchKeyAndContent(std::string_view body, std::string_view key, std::string &value,
                        std::string &content)
{
    std::size_t from = 0;
    while (true) {
        const std::size_t at = body.find(key, from);
        if (at == std::string_view::npos) {
            return false;
        }
        from = at + 1;
        const std::size_t tokenStart = afterKeyLine(body, at + key.size());
        if (tokenStart == std::string_view::npos || tokenStart >= body.size()) {
            continue;
        }
        std::size_t tokenEnd = tokenStart;
        while (tokenEnd < body.size() && !isSpace(body[tokenEnd])) {
            ++tokenEnd;
        }
        // The greedy (\S+) gives characters back until "content:" can follow.
        for (std::size_t end = tokenEnd; end > tokenStart; --end) {
            const std::size_t colon = contentKeyAt(body, end);
            if (colon != std::string_view::npos) {
                value = std::string(body.substr(tokenStart, end - tokenStart));
                content = std::string(body.substr(colon));
                return true;
            }
        }
    }
}

/// `\n*#{0,2}\s*tool_calls\s*:\s*\n+\s*(\[.*?\])`; promptflow evaluates the shortest bracketed
/// text; we also try longer ones so that nested lists parse.
std::optional<Value> matchToolCalls(std::string_view body)
{
    std::size_t from = 0;
    while (true) {
        const std::size_t at = body.find("tool_calls", from);
        if (at == std::string_view::npos) {
            return std::nullopt;
        }
        from = at + 1;
        const std::size_t start = afterKeyLine(body, at + 10);
        if (start == std::string_view::npos || start >= body.size() || body[start] != '[') {
            continue;
        }
        std::size_t close = body.find(']', start);
        while (close != std::string_view::npos) {
            if (std::optional<Value> v = PyLiteral::parse(body.substr(start, close - start + 1))) {
                if (v->is_array()) {
                    return v;
                }
            }
            close = body.find(']', close + 1);
        }
        return std::nullopt;
    }
}

std::string preview(std::string_view text)
{
    std::string_view t = trim(text);
    const std::size_t newline = t.find('\n');
    std::string first(t.substr(0, newline));
    if (first.size() > 60) {
        first = first.substr(0, 57) + "...";
    }
    return first;
}

} // namespace

Result<ChatMessages> ChatParser::parse(std::string_view rendered, const std::string &fileName)
{
    struct Split
    {
        std::string role;
        std::size_t bodyBegin;
        std::size_t bodyEnd;
    };
    std::vector<Split> parts;
    parts.reserve(4); // most prompts: system, user and perhaps an example pair
    std::size_t leadingEnd = rendered.size();
    std::size_t pos = 0;
    while (pos <= rendered.size()) {
        RoleMarker::Match m;
        if (pos < rendered.size() && RoleMarker::matchAt(rendered, pos, false, m)) {
            if (parts.empty()) {
                leadingEnd = m.begin;
            } else {
                parts.back().bodyEnd = m.begin;
            }
            std::string role(rendered.substr(m.roleBegin, m.roleEnd - m.roleBegin));
            for (char &c : role) {
                c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
            }
            parts.push_back({std::move(role), m.end, rendered.size()});
            pos = m.end;
            continue;
        }
        const std::size_t nl = rendered.find('\n', pos);
        if (nl == std::string_view::npos) {
            break;
        }
        pos = nl + 1;
    }
    const std::string_view leading = rendered.substr(0, leadingEnd);
    if (!trim(leading).empty()) {
        return fail(ErrorCode::Parse,
                    fileName + ": the chat prompt has text before its first role line ('"
                        + preview(leading)
                        + "'); start it with a line such as 'system:' or '# user:'");
    }
    if (parts.empty()) {
        return fail(ErrorCode::Parse, fileName
                                          + ": the chat prompt has no role line such as "
                                            "'system:' or '# user:'");
    }
    ChatMessages messages;
    messages.reserve(parts.size());
    for (const Split &part : parts) {
        const std::string_view body
            = rendered.substr(part.bodyBegin, part.bodyEnd - part.bodyBegin);
        ChatMessage msg;
        msg.role = part.role;
        std::string value;
        std::string content;
        if (part.role == "tool") {
            if (!matchKeyAndContent(body, "tool_call_id", value, content)) {
                return fail(ErrorCode::Parse,
                            fileName
                                + ": a tool message needs '## tool_call_id:' followed by the "
                                  "id on the next line, then '## content:'");
            }
            msg.toolCallId = value;
            msg.content = std::string(trim(content));
        } else if (std::optional<Value> calls
                   = part.role == "assistant" ? matchToolCalls(body) : std::nullopt) {
            msg.toolCalls = std::move(*calls);
        } else if (matchKeyAndContent(body, "name", value, content)) {
            msg.name = value;
            msg.content = std::string(trim(content));
        } else if (part.role == "function") {
            return fail(ErrorCode::Parse,
                        fileName
                            + ": a function message needs '## name:' followed by the "
                              "function name on the next line, then '## content:'");
        } else {
            msg.content = std::string(trim(body));
        }
        messages.push_back(std::move(msg));
    }
    return messages;
}

} // namespace fb
