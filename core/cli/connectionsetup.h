#pragma once

#include <core/cli/commandline.h>
#include <core/flow/flow.h>

#include <iosfwd>
#include <set>
#include <string>
#include <vector>

namespace fb {

class ConnectionStore;
class SimulatorLauncher;

/// The connections a CLI command runs with: files from `--connections` (or
/// $FLOWBENCH_CONNECTIONS), or, with `--simulator`, the LLM SIMULATOR started for the flow (with
/// its simulator.json) standing in for every connection the flow names (or, without a flow,
/// for the names given). Stateless.
class ConnectionSetup
{
public:
    /// Returns 0, or the CLI exit code after printing the reason to `err`. With the simulator,
    /// `extraNames` (e.g. judge evaluators' connections) are simulated too.
    [[nodiscard]] static int apply(const CommandLine &cl, const Flow &flow,
                                   ConnectionStore &connections, SimulatorLauncher &simulator,
                                   std::ostream &err, bool announce,
                                   const std::set<std::string> &extraNames = {});

    /// The same without a flow: `names` are simulated, and the simulator is started with
    /// `simulatorArgs` (e.g. {"--config", "simulator.json"}).
    [[nodiscard]] static int apply(const CommandLine &cl, const std::set<std::string> &names,
                                   ConnectionStore &connections, SimulatorLauncher &simulator,
                                   std::ostream &err, bool announce,
                                   const std::vector<std::string> &simulatorArgs = {});
};

} // namespace fb
