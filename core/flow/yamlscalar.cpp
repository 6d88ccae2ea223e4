#include <core/flow/yamlscalar_p.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace fb::yamlscalar {

namespace {

bool isOneOf(const std::string &text, std::initializer_list<const char *> words)
{
    return std::any_of(words.begin(), words.end(), [&](const char *w) { return text == w; });
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

Value parseInteger(const std::string &digits, int base, bool negative, const std::string &text)
{
    errno = 0;
    char *end = nullptr;
    const unsigned long long magnitude = std::strtoull(digits.c_str(), &end, base);
    if (errno == ERANGE || end == digits.c_str() || *end != '\0') {
        return std::strtod(text.c_str(), nullptr);
    }
    if (!negative) {
        if (magnitude <= std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
            return std::int64_t(magnitude);
        }
        return std::uint64_t(magnitude);
    }
    if (magnitude <= std::uint64_t(std::numeric_limits<std::int64_t>::max()) + 1u) {
        return std::int64_t(-static_cast<std::int64_t>(magnitude - 1) - 1);
    }
    return -double(magnitude);
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::size_t skipDigits(std::string_view text, std::size_t i)
{
    while (i < text.size() && isDigit(text[i])) {
        ++i;
    }
    return i;
}

bool allOf(std::string_view text, bool (*pred)(char))
{
    return !text.empty() && std::all_of(text.begin(), text.end(), pred);
}

} // namespace

// Hand-written rather than std::regex: libstdc++'s matcher recurses per character and a long
// scalar (a pasted document) would overflow the stack.
bool isDecimalInteger(std::string_view text)
{
    const std::size_t start = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
    return start < text.size() && skipDigits(text, start) == text.size();
}

bool isDecimalFloat(std::string_view text)
{
    std::size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
    const std::size_t intStart = i;
    i = skipDigits(text, i);
    const std::size_t intDigits = i - intStart;
    std::size_t fracDigits = 0;
    if (i < text.size() && text[i] == '.') {
        const std::size_t fracStart = ++i;
        i = skipDigits(text, i);
        fracDigits = i - fracStart;
    }
    if (intDigits == 0 && fracDigits == 0) {
        return false;
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
            ++i;
        }
        const std::size_t expStart = i;
        i = skipDigits(text, i);
        if (i == expStart) {
            return false;
        }
    }
    return i == text.size();
}

Value resolvePlain(const std::string &text)
{
    if (isOneOf(text, {"", "~", "null", "Null", "NULL"})) {
        return nullptr;
    }
    if (isOneOf(text, {"true", "True", "TRUE"})) {
        return true;
    }
    if (isOneOf(text, {"false", "False", "FALSE"})) {
        return false;
    }
    const std::string_view view(text);
    if (isDecimalInteger(view)) {
        const bool negative = text[0] == '-';
        const std::size_t skip = (text[0] == '-' || text[0] == '+') ? 1 : 0;
        return parseInteger(text.substr(skip), 10, negative, text);
    }
    if (view.size() > 2 && view.substr(0, 2) == "0o"
        && allOf(view.substr(2), [](char c) { return c >= '0' && c <= '7'; })) {
        return parseInteger(text.substr(2), 8, false, text);
    }
    if (view.size() > 2 && view.substr(0, 2) == "0x" && allOf(view.substr(2), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        })) {
        return parseInteger(text.substr(2), 16, false, text);
    }
    if (isDecimalFloat(view)) {
        return std::strtod(text.c_str(), nullptr);
    }
    if (isOneOf(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
        return std::numeric_limits<double>::infinity();
    }
    if (isOneOf(text, {"-.inf", "-.Inf", "-.INF"})) {
        return -std::numeric_limits<double>::infinity();
    }
    if (isOneOf(text, {".nan", ".NaN", ".NAN"})) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return text;
}

bool needsQuotes(const std::string &text)
{
    if (text.empty()) {
        return true;
    }
    // Anything a YAML 1.2 or 1.1 reader might take for a non-string: nulls, booleans
    // (1.1 has yes/no/on/off/y/n), numbers, dates, sexagesimals, merge keys.
    const std::string low = lower(text);
    if (isOneOf(low, {"~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "=",
                      ".inf", "+.inf", "-.inf", ".nan"})) {
        return true;
    }
    const unsigned char first = static_cast<unsigned char>(text[0]);
    if (std::isdigit(first)) {
        return true;
    }
    if (text.size() > 1) {
        const auto second = static_cast<unsigned char>(text[1]);
        if (((first == '-' || first == '+') && (std::isdigit(second) || second == '.'))
            || (first == '.' && std::isdigit(second))) {
            return true;
        }
    }
    // Indicators that cannot start a plain scalar (or would change its meaning).
    static const std::string badFirst = "-?:,[]{}#&*!|>'\"%@`";
    if (badFirst.find(char(first)) != std::string::npos) {
        return true;
    }
    if (text.front() == ' ' || text.back() == ' ' || text.back() == ':') {
        return true;
    }
    if (text.find(": ") != std::string::npos || text.find(" #") != std::string::npos) {
        return true;
    }
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            return true;
        }
    }
    return false;
}

std::string doubleQuoted(const std::string &text)
{
    std::string out = "\"";
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (u < 0x20 || u == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\x%02x", u);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

std::string formatScalar(const Value &value)
{
    switch (value.type()) {
    case Value::value_t::null:
        return "null";
    case Value::value_t::boolean:
        return value.get<bool>() ? "true" : "false";
    case Value::value_t::number_integer:
        return std::to_string(value.get<std::int64_t>());
    case Value::value_t::number_unsigned:
        return std::to_string(value.get<std::uint64_t>());
    case Value::value_t::number_float: {
        const double d = value.get<double>();
        if (std::isnan(d)) {
            return ".nan";
        }
        if (std::isinf(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        // nlohmann prints the shortest text that reads back exactly, with ".0" on integral
        // values; YAML 1.1 readers also need a '.' before an exponent.
        std::string text = Value(d).dump();
        const std::size_t e = text.find_first_of("eE");
        if (e != std::string::npos && text.find('.') == std::string::npos) {
            text.insert(e, ".0");
        }
        return text;
    }
    case Value::value_t::string: {
        const auto &s = value.get_ref<const std::string &>();
        return needsQuotes(s) ? doubleQuoted(s) : s;
    }
    default:
        return value.dump();
    }
}

} // namespace fb::yamlscalar
