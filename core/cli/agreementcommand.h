#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// `flowbench-cli agreement --run RUN [--store FILE] [--judge EVALUATOR] [--json]`: agreement
/// of the human ratings stored for a run — Cohen's kappa per pair of raters, Fleiss' kappa over
/// all raters (on the lines every rater rated) and, with --judge, Cohen's kappa of each rater
/// against an evaluator's results (RatingAgreement). `--json` prints RatingAgreement::toJson.
/// Stateless; returns an ExitCode.
class AgreementCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err);
};

} // namespace fb
