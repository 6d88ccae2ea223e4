#pragma once

#include <iosfwd>
#include <iostream>
#include <string>
#include <vector>

namespace fb {

/// `flowbench-cli tokens --encoding cl100k_base|o200k_base [--model M] [--ids] [--special]`:
/// reads text on `in` (standard input) to its end and prints its token count, or with --ids
/// its token ids on one line, space-separated — the same ids as tiktoken. Stateless; returns
/// an ExitCode.
class TokensCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err, std::istream &in = std::cin);
};

} // namespace fb
