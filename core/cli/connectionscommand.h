#pragma once

#include <atomic>
#include <iosfwd>
#include <string>
#include <vector>

namespace fb {

/// `flowbench-cli connections test NAME [--connections PATH ...] [--model M] [--simulator]
/// [--json]`: runs ConnectionProbe over one connection from promptflow connection YAML files
/// (or over the LLM SIMULATOR with --simulator) and prints its models and the TTFT and
/// latency of a tiny streamed call. Exit codes: 0 when the call succeeded (a failed model
/// list is only reported), 1 when it failed, 2 usage, 4 when the connection cannot be found
/// or the simulator not started, 130 when `interrupt` was set. Stateless; returns an ExitCode.
class ConnectionsCommand
{
public:
    [[nodiscard]] static int run(const std::vector<std::string> &args, std::ostream &out,
                                 std::ostream &err, const std::atomic<bool> *interrupt = nullptr);

private:
    [[nodiscard]] static int test(const std::vector<std::string> &args, std::ostream &out,
                                  std::ostream &err, const std::atomic<bool> *interrupt);
};

} // namespace fb
