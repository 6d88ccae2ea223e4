#include <core/data/jsonlsource_p.h>

#include <core/common/jsonreader.h>
#include <core/common/utf8.h>

#include <cstring>

namespace fb::data {

namespace {

bool isBlank(std::string_view text)
{
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            return false;
        }
    }
    return true;
}

// A well-formed JSON object, checked without building it; false sends the row to the full parse,
// which names the problem.
bool isObjectText(std::string_view text)
{
    JsonReader reader(text);
    reader.rejectLoneSurrogates();
    return reader.peek() == JsonReader::Kind::Object && reader.skipValue() && reader.finish();
}

} // namespace

SourceStep JsonlSource::next()
{
    for (;;) {
        std::string_view w = m_file.window();
        const void *nl = std::memchr(w.data(), '\n', w.size());
        std::size_t lineLength = 0;
        std::size_t consumed = 0;
        if (nl) {
            lineLength = static_cast<const char *>(nl) - w.data();
            consumed = lineLength + 1;
        } else if (!m_file.atEnd()) {
            if (w.size() > m_maxRowBytes) {
                return tooLong(m_line + 1);
            }
            auto more = m_file.fill();
            if (!more) {
                return fatalIo(more.error());
            }
            continue;
        } else if (w.empty()) {
            SourceStep end;
            end.kind = SourceStep::Kind::End;
            return end;
        } else {
            lineLength = w.size();
            consumed = lineLength;
        }
        ++m_line;
        const std::string_view text = w.substr(0, lineLength);
        if (isBlank(text)) {
            m_file.consume(consumed);
            continue;
        }
        const std::size_t invalid = firstInvalidUtf8(text);
        if (invalid != std::string_view::npos) {
            SourceStep step = badUtf8(m_line, 0, invalid);
            m_file.consume(consumed);
            return step;
        }
        SourceStep step;
        if (m_countOnly && isObjectText(text)) {
            m_file.consume(consumed);
            step.kind = SourceStep::Kind::Row;
            step.line = m_line;
            return step;
        }
        std::string message;
        std::size_t errorByte = 0;
        if (!parseJson(text, step.row, message, errorByte)) {
            m_file.consume(consumed);
            return bad(m_line, static_cast<int>(errorByte + 1), "malformed JSON: " + message);
        }
        m_file.consume(consumed);
        if (!step.row.is_object()) {
            return bad(m_line, 0,
                       "row is " + describeJsonType(step.row) + ", expected a JSON object");
        }
        step.kind = SourceStep::Kind::Row;
        step.line = m_line;
        return step;
    }
}

} // namespace fb::data
