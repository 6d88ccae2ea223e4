#include <cerrno>
#include <core/template/templatelexer_p.h>
#include <core/template/templatevalue_p.h>
#include <core/template/unicodetext_p.h>
#include <cstdlib>

namespace fb::jinja {

namespace {

bool isWs(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
           || (c >= 0x1C && c <= 0x1F);
}

bool isDigitChar(char c) { return c >= '0' && c <= '9'; }

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
           || static_cast<unsigned char>(c) >= 0x80;
}

bool isNameChar(char c) { return isNameStart(c) || isDigitChar(c); }

/// Python str.rstrip() over template data: removes trailing whitespace, including Unicode
/// spaces such as U+00A0 and U+3000.
void rstripData(std::string &text)
{
    std::string_view stripped = UnicodeText::strip(text, false, true);
    text.resize(stripped.size());
}

class Lexer
{
public:
    explicit Lexer(std::string source)
        : m_src(std::move(source))
    {
    }

    std::vector<TemplateToken> run()
    {
        const std::size_t n = m_src.size();
        std::size_t pos = 0;
        while (pos < n) {
            std::size_t k = findTagStart(pos);
            if (k == std::string::npos) {
                emitData(pos, n, false);
                break;
            }
            const char kind = m_src[k + 1];
            char sign = 0;
            if (k + 2 < n && (m_src[k + 2] == '-' || m_src[k + 2] == '+')) {
                sign = m_src[k + 2];
            }
            if (kind == '%') {
                std::size_t rawEnd = 0;
                char rawBeginSign = 0;
                if (matchRawBegin(k, rawEnd, rawBeginSign)) {
                    emitData(pos, k, rawBeginSign == '-');
                    pos = lexRaw(k, rawEnd);
                    continue;
                }
            }
            emitData(pos, k, sign == '-');
            const std::size_t afterBegin = k + 2 + (sign ? 1 : 0);
            if (kind == '#') {
                pos = lexComment(k, afterBegin);
            } else {
                pos = lexTag(k, afterBegin, kind == '%');
            }
        }
        TemplateToken eof;
        eof.type = TokenType::Eof;
        eof.line = m_tokens.empty() ? 1 : m_tokens.back().line; // as Jinja2 reports it
        m_tokens.push_back(std::move(eof));
        return std::move(m_tokens);
    }

private:
    std::string m_src;
    std::vector<TemplateToken> m_tokens;
    std::size_t m_linePos = 0;
    int m_line = 1;

    int lineAt(std::size_t pos)
    {
        if (pos < m_linePos) {
            m_linePos = 0;
            m_line = 1;
        }
        for (; m_linePos < pos && m_linePos < m_src.size(); ++m_linePos) {
            if (m_src[m_linePos] == '\n') {
                ++m_line;
            }
        }
        return m_line;
    }

    [[noreturn]] void fail(std::size_t pos, std::string message)
    {
        throw TemplateError{std::move(message), lineAt(pos)};
    }

    std::size_t findTagStart(std::size_t from) const
    {
        std::size_t k = from;
        while (true) {
            k = m_src.find('{', k);
            if (k == std::string::npos || k + 1 >= m_src.size()) {
                return std::string::npos;
            }
            const char c = m_src[k + 1];
            if (c == '{' || c == '%' || c == '#') {
                return k;
            }
            ++k;
        }
    }

    void emitData(std::size_t begin, std::size_t end, bool strip)
    {
        if (end <= begin) {
            return;
        }
        TemplateToken t;
        t.type = TokenType::Data;
        t.line = lineAt(begin);
        t.value.assign(m_src, begin, end - begin);
        if (strip) {
            rstripData(t.value);
        }
        if (!t.value.empty()) {
            m_tokens.push_back(std::move(t));
        }
    }

    std::size_t skipWs(std::size_t p) const
    {
        while (p < m_src.size() && isWs(m_src[p])) {
            ++p;
        }
        return p;
    }

    bool startsWith(std::size_t p, std::string_view s) const
    {
        return m_src.compare(p, s.size(), s) == 0;
    }

    /// `{%` [-+] \s* raw \s* (-%} \s* | %})
    bool matchRawBegin(std::size_t k, std::size_t &end, char &sign) const
    {
        std::size_t p = k + 2;
        sign = 0;
        if (p < m_src.size() && (m_src[p] == '-' || m_src[p] == '+')) {
            sign = m_src[p++];
        }
        p = skipWs(p);
        if (!startsWith(p, "raw")) {
            return false;
        }
        p = skipWs(p + 3);
        if (startsWith(p, "-%}")) {
            end = skipWs(p + 3);
            return true;
        }
        if (startsWith(p, "%}")) {
            end = p + 2;
            return true;
        }
        return false;
    }

