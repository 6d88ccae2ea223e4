#pragma once

#include <core/common/result.h>
#include <core/sim/latencydistribution.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// The options of the flowbench-sim LLM simulator, parsed from its command line and an
/// optional JSON config file (same option names without the dashes; flags override the file).
/// A plain value; see usage() for the meaning of every option.
struct SimConfig
{
    /// The response dialect of the plain OpenAI endpoints (/v1/...).
    enum class Flavor { OpenAi, LlamaCpp };

    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    int threads = 1;
    std::uint64_t seed = 1;
    LatencyDistribution ttft;     ///< before the first content chunk
    LatencyDistribution tokenGap; ///< between content chunks
    /// Total latency of non-streaming calls; when unset, ttft + chunks x tokenGap.
    std::optional<LatencyDistribution> latency;
    int tokens = 16;                          ///< words of the generated pseudo-text
    std::filesystem::path answersPath;        ///< JSON lines {"input","answer"}; empty = none
    std::map<std::string, double> errorRates; ///< model (or "*") -> probability of a wrong answer
    double fail429 = 0.0;
    double fail500 = 0.0;
    double stall = 0.0;
    double stallMs = 30000.0;
    double truncate = 0.0;
    double malformed = 0.0;
    double retryAfterS = 1.0;
    Flavor flavor = Flavor::OpenAi;
    std::string requireKey; ///< empty = no key required
    bool quiet = false;
    bool helpRequested = false; ///< --help was given: print usage() and exit

    /// Parses the arguments after the program name. --config is read first, then every flag
    /// overrides it. Errors name the option and what is wrong with its value.
    [[nodiscard]] static Result<SimConfig> fromArguments(const std::vector<std::string> &args);

    /// The --help text.
    [[nodiscard]] static std::string usage();

    /// The probability of a wrong answer for `model` (exact entry, else "*", else 0).
    [[nodiscard]] double errorRateFor(const std::string &model) const;

    /// A few lines describing the effective configuration, for the start-up log.
    [[nodiscard]] std::string summary() const;
};

} // namespace fb
