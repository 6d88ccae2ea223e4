#include <core/cli/connectionsetup.h>

#include <core/cli/cliapp.h>
#include <core/llm/simulatorlauncher.h>
#include <core/llm/connectionstore.h>

#include <cstdlib>
#include <ostream>

namespace fb {

int ConnectionSetup::apply(const CommandLine &cl, const Flow &flow, ConnectionStore &connections,
                           SimulatorLauncher &simulator, std::ostream &err, bool announce,
                           const std::set<std::string> &extraNames)
{
    std::vector<std::string> simArgs;
    if (cl.has("simulator")) {
        const auto config = flow.dir / "simulator.json";
        std::error_code ec;
        if (std::filesystem::exists(config, ec)) {
            simArgs = {"--config", config.string()};
        }
    }
    std::set<std::string> names = flow.connectionNames();
    names.insert(extraNames.begin(), extraNames.end());
    const int code = apply(cl, names, connections, simulator, err, announce, simArgs);
    if (code == 0 && !cl.has("simulator")) {
        // Core's line error names a missing connection; how to supply it is the CLI's to say.
        for (const auto &name : flow.connectionNames()) {
            if (!connections.find(name)) {
                err << "flowbench-cli: note: no connection named '" << name
                    << "' (give connection files with --connections, or run with --simulator)\n";
            }
        }
    }
    return code;
}

int ConnectionSetup::apply(const CommandLine &cl, const std::set<std::string> &names,
                           ConnectionStore &connections, SimulatorLauncher &simulator,
                           std::ostream &err, bool announce,
                           const std::vector<std::string> &simulatorArgs)
{
    std::vector<std::string> paths = cl.values("connections");
    if (paths.empty() && !cl.has("simulator")) {
        if (const char *env = std::getenv("FLOWBENCH_CONNECTIONS"); env && *env) {
            paths.emplace_back(env);
        }
    }
    for (const auto &path : paths) {
        std::error_code ec;
        auto r = std::filesystem::is_directory(path, ec) ? connections.loadDirectory(path)
                                                         : connections.loadFile(path);
        if (!r) {
            err << r.error().message << "\n";
            return int(ExitCode::Environment);
        }
    }
    if (!cl.has("simulator")) {
        return 0;
    }
    if (auto r = simulator.start(simulatorArgs); !r) {
        err << "flowbench-cli: " << r.error().message << "\n";
        return int(ExitCode::Environment);
    }
    if (announce) {
        err << "[simulator] flowbench-sim at " << simulator.baseUrl()
            << " stands in for every connection: answers are SIMULATED, not from a real model\n";
    }
    for (const auto &name : names) {
        Connection c;
        c.name = name;
        c.type = ConnectionType::OpenAi;
        c.configs["base_url"] = simulator.baseUrl() + "/v1";
        // The simulator listens on a new port each time; its answers do not depend on it.
        c.configs["cache_identity"] = "flowbench-sim";
        c.secrets["api_key"] = "flowbench-sim";
        if (auto r = connections.add(std::move(c)); !r) {
            err << r.error().message << "\n";
            return int(ExitCode::Environment);
        }
    }
    return 0;
}

} // namespace fb
