#pragma once

#include <core/sim/simconfig.h>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fb {

struct SimFaults;
struct SimResponsePlan;
struct SimTurn;

/// Renders simulated turns as OpenAI (or llama.cpp-flavoured OpenAI) responses into a
/// SimResponsePlan: chat.completion / text_completion bodies, SSE chunk streams, error
/// bodies and embedding lists. Stateless; every function is thread-safe.
class OpenAiWriter
{
public:
    enum class Endpoint { Chat, Completion };

    struct Options
    {
        Endpoint endpoint = Endpoint::Chat;
        SimConfig::Flavor flavor = SimConfig::Flavor::OpenAi;
        bool stream = false;
        bool includeUsage = false; ///< stream_options.include_usage
        int choices = 1;           ///< n
        std::string_view id;
        std::int64_t created = 0;
    };

    /// A successful response for `turn`, with the stall, truncation and malformed-JSON faults
    /// of `faults` applied (its failStatus is ignored: see faultError()).
    static void writeTurn(const SimTurn &turn, const SimFaults &faults, const Options &options,
                          SimResponsePlan &plan);

    /// An error body in the flavor's shape: OpenAI {"error":{message,type,param,code}} or
    /// llama.cpp {"error":{code,message,type}}. Replaces the plan's body and steps.
    static void writeError(SimResponsePlan &plan, int status, std::string_view message,
                           std::string_view type, std::string_view code,
                           SimConfig::Flavor flavor = SimConfig::Flavor::OpenAi);

    /// The error of an injected failure (429 rate limit, 500, 503, ...) for `model`.
    static void writeFaultError(SimResponsePlan &plan, int status, std::string_view model,
                                SimConfig::Flavor flavor = SimConfig::Flavor::OpenAi);

    /// An OpenAI embedding list; `vectors` are written as float arrays, or as base64 of
    /// little-endian float32 when `base64` is set.
    static void writeEmbeddings(SimResponsePlan &plan,
                                const std::vector<std::vector<float>> &vectors,
                                std::string_view model, int promptTokens, bool base64,
                                std::chrono::microseconds delay);
};

} // namespace fb
