#include <core/experiment/experimentplan.h>

#include <core/batch/runaggregator.h>
#include <core/batch/storeresponsecache.h>
#include <core/common/secretredactor.h>
#include <core/cost/costcalculator.h>
#include <core/cost/pricetable.h>
#include <core/data/datasetfingerprint.h>
#include <core/data/datasetinfo.h>
#include <core/data/datasetreader.h>
#include <core/eval/evaluatorregistry.h>
#include <core/exec/columnmapping.h>
#include <core/exec/flowexecutor.h>
#include <core/exec/preparedflow.h>
#include <core/exec/pythonrunner.h>
#include <core/experiment/evaluatorspec.h>
#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>
#include <core/llm/simulatorlauncher.h>
#include <core/store/storewriter.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include <sys/resource.h>

namespace fb {

namespace {

std::string defaultRunName(const Flow &flow)
{
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::tm local = {};
    localtime_r(&now, &local);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
    const std::string base = flow.name.empty() ? flow.dir.filename().string() : flow.name;
    return base + "-" + stamp;
}

std::string flowDisplayName(const Flow &flow)
{
    return flow.name.empty() ? flow.dir.filename().string() : flow.name;
}

/// A number of the request within [minimum, maximum]; NaN and infinities never are.
Result<void> inRange(const char *what, double value, double minimum, double maximum)
{
    if (!std::isfinite(value) || value < minimum || value > maximum) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s must be between %g and %g (got %g)", what, minimum,
                      maximum, value);
        return fail(ErrorCode::InvalidArgument, buf);
    }
    return {};
}

} // namespace

struct ExperimentPlan::Private
{
    ExperimentRequest request;
    Flow flow;
    std::string flowHash;
    std::vector<std::string> warnings;
    std::optional<ExperimentStore> store;
    std::optional<RunSummary> baseRun;
    std::filesystem::path data;
    std::string fingerprint;
    OnBadRow onBadRow = OnBadRow::Stop;
    std::int64_t rowCount = 0;
    std::vector<RunSummary> resumed;
    std::vector<VariantSelection> selections;
    std::vector<std::string> runNames;
    std::string experimentName;
    Value mappingJson = Value::object();
    Value evaluatorSpecs = Value::array();
    std::optional<ColumnMapping> mapping;
    std::vector<BatchEvaluator> evaluators;
    std::vector<std::shared_ptr<const PreparedFlow>> prepared;
    std::optional<CostCalculator> calculator;

    // After start().
    bool started = false;
    bool executed = false;
    ConnectionStore connections;
    SimulatorLauncher simulator;
    std::string simulatorUrl;
    std::vector<BatchJob> jobs;
    std::vector<RunId> runIds;
    std::int64_t alreadyDone = 0;
    std::unique_ptr<StoreWriter> writer;
    /// The secrets of the connections in use, kept out of the store and of messages.
    std::shared_ptr<SecretRedactor> redactor = std::make_shared<SecretRedactor>();
    std::unique_ptr<StoreResponseCache> cache;

    Result<void> setUpConnections();
    Result<void> createRuns();
};

namespace {

Unexpected failAt(ExperimentFault *fault, ExperimentFault where, Error error)
{
    if (fault) {
        *fault = where;
    }
    return Unexpected(std::move(error));
}

Unexpected failAt(ExperimentFault *fault, ExperimentFault where, ErrorCode code,
                  std::string message)
{
    return failAt(fault, where, Error(code, std::move(message)));
}

} // namespace

