#include <core/sim/turnplanner.h>

#include <core/sim/answerbook.h>
#include <core/sim/simconfig.h>
#include <core/sim/simdirective.h>
#include <core/sim/simrandom.h>

#include <array>
#include <charconv>
#include <cmath>

namespace fb {

namespace {

using Micros = std::chrono::microseconds;

constexpr std::array<std::string_view, 48> Vocabulary{
    "the",     "model",  "flow",    "prompt", "answer",   "token",    "stream",   "value",
    "node",    "result", "input",   "output", "test",     "bench",    "signal",   "context",
    "simple",  "quick",  "steady",  "random", "careful",  "useful",   "plain",    "clear",
    "returns", "reads",  "writes",  "checks", "measures", "explains", "predicts", "follows",
    "and",     "with",   "from",    "into",   "over",     "under",    "before",   "after",
    "data",    "system", "request", "reply",  "number",   "letter",   "record",   "sample"};

Micros toMicros(double ms) { return Micros(static_cast<std::int64_t>(std::llround(ms * 1000.0))); }

std::string formatSeconds(double seconds)
{
    if (seconds == std::floor(seconds) && seconds < 1e15) {
        return std::to_string(static_cast<long long>(seconds));
    }
    char buffer[32];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, seconds);
    return std::string(buffer, ptr);
}

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

} // namespace

TurnPlanner::TurnPlanner(const SimConfig &config, const AnswerBook &answers)
    : m_config(config)
    , m_answers(answers)
{
}

SimFaults TurnPlanner::decideFaults(std::string_view body, const SimDirective *directive,
                                    SimRandom &random)
{
    const std::uint64_t bodyHash = SimRandom::hash(body, m_config.seed);
    const std::uint64_t occurrence = m_requestCounts.next(bodyHash);
    random = SimRandom(SimRandom::combine(bodyHash, occurrence));

    // Always draw all five so the latency draws that follow do not depend on the options.
    const double u429 = random.nextDouble();
    const double u500 = random.nextDouble();
    const double uStall = random.nextDouble();
    const double uTruncate = random.nextDouble();
    const double uMalformed = random.nextDouble();

    SimFaults faults;
    if (u429 < m_config.fail429) {
        faults.failStatus = 429;
        faults.retryAfter = formatSeconds(m_config.retryAfterS);
    } else if (u500 < m_config.fail500) {
        faults.failStatus = 500;
    }
    if (uStall < m_config.stall) {
        faults.stall = toMicros(m_config.stallMs);
    }
    faults.truncate = uTruncate < m_config.truncate;
    faults.malformed = uMalformed < m_config.malformed;

    if (directive != nullptr && directive->hasFault()) {
        const auto seen = m_directiveCounts.next(SimRandom::hash(directive->text));
        const bool active
            = !directive->times || seen <= static_cast<std::uint64_t>(*directive->times);
        if (active) {
            if (directive->failStatus) {
                faults.failStatus = *directive->failStatus;
                faults.retryAfter = directive->retryAfter.value_or(std::string());
                faults.retryAfterMs = directive->retryAfterMs.value_or(std::string());
            }
            if (directive->stallMs) {
                faults.stall = toMicros(*directive->stallMs);
            }
            faults.truncate = faults.truncate || directive->truncate;
            faults.malformed = faults.malformed || directive->malformed;
        }
    }
    return faults;
}

std::string TurnPlanner::answerText(const Input &input, const SimDirective *directive,
                                    bool &wrong) const
{
    wrong = false;
    if (directive != nullptr && directive->reply) {
        return *directive->reply;
    }
    if (const auto entry = m_answers.find(input.lastUserText)) {
        const double rate = m_config.errorRateFor(input.model);
        if (rate > 0.0) {
            const std::uint64_t h = SimRandom::combine(SimRandom::hash(input.model, m_config.seed),
                                                       SimRandom::hash(input.lastUserText));
            if (SimRandom::toUnit(h) < rate) {
                if (const auto *other = m_answers.wrongAnswer(*entry, SimRandom::combine(h, 7))) {
                    wrong = true;
                    return *other;
                }
            }
        }
        return m_answers.answer(*entry);
    }
    const int words
        = directive != nullptr && directive->tokens ? *directive->tokens : m_config.tokens;
    SimRandom random(SimRandom::combine(m_config.seed, input.conversationHash));
    std::string text;
    text.reserve(static_cast<std::size_t>(words) * 8);
    for (int i = 0; i < words; ++i) {
        if (i > 0) {
            text.push_back(' ');
        }
        if (i == 0) {
            text.append("Simulated");
        } else if (i == 1) {
            text.append("answer:");
        } else {
            text.append(Vocabulary[random.next() % Vocabulary.size()]);
        }
    }
    return text;
}

SimTurn TurnPlanner::plan(const Input &input, const SimDirective *directive,
                          SimRandom &random) const
{
    SimTurn turn;
    turn.model = input.model;
    turn.text = answerText(input, directive, turn.wrongAnswer);

    // One chunk per word, each with the whitespace before it; trailing whitespace rides on
    // the last word, so the chunk count is the word count.
    const std::string &text = turn.text;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && isSpace(text[pos])) {
            ++pos;
        }
        if (pos == text.size() && !turn.chunkEnds.empty()) {
            turn.chunkEnds.back() = pos;
            break;
        }
        while (pos < text.size() && !isSpace(text[pos])) {
            ++pos;
        }
        turn.chunkEnds.push_back(pos);
    }
    if (input.maxTokens && static_cast<long long>(turn.chunkEnds.size()) > *input.maxTokens) {
        const auto keep = static_cast<std::size_t>(std::max(0LL, *input.maxTokens));
        turn.chunkEnds.resize(keep);
        turn.text.resize(keep == 0 ? 0 : turn.chunkEnds.back());
        turn.cutByMaxTokens = true;
    }
    turn.promptTokens = static_cast<int>((input.promptChars + 3) / 4);

    const bool directiveTiming = directive != nullptr && (directive->ttftMs || directive->tokenMs);
    const std::size_t count = std::max<std::size_t>(1, turn.chunkEnds.size());
    turn.delays.reserve(count);
    Micros sum{0};
    for (std::size_t i = 0; i < count; ++i) {
        double ms = 0.0;
        if (i == 0) {
            ms = directive != nullptr && directive->ttftMs ? *directive->ttftMs
                                                           : m_config.ttft.sampleMs(random);
        } else {
            ms = directive != nullptr && directive->tokenMs ? *directive->tokenMs
                                                            : m_config.tokenGap.sampleMs(random);
        }
        turn.delays.push_back(toMicros(ms));
        sum += turn.delays.back();
    }
    turn.total
        = m_config.latency && !directiveTiming ? toMicros(m_config.latency->sampleMs(random)) : sum;
    return turn;
}

void TurnPlanner::reset()
{
    m_requestCounts.reset();
    m_directiveCounts.reset();
}

} // namespace fb
