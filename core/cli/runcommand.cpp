#include <core/cli/runcommand.h>

#include <core/batch/batchrunner.h>
#include <core/batch/runaggregator.h>
#include <core/batch/storeresponsecache.h>
#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/connectionsetup.h>
#include <core/cli/evaluatorspec.h>
#include <core/llm/simulatorlauncher.h>
#include <core/cost/costcalculator.h>
#include <core/cost/pricetable.h>
#include <core/data/datasetfingerprint.h>
#include <core/data/datasetinfo.h>
#include <core/data/datasetreader.h>
#include <core/eval/evaluatorregistry.h>
#include <core/exec/pythonrunner.h>
#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/flow/variantresolver.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>
#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <ostream>
#include <set>

#include <sys/resource.h>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

/// Lines in flight at most: each holds a socket, and thousands more only queue at the endpoint.
constexpr double kMaxConcurrency = 4096;

/// Makes room for `concurrency` lines' sockets beside the store, python workers and the rest
/// (raising the soft RLIMIT_NOFILE up to the hard one when needed); false with the reason when
/// the limit is too low, so a run never fails half way on "too many open files".
bool fitOpenFiles(double concurrency, std::string *reason)
{
    const rlim_t needed = rlim_t(concurrency) + 128;
    struct rlimit limit = {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) {
        return true;
    }
    if (limit.rlim_max == RLIM_INFINITY || limit.rlim_max >= needed) {
        limit.rlim_cur = needed;
        if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
            return true;
        }
    }
    *reason = "--concurrency " + std::to_string(std::int64_t(concurrency)) + " needs about "
              + std::to_string(std::uint64_t(needed)) + " open files, and this process may open "
              + std::to_string(std::uint64_t(limit.rlim_max)) + " (ulimit -n); lower --concurrency";
    return false;
}

std::string defaultRunName(const Flow &flow)
{
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    std::string base = flow.name.empty() ? flow.dir.filename().string() : flow.name;
    return base + "-" + stamp;
}

} // namespace

namespace {

// What `run` and `eval` share once their arguments are understood.
struct BatchPlan
{
    bool evalMode = false;
    std::string commandName; // "run" or "eval"
};

std::string selectionLabel(const VariantSelection &s)
{
    std::string label;
    for (const auto &[node, id] : s) {
        label += (label.empty() ? "" : "+") + (s.size() == 1 ? id : node + "." + id);
    }
    return label.empty() ? "default" : label;
}

std::vector<OptionSpec> batchOptions(bool evalMode)
{
    std::vector<OptionSpec> o;
    if (evalMode) {
        o.push_back({"run", "NAME", "the base run to evaluate (its outputs feed ${run.outputs.x})",
                     false});
        o.push_back({"data", "FILE", "dataset (default: the base run's dataset)", false});
    } else {
        o.push_back({"data", "FILE", "the dataset (.jsonl, .json, .csv, .tsv or a folder)", false});
        o.push_back({"variant", "'${node.variant_id}'",
                     "variant to run for a node (repeatable; several ids of one node make an "
                     "experiment over their cross product)",
                     true});
        o.push_back({"all-variants", {}, "run every variant of every variant node (cross product)",
                     false});
    }
    o.insert(
        o.end(),
        {{"column-mapping", "INPUT=VALUE",
          "map flow inputs: ${data.COL}, ${run.outputs.X}, ${run.inputs.X} or a literal", true},
         {"evaluator", "SPEC",
          "built-in evaluator run with every line, e.g. exact_match:reference=label "
          "(repeatable; see below)",
          true},
         {"concurrency", "N", "lines in flight at once, 1 to 4096 (default 16)", false},
         {"rpm", "N", "at most N LLM requests per minute per connection (default: no limit)",
          false},
         {"tpm", "N", "at most N LLM tokens per minute per connection (default: no limit)", false},
         {"timeout", "SECONDS", "fail a line that takes longer, up to 7 days (default: no limit)",
          false},
         {"cache", {}, "answer repeated identical LLM requests from the response cache (all llm "
                       "nodes; nodes with enable_cache: true use it anyway)",
          false},
         {"no-cache", {}, "never use the response cache", false},
         {"no-stream", {}, "do not stream model answers (then TTFT and TPOT are not measured)",
          false},
         {"cache-ttl", "SECONDS", "cached answers older than this are not used (default 604800 = 7 days; 0 = "
          "never expire)",
          false},
         {"budget", "USD", "stop starting lines once the cost so far reaches USD", false},
         {"name", "NAME", "name of the run or experiment (default FLOW-timestamp)", false},
         {"resume", "NAME", "continue an earlier run or experiment of the same flow and data",
          false},
         {"store", "FILE", "experiment store (default " + std::string(RunCommand::kDefaultStore) + ")",
          false},
         {"connections", "PATH", "connection YAML file or folder (repeatable)", true},
         {"simulator", {}, "run against the bundled LLM simulator (no API key needed)", false},
         {"skip-bad-rows", {}, "skip malformed dataset rows (reported) instead of stopping", false},
         {"json", {}, "print the summary as JSON", false}});
    return o;
}

std::string progressText(const BatchProgress &p, std::int64_t total)
{
    const std::int64_t finished = p.completed + p.failed;
    const double rate = p.elapsedS > 0 ? double(finished) / p.elapsedS : 0;
    const std::int64_t remaining = total > 0 ? total - finished - p.resumed : 0;
    char eta[32] = "-";
    if (rate > 0 && remaining > 0) {
        std::snprintf(eta, sizeof eta, "%lld s", static_cast<long long>(double(remaining) / rate));
    }
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "\r%lld/%lld lines  %lld failed  %.1f rows/s  ETA %s  tokens %lld in / %lld out"
                  "  $%.4f  ",
                  static_cast<long long>(finished + p.resumed), static_cast<long long>(total),
                  static_cast<long long>(p.failed), rate, eta,
                  static_cast<long long>(p.promptTokens),
                  static_cast<long long>(p.completionTokens), p.costUsd);
    return buf;
}