Result<ExperimentPlan> ExperimentPlan::prepare(ExperimentRequest request, ExperimentFault *fault)
{
    using F = ExperimentFault;
    if (fault) {
        *fault = F::None;
    }
    auto d = std::make_unique<Private>();
    d->request = std::move(request);
    const ExperimentRequest &r = d->request;

    // Numbers first: a value outside its range is refused, never bent into it.
    for (auto check : {inRange("concurrency", r.concurrency, 1, ExperimentRequest::kMaxConcurrency),
                       inRange("requests per minute", r.requestsPerMinute, 0, 1e7),
                       inRange("tokens per minute", r.tokensPerMinute, 0, 1e10),
                       inRange("line timeout (s)", r.timeoutS, 0, 7 * 86400),
                       inRange("cache TTL (s)", r.cacheTtlS, 0, 10 * 365 * 86400.0),
                       inRange("budget (USD)", r.budgetUsd, 0, 1e7)}) {
        if (!check) {
            return failAt(fault, F::Request, check.error());
        }
    }
    if (r.resume.empty() && (r.evaluation ? r.baseRun.empty() : r.data.empty())) {
        return failAt(fault, F::Request, ErrorCode::InvalidArgument,
                      r.evaluation ? "an evaluation run needs the run it evaluates"
                                   : "no dataset given");
    }

    // The flow.
    auto flow = FlowLoader::load(r.flow);
    if (!flow) {
        return failAt(fault, F::Flow, flow.error());
    }
    d->flow = std::move(*flow);
    const auto diagnostics = FlowValidator::validate(d->flow);
    std::string flowErrors;
    for (const auto &diagnostic : diagnostics) {
        if (diagnostic.severity == Diagnostic::Severity::Error) {
            flowErrors += (flowErrors.empty() ? "" : "\n") + diagnostic.toString();
        } else {
            d->warnings.push_back(diagnostic.toString());
        }
    }
    if (!flowErrors.empty()) {
        return failAt(fault, F::Flow, ErrorCode::Validation, flowErrors);
    }
    auto flowHash = FlowHasher::contentHash(d->flow);
    if (!flowHash) {
        return failAt(fault, F::Flow, flowHash.error());
    }
    d->flowHash = std::move(*flowHash);

    // The store (opened, not yet written).
    std::error_code ec;
    if (r.store.has_parent_path()) {
        std::filesystem::create_directories(r.store.parent_path(), ec);
    }
    auto store = ExperimentStore::open(r.store.string());
    if (!store) {
        return failAt(fault, F::Environment, store.error());
    }
    d->store.emplace(std::move(*store));

    // What is resumed: a run, or every run of an experiment.
    if (!r.resume.empty()) {
        if (auto one = d->store->findRunByName(r.resume)) {
            d->resumed.push_back(*one);
        } else if (auto experiment = d->store->findExperiment(r.resume)) {
            auto runs = d->store->experimentRuns(*experiment);
            if (!runs) {
                return failAt(fault, F::Environment, runs.error());
            }
            d->resumed = std::move(*runs);
            d->experimentName = r.resume;
        }
        if (d->resumed.empty()) {
            return failAt(fault, F::Request, ErrorCode::NotFound,
                          "no run or experiment named '" + r.resume + "' in " + r.store.string());
        }
        if (d->resumed.front().baseRunId) {
            if (auto base = d->store->run(*d->resumed.front().baseRunId)) {
                d->baseRun = *base;
            }
        }
    } else if (r.evaluation) {
        auto base = d->store->findRunByName(r.baseRun);
        if (!base) {
            return failAt(fault, F::Request, base.error());
        }
        d->baseRun = *base;
    }

    // The dataset: given, or the base run's.
    d->data = r.data;
    if (d->data.empty()) {
        const RunSummary *owner = d->baseRun ? &*d->baseRun
                                  : d->resumed.empty() ? nullptr
                                                       : &d->resumed.front();
        if (!owner || !owner->datasetId) {
            return failAt(fault, F::Request, ErrorCode::InvalidArgument,
                          "run '" + (owner ? owner->name : r.baseRun)
                              + "' has no dataset; give one");
        }
        auto path = d->store->datasetPath(*owner->datasetId);
        if (!path) {
            return failAt(fault, F::Environment, path.error());
        }
        d->data = *path;
    }
    auto fingerprint = DatasetFingerprint::compute(d->data);
    if (!fingerprint) {
        return failAt(fault, F::Request, fingerprint.error());
    }
    d->fingerprint = std::move(*fingerprint);
    DatasetReaderOptions readerOptions;
    readerOptions.onBadRow = r.skipBadRows ? OnBadRow::Skip : OnBadRow::Stop;
    d->onBadRow = readerOptions.onBadRow;
    auto preview = DatasetInfo::preview(d->data, 100, readerOptions);
    if (!preview) {
        return failAt(fault, F::Request, preview.error());
    }
    {
        DatasetReaderOptions countOptions = readerOptions;
        countOptions.countOnly = true;
        auto counter = DatasetReader::open(d->data, countOptions);
        if (!counter) {
            return failAt(fault, F::Request, counter.error());
        }
        for (;;) {
            auto row = counter->next();
            if (!row) {
                return failAt(fault, F::Request, row.error());
            }
            if (!row->has_value()) {
                break;
            }
            ++d->rowCount;
        }
    }

    // The runs: the resumed ones' own choices, or the request's.
    if (!d->resumed.empty()) {
        for (const auto &run : d->resumed) {
            VariantSelection s;
            for (const auto &[node, id] : run.variants.items()) {
                s[node] = id.get<std::string>();
            }
            d->selections.push_back(std::move(s));
            d->runNames.push_back(run.name);
        }
        d->mappingJson = d->resumed.front().columnMapping;
        d->evaluatorSpecs = d->resumed.front().parameters.value("evaluators", Value::array());
    } else {
        auto product = VariantResolver::crossProduct(d->flow, r.variants, r.allVariants);
        if (!product) {
            return failAt(fault, F::Request, product.error());
        }
        d->selections = std::move(*product);
        auto mapping = ColumnMapping::parse(r.columnMapping);
        if (!mapping) {
            return failAt(fault, F::Request, mapping.error());
        }
        d->mappingJson = mapping->toJson();
        d->evaluatorSpecs = r.evaluators.is_array() ? r.evaluators : Value::array();
        const std::string name = r.name.empty() ? defaultRunName(d->flow) : r.name;
        if (d->selections.size() > 1) {
            d->experimentName = name;
        }
        for (const auto &s : d->selections) {
            d->runNames.push_back(d->selections.size() > 1 ? name + "/" + selectionLabel(s)
                                                           : name);
        }
    }
    auto mapping = ColumnMapping::fromJson(d->mappingJson);
    if (!mapping) {
        return failAt(fault, F::Request, mapping.error());
    }
    d->mapping = std::move(*mapping);
    const EvaluatorRegistry registry = EvaluatorRegistry::withBuiltins();
    auto evaluators = EvaluatorSpec::build(d->evaluatorSpecs, registry);
    if (!evaluators) {
        return failAt(fault, F::Request, evaluators.error());
    }
    d->evaluators = std::move(*evaluators);
    std::vector<std::string> columns;
    for (const auto &c : preview->columns) {
        columns.push_back(c.name);
    }
    auto mappingWarnings = d->mapping->check(d->flow, columns, d->baseRun.has_value());
    if (!mappingWarnings) {
        return failAt(fault, F::Request, mappingWarnings.error());
    }
    for (const auto &w : *mappingWarnings) {
        d->warnings.push_back("warning: " + w);
    }
    for (const auto &e : d->evaluators) {
        for (const std::string *col : {&e.referenceColumn, &e.questionColumn, &e.contextColumn}) {
            if (!col->empty() && std::find(columns.begin(), columns.end(), *col) == columns.end()) {
                return failAt(fault, F::Request, ErrorCode::InvalidArgument,
                              "evaluator '" + e.name + "': the dataset " + d->data.string()
                                  + " has no column '" + *col + "'");
            }
        }
    }
    for (const auto &s : d->selections) {
        auto p = PreparedFlow::prepare(d->flow, s);
        if (!p) {
            return failAt(fault, F::Flow, p.error());
        }
        d->prepared.push_back(*p);
    }

    // Prices of every call from its usage: the built-in table plus the workspace's overrides.
    auto prices = PriceTable::forWorkspace(
        r.workspace.empty() ? std::filesystem::current_path(ec) : r.workspace);
    if (!prices) {
        return failAt(fault, F::Request, prices.error());
    }
    d->calculator.emplace(std::move(*prices));
    return ExperimentPlan(std::move(d));
}

