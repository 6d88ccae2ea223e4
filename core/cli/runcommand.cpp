#include <core/cli/runcommand.h>

#include <core/batch/batchrunner.h>
#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/connectionsetup.h>
#include <core/cli/simulatorlauncher.h>
#include <core/data/datasetfingerprint.h>
#include <core/data/datasetinfo.h>
#include <core/exec/pythonrunner.h>
#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>
#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <ostream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

std::string defaultRunName(const Flow &flow)
{
    const std::time_t now = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    std::string base = flow.name.empty() ? flow.dir.filename().string() : flow.name;
    return base + "-" + stamp;
}

std::string progressLine(const BatchProgress &p, std::int64_t total)
{
    const std::int64_t finished = p.completed + p.failed;
    const double rate = p.elapsedS > 0 ? double(finished) / p.elapsedS : 0;
    const std::int64_t remaining = total > 0 ? total - finished - p.resumed : 0;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "\r%lld/%lld lines  %lld failed  %.1f rows/s  ETA %s  tokens %lld in / %lld out ",
                  static_cast<long long>(finished + p.resumed), static_cast<long long>(total),
                  static_cast<long long>(p.failed), rate,
                  rate > 0 && remaining > 0
                      ? (std::to_string(std::int64_t(double(remaining) / rate)) + " s").c_str()
                      : "-",
                  static_cast<long long>(p.promptTokens),
                  static_cast<long long>(p.completionTokens));
    return buf;
}

} // namespace

