#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// `flowbench-cli rate`: records a human rating of one line of a run — pass/fail, 1–5 stars
/// or a comment — or, with --versus, a blind A/B preference between two runs on that line,
/// under the rater's name (--rater, default $USER). `--undo` removes the rater's last rating
/// (or preference) of that line. The same records the workbench's rating bar and blind review
/// write (ExperimentStore::addRating / addPreference). Stateless; returns an ExitCode.
class RateCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err);
};

} // namespace fb
