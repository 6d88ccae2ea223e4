#pragma once

#include <core/common/result.h>

#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;

/// `flowbench-cli bundle export|show|import|extract`: run bundles (core/bundle) on the
/// command line — write selected runs of a store to a `.fbbundle` file, describe one, import
/// one into a store, write its flow files out. Stateless; returns an ExitCode.
class BundleCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err);
    /// The store for the commands that only read one (runs, report, compare, agreement): a run
    /// bundle is validated and opened read-only (see RunBundle), anything else is opened as
    /// ExperimentStore::open does.
    [[nodiscard]] static Result<ExperimentStore> openForReading(const std::string &path);

private:
    static int exportRuns(const std::vector<std::string> &args, std::ostream &out,
                          std::ostream &err);
    static int show(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
    static int import(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
    static int extract(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
};

} // namespace fb
