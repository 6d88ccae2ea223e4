// flowbench-sim: an LLM SIMULATOR for tests, demos and benchmarks. Its answers are generated
// deterministically by core/sim; they never come from a real model.

#include <core/sim/simconfig.h>
#include <core/sim/simserver.h>
#include <core/sim/simstats.h>

#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#include <sys/prctl.h>

int main(int argc, char **argv)
{
    // Launched by a tool or a test (SimulatorLauncher, SimProcess): stop when it dies, even
    // by SIGKILL, instead of lingering as an orphan.
    if (const char *v = std::getenv("FLOWBENCH_SIM_EXIT_WITH_PARENT"); v && *v == '1') {
        const pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) {
            return 0; // the parent died before prctl took effect
        }
    }
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto config = fb::SimConfig::fromArguments(args);
    if (!config) {
        std::fprintf(stderr, "flowbench-sim: %s\n", config.error().message.c_str());
        return 2;
    }
    if (config->helpRequested) {
        std::fputs(fb::SimConfig::usage().c_str(), stdout);
        return 0;
    }

    // Before any thread starts, so a SIGTERM right after the listening line is not lost.
    fb::SimServer::blockStopSignals();
    std::fprintf(stderr, "%s\n", fb::SimServer::banner().c_str());
    if (!config->quiet) {
        std::fputs(config->summary().c_str(), stderr);
    }
    fb::SimServer server(*config);
    if (auto started = server.start(); !started) {
        std::fprintf(stderr, "flowbench-sim: %s\n", started.error().message.c_str());
        return 1;
    }
    std::printf("listening %s\n", server.url().c_str());
    std::fflush(stdout);

    server.runUntilSignal();
    if (!config->quiet) {
        std::fprintf(stderr, "flowbench-sim: stopped after %llu requests\n",
                     static_cast<unsigned long long>(server.stats().requests()));
    }
    return 0;
}
