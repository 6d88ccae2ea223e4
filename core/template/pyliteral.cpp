#include <core/template/pyliteral_p.h>
#include <core/template/unicodetext_p.h>
#include <cstdlib>
#include <string>

namespace fb {

namespace {

class LiteralParser
{
public:
    explicit LiteralParser(std::string_view text)
        : m_text(text)
    {
    }

    std::optional<Value> run()
    {
        std::optional<Value> v = value(0);
        skipWs();
        if (!v || m_pos != m_text.size()) {
            return std::nullopt;
        }
        return v;
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    static constexpr int kMaxDepth = 100;

    void skipWs()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n'
                   || m_text[m_pos] == '\r')) {
            ++m_pos;
        }
    }

    bool consume(char c)
    {
        skipWs();
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    bool word(std::string_view w)
    {
        if (m_text.substr(m_pos, w.size()) != w) {
            return false;
        }
        const std::size_t after = m_pos + w.size();
        if (after < m_text.size()
            && (std::isalnum(static_cast<unsigned char>(m_text[after])) || m_text[after] == '_')) {
            return false;
        }
        m_pos = after;
        return true;
    }

    std::optional<Value> value(int depth)
    {
        if (depth > kMaxDepth) {
            return std::nullopt;
        }
        skipWs();
        if (m_pos >= m_text.size()) {
            return std::nullopt;
        }
        const char c = m_text[m_pos];
        if (c == '[' || c == '(') {
            const char close = c == '[' ? ']' : ')';
            ++m_pos;
            Value arr = Value::array();
            while (true) {
                if (consume(close)) {
                    return arr;
                }
                std::optional<Value> item = value(depth + 1);
                if (!item) {
                    return std::nullopt;
                }
                arr.push_back(std::move(*item));
                if (consume(',')) {
                    continue;
                }
                if (consume(close)) {
                    return arr;
                }
                return std::nullopt;
            }
        }
        if (c == '{') {
            ++m_pos;
            Value obj = Value::object();
            while (true) {
                if (consume('}')) {
                    return obj;
                }
                std::optional<Value> key = value(depth + 1);
                if (!key || !consume(':')) {
                    return std::nullopt;
                }
                std::optional<Value> item = value(depth + 1);
                if (!item) {
                    return std::nullopt;
                }
                obj[key->is_string() ? key->get<std::string>() : key->dump()] = std::move(*item);
                if (consume(',')) {
                    continue;
                }
                if (consume('}')) {
                    return obj;
                }
                return std::nullopt;
            }
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (word("True") || word("true")) {
            return Value(true);
        }
        if (word("False") || word("false")) {
            return Value(false);
        }
        if (word("None") || word("null")) {
            return Value(nullptr);
        }
        return number();
    }

    std::optional<Value> string()
    {
        const char quote = m_text[m_pos++];
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            char c = m_text[m_pos++];
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (m_pos >= m_text.size()) {
                return std::nullopt;
            }
            c = m_text[m_pos++];
            switch (c) {
            case 'n':
                out.push_back('\n');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case '/':
                out.push_back('/');
                break;
            case 'x':
            case 'u': {
                const std::size_t digits = c == 'x' ? 2 : 4;
                if (m_pos + digits > m_text.size()) {
                    return std::nullopt;
                }
                const std::string hex(m_text.substr(m_pos, digits));
                char *end = nullptr;
                char32_t cp = static_cast<char32_t>(std::strtoul(hex.c_str(), &end, 16));
                if (end != hex.c_str() + hex.size()) {
                    return std::nullopt;
                }
                m_pos += digits;
                // JSON surrogate pairs
                if (cp >= 0xD800 && cp <= 0xDBFF && m_text.substr(m_pos, 2) == "\\u"
                    && m_pos + 6 <= m_text.size()) {
                    const std::string low(m_text.substr(m_pos + 2, 4));
                    const auto lo = static_cast<char32_t>(std::strtoul(low.c_str(), nullptr, 16));
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        m_pos += 6;
                    }
                }
                jinja::UnicodeText::append(out, cp);
                break;
            }
            default:
                out.push_back(c);
                break;
            }
        }
        if (m_pos >= m_text.size()) {
            return std::nullopt;
        }
        ++m_pos;
        return Value(std::move(out));
    }

    std::optional<Value> number()
    {
        const std::size_t start = m_pos;
        if (m_pos < m_text.size() && (m_text[m_pos] == '-' || m_text[m_pos] == '+')) {
            ++m_pos;
        }
        bool isFloat = false;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (std::isdigit(static_cast<unsigned char>(c))) {
                ++m_pos;
            } else if (c == '.' || c == 'e' || c == 'E'
                       || ((c == '-' || c == '+')
                           && (m_text[m_pos - 1] == 'e' || m_text[m_pos - 1] == 'E'))) {
                isFloat = true;
                ++m_pos;
            } else {
                break;
            }
        }
        const std::string text(m_text.substr(start, m_pos - start));
        if (text.empty() || text == "-" || text == "+") {
            return std::nullopt;
        }
        char *end = nullptr;
        if (isFloat) {
            const double d = std::strtod(text.c_str(), &end);
            if (end != text.c_str() + text.size()) {
                return std::nullopt;
            }
            return Value(d);
        }
        const long long i = std::strtoll(text.c_str(), &end, 10);
        if (end != text.c_str() + text.size()) {
            return std::nullopt;
        }
        return Value(static_cast<std::int64_t>(i));
    }
};

} // namespace

std::optional<Value> PyLiteral::parse(std::string_view text) { return LiteralParser(text).run(); }

} // namespace fb
