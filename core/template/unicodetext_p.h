#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fb::jinja {

/// UTF-8 and character-class helpers with Python 3 str semantics where the template engine
/// needs them (len, indexing, upper/lower, isspace, \w). Case mapping covers Latin, Greek,
/// Cyrillic, Armenian and fullwidth letters, not the whole Unicode database.
class UnicodeText
{
public:
    /// Decodes the code point at `pos` and advances `pos`; invalid bytes decode as themselves
    /// (one byte each) so that no input is lost.
    static char32_t decode(std::string_view text, std::size_t &pos);
    static void append(std::string &out, char32_t cp);

    [[nodiscard]] static bool isAscii(std::string_view text);
    /// Number of code points (Python len()).
    [[nodiscard]] static std::size_t length(std::string_view text);
    /// Byte offset of code point `index` (clamped to the end).
    [[nodiscard]] static std::size_t offsetOf(std::string_view text, std::size_t index);

    [[nodiscard]] static bool isSpace(char32_t cp);
    [[nodiscard]] static bool isWordChar(char32_t cp); ///< regex \w
    [[nodiscard]] static bool isAlpha(char32_t cp);
    [[nodiscard]] static bool isDigit(char32_t cp);
    [[nodiscard]] static bool isUpper(char32_t cp);
    [[nodiscard]] static bool isLower(char32_t cp);

    static void appendUpper(std::string &out, char32_t cp);
    static void appendLower(std::string &out, char32_t cp);
    [[nodiscard]] static std::string upper(std::string_view text);
    [[nodiscard]] static std::string lower(std::string_view text);
    /// Python str.capitalize(): first character title-cased, the rest lower-cased.
    [[nodiscard]] static std::string capitalize(std::string_view text);
    [[nodiscard]] static std::string swapCase(std::string_view text);

    /// Python str.strip()/lstrip()/rstrip() with whitespace (chars empty) or a character set.
    [[nodiscard]] static std::string_view strip(std::string_view text, bool left, bool right);
    [[nodiscard]] static std::string_view stripChars(std::string_view text, std::string_view chars,
                                                     bool left, bool right);
};

} // namespace fb::jinja