int RunCommand::run(const std::vector<std::string> &args, std::ostream &out, std::ostream &err,
                    const std::atomic<bool> *interrupt)
{
    CommandLine cl(
        "flowbench-cli run FLOW --data FILE [--variant '${node.variant_id}'] "
        "[--column-mapping INPUT=VALUE ...] [--concurrency N] [--rpm N] [--tpm N] [--name NAME] "
        "[--resume NAME] "
        "[--store FILE] [--connections PATH ...] [--simulator] [--skip-bad-rows] [--json]",
        "Runs FLOW over every row of a dataset (.jsonl, .json, .csv, .tsv or a folder) at the "
        "given\n"
        "concurrency and stores every line, node and LLM call in the workspace's experiment\n"
        "store (default "
            + std::string(kDefaultStore)
            + "). Column mapping follows promptflow:\n"
              "INPUT=${data.COLUMN} or a literal; an input with a default is NOT filled from a\n"
              "same-named column unless mapped (a warning names it). --resume NAME re-runs only "
              "the\n"
              "lines that run is missing or failed, after a cancel (Ctrl-C) or a crash.",
        {{"data", "FILE", "the dataset", false},
         {"variant", "'${node.variant_id}'", "variant to run for a node (repeatable)", true},
         {"column-mapping", "INPUT=VALUE", "map flow inputs to columns or literals", true},
         {"concurrency", "N", "lines in flight at once (default 16)", false},
         {"rpm", "N", "at most N LLM requests per minute (default: no limit)", false},
         {"tpm", "N", "at most N LLM tokens per minute (default: no limit)", false},
         {"name", "NAME", "name of the new run (default FLOW-timestamp)", false},
         {"resume", "NAME", "continue an earlier run of the same flow and data", false},
         {"store", "FILE", "experiment store (default " + std::string(kDefaultStore) + ")", false},
         {"connections", "PATH", "connection YAML file or folder (repeatable)", true},
         {"simulator", {}, "run against the bundled LLM simulator (no API key needed)", false},
         {"skip-bad-rows", {}, "skip malformed dataset rows (reported) instead of stopping", false},
         {"json", {}, "print the summary as JSON", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli run: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    if (cl.positionals().size() != 1 || !cl.has("data")) {
        err << "flowbench-cli run: expected FLOW and --data FILE\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    const bool json = cl.has("json");
    const std::filesystem::path data = cl.value("data");

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
    const std::filesystem::path storePath = cl.value("store", kDefaultStore);
    std::error_code ec;
    if (storePath.has_parent_path()) {
        std::filesystem::create_directories(storePath.parent_path(), ec);
    }
    auto store = ExperimentStore::open(storePath.string());
    if (!store) {
        err << store.error().message << "\n";
        return code(ExitCode::Environment);
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
        auto counter = DatasetReader::open(data, readerOptions);
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

    // Variants and mapping: new run from the arguments, or a resumed run's own.
    VariantSelection selection;
    Value mappingJson = Value::object();
    std::optional<RunSummary> resumed;
    if (cl.has("resume")) {
        auto found = store->findRunByName(cl.value("resume"));
        if (!found) {
            err << "flowbench-cli run: --resume: " << found.error().message << "\n";
            return code(ExitCode::Usage);
        }
        resumed = *found;
        for (const auto &[node, id] : resumed->variants.items()) {
            selection[node] = id.get<std::string>();
        }
        mappingJson = resumed->columnMapping;
    } else {
        for (const auto &v : cl.values("variant")) {
            auto parsed = VariantResolver::parseSelection(v);
            if (!parsed) {
                err << "flowbench-cli run: --variant: " << parsed.error().message << "\n";
                return code(ExitCode::Usage);
            }
            selection.insert(parsed->begin(), parsed->end());
        }
        auto mapping = ColumnMapping::parse(cl.values("column-mapping"));
        if (!mapping) {
            err << "flowbench-cli run: " << mapping.error().message << "\n";
            return code(ExitCode::Usage);
        }
        mappingJson = mapping->toJson();
    }
    auto mapping = ColumnMapping::fromJson(mappingJson);
    if (!mapping) {
        err << mapping.error().message << "\n";
        return code(ExitCode::Usage);
    }
    std::vector<std::string> columns;
    for (const auto &c : preview->columns) {
        columns.push_back(c.name);
    }
    auto warnings = mapping->check(*flow, columns, false);
    if (!warnings) {
        err << "flowbench-cli run: " << warnings.error().message << "\n";
        return code(ExitCode::Usage);
    }
    for (const auto &w : *warnings) {
        err << "warning: " << w << "\n";
    }
    auto prepared = PreparedFlow::prepare(*flow, selection);
    if (!prepared) {
        err << prepared.error().message << "\n";
        return code(ExitCode::InvalidFlow);
    }

    auto flowId = store->internFlow(*flowHash,
                                    flow->name.empty() ? flow->dir.filename().string() : flow->name,
                                    flow->dir.string(), FlowHasher::canonicalForm(*flow));
    auto datasetId = store->internDataset(*fingerprint, data.string(), totalRows);
    if (!flowId || !datasetId) {
        err << (!flowId ? flowId.error().message : datasetId.error().message) << "\n";
        return code(ExitCode::Environment);
    }
    RunId runId;
    std::vector<std::int64_t> done;
    if (resumed) {
        if (resumed->flowId.value != flowId->value || !resumed->datasetId
            || resumed->datasetId->value != datasetId->value) {
            err << "flowbench-cli run: --resume " << resumed->name
                << ": the flow or the data changed since that run; start a new run instead\n";
            return code(ExitCode::Usage);
        }
        runId = resumed->id;
        auto completed = store->completedLineIndexes(runId);
        if (!completed) {
            err << completed.error().message << "\n";
            return code(ExitCode::Environment);
        }
        done = std::move(*completed);
    } else {
        RunSpec spec;
        spec.name = cl.value("name", defaultRunName(*flow));
        spec.flowId = *flowId;
        spec.datasetId = *datasetId;
        for (const auto &[node, id] : (*prepared)->variants()) {
            spec.variants[node] = id;
        }
        spec.columnMapping = mappingJson;
        spec.parameters["concurrency"] = std::stoi(cl.value("concurrency", "16"));
        spec.parameters["simulator"] = cl.has("simulator");
        spec.totalLines = totalRows;
        auto created = store->createRun(spec);
        if (!created) {
            err << "flowbench-cli run: " << created.error().message << "\n";
            return code(ExitCode::Usage);
        }
        runId = *created;
    }
    auto summary = store->run(runId);
    const std::string runName = summary ? summary->name : std::string();

    ConnectionStore connections;
    SimulatorLauncher simulator;
    if (const int rc = ConnectionSetup::apply(cl, *flow, connections, simulator, err, !json)) {
        return rc;
    }
    auto writer = StoreWriter::open(storePath.string());
    if (!writer) {
        err << writer.error().message << "\n";
        return code(ExitCode::Environment);
    }
    (void)store->setRunStatus(runId, RunState::Running);

    LlmClient llm;
    PythonRunner python;
    FlowExecutor executor(llm, python, connections);
    BatchRunner runner(executor, **writer);
    BatchOptions options;
    options.concurrency = std::max(1, std::atoi(cl.value("concurrency", "16").c_str()));
    options.onBadRow = readerOptions.onBadRow;
    options.requestsPerMinute = std::atof(cl.value("rpm", "0").c_str());
    options.tokensPerMinute = std::atof(cl.value("tpm", "0").c_str());
    const bool tty = !json && ::isatty(STDERR_FILENO);
    auto onProgress = [&](const BatchProgress &p) {
        if (tty) {
            err << progressLine(p, totalRows) << std::flush;
        }
    };
    auto result
        = runner.run(runId, *prepared, data, *mapping, done, options, onProgress, interrupt);
    if (tty) {
        err << "\n";
    }
    if (!result) {
        (void)store->setRunStatus(runId, RunState::Failed);
        err << "flowbench-cli run: " << result.error().message << "\n";
        return code(ExitCode::RunFailed);
    }
    for (const auto &s : result->skippedRows) {
        err << "skipped: " << s << "\n";
    }
    (void)store->setRunStatus(runId, result->cancelled ? RunState::Cancelled : RunState::Completed);
    auto final = store->run(runId);
    const BatchProgress &p = result->progress;
    if (json) {
        Value o = Value::object();
        o["run"] = runName;
        o["store"] = storePath.string();
        o["status"] = result->cancelled ? "Canceled" : "Completed";
        o["total_lines"] = totalRows;
        o["completed_lines"] = final ? final->completedLines : p.completed;
        o["failed_lines"] = final ? final->failedLines : p.failed;
        o["ran"] = p.submitted;
        o["resumed"] = p.resumed;
        o["wall_s"] = p.elapsedS;
        o["prompt_tokens"] = p.promptTokens;
        o["completion_tokens"] = p.completionTokens;
        o["simulated"] = simulator.isRunning();
        out << o.dump(2) << "\n";
    } else {
        char line[256];
        std::snprintf(line, sizeof line,
                      "run %s: %lld completed, %lld failed of %lld lines (%lld run now, %lld "
                      "already done) in %.2f s%s\n",
                      runName.c_str(),
                      static_cast<long long>(final ? final->completedLines : p.completed),
                      static_cast<long long>(final ? final->failedLines : p.failed),
                      static_cast<long long>(totalRows), static_cast<long long>(p.submitted),
                      static_cast<long long>(p.resumed), p.elapsedS,
                      simulator.isRunning() ? " (SIMULATED model answers)" : "");
        out << line << "store: " << storePath.string() << "\n";
    }
    if (result->cancelled) {
        err << "cancelled; continue with: flowbench-cli run " << cl.positionals()[0] << " --data "
            << data.string() << " --resume " << runName << "\n";
        return code(ExitCode::Cancelled);
    }
    return code(ExitCode::Ok);
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