ExperimentPlan::ExperimentPlan(std::unique_ptr<Private> d)
    : d(std::move(d))
{
}

ExperimentPlan::ExperimentPlan(ExperimentPlan &&other) noexcept = default;
ExperimentPlan &ExperimentPlan::operator=(ExperimentPlan &&other) noexcept = default;
ExperimentPlan::~ExperimentPlan() = default;

const ExperimentRequest &ExperimentPlan::request() const { return d->request; }
const Flow &ExperimentPlan::flow() const { return d->flow; }
const std::vector<std::string> &ExperimentPlan::warnings() const { return d->warnings; }
const std::filesystem::path &ExperimentPlan::dataPath() const { return d->data; }
std::int64_t ExperimentPlan::rowCount() const { return d->rowCount; }
std::int64_t ExperimentPlan::totalLines() const
{
    return d->rowCount * std::int64_t(d->selections.size());
}
const std::vector<VariantSelection> &ExperimentPlan::selections() const { return d->selections; }
const std::vector<std::string> &ExperimentPlan::runNames() const { return d->runNames; }
const std::string &ExperimentPlan::experimentName() const { return d->experimentName; }
bool ExperimentPlan::isResume() const { return !d->resumed.empty(); }
const Value &ExperimentPlan::evaluatorSpecs() const { return d->evaluatorSpecs; }
const std::vector<RunId> &ExperimentPlan::runIds() const { return d->runIds; }
std::int64_t ExperimentPlan::alreadyDoneLines() const { return d->alreadyDone; }
const std::string &ExperimentPlan::simulatorUrl() const { return d->simulatorUrl; }
const SecretRedactor &ExperimentPlan::redactor() const { return *d->redactor; }

