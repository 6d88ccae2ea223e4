#pragma once

#include <core/common/chatmessage.h>
#include <core/common/value.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fb {

/// Which endpoint a call uses: chat completions, (legacy) completions, or embeddings.
/// Embedding calls are never streamed (LlmRequest::stream is ignored) and are served by
/// OpenAI-protocol connections only (OpenAI/compatible, Azure OpenAI, serverless).
enum class LlmApi { Chat, Completion, Embedding };

/// One model call, independent of the provider.
struct LlmRequest
{
    LlmApi api = LlmApi::Chat;
    std::string model;     ///< model (OpenAI/Anthropic) or deployment name (Azure)
    ChatMessages messages; ///< api chat
    std::string prompt;    ///< api completion
    /// api embedding: the texts to embed, one vector each (at least one).
    std::vector<std::string> input;
    /// API parameters by their OpenAI names, already typed: temperature, top_p, max_tokens,
    /// stop, presence_penalty, frequency_penalty, logit_bias, response_format, seed, tools,
    /// tool_choice, functions, function_call, suffix, logprobs, echo, best_of, user, n;
    /// for embeddings: dimensions, user (encoding_format is always float).
    Value parameters = Value::object();
    bool stream = false;
};

/// Token counts. `reported` says whether the server gave them (otherwise they are
/// estimates and say so).
struct LlmUsage
{
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    std::int64_t cachedPromptTokens = 0; ///< of promptTokens: read from a prompt cache
    std::int64_t cacheWriteTokens = 0;   ///< of promptTokens: written to one (Anthropic)
    bool reported = false;
};

/// Timings on a monotonic clock, in milliseconds, of the final (successful) attempt.
/// TTFT = request start -> first content token; TPOT = (last - first) / (tokens - 1);
/// latency = request start -> response complete. Negative = not measured (non-streaming
/// calls have no TTFT/TPOT).
struct LlmTiming
{
    double ttftMs = -1;
    double tpotMs = -1;
    double latencyMs = 0;
    double totalMs = 0; ///< including retries and backoff waits
};

struct LlmResponse
{
    std::string text; ///< assistant content (or completion text)
    /// api embedding: the answer's vectors ordered by their `index` — one per
    /// LlmRequest::input from a conforming server (callers check the count).
    std::vector<std::vector<double>> embeddings;
    Value toolCalls;          ///< tool_calls / function_call when the model asked; else null
    std::string finishReason; ///< stop, length, tool_calls, ...
    std::string model;        ///< model name the server reported
    LlmUsage usage;
    LlmTiming timing;
    int contentChunks = 0; ///< streamed content deltas received
    int attempts = 1;      ///< 1 + retries
    int httpStatus = 0;
    /// The URL that answered (without query); empty for answers from a response cache.
    std::string endpoint;
};

} // namespace fb
