#pragma once

#include <core/common/result.h>
#include <core/common/value.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fb {

/// One invocation of a promptflow `@tool` function.
struct PythonCall
{
    std::filesystem::path file;             ///< the .py file holding one @tool function
    Value inputs = Value::object();         ///< keyword arguments (absent = parameter default)
    std::vector<std::string> literalInputs; ///< inputs given as YAML literals: coerced to the
                                            ///< parameter's annotated type (int, float, bool,
                                            ///< list, dict) as promptflow does
    bool aggregation = false;               ///< log_metric is honoured only when true
    std::chrono::milliseconds timeout{600000};
    std::filesystem::path workingDir;               ///< the flow folder (imports resolve from here)
    std::map<std::string, std::string> environment; ///< extra variables for the tool
    /// Connection objects for parameters annotated with a connection type:
    /// parameter name -> {"type": ..., "configs": {...}, "secrets": {...}}.
    Value connections = Value::object();
};

struct PythonResult
{
    Value output;                          ///< the function's return value, as JSON
    std::map<std::string, double> metrics; ///< log_metric(key, value) calls (aggregation only)
    std::string log;                       ///< what the tool printed (stdout + stderr)
};

struct PythonRunnerOptions
{
    std::string python = "python3"; ///< interpreter, looked up on PATH
    int maxWorkers = 4;             ///< persistent worker processes kept alive
    /// Folder holding the `promptflow` import shim and the worker script; defaults to the
    /// one installed with Flowbench (resources/python).
    std::filesystem::path shimDir;
    /// Cap of a tool's return value as UTF-8 JSON: a larger one fails its call with an error
    /// naming the cap. The worker checks while it encodes; the runner stops reading a
    /// response line past this plus room for the call's log, and kills that worker.
    std::size_t maxOutputBytes = std::size_t(16) << 20;
    /// Variables of this process a worker inherits besides those it always gets (PATH, HOME,
    /// PYTHONPATH, PYTHONHOME, VIRTUAL_ENV, CONDA_PREFIX, LANG, LANGUAGE, LC_*, TZ, TMPDIR,
    /// USER, LOGNAME, SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE). A flow's
    /// `environment_variables` reach its tools per call whatever this holds.
    std::vector<std::string> passEnvironment;
};

/// Runs promptflow python tools unchanged in separate `python3` processes, with the import
/// shim on sys.path so `from promptflow import tool` and `from promptflow.core import tool,
/// log_metric` work without promptflow installed. Workers are persistent and reused (JSON
/// lines over pipes); a call that exceeds its timeout kills its worker (a fresh one replaces
/// it). A missing interpreter fails with a clear Python error that says so.
/// Containment: a worker leads its own process group, killed as a whole when the worker is
/// stopped, together with its descendants that left the group (found by parent pid); it gets
/// SIGKILL when this runner's process dies (PR_SET_PDEATHSIG, set by the worker; workers are
/// spawned on a thread the runner owns, because Linux ties the signal to the spawning thread); and
/// it inherits only the variables listed at passEnvironment, never the secrets of unrelated
/// services in this process's environment.
///
/// Thread-safety: run() may be called from many threads at once (up to maxWorkers run in
/// parallel, the rest wait). Failure: the tool's exception type, message and traceback (with
/// the .py file and line) come back in the Error message.
class PythonRunner
{
public:
    explicit PythonRunner(PythonRunnerOptions options = {});
    ~PythonRunner();
    PythonRunner(const PythonRunner &) = delete;
    PythonRunner &operator=(const PythonRunner &) = delete;

    /// Runs one call. The secrets of its connections are redacted from its error and log.
    [[nodiscard]] Result<PythonResult> run(const PythonCall &call);

    /// Kills every running call's worker; those calls fail with Cancelled.
    void cancelAll();

    /// The default shim folder: FB_PYTHON_SHIM_DIR if set, else next to the executable
    /// (../share/flowbench/python), else the source tree's resources/python.
    [[nodiscard]] static std::filesystem::path defaultShimDir();

private:
    [[nodiscard]] Result<PythonResult> runUnredacted(const PythonCall &call);

    class Private;
    std::unique_ptr<Private> d;
};

} // namespace fb
