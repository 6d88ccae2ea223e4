#pragma once

#include <core/common/result.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fb {

/// Starts a `flowbench-sim` process (the LLM SIMULATOR that stands in for paid endpoints) on
/// 127.0.0.1 with an OS-chosen port and stops it when destroyed. Used by `flowbench-cli
/// --simulator` and by the workbench's built-in Simulator connection.
/// Not thread-safe; one owner. The simulator is told to exit with its parent
/// (FLOWBENCH_SIM_EXIT_WITH_PARENT, i.e. PR_SET_PDEATHSIG), which Linux ties to the THREAD that
/// started it: call start() from a thread that lives as long as the simulator should.
class SimulatorLauncher
{
public:
    SimulatorLauncher() = default;
    ~SimulatorLauncher();
    SimulatorLauncher(const SimulatorLauncher &) = delete;
    SimulatorLauncher &operator=(const SimulatorLauncher &) = delete;

    /// Starts the simulator with extra arguments (e.g. {"--config", "flows/x/simulator.json"})
    /// and waits up to `timeoutMs` for its "listening" line. The error says what failed.
    [[nodiscard]] Result<void> start(const std::vector<std::string> &args, int timeoutMs = 10000);
    void stop();

    [[nodiscard]] bool isRunning() const { return m_pid > 0; }
    /// "http://127.0.0.1:PORT"
    [[nodiscard]] const std::string &baseUrl() const { return m_baseUrl; }

    /// Where flowbench-sim is: FLOWBENCH_SIM if set, else beside the running executable
    /// (or in ../flowbench-sim/ of a build tree), else "flowbench-sim" on PATH.
    [[nodiscard]] static std::string executable();

private:
    int m_pid = -1;
    int m_stdout = -1;
    std::string m_baseUrl;
};

} // namespace fb