std::vector<std::string> ExperimentPlan::missingConnections() const
{
    std::vector<std::string> missing;
    if (d->started && d->simulatorUrl.empty()) {
        for (const auto &name : d->flow.connectionNames()) {
            if (!d->connections.find(name)) {
                missing.push_back(name);
            }
        }
    }
    return missing;
}

Result<void> ExperimentPlan::fitOpenFiles(int concurrency)
{
    const rlim_t needed = rlim_t(std::max(concurrency, 1)) + 128;
    struct rlimit limit = {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) {
        return {};
    }
    if (limit.rlim_max == RLIM_INFINITY || limit.rlim_max >= needed) {
        limit.rlim_cur = needed;
        if (::setrlimit(RLIMIT_NOFILE, &limit) == 0) {
            return {};
        }
    }
    return fail(ErrorCode::InvalidArgument,
                std::to_string(concurrency) + " lines in flight need about "
                    + std::to_string(std::uint64_t(needed))
                    + " open files, and this process may open "
                    + std::to_string(std::uint64_t(limit.rlim_max)) + " (ulimit -n)");
}

std::string ExperimentPlan::selectionLabel(const VariantSelection &selection)
{
    std::string label;
    for (const auto &[node, id] : selection) {
        label += (label.empty() ? "" : "+") + (selection.size() == 1 ? id : node + "." + id);
    }
    return label.empty() ? "default" : label;
}

Result<void> ExperimentPlan::Private::setUpConnections()
{
    for (const auto &path : request.connectionFiles) {
        std::error_code ec;
        auto loaded = std::filesystem::is_directory(path, ec) ? connections.loadDirectory(path)
                                                              : connections.loadFile(path);
        if (!loaded) {
            return loaded;
        }
    }
    for (const auto &c : request.connections) {
        if (auto added = connections.add(c); !added) {
            return added;
        }
    }
    if (!request.simulator && request.simulatorUrl.empty()) {
        return {};
    }
    simulatorUrl = request.simulatorUrl;
    if (simulatorUrl.empty()) {
        std::vector<std::string> args;
        const auto config = flow.dir / "simulator.json";
        std::error_code ec;
        if (std::filesystem::exists(config, ec)) {
            args = {"--config", config.string()};
        }
        if (auto launched = simulator.start(args); !launched) {
            return launched;
        }
        simulatorUrl = simulator.baseUrl();
    }
    // The simulator stands in for every connection the flow and its judges name.
    std::set<std::string> names = flow.connectionNames();
    for (const auto &spec : evaluatorSpecs) {
        if (spec.contains("connection") && spec["connection"].is_string()) {
            names.insert(spec["connection"].get<std::string>());
        }
    }
    for (const auto &name : names) {
        Connection c;
        c.name = name;
        c.type = ConnectionType::OpenAi;
        c.configs["base_url"] = simulatorUrl + "/v1";
        // The simulator listens on a new port each time; its answers do not depend on it.
        c.configs["cache_identity"] = "flowbench-sim";
        c.secrets["api_key"] = "flowbench-sim";
        if (auto added = connections.add(std::move(c)); !added) {
            return added;
        }
    }
    return {};
}

