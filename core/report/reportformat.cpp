#include <core/report/reportformat_p.h>

#include <cmath>
#include <cstdio>
#include <ctime>

namespace fb {

namespace {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
std::size_t utf8Length(std::string_view s, std::size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (c < 0x80) {
        return 1;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
        len = 2;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
        len = 4;
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
            return 0;
        }
    }
    return len;
}

std::string printf1(const char *format, double value)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, format, value);
    return buf;
}

} // namespace

std::string ReportFormat::escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        switch (c) {
        case '&':
            out += "&amp;";
            ++i;
            continue;
        case '<':
            out += "&lt;";
            ++i;
            continue;
        case '>':
            out += "&gt;";
            ++i;
            continue;
        case '"':
            out += "&quot;";
            ++i;
            continue;
        case '\'':
            out += "&#39;";
            ++i;
            continue;
        case ':':
            // A URL in data (an error naming an endpoint) stays readable and copyable, but the
            // page holds no literal "scheme://" a checker or mail filter could take for a link.
            if (text.substr(i, 3) == "://") {
                out += ":&#47;&#47;";
                i += 3;
                continue;
            }
            break;
        default:
            break;
        }
        const std::size_t len = utf8Length(text, i);
        if (len == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        if (len == 1 && u < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out += "\xEF\xBF\xBD"; // control characters are not allowed in HTML text
        } else {
            out.append(text.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::string ReportFormat::number(double value, int decimals)
{
    if (!std::isfinite(value)) {
        return "\xE2\x80\x93";
    }
    char format[16];
    std::snprintf(format, sizeof format, "%%.%df", decimals);
    std::string s = printf1(format, value);
    if (s == "-0" || s.rfind("-0.", 0) == 0) {
        if (s.find_first_not_of("-0.") == std::string::npos) {
            s.erase(0, 1);
        }
    }
    return s;
}

std::string ReportFormat::compact(double value)
{
    if (!std::isfinite(value)) {
        return "\xE2\x80\x93";
    }
    const double a = std::fabs(value);
    if (a >= 1000 || value == std::floor(value)) {
        return number(value, 0);
    }
    if (a >= 100) {
        return number(value, 1);
    }
    if (a >= 1) {
        return number(value, 2);
    }
    if (a >= 0.01) {
        return number(value, 3);
    }
    return printf1("%.2g", value);
}

std::string ReportFormat::percent(double fraction, int decimals)
{
    if (!std::isfinite(fraction)) {
        return "\xE2\x80\x93";
    }
    return number(fraction * 100.0, decimals) + "\xC2\xA0%";
}

std::string ReportFormat::duration(double ms)
{
    if (!std::isfinite(ms)) {
        return "\xE2\x80\x93";
    }
    if (std::fabs(ms) >= 10000) {
        return number(ms / 1000.0, 1) + "\xC2\xA0s";
    }
    if (std::fabs(ms) >= 1000) {
        return number(ms / 1000.0, 2) + "\xC2\xA0s";
    }
    if (std::fabs(ms) >= 10) {
        return number(ms, 0) + "\xC2\xA0ms";
    }
    return number(ms, 1) + "\xC2\xA0ms";
}

std::string ReportFormat::usd(double value)
{
    if (!std::isfinite(value)) {
        return "\xE2\x80\x93";
    }
    const double a = std::fabs(value);
    std::string digits;
    if (a == 0) {
        digits = "0.00";
    } else if (a >= 1) {
        digits = number(a, 2);
    } else if (a >= 0.01) {
        digits = number(a, 4);
    } else {
        // Three significant digits without an exponent: $0.0000258.
        digits = number(a, int(-std::floor(std::log10(a))) + 2);
    }
    return (value < 0 ? "\xE2\x88\x92$" : "$") + digits;
}

std::string ReportFormat::pValue(double p)
{
    if (!std::isfinite(p)) {
        return "\xE2\x80\x93";
    }
    if (p < 0.001) {
        return "<\xC2\xA0"
               "0.001";
    }
    return number(p, 3);
}

std::string ReportFormat::signedNumber(double value, int decimals)
{
    if (!std::isfinite(value)) {
        return "\xE2\x80\x93";
    }
    const std::string digits = number(std::fabs(value), decimals);
    if (digits.find_first_not_of("0.") == std::string::npos) {
        return "\xC2\xB1" + digits;
    }
    return (value < 0 ? "\xE2\x88\x92" : "+") + digits;
}

std::string ReportFormat::count(std::int64_t value)
{
    std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) {
            out += "\xE2\x80\xAF"; // narrow no-break space
        }
        out += digits[i];
    }
    return (value < 0 ? "-" : "") + out;
}

std::string ReportFormat::dateUtc(std::int64_t ms)
{
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

std::string ReportFormat::valueText(const Value &value)
{
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_null()) {
        return {};
    }
    return value.dump(-1, ' ', false, Value::error_handler_t::replace);
}

std::string ReportFormat::variants(const Value &selection)
{
    if (!selection.is_object() || selection.empty()) {
        return "default";
    }
    std::string out;
    for (const auto &[node, id] : selection.items()) {
        if (!out.empty()) {
            out += ", ";
        }
        out += node + "=" + valueText(id);
    }
    return out;
}

std::string ReportFormat::truncate(std::string_view text, std::size_t maxBytes, bool *cut)
{
    if (cut) {
        *cut = text.size() > maxBytes;
    }
    if (text.size() <= maxBytes) {
        return std::string(text);
    }
    std::size_t end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return std::string(text.substr(0, end));
}

} // namespace fb
