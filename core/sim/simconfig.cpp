#include <core/sim/simconfig.h>

#include <core/common/fileio.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>
#include <utility>

namespace fb {

namespace {

const std::set<std::string, std::less<>> &valueOptions()
{
    static const std::set<std::string, std::less<>> options{
        "host",       "port",      "threads",       "seed",   "config",
        "ttft-ms",    "token-ms",  "latency-ms",    "tokens", "answers",
        "error-rate", "fail-429",  "fail-500",      "stall",  "stall-ms",
        "truncate",   "malformed", "retry-after-s", "flavor", "require-key"};
    return options;
}

template <typename T> bool parseInteger(std::string_view text, T &out)
{
    const auto *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty();
}

bool parseDouble(std::string_view text, double &out)
{
    const auto *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && !text.empty() && std::isfinite(out);
}

Unexpected badValue(std::string_view option, std::string_view value, std::string_view expected)
{
    return fail(ErrorCode::InvalidArgument, "--" + std::string(option) + ": invalid value '"
                                                + std::string(value) + "' (expected "
                                                + std::string(expected) + ")");
}

Result<double> parseProbability(std::string_view option, std::string_view value)
{
    double p = 0.0;
    if (!parseDouble(value, p) || p < 0.0 || p > 1.0) {
        return badValue(option, value, "a probability between 0 and 1");
    }
    return p;
}

Result<void> setErrorRate(SimConfig &config, std::string_view option, std::string_view model,
                          std::string_view probability)
{
    if (model.empty()) {
        return badValue(option, probability, "MODEL=P with a model name");
    }
    auto p = parseProbability(option, probability);
    if (!p) {
        return std::move(p).error();
    }
    config.errorRates[std::string(model)] = *p;
    return {};
}

Result<void> parseErrorRates(SimConfig &config, std::string_view value)
{
    while (!value.empty()) {
        const auto comma = value.find(',');
        const auto item = value.substr(0, comma);
        const auto eq = item.rfind('=');
        if (eq == std::string_view::npos) {
            return badValue("error-rate", item, "MODEL=P[,MODEL=P...]");
        }
        auto r = setErrorRate(config, "error-rate", item.substr(0, eq), item.substr(eq + 1));
        if (!r) {
            return r;
        }
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
    return {};
}

Result<void> applyOption(SimConfig &config, std::string_view key, std::string_view value)
{
    const auto distribution = [&](LatencyDistribution &target) -> Result<void> {
        auto d = LatencyDistribution::parse(value);
        if (!d) {
            return fail(ErrorCode::InvalidArgument,
                        "--" + std::string(key) + ": " + std::move(d).error().message);
        }
        target = *d;
        return {};
    };
    const auto probability = [&](double &target) -> Result<void> {
        auto p = parseProbability(key, value);
        if (!p) {
            return std::move(p).error();
        }
        target = *p;
        return {};
    };
    const auto nonNegative = [&](double &target) -> Result<void> {
        double v = 0.0;
        if (!parseDouble(value, v) || v < 0.0) {
            return badValue(key, value, "a non-negative number");
        }
        target = v;
        return {};
    };

    if (key == "host") {
        if (value.empty()) {
            return badValue(key, value, "an IP address");
        }
        config.host = std::string(value);
    } else if (key == "port") {
        if (!parseInteger(value, config.port)) {
            return badValue(key, value, "a port number 0-65535");
        }
    } else if (key == "threads") {
        if (!parseInteger(value, config.threads) || config.threads < 1 || config.threads > 256) {
            return badValue(key, value, "a thread count 1-256");
        }
    } else if (key == "seed") {
        if (!parseInteger(value, config.seed)) {
            return badValue(key, value, "an unsigned integer");
        }
    } else if (key == "ttft-ms") {
        return distribution(config.ttft);
    } else if (key == "token-ms") {
        return distribution(config.tokenGap);
    } else if (key == "latency-ms") {
        LatencyDistribution d;
        auto r = distribution(d);
        if (r) {
            config.latency = d;
        }
        return r;
    } else if (key == "tokens") {
        if (!parseInteger(value, config.tokens) || config.tokens < 0 || config.tokens > 1000000) {
            return badValue(key, value, "a word count 0-1000000");
        }
    } else if (key == "answers") {
        config.answersPath = std::filesystem::path(std::string(value));
    } else if (key == "error-rate") {
        return parseErrorRates(config, value);
    } else if (key == "fail-429") {
        return probability(config.fail429);
    } else if (key == "fail-500") {
        return probability(config.fail500);
    } else if (key == "stall") {
        return probability(config.stall);
    } else if (key == "stall-ms") {
        return nonNegative(config.stallMs);
    } else if (key == "truncate") {
        return probability(config.truncate);
    } else if (key == "malformed") {
        return probability(config.malformed);
    } else if (key == "retry-after-s") {
        return nonNegative(config.retryAfterS);
    } else if (key == "flavor") {
        if (value == "openai") {
            config.flavor = SimConfig::Flavor::OpenAi;
        } else if (value == "llamacpp") {
            config.flavor = SimConfig::Flavor::LlamaCpp;
        } else {
            return badValue(key, value, "openai or llamacpp");
        }
    } else if (key == "require-key") {
        config.requireKey = std::string(value);
    } else {
        return fail(ErrorCode::InvalidArgument, "unknown option --" + std::string(key));
    }
    return {};
}

Result<void> applyConfigFile(SimConfig &config, const std::filesystem::path &path)
{
    auto text = readFile(path);
    if (!text) {
        return fail(ErrorCode::Io, "--config: " + std::move(text).error().message);
    }
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return fail(ErrorCode::Parse, path.string() + ": not a JSON object");
    }
    for (const auto &[key, value] : json.items()) {
        const auto where = path.string() + ": \"" + key + "\": ";
        if (key == "config" || key == "help") {
            return fail(ErrorCode::InvalidArgument, where + "not allowed in a config file");
        }
        if (key == "quiet") {
            if (!value.is_boolean()) {
                return fail(ErrorCode::InvalidArgument, where + "expected true or false");
            }
            config.quiet = value.get<bool>();
            continue;
        }
        if (key == "error-rate" && value.is_object()) {
            for (const auto &[model, p] : value.items()) {
                if (!p.is_number()) {
                    return fail(ErrorCode::InvalidArgument,
                                where + "the rate of '" + model + "' is not a number");
                }
                auto r = setErrorRate(config, "error-rate", model, p.dump());
                if (!r) {
                    return fail(ErrorCode::InvalidArgument, where + r.error().message);
                }
            }
            continue;
        }
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_number()) {
            text = value.dump();
        } else {
            return fail(ErrorCode::InvalidArgument, where + "expected a string or a number");
        }
        if (valueOptions().count(key) == 0) {
            return fail(ErrorCode::InvalidArgument, where + "unknown option");
        }
        auto r = applyOption(config, key, text);
        if (!r) {
            return fail(ErrorCode::InvalidArgument, where + r.error().message);
        }
        if (key == "answers" && config.answersPath.is_relative()) {
            config.answersPath = path.parent_path() / config.answersPath;
        }
    }
    return {};
}

} // namespace

