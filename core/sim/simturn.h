#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// What the simulated model "says" for one request and how fast: the answer text split into
/// chunks (one word each, with its leading whitespace), token counts and the delays.
/// Built by TurnPlanner, rendered by OpenAiWriter or AnthropicWriter. A plain value.
struct SimTurn
{
    std::string model; ///< the requested model, without the "flowbench-sim:" prefix
    std::string text;  ///< the answer, already cut to max_tokens
    std::vector<std::size_t> chunkEnds; ///< end offset in `text` of each chunk
    bool cutByMaxTokens = false;        ///< finish reason "length" / "max_tokens"
    bool wrongAnswer = false;           ///< an --error-rate substitution happened
    int promptTokens = 0;
    /// delays[0]: before the first content chunk (TTFT); delays[i]: before chunk i.
    /// Never empty (a turn without chunks still waits its TTFT).
    std::vector<std::chrono::microseconds> delays;
    std::chrono::microseconds total{0}; ///< latency of a non-streaming response

    [[nodiscard]] int completionTokens() const { return static_cast<int>(chunkEnds.size()); }
    [[nodiscard]] std::string_view chunk(std::size_t i) const
    {
        const std::size_t begin = i == 0 ? 0 : chunkEnds[i - 1];
        return std::string_view(text).substr(begin, chunkEnds[i] - begin);
    }
    /// The model name responses carry: "flowbench-sim:<model>".
    [[nodiscard]] std::string responseModel() const
    {
        static constexpr std::string_view Prefix = "flowbench-sim:";
        if (model.compare(0, Prefix.size(), Prefix) == 0) {
            return model;
        }
        return std::string(Prefix) + model;
    }
};

} // namespace fb
