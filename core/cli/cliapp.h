#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// Exit codes of flowbench-cli.
enum class ExitCode : int {
    Ok = 0,
    RunFailed = 1,   ///< the flow ran but a line or node failed (connections test: the call)
    Usage = 2,       ///< bad command line
    InvalidFlow = 3, ///< the flow does not load or does not validate
    Environment = 4, ///< connections, simulator or python missing or unusable
    Cancelled = 130, ///< interrupted (Ctrl-C)
};

/// The `flowbench-cli` commands on core alone: `validate FLOW`, `test FLOW`. Output goes to
/// the given streams; the return value is an ExitCode. `interrupt` is polled while a flow runs
/// (set it from a SIGINT handler to cancel). Not thread-safe; one run at a time.
class CliApp
{
public:
    CliApp(std::ostream &out, std::ostream &err, const std::atomic<bool> *interrupt = nullptr);

    int run(const std::vector<std::string> &args);

private:
    int validate(const std::vector<std::string> &args);
    int test(const std::vector<std::string> &args);
    [[nodiscard]] std::string mainHelp() const;

    std::ostream &m_out;
    std::ostream &m_err;
    const std::atomic<bool> *m_interrupt;
};

} // namespace fb