Result<void> ExperimentPlan::Private::createRuns()
{
    auto flowId = store->internFlow(flowHash, flowDisplayName(flow), flow.dir.string(),
                                    FlowHasher::canonicalForm(flow));
    if (!flowId) {
        return Unexpected(flowId.error());
    }
    auto datasetId = store->internDataset(fingerprint, data.string(), rowCount);
    if (!datasetId) {
        return Unexpected(datasetId.error());
    }
    if (!resumed.empty()) {
        for (std::size_t i = 0; i < resumed.size(); ++i) {
            const RunSummary &run = resumed[i];
            if (run.flowId.value != flowId->value || !run.datasetId
                || run.datasetId->value != datasetId->value) {
                return fail(ErrorCode::InvalidArgument,
                            "cannot resume " + run.name
                                + ": the flow or the data changed since that run; start a new "
                                  "run instead");
            }
        }
        for (std::size_t i = 0; i < resumed.size(); ++i) {
            auto completed = store->completedLineIndexes(resumed[i].id);
            if (!completed) {
                return Unexpected(completed.error());
            }
            alreadyDone += std::int64_t(completed->size());
            jobs.push_back({resumed[i].id, prepared[i], std::move(*completed)});
            runIds.push_back(resumed[i].id);
        }
        return {};
    }
    std::optional<ExperimentId> experiment;
    if (!experimentName.empty()) {
        auto created = store->createExperiment(experimentName);
        if (!created) {
            return Unexpected(created.error());
        }
        experiment = *created;
    }
    for (std::size_t i = 0; i < selections.size(); ++i) {
        RunSpec spec;
        spec.name = runNames[i];
        spec.experimentId = experiment;
        spec.flowId = *flowId;
        spec.datasetId = *datasetId;
        for (const auto &[node, id] : prepared[i]->variants()) {
            spec.variants[node] = id;
        }
        spec.columnMapping = mappingJson;
        spec.parameters["concurrency"] = request.concurrency;
        spec.parameters["simulator"] = !simulatorUrl.empty();
        if (request.requestsPerMinute > 0) {
            spec.parameters["rpm"] = request.requestsPerMinute;
        }
        if (request.tokensPerMinute > 0) {
            spec.parameters["tpm"] = request.tokensPerMinute;
        }
        if (request.timeoutS > 0) {
            spec.parameters["timeout_s"] = request.timeoutS;
        }
        if (!evaluatorSpecs.empty()) {
            spec.parameters["evaluators"] = evaluatorSpecs;
        }
        if (baseRun) {
            spec.baseRunId = baseRun->id;
        }
        spec.totalLines = rowCount;
        auto created = store->createRun(spec);
        if (!created) {
            return Unexpected(created.error());
        }
        jobs.push_back({*created, prepared[i], {}});
        runIds.push_back(*created);
    }
    return {};
}

Result<void> ExperimentPlan::start(ExperimentFault *fault)
{
    using F = ExperimentFault;
    if (fault) {
        *fault = F::None;
    }
    if (d->started) {
        return failAt(fault, F::Request, ErrorCode::InvalidArgument, "the plan has started");
    }
    if (auto fits = fitOpenFiles(d->request.concurrency); !fits) {
        return failAt(fault, F::Environment, fits.error());
    }
    // Connections (and the simulator) before any run is created, so a failure here leaves
    // nothing behind in the store.
    if (auto set = d->setUpConnections(); !set) {
        return failAt(fault, F::Environment, set.error());
    }
    *d->redactor = d->connections.secretRedactor();
    d->started = true;
    if (auto created = d->createRuns(); !created) {
        const bool request = created.error().code == ErrorCode::InvalidArgument;
        return failAt(fault, request ? F::Request : F::Environment, created.error());
    }
    StoreWriterOptions writerOptions;
    writerOptions.redactor = d->redactor;
    auto writer = StoreWriter::open(d->request.store.string(), std::move(writerOptions));
    if (!writer) {
        return failAt(fault, F::Environment, writer.error());
    }
    d->writer = std::move(*writer);
    if (d->request.useCache) {
        auto opened = StoreResponseCache::open(
            d->request.store.string(),
            std::chrono::milliseconds(static_cast<std::int64_t>(d->request.cacheTtlS * 1000.0)));
        if (!opened) {
            return failAt(fault, F::Environment, opened.error());
        }
        d->cache = std::move(*opened);
    }
    for (const auto &job : d->jobs) {
        (void)d->store->setRunStatus(job.run, RunState::Running);
    }
    return {};
}

