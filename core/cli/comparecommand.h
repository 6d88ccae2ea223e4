#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// `flowbench-cli compare RUN RUN...`: prints, per run, lines, latency p50/p95 and cost, per
/// evaluator the mean / pass rate with its 95 % interval, and per pair of runs (all pairs up
/// to four runs, else the first against each) the paired test's p-value, effect size and
/// win/tie/loss. `--json` prints the same as JSON. Stateless; returns an ExitCode.
class CompareCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err);
};

} // namespace fb
