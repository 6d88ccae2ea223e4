#include <core/common/jsonvaluereader.h>

#include <core/common/jsonreader.h>

#include <charconv>
#include <cstdint>
#include <string>

namespace fb {

namespace {

/// A number's text as `Value::parse` types it: integers without a sign are unsigned, with a
/// sign signed; a fraction, an exponent or an integer too large for 64 bits makes a double.
bool readNumber(std::string_view text, Value &out)
{
    const char *first = text.data();
    const char *last = first + text.size();
    if (text.find_first_of(".eE") == std::string_view::npos) {
        if (text.front() == '-') {
            std::int64_t v = 0;
            const auto [end, ec] = std::from_chars(first, last, v);
            if (ec == std::errc() && end == last) {
                out = v;
                return true;
            }
        } else {
            std::uint64_t v = 0;
            const auto [end, ec] = std::from_chars(first, last, v);
            if (ec == std::errc() && end == last) {
                out = v;
                return true;
            }
        }
    }
    double d = 0;
    const auto [end, ec] = std::from_chars(first, last, d);
    if (ec != std::errc() || end != last) {
        return false; // out of range: Value::parse decides what it becomes
    }
    out = d;
    return true;
}

bool readInto(JsonReader &r, Value &out, std::string &scratch)
{
    switch (r.peek()) {
    case JsonReader::Kind::Object: {
        if (!r.beginObject()) {
            return false;
        }
        out = Value::object();
        std::string_view key;
        while (r.nextMember(key)) {
            // operator[] as Value::parse uses it: a repeated key keeps its place, the last
            // value wins. The slot is filled before the next key can move it.
            if (!readInto(r, out[std::string(key)], scratch)) {
                return false;
            }
        }
        return !r.failed();
    }
    case JsonReader::Kind::Array: {
        if (!r.beginArray()) {
            return false;
        }
        out = Value::array();
        while (r.nextElement()) {
            if (!readInto(r, out.emplace_back(), scratch)) {
                return false;
            }
        }
        return !r.failed();
    }
    case JsonReader::Kind::String: {
        std::string_view s;
        if (!r.readString(s, scratch)) {
            return false;
        }
        out = std::string(s);
        return true;
    }
    case JsonReader::Kind::Number: {
        std::string_view raw;
        return r.rawValue(raw) && readNumber(raw, out);
    }
    case JsonReader::Kind::True:
        out = true;
        return r.skipValue();
    case JsonReader::Kind::False:
        out = false;
        return r.skipValue();
    case JsonReader::Kind::Null:
        out = nullptr;
        return r.readNull();
    case JsonReader::Kind::Invalid:
        break;
    }
    return false;
}

} // namespace

bool JsonValueReader::read(std::string_view text, Value &out)
{
    JsonReader r(text);
    r.rejectLoneSurrogates(); // Value::parse refuses them
    std::string scratch;
    Value value;
    if (!readInto(r, value, scratch) || !r.finish()) {
        return false;
    }
    out = std::move(value);
    return true;
}

} // namespace fb
