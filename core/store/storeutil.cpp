#include <core/store/storeutil_p.h>

#include <core/common/utf8.h>

#include <charconv>
#include <chrono>

namespace fb::storeutil {

namespace {

/// For each byte: true for printable ASCII other than quote and backslash, which JSON text
/// holds unchanged.
struct PlainBytes
{
    bool plain[256] = {};
    constexpr PlainBytes()
    {
        for (int c = 0x20; c < 0x80; ++c) {
            plain[c] = c != '"' && c != '\\';
        }
    }
};
constexpr PlainBytes kPlainBytes;

// Most keys and values of a line are plain ASCII: one table look-up per byte tells that they
// need neither the UTF-8 check nor escapes.
bool isPlain(std::string_view s)
{
    for (const char c : s) {
        if (!kPlainBytes.plain[static_cast<unsigned char>(c)]) {
            return false;
        }
    }
    return true;
}

void appendQuoted(std::string &out, std::string_view plain)
{
    out += '"';
    out.append(plain);
    out += '"';
}

// The escapes nlohmann::json::dump writes with ensure_ascii off; `text` is valid UTF-8.
void appendEscaped(std::string &out, std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
            out.append(escape, sizeof escape);
            break;
        }
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

std::string nlohmannDump(const Value &value)
{
    return value.dump(-1, ' ', false, Value::error_handler_t::replace);
}

template <typename Integer> void appendInteger(std::string &out, Integer n)
{
    char buffer[24];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, n).ptr;
    out.append(buffer, static_cast<std::size_t>(end - buffer));
}

void append(std::string &out, const Value &value)
{
    switch (value.type()) {
    case Value::value_t::null:
        out += "null";
        return;
    case Value::value_t::boolean:
        out += value.get<bool>() ? "true" : "false";
        return;
    case Value::value_t::number_integer:
        appendInteger(out, value.get<std::int64_t>());
        return;
    case Value::value_t::number_unsigned:
        appendInteger(out, value.get<std::uint64_t>());
        return;
    case Value::value_t::string: {
        const auto &text = value.get_ref<const std::string &>();
        if (isPlain(text)) {
            appendQuoted(out, text);
        } else if (firstInvalidUtf8(text) == std::string_view::npos) {
            appendEscaped(out, text);
        } else {
            out += nlohmannDump(value); // replaces the invalid bytes as it always did
        }
        return;
    }
    case Value::value_t::array: {
        out += '[';
        bool first = true;
        for (const Value &item : value) {
            if (!first) {
                out += ',';
            }
            first = false;
            append(out, item);
        }
        out += ']';
        return;
    }
    case Value::value_t::object: {
        out += '{';
        bool first = true;
        for (const auto &[key, item] : value.items()) {
            if (!first) {
                out += ',';
            }
            first = false;
            if (isPlain(key)) {
                appendQuoted(out, key);
            } else if (firstInvalidUtf8(key) == std::string_view::npos) {
                appendEscaped(out, key);
            } else {
                out += nlohmannDump(Value(key));
            }
            out += ':';
            append(out, item);
        }
        out += '}';
        return;
    }
    default:
        // Floats (nlohmann's shortest round-trip form, "1.0" for whole numbers) and the rest.
        out += nlohmannDump(value);
        return;
    }
}

} // namespace

std::string toJson(const Value &value)
{
    // The store writes every line's inputs and outputs: a direct writer avoids the serializer
    // set-up of dump() (a locale query and a shared output adapter per call) and its
    // byte-by-byte UTF-8 decoding. The text is the same as dump()'s.
    std::string out;
    out.reserve(64);
    append(out, value);
    return out;
}

Value fromJson(std::string_view text)
{
    if (text.empty()) {
        return Value();
    }
    Value parsed = Value::parse(text.begin(), text.end(), nullptr, false);
    return parsed.is_discarded() ? Value() : parsed;
}

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace fb::storeutil
