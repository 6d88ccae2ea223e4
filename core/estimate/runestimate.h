#pragma once

#include <core/common/value.h>
#include <core/flow/variantresolver.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// Where a completion-token figure comes from.
enum class CompletionSource {
    PastRuns,          ///< the mean completion tokens of earlier runs
    MaxTokens,         ///< the node's max_tokens (an upper bound)
    MaxTokensFraction, ///< a fixed fraction of max_tokens (or of the assumed cap)
    AssumedMaxTokens,  ///< the node sets no max_tokens: an assumed cap stands in for it
};
[[nodiscard]] const char *completionSourceName(CompletionSource source);

/// How prompt tokens were counted.
enum class TokenCounting {
    Exact,     ///< the model's tokenizer on the fully rendered request
    Estimated, ///< no known tokenizer for the model (or a counting rule we lack): an estimate
    Partial,   ///< exact tokenizer, but some template variables were stand-ins for outputs of
               ///< nodes not run (python nodes, upstream llm nodes)
};
[[nodiscard]] const char *tokenCountingName(TokenCounting counting);

/// The wall time of a number of calls under the throughput limits.
struct WallTime
{
    double seconds = 0;
    std::string bound;       ///< "concurrency", "rpm" or "tpm": the limit that decides
    double concurrencyS = 0; ///< calls x latency / concurrency
    double rpmS = 0;         ///< calls / RPM (0 without a limit)
    double tpmS = 0;         ///< tokens / TPM (0 without a limit)
};

/// One llm node of one variant selection, over the whole dataset (extrapolated when sampled).
struct NodeEstimate
{
    std::string node;
    std::string variantId; ///< empty for nodes without variants
    std::string model;     ///< as the request names it (model or Azure deployment)
    std::string pricedAs;  ///< the price table entry; empty when the model has no price
    bool simulated = false;
    std::string encoding; ///< tokenizer used; empty when tokens are estimated
    TokenCounting counting = TokenCounting::Exact;

    std::int64_t calls = 0;                ///< rows x 1 (every node assumed active)
    double promptTokens = 0;               ///< total over the dataset
    double meanPromptTokens = 0;           ///< per call, over the rows looked at
    std::int64_t maxPromptTokens = 0;      ///< the largest prompt seen
    std::optional<std::int64_t> maxTokens; ///< the node's max_tokens (as set for the first row)

    double completionTokensLow = 0;  ///< total, from the low per-call figure
    double completionTokensHigh = 0; ///< total, from max_tokens (or the assumed cap)
    CompletionSource completionLowSource = CompletionSource::MaxTokensFraction;
    CompletionSource completionHighSource = CompletionSource::AssumedMaxTokens;

    std::optional<double> costLowUsd; ///< nullopt when the model has no price
    std::optional<double> costHighUsd;
};

/// One variant selection (one run of an experiment).
struct SelectionEstimate
{
    VariantSelection variants; ///< every variant node -> the variant this run uses
    std::vector<NodeEstimate> nodes;
    std::int64_t calls = 0;
    double promptTokens = 0;
    double completionTokensLow = 0;
    double completionTokensHigh = 0;
    double costLowUsd = 0;                   ///< over the priced nodes
    double costHighUsd = 0;                  ///< over the priced nodes
    std::vector<std::string> unpricedModels; ///< models without a price (cost excludes them)
    WallTime wallTimeLow;                    ///< this run alone, with the low completion figures
    WallTime wallTimeHigh;                   ///< this run alone, with max_tokens
    std::int64_t failedRows = 0; ///< rows of the sample whose prompts could not be built
    std::string firstFailure;    ///< why the first of them failed ("data.jsonl:3: ...")
};

/// A cost and time estimate of running a flow over a dataset, before any call.
struct RunEstimate
{
    std::string flow;
    std::string data;
    std::int64_t totalRows = 0;   ///< rows in the dataset
    std::int64_t sampledRows = 0; ///< rows whose prompts were rendered and counted
    bool sampled = false;         ///< true when sampledRows < totalRows (figures extrapolated)

    int concurrency = 1;
    double requestsPerMinute = 0; ///< 0: no limit
    double tokensPerMinute = 0;   ///< 0: no limit
    double latencySeconds = 1;    ///< per call
    std::string latencySource;    ///< "past runs" or "assumed"

    std::vector<SelectionEstimate> selections;

    /// The whole experiment in one scheduler (shared concurrency and rate limits).
    std::int64_t calls = 0;
    double promptTokens = 0;
    double completionTokensLow = 0;
    double completionTokensHigh = 0;
    double costLowUsd = 0;
    double costHighUsd = 0;
    bool costComplete = true; ///< false when some model had no price
    bool simulated = false;   ///< some model is the simulator: no money is spent on those
    WallTime wallTimeLow;
    WallTime wallTimeHigh;

    std::string pricingVersion; ///< "1 (2026-11-21)" and the override files merged
    /// What the figures assume, for a reader: sampling, completion sources, stand-ins for
    /// nodes not run, unpriced models, column-mapping warnings.
    std::vector<std::string> notes;

    /// Machine-readable form (snake_case keys, as the CLI's --json prints it).
    [[nodiscard]] Value toJson() const;
};

} // namespace fb
