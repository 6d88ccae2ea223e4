#include <core/cli/runcommand.h>

#include <core/cli/bundlecommand.h>
#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/common/secretredactor.h>
#include <core/experiment/evaluatorspec.h>
#include <core/experiment/experimentplan.h>
#include <core/flow/variantresolver.h>
#include <core/store/experimentstore.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <ostream>

namespace fb {

namespace {

int code(ExitCode c) { return int(c); }

// What `run` and `eval` share once their arguments are understood.
struct BatchPlan
{
    bool evalMode = false;
    std::string commandName; // "run" or "eval"
};

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
    const auto concurrency
        = number("concurrency", 16, 1, ExperimentRequest::kMaxConcurrency, true);
    const auto rpm = number("rpm", 0, 0, 1e7, false);
    const auto tpm = number("tpm", 0, 0, 1e10, false);
    const auto timeoutS = number("timeout", 0, 0, 7 * 86400, false);
    const auto cacheTtl = number("cache-ttl", 604800, 0, 10 * 365 * 86400.0, false);
    const auto budget = number("budget", 0, 0, 1e7, false);
    if (!concurrency || !rpm || !tpm || !timeoutS || !cacheTtl || !budget) {
        return code(ExitCode::Usage);
    }
    if (auto fits = ExperimentPlan::fitOpenFiles(int(*concurrency)); !fits) {
        err << cmd << ": --concurrency " << std::int64_t(*concurrency) << ": "
            << fits.error().message << "; lower --concurrency\n";
        return code(ExitCode::Environment);
    }

    ExperimentRequest request;
    request.evaluation = plan.evalMode;
    request.flow = cl.positionals()[0];
    request.data = cl.value("data");
    request.baseRun = cl.value("run");
    for (const auto &v : cl.values("variant")) {
        auto parsed = VariantResolver::parseSelection(v);
        if (!parsed) {
            err << cmd << ": --variant: " << parsed.error().message << "\n";
            return code(ExitCode::Usage);
        }
        for (const auto &[node, id] : *parsed) {
            request.variants[node].push_back(id);
        }
    }
    request.allVariants = cl.has("all-variants");
    request.columnMapping = cl.values("column-mapping");
    for (const auto &text : cl.values("evaluator")) {
        auto spec = EvaluatorSpec::parse(text);
        if (!spec) {
            err << cmd << ": " << spec.error().message << "\n";
            return code(ExitCode::Usage);
        }
        request.evaluators.push_back(*spec);
    }
    request.concurrency = int(*concurrency);
    request.requestsPerMinute = *rpm;
    request.tokensPerMinute = *tpm;
    request.timeoutS = *timeoutS;
    request.useCache = !cl.has("no-cache");
    request.cacheAllLlmNodes = cl.has("cache");
    request.cacheTtlS = *cacheTtl;
    // Streaming measures TTFT and TPOT, which the statistics report per variant.
    request.stream = !cl.has("no-stream");
    request.budgetUsd = *budget;
    request.skipBadRows = cl.has("skip-bad-rows");
    request.name = cl.value("name");
    request.resume = cl.value("resume");
    request.store = cl.value("store", RunCommand::kDefaultStore);
    request.simulator = cl.has("simulator");
    for (const auto &path : cl.values("connections")) {
        request.connectionFiles.emplace_back(path);
    }
    if (request.connectionFiles.empty() && !request.simulator) {
        if (const char *env = std::getenv("FLOWBENCH_CONNECTIONS"); env && *env) {
            request.connectionFiles.emplace_back(env);
        }
    }

    auto exitCodeOf = [](ExperimentFault fault) {
        switch (fault) {
        case ExperimentFault::Flow:
            return code(ExitCode::InvalidFlow);
        case ExperimentFault::Environment:
            return code(ExitCode::Environment);
        case ExperimentFault::Run:
            return code(ExitCode::RunFailed);
        case ExperimentFault::None:
        case ExperimentFault::Request:
            break;
        }
        return code(ExitCode::Usage);
    };
    ExperimentFault fault = ExperimentFault::None;
    auto prepared = ExperimentPlan::prepare(std::move(request), &fault);
    if (!prepared) {
        // Flow diagnostics and file errors already say where they are; the rest says the command.
        err << (fault == ExperimentFault::Flow || fault == ExperimentFault::Environment
                    ? ""
                    : cmd + ": ")
            << prepared.error().message << "\n";
        return exitCodeOf(fault);
    }
    ExperimentPlan &experiment = *prepared;
    for (const auto &w : experiment.warnings()) {
        err << w << "\n";
    }
    if (auto started = experiment.start(&fault); !started) {
        err << cmd << ": " << started.error().message << "\n";
        return exitCodeOf(fault);
    }
    if (!experiment.simulatorUrl().empty() && !json) {
        err << "[simulator] flowbench-sim at " << experiment.simulatorUrl()
            << " stands in for every connection: answers are SIMULATED, not from a real model\n";
    }
    // Core's line error names a missing connection; how to supply it is the CLI's to say.
    for (const auto &name : experiment.missingConnections()) {
        err << "flowbench-cli: note: no connection named '" << name
            << "' (give connection files with --connections, or run with --simulator)\n";
    }

