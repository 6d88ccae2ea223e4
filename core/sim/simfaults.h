#pragma once

#include <chrono>
#include <string>

namespace fb {

/// The faults chosen for one request, from random draws (--fail-429, --stall, ...) and
/// `[[sim:...]]` directives. A plain value; failStatus 0 means "answer normally".
struct SimFaults
{
    int failStatus = 0;
    std::string retryAfter;   ///< retry-after header value; empty = none
    std::string retryAfterMs; ///< retry-after-ms header value; empty = none
    std::chrono::microseconds stall{0};
    bool truncate = false;
    bool malformed = false;
};

} // namespace fb
