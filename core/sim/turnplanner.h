#pragma once

#include <core/sim/occurrencecounter.h>
#include <core/sim/simfaults.h>
#include <core/sim/simturn.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fb {

class AnswerBook;
class SimRandom;
struct SimConfig;
struct SimDirective;

/// Decides, deterministically from the seed and the request, which faults a request meets
/// and what the simulated model answers (see SimConfig::usage()). Thread-safe: the only
/// mutable state is two OccurrenceCounters. The config and the answer book are borrowed and
/// must outlive the planner.
class TurnPlanner
{
public:
    /// The facts of a request that the answer depends on.
    struct Input
    {
        std::string model;                  ///< as requested (deployment name for Azure)
        std::string_view lastUserText;      ///< last user message, or the prompt
        std::uint64_t conversationHash = 0; ///< hash of all messages (seeds the pseudo-text)
        std::size_t promptChars = 0;        ///< characters of all message contents
        std::optional<long long> maxTokens;
    };

    TurnPlanner(const SimConfig &config, const AnswerBook &answers);

    /// Draws the random faults of this request and applies the directive's. The k-th request
    /// with the same body draws from hash(seed, body, k), so runs reproduce whatever the
    /// interleaving of different requests. `random` is left seeded for the latency draws.
    [[nodiscard]] SimFaults decideFaults(std::string_view body, const SimDirective *directive,
                                         SimRandom &random);

    /// The answer, its chunks, token counts and delays.
    [[nodiscard]] SimTurn plan(const Input &input, const SimDirective *directive,
                               SimRandom &random) const;

    /// Forgets how often requests and directives were seen.
    void reset();

private:
    [[nodiscard]] std::string answerText(const Input &input, const SimDirective *directive,
                                         bool &wrong) const;

    const SimConfig &m_config;
    const AnswerBook &m_answers;
    OccurrenceCounter m_requestCounts;
    OccurrenceCounter m_directiveCounts;
};

} // namespace fb