Result<SimConfig> SimConfig::fromArguments(const std::vector<std::string> &args)
{
    SimConfig config;
    std::vector<std::pair<std::string, std::string>> flags;
    std::string configPath;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg.size() < 3 || arg.substr(0, 2) != "--") {
            return fail(ErrorCode::InvalidArgument,
                        "unexpected argument '" + args[i] + "' (see --help)");
        }
        arg.remove_prefix(2);
        std::string key(arg.substr(0, arg.find('=')));
        if (key == "help") {
            config.helpRequested = true;
            return config;
        }
        if (key == "quiet") {
            flags.emplace_back(key, std::string());
            continue;
        }
        if (valueOptions().count(key) == 0) {
            return fail(ErrorCode::InvalidArgument, "unknown option --" + key + " (see --help)");
        }
        std::string value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            value = std::string(arg.substr(eq + 1));
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return fail(ErrorCode::InvalidArgument, "--" + key + " needs a value");
        }
        if (key == "config") {
            configPath = value;
        } else {
            flags.emplace_back(std::move(key), std::move(value));
        }
    }
    if (!configPath.empty()) {
        auto r = applyConfigFile(config, configPath);
        if (!r) {
            return std::move(r).error();
        }
    }
    bool errorRatesFromFlags = false;
    for (const auto &[key, value] : flags) {
        if (key == "quiet") {
            config.quiet = true;
            continue;
        }
        if (key == "error-rate" && !errorRatesFromFlags) {
            // A flag replaces the config file's table rather than merging into it.
            config.errorRates.clear();
            errorRatesFromFlags = true;
        }
        auto r = applyOption(config, key, value);
        if (!r) {
            return std::move(r).error();
        }
    }
    return config;
}

