#pragma once

#include <core/common/value.h>

#include <string_view>

namespace fb {

/// Builds a Value from one JSON document with JsonReader's scanner: the same Value that
/// `Value::parse` builds (key order, the last of duplicate keys at the first one's place,
/// non-negative integers unsigned, negative ones signed, the rest double), at a fraction of
/// the cost, for the dataset rows a run reads by the million.
///
/// The text must be valid UTF-8: bytes above 0x7F inside strings are not checked (the dataset
/// readers check every row before parsing it). read() returns false on anything it does not
/// take: a syntax error, nesting deeper than 64 levels, or a number out of double's range. The
/// caller then parses with `Value::parse`, which accepts the last two and names the first.
class JsonValueReader
{
public:
    [[nodiscard]] static bool read(std::string_view text, Value &out);
};

} // namespace fb
