#include <core/cli/cliapp.h>

#include <core/cli/agreementcommand.h>
#include <core/cli/ratecommand.h>
#include <core/cli/bundlecommand.h>
#include <core/cli/commandline.h>
#include <core/cli/comparecommand.h>
#include <core/cli/connectionscommand.h>
#include <core/cli/connectionsetup.h>
#include <core/cli/estimatecommand.h>
#include <core/cli/reportcommand.h>
#include <core/cli/runcommand.h>
#include <core/llm/simulatorlauncher.h>
#include <core/cli/tokenscommand.h>
#include <core/cli/traceprinter.h>
#include <core/common/fileio.h>
#include <core/exec/flowexecutor.h>
#include <core/exec/lineobserver.h>
#include <core/exec/pythonrunner.h>
#include <core/exec/tracejson.h>
#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>

namespace fb {

namespace {

constexpr const char *kVersion = "0.1.0";

int code(ExitCode c) { return int(c); }

std::string jsonLine(const Value &v)
{
    return v.dump(2, ' ', false, Value::error_handler_t::replace);
}

/// Prints the streamed text of the llm nodes that flow outputs show directly.
class StreamPrinter final : public LineObserver
{
public:
    StreamPrinter(std::ostream &out, std::set<std::string> nodes)
        : m_out(out)
        , m_nodes(std::move(nodes))
    {
    }
    void nodeDelta(const std::string &node, std::string_view delta) override
    {
        if (!m_nodes.count(node)) {
            return;
        }
        if (node != m_current) {
            m_out << (m_current.empty() ? "" : "\n") << "[" << node << "] ";
            m_current = node;
        }
        m_out << delta << std::flush;
    }
    [[nodiscard]] bool printedAnything() const { return !m_current.empty(); }

private:
    std::ostream &m_out;
    std::set<std::string> m_nodes;
    std::string m_current;
};

} // namespace

CliApp::CliApp(std::ostream &out, std::ostream &err, const std::atomic<bool> *interrupt)
    : m_out(out)
    , m_err(err)
    , m_interrupt(interrupt)
{
}

std::string CliApp::mainHelp() const
{
    return "usage: flowbench-cli COMMAND [ARGS]\n"
           "\n"
           "Flowbench command line: validate and run promptflow-format flows (flow.dag.yaml)\n"
           "headless, against OpenAI, Azure OpenAI, Anthropic, any OpenAI-compatible server, or\n"
           "the bundled LLM simulator.\n"
           "\n"
           "commands:\n"
           "  validate FLOW     check a flow and report every problem as file:line:column\n"
           "  test FLOW         run one line of a flow and print its outputs and per-node trace\n"
           "  run FLOW --data F run a flow over a dataset into the experiment store (resumable)\n"
           "  eval EVAL --run R run an evaluation flow over the lines of run R\n"
           "  runs              list the runs in the experiment store\n"
           "  compare RUN RUN.. paired comparison of runs: quality with CIs, p-values, latency\n"
           "  report RUN.. -o F HTML, CSV or JSON report of runs (--format html|csv|json)\n"
           "  rate --run R ...  rate a line (pass/fail, 1-5 stars, comment) or prefer one of two\n"
           "                    runs' outputs on it (--versus R2 --prefer R|tie)\n"
           "  agreement --run R agreement of a run's human raters (Cohen, Fleiss) and a judge;\n"
           "                    with --versus R2 the blind A/B preferences between two runs\n"
           "  bundle export|show|import|extract  run bundles: runs with their flow files and\n"
           "                    dataset rows in one .fbbundle file a reviewer opens or imports\n"
           "  estimate FLOW     tokens, cost and wall time of a run over --data, before any call\n"
           "  tokens            count (or list) the tokens of standard input (--encoding/--model)\n"
           "  connections test NAME  a connection's models and the TTFT of a short call\n"
           "\n"
           "Run 'flowbench-cli COMMAND --help' for a command's options.\n"
           "Exit codes: 0 ok, 1 run failed, 2 usage, 3 invalid flow, 4 environment, 130 "
           "cancelled.\n";
}

int CliApp::run(const std::vector<std::string> &args)
{
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        (args.empty() ? m_err : m_out) << mainHelp();
        return code(args.empty() ? ExitCode::Usage : ExitCode::Ok);
    }
    if (args[0] == "--version") {
        m_out << "flowbench-cli " << kVersion << "\n";
        return code(ExitCode::Ok);
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "validate") {
        return validate(rest);
    }
    if (args[0] == "test") {
        return test(rest);
    }
    if (args[0] == "run") {
        return RunCommand::run(rest, m_out, m_err, m_interrupt);
    }
    if (args[0] == "eval") {
        return RunCommand::eval(rest, m_out, m_err, m_interrupt);
    }
    if (args[0] == "runs") {
        return RunCommand::list(rest, m_out, m_err);
    }
    if (args[0] == "compare") {
        return CompareCommand::run(rest, m_out, m_err);
    }
    if (args[0] == "report") {
        return ReportCommand::run(rest, m_out, m_err);
    }
    if (args[0] == "bundle") {
        return BundleCommand::run(rest, m_out, m_err);
    }
    if (args[0] == "rate") {
        return RateCommand::run(rest, m_out, m_err);
    }
    if (args[0] == "agreement") {
        return AgreementCommand::run(rest, m_out, m_err);
    }
    if (args[0] == "estimate") {
        return EstimateCommand::run(rest, m_out, m_err);
    }
    if (args[0] == "tokens") {
        return TokensCommand::run(rest, m_out, m_err);
    }
    if (args[0] == "connections") {
        return ConnectionsCommand::run(rest, m_out, m_err, m_interrupt);
    }
    m_err << "flowbench-cli: unknown command '" << args[0] << "'\n\n" << mainHelp();
    return code(ExitCode::Usage);
}

