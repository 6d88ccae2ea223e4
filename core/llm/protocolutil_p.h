#pragma once

// Small JSON and string helpers shared by the protocol implementations (private to core/llm).

#include <core/common/utf8.h>
#include <core/common/value.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace fb::llmutil {

inline const Value *member(const Value &object, const char *key)
{
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

inline std::string_view stringMember(const Value &object, const char *key)
{
    const Value *v = member(object, key);
    return v && v->is_string() ? std::string_view(v->get_ref<const std::string &>())
                               : std::string_view();
}

inline std::int64_t intMember(const Value &object, const char *key)
{
    const Value *v = member(object, key);
    if (v && v->is_number_integer()) {
        return v->get<std::int64_t>();
    }
    if (v && v->is_number()) {
        return static_cast<std::int64_t>(v->get<double>());
    }
    return 0;
}

inline std::string withoutTrailingSlash(std::string s)
{
    while (!s.empty() && s.back() == '/') {
        s.pop_back();
    }
    return s;
}

/// "false", "0", "no", "off" (any case) -> false; anything else -> true.
inline bool isTrueFlag(std::string_view s)
{
    std::string lower;
    for (const char c : s) {
        lower.push_back(char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
    return !(lower == "false" || lower == "0" || lower == "no" || lower == "off");
}

/// JSON text that never throws: invalid UTF-8 is replaced rather than rejected.
inline std::string dumpJson(const Value &v)
{
    return v.dump(-1, ' ', false, Value::error_handler_t::replace);
}

/// For each byte: true when appendJsonString() copies it unchanged as plain ASCII (not a
/// control character, quote or backslash). One table load per byte instead of four
/// comparisons: every prompt of every call goes through here.
struct PlainJsonBytes
{
    bool plain[256] = {};
    constexpr PlainJsonBytes()
    {
        for (int c = 0x20; c < 0x80; ++c) {
            plain[c] = c != '"' && c != '\\';
        }
    }
};
inline constexpr PlainJsonBytes kPlainJsonBytes;

/// Appends `s` as a JSON string literal (quotes included). Invalid UTF-8 becomes U+FFFD,
/// so the output is always valid JSON.
inline void appendJsonString(std::string &out, std::string_view s)
{
    static const char *hex = "0123456789abcdef";
    out.push_back('"');
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        // Copy the run of plain ASCII in one go.
        std::size_t j = i;
        while (j < n && kPlainJsonBytes.plain[p[j]]) {
            ++j;
        }
        out.append(s.data() + i, j - i);
        i = j;
        if (i >= n) {
            break;
        }
        const unsigned char c = p[i];
        if (c < 0x80) {
            out.push_back('\\');
            switch (c) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '\n':
                out.push_back('n');
                break;
            case '\r':
                out.push_back('r');
                break;
            case '\t':
                out.push_back('t');
                break;
            case '\b':
                out.push_back('b');
                break;
            case '\f':
                out.push_back('f');
                break;
            default:
                out.append("u00");
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
            }
            ++i;
            continue;
        }
        // A multi-byte UTF-8 sequence: copy it when well-formed, else emit U+FFFD.
        const std::size_t len = utf8SequenceLength(s, i);
        if (len > 0) {
            out.append(s.data() + i, len);
            i += len;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    out.push_back('"');
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for a URL path segment).
inline std::string encodePathSegment(std::string_view s)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-'
            || u == '_' || u == '.' || u == '~') {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(hex[u >> 4]);
            out.push_back(hex[u & 15]);
        }
    }
    return out;
}

} // namespace fb::llmutil
