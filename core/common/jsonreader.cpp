#include <core/common/jsonreader.h>

#include <cstring>

namespace fb {

namespace {

constexpr int kMaxDepth = 64;

int hexValue(char c)
{
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
}

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

/// For each byte: true when it ends the plain run of a string (quote, backslash, or a
/// control character, which is invalid there). One table load per byte: every string and
/// key of every answer is scanned.
struct StringStops
{
    bool stop[256] = {};
    constexpr StringStops()
    {
        for (int c = 0; c < 0x20; ++c) {
            stop[c] = true;
        }
        stop[int('"')] = true;
        stop[int('\\')] = true;
    }
};
constexpr StringStops kStringStops;

constexpr std::uint64_t kEveryByte = 0x0101010101010101ULL; // 1 in every byte
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

/// Whether any byte of `word` is below `limit` (at most 0x80), without branching per byte.
constexpr bool hasByteBelow(std::uint64_t word, std::uint64_t limit)
{
    return ((word - kEveryByte * limit) & ~word & kHighBits) != 0;
}

/// Whether the eight bytes at `p` hold a quote, a backslash or a control character.
bool hasStringStop(const char *p)
{
    std::uint64_t word = 0;
    std::memcpy(&word, p, sizeof word);
    return hasByteBelow(word, 0x20) || hasByteBelow(word ^ (kEveryByte * '"'), 1)
           || hasByteBelow(word ^ (kEveryByte * '\\'), 1);
}

} // namespace

JsonReader::JsonReader(std::string_view text)
    : m_text(text)
{
}

bool JsonReader::fail()
{
    m_failed = true;
    return false;
}

void JsonReader::skipWhitespace()
{
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            return;
        }
        ++m_pos;
    }
}

bool JsonReader::expect(char c)
{
    skipWhitespace();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
        ++m_pos;
        return true;
    }
    return fail();
}

JsonReader::Kind JsonReader::peek()
{
    if (m_failed) {
        return Kind::Invalid;
    }
    skipWhitespace();
    if (m_pos >= m_text.size()) {
        return Kind::Invalid;
    }
    switch (m_text[m_pos]) {
    case '{':
        return Kind::Object;
    case '[':
        return Kind::Array;
    case '"':
        return Kind::String;
    case 't':
        return Kind::True;
    case 'f':
        return Kind::False;
    case 'n':
        return Kind::Null;
    default:
        return (m_text[m_pos] == '-' || (m_text[m_pos] >= '0' && m_text[m_pos] <= '9'))
                   ? Kind::Number
                   : Kind::Invalid;
    }
}

bool JsonReader::push(bool isObject)
{
    if (m_failed || !expect(isObject ? '{' : '[') || m_depth >= kMaxDepth) {
        return fail();
    }
    ++m_depth;
    m_needComma &= ~(std::uint64_t(1) << (m_depth - 1));
    return true;
}

bool JsonReader::beginObject() { return push(true); }

bool JsonReader::beginArray() { return push(false); }

bool JsonReader::nextMember(std::string_view &key)
{
    if (m_failed || m_depth == 0) {
        return fail();
    }
    skipWhitespace();
    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
        ++m_pos;
        --m_depth;
        return false;
    }
    const std::uint64_t bit = std::uint64_t(1) << (m_depth - 1);
    if (m_needComma & bit) {
        if (!expect(',')) {
            return false;
        }
        skipWhitespace();
    }
    m_needComma |= bit;
    if (m_pos >= m_text.size() || m_text[m_pos] != '"') {
        return fail();
    }
    if (!scanString(&key, &m_keyScratch)) {
        return false;
    }
    return expect(':');
}

bool JsonReader::nextElement()
{
    if (m_failed || m_depth == 0) {
        return fail();
    }
    skipWhitespace();
    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
        ++m_pos;
        --m_depth;
        return false;
    }
    const std::uint64_t bit = std::uint64_t(1) << (m_depth - 1);
    if (m_needComma & bit) {
        if (!expect(',')) {
            return false;
        }
    }
    m_needComma |= bit;
    return true;
}

