#include <charconv>
#include <cmath>
#include <core/template/pyformat_p.h>
#include <core/template/unicodetext_p.h>
#include <cstdio>
#include <cstdlib>

namespace fb::jinja {

namespace {

std::string cFormat(const char *spec, int precision, double value)
{
    char buf[512];
    const int n = std::snprintf(buf, sizeof buf, spec, precision, value);
    if (n < 0) {
        return {};
    }
    if (static_cast<std::size_t>(n) < sizeof buf) {
        return std::string(buf, static_cast<std::size_t>(n));
    }
    std::string big(static_cast<std::size_t>(n) + 1, '\0');
    std::snprintf(big.data(), big.size(), spec, precision, value);
    big.resize(static_cast<std::size_t>(n));
    return big;
}

/// A parsed format spec: [[fill]align][sign][#][0][width][,|_][.precision][type].
struct Spec
{
    std::string fill = " ";
    char align = 0;
    char sign = 0;
    bool alternate = false;
    bool zero = false;
    int width = -1;
    char grouping = 0;
    int precision = -1;
    char type = 0;
};

bool isAlignChar(char c) { return c == '<' || c == '>' || c == '^' || c == '='; }

Spec parseSpec(std::string_view s)
{
    Spec spec;
    std::size_t i = 0;
    // A fill character may be any code point, followed by an align character.
    if (!s.empty()) {
        std::size_t p = 0;
        UnicodeText::decode(s, p);
        if (p < s.size() && isAlignChar(s[p])) {
            spec.fill = std::string(s.substr(0, p));
            spec.align = s[p];
            i = p + 1;
        } else if (isAlignChar(s[0])) {
            spec.align = s[0];
            i = 1;
        }
    }
    if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) {
        spec.sign = s[i++];
    }
    if (i < s.size() && s[i] == '#') {
        spec.alternate = true;
        ++i;
    }
    if (i < s.size() && s[i] == '0') {
        spec.zero = true;
        ++i;
    }
    if (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        int w = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            w = w * 10 + (s[i++] - '0');
        }
        spec.width = w;
    }
    if (i < s.size() && (s[i] == ',' || s[i] == '_')) {
        spec.grouping = s[i++];
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        int p = 0;
        bool any = false;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            p = p * 10 + (s[i++] - '0');
            any = true;
        }
        if (!any) {
            raiseError("Format specifier missing precision");
        }
        spec.precision = p;
    }
    if (i < s.size()) {
        spec.type = s[i++];
    }
    if (i < s.size()) {
        raiseError("Invalid format specifier '" + std::string(s) + "'");
    }
    return spec;
}

std::string groupDigits(const std::string &digits, char sep, int every)
{
    std::string out;
    const int n = static_cast<int>(digits.size());
    for (int i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % every == 0) {
            out.push_back(sep);
        }
        out.push_back(digits[static_cast<std::size_t>(i)]);
    }
    return out;
}

std::string pad(const std::string &body, const Spec &spec, char defaultAlign,
                const std::string &signPrefix = {})
{
    const std::size_t len = UnicodeText::length(body) + UnicodeText::length(signPrefix);
    char align = spec.align ? spec.align : defaultAlign;
    std::string fill = spec.fill;
    if (!spec.align && spec.zero) {
        align = '=';
        fill = "0";
    }
    if (spec.width < 0 || len >= static_cast<std::size_t>(spec.width)) {
        return signPrefix + body;
    }
    const std::size_t total = static_cast<std::size_t>(spec.width) - len;
    auto repeat = [&](std::size_t n) {
        std::string r;
        for (std::size_t i = 0; i < n; ++i) {
            r += fill;
        }
        return r;
    };
    switch (align) {
    case '<':
        return signPrefix + body + repeat(total);
    case '^':
        return repeat(total / 2) + signPrefix + body + repeat(total - total / 2);
    case '=':
        return signPrefix + repeat(total) + body;
    default:
        return repeat(total) + signPrefix + body;
    }
}

