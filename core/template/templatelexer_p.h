#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fb::jinja {

enum class TokenType : std::uint8_t {
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    Eof,
};

struct TemplateToken
{
    TokenType type = TokenType::Eof;
    int line = 1;
    std::string value; ///< data text, name, decoded string, operator text or number text
    std::int64_t intValue = 0;
    double floatValue = 0.0;
};

/// Splits Jinja2 template source into tokens with the lexing rules of Jinja2 3.x for
/// trim_blocks=True, lstrip_blocks=False, keep_trailing_newline=True: whitespace control
/// (`-` strips, `+` keeps), raw blocks, comments, balanced brackets inside tags, and
/// `}}` / `%}` outside a tag being plain text. Throws TemplateError on lexical errors.
class TemplateLexer
{
public:
    [[nodiscard]] static std::vector<TemplateToken> tokenize(std::string_view source);
};

} // namespace fb::jinja
