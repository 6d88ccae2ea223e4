#include <core/cli/connectionscommand.h>

#include <core/cli/cliapp.h>
#include <core/cli/commandline.h>
#include <core/cli/connectionsetup.h>
#include <core/llm/simulatorlauncher.h>
#include <core/common/value.h>
#include <core/llm/connectionprobe.h>
#include <core/llm/connectionstore.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <ostream>
#include <set>
#include <thread>

namespace fb {

namespace {

constexpr const char *kHelp
    = "usage: flowbench-cli connections SUBCOMMAND [ARGS]\n"
      "\n"
      "Connections are promptflow connection YAML files (--connections FILE|DIR, or\n"
      "$FLOWBENCH_CONNECTIONS).\n"
      "\n"
      "subcommands:\n"
      "  test NAME         list the connection's models and time a short streamed call (TTFT)\n"
      "\n"
      "Run 'flowbench-cli connections SUBCOMMAND --help' for its options.\n";

std::string ms(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

Value msJson(double v) { return v >= 0 ? Value(double(std::int64_t(v * 10 + 0.5)) / 10) : Value(); }

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

} // namespace

int ConnectionsCommand::run(const std::vector<std::string> &args, std::ostream &out,
                            std::ostream &err, const std::atomic<bool> *interrupt)
{
    if (args.empty()) {
        err << kHelp;
        return int(ExitCode::Usage);
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        out << kHelp;
        return int(ExitCode::Ok);
    }
    if (args[0] == "test") {
        return test({args.begin() + 1, args.end()}, out, err, interrupt);
    }
    err << "flowbench-cli connections: unknown subcommand '" << args[0] << "'\n\n" << kHelp;
    return int(ExitCode::Usage);
}

int ConnectionsCommand::test(const std::vector<std::string> &args, std::ostream &out,
                             std::ostream &err, const std::atomic<bool> *interrupt)
{
    CommandLine cl(
        "flowbench-cli connections test NAME [--connections PATH ...] [--model M] [--simulator] "
        "[--json]",
        "Tests connection NAME: lists its models (GET <base>/models with the connection's key)\n"
        "and makes one tiny streamed chat call, printing the time to its first token (TTFT)\n"
        "and to its end. Exit code 0 when the call succeeds (a failed model list is only\n"
        "reported), 1 when it fails, 4 when NAME is not among the connections.\n"
        "With --simulator, the LLM SIMULATOR flowbench-sim is started and stands in for NAME:\n"
        "no API key needed, and the answers are simulated.",
        {{"connections", "PATH",
          "connection YAML file or folder (repeatable); default: $FLOWBENCH_CONNECTIONS", true},
         {"model", "MODEL",
          "model (Azure: deployment) of the timed call; default: the first listed model", false},
         {"simulator", {}, "test against the bundled LLM simulator (no API key needed)", false},
         {"json", {}, "print the result as JSON (for machines)", false}});
    if (auto r = cl.parse(args); !r) {
        err << "flowbench-cli connections test: " << r.error().message << "\n";
        return int(ExitCode::Usage);
    }
    if (cl.has("help")) {
        out << cl.help();
        return int(ExitCode::Ok);
    }
    if (cl.positionals().size() != 1) {
        err << "flowbench-cli connections test: expected one connection NAME\n\n" << cl.help();
        return int(ExitCode::Usage);
    }
    const std::string name = cl.positionals()[0];
    const bool json = cl.has("json");

    ConnectionStore connections;
    SimulatorLauncher simulator;
    if (const int rc = ConnectionSetup::apply(cl, std::set<std::string>{name}, connections,
                                              simulator, err, !json)) {
        return rc;
    }
    const Connection *connection = connections.find(name);
    if (!connection) {
        const auto known = connections.names();
        err << "flowbench-cli connections test: no connection named '" << name << "' ("
            << (known.empty() ? "no connection files were loaded: give --connections FILE|DIR, "
                                "set $FLOWBENCH_CONNECTIONS or use --simulator"
                              : "known: " + joined(known))
            << ")\n";
        return int(ExitCode::Environment);
    }

    ConnectionProbeOptions options;
    options.model = cl.value("model");
    options.simulated = simulator.isRunning();
    const ConnectionProbe probe(options);
    std::promise<ConnectionProbeResult> promise;
    auto future = promise.get_future();
    std::jthread worker(
        [&](std::stop_token stop) { promise.set_value(probe.run(*connection, stop)); });
    bool interrupted = false;
    while (future.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
        if (interrupt && interrupt->load() && !interrupted) {
            interrupted = true;
            worker.request_stop();
        }
    }
    const ConnectionProbeResult result = future.get();

    if (json) {
        Value o
            = {{"connection", result.connection},
               {"type", connectionTypeName(connection->type)},
               {"simulated", result.simulated},
               {"models", result.models},
               {"models_error", result.modelsError.empty() ? Value() : Value(result.modelsError)},
               {"model", result.model},
               {"ok", result.ok()},
               {"ttft_ms", msJson(result.ttftMs)},
               {"latency_ms", msJson(result.latencyMs)},
               {"error", result.ok() ? Value() : Value(result.callError)}};
        out << o.dump(2, ' ', false, Value::error_handler_t::replace) << "\n";
    } else {
        out << "connection '" << result.connection << "' (" << connectionTypeName(connection->type)
            << ")\n";
        if (result.simulated) {
            out << "SIMULATED: flowbench-sim answers, not a real model\n";
        }
        if (result.modelsError.empty()) {
            out << "models (" << result.models.size() << "): " << joined(result.models) << "\n";
        } else {
            out << "models: not listed: " << result.modelsError << "\n";
        }
        if (result.ok()) {
            out << "call to " << result.model << ": "
                << (result.ttftMs >= 0 ? "first token after " + ms(result.ttftMs) + " ms"
                                       : std::string("no content streamed"))
                << ", complete after " << ms(result.latencyMs) << " ms\n";
        }
    }
    if (interrupted) {
        if (!json) {
            err << "cancelled\n";
        }
        return int(ExitCode::Cancelled);
    }
    if (!result.ok()) {
        err << "error: call to " << result.model << " failed: " << result.callError << "\n";
        return int(ExitCode::RunFailed);
    }
    return int(ExitCode::Ok);
}

} // namespace fb
