#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// `flowbench-cli bundle export|show|import|extract`: run bundles (core/bundle) on the
/// command line — write selected runs of a store to a `.fbbundle` file, describe one, import
/// one into a store, write its flow files out. Stateless; returns an ExitCode.
class BundleCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err);

private:
    static int exportRuns(const std::vector<std::string> &args, std::ostream &out,
                          std::ostream &err);
    static int show(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
    static int import(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
    static int extract(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
};

} // namespace fb