std::string formatFloatBody(double v, const Spec &spec, char type)
{
    const int prec = spec.precision < 0 ? 6 : spec.precision;
    std::string body;
    switch (type) {
    case 'f':
    case 'F':
        body = cFormat(spec.alternate ? "%#.*f" : "%.*f", prec, v);
        break;
    case 'e':
    case 'E':
        body = cFormat(spec.alternate ? "%#.*e" : "%.*e", prec, v);
        break;
    case 'g':
    case 'G':
    case 'n':
        body = cFormat(spec.alternate ? "%#.*g" : "%.*g", prec == 0 ? 1 : prec, v);
        break;
    case '%':
        body = cFormat("%.*f", prec, v * 100.0) + "%";
        break;
    default: // no type: repr, or 'g'-like with at least one decimal digit
        if (spec.precision < 0) {
            PyFormat::appendFloat(body, v);
        } else {
            body = cFormat("%.*g", prec == 0 ? 1 : prec, v);
            if (body.find_first_of(".einn") == std::string::npos) {
                body += ".0";
            }
        }
        break;
    }
    if (type == 'F' || type == 'E' || type == 'G') {
        for (char &c : body) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    return body;
}

std::string formatNumber(const TemplateValue &value, const Spec &spec)
{
    char type = spec.type;
    const bool isFloatType = type == 'e' || type == 'E' || type == 'f' || type == 'F' || type == 'g'
                             || type == 'G' || type == '%';
    std::string body;
    bool negative = false;
    if (value.isFloat() || isFloatType || (type == 'n' && value.isFloat())) {
        if (type == 'd' || type == 'x' || type == 'X' || type == 'o' || type == 'b'
            || type == 'c') {
            raiseError(std::string("Unknown format code '") + type
                       + "' for object of type 'float'");
        }
        double v = value.floatValue();
        negative = std::signbit(v) && !std::isnan(v);
        if (negative) {
            v = -v;
        }
        body = formatFloatBody(v, spec, type);
        if (spec.grouping && std::isfinite(v)) {
            std::size_t end = body.find_first_not_of("0123456789");
            if (end == std::string::npos) {
                end = body.size();
            }
            body = groupDigits(body.substr(0, end), spec.grouping, 3) + body.substr(end);
        }
    } else {
        std::int64_t v = value.intValue();
        negative = v < 0;
        const std::uint64_t mag
            = negative ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(v)
                       : static_cast<std::uint64_t>(v);
        std::string prefix;
        int base = 10;
        switch (type) {
        case 'x':
        case 'X':
            base = 16;
            prefix = spec.alternate ? (type == 'x' ? "0x" : "0X") : "";
            break;
        case 'o':
            base = 8;
            prefix = spec.alternate ? "0o" : "";
            break;
        case 'b':
            base = 2;
            prefix = spec.alternate ? "0b" : "";
            break;
        case 'c': {
            std::string c;
            UnicodeText::append(c, static_cast<char32_t>(v));
            return pad(c, spec, '<');
        }
        case 0:
        case 'd':
        case 'n':
            break;
        case 's':
            raiseError("Unknown format code 's' for object of type 'int'");
        default:
            raiseError(std::string("Unknown format code '") + type + "' for object of type 'int'");
        }
        char buf[80];
        auto r = std::to_chars(buf, buf + sizeof buf, mag, base);
        std::string digits(buf, r.ptr);
        if (type == 'X') {
            for (char &c : digits) {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
        }
        if (spec.grouping) {
            digits = groupDigits(digits, spec.grouping, base == 10 ? 3 : 4);
        }
        body = digits;
        if (!prefix.empty()) {
            std::string signPart
                = negative ? "-" : (spec.sign == '+' ? "+" : (spec.sign == ' ' ? " " : ""));
            return pad(body, spec, '>', signPart + prefix);
        }
    }
    std::string signPart
        = negative ? "-" : (spec.sign == '+' ? "+" : (spec.sign == ' ' ? " " : ""));
    return pad(body, spec, '>', signPart);
}

} // namespace

void PyFormat::appendInt(std::string &out, std::int64_t value)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

void PyFormat::appendFloat(std::string &out, double value)
{
    if (std::isnan(value)) {
        out += "nan";
        return;
    }
    if (std::isinf(value)) {
        out += value < 0 ? "-inf" : "inf";
        return;
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
    std::size_t i = 0;
    if (sci[0] == '-') {
        out.push_back('-');
        i = 1;
    }
    std::string digits;
    std::size_t ePos = sci.find('e');
    for (std::size_t k = i; k < ePos; ++k) {
        if (sci[k] != '.') {
            digits.push_back(sci[k]);
        }
    }
    const int exp10 = std::atoi(std::string(sci.substr(ePos + 1)).c_str());
    if (exp10 < -4 || exp10 >= 16) {
        out.push_back(digits[0]);
        if (digits.size() > 1) {
            out.push_back('.');
            out.append(digits, 1, std::string::npos);
        }
        out.push_back('e');
        out.push_back(exp10 < 0 ? '-' : '+');
        const int a = exp10 < 0 ? -exp10 : exp10;
        if (a < 10) {
            out.push_back('0');
        }
        out += std::to_string(a);
        return;
    }
    if (exp10 >= 0) {
        const auto intDigits = static_cast<std::size_t>(exp10) + 1;
        if (digits.size() <= intDigits) {
            out += digits;
            out.append(intDigits - digits.size(), '0');
            out += ".0";
        } else {
            out.append(digits, 0, intDigits);
            out.push_back('.');
            out.append(digits, intDigits, std::string::npos);
        }
    } else {
        out += "0.";
        out.append(static_cast<std::size_t>(-exp10 - 1), '0');
        out += digits;
    }
}

void PyFormat::appendStrRepr(std::string &out, std::string_view text)
{
    const bool hasSingle = text.find('\'') != std::string_view::npos;
    const bool hasDouble = text.find('"') != std::string_view::npos;
    const char quote = (hasSingle && !hasDouble) ? '"' : '\'';
    out.push_back(quote);
    std::size_t pos = 0;
    static const char *hex = "0123456789abcdef";
    while (pos < text.size()) {
        const auto c = static_cast<unsigned char>(text[pos]);
        if (c < 0x80) {
            ++pos;
            if (c == static_cast<unsigned char>(quote) || c == '\\') {
                out.push_back('\\');
                out.push_back(static_cast<char>(c));
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if (c == '\t') {
                out += "\\t";
            } else if (c < 0x20 || c == 0x7F) {
                out += "\\x";
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
            } else {
                out.push_back(static_cast<char>(c));
            }
            continue;
        }
        const std::size_t start = pos;
        const char32_t cp = UnicodeText::decode(text, pos);
        // Characters Python does not consider printable are escaped.
        const bool nonPrintable
            = (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x1680
              || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) || cp == 0x205F
              || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF
              || (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE000 && cp <= 0xF8FF)
              || (cp >= 0xD800 && cp <= 0xDFFF);
        if (!nonPrintable) {
            out.append(text.substr(start, pos - start));
            continue;
        }
        if (cp <= 0xFF) {
            out += "\\x";
            out.push_back(hex[(cp >> 4) & 15]);
            out.push_back(hex[cp & 15]);
        } else {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) {
                out.push_back(hex[(cp >> shift) & 15]);
            }
        }
    }
    out.push_back(quote);
}

std::string PyFormat::formatSpec(const TemplateValue &value, std::string_view specText)
{
    if (value.isUndefined()) {
        py::failUndefined(value);
    }
    if (value.isBool() && specText.empty()) {
        return value.boolValue() ? "True" : "False";
    }
    if (value.isNumber()) {
        Spec spec = parseSpec(specText);
        if (spec.type == 's') {
            raiseError(std::string("Unknown format code 's' for object of type '")
                       + py::typeName(value) + "'");
        }
        return formatNumber(value, spec);
    }
    if (value.isStr()) {
        Spec spec = parseSpec(specText);
        if (spec.type != 0 && spec.type != 's') {
            raiseError(std::string("Unknown format code '") + spec.type
                       + "' for object of type 'str'");
        }
        if (spec.sign) {
            raiseError("Sign not allowed in string format specifier");
        }
        std::string_view text = value.str();
        if (spec.precision >= 0) {
            text = text.substr(
                0, UnicodeText::offsetOf(text, static_cast<std::size_t>(spec.precision)));
        }
        return pad(std::string(text), spec, '<');
    }
    if (!specText.empty()) {
        raiseError("unsupported format string passed to " + py::typeName(value) + ".__format__");
    }
    return py::str(value);
}

std::string PyFormat::percent(std::string_view fmt, const TemplateValue &args)
{
    std::vector<TemplateValue> positional;
    const TemplateValue *mapping = nullptr;
    if (args.kind() == ValKind::List && args.listObject().tuple) {
        positional = args.listObject().items;
    } else {
        positional.push_back(args);
        if (args.isMapping()) {
            mapping = &args;
        }
    }
    std::size_t next = 0;
    bool usedMapping = false;
    auto nextArg = [&]() -> TemplateValue {
        if (next >= positional.size()) {
            raiseError("not enough arguments for format string");
        }
        return positional[next++];
    };
    std::string out;
    std::size_t i = 0;
    while (i < fmt.size()) {
        const char c = fmt[i];
        if (c != '%') {
            out.push_back(c);
            ++i;
            continue;
        }
        ++i;
        if (i >= fmt.size()) {
            raiseError("incomplete format");
        }
        TemplateValue arg;
        bool haveArg = false;
        if (fmt[i] == '(') {
            const std::size_t close = fmt.find(')', i);
            if (close == std::string_view::npos) {
                raiseError("incomplete format key");
            }
            if (mapping == nullptr) {
                raiseError("format requires a mapping");
            }
            arg = py::getKey(*mapping, std::string(fmt.substr(i + 1, close - i - 1)));
            if (arg.isUndefined()) {
                raiseError("KeyError: '" + std::string(fmt.substr(i + 1, close - i - 1)) + "'");
            }
            usedMapping = true;
            haveArg = true;
            i = close + 1;
        }
        Spec spec;
        bool leftAlign = false;
        while (i < fmt.size()
               && (fmt[i] == '-' || fmt[i] == '+' || fmt[i] == ' ' || fmt[i] == '0'
                   || fmt[i] == '#')) {
            switch (fmt[i]) {
            case '-':
                leftAlign = true;
                break;
            case '+':
                spec.sign = '+';
                break;
            case ' ':
                if (spec.sign != '+') {
                    spec.sign = ' ';
                }
                break;
            case '0':
                spec.zero = true;
                break;
            default:
                spec.alternate = true;
                break;
            }
            ++i;
        }
        if (i < fmt.size() && fmt[i] == '*') {
            spec.width = static_cast<int>(nextArg().intValue());
            ++i;
        } else {
            while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
                spec.width = (spec.width < 0 ? 0 : spec.width) * 10 + (fmt[i++] - '0');
            }
        }
        if (i < fmt.size() && fmt[i] == '.') {
            ++i;
            spec.precision = 0;
            if (i < fmt.size() && fmt[i] == '*') {
                spec.precision = static_cast<int>(nextArg().intValue());
                ++i;
            } else {
                while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
                    spec.precision = spec.precision * 10 + (fmt[i++] - '0');
                }
            }
        }
        while (i < fmt.size() && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L')) {
            ++i;
        }
        if (i >= fmt.size()) {
            raiseError("incomplete format");
        }
        const char type = fmt[i++];
        if (type == '%') {
            out.push_back('%');
            continue;
        }
        if (!haveArg) {
            arg = nextArg();
        }
        if (leftAlign) {
            spec.align = '<';
            spec.zero = false;
        }
        std::string piece;
        switch (type) {
        case 's':
        case 'r':
        case 'a': {
            std::string text = type == 's' ? py::str(arg) : py::repr(arg);
            if (spec.precision >= 0) {
                text.resize(UnicodeText::offsetOf(text, static_cast<std::size_t>(spec.precision)));
            }
            spec.zero = false;
            piece = pad(text, spec, '>');
            break;
        }
        case 'd':
        case 'i':
        case 'u': {
            if (!arg.isNumber()) {
                raiseError(std::string("%") + type + " format: a real number is required, not "
                           + py::typeName(arg));
            }
            const double f = arg.floatValue();
            TemplateValue iv
                = arg.isFloat() ? TemplateValue::integer(static_cast<std::int64_t>(std::trunc(f)))
                                : TemplateValue::integer(arg.intValue());
            spec.type = 'd';
            spec.precision = -1;
            piece = formatNumber(iv, spec);
            break;
        }
        case 'x':
        case 'X':
        case 'o': {
            if (!arg.isIntegral()) {
                raiseError(std::string("%") + type + " format: an integer is required, not "
                           + py::typeName(arg));
            }
            spec.type = type;
            spec.precision = -1;
            const bool alt = spec.alternate;
            spec.alternate = false;
            piece = formatNumber(TemplateValue::integer(arg.intValue()), spec);
            if (alt) {
                // printf-style alternate form puts the prefix after the sign.
                const std::string prefix = type == 'o' ? "0o" : (type == 'x' ? "0x" : "0X");
                std::size_t at = piece.find_first_not_of(" ");
                if (at != std::string::npos && (piece[at] == '-' || piece[at] == '+')) {
                    ++at;
                }
                piece.insert(at == std::string::npos ? 0 : at, prefix);
            }
            break;
        }
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G': {
            if (!arg.isNumber()) {
                raiseError(std::string("must be real number, not ") + py::typeName(arg));
            }
            spec.type = type;
            piece = formatNumber(TemplateValue::real(arg.floatValue()), spec);
            break;
        }
        case 'c': {
            std::string ch;
            if (arg.isStr()) {
                ch = arg.str();
            } else {
                UnicodeText::append(ch, static_cast<char32_t>(arg.intValue()));
            }
            spec.zero = false;
            piece = pad(ch, spec, '>');
            break;
        }
        default:
            raiseError(std::string("unsupported format character '") + type + "'");
        }
        out += piece;
    }
    if (!usedMapping && next < positional.size() && !(positional.size() == 1 && mapping)) {
        raiseError("not all arguments converted during string formatting");
    }
    return out;
}

