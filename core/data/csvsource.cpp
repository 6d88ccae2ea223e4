#include <core/data/csvsource_p.h>

#include <core/common/utf8.h>

#include <cstring>

namespace fb::data {

CsvSource::Parse CsvSource::parseRecord(std::string_view w, bool atEnd)
{
    const char *s = w.data();
    const std::size_t n = w.size();
    std::size_t i = 0;
    m_fieldCount = 0;
    m_newlines = 0;
    auto field = [this]() -> std::string & {
        if (m_fieldCount == m_fields.size()) {
            m_fields.emplace_back();
        }
        std::string &f = m_fields[m_fieldCount++];
        f.clear();
        return f;
    };
    // A record that is nothing but a line break is blank.
    if (n > 0 && (s[0] == '\n' || (s[0] == '\r' && n > 1 && s[1] == '\n'))) {
        m_consumed = s[0] == '\n' ? 1 : 2;
        m_newlines = 1;
        return Parse::Blank;
    }
    for (;;) {
        // At the start of a field.
        if (i < n && s[i] == '"') {
            const std::size_t open = i;
            std::string &f = field();
            ++i;
            for (;;) {
                const void *q = std::memchr(s + i, '"', n - i);
                if (!q) {
                    if (!atEnd) {
                        return Parse::NeedMore;
                    }
                    m_errorOffset = open;
                    return Parse::Unterminated;
                }
                const auto qi = static_cast<std::size_t>(static_cast<const char *>(q) - s);
                for (std::size_t k = i; k < qi; ++k) {
                    m_newlines += s[k] == '\n';
                }
                f.append(s + i, qi - i);
                if (qi + 1 >= n && !atEnd) {
                    return Parse::NeedMore; // cannot tell "" from a closing quote yet
                }
                if (qi + 1 < n && s[qi + 1] == '"') {
                    f.push_back('"');
                    i = qi + 2;
                    continue;
                }
                i = qi + 1;
                break;
            }
            // After the closing quote: a separator, a line break or the end.
            if (i == n) {
                if (!atEnd) {
                    return Parse::NeedMore;
                }
                m_consumed = i;
                return Parse::Record;
            }
            if (s[i] == m_separator) {
                ++i;
                continue;
            }
            if (s[i] == '\n') {
                m_consumed = i + 1;
                ++m_newlines;
                return Parse::Record;
            }
            if (s[i] == '\r') {
                if (i + 1 == n && !atEnd) {
                    return Parse::NeedMore;
                }
                if (i + 1 == n || s[i + 1] == '\n') {
                    m_consumed = i + 1 == n ? n : i + 2;
                    m_newlines += i + 1 < n;
                    return Parse::Record;
                }
            }
            m_errorOffset = i;
            // Resynchronise at the end of the physical line so a Skip policy can go on.
            const void *nl = std::memchr(s + i, '\n', n - i);
            if (!nl && !atEnd) {
                return Parse::NeedMore;
            }
            m_consumed = nl ? static_cast<std::size_t>(static_cast<const char *>(nl) - s) + 1 : n;
            m_newlines += nl ? 1 : 0;
            return Parse::BadQuote;
        }
        // Unquoted: up to the next separator or line break; quotes inside are literal.
        std::size_t j = i;
        while (j < n && s[j] != m_separator && s[j] != '\n') {
            ++j;
        }
        if (j == n && !atEnd) {
            return Parse::NeedMore;
        }
        std::size_t fieldEnd = j;
        if ((j == n || s[j] == '\n') && fieldEnd > i && s[fieldEnd - 1] == '\r') {
            --fieldEnd;
        }
        field().assign(s + i, fieldEnd - i);
        if (j == n) {
            m_consumed = n;
            return Parse::Record;
        }
        if (s[j] == '\n') {
            m_consumed = j + 1;
            ++m_newlines;
            return Parse::Record;
        }
        i = j + 1; // separator
    }
}

SourceStep CsvSource::next()
{
    for (;;) {
        const std::string_view w = m_file.window();
        if (w.empty()) {
            if (!m_file.atEnd()) {
                auto more = m_file.fill();
                if (!more) {
                    return fatalIo(more.error());
                }
                continue;
            }
            return SourceStep{};
        }
        const Parse result = parseRecord(w, m_file.atEnd());
        if (result == Parse::NeedMore) {
            if (w.size() > m_maxRowBytes) {
                return tooLong(m_line);
            }
            auto more = m_file.fill();
            if (!more) {
                return fatalIo(more.error());
            }
            continue;
        }
        const std::int64_t line = m_line;
        if (result == Parse::Unterminated) {
            std::int64_t quoteLine = line;
            std::size_t lineStart = 0;
            for (std::size_t k = 0; k < m_errorOffset; ++k) {
                if (w[k] == '\n') {
                    ++quoteLine;
                    lineStart = k + 1;
                }
            }
            return fatal(quoteLine, static_cast<int>(m_errorOffset - lineStart + 1),
                         "unterminated quoted field (the closing '\"' is missing)");
        }
        const std::string_view record = w.substr(0, m_consumed);
        m_line += m_newlines;
        if (result == Parse::Blank) {
            m_file.consume(m_consumed);
            continue;
        }
        if (result == Parse::BadQuote) {
            std::size_t lineStart = 0;
            std::int64_t errLine = line;
            for (std::size_t k = 0; k < m_errorOffset; ++k) {
                if (w[k] == '\n') {
                    ++errLine;
                    lineStart = k + 1;
                }
            }
            SourceStep step = bad(errLine, static_cast<int>(m_errorOffset - lineStart + 1),
                                  "unexpected character after a closing quote in field "
                                      + std::to_string(m_fieldCount)
                                      + " (a quote inside a quoted field must be doubled)");
            if (!m_haveHeader) {
                step.kind = SourceStep::Kind::Fatal;
            }
            m_file.consume(m_consumed);
            return step;
        }
        const std::size_t invalid = firstInvalidUtf8(record);
        if (invalid != std::string_view::npos) {
            SourceStep step = badUtf8(line, 0, invalid);
            if (!m_haveHeader) {
                step.kind = SourceStep::Kind::Fatal;
            }
            m_file.consume(m_consumed);
            return step;
        }
        m_file.consume(m_consumed);
        if (!m_haveHeader) {
            m_haveHeader = true;
            m_columns.assign(m_fields.begin(), m_fields.begin() + m_fieldCount);
            for (std::size_t a = 0; a < m_columns.size(); ++a) {
                for (std::size_t b = 0; b < a; ++b) {
                    if (m_columns[a] == m_columns[b]) {
                        return fatal(line, 0,
                                     "duplicate column name '" + m_columns[a]
                                         + "' in the header (columns " + std::to_string(b + 1)
                                         + " and " + std::to_string(a + 1) + ")");
                    }
                }
            }
            continue;
        }
        if (m_fieldCount != m_columns.size()) {
            return bad(line, 0,
                       "expected " + std::to_string(m_columns.size())
                           + " fields (as in the header), found " + std::to_string(m_fieldCount));
        }
        SourceStep step;
        step.kind = SourceStep::Kind::Row;
        step.line = line;
        step.row = Value::object();
        // Column names are unique (checked above), so append without ordered_map's lookup.
        auto &object = step.row.get_ref<Value::object_t &>();
        object.reserve(m_fieldCount);
        for (std::size_t k = 0; k < m_fieldCount; ++k) {
            object.emplace_back(std::piecewise_construct, std::forward_as_tuple(m_columns[k]),
                                std::forward_as_tuple(std::move(m_fields[k])));
        }
        return step;
    }
}

} // namespace fb::data
