#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// BLEU with the result and sufficient statistics sacrebleu reports.
struct BleuScore
{
    double score = 0.0;                   ///< 0..100, as sacrebleu prints it
    std::array<std::int64_t, 4> counts{}; ///< matched n-grams, n = 1..4
    std::array<std::int64_t, 4> totals{}; ///< hypothesis n-grams, n = 1..4
    std::array<double, 4> precisions{};   ///< percentages after smoothing
    double brevityPenalty = 0.0;
    std::int64_t hypLength = 0;
    std::int64_t refLength = 0;
};

/// BLEU as sacrebleu 2.x computes it (Papineni et al. 2002): "13a" tokenisation (the mteval-v13a
/// rules) or none, optional lower-casing, n-grams up to 4, clipped counts against the per-n-gram
/// maximum over references, closest reference length (ties to the shorter), brevity penalty.
/// Corpus BLEU sums statistics over sentences (no effective order); sentence BLEU uses effective
/// order. Stateless; all functions are thread-safe.
class Bleu
{
public:
    enum class Tokenizer { Mteval13a, None };
    enum class Smoothing { None, Exp, Floor, AddK };
    struct Options
    {
        Tokenizer tokenizer = Tokenizer::Mteval13a;
        bool lowercase = false;
        Smoothing smoothing = Smoothing::Exp;
        double smoothValue = -1.0; ///< < 0: sacrebleu's default (floor 0.1, add-k 1)
    };

    /// sacrebleu's Tokenizer13a: the output tokens joined by single spaces.
    [[nodiscard]] static std::string tokenize13a(std::string_view line);

    /// Sentence BLEU of one hypothesis against one or more references (effective order on).
    [[nodiscard]] static BleuScore sentence(const std::string &hypothesis,
                                            const std::vector<std::string> &references,
                                            const Options &options);
    /// Corpus BLEU; references[i] holds the references of hypotheses[i] (any number each).
    /// Sizes must match (asserted).
    [[nodiscard]] static BleuScore corpus(const std::vector<std::string> &hypotheses,
                                          const std::vector<std::vector<std::string>> &references,
                                          const Options &options);
    /// The same with sacrebleu's defaults (13a, mixed case, exp smoothing).
    [[nodiscard]] static BleuScore sentence(const std::string &hypothesis,
                                            const std::vector<std::string> &references);
    [[nodiscard]] static BleuScore corpus(const std::vector<std::string> &hypotheses,
                                          const std::vector<std::vector<std::string>> &references);
    /// sacrebleu's compute_bleu over sufficient statistics.
    [[nodiscard]] static BleuScore fromStatistics(std::array<std::int64_t, 4> counts,
                                                  std::array<std::int64_t, 4> totals,
                                                  std::int64_t hypLength, std::int64_t refLength,
                                                  const Options &options, bool effectiveOrder);
};

} // namespace fb
