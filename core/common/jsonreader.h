#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fb {

/// A forward-only, validating JSON reader over one document, for the hot path of decoding
/// model answers (one stream chunk per call of the reader) without building a DOM.
/// Strings without escapes are returned as views into the input; escaped ones are decoded
/// into a caller-supplied scratch string. Values the caller does not want are skipped (and
/// still validated); rawValue() hands a whole sub-document to a DOM parser when needed.
///
/// Usage: beginObject(), then `while (nextMember(key)) { read or skip the value }`, and
/// finish() to require the end of input. Any syntax error makes every later call fail;
/// failed() says so. Nesting deeper than 64 levels is an error. Not thread-safe; the input
/// must outlive the reader and the views it returns.
class JsonReader
{
public:
    enum class Kind { Object, Array, String, Number, True, False, Null, Invalid };

    explicit JsonReader(std::string_view text);

    /// Half a surrogate pair escaped without its other half reads as U+FFFD by default (a model
    /// answer stays readable); after this call it is an error, as in a strict parser.
    void rejectLoneSurrogates() { m_rejectLoneSurrogates = true; }

    /// The kind of the next value (after whitespace), without consuming it.
    [[nodiscard]] Kind peek();

    [[nodiscard]] bool beginObject();
    /// Next member of the innermost object: true with its key (ready to read the value), or
    /// false at the closing brace (consumed) or on an error.
    [[nodiscard]] bool nextMember(std::string_view &key);
    [[nodiscard]] bool beginArray();
    /// True when another element follows (ready to read it); false at ']' or on an error.
    [[nodiscard]] bool nextElement();

    /// Reads a string value; escapes are decoded into `scratch` (the view then points there).
    [[nodiscard]] bool readString(std::string_view &out, std::string &scratch);
    /// Reads a number; fractions are truncated toward zero.
    [[nodiscard]] bool readInt(std::int64_t &out);
    /// Reads null (true) or fails.
    [[nodiscard]] bool readNull();
    /// Skips any value.
    bool skipValue();
    /// Skips a value and returns its exact text (for a DOM parse of a rare, complex part).
    [[nodiscard]] bool rawValue(std::string_view &out);

    /// True when only whitespace remains and every object/array was closed.
    [[nodiscard]] bool finish();
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    bool fail();
    void skipWhitespace();
    bool expect(char c);
    bool push(bool isObject);
    bool scanString(std::string_view *out, std::string *scratch);
    bool scanNumber();
    bool scanLiteral(std::string_view word);

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;
    std::uint64_t m_needComma = 0; ///< bit d-1 for depth d: a member/element was already read
    bool m_failed = false;
    bool m_rejectLoneSurrogates = false;
    std::string m_keyScratch; ///< a key with escapes (rare) is decoded here
};

} // namespace fb
