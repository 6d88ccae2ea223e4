#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// Plain-text output of the CLI's tables and numbers. Stateless.
class TextTable
{
public:
    /// Pads every column of `rows` to its widest cell (ASCII text) and prints them, indented.
    static void print(std::ostream &out, const std::vector<std::vector<std::string>> &rows);
    /// `v` printed with a printf `format` of one double, e.g. "%.3f".
    [[nodiscard]] static std::string number(const char *format, double v);
};

} // namespace fb