    std::size_t lexRaw(std::size_t k, std::size_t contentStart)
    {
        std::size_t search = contentStart;
        while (true) {
            std::size_t s = m_src.find("{%", search);
            if (s == std::string::npos) {
                fail(k, "Missing end of raw directive");
            }
            std::size_t p = s + 2;
            char sign = 0;
            if (p < m_src.size() && (m_src[p] == '-' || m_src[p] == '+')) {
                sign = m_src[p++];
            }
            p = skipWs(p);
            if (startsWith(p, "endraw")) {
                p = skipWs(p + 6);
                std::size_t end = 0;
                bool matched = true;
                if (startsWith(p, "+%}")) {
                    end = p + 3;
                } else if (startsWith(p, "-%}")) {
                    end = skipWs(p + 3);
                } else if (startsWith(p, "%}")) {
                    end = p + 2;
                    if (end < m_src.size() && m_src[end] == '\n') {
                        ++end;
                    }
                } else {
                    matched = false;
                }
                if (matched) {
                    emitData(contentStart, s, sign == '-');
                    return end;
                }
            }
            search = s + 2;
        }
    }

    std::size_t lexComment(std::size_t k, std::size_t start)
    {
        const std::size_t e = m_src.find("#}", start);
        if (e == std::string::npos) {
            fail(k, "Missing end of comment tag");
        }
        if (e > start && m_src[e - 1] == '+') {
            return e + 2;
        }
        if (e > start && m_src[e - 1] == '-') {
            return skipWs(e + 2);
        }
        std::size_t end = e + 2;
        if (end < m_src.size() && m_src[end] == '\n') {
            ++end;
        }
        return end;
    }

    std::size_t lexTag(std::size_t k, std::size_t pos, bool block)
    {
        {
            TemplateToken begin;
            begin.type = block ? TokenType::BlockBegin : TokenType::VariableBegin;
            begin.line = lineAt(k);
            m_tokens.push_back(std::move(begin));
        }
        std::string balance;
        const std::size_t n = m_src.size();
        while (pos < n) {
            if (balance.empty()) {
                std::size_t end = 0;
                if (matchTagEnd(pos, block, end)) {
                    TemplateToken t;
                    t.type = block ? TokenType::BlockEnd : TokenType::VariableEnd;
                    t.line = lineAt(pos);
                    m_tokens.push_back(std::move(t));
                    return end;
                }
            }
            const char c = m_src[pos];
            if (isWs(c)) {
                ++pos;
                continue;
            }
            if (isDigitChar(c)) {
                pos = lexNumber(pos);
                continue;
            }
            if (isNameStart(c)) {
                std::size_t e = pos;
                while (e < n && isNameChar(m_src[e])) {
                    ++e;
                }
                TemplateToken t;
                t.type = TokenType::Name;
                t.line = lineAt(pos);
                t.value.assign(m_src, pos, e - pos);
                m_tokens.push_back(std::move(t));
                pos = e;
                continue;
            }
            if (c == '\'' || c == '"') {
                pos = lexString(pos);
                continue;
            }
            pos = lexOperator(pos, balance);
        }
        return n; // the parser reports the unexpected end of template
    }

    bool matchTagEnd(std::size_t pos, bool block, std::size_t &end) const
    {
        if (block) {
            if (startsWith(pos, "+%}")) {
                end = pos + 3;
                return true;
            }
            if (startsWith(pos, "-%}")) {
                end = skipWs(pos + 3);
                return true;
            }
            if (startsWith(pos, "%}")) {
                end = pos + 2;
                if (end < m_src.size() && m_src[end] == '\n') {
                    ++end; // trim_blocks
                }
                return true;
            }
            return false;
        }
        if (startsWith(pos, "-}}")) {
            end = skipWs(pos + 3);
            return true;
        }
        if (startsWith(pos, "}}")) {
            end = pos + 2;
            return true;
        }
        return false;
    }

