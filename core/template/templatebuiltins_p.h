#pragma once

#include <core/template/templateast_p.h>
#include <core/template/templatevalue_p.h>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fb::jinja {

/// Evaluated arguments of one call (filter, test, function or method).
struct CallArgs
{
    std::vector<TemplateValue> positional;
    std::vector<std::pair<std::string, TemplateValue>> keywords;
    const char *what = "function";     ///< "filter", "test", "method", ... for messages
    const std::string *name = nullptr; ///< the filter/test/method name when known

    void clear()
    {
        positional.clear();
        keywords.clear();
    }
    /// Binds to Python-style parameters (positional or keyword); raises on unknown keywords,
    /// too many positional arguments or duplicates. `out[i]` is null when not given.
    void bind(std::initializer_list<std::string_view> names, const TemplateValue **out) const;
    /// Raises unless no argument at all was given.
    void expectNone() const;
};

/// Jinja2's built-in filters and tests, globals (range, dict, namespace, cycler, joiner) and
/// the methods of str, dict and list values that the sandbox allows.
class TemplateBuiltins
{
public:
    [[nodiscard]] static FilterFn filter(std::string_view name);
    [[nodiscard]] static TestFn test(std::string_view name);
    /// Global function by name, or an undefined value when there is none.
    [[nodiscard]] static bool isGlobal(std::string_view name);
    [[nodiscard]] static TemplateValue global(std::string_view name);

    /// True when `name` is a method of `self` (dict.items, str.upper, list.index, ...).
    [[nodiscard]] static bool hasMethod(const TemplateValue &self, std::string_view name);
    /// A bound method value (printing it gives "<built-in method ...>").
    [[nodiscard]] static TemplateValue boundMethod(const TemplateValue &self,
                                                   const std::string &name);
    /// Calls method `name` of `self`.
    static TemplateValue callMethod(TemplateRenderer &renderer, const TemplateValue &self,
                                    std::string_view name, CallArgs &args);

    /// HTML escaping as markupsafe.escape does (& < > " ').
    [[nodiscard]] static std::string escapeHtml(std::string_view text);
};

} // namespace fb::jinja