int runBatch(const BatchPlan &plan, const std::vector<std::string> &args, std::ostream &out,
             std::ostream &err, const std::atomic<bool> *interrupt)
{
    const std::string cmd = "flowbench-cli " + plan.commandName;
    const std::string usage
        = plan.evalMode
              ? cmd + " EVAL_FLOW --run NAME [--data FILE] [--column-mapping INPUT=VALUE ...] "
                      "[options]"
              : cmd + " FLOW --data FILE [--variant '${node.variant_id}' ...|--all-variants] "
                      "[--column-mapping INPUT=VALUE ...] [--evaluator SPEC ...] [options]";
    const std::string description
        = std::string(plan.evalMode
                          ? "Runs an evaluation flow over the lines of an earlier run: "
                            "${run.outputs.X} and ${run.inputs.X}\n"
                            "take that run's line values, ${data.COL} the dataset's (aligned by "
                            "line). Aggregation nodes\n"
                            "run over the finished lines and their log_metric values become the "
                            "run's metrics.\n"
                          : "Runs FLOW over every row of a dataset at the given concurrency and "
                            "stores every line, node,\n"
                            "LLM call and evaluator score in the workspace's experiment store. "
                            "Several variants (or\n"
                            "--all-variants) make an experiment: one run per variant selection, "
                            "all in one scheduler\n"
                            "sharing the concurrency and each connection's RPM/TPM limits.\n")
          + "Column mapping follows promptflow: an input with a default is NOT filled from a\n"
            "same-named column unless mapped (a warning names it). --resume NAME re-runs only "
            "the lines\n"
            "that run (or every run of that experiment) is missing or failed, after a cancel "
            "(Ctrl-C)\n"
            "or a crash. Evaluators: exact_match, contains, regex, json_valid, json_schema, "
            "numeric,\n"
            "bleu, rouge_l, latency, cost (and model-backed ones when available); keys name, "
            "output,\n"
            "reference, question, context pick what they compare, other keys are the "
            "evaluator's options.";
    CommandLine cl(usage, description, batchOptions(plan.evalMode));
    if (auto r = cl.parse(args); !r) {
        err << cmd << ": " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    if (cl.positionals().size() != 1 || (plan.evalMode ? !cl.has("run") : !cl.has("data"))) {
        err << cmd << ": expected " << (plan.evalMode ? "EVAL_FLOW and --run NAME" : "FLOW and --data FILE")
            << "\n\n"
            << cl.help();
        return code(ExitCode::Usage);
    }
    const bool json = cl.has("json");
    // Each number has a range; a value outside it is refused, never bent into it.
    auto number = [&](const char *name, double fallback, double minimum, double maximum,
                      bool whole) -> std::optional<double> {
        auto v = cl.number(name, fallback, minimum, maximum, whole);
        if (!v) {
            err << cmd << ": " << v.error().message << "\n";
            return std::nullopt;
        }
        return *v;
    };
    const auto concurrency = number("concurrency", 16, 1, kMaxConcurrency, true);
    const auto rpm = number("rpm", 0, 0, 1e7, false);
    const auto tpm = number("tpm", 0, 0, 1e10, false);
    const auto timeoutS = number("timeout", 0, 0, 7 * 86400, false);
    const auto cacheTtl = number("cache-ttl", 604800, 0, 10 * 365 * 86400.0, false);
    const auto budget = number("budget", 0, 0, 1e7, false);
    if (!concurrency || !rpm || !tpm || !timeoutS || !cacheTtl || !budget) {
        return code(ExitCode::Usage);
    }
    if (std::string reason; !fitOpenFiles(*concurrency, &reason)) {
        err << cmd << ": " << reason << "\n";
        return code(ExitCode::Environment);
    }

    auto flow = FlowLoader::load(cl.positionals()[0]);
    if (!flow) {
        err << flow.error().message << "\n";
        return code(ExitCode::InvalidFlow);
    }
    const auto diagnostics = FlowValidator::validate(*flow);
    for (const auto &d : diagnostics) {
        err << d.toString() << "\n";
    }
    if (hasErrors(diagnostics)) {
        return code(ExitCode::InvalidFlow);
    }
    auto flowHash = FlowHasher::contentHash(*flow);
    if (!flowHash) {
        err << flowHash.error().message << "\n";
        return code(ExitCode::InvalidFlow);
    }

    // The store.
    const std::filesystem::path storePath = cl.value("store", RunCommand::kDefaultStore);
    std::error_code ec;
    if (storePath.has_parent_path()) {
        std::filesystem::create_directories(storePath.parent_path(), ec);
    }
    auto store = ExperimentStore::open(storePath.string());
    if (!store) {
        err << store.error().message << "\n";
        return code(ExitCode::Environment);
    }

    // Evaluation runs: the base run, and by default its dataset.
    std::optional<RunSummary> baseRun;
    std::filesystem::path data = cl.value("data");
    if (plan.evalMode) {
        auto found = store->findRunByName(cl.value("run"));
        if (!found) {
            err << cmd << ": --run: " << found.error().message << "\n";
            return code(ExitCode::Usage);
        }
        baseRun = *found;
        if (data.empty()) {
            if (!baseRun->datasetId) {
                err << cmd << ": run '" << baseRun->name << "' has no dataset; pass --data FILE\n";
                return code(ExitCode::Usage);
            }
            auto path = store->datasetPath(*baseRun->datasetId);
            if (!path) {
                err << path.error().message << "\n";
                return code(ExitCode::Environment);
            }
            data = *path;
        }
    }

    // Dataset: fingerprint, columns, size.
    auto fingerprint = DatasetFingerprint::compute(data);
    if (!fingerprint) {
        err << fingerprint.error().message << "\n";
        return code(ExitCode::Usage);
    }
    DatasetReaderOptions readerOptions;
    readerOptions.onBadRow = cl.has("skip-bad-rows") ? OnBadRow::Skip : OnBadRow::Stop;
    auto preview = DatasetInfo::preview(data, 100, readerOptions);
    if (!preview) {
        err << preview.error().message << "\n";
        return code(ExitCode::Usage);
    }
    std::int64_t totalRows = 0;
    {
        DatasetReaderOptions countOptions = readerOptions;
        countOptions.countOnly = true;
        auto counter = DatasetReader::open(data, countOptions);
        if (!counter) {
            err << counter.error().message << "\n";
            return code(ExitCode::Usage);
        }
        for (;;) {
            auto row = counter->next();
            if (!row) {
                err << row.error().message << "\n";
                return code(ExitCode::Usage);
            }
            if (!row->has_value()) {
                break;
            }
            ++totalRows;
        }
    }

    // Runs: new ones from the arguments, or the resumed run's / experiment's own.
    std::vector<RunSummary> resumed;
    std::vector<VariantSelection> selections;
    Value mappingJson = Value::object();
    Value evaluatorSpecs = Value::array();
    std::string experimentName;
    if (cl.has("resume")) {
        const std::string name = cl.value("resume");
        if (auto one = store->findRunByName(name)) {
            resumed.push_back(*one);
        } else if (auto experiment = store->findExperiment(name)) {
            auto runs = store->experimentRuns(*experiment);
            if (!runs) {
                err << runs.error().message << "\n";
                return code(ExitCode::Environment);
            }
            resumed = std::move(*runs);
            experimentName = name;
        }
        if (resumed.empty()) {
            err << cmd << ": --resume: no run or experiment named '" << name << "' in "
                << storePath.string() << "\n";
            return code(ExitCode::Usage);
        }
        for (const auto &r : resumed) {
            VariantSelection s;
            for (const auto &[node, id] : r.variants.items()) {
                s[node] = id.get<std::string>();
            }
            selections.push_back(std::move(s));
        }
        mappingJson = resumed.front().columnMapping;
        evaluatorSpecs = resumed.front().parameters.value("evaluators", Value::array());
        if (resumed.front().baseRunId) {
            auto base = store->run(*resumed.front().baseRunId);
            if (base) {
                baseRun = *base;
            }
        }
    } else {
        std::map<std::string, std::vector<std::string>> choices;
        for (const auto &v : cl.values("variant")) {
            auto parsed = VariantResolver::parseSelection(v);
            if (!parsed) {
                err << cmd << ": --variant: " << parsed.error().message << "\n";
                return code(ExitCode::Usage);
            }
            for (const auto &[node, id] : *parsed) {
                choices[node].push_back(id);
            }
        }
        auto product = VariantResolver::crossProduct(*flow, choices, cl.has("all-variants"));
        if (!product) {
            err << cmd << ": " << product.error().message << "\n";
            return code(ExitCode::Usage);
        }
        selections = std::move(*product);
        auto mapping = ColumnMapping::parse(cl.values("column-mapping"));
        if (!mapping) {
            err << cmd << ": " << mapping.error().message << "\n";
            return code(ExitCode::Usage);
        }
        mappingJson = mapping->toJson();
        for (const auto &text : cl.values("evaluator")) {
            auto spec = EvaluatorSpec::parse(text);
            if (!spec) {
                err << cmd << ": " << spec.error().message << "\n";
                return code(ExitCode::Usage);
            }
            evaluatorSpecs.push_back(*spec);
        }
    }
    auto mapping = ColumnMapping::fromJson(mappingJson);
    if (!mapping) {
        err << mapping.error().message << "\n";
        return code(ExitCode::Usage);
    }
    const EvaluatorRegistry registry = EvaluatorRegistry::withBuiltins();
    auto evaluators = EvaluatorSpec::build(evaluatorSpecs, registry);
    if (!evaluators) {
        err << cmd << ": " << evaluators.error().message << "\n";
        return code(ExitCode::Usage);
    }
    std::vector<std::string> columns;
    for (const auto &c : preview->columns) {
        columns.push_back(c.name);
    }
    auto warnings = mapping->check(*flow, columns, baseRun.has_value());
    if (!warnings) {
        err << cmd << ": " << warnings.error().message << "\n";
        return code(ExitCode::Usage);
    }
    for (const auto &w : *warnings) {
        err << "warning: " << w << "\n";
    }
    for (const auto &e : *evaluators) {
        for (const std::string *col : {&e.referenceColumn, &e.questionColumn, &e.contextColumn}) {
            if (!col->empty() && std::find(columns.begin(), columns.end(), *col) == columns.end()) {
                err << cmd << ": evaluator '" << e.name << "': the dataset " << data.string()
                    << " has no column '" << *col << "'\n";
                return code(ExitCode::Usage);
            }
        }
    }
    std::vector<std::shared_ptr<const PreparedFlow>> prepared;
    for (const auto &s : selections) {
        auto p = PreparedFlow::prepare(*flow, s);
        if (!p) {
            err << p.error().message << "\n";
            return code(ExitCode::InvalidFlow);
        }
        prepared.push_back(*p);
    }

    // Connections (and the simulator) before any run is created, so a failure here leaves
    // nothing behind in the store.
    ConnectionStore connections;
    SimulatorLauncher simulator;
    std::set<std::string> judgeConnections;
    for (const auto &spec : evaluatorSpecs) {
        if (spec.contains("connection") && spec["connection"].is_string()) {
            judgeConnections.insert(spec["connection"].get<std::string>());
        }
    }
    if (const int rc = ConnectionSetup::apply(cl, *flow, connections, simulator, err, !json,
                                              judgeConnections)) {
        return rc;
    }
    auto flowId = store->internFlow(*flowHash,
                                    flow->name.empty() ? flow->dir.filename().string() : flow->name,
                                    flow->dir.string(), FlowHasher::canonicalForm(*flow));
    auto datasetId = store->internDataset(*fingerprint, data.string(), totalRows);
    if (!flowId || !datasetId) {
        err << (!flowId ? flowId.error().message : datasetId.error().message) << "\n";
        return code(ExitCode::Environment);
    }
    std::vector<BatchJob> jobs;
    std::vector<std::string> runNames;
    if (!resumed.empty()) {
        for (std::size_t i = 0; i < resumed.size(); ++i) {
            const RunSummary &r = resumed[i];
            if (r.flowId.value != flowId->value || !r.datasetId
                || r.datasetId->value != datasetId->value) {
                err << cmd << ": --resume " << r.name
                    << ": the flow or the data changed since that run; start a new run instead\n";
                return code(ExitCode::Usage);
            }
            auto completed = store->completedLineIndexes(r.id);
            if (!completed) {
                err << completed.error().message << "\n";
                return code(ExitCode::Environment);
            }
            jobs.push_back({r.id, prepared[i], std::move(*completed)});
            runNames.push_back(r.name);
        }
    } else {
        const std::string name = cl.value("name", defaultRunName(*flow));
        std::optional<ExperimentId> experiment;
        if (selections.size() > 1) {
            auto created = store->createExperiment(name);
            if (!created) {
                err << created.error().message << "\n";
                return code(ExitCode::Environment);
            }
            experiment = *created;
            experimentName = name;
        }
        for (std::size_t i = 0; i < selections.size(); ++i) {
            RunSpec spec;
            spec.name = selections.size() > 1 ? name + "/" + selectionLabel(selections[i]) : name;
            spec.experimentId = experiment;
            spec.flowId = *flowId;
            spec.datasetId = *datasetId;
            for (const auto &[node, id] : prepared[i]->variants()) {
                spec.variants[node] = id;
            }
            spec.columnMapping = mappingJson;
            spec.parameters["concurrency"] = int(*concurrency);
            spec.parameters["simulator"] = cl.has("simulator");
            if (*rpm > 0) {
                spec.parameters["rpm"] = *rpm;
            }
            if (*tpm > 0) {
                spec.parameters["tpm"] = *tpm;
            }
            if (*timeoutS > 0) {
                spec.parameters["timeout_s"] = *timeoutS;
            }
            if (!evaluatorSpecs.empty()) {
                spec.parameters["evaluators"] = evaluatorSpecs;
            }
            if (baseRun) {
                spec.baseRunId = baseRun->id;
            }
            spec.totalLines = totalRows;
            auto created = store->createRun(spec);
            if (!created) {
                err << cmd << ": " << created.error().message << "\n";
                return code(ExitCode::Usage);
            }
            jobs.push_back({*created, prepared[i], {}});
            runNames.push_back(spec.name);
        }
    }

    auto writer = StoreWriter::open(storePath.string());
    if (!writer) {
        err << writer.error().message << "\n";
        return code(ExitCode::Environment);
    }
    std::unique_ptr<StoreResponseCache> cache;
    if (!cl.has("no-cache")) {
        auto opened = StoreResponseCache::open(
            storePath.string(),
            std::chrono::milliseconds(static_cast<std::int64_t>(*cacheTtl * 1000.0)));
        if (!opened) {
            err << opened.error().message << "\n";
            return code(ExitCode::Environment);
        }
        cache = std::move(*opened);
    }
    for (const auto &job : jobs) {
        (void)store->setRunStatus(job.run, RunState::Running);
    }

    LlmClient llm;
    PythonRunner python;
    FlowExecutor executor(llm, python, connections);
    BatchRunner runner(executor, **writer);
    BatchOptions options;
    options.concurrency = std::max(1, int(*concurrency));
    options.onBadRow = readerOptions.onBadRow;
    options.requestsPerMinute = *rpm;
    options.tokensPerMinute = *tpm;
    // Streaming measures TTFT and TPOT, which the statistics report per variant.
    options.line.stream = !cl.has("no-stream");
    options.line.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(*timeoutS * 1000));
    options.line.cache = cache.get();
    options.line.cacheAllLlmNodes = cl.has("cache");
    options.evaluators = std::move(*evaluators);
    options.evalServices.llm = &llm;
    options.evalServices.connections = &connections;
    options.budgetUsd = *budget;
    // Cost of every call from its usage: the built-in price table plus the workspace's
    // overrides (flowbench.pricing.json or .flowbench/pricing.json).
    auto prices = PriceTable::forWorkspace(std::filesystem::current_path(ec));
    if (!prices) {
        err << cmd << ": " << prices.error().message << "\n";
        return code(ExitCode::Usage);
    }
    const CostCalculator calculator(std::move(*prices));
    // Every call is priced: each model's entry is looked up once (lines end on core threads).
    std::mutex priceMutex;
    // guarded by priceMutex; entries are never changed or removed once added
    std::map<std::string, std::optional<ModelPrice>, std::less<>> priceByModel;
    options.price = [&](const std::string &model, const LlmUsage &usage) -> std::optional<double> {
        const std::optional<ModelPrice> *price = nullptr;
        {
            std::lock_guard lock(priceMutex);
            auto it = priceByModel.find(model);
            if (it == priceByModel.end()) {
                it = priceByModel.emplace(model, calculator.table().find(model)).first;
            }
            price = &it->second;
        }
        if (!*price) {
            return std::nullopt;
        }
        return CostCalculator::costAt(**price,
                                      TokenUsage{usage.promptTokens, usage.completionTokens,
                                                 usage.cachedPromptTokens, usage.cacheWriteTokens})
            .totalUsd;
    };
    if (baseRun) {
        options.baseRun = baseRun->id;
        options.baseStorePath = storePath.string();
    }
    const std::int64_t totalLines = totalRows * std::int64_t(jobs.size());
    const bool tty = !json && ::isatty(STDERR_FILENO);
    auto onProgress = [&](const BatchProgress &p) {
        if (tty) {
            err << progressText(p, totalLines) << std::flush;
        }
    };
    auto result = runner.run(jobs, data, *mapping, options, onProgress, interrupt);
    if (tty) {
        err << "\n";
    }
    if (!result) {
        for (const auto &job : jobs) {
            (void)store->setRunStatus(job.run, RunState::Failed);
        }
        err << cmd << ": " << result.error().message << "\n";
        return code(ExitCode::RunFailed);
    }
    for (const auto &s : result->skippedRows) {
        err << "skipped: " << s << "\n";
    }

    // Aggregation nodes (and their log_metric values) over each run's completed lines.
    bool aggregationFailed = false;
    if (!result->cancelled) {
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            auto metrics = RunAggregator::aggregate(*store, jobs[i].run, jobs[i].flow, executor);
            if (!metrics) {
                err << cmd << ": " << runNames[i] << ": aggregation: " << metrics.error().message
                    << "\n";
                aggregationFailed = true;
            }
        }
    }
    const RunState finalState = result->cancelled ? RunState::Cancelled
                                : aggregationFailed ? RunState::Failed
                                                    : RunState::Completed;
    for (const auto &job : jobs) {
        (void)store->setRunStatus(job.run, finalState);
    }
    const BatchProgress &p = result->progress;
    if (json) {
        Value o = Value::object();
        o["store"] = storePath.string();
        if (!experimentName.empty()) {
            o["experiment"] = experimentName;
        }
        o["status"] = runStateName(finalState);
        Value runs = Value::array();
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            auto final = store->run(jobs[i].run);
            Value r = Value::object();
            r["run"] = runNames[i];
            r["variants"] = final ? final->variants : Value::object();
            r["completed_lines"] = final ? final->completedLines : 0;
            r["failed_lines"] = final ? final->failedLines : 0;
            if (auto metrics = store->metrics(jobs[i].run); metrics && !metrics->empty()) {
                r["metrics"] = *metrics;
            }
            runs.push_back(std::move(r));
        }
        o["runs"] = std::move(runs);
        if (jobs.size() == 1) {
            o["run"] = runNames.front();
            o["completed_lines"] = o["runs"][0]["completed_lines"];
            o["failed_lines"] = o["runs"][0]["failed_lines"];
        }
        o["total_lines"] = totalRows;
        o["ran"] = p.submitted;
        o["resumed"] = p.resumed;
        o["wall_s"] = p.elapsedS;
        o["llm_calls"] = p.llmCalls;
        o["cache_hits"] = p.cacheHits;
        o["prompt_tokens"] = p.promptTokens;
        o["completion_tokens"] = p.completionTokens;
        o["cost_usd"] = p.costUsd;
        o["rate_limit_wait_s"] = result->gateWaitMs / 1000.0;
        o["store_write_s"] = (*writer)->busySeconds();
        o["store_write_cpu_s"] = (*writer)->busyCpuSeconds();
        o["budget_reached"] = result->budgetReached;
        o["simulated"] = simulator.isRunning();
        out << o.dump(2) << "\n";
    } else {
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            auto final = store->run(jobs[i].run);
            char line[320];
            std::snprintf(line, sizeof line, "run %s: %lld completed, %lld failed of %lld lines%s\n",
                          runNames[i].c_str(),
                          static_cast<long long>(final ? final->completedLines : 0),
                          static_cast<long long>(final ? final->failedLines : 0),
                          static_cast<long long>(totalRows),
                          simulator.isRunning() ? " (SIMULATED model answers)" : "");
            out << line;
            if (auto metrics = store->metrics(jobs[i].run); metrics) {
                for (const auto &[name, value] : *metrics) {
                    out << "  " << name << " = " << value << "\n";
                }
            }
        }
        char line[320];
        std::snprintf(line, sizeof line,
                      "%lld lines run now, %lld already done, in %.2f s; %lld LLM calls (%lld "
                      "from cache), %lld tokens in / %lld out\n",
                      static_cast<long long>(p.submitted), static_cast<long long>(p.resumed),
                      p.elapsedS, static_cast<long long>(p.llmCalls),
                      static_cast<long long>(p.cacheHits), static_cast<long long>(p.promptTokens),
                      static_cast<long long>(p.completionTokens));
        out << line;
        if (result->budgetReached) {
            out << "stopped at the budget of $" << *budget << "\n";
        }
        out << "store: " << storePath.string() << "\n";
    }
    if (result->cancelled || result->budgetReached) {
        err << (result->cancelled ? "cancelled" : "budget reached")
            << "; continue with: flowbench-cli " << plan.commandName << " "
            << cl.positionals()[0]
            << (plan.evalMode ? " --run " + baseRun->name : " --data " + data.string())
            << " --resume " << (experimentName.empty() ? runNames.front() : experimentName)
            << "\n";
        return code(result->cancelled ? ExitCode::Cancelled : ExitCode::Ok);
    }
    return code(aggregationFailed ? ExitCode::RunFailed : ExitCode::Ok);
}

} // namespace