    /// (\d+_)*\d+ at p; returns the end or p when nothing matched.
    std::size_t matchDigits(std::size_t p) const
    {
        std::size_t e = p;
        if (e >= m_src.size() || !isDigitChar(m_src[e])) {
            return p;
        }
        while (e < m_src.size()) {
            if (isDigitChar(m_src[e])) {
                ++e;
            } else if (m_src[e] == '_' && e + 1 < m_src.size() && isDigitChar(m_src[e + 1])) {
                ++e;
            } else {
                break;
            }
        }
        return e;
    }

    std::size_t lexNumber(std::size_t pos)
    {
        const std::size_t n = m_src.size();
        // Float first (not directly after a '.', so that `x.1.2` is two subscripts).
        if (pos == 0 || m_src[pos - 1] != '.') {
            std::size_t e = matchDigits(pos);
            bool fraction = false;
            bool exponent = false;
            if (e < n && m_src[e] == '.') {
                std::size_t f = matchDigits(e + 1);
                if (f > e + 1) {
                    e = f;
                    fraction = true;
                }
            }
            if (e < n && (m_src[e] == 'e' || m_src[e] == 'E')) {
                std::size_t x = e + 1;
                if (x < n && (m_src[x] == '+' || m_src[x] == '-')) {
                    ++x;
                }
                std::size_t f = matchDigits(x);
                if (f > x) {
                    e = f;
                    exponent = true;
                }
            }
            if (fraction || exponent) {
                std::string text;
                for (std::size_t i = pos; i < e; ++i) {
                    if (m_src[i] != '_') {
                        text.push_back(m_src[i]);
                    }
                }
                TemplateToken t;
                t.type = TokenType::Float;
                t.line = lineAt(pos);
                t.floatValue = std::strtod(text.c_str(), nullptr);
                t.value = std::move(text);
                m_tokens.push_back(std::move(t));
                return e;
            }
        }
        // Integer: 0b.. 0o.. 0x.. | [1-9](_?\d)* | 0(_?0)*
        int base = 10;
        std::size_t digitsStart = pos;
        std::size_t e = pos;
        auto isBaseDigit = [&](char c, int b) {
            if (b == 2) {
                return c == '0' || c == '1';
            }
            if (b == 8) {
                return c >= '0' && c <= '7';
            }
            return isDigitChar(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        };
        if (m_src[pos] == '0' && pos + 1 < n
            && (m_src[pos + 1] == 'b' || m_src[pos + 1] == 'B' || m_src[pos + 1] == 'o'
                || m_src[pos + 1] == 'O' || m_src[pos + 1] == 'x' || m_src[pos + 1] == 'X')) {
            const char p = static_cast<char>(m_src[pos + 1] | 0x20);
            const int b = p == 'b' ? 2 : (p == 'o' ? 8 : 16);
            std::size_t x = pos + 2;
            std::size_t last = x;
            while (x < n) {
                if (m_src[x] == '_' && x + 1 < n && isBaseDigit(m_src[x + 1], b)) {
                    x += 2;
                    last = x;
                } else if (isBaseDigit(m_src[x], b)) {
                    ++x;
                    last = x;
                } else {
                    break;
                }
            }
            if (last > pos + 2) {
                base = b;
                digitsStart = pos + 2;
                e = last;
            }
        }
        if (base == 10) {
            if (m_src[pos] == '0') {
                e = pos + 1;
                while (e < n) {
                    if (m_src[e] == '0') {
                        ++e;
                    } else if (m_src[e] == '_' && e + 1 < n && m_src[e + 1] == '0') {
                        e += 2;
                    } else {
                        break;
                    }
                }
            } else {
                e = matchDigits(pos);
            }
        }
        std::string digits;
        for (std::size_t i = digitsStart; i < e; ++i) {
            if (m_src[i] != '_') {
                digits.push_back(m_src[i]);
            }
        }
        errno = 0;
        const unsigned long long v = std::strtoull(digits.c_str(), nullptr, base);
        if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) {
            fail(pos, "integer literal too large (templates use 64-bit integers)");
        }
        TemplateToken t;
        t.type = TokenType::Integer;
        t.line = lineAt(pos);
        t.intValue = static_cast<std::int64_t>(v);
        t.value.assign(m_src, pos, e - pos);
        m_tokens.push_back(std::move(t));
        return e;
    }

