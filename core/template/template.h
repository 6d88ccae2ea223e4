#pragma once

#include <core/common/result.h>
#include <core/common/value.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Bounds that keep a hostile or buggy template from exhausting the machine.
struct TemplateLimits
{
    std::size_t maxOutputBytes = 8u << 20;    ///< rendered text larger than this fails
    std::size_t maxLoopIterations = 1000000;  ///< summed over all loops of one render
    int maxRecursionDepth = 64;               ///< nested blocks/macros/expression depth
};

/// A parsed Jinja2 template, rendered as promptflow renders prompts: a sandboxed
/// environment with trim_blocks=True, keep_trailing_newline=True, lstrip_blocks=False and
/// no autoescape. No file, environment or attribute-of-Python access exists at all.
///
/// Thread-safety: a parsed Template is immutable; render() may be called from any number
/// of threads at once. Failure: parse() and render() return errors that name the template
/// file and line ("prompts/classify.jinja2:7: unknown filter 'foo'").
class Template
{
public:
    /// Parses `source`; `fileName` is used in error messages only.
    [[nodiscard]] static Result<Template> parse(std::string_view source, std::string fileName);

    Template(const Template &);
    Template(Template &&) noexcept;
    Template &operator=(const Template &);
    Template &operator=(Template &&) noexcept;
    ~Template();

    /// Renders with `context` (an object whose keys are the template variables).
    /// Undefined variables render as empty text, like Jinja2's default Undefined.
    [[nodiscard]] Result<std::string> render(const Value &context,
                                             const TemplateLimits &limits = {}) const;

    /// Names of the free (context) variables the template reads, in first-use order;
    /// loop variables, `set` targets and macro parameters are not included.
    [[nodiscard]] std::vector<std::string> variables() const;

    [[nodiscard]] const std::string &fileName() const;

private:
    struct Impl;
    explicit Template(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> d;
};

} // namespace fb
