#include <core/common/result.h>

namespace fb {

const char *errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
        return "invalid-argument";
    case ErrorCode::NotFound:
        return "not-found";
    case ErrorCode::Io:
        return "io";
    case ErrorCode::Parse:
        return "parse";
    case ErrorCode::Validation:
        return "validation";
    case ErrorCode::Template:
        return "template";
    case ErrorCode::Http:
        return "http";
    case ErrorCode::Timeout:
        return "timeout";
    case ErrorCode::Cancelled:
        return "cancelled";
    case ErrorCode::RateLimited:
        return "rate-limited";
    case ErrorCode::Provider:
        return "provider";
    case ErrorCode::Python:
        return "python";
    case ErrorCode::Unsupported:
        return "unsupported";
    case ErrorCode::Internal:
        return "internal";
    }
    return "internal";
}

} // namespace fb
