#pragma once

#include <core/template/templatevalue_p.h>
#include <string>
#include <string_view>
#include <vector>

namespace fb::jinja {

/// Python's number and string formatting: float repr, str repr, printf-style `%` formatting
/// and str.format() with the format mini-language.
class PyFormat
{
public:
    /// repr(float): shortest round-trip digits, "1.0", "0.1", "1e+20", "inf", "nan".
    static void appendFloat(std::string &out, double value);
    static void appendInt(std::string &out, std::int64_t value);
    /// repr(str): single quotes unless the text holds ' and no ", escapes as Python does.
    static void appendStrRepr(std::string &out, std::string_view text);

    /// `format % args` where args is a tuple/list (positional), a mapping or a single value.
    [[nodiscard]] static std::string percent(std::string_view format, const TemplateValue &args);
    /// str.format(*positional, **keywords).
    [[nodiscard]] static std::string
    format(std::string_view format, const std::vector<TemplateValue> &positional,
           const std::vector<std::pair<std::string, TemplateValue>> &keywords);
    /// format(value, spec) with the format mini-language.
    [[nodiscard]] static std::string formatSpec(const TemplateValue &value, std::string_view spec);
};

} // namespace fb::jinja