std::string SimConfig::usage()
{
    return R"(flowbench-sim: LLM SIMULATOR for tests, demos and benchmarks.
It serves OpenAI-, Azure- and Anthropic-compatible endpoints whose answers are generated
deterministically by this program; they do not come from a real model.

Usage: flowbench-sim [options]
  --host ADDR            address to listen on (default 127.0.0.1)
  --port N               port, 0 = any free port (default 8080)
  --threads N            I/O threads (default 1)
  --seed N               seed of every simulated decision (default 1)
  --config FILE.json     options as JSON keys without dashes; flags override it
  --ttft-ms DIST         delay before the first content chunk (default 0)
  --token-ms DIST        delay between content chunks (default 0)
  --latency-ms DIST      total latency of non-streaming calls (default ttft + chunks x token)
  --tokens N             words of the generated pseudo-answer (default 16)
  --answers FILE.jsonl   lines {"input": "...", "answer": "..."}; the first line whose input
                         occurs in the last user message gives the answer
  --error-rate M=P,...   probability of a wrong answer (from --answers) per model; "*" = any
  --fail-429 P           probability of a 429 with retry-after (default 0)
  --fail-500 P           probability of a 500 (default 0)
  --stall P              probability of stalling --stall-ms before the headers (default 0)
  --stall-ms MS          length of a stall (default 30000)
  --truncate P           probability of closing the connection mid-response (default 0)
  --malformed P          probability of one chunk (or body) of invalid JSON (default 0)
  --retry-after-s S      retry-after of random 429s (default 1)
  --flavor openai|llamacpp   dialect of /v1 chat and completions (default openai)
  --require-key KEY      require this API key (Bearer, api-key or x-api-key header)
  --quiet                print only the banner and the listening line
  --help                 this text
DIST: N (fixed ms), uniform:A:B, normal:MEAN:SD (clamped at 0) or exp:MEAN.

Endpoints: GET /health, GET /v1/models, GET /stats, POST /stats/reset,
POST /v1/chat/completions, /v1/completions, /v1/embeddings, /v1/messages (Anthropic),
POST /openai/deployments/{deployment}/{chat/completions|completions|embeddings} (Azure).
The last user message (or prompt) may carry [[sim:KEY=VAL,...]] with keys fail=429|500|503,
times=N, retry_after=S, retry_after_ms=MS, stall_ms=MS, ttft_ms=MS, token_ms=MS, truncate=1,
malformed=1, reply=TEXT, reply_b64=BASE64, tokens=N.
)";
}

double SimConfig::errorRateFor(const std::string &model) const
{
    if (const auto it = errorRates.find(model); it != errorRates.end()) {
        return it->second;
    }
    if (const auto it = errorRates.find("*"); it != errorRates.end()) {
        return it->second;
    }
    return 0.0;
}

std::string SimConfig::summary() const
{
    std::ostringstream out;
    out << "flowbench-sim: flavor " << (flavor == Flavor::OpenAi ? "openai" : "llamacpp")
        << ", threads " << threads << ", seed " << seed << ", tokens " << tokens << "\n";
    out << "flowbench-sim: ttft-ms " << ttft.toString() << ", token-ms " << tokenGap.toString()
        << ", latency-ms " << (latency ? latency->toString() : std::string("ttft+tokens")) << "\n";
    out << "flowbench-sim: faults fail-429 " << fail429 << ", fail-500 " << fail500 << ", stall "
        << stall << " (" << stallMs << " ms), truncate " << truncate << ", malformed " << malformed
        << "\n";
    if (!answersPath.empty()) {
        out << "flowbench-sim: answers " << answersPath.string();
        for (const auto &[model, p] : errorRates) {
            out << ", error-rate " << model << "=" << p;
        }
        out << "\n";
    }
    if (!requireKey.empty()) {
        out << "flowbench-sim: an API key is required\n";
    }
    return out.str();
}

} // namespace fb
