#pragma once

#include <string_view>

namespace fb {

/// The parts of an HTTP request the simulator looks at. Views into the connection's buffers:
/// valid only while the request is being handled. An empty header view means "absent".
struct SimHttpRequest
{
    std::string_view method; ///< "GET", "POST", ...
    std::string_view target; ///< path and query, as received
    std::string_view body;
    std::string_view authorization;    ///< Authorization
    std::string_view apiKey;           ///< api-key (Azure)
    std::string_view xApiKey;          ///< x-api-key (Anthropic)
    std::string_view anthropicVersion; ///< anthropic-version
};

} // namespace fb
