#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// One piece of a word-level diff.
struct DiffSegment
{
    enum class Kind { Same, Removed, Added };
    Kind kind = Kind::Same;
    std::string text;

    friend bool operator==(const DiffSegment &, const DiffSegment &) = default;
};

/// Word-level difference of two texts for marking changed outputs in a report.
///
/// Texts are split into words (letters, digits, '_' and any non-ASCII character), runs of
/// whitespace and single punctuation characters; the diff is a longest common subsequence of
/// those tokens after stripping the common prefix and suffix. When the changed middle parts
/// would need more than `maxCells` comparisons the whole middle is reported as removed and
/// added. Concatenating the Same and Removed segments gives `before`; Same and Added give
/// `after`. Stateless; thread-safe.
class WordDiff
{
public:
    [[nodiscard]] static std::vector<DiffSegment>
    diff(std::string_view before, std::string_view after, std::size_t maxCells = 4'000'000);
    /// The tokens `diff` compares.
    [[nodiscard]] static std::vector<std::string_view> tokens(std::string_view text);
};

} // namespace fb
