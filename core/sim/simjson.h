#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fb {

/// Appends JSON tokens to a string without building a document: the simulator writes its
/// hot-path responses (chunks, completions, embeddings) this way to stay allocation-light.
/// Stateless; every function is thread-safe.
class SimJson
{
public:
    /// Appends `text` as a quoted JSON string (input must be valid UTF-8).
    static void appendString(std::string &out, std::string_view text);
    static void appendInt(std::string &out, std::int64_t value);
    /// Shortest round-trip form of a finite double.
    static void appendDouble(std::string &out, double value);
    static void appendFloat(std::string &out, float value);
    /// Appends `,"key":` (or `"key":` when `first`).
    static void appendKey(std::string &out, std::string_view key, bool first = false);
};

} // namespace fb
