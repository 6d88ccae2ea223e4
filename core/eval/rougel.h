#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Precision, recall and F-measure of one ROUGE comparison, each in [0, 1].
struct RougeScore
{
    double precision = 0.0;
    double recall = 0.0;
    double fmeasure = 0.0;
};

/// ROUGE-L as Google's `rouge-score` package computes it (no stemming): both texts are
/// lower-cased, every run of characters other than a-z/0-9 becomes a separator (so non-ASCII
/// letters are dropped, as there), and the score is the longest common subsequence of tokens:
/// P = LCS/|prediction|, R = LCS/|target|, F = 2PR/(P+R). Either side empty scores 0.
/// Stateless and thread-safe.
class RougeL
{
public:
    [[nodiscard]] static std::vector<std::string> tokenize(std::string_view text);
    [[nodiscard]] static RougeScore score(std::string_view target, std::string_view prediction);
    [[nodiscard]] static std::size_t lcsLength(const std::vector<std::string> &a,
                                               const std::vector<std::string> &b);
};

} // namespace fb
