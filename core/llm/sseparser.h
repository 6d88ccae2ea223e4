#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Incremental parser of Server-Sent Events (text/event-stream) as the WHATWG spec defines
/// them: feed() accepts bytes split anywhere (even inside a CRLF or a UTF-8 sequence) and
/// returns the events completed so far. Handles LF, CR and CRLF line ends, comments (':'),
/// multi-line data (joined with '\n'), `event:`, `id:`, and a leading BOM.
/// Not thread-safe: one parser per stream.
class SseParser
{
public:
    struct Event
    {
        std::string type; ///< "message" when no event: field was given
        std::string data;
        std::string id;
    };

    /// Appends bytes; completed events are appended to `out`.
    void feed(std::string_view bytes, std::vector<Event> &out);
    /// End of stream: a pending event without its blank line is dropped, per the spec.
    void reset();

private:
    void processLine(std::string_view line, std::vector<Event> &out);

    std::string m_line;
    std::string m_data;
    std::string m_type;
    std::string m_id;
    bool m_hasData = false;
    bool m_lastWasCr = false;
    bool m_bomChecked = false;
};

} // namespace fb
