#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Incremental parser of Server-Sent Events (text/event-stream) as the WHATWG spec defines
/// them: feed() accepts bytes split anywhere (even inside a CRLF or a UTF-8 sequence) and
/// returns the events completed so far. Handles LF, CR and CRLF line ends, comments (':'),
/// multi-line data (joined with '\n'), `event:`, `id:`, and a leading BOM.
/// Bounded: a line, or an event's joined data, longer than maxLineBytes() stops the parser
/// (overflowed() turns true and later bytes are ignored) instead of growing without end.
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

    /// Default cap of one line and of one event's data: 1 MiB.
    static constexpr std::size_t DefaultMaxLineBytes = std::size_t(1) << 20;

    explicit SseParser(std::size_t maxLineBytes = DefaultMaxLineBytes);

    /// Appends bytes; completed events are appended to `out`. After an overflow, does nothing.
    void feed(std::string_view bytes, std::vector<Event> &out);
    /// End of stream: a pending event without its blank line is dropped, per the spec.
    /// Also clears an overflow.
    void reset();

    /// Whether a line or an event's data went past maxLineBytes(): the stream is unusable.
    [[nodiscard]] bool overflowed() const { return m_overflowed; }
    [[nodiscard]] std::size_t maxLineBytes() const { return m_maxLineBytes; }
    void setMaxLineBytes(std::size_t bytes) { m_maxLineBytes = bytes; }

private:
    void processLine(std::string_view line, std::vector<Event> &out);

    std::size_t m_maxLineBytes;
    std::string m_line;
    std::string m_data;
    std::string m_type;
    std::string m_id;
    bool m_hasData = false;
    bool m_lastWasCr = false;
    bool m_bomChecked = false;
    bool m_overflowed = false;
};

} // namespace fb
