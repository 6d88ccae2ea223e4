#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

struct RunEstimate;

/// `flowbench-cli estimate`: tokens, cost and wall time of running a flow over a dataset (one
/// variant selection or an experiment's cross-product), printed before any call is made.
/// Stateless; returns an ExitCode.
class EstimateCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err);

    /// The human-readable table `estimate` prints.
    [[nodiscard]] static std::string formatTable(const RunEstimate &estimate);
};

} // namespace fb