std::string PyFormat::format(std::string_view fmt, const std::vector<TemplateValue> &positional,
                             const std::vector<std::pair<std::string, TemplateValue>> &keywords)
{
    std::string out;
    std::size_t autoIndex = 0;
    std::size_t i = 0;
    auto resolveField = [&](std::string_view field) -> TemplateValue {
        std::size_t end = field.find_first_of(".[");
        std::string_view head = field.substr(0, end);
        TemplateValue value;
        if (head.empty()) {
            if (autoIndex >= positional.size()) {
                raiseError("Replacement index " + std::to_string(autoIndex)
                           + " out of range for positional args tuple");
            }
            value = positional[autoIndex++];
        } else if (head.find_first_not_of("0123456789") == std::string_view::npos) {
            const std::size_t idx = static_cast<std::size_t>(std::stoul(std::string(head)));
            if (idx >= positional.size()) {
                raiseError("Replacement index " + std::to_string(idx)
                           + " out of range for positional args tuple");
            }
            value = positional[idx];
        } else {
            bool found = false;
            for (const auto &kw : keywords) {
                if (kw.first == head) {
                    value = kw.second;
                    found = true;
                    break;
                }
            }
            if (!found) {
                raiseError("KeyError: '" + std::string(head) + "'");
            }
        }
        while (end != std::string_view::npos && end < field.size()) {
            if (field[end] == '.') {
                std::size_t next = field.find_first_of(".[", end + 1);
                const std::string name(field.substr(end + 1, next == std::string_view::npos
                                                                 ? std::string_view::npos
                                                                 : next - end - 1));
                value = py::getKey(value, name);
                end = next;
            } else {
                const std::size_t close = field.find(']', end);
                if (close == std::string_view::npos) {
                    raiseError("Missing ']' in format string");
                }
                const std::string key(field.substr(end + 1, close - end - 1));
                if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos) {
                    value = py::getItem(value, TemplateValue::integer(std::stoll(key)));
                } else {
                    value = py::getKey(value, key);
                }
                end = close + 1;
                if (end >= field.size()) {
                    break;
                }
            }
        }
        return value;
    };
    while (i < fmt.size()) {
        const char c = fmt[i];
        if (c == '}') {
            if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
                out.push_back('}');
                i += 2;
                continue;
            }
            raiseError("Single '}' encountered in format string");
        }
        if (c != '{') {
            out.push_back(c);
            ++i;
            continue;
        }
        if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
            out.push_back('{');
            i += 2;
            continue;
        }
        // Find the matching close brace, allowing one level of nested fields in the spec.
        std::size_t j = i + 1;
        int depth = 1;
        while (j < fmt.size() && depth > 0) {
            if (fmt[j] == '{') {
                ++depth;
            } else if (fmt[j] == '}') {
                --depth;
            }
            if (depth > 0) {
                ++j;
            }
        }
        if (j >= fmt.size()) {
            raiseError("Single '{' encountered in format string");
        }
        std::string_view inner = fmt.substr(i + 1, j - i - 1);
        i = j + 1;
        std::string_view field = inner;
        std::string_view conversion;
        std::string spec;
        const std::size_t colon = inner.find(':');
        const std::size_t bang = inner.find('!');
        if (bang != std::string_view::npos && (colon == std::string_view::npos || bang < colon)) {
            field = inner.substr(0, bang);
            conversion
                = inner.substr(bang + 1, colon == std::string_view::npos ? std::string_view::npos
                                                                         : colon - bang - 1);
        } else if (colon != std::string_view::npos) {
            field = inner.substr(0, colon);
        }
        if (colon != std::string_view::npos) {
            std::string_view rawSpec = inner.substr(colon + 1);
            if (rawSpec.find('{') != std::string_view::npos) {
                spec = format(rawSpec, positional, keywords);
            } else {
                spec = std::string(rawSpec);
            }
        }
        TemplateValue value = resolveField(field);
        if (!conversion.empty()) {
            if (conversion == "r" || conversion == "a") {
                value = TemplateValue::string(py::repr(value));
            } else if (conversion == "s") {
                value = TemplateValue::string(py::str(value));
            } else {
                raiseError("Unknown conversion specifier " + std::string(conversion));
            }
        }
        out += formatSpec(value, spec);
    }
    return out;
}

} // namespace fb::jinja
