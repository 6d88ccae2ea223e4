#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// UTF-8 text helpers shared by the evaluators. Invalid UTF-8 bytes are kept as they are and
/// count as one character each.
class EvalText
{
public:
    /// Decodes the code point starting at `pos`; `length` receives its byte length (>= 1).
    static char32_t decode(std::string_view text, std::size_t pos, std::size_t *length);
    static void append(std::string &out, char32_t cp);

    /// Simple lower-casing: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals map to
    /// their small letters; every other character is unchanged.
    static std::string toLower(std::string_view text);
    /// Whitespace as Python's str.isspace() defines it.
    static bool isSpace(char32_t cp);
    /// Strips leading and trailing whitespace.
    static std::string trim(std::string_view text);
    /// Replaces each run of whitespace with a single ASCII space (keeps ends as runs, too).
    static std::string collapseWhitespace(std::string_view text);
    /// Splits on runs of whitespace and drops empty pieces, as Python's str.split() does.
    static std::vector<std::string> split(std::string_view text);
    /// Number of code points.
    static std::size_t length(std::string_view text);
};

} // namespace fb
