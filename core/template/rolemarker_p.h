#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fb {

/// promptflow's role separator, `(?i)^\s*#?\s*(system|user|assistant|function|tool)\s*:\s*\n`
/// with MULTILINE, matched by hand (no regex backtracking, no stack use on long input).
class RoleMarker
{
public:
    struct Match
    {
        std::size_t begin = 0;     ///< where the match starts (a line start)
        std::size_t roleBegin = 0; ///< the role word as written
        std::size_t roleEnd = 0;
        std::size_t end = 0; ///< just after the last newline of the separator
    };

    /// Tries to match at `pos`, which must be 0 or just after a '\n'. With `allowTextEnd`
    /// the end of the text may stand in for the final newline (used when escaping values,
    /// whose text may be followed by a newline in the template).
    [[nodiscard]] static bool matchAt(std::string_view text, std::size_t pos, bool allowTextEnd,
                                      Match &match);

    /// Python's `\s` for the ASCII range.
    [[nodiscard]] static bool isSpace(char c);
};

} // namespace fb
