#pragma once

#include <core/store/storeids.h>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;

/// `flowbench-cli report RUN... --format html|csv|json -o FILE`: writes a self-contained
/// HTML report, CSV files (lines, and metrics next to them) or a JSON document about runs of
/// the experiment store. Stateless; returns an ExitCode.
class ReportCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err);

    /// The runs named by `names` (a run name, or `#ID` for a run id), plus, when
    /// `wholeExperiments`, every other run of their experiments (evaluation runs excluded), in
    /// the given order then by id. Prints what is wrong to `err` and returns nullopt when a
    /// name matches no run.
    [[nodiscard]] static std::optional<std::vector<RunId>>
    resolveRuns(ExperimentStore &store, const std::vector<std::string> &names,
                bool wholeExperiments, std::ostream &err);
};

} // namespace fb