    std::size_t lexString(std::size_t pos)
    {
        const char quote = m_src[pos];
        const std::size_t n = m_src.size();
        std::size_t e = pos + 1;
        while (e < n && m_src[e] != quote) {
            if (m_src[e] == '\\') {
                ++e;
            }
            ++e;
        }
        if (e >= n) {
            fail(pos, std::string("unexpected char ") + (quote == '\'' ? "\"'\"" : "'\"'") + " at "
                          + std::to_string(pos));
        }
        TemplateToken t;
        t.type = TokenType::String;
        t.line = lineAt(pos);
        t.value = unescape(std::string_view(m_src).substr(pos + 1, e - pos - 1), pos);
        m_tokens.push_back(std::move(t));
        return e + 1;
    }

    /// Python's "unicode-escape" decoding of a string literal body.
    std::string unescape(std::string_view s, std::size_t at)
    {
        std::string out;
        out.reserve(s.size());
        auto hexValue = [](char c) -> int {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        };
        for (std::size_t i = 0; i < s.size(); ++i) {
            const char c = s[i];
            if (c != '\\' || i + 1 >= s.size()) {
                out.push_back(c);
                continue;
            }
            const char e = s[++i];
            switch (e) {
            case '\n':
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '\'':
                out.push_back('\'');
                break;
            case '"':
                out.push_back('"');
                break;
            case 'a':
                out.push_back('\a');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'v':
                out.push_back('\v');
                break;
            case 'x':
            case 'u':
            case 'U': {
                const int digits = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
                char32_t cp = 0;
                for (int d = 0; d < digits; ++d) {
                    if (i + 1 >= s.size() || hexValue(s[i + 1]) < 0) {
                        fail(at, std::string("truncated \\") + e + "XX escape");
                    }
                    cp = cp * 16 + static_cast<char32_t>(hexValue(s[++i]));
                }
                if (cp > 0x10FFFF) {
                    fail(at, "illegal Unicode character");
                }
                UnicodeText::append(out, cp);
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    char32_t cp = static_cast<char32_t>(e - '0');
                    for (int d = 0; d < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7';
                         ++d) {
                        cp = cp * 8 + static_cast<char32_t>(s[++i] - '0');
                    }
                    UnicodeText::append(out, cp);
                } else {
                    out.push_back('\\');
                    out.push_back(e);
                }
                break;
            }
        }
        return out;
    }

    std::size_t lexOperator(std::size_t pos, std::string &balance)
    {
        static const char *twoChar[] = {"//", "**", "==", "!=", ">=", "<="};
        std::string op;
        for (const char *candidate : twoChar) {
            if (startsWith(pos, candidate)) {
                op = candidate;
                break;
            }
        }
        if (op.empty()) {
            const char c = m_src[pos];
            if (std::string_view("+-/*%~[](){}><=.:|,;").find(c) == std::string_view::npos) {
                std::string shown;
                std::size_t p = pos;
                const char32_t cp = UnicodeText::decode(m_src, p);
                UnicodeText::append(shown, cp);
                std::string msg = "unexpected char ";
                quoteRepr(msg, shown);
                fail(pos, msg + " at " + std::to_string(pos));
            }
            op = std::string(1, c);
        }
        if (op == "(" || op == "[" || op == "{") {
            balance.push_back(op == "(" ? ')' : (op == "[" ? ']' : '}'));
        } else if (op == ")" || op == "]" || op == "}") {
            if (balance.empty()) {
                fail(pos, "unexpected '" + op + "'");
            }
            const char expected = balance.back();
            balance.pop_back();
            if (expected != op[0]) {
                fail(pos, "unexpected '" + op + "', expected '" + std::string(1, expected) + "'");
            }
        }
        TemplateToken t;
        t.type = TokenType::Operator;
        t.line = lineAt(pos);
        t.value = op;
        m_tokens.push_back(std::move(t));
        return pos + op.size();
    }

    static void quoteRepr(std::string &out, const std::string &text)
    {
        const bool hasSingle = text.find('\'') != std::string::npos;
        const char q = hasSingle ? '"' : '\'';
        out.push_back(q);
        out += text;
        out.push_back(q);
    }
};

} // namespace

std::vector<TemplateToken> TemplateLexer::tokenize(std::string_view source)
{
    // Jinja2 treats \r\n, \r and \n as line breaks and writes \n.
    std::string normalized;
    normalized.reserve(source.size());
    for (std::size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            normalized.push_back('\n');
            if (i + 1 < source.size() && source[i + 1] == '\n') {
                ++i;
            }
        } else {
            normalized.push_back(source[i]);
        }
    }
    return Lexer(std::move(normalized)).run();
}

} // namespace fb::jinja