Result<ExperimentOutcome> ExperimentPlan::execute(
    const std::function<void(const BatchProgress &)> &progress, const std::atomic<bool> *cancel,
    ExperimentFault *fault)
{
    using F = ExperimentFault;
    if (fault) {
        *fault = F::None;
    }
    if (!d->started || d->executed || !d->writer) {
        return failAt(fault, F::Request, ErrorCode::InvalidArgument,
                      d->executed ? "the plan has run" : "the plan has not started");
    }
    d->executed = true;
    const ExperimentRequest &r = d->request;

    LlmClient llm;
    PythonRunner python;
    FlowExecutor executor(llm, python, d->connections);
    BatchRunner runner(executor, *d->writer);
    BatchOptions options;
    options.concurrency = r.concurrency;
    options.onBadRow = d->onBadRow;
    options.requestsPerMinute = r.requestsPerMinute;
    options.tokensPerMinute = r.tokensPerMinute;
    options.line.stream = r.stream;
    options.line.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(r.timeoutS * 1000));
    options.line.cache = d->cache.get();
    options.line.cacheAllLlmNodes = r.cacheAllLlmNodes;
    options.evaluators = std::move(d->evaluators);
    options.evalServices.llm = &llm;
    options.evalServices.connections = &d->connections;
    options.budgetUsd = r.budgetUsd;
    // Every call is priced: each model's entry is looked up once (lines end on core threads).
    std::mutex priceMutex;
    // guarded by priceMutex; entries are never changed or removed once added
    std::map<std::string, std::optional<ModelPrice>, std::less<>> priceByModel;
    const CostCalculator &calculator = *d->calculator;
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
    if (d->baseRun) {
        options.baseRun = d->baseRun->id;
        options.baseStorePath = r.store.string();
    }
    auto result = runner.run(d->jobs, d->data, *d->mapping, options, progress, cancel);
    if (!result) {
        for (const auto &job : d->jobs) {
            (void)d->store->setRunStatus(job.run, RunState::Failed);
        }
        return failAt(fault, F::Run, result.error());
    }

    ExperimentOutcome outcome;
    outcome.experimentName = d->experimentName;
    outcome.simulated = !d->simulatorUrl.empty();
    // Aggregation nodes (and their log_metric values) over each run's completed lines.
    std::vector<std::string> aggregationErrors(d->jobs.size());
    bool aggregationFailed = false;
    if (!result->cancelled) {
        for (std::size_t i = 0; i < d->jobs.size(); ++i) {
            auto metrics
                = RunAggregator::aggregate(*d->store, d->jobs[i].run, d->jobs[i].flow, executor);
            if (!metrics) {
                aggregationErrors[i] = metrics.error().message;
                aggregationFailed = true;
            }
        }
    }
    outcome.state = result->cancelled ? RunState::Cancelled
                     : aggregationFailed ? RunState::Failed
                                         : RunState::Completed;
    for (std::size_t i = 0; i < d->jobs.size(); ++i) {
        (void)d->store->setRunStatus(d->jobs[i].run, outcome.state);
        ExperimentRunOutcome run;
        run.id = d->jobs[i].run;
        run.name = d->runNames[i];
        run.aggregationError = aggregationErrors[i];
        if (auto stored = d->store->run(run.id)) {
            run.variants = stored->variants;
            run.completedLines = stored->completedLines;
            run.failedLines = stored->failedLines;
        }
        if (auto metrics = d->store->metrics(run.id)) {
            run.metrics = std::move(*metrics);
        }
        outcome.runs.push_back(std::move(run));
    }
    outcome.storeWriteS = d->writer->busySeconds();
    outcome.storeWriteCpuS = d->writer->busyCpuSeconds();
    outcome.batch = std::move(*result);
    return outcome;
}

} // namespace fb