int CliApp::validate(const std::vector<std::string> &args)
{
    CommandLine cl("flowbench-cli validate FLOW [--json]",
                   "Loads FLOW (a folder holding flow.dag.yaml, or the file) and reports every\n"
                   "problem at once as file:line:column: message. Exit code 3 when invalid.",
                   {{"json", {}, "print the result as JSON", false}});
    if (auto r = cl.parse(args); !r) {
        m_err << "flowbench-cli validate: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        m_out << cl.help();
        return code(ExitCode::Ok);
    }
    if (cl.positionals().size() != 1) {
        m_err << "flowbench-cli validate: expected one FLOW argument\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    const bool json = cl.has("json");
    auto flow = FlowLoader::load(cl.positionals()[0]);
    if (!flow) {
        if (json) {
            m_out << jsonLine({{"valid", false}, {"errors", {flow.error().message}}}) << "\n";
        } else {
            m_err << flow.error().message << "\n";
        }
        return code(ExitCode::InvalidFlow);
    }
    const auto diagnostics = FlowValidator::validate(*flow);
    const bool valid = !hasErrors(diagnostics);
    auto hash = FlowHasher::contentHash(*flow);
    if (json) {
        Value out = {{"valid", valid}, {"file", flow->file.string()}};
        out["errors"] = Value::array();
        out["warnings"] = Value::array();
        for (const auto &d : diagnostics) {
            out[d.severity == Diagnostic::Severity::Error ? "errors" : "warnings"].push_back(
                d.toString());
        }
        out["nodes"] = flow->nodes.size();
        out["hash"] = hash ? Value(*hash) : Value();
        m_out << jsonLine(out) << "\n";
    } else {
        for (const auto &d : diagnostics) {
            (d.severity == Diagnostic::Severity::Error ? m_err : m_out) << d.toString() << "\n";
        }
        if (valid) {
            std::size_t variants = 0;
            for (const auto &nv : flow->nodeVariants) {
                variants += nv.variants.size();
            }
            m_out << flow->file.string() << ": valid (" << flow->inputs.size() << " inputs, "
                  << flow->nodes.size() << " nodes, " << variants << " variants, "
                  << flow->outputs.size() << " outputs)";
            if (hash) {
                m_out << "; content hash " << hash->substr(0, 16);
            }
            m_out << "\n";
        } else {
            std::size_t errors = 0;
            for (const auto &d : diagnostics) {
                errors += d.severity == Diagnostic::Severity::Error ? 1 : 0;
            }
            m_err << flow->file.string() << ": " << errors << (errors == 1 ? " error" : " errors")
                  << "\n";
        }
    }
    return code(valid ? ExitCode::Ok : ExitCode::InvalidFlow);
}

int CliApp::test(const std::vector<std::string> &args)
{
    CommandLine cl(
        "flowbench-cli test FLOW [--inputs k=v ...] [--variant '${node.variant_id}'] "
        "[--connections PATH ...] [--simulator] [--stream] [--json]",
        "Runs one line of FLOW: the given inputs (others from their defaults), the chosen\n"
        "variants (others their default variant), then any aggregation nodes over that line.\n"
        "Prints the outputs and the per-node trace (status, timings, TTFT/TPOT, tokens).\n"
        "With --simulator, the LLM SIMULATOR flowbench-sim is started (with FLOW/simulator.json\n"
        "when present) and every connection the flow names points at it: no API key needed,\n"
        "and the answers are simulated.",
        {{"inputs", "KEY=VALUE", "flow inputs (values are coerced to the declared types)", true},
         {"inputs-file", "FILE.json", "flow inputs from a JSON object file", false},
         {"variant", "'${node.variant_id}'", "variant to run for a node (repeatable)", true},
         {"connections", "PATH",
          "connection YAML file or folder (repeatable); default: "
          "$FLOWBENCH_CONNECTIONS",
          true},
         {"simulator", {}, "run against the bundled LLM simulator (no API key needed)", false},
         {"stream", {}, "stream the model output token by token", false},
         {"json", {}, "print the whole result as JSON (for machines)", false},
         {"timeout", "SECONDS", "python node timeout (default 600)", false}});
    if (auto r = cl.parse(args); !r) {
        m_err << "flowbench-cli test: " << r.error().message << "\n";
        return code(ExitCode::Usage);
    }
    if (cl.has("help")) {
        m_out << cl.help();
        return code(ExitCode::Ok);
    }
    if (cl.positionals().size() != 1) {
        m_err << "flowbench-cli test: expected one FLOW argument\n\n" << cl.help();
        return code(ExitCode::Usage);
    }
    const bool json = cl.has("json");

    auto flow = FlowLoader::load(cl.positionals()[0]);
    if (!flow) {
        m_err << flow.error().message << "\n";
        return code(ExitCode::InvalidFlow);
    }
    const auto diagnostics = FlowValidator::validate(*flow);
    for (const auto &d : diagnostics) {
        m_err << d.toString() << "\n";
    }
    if (hasErrors(diagnostics)) {
        return code(ExitCode::InvalidFlow);
    }

    VariantSelection selection;
    for (const auto &v : cl.values("variant")) {
        auto parsed = VariantResolver::parseSelection(v);
        if (!parsed) {
            m_err << "flowbench-cli test: --variant: " << parsed.error().message << "\n";
            return code(ExitCode::Usage);
        }
        selection.insert(parsed->begin(), parsed->end());
    }
    auto prepared = PreparedFlow::prepare(*flow, selection);
    if (!prepared) {
        m_err << prepared.error().message << "\n";
        return code(ExitCode::InvalidFlow);
    }

    Value inputs = Value::object();
    if (cl.has("inputs-file")) {
        // A pipe is fine here (e.g. /dev/stdin); the size limit keeps /dev/zero out.
        ReadFileLimits limits;
        limits.regularOnly = false;
        limits.maxBytes = std::uint64_t(16) << 20;
        auto text = readFile(cl.value("inputs-file"), limits);
        if (!text) {
            m_err << text.error().message << "\n";
            return code(ExitCode::Usage);
        }
        inputs = Value::parse(*text, nullptr, false);
        if (inputs.is_discarded() || !inputs.is_object()) {
            m_err << cl.value("inputs-file") << ": expected a JSON object of flow inputs\n";
            return code(ExitCode::Usage);
        }
    }
    for (const auto &kv : cl.values("inputs")) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
            m_err << "flowbench-cli test: --inputs expects KEY=VALUE, got '" << kv << "'\n";
            return code(ExitCode::Usage);
        }
        inputs[kv.substr(0, eq)] = kv.substr(eq + 1);
    }

    ConnectionStore connections;
    SimulatorLauncher simulator;
    if (const int rc = ConnectionSetup::apply(cl, *flow, connections, simulator, m_err, !json)) {
        return rc;
    }

    LlmClient llm;
    PythonRunnerOptions pythonOptions;
    PythonRunner python(pythonOptions);
    FlowExecutor executor(llm, python, connections);
    LineOptions options;
    options.stream = cl.has("stream");
    if (cl.has("timeout")) {
        options.pythonTimeout = std::chrono::milliseconds(
            std::int64_t(std::atof(cl.value("timeout").c_str()) * 1000));
    }

    std::set<std::string> streamed;
    for (const auto &out : (*prepared)->outputs()) {
        if (out.sourceNode >= 0) {
            const auto type = (*prepared)->nodes()[std::size_t(out.sourceNode)].node.type;
            if (type == NodeType::Llm || type == NodeType::CustomLlm) {
                streamed.insert((*prepared)->nodes()[std::size_t(out.sourceNode)].node.name);
            }
        }
    }
    StreamPrinter printer(m_out, streamed);

    std::promise<LineResult> promise;
    auto future = promise.get_future();
    auto handle = executor.startLine(*prepared, inputs, options,
                                     options.stream && !json ? &printer : nullptr,
                                     [&promise](LineResult r) { promise.set_value(std::move(r)); });
    bool interrupted = false;
    while (future.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
        if (m_interrupt && m_interrupt->load() && handle && !interrupted) {
            interrupted = true;
            handle->cancel();
            python.cancelAll();
        }
    }
    LineResult line = future.get();
    if (printer.printedAnything()) {
        m_out << "\n";
    }

    AggregationResult aggregation;
    const bool aggregate = (*prepared)->hasAggregation() && line.status == RunStatus::Completed;
    if (aggregate) {
        aggregation = executor.runAggregation(*prepared, {line}, options);
    }

    if (json) {
        Value out = TraceJson::line(line);
        out["flow"] = flow->file.string();
        out["variants"] = Value::object();
        for (const auto &[node, id] : (*prepared)->variants()) {
            out["variants"][node] = id;
        }
        out["simulated"] = simulator.isRunning();
        if (aggregate) {
            out["aggregation"] = TraceJson::aggregation(aggregation);
        }
        m_out << jsonLine(out) << "\n";
    } else {
        m_out << TracePrinter::summary(**prepared, line, simulator.isRunning());
        if (aggregate) {
            m_out << TracePrinter::aggregation(aggregation);
        }
    }
    if (line.status == RunStatus::Cancelled) {
        if (!json) {
            m_err << "cancelled\n";
        }
        return code(ExitCode::Cancelled);
    }
    if (line.status != RunStatus::Completed
        || (aggregate && aggregation.status != RunStatus::Completed)) {
        m_err << "error: "
              << connections.secretRedactor().redacted(line.error.empty() ? aggregation.error
                                                                          : line.error)
              << "\n";
        return code(ExitCode::RunFailed);
    }
    return code(ExitCode::Ok);
}

} // namespace fb
