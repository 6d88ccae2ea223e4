#include <core/estimate/runestimate.h>

namespace fb {

namespace {

Value wallTimeJson(const WallTime &w)
{
    return {{"seconds", w.seconds},
            {"bound", w.bound},
            {"concurrency_s", w.concurrencyS},
            {"rpm_s", w.rpmS},
            {"tpm_s", w.tpmS}};
}

Value optionalNumber(const std::optional<double> &v) { return v ? Value(*v) : Value(); }

} // namespace

const char *completionSourceName(CompletionSource source)
{
    switch (source) {
    case CompletionSource::PastRuns:
        return "past_runs";
    case CompletionSource::MaxTokens:
        return "max_tokens";
    case CompletionSource::MaxTokensFraction:
        return "max_tokens_fraction";
    case CompletionSource::AssumedMaxTokens:
        return "assumed_max_tokens";
    }
    return "unknown";
}

const char *tokenCountingName(TokenCounting counting)
{
    switch (counting) {
    case TokenCounting::Exact:
        return "exact";
    case TokenCounting::Estimated:
        return "estimated";
    case TokenCounting::Partial:
        return "partial";
    }
    return "unknown";
}

Value RunEstimate::toJson() const
{
    Value out = Value::object();
    out["flow"] = flow;
    out["data"] = data;
    out["total_rows"] = totalRows;
    out["sampled_rows"] = sampledRows;
    out["sampled"] = sampled;
    out["concurrency"] = concurrency;
    out["rpm"] = requestsPerMinute > 0 ? Value(requestsPerMinute) : Value();
    out["tpm"] = tokensPerMinute > 0 ? Value(tokensPerMinute) : Value();
    out["latency_s"] = latencySeconds;
    out["latency_source"] = latencySource;
    out["pricing"] = pricingVersion;
    out["calls"] = calls;
    out["prompt_tokens"] = promptTokens;
    out["completion_tokens"] = {{"low", completionTokensLow}, {"high", completionTokensHigh}};
    out["cost_usd"] = {{"low", costLowUsd}, {"high", costHighUsd}, {"complete", costComplete}};
    out["simulated"] = simulated;
    out["wall_time"] = {{"low", wallTimeJson(wallTimeLow)}, {"high", wallTimeJson(wallTimeHigh)}};
    Value sels = Value::array();
    for (const auto &s : selections) {
        Value sj = Value::object();
        sj["variants"] = Value::object();
        for (const auto &[node, id] : s.variants) {
            sj["variants"][node] = id;
        }
        sj["calls"] = s.calls;
        sj["prompt_tokens"] = s.promptTokens;
        sj["completion_tokens"]
            = {{"low", s.completionTokensLow}, {"high", s.completionTokensHigh}};
        sj["cost_usd"] = {{"low", s.costLowUsd}, {"high", s.costHighUsd}};
        sj["unpriced_models"] = s.unpricedModels;
        sj["wall_time"]
            = {{"low", wallTimeJson(s.wallTimeLow)}, {"high", wallTimeJson(s.wallTimeHigh)}};
        sj["failed_rows"] = s.failedRows;
        if (!s.firstFailure.empty()) {
            sj["first_failure"] = s.firstFailure;
        }
        Value nodes = Value::array();
        for (const auto &n : s.nodes) {
            Value nj = Value::object();
            nj["node"] = n.node;
            nj["variant"] = n.variantId.empty() ? Value() : Value(n.variantId);
            nj["model"] = n.model;
            nj["priced_as"] = n.pricedAs.empty() ? Value() : Value(n.pricedAs);
            nj["simulated"] = n.simulated;
            nj["encoding"] = n.encoding.empty() ? Value() : Value(n.encoding);
            nj["prompt_tokens_counting"] = tokenCountingName(n.counting);
            nj["calls"] = n.calls;
            nj["prompt_tokens"] = n.promptTokens;
            nj["mean_prompt_tokens"] = n.meanPromptTokens;
            nj["max_prompt_tokens"] = n.maxPromptTokens;
            nj["max_tokens"] = n.maxTokens ? Value(*n.maxTokens) : Value();
            nj["completion_tokens"]
                = {{"low", n.completionTokensLow},
                   {"low_source", completionSourceName(n.completionLowSource)},
                   {"high", n.completionTokensHigh},
                   {"high_source", completionSourceName(n.completionHighSource)}};
            nj["cost_usd"]
                = {{"low", optionalNumber(n.costLowUsd)}, {"high", optionalNumber(n.costHighUsd)}};
            nodes.push_back(std::move(nj));
        }
        sj["nodes"] = std::move(nodes);
        sels.push_back(std::move(sj));
    }
    out["selections"] = std::move(sels);
    out["notes"] = notes;
    return out;
}

} // namespace fb
