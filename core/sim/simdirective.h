#pragma once

#include <core/common/result.h>

#include <optional>
#include <string>
#include <string_view>

namespace fb {

/// A deterministic instruction to the simulator written inside a prompt:
/// `[[sim:fail=429,times=2,retry_after=1]]`. Keys: fail, times, retry_after, retry_after_ms,
/// stall_ms, ttft_ms, token_ms, truncate, malformed, reply, reply_b64, tokens.
/// `times=N` limits the faults (fail, stall_ms, truncate, malformed) to the first N requests
/// that carry the same directive text; the shaping keys (reply, tokens, ttft_ms, token_ms)
/// always apply. A plain value.
struct SimDirective
{
    std::string text;              ///< the whole "[[sim:...]]", the key of its counter
    std::optional<int> failStatus; ///< fail=STATUS
    std::optional<long long> times;
    std::optional<std::string> retryAfter;   ///< header value, as written
    std::optional<std::string> retryAfterMs; ///< header value, as written
    std::optional<double> stallMs;
    std::optional<double> ttftMs;
    std::optional<double> tokenMs;
    bool truncate = false;
    bool malformed = false;
    std::optional<std::string> reply;
    std::optional<int> tokens;

    /// Finds the first directive in `text`. No directive gives an empty optional; a directive
    /// with an unknown key or a bad value gives an error naming it.
    [[nodiscard]] static Result<std::optional<SimDirective>> find(std::string_view text);

    /// True when the directive asks for a fault that `times` limits.
    [[nodiscard]] bool hasFault() const;
};

} // namespace fb
