#include <core/exec/valuecoercion.h>

#include <core/flow/apiparameters.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace fb {

namespace {

std::string trimmed(const std::string &s)
{
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
        ++b;
    }
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
        --e;
    }
    return s.substr(b, e - b);
}

std::string lowered(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

Unexpected mismatch(const std::string &field, const char *expected, const Value &value)
{
    std::string shown = value.dump();
    if (shown.size() > 80) {
        shown = shown.substr(0, 77) + "...";
    }
    return fail(ErrorCode::InvalidArgument, field + ": expected " + expected + ", got " + shown);
}

Result<Value> parseJsonText(const std::string &text, const std::string &field, const char *expected,
                            bool wantArray)
{
    Value parsed = Value::parse(text, nullptr, false);
    if (parsed.is_discarded() || (wantArray ? !parsed.is_array() : !parsed.is_object())) {
        return mismatch(field, expected, Value(text));
    }
    return parsed;
}

} // namespace

Result<Value> ValueCoercion::toType(const Value &value, ValueType type, const std::string &field)
{
    switch (type) {
    case ValueType::String:
    case ValueType::Secret:
    case ValueType::PromptTemplate:
    case ValueType::FilePath:
        if (value.is_string() || value.is_null()) {
            return value;
        }
        if (value.is_number() || value.is_boolean()) {
            return Value(value.is_boolean() ? (value.get<bool>() ? "True" : "False")
                                            : value.dump());
        }
        return value; // objects/lists pass through: templates can still render them
    case ValueType::Int:
        if (value.is_number_integer()) {
            return value;
        }
        if (value.is_number_float()) {
            const double d = value.get<double>();
            if (d == double(std::int64_t(d))) {
                return Value(std::int64_t(d));
            }
            return mismatch(field, "an int", value);
        }
        if (value.is_string()) {
            const std::string t = trimmed(value.get<std::string>());
            std::int64_t n = 0;
            const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
            if (ec == std::errc() && p == t.data() + t.size() && !t.empty()) {
                return Value(n);
            }
        }
        return mismatch(field, "an int", value);
    case ValueType::Double:
        if (value.is_number()) {
            return Value(value.get<double>());
        }
        if (value.is_string()) {
            const std::string t = trimmed(value.get<std::string>());
            char *end = nullptr;
            const double d = std::strtod(t.c_str(), &end);
            if (!t.empty() && end == t.c_str() + t.size()) {
                return Value(d);
            }
        }
        return mismatch(field, "a double", value);
    case ValueType::Bool:
        if (value.is_boolean()) {
            return value;
        }
        if (value.is_string()) {
            const std::string t = lowered(trimmed(value.get<std::string>()));
            if (t == "true") {
                return Value(true);
            }
            if (t == "false") {
                return Value(false);
            }
        }
        return mismatch(field, "a bool (true or false)", value);
    case ValueType::List:
        if (value.is_array()) {
            return value;
        }
        if (value.is_string()) {
            return parseJsonText(value.get<std::string>(), field, "a list (JSON array)", true);
        }
        return mismatch(field, "a list", value);
    case ValueType::Object:
        if (value.is_object()) {
            return value;
        }
        if (value.is_string()) {
            return parseJsonText(value.get<std::string>(), field, "an object (JSON object)", false);
        }
        return mismatch(field, "an object", value);
    case ValueType::Image:
        return value;
    }
    return value;
}

bool ValueCoercion::isApiParameter(std::string_view name, std::string_view api)
{
    return ApiParameters::isApiParameter(name, api);
}

Result<Value> ValueCoercion::toApiParameter(const std::string &name, const Value &value)
{
    const auto type = ApiParameters::type(name);
    if (!type) {
        return value;
    }
    const std::string field = "parameter '" + name + "'";
    switch (*type) {
    case ApiParameterType::Int:
        return toType(value, ValueType::Int, field);
    case ApiParameterType::Double:
        return toType(value, ValueType::Double, field);
    case ApiParameterType::Bool:
        return toType(value, ValueType::Bool, field);
    case ApiParameterType::String:
        if (value.is_string()) {
            return value;
        }
        return toType(value, ValueType::String, field);
    case ApiParameterType::List:
        return toType(value, ValueType::List, field);
    case ApiParameterType::Object:
        return toType(value, ValueType::Object, field);
    case ApiParameterType::StringOrList:
        if (value.is_string()) {
            const std::string t = trimmed(value.get<std::string>());
            if (!t.empty() && t.front() == '[') {
                return parseJsonText(t, field, "a list (JSON array)", true);
            }
            return Value::array({value});
        }
        return toType(value, ValueType::List, field);
    case ApiParameterType::Any:
        if (value.is_string()) {
            // JSON text such as '{"type": "json_object"}' becomes an object; a bare word
            // (tool_choice: auto) stays a string.
            const std::string t = trimmed(value.get<std::string>());
            if (!t.empty() && (t.front() == '{' || t.front() == '[')) {
                Value parsed = Value::parse(t, nullptr, false);
                if (!parsed.is_discarded()) {
                    return parsed;
                }
            }
            if (name == "response_format" && (t == "json_object" || t == "text")) {
                return Value{{"type", t}};
            }
        }
        return value;
    }
    return value;
}

} // namespace fb