bool JsonReader::scanString(std::string_view *out, std::string *scratch)
{
    // m_text[m_pos] == '"'
    const std::size_t start = ++m_pos;
    const char *data = m_text.data();
    const std::size_t n = m_text.size();
    std::size_t i = start;
    // Plain text eight bytes at a time, then byte by byte up to the stop.
    while (i + 8 <= n && !hasStringStop(data + i)) {
        i += 8;
    }
    while (i < n && !kStringStops.stop[static_cast<unsigned char>(data[i])]) {
        ++i;
    }
    while (i < n) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c == '"') {
            if (out) {
                *out = m_text.substr(start, i - start);
            }
            m_pos = i + 1;
            return true;
        }
        if (c == '\\') {
            break;
        }
        if (c < 0x20) {
            return fail();
        }
        ++i;
    }
    if (i >= n) {
        return fail();
    }
    // Slow path: escapes present.
    std::string local;
    std::string &buf = scratch ? *scratch : local;
    buf.assign(data + start, i - start);
    while (i < n) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c == '"') {
            if (out) {
                *out = buf;
            }
            m_pos = i + 1;
            return true;
        }
        if (c < 0x20) {
            return fail();
        }
        if (c != '\\') {
            buf.push_back(char(c));
            ++i;
            continue;
        }
        if (i + 1 >= n) {
            return fail();
        }
        const char e = data[i + 1];
        i += 2;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            buf.push_back(e);
            break;
        case 'b':
            buf.push_back('\b');
            break;
        case 'f':
            buf.push_back('\f');
            break;
        case 'n':
            buf.push_back('\n');
            break;
        case 'r':
            buf.push_back('\r');
            break;
        case 't':
            buf.push_back('\t');
            break;
        case 'u': {
            const auto hex4 = [&](std::size_t at, std::uint32_t &v) {
                if (at + 4 > n) {
                    return false;
                }
                v = 0;
                for (std::size_t k = 0; k < 4; ++k) {
                    const int h = hexValue(data[at + k]);
                    if (h < 0) {
                        return false;
                    }
                    v = (v << 4) | std::uint32_t(h);
                }
                return true;
            };
            std::uint32_t cp = 0;
            if (!hex4(i, cp)) {
                return fail();
            }
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                std::uint32_t low = 0;
                if (i + 6 <= n && data[i] == '\\' && data[i + 1] == 'u' && hex4(i + 2, low)
                    && low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                } else if (m_rejectLoneSurrogates) {
                    return fail();
                } else {
                    cp = 0xFFFD; // lone high surrogate
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                if (m_rejectLoneSurrogates) {
                    return fail();
                }
                cp = 0xFFFD; // lone low surrogate
            }
            appendUtf8(buf, cp);
            break;
        }
        default:
            return fail();
        }
    }
    return fail();
}

bool JsonReader::scanNumber()
{
    const char *d = m_text.data();
    const std::size_t n = m_text.size();
    std::size_t i = m_pos;
    if (i < n && d[i] == '-') {
        ++i;
    }
    if (i >= n || !(d[i] >= '0' && d[i] <= '9')) {
        return fail();
    }
    if (d[i] == '0') {
        ++i;
    } else {
        while (i < n && d[i] >= '0' && d[i] <= '9') {
            ++i;
        }
    }
    if (i < n && d[i] == '.') {
        ++i;
        const std::size_t digits = i;
        while (i < n && d[i] >= '0' && d[i] <= '9') {
            ++i;
        }
        if (i == digits) {
            return fail();
        }
    }
    if (i < n && (d[i] == 'e' || d[i] == 'E')) {
        ++i;
        if (i < n && (d[i] == '+' || d[i] == '-')) {
            ++i;
        }
        const std::size_t digits = i;
        while (i < n && d[i] >= '0' && d[i] <= '9') {
            ++i;
        }
        if (i == digits) {
            return fail();
        }
    }
    m_pos = i;
    return true;
}

bool JsonReader::scanLiteral(std::string_view word)
{
    if (m_text.substr(m_pos, word.size()) != word) {
        return fail();
    }
    m_pos += word.size();
    return true;
}

bool JsonReader::readString(std::string_view &out, std::string &scratch)
{
    if (peek() != Kind::String) {
        return fail();
    }
    return scanString(&out, &scratch);
}

bool JsonReader::readInt(std::int64_t &out)
{
    if (peek() != Kind::Number) {
        return fail();
    }
    const std::size_t start = m_pos;
    if (!scanNumber()) {
        return false;
    }
    bool negative = false;
    std::int64_t v = 0;
    for (std::size_t i = start; i < m_pos; ++i) {
        const char c = m_text[i];
        if (c == '-') {
            negative = true;
        } else if (c >= '0' && c <= '9') {
            if (v < (INT64_MAX - 9) / 10) {
                v = v * 10 + (c - '0');
            }
        } else {
            break; // fraction or exponent: truncated
        }
    }
    out = negative ? -v : v;
    return true;
}

bool JsonReader::readNull() { return peek() == Kind::Null && scanLiteral("null"); }

bool JsonReader::skipValue()
{
    switch (peek()) {
    case Kind::String:
        return scanString(nullptr, nullptr);
    case Kind::Number:
        return scanNumber();
    case Kind::True:
        return scanLiteral("true");
    case Kind::False:
        return scanLiteral("false");
    case Kind::Null:
        return scanLiteral("null");
    case Kind::Object: {
        if (!beginObject()) {
            return false;
        }
        std::string_view key;
        while (nextMember(key)) {
            if (!skipValue()) {
                return false;
            }
        }
        return !m_failed;
    }
    case Kind::Array: {
        if (!beginArray()) {
            return false;
        }
        while (nextElement()) {
            if (!skipValue()) {
                return false;
            }
        }
        return !m_failed;
    }
    case Kind::Invalid:
        break;
    }
    return fail();
}

bool JsonReader::rawValue(std::string_view &out)
{
    skipWhitespace();
    const std::size_t start = m_pos;
    if (!skipValue()) {
        return false;
    }
    out = m_text.substr(start, m_pos - start);
    return true;
}

bool JsonReader::finish()
{
    if (m_failed || m_depth != 0) {
        return fail();
    }
    skipWhitespace();
    return m_pos == m_text.size() || fail();
}

} // namespace fb