    const std::int64_t totalLines = experiment.totalLines();
    const bool tty = !json && ::isatty(STDERR_FILENO);
    auto onProgress = [&](const BatchProgress &p) {
        if (tty) {
            err << progressText(p, totalLines) << std::flush;
        }
    };
    auto outcome = experiment.execute(onProgress, interrupt, &fault);
    if (tty) {
        err << "\n";
    }
    const SecretRedactor &redactor = experiment.redactor();
    if (!outcome) {
        err << cmd << ": " << redactor.redacted(outcome.error().message) << "\n";
        return exitCodeOf(fault);
    }
    const BatchResult &result = outcome->batch;
    for (const auto &s : result.skippedRows) {
        err << "skipped: " << s << "\n";
    }
    bool aggregationFailed = false;
    for (const auto &run : outcome->runs) {
        if (!run.aggregationError.empty()) {
            err << cmd << ": " << run.name
                << ": aggregation: " << redactor.redacted(run.aggregationError) << "\n";
            aggregationFailed = true;
        }
    }
    const std::string storePath = experiment.request().store.string();
    const std::int64_t totalRows = experiment.rowCount();
    const BatchProgress &p = result.progress;
    if (json) {
        Value o = Value::object();
        o["store"] = storePath;
        if (!outcome->experimentName.empty()) {
            o["experiment"] = outcome->experimentName;
        }
        o["status"] = runStateName(outcome->state);
        Value runs = Value::array();
        for (const auto &run : outcome->runs) {
            Value r = Value::object();
            r["run"] = run.name;
            r["variants"] = run.variants;
            r["completed_lines"] = run.completedLines;
            r["failed_lines"] = run.failedLines;
            if (!run.metrics.empty()) {
                r["metrics"] = run.metrics;
            }
            runs.push_back(std::move(r));
        }
        o["runs"] = std::move(runs);
        if (outcome->runs.size() == 1) {
            o["run"] = outcome->runs.front().name;
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
        o["rate_limit_wait_s"] = result.gateWaitMs / 1000.0;
        o["store_write_s"] = outcome->storeWriteS;
        o["store_write_cpu_s"] = outcome->storeWriteCpuS;
        o["budget_reached"] = result.budgetReached;
        o["simulated"] = outcome->simulated;
        out << o.dump(2) << "\n";
    } else {
        for (const auto &run : outcome->runs) {
            char line[320];
            std::snprintf(line, sizeof line, "run %s: %lld completed, %lld failed of %lld lines%s\n",
                          run.name.c_str(), static_cast<long long>(run.completedLines),
                          static_cast<long long>(run.failedLines),
                          static_cast<long long>(totalRows),
                          outcome->simulated ? " (SIMULATED model answers)" : "");
            out << line;
            for (const auto &[name, value] : run.metrics) {
                out << "  " << name << " = " << value << "\n";
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
        if (result.budgetReached) {
            out << "stopped at the budget of $" << *budget << "\n";
        }
        out << "store: " << storePath << "\n";
    }
    if (result.cancelled || result.budgetReached) {
        const std::string &base = experiment.request().baseRun;
        err << (result.cancelled ? "cancelled" : "budget reached")
            << "; continue with: flowbench-cli " << plan.commandName << " "
            << cl.positionals()[0]
            << (plan.evalMode ? " --run " + base : " --data " + experiment.dataPath().string())
            << " --resume "
            << (outcome->experimentName.empty() ? outcome->runs.front().name
                                                : outcome->experimentName)
            << "\n";
        return code(result.cancelled ? ExitCode::Cancelled : ExitCode::Ok);
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
        {{"store", "FILE",
          "experiment store, or a run bundle read-only (default " + std::string(kDefaultStore)
              + ")",
          false},
         {"json", {}, "print the runs as JSON", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli runs: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return code(ExitCode::Ok);
    }
    auto store = BundleCommand::openForReading(cl.value("store", kDefaultStore));
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