int RunCommand::run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
                    const std::atomic<bool> *interrupt)
{
    return runBatch({false, "run"}, args, out, err, interrupt);
}

int RunCommand::eval(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
                     const std::atomic<bool> *interrupt)
{
    return runBatch({true, "eval"}, args, out, err, interrupt);
}

int RunCommand::list(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    CommandLine cl(
        "flowbench-cli runs [--store FILE] [--json]",
        "Lists the runs in the experiment store, newest first.",
        {{"store", "FILE", "experiment store (default " + std::string(kDefaultStore) + ")", false},
         {"json", {}, "print the runs as JSON", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli runs: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    auto store = ExperimentStore::open(cl.value("store", kDefaultStore));
    if (!store) {
        err << store.error().message << "\n";
        return code(ExitCode::Environment);
    }
    auto runs = store->runs();
    if (!runs) {
        err << runs.error().message << "\n";
        return code(ExitCode::Environment);
    }
    Value list = Value::array();
    for (const auto &r : *runs) {
        if (cl.has("json")) {
            list.push_back({{"name", r.name},
                            {"flow", r.flowName},
                            {"status", runStateName(r.status)},
                            {"variants", r.variants},
                            {"total_lines", r.totalLines},
                            {"completed_lines", r.completedLines},
                            {"failed_lines", r.failedLines}});
        } else {
            out << r.name << "  " << runStateName(r.status) << "  " << r.completedLines << "/"
                << r.totalLines << " completed, " << r.failedLines << " failed  "
                << r.variants.dump() << "\n";
        }
    }
    if (cl.has("json")) {
        out << list.dump(2) << "\n";
    }
    return code(ExitCode::Ok);
}

} // namespace fb
