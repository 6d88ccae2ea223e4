#pragma once

#include <core/common/value.h>
#include <core/llm/connection.h>
#include <core/store/experimentstore.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace fb {

/// What a user asks for when running a flow over a dataset: the flow, the data, the variant
/// choices (several ids of a node make an experiment over their cross product), column mapping,
/// evaluators, limits, the store and the connections. Both front ends fill one in — the CLI
/// from its options, the workbench from its run panel — and ExperimentPlan::prepare() checks it.
/// Plain data; defaults are the documented ones of `flowbench-cli run`.
struct ExperimentRequest
{
    /// An evaluation run over `baseRun` (its outputs feed ${run.outputs.X}) instead of a run.
    bool evaluation = false;
    std::filesystem::path flow;
    /// The dataset; for an evaluation run, empty means the base run's dataset.
    std::filesystem::path data;
    /// Name of the run an evaluation run evaluates.
    std::string baseRun;

    /// Variant ids per node; several ids of one node make an experiment over the cross product.
    std::map<std::string, std::vector<std::string>> variants;
    /// Every variant of every variant node (cross product).
    bool allVariants = false;
    /// INPUT=VALUE pairs: ${data.COL}, ${run.outputs.X}, ${run.inputs.X} or a literal.
    std::vector<std::string> columnMapping;
    /// Evaluator specs in their JSON object form (EvaluatorSpec::parse).
    Value evaluators = Value::array();

    int concurrency = 16;          ///< lines in flight, 1 to kMaxConcurrency
    double requestsPerMinute = 0;  ///< per connection; 0 = no limit
    double tokensPerMinute = 0;    ///< per connection; 0 = no limit
    double timeoutS = 0;           ///< per line, up to 7 days; 0 = no limit
    bool useCache = true;          ///< answer repeated identical requests from the store's cache
    bool cacheAllLlmNodes = false; ///< cache every llm node, not only enable_cache: true ones
    double cacheTtlS = 604800;     ///< cached answers older than this are not used; 0 = never expire
    bool stream = true;            ///< stream answers (measures TTFT and TPOT)
    double budgetUsd = 0;          ///< stop starting lines at this cost; 0 = no cap
    bool skipBadRows = false;      ///< skip malformed dataset rows (reported) instead of stopping

    /// Name of the run or experiment; empty means FLOW-timestamp.
    std::string name;
    /// Continue this earlier run or experiment (by name) instead of starting a new one; the
    /// variant, mapping and evaluator choices above are then the resumed run's own.
    std::string resume;

    std::filesystem::path store = ExperimentStore::kDefaultPath;
    /// Folder whose pricing overrides apply (flowbench.pricing.json); empty = current folder.
    std::filesystem::path workspace;

    /// Connection YAML files or folders to load.
    std::vector<std::filesystem::path> connectionFiles;
    /// Connections given directly, secrets resolved (the workbench's).
    std::vector<Connection> connections;
    /// Start the bundled LLM SIMULATOR and let it stand in for every connection.
    bool simulator = false;
    /// Or use an already running simulator at this base URL ("http://127.0.0.1:PORT").
    std::string simulatorUrl;

    /// Lines in flight at most: each holds a socket, and thousands more only queue.
    static constexpr int kMaxConcurrency = 4096;
};

} // namespace fb
