#pragma once

#include <core/template/templateast_p.h>
#include <core/template/templatelexer_p.h>
#include <string_view>
#include <vector>

namespace fb::jinja {

/// Builds the syntax tree from Jinja2 source with the grammar of Jinja2 3.x (precedence,
/// tuples, filters and tests, statements). Unknown filters and tests are parse errors, as
/// Jinja2 reports them when compiling. Throws TemplateError (with a line) on failure.
class TemplateParser
{
public:
    /// Parses `source` into `out.body`, fills `out.names` and `out.variables`.
    static void parse(std::string_view source, ParsedTemplate &out);

    /// Deepest nesting of blocks and parenthesised expressions the parser accepts; keeps
    /// hostile input from exhausting the stack.
    static constexpr int kMaxNesting = 100;
};

} // namespace fb::jinja
