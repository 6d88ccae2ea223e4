#include <core/sim/simjson.h>

#include <charconv>
#include <cmath>

namespace fb {

void SimJson::appendString(std::string &out, std::string_view text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t run = 0; // start of the pending run of bytes that need no escape
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            out.append("\\u00");
            out.push_back(Hex[c >> 4]);
            out.push_back(Hex[c & 0xf]);
            break;
        }
    }
    out.append(text.data() + run, text.size() - run);
    out.push_back('"');
}

void SimJson::appendInt(std::string &out, std::int64_t value)
{
    char buffer[24];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, ptr);
}

void SimJson::appendDouble(std::string &out, double value)
{
    if (!std::isfinite(value)) {
        out.append("0");
        return;
    }
    char buffer[32];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, ptr);
}

void SimJson::appendFloat(std::string &out, float value)
{
    if (!std::isfinite(value)) {
        out.append("0");
        return;
    }
    char buffer[32];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, ptr);
}

void SimJson::appendKey(std::string &out, std::string_view key, bool first)
{
    if (!first) {
        out.push_back(',');
    }
    out.push_back('"');
    out.append(key);
    out.append("\":");
}

} // namespace fb
