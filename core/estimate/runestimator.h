#pragma once

#include <core/common/result.h>
#include <core/cost/pricetable.h>
#include <core/data/datarow.h>
#include <core/estimate/runestimate.h>
#include <core/exec/columnmapping.h>
#include <core/flow/flow.h>
#include <core/flow/variantresolver.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fb {

class ConnectionStore;
class PythonRunner;

/// What earlier runs measured for one llm node.
struct PastCallStats
{
    double meanCompletionTokens = 0;
    std::optional<double> meanLatencySeconds;
    std::int64_t calls = 0; ///< how many calls the means are over
};

/// How the estimator gets the output of a python node (it never calls a model).
enum class PythonNodeMode {
    /// Not run: the node's output is taken to be its string inputs (one string input: that
    /// string; several: joined by newlines). Fits preprocessing steps; prompts fed by it are
    /// counted as TokenCounting::Partial.
    PassThrough,
    /// Run through the PythonRunner, as a real run would (the tool's own side effects happen).
    Run,
};

struct EstimateOptions
{
    /// Rows rendered and counted at most; more rows are sampled uniformly (a seeded reservoir,
    /// so the same data gives the same estimate) and the figures extrapolated.
    std::size_t sampleRows = 1000;

    int concurrency = 16;
    double requestsPerMinute = 0; ///< 0: no limit
    double tokensPerMinute = 0;   ///< 0: no limit

    /// Mean completion tokens per call from past runs of the flow, for every llm node;
    /// pastByNode wins where it has the node.
    std::optional<double> meanCompletionTokens;
    /// Mean latency per call from past runs; else defaultLatencySeconds (labelled assumed).
    std::optional<double> meanLatencySeconds;
    /// Past figures by "node" or, more specific, "node.variant_id".
    std::map<std::string, PastCallStats> pastByNode;
    /// Where the past figures come from, for the notes (e.g. "run classify-20261120-101500").
    std::string pastSource;

    double defaultLatencySeconds = 1.0;
    /// Without past runs the low completion figure is this fraction of max_tokens: short
    /// answers (labels, scores) use a fraction of their cap, long ones rarely fill it.
    double maxTokensFraction = 0.25;
    /// The cap assumed for nodes that set no max_tokens (the API's own cap is the context).
    std::int64_t assumedMaxTokens = 1024;

    /// Price every model as "flowbench-sim:<model>" (the run goes to the simulator).
    bool simulated = false;

    PythonNodeMode pythonNodes = PythonNodeMode::PassThrough;
    PythonRunner *python = nullptr; ///< required for PythonNodeMode::Run
    std::chrono::milliseconds pythonTimeout{60000};

    OnBadRow onBadRow = OnBadRow::Stop;
};

/// Estimates tokens, cost and wall time of running a flow over a dataset, for one or more
/// variant selections (an experiment's cross-product), before any call is made.
///
/// For each (sampled) row and selection it builds the flow inputs with the column mapping,
/// then walks the nodes in dependency order as the executor does: prompt nodes render, python
/// nodes pass through or run (EstimateOptions::pythonNodes), and every llm node's request is
/// built with the executor's own NodeInvoker (variables, role-marker escaping, chat parsing)
/// and its prompt counted with the model's tokenizer (ChatTokenCounter for chat requests).
/// The output of an llm node is not known; nodes fed by it see an empty string, and its
/// expected completion tokens are added to their prompt (counted as Partial). Every node is
/// assumed active (activate conditions are not evaluated); aggregation nodes are left out.
///
/// Completion tokens: high = max_tokens (or the assumed cap); low = the past mean when given,
/// else maxTokensFraction x max_tokens. Cost range from the PriceTable. Wall time =
/// max(calls x latency / concurrency, calls / RPM, tokens / TPM).
///
/// Failure: an error when the flow cannot be prepared, the data cannot be read, the mapping
/// leaves an input unfilled, or no sampled row yields a request; rows that fail individually
/// are counted in SelectionEstimate::failedRows.
/// Thread-safety: estimate() may run on any thread; one call at a time per instance.
class RunEstimator
{
public:
    /// `connections` may be null: the estimator never connects, and stands in an OpenAI
    /// connection for any name the flow uses that is missing. Given connections matter for
    /// Azure (the request names a deployment, mapped to a model by the price table).
    RunEstimator(PriceTable prices, const ConnectionStore *connections = nullptr);

    /// `selections` empty = one run with every node's default variant.
    [[nodiscard]] Result<RunEstimate> estimate(const Flow &flow, const std::filesystem::path &data,
                                               const ColumnMapping &mapping,
                                               const std::vector<VariantSelection> &selections,
                                               const EstimateOptions &options = {}) const;

    /// Every combination of every variant node's variants (node order of the flow; the last
    /// node varies fastest). A flow without variants gives one empty selection.
    [[nodiscard]] static std::vector<VariantSelection> allVariantSelections(const Flow &flow);

    /// max(calls x latency / concurrency, calls / RPM x 60, tokens / TPM x 60) in seconds,
    /// naming the limit that decides. Limits <= 0 are no limits; concurrency < 1 counts as 1.
    [[nodiscard]] static WallTime wallTime(std::int64_t calls, double tokens, double latencySeconds,
                                           int concurrency, double requestsPerMinute,
                                           double tokensPerMinute);

private:
    PriceTable m_prices;
    const ConnectionStore *m_connections;
};

} // namespace fb
