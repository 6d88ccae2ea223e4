#pragma once

#include <core/store/experimentstore.h>

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// `flowbench-cli run` (a batch run or experiment of a flow over a dataset into the experiment
/// store, with resume), `flowbench-cli eval` (an evaluation run over a base run) and `flowbench-cli runs` (list the store's runs). Stateless; returns an ExitCode.
class RunCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err, const std::atomic<bool> *interrupt);
    /// `flowbench-cli eval EVAL_FLOW --run BASE ...`: an evaluation run over a base run.
    [[nodiscard]] static int eval(const std::vector<std::string> &args, std::ostream &out,
                                  std::ostream &err, const std::atomic<bool> *interrupt);
    [[nodiscard]] static int list(const std::vector<std::string> &args, std::ostream &out,
                                  std::ostream &err);

    /// Default store of the workspace in the current folder.
    static constexpr const char *kDefaultStore = ExperimentStore::kDefaultPath;
};

} // namespace fb
