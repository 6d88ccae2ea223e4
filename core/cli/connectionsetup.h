#pragma once

#include <core/cli/commandline.h>
#include <core/flow/flow.h>

#include <iosfwd>
#include <set>
#include <string>

namespace fb {

class ConnectionStore;
class SimulatorLauncher;

/// The connections a CLI command runs with: files from `--connections` (or
/// $FLOWBENCH_CONNECTIONS), or, with `--simulator`, the LLM SIMULATOR started for the flow (with
/// its simulator.json) standing in for every connection the flow names. Stateless.
class ConnectionSetup
{
public:
    /// Returns 0, or the CLI exit code after printing the reason to `err`. With the simulator,
    /// `extraNames` (e.g. judge evaluators' connections) are simulated too.
    [[nodiscard]] static int apply(const CommandLine &cl, const Flow &flow,
                                   ConnectionStore &connections, SimulatorLauncher &simulator,
                                   std::ostream &err, bool announce,
                                   const std::set<std::string> &extraNames = {});
};

} // namespace fb
