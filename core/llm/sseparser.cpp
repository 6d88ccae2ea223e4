#include <core/llm/sseparser.h>

#include <algorithm>

namespace fb {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::size_t findLineEnd(std::string_view bytes, std::size_t from)
{
    const char *p = bytes.data();
    const std::size_t n = bytes.size();
    for (std::size_t i = from; i < n; ++i) {
        if (p[i] == '\n' || p[i] == '\r') {
            return i;
        }
    }
    return std::string_view::npos;
}

} // namespace

SseParser::SseParser(std::size_t maxLineBytes)
    : m_maxLineBytes(maxLineBytes)
{
}

void SseParser::feed(std::string_view bytes, std::vector<Event> &out)
{
    if (m_overflowed) {
        return;
    }
    // A leading BOM may itself arrive split: hold up to three bytes in m_line until it is
    // known whether they are the BOM (dropped) or ordinary input (replayed below).
    while (!m_bomChecked && !bytes.empty()) {
        m_line.push_back(bytes.front());
        bytes.remove_prefix(1);
        if (m_line == kBom) {
            m_line.clear();
            m_bomChecked = true;
        } else if (kBom.substr(0, m_line.size()) != m_line) {
            m_bomChecked = true;
            const std::string replay = std::move(m_line);
            m_line.clear();
            feed(replay, out);
        }
    }
    if (bytes.empty()) {
        return;
    }

    std::size_t i = 0;
    const std::size_t n = bytes.size();
    if (m_lastWasCr) {
        m_lastWasCr = false;
        if (bytes[0] == '\n') {
            i = 1;
        }
    }
    while (i < n) {
        std::size_t end = findLineEnd(bytes, i);
        // Checked before anything is copied, so a line without end never grows m_line
        // past the cap.
        const std::size_t partEnd = end == std::string_view::npos ? n : end;
        if (m_line.size() + (partEnd - i) > m_maxLineBytes) {
            m_overflowed = true;
            return;
        }
        if (end == std::string_view::npos) {
            m_line.append(bytes.data() + i, n - i);
            return;
        }
        if (m_line.empty()) {
            processLine(bytes.substr(i, end - i), out);
        } else {
            m_line.append(bytes.data() + i, end - i);
            processLine(m_line, out);
            m_line.clear();
        }
        if (m_overflowed) {
            return;
        }
        if (bytes[end] == '\r') {
            if (end + 1 == n) {
                m_lastWasCr = true;
            } else if (bytes[end + 1] == '\n') {
                ++end;
            }
        }
        i = end + 1;
    }
}

void SseParser::reset()
{
    m_line.clear();
    m_data.clear();
    m_type.clear();
    m_id.clear();
    m_hasData = false;
    m_lastWasCr = false;
    m_bomChecked = false;
    m_overflowed = false;
}

void SseParser::processLine(std::string_view line, std::vector<Event> &out)
{
    if (line.empty()) {
        if (m_hasData) {
            Event event;
            event.type = m_type.empty() ? std::string("message") : m_type;
            event.data = std::move(m_data);
            event.id = m_id;
            out.push_back(std::move(event));
        }
        m_data.clear();
        m_type.clear();
        m_hasData = false;
        return;
    }
    if (line.front() == ':') {
        return; // comment
    }
    std::string_view field = line;
    std::string_view value;
    if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') {
            value.remove_prefix(1);
        }
    }
    if (field == "data") {
        // Joining with '\n' before each later line equals the spec's "append LF, strip the
        // last LF at dispatch" without the strip.
        if (m_data.size() + value.size() + 1 > m_maxLineBytes) {
            m_overflowed = true;
            return;
        }
        if (m_hasData) {
            m_data.push_back('\n');
        }
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_type.assign(value);
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos) {
            m_id.assign(value);
        }
    }
    // "retry" and unknown fields are ignored: the client does not reconnect by itself.
}

} // namespace fb
