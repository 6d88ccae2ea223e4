#include <core/data/jsonarraysource_p.h>

#include <core/common/utf8.h>

#include <optional>

namespace fb::data {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

} // namespace

int JsonArraySource::columnAt(std::size_t i) const
{
    return static_cast<int>(m_file.fileOffset(i) - m_lineStart + 1);
}

void JsonArraySource::countLines(std::size_t from, std::size_t to)
{
    const auto w = m_file.window();
    for (std::size_t i = from; i < to; ++i) {
        if (w[i] == '\n') {
            ++m_line;
            m_lineStart = m_file.fileOffset(i + 1);
        }
    }
}

bool JsonArraySource::skipWhitespace(std::optional<SourceStep> &error)
{
    for (;;) {
        const auto w = m_file.window();
        std::size_t i = 0;
        while (i < w.size() && isSpace(w[i])) {
            ++i;
        }
        countLines(0, i);
        m_file.consume(i);
        if (i < w.size()) {
            return true;
        }
        auto more = m_file.fill();
        if (!more) {
            error = fatalIo(more.error());
            return false;
        }
        if (!*more) {
            return false;
        }
    }
}

SourceStep JsonArraySource::next()
{
    for (;;) {
        std::optional<SourceStep> ioError;
        const bool more = skipWhitespace(ioError);
        if (ioError) {
            return *ioError;
        }
        const char c = more ? m_file.window()[0] : '\0';
        switch (m_state) {
        case State::BeforeArray:
            if (!more) {
                SourceStep end; // an empty file: no rows
                return end;
            }
            if (c != '[') {
                return fatal(m_line, columnAt(0),
                             "expected '[': a .json data file must hold a top-level array of "
                             "objects");
            }
            m_file.consume(1);
            m_state = State::FirstElement;
            break;
        case State::FirstElement:
        case State::BeforeElement:
            if (!more) {
                return fatal(m_line, 0, "unexpected end of file inside the array (missing ']')");
            }
            if (c == ']' && m_state == State::FirstElement) {
                m_file.consume(1);
                m_state = State::Done;
                break;
            }
            if (c == ']' || c == ',') {
                return fatal(m_line, columnAt(0),
                             std::string("unexpected '") + c + "': expected an array element");
            }
            m_state = State::AfterElement;
            return readElement();
        case State::AfterElement:
            if (!more) {
                return fatal(m_line, 0, "unexpected end of file inside the array (missing ']')");
            }
            if (c == ',') {
                m_file.consume(1);
                m_state = State::BeforeElement;
            } else if (c == ']') {
                m_file.consume(1);
                m_state = State::Done;
            } else {
                return fatal(m_line, columnAt(0),
                             std::string("expected ',' or ']' after an array element, found '") + c
                                 + "'");
            }
            break;
        case State::Done:
            if (more) {
                return fatal(m_line, columnAt(0), "unexpected content after the closing ']'");
            }
            return SourceStep{};
        }
    }
}

SourceStep JsonArraySource::readElement()
{
    const std::int64_t startLine = m_line;
    const bool container = m_file.window()[0] == '{' || m_file.window()[0] == '[';
    std::size_t i = 0;
    int depth = 0;
    bool inString = false;
    bool escape = false;
    std::size_t end = 0;
    for (;;) {
        const auto w = m_file.window();
        for (; i < w.size(); ++i) {
            const char c = w[i];
            if (inString) {
                if (escape) {
                    escape = false;
                } else if (c == '\\') {
                    escape = true;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    end = i; // a scalar followed by the array's ']'
                    break;
                }
                if (--depth == 0 && container) {
                    end = i + 1;
                    break;
                }
            } else if (depth == 0 && (c == ',' || isSpace(c))) {
                end = i;
                break;
            }
        }
        if (i < w.size()) {
            break;
        }
        if (w.size() > m_maxRowBytes) {
            return tooLong(startLine);
        }
        auto more = m_file.fill();
        if (!more) {
            return fatalIo(more.error());
        }
        if (!*more) {
            return fatal(startLine, columnAt(0),
                         inString ? "unterminated string in the array element starting here"
                                  : "unexpected end of file in the array element starting here");
        }
    }

    const auto text = m_file.window().substr(0, end);
    const std::size_t invalid = firstInvalidUtf8(text);
    SourceStep step;
    if (invalid != std::string_view::npos) {
        step = badUtf8(startLine, 0, invalid);
    } else {
        std::string message;
        std::size_t errorByte = 0;
        if (!parseJson(text, step.row, message, errorByte)) {
            const std::int64_t lineStart = m_lineStart;
            const std::int64_t line = m_line;
            countLines(0, errorByte);
            step = bad(m_line, columnAt(errorByte), "malformed JSON: " + message);
            step.line = startLine;
            m_line = line;
            m_lineStart = lineStart;
        } else if (!step.row.is_object()) {
            step = bad(startLine, columnAt(0),
                       "array element is " + describeJsonType(step.row)
                           + ", expected a JSON object");
        } else {
            step.kind = SourceStep::Kind::Row;
            step.line = startLine;
        }
    }
    countLines(0, end);
    m_file.consume(end);
    return step;
}

} // namespace fb::data
