#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// What the simulator sends for one request, decided before the first byte goes out:
/// status, headers, a body, and the steps that release the body over time. A connection
/// executes it with timers. Streaming plans use chunked transfer encoding, one HTTP chunk
/// per step. Reused across the requests of a connection (clear() keeps the capacity).
struct SimResponsePlan
{
    struct Step
    {
        std::size_t end = 0;                ///< send body bytes up to here
        std::chrono::microseconds delay{0}; ///< wait this long first
    };

    int status = 200;
    std::string contentType = "application/json";
    std::string headers; ///< extra header lines, each "name: value\r\n"
    bool streaming = false;
    std::string body;
    std::vector<Step> steps;
    /// Close the connection after the last step without completing the response.
    bool truncated = false;
    /// Counted in /stats (false for /stats itself).
    bool counted = true;

    void clear();
    void addHeader(std::string_view name, std::string_view value);
    /// Ends a step at the current body size, sent `delay` after the previous one; a zero-delay
    /// step is merged into the previous step so that back-to-back events share one write.
    void addStep(std::chrono::microseconds delay);
    /// A complete non-streaming response sent after `delay`.
    void setBody(int statusCode, std::string_view text,
                 std::chrono::microseconds delay = std::chrono::microseconds(0));
    /// Adds `delay` before the headers (a stall).
    void delayStart(std::chrono::microseconds delay);
};

} // namespace fb
