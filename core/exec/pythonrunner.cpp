#include <core/exec/pythonrunner.h>

#include <core/common/secretredactor.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>
#include <unordered_map>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

extern char **environ;

namespace fb {

namespace {

// --- one worker process -----------------------------------------------------------------

constexpr size_t kTailBytes = 4096;
constexpr size_t kMaxCallOutput = 1 << 20;
/// How long to wait for the rest of a dead worker's stderr (a traceback, a fatal error).
constexpr std::chrono::milliseconds kDrainAfterExit{500};
/// The worker's fds 0..3; the child ends are moved above them before posix_spawn dup2()s.
constexpr int kFirstFreeFd = 10;
constexpr int kResponseFd = 3;

void closeFd(int &fd)
{
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

/// Moves fd to a number >= kFirstFreeFd (close-on-exec), so that dup2 onto 0..3 in the child
/// never meets the same number and keeps its close-on-exec flag.
int liftFd(int fd)
{
    if (fd >= kFirstFreeFd) {
        return fd;
    }
    const int lifted = ::fcntl(fd, F_DUPFD_CLOEXEC, kFirstFreeFd);
    ::close(fd);
    return lifted;
}

void setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int remainingMs(std::chrono::steady_clock::time_point deadline)
{
    const auto left
        = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
        return 0;
    }
    return static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

std::string describeStatus(int status)
{
    if (WIFEXITED(status)) {
        return "exit code " + std::to_string(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        const char *name = ::strsignal(sig);
        return "signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : "");
    }
    return "status " + std::to_string(status);
}

/// Owns the posix_spawn attribute objects for the duration of one spawn.
class SpawnSetup
{
public:
    SpawnSetup()
    {
        ::posix_spawn_file_actions_init(&actions);
        ::posix_spawnattr_init(&attr);
    }
    ~SpawnSetup()
    {
        ::posix_spawn_file_actions_destroy(&actions);
        ::posix_spawnattr_destroy(&attr);
    }
    SpawnSetup(const SpawnSetup &) = delete;
    SpawnSetup &operator=(const SpawnSetup &) = delete;

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
};

/// What PythonWorker::spawn() starts.
struct PythonWorkerSpec
{
    std::string python;                   ///< interpreter: a name looked up on PATH, or a path
    std::filesystem::path script;         ///< flowbench_worker.py
    std::vector<std::string> environment; ///< complete "NAME=value" list for the child
    std::size_t maxOutputBytes = 0;       ///< the worker's cap of one return value
    std::size_t maxResponseBytes = 0;     ///< our cap of one response line
};

/// One persistent worker process: stdin is a socket carrying request lines, fd 3 a pipe
/// carrying response lines, fd 1 and 2 a pipe whose text is kept (per call and as a tail).
/// The child leads its own process group so that kill() also stops what the tool started.
///
/// Thread-safety: one thread drives a worker (exchange/readLine); kill() may be called from
/// any thread while the worker has not been destroyed. The destructor kills and reaps.
class PythonWorker final
{
public:
    using Clock = std::chrono::steady_clock;

    /// How a read of one response line ended.
    enum class Outcome {
        Line,     ///< a complete line arrived
        TimedOut, ///< the deadline passed first
        Exited,   ///< the worker closed its pipes (crashed, exited or was killed)
        TooLarge, ///< the response line grew past the cap without ending
    };

    struct Reply
    {
        Outcome outcome = Outcome::Exited;
        std::string line;      ///< the response line without its newline (Outcome::Line)
        std::string rawOutput; ///< what reached fd 1/2 during the exchange
    };

    ~PythonWorker();
    PythonWorker(const PythonWorker &) = delete;
    PythonWorker &operator=(const PythonWorker &) = delete;

    /// Starts the process. Fails with ErrorCode::Python when the interpreter cannot be run
    /// (with "python3 not found on PATH: ..." when it does not exist).
    [[nodiscard]] static Result<std::unique_ptr<PythonWorker>> spawn(const PythonWorkerSpec &spec);

    /// Sends `request` (one line, newline added) and waits for one response line.
    [[nodiscard]] Reply exchange(const std::string &request, Clock::time_point deadline);

    /// Waits for one line without sending anything (the worker's ready line).
    [[nodiscard]] Reply readLine(Clock::time_point deadline);

    /// SIGKILLs the worker's process group. Idempotent; safe from another thread.
    void kill();

    /// True while the process has not exited (reaps it if it has).
    [[nodiscard]] bool isAlive();

    /// Reaps the process, killing it unless it exits by itself within `grace`, and describes
    /// how it ended ("exit code 1", "signal 9 (Killed)").
    [[nodiscard]] std::string terminate(std::chrono::milliseconds grace = {});

    /// The last few kilobytes the process wrote to fd 1/2 over its whole life.
    [[nodiscard]] std::string stderrTail() const;

private:
    PythonWorker() = default;

    Reply pump(std::string pending, Clock::time_point deadline);
    void appendOutput(const char *data, size_t size, std::string *callOutput);
    void drainOutput(std::string *callOutput);
    void closeAll();

    pid_t m_pid = -1;
    std::atomic<bool> m_reaped{false}; ///< kill() reads it from other threads
    int m_status = 0;
    int m_requestFd = -1;  ///< our end of the child's stdin socket
    int m_responseFd = -1; ///< read end of the child's fd 3
    int m_outputFd = -1;   ///< read end of the child's fd 1 and 2
    std::string m_responseBuffer;
    std::size_t m_maxResponseBytes = 0;
    std::string m_tail;
};

PythonWorker::~PythonWorker()
{
    if (m_pid > 0 && !m_reaped) {
        (void)terminate();
    }
    closeAll();
}

Result<std::unique_ptr<PythonWorker>> PythonWorker::spawn(const PythonWorkerSpec &spec)
{
    int request[2] = {-1, -1};
    int response[2] = {-1, -1};
    int output[2] = {-1, -1};
    auto closeEverything = [&] {
        for (int *fd :
             {&request[0], &request[1], &response[0], &response[1], &output[0], &output[1]}) {
            closeFd(*fd);
        }
    };
    // Close-on-exec from creation: a worker spawned concurrently never inherits these.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, request) != 0
        || ::pipe2(response, O_CLOEXEC) != 0 || ::pipe2(output, O_CLOEXEC) != 0) {
        const int err = errno;
        closeEverything();
        return fail(ErrorCode::Io,
                    std::string("cannot create pipes for a python worker: ") + std::strerror(err));
    }
    request[1] = liftFd(request[1]);
    response[1] = liftFd(response[1]);
    output[1] = liftFd(output[1]);
    if (request[1] < 0 || response[1] < 0 || output[1] < 0) {
        closeEverything();
        return fail(ErrorCode::Io, "cannot arrange file descriptors for a python worker");
    }

    SpawnSetup setup;
    ::posix_spawn_file_actions_adddup2(&setup.actions, request[1], 0);
    ::posix_spawn_file_actions_adddup2(&setup.actions, output[1], 1);
    ::posix_spawn_file_actions_adddup2(&setup.actions, output[1], 2);
    ::posix_spawn_file_actions_adddup2(&setup.actions, response[1], kResponseFd);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Whatever the host process leaked without close-on-exec stays out of the worker.
    ::posix_spawn_file_actions_addclosefrom_np(&setup.actions, kResponseFd + 1);
#endif
    sigset_t mask;
    sigemptyset(&mask);
    ::posix_spawnattr_setsigmask(&setup.attr, &mask);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2}) {
        sigaddset(&defaults, sig);
    }
    ::posix_spawnattr_setsigdefault(&setup.attr, &defaults);
    ::posix_spawnattr_setpgroup(&setup.attr, 0);
    ::posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK
                                                | POSIX_SPAWN_SETSIGDEF);

    // --parent-pid: the worker sets PR_SET_PDEATHSIG itself (posix_spawn cannot) and checks
    // that this process is still its parent afterwards.
    const std::vector<std::string> args
        = {spec.python,          spec.script.string(),
           "--response-fd",      std::to_string(kResponseFd),
           "--max-output-bytes", std::to_string(spec.maxOutputBytes),
           "--parent-pid",       std::to_string(::getpid())};
    std::vector<char *> argv;
    for (const std::string &arg : args) {
        argv.push_back(const_cast<char *>(arg.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char *> envp;
    envp.reserve(spec.environment.size() + 1);
    for (const std::string &entry : spec.environment) {
        envp.push_back(const_cast<char *>(entry.c_str()));
    }
    envp.push_back(nullptr);

    const bool isPath = spec.python.find('/') != std::string::npos;
    pid_t pid = -1;
    // glibc reports exec failures (ENOENT, EACCES) as posix_spawn's return value.
    const int rc = isPath ? ::posix_spawn(&pid, spec.python.c_str(), &setup.actions, &setup.attr,
                                          argv.data(), envp.data())
                          : ::posix_spawnp(&pid, spec.python.c_str(), &setup.actions, &setup.attr,
                                           argv.data(), envp.data());
    closeFd(request[1]);
    closeFd(response[1]);
    closeFd(output[1]);
    if (rc != 0) {
        closeEverything();
        const std::string hint = ": python nodes need Python 3 (apt-get install python3)";
        if (rc == ENOENT || rc == ENOTDIR) {
            return fail(ErrorCode::Python,
                        spec.python + (isPath ? " not found" : " not found on PATH") + hint);
        }
        if (rc == EACCES) {
            return fail(ErrorCode::Python, spec.python + " is not executable" + hint);
        }
        return fail(ErrorCode::Python,
                    "cannot start " + spec.python + ": " + std::strerror(rc) + hint);
    }

    std::unique_ptr<PythonWorker> worker(new PythonWorker);
    worker->m_pid = pid;
    worker->m_requestFd = request[0];
    worker->m_responseFd = response[0];
    worker->m_outputFd = output[0];
    worker->m_maxResponseBytes = spec.maxResponseBytes;
    setNonBlocking(worker->m_requestFd);
    setNonBlocking(worker->m_responseFd);
    setNonBlocking(worker->m_outputFd);
    return worker;
}

PythonWorker::Reply PythonWorker::exchange(const std::string &request, Clock::time_point deadline)
{
    // Output written between calls (a tool's leftover thread) belongs to no call.
    drainOutput(nullptr);
    return pump(request + '\n', deadline);
}

PythonWorker::Reply PythonWorker::readLine(Clock::time_point deadline)
{
    return pump({}, deadline);
}

PythonWorker::Reply PythonWorker::pump(std::string pending, Clock::time_point deadline)
{
    Reply reply;
    size_t written = 0;
    char buffer[65536];
    for (;;) {
        const size_t newline = m_responseBuffer.find('\n');
        if (newline != std::string::npos) {
            reply.outcome = Outcome::Line;
            reply.line = m_responseBuffer.substr(0, newline);
            m_responseBuffer.erase(0, newline + 1);
            drainOutput(&reply.rawOutput);
            return reply;
        }
        if (m_responseBuffer.size() > m_maxResponseBytes) {
            // Read no further: a tool writing to fd 3 itself, or a broken worker.
            reply.outcome = Outcome::TooLarge;
            m_responseBuffer.clear();
            m_responseBuffer.shrink_to_fit();
            drainOutput(&reply.rawOutput);
            return reply;
        }
        if (m_responseFd < 0) {
            break;
        }
        pollfd fds[3];
        int count = 0;
        const int responseIndex = count;
        fds[count++] = {m_responseFd, POLLIN, 0};
        int outputIndex = -1;
        if (m_outputFd >= 0) {
            outputIndex = count;
            fds[count++] = {m_outputFd, POLLIN, 0};
        }
        int requestIndex = -1;
        if (written < pending.size() && m_requestFd >= 0) {
            requestIndex = count;
            fds[count++] = {m_requestFd, POLLOUT, 0};
        }
        const int timeout = remainingMs(deadline);
        if (timeout == 0) {
            reply.outcome = Outcome::TimedOut;
            drainOutput(&reply.rawOutput);
            return reply;
        }
        const int ready = ::poll(fds, static_cast<nfds_t>(count), timeout);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (ready == 0) {
            continue; // the deadline check above reports the timeout
        }
        if (outputIndex >= 0 && fds[outputIndex].revents != 0) {
            const ssize_t n = ::read(m_outputFd, buffer, sizeof buffer);
            if (n > 0) {
                appendOutput(buffer, static_cast<size_t>(n), &reply.rawOutput);
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                closeFd(m_outputFd);
            }
        }
        if (requestIndex >= 0 && fds[requestIndex].revents != 0) {
            const ssize_t n = ::send(m_requestFd, pending.data() + written,
                                     pending.size() - written, MSG_NOSIGNAL);
            if (n > 0) {
                written += static_cast<size_t>(n);
            } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
                break; // EPIPE / ECONNRESET: the worker is gone
            }
        }
        if (fds[responseIndex].revents != 0) {
            const ssize_t n = ::read(m_responseFd, buffer, sizeof buffer);
            if (n > 0) {
                m_responseBuffer.append(buffer, static_cast<size_t>(n));
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                closeFd(m_responseFd);
            }
        }
    }
    // The worker died: collect the rest of what it wrote (a traceback, a fatal error) briefly.
    const auto drainDeadline = Clock::now() + kDrainAfterExit;
    while (m_outputFd >= 0) {
        pollfd fd{m_outputFd, POLLIN, 0};
        const int timeout = remainingMs(drainDeadline);
        if (timeout == 0 || ::poll(&fd, 1, timeout) <= 0) {
            break;
        }
        const ssize_t n = ::read(m_outputFd, buffer, sizeof buffer);
        if (n <= 0) {
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                continue;
            }
            closeFd(m_outputFd);
            break;
        }
        appendOutput(buffer, static_cast<size_t>(n), &reply.rawOutput);
    }
    reply.outcome = Outcome::Exited;
    return reply;
}

void PythonWorker::appendOutput(const char *data, size_t size, std::string *callOutput)
{
    if (callOutput && callOutput->size() < kMaxCallOutput) {
        callOutput->append(data, std::min(size, kMaxCallOutput - callOutput->size()));
    }
    m_tail.append(data, size);
    if (m_tail.size() > kTailBytes) {
        m_tail.erase(0, m_tail.size() - kTailBytes);
    }
}

void PythonWorker::drainOutput(std::string *callOutput)
{
    char buffer[65536];
    while (m_outputFd >= 0) {
        const ssize_t n = ::read(m_outputFd, buffer, sizeof buffer);
        if (n > 0) {
            appendOutput(buffer, static_cast<size_t>(n), callOutput);
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            closeFd(m_outputFd);
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        break;
    }
}

/// Every process descended from `root` by parent pid, as /proc shows them now (a tool's
/// children that left the worker's process group, e.g. with start_new_session, included).
std::vector<pid_t> descendantsOf(pid_t root)
{
    std::unordered_multimap<pid_t, pid_t> children;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::ifstream stat(entry.path() / "stat");
        std::string text;
        std::getline(stat, text);
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const std::size_t close = text.rfind(')');
        if (close == std::string::npos) {
            continue;
        }
        std::istringstream rest(text.substr(close + 1));
        char state = 0;
        long ppid = 0;
        if (rest >> state >> ppid) {
            children.emplace(pid_t(ppid), pid_t(std::stol(name)));
        }
    }
    std::vector<pid_t> found;
    std::vector<pid_t> todo{root};
    while (!todo.empty()) {
        const pid_t parent = todo.back();
        todo.pop_back();
        const auto [begin, end] = children.equal_range(parent);
        for (auto it = begin; it != end; ++it) {
            found.push_back(it->second);
            todo.push_back(it->second);
        }
    }
    return found;
}

void PythonWorker::kill()
{
    if (m_pid > 0 && !m_reaped) {
        // Children that left the worker's group (a new session) are found by parent pid while
        // the worker still lives; stopped first, so none forks between the look and the kill.
        for (pid_t child : descendantsOf(m_pid)) {
            ::kill(child, SIGSTOP);
        }
        for (pid_t child : descendantsOf(m_pid)) {
            ::kill(child, SIGKILL);
        }
        // The worker leads its own group: this also stops processes the tool started.
        ::kill(-m_pid, SIGKILL);
        ::kill(m_pid, SIGKILL);
    }
}

bool PythonWorker::isAlive()
{
    if (m_pid <= 0 || m_reaped) {
        return false;
    }
    int status = 0;
    const pid_t rc = ::waitpid(m_pid, &status, WNOHANG);
    if (rc == 0) {
        return m_responseFd >= 0 && m_requestFd >= 0;
    }
    m_reaped = true;
    m_status = status;
    return false;
}

std::string PythonWorker::terminate(std::chrono::milliseconds grace)
{
    if (m_pid <= 0) {
        return "not started";
    }
    if (!m_reaped) {
        // A worker that is exiting on its own gets `grace` to finish, so that its own exit
        // status is reported rather than our SIGKILL.
        int status = 0;
        pid_t rc = ::waitpid(m_pid, &status, WNOHANG);
        const auto graceEnd = Clock::now() + grace;
        while (rc == 0 && Clock::now() < graceEnd) {
            const timespec pause{0, 2'000'000};
            ::nanosleep(&pause, nullptr);
            rc = ::waitpid(m_pid, &status, WNOHANG);
        }
        if (rc == 0) {
            kill();
            do {
                rc = ::waitpid(m_pid, &status, 0);
            } while (rc < 0 && errno == EINTR);
        }
        m_reaped = true;
        m_status = rc == m_pid ? status : 0;
        if (rc != m_pid) {
            closeAll();
            return "exit status unknown";
        }
    }
    closeAll();
    return describeStatus(m_status);
}

std::string PythonWorker::stderrTail() const { return m_tail; }

void PythonWorker::closeAll()
{
    closeFd(m_requestFd);
    closeFd(m_responseFd);
    closeFd(m_outputFd);
}

// --- the pool ----------------------------------------------------------------------------

constexpr const char *kWorkerScript = "flowbench_worker.py";
/// Starting an interpreter is not the tool's time: it has its own, generous, limit.
constexpr std::chrono::seconds kStartupTimeout{30};
constexpr size_t kMaxLogInError = 2000;
constexpr size_t kLogAllowance = size_t(8) << 20;

/// "2 s" or "1500 ms": how a user wrote a timeout, more or less.
std::string formatDuration(std::chrono::milliseconds duration)
{
    const long long ms = duration.count();
    if (ms % 1000 == 0) {
        return std::to_string(ms / 1000) + " s";
    }
    return std::to_string(ms) + " ms";
}

/// The deadline of a call: a non-positive timeout means none (30 days), and huge values are
/// clamped so that the time_point arithmetic cannot overflow.
PythonWorker::Clock::time_point deadlineAfter(std::chrono::milliseconds timeout)
{
    constexpr std::chrono::milliseconds kLongest = std::chrono::hours(24 * 30);
    if (timeout.count() <= 0 || timeout > kLongest) {
        timeout = kLongest;
    }
    return PythonWorker::Clock::now() + timeout;
}

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

std::string lastChars(const std::string &text, size_t count)
{
    if (text.size() <= count) {
        return text;
    }
    return "..." + text.substr(text.size() - count);
}

/// What an interpreter needs from our environment: where programs and packages are, the
/// home and temporary folders, the locale, the time zone, the CA certificates.
bool interpreterNeeds(const std::string &name)
{
    static const char *const names[] = {"PATH",         "HOME",
                                        "PYTHONHOME",   "VIRTUAL_ENV",
                                        "CONDA_PREFIX", "LANG",
                                        "LANGUAGE",     "TZ",
                                        "TMPDIR",       "USER",
                                        "LOGNAME",      "SSL_CERT_FILE",
                                        "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE"};
    return name.rfind("LC_", 0) == 0
           || std::find(std::begin(names), std::end(names), name) != std::end(names);
}

/// The worker's environment: only what the interpreter needs and what the caller passes
/// (never every variable of this process: those hold other services' secrets), the shim
/// first on PYTHONPATH, no bytecode files in flow folders, unbuffered output.
std::vector<std::string> workerEnvironment(const std::filesystem::path &shimDir,
                                           const std::vector<std::string> &pass)
{
    static std::mutex environMutex;
    std::vector<std::string> result;
    std::string pythonPath;
    {
        std::lock_guard lock(environMutex);
        for (char **entry = environ; entry && *entry; ++entry) {
            std::string item(*entry);
            const std::string name = item.substr(0, item.find('='));
            if (name == "PYTHONPATH") {
                pythonPath = item.substr(name.size() + 1);
            } else if (interpreterNeeds(name)
                       || std::find(pass.begin(), pass.end(), name) != pass.end()) {
                result.push_back(std::move(item));
            }
        }
    }
    result.push_back("PYTHONPATH=" + shimDir.string()
                     + (pythonPath.empty() ? std::string() : ":" + pythonPath));
    result.emplace_back("PYTHONDONTWRITEBYTECODE=1");
    result.emplace_back("PYTHONUNBUFFERED=1");
    return result;
}

std::string fileLabel(const PythonCall &call) { return call.file.string(); }

/// Turns the worker's error object into one message: "file:line: Type: message", then the
/// traceback, then the tail of what the tool printed.
Error toolError(const PythonCall &call, const Value &error, const std::string &log)
{
    const auto text = [&](const char *key) {
        const auto it = error.find(key);
        return it != error.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string type = text("type");
    const std::string location = text("location");
    std::string message = text("message");
    const std::string traceback = trimmed(text("traceback"));
    std::string result;
    const std::string where = location.empty() ? fileLabel(call) : location;
    if (message.rfind(where, 0) == 0) {
        result = message; // the worker already named the file
    } else {
        result = where + ": ";
        if (!type.empty() && type != "ToolError") {
            result += type + ": ";
        }
        result += message;
    }
    if (!traceback.empty()) {
        result += "\n" + traceback;
    }
    const std::string printed = trimmed(log);
    if (!printed.empty()) {
        result += "\noutput before the error:\n" + lastChars(printed, kMaxLogInError);
    }
    return Error(ErrorCode::Python, std::move(result));
}

/// A run() in progress, visible to cancelAll().
struct ActiveCall
{
    PythonWorker *worker = nullptr;
    bool cancelled = false;
};

} // namespace

class PythonRunner::Private
{
public:
    explicit Private(PythonRunnerOptions opts)
        : options(std::move(opts))
        , spawner([this](std::stop_token stop) { runSpawner(stop); })
    {
        if (options.shimDir.empty()) {
            options.shimDir = PythonRunner::defaultShimDir();
        }
        if (options.maxWorkers < 1) {
            options.maxWorkers = 1;
        }
        if (options.python.empty()) {
            options.python = "python3";
        }
    }

    ~Private()
    {
        {
            // Under the lock, so the spawner cannot miss the stop between test and wait.
            std::lock_guard lock(spawnMutex);
            spawner.request_stop();
        }
        spawnCv.notify_all();
    }

    Result<std::unique_ptr<PythonWorker>> startWorker(ActiveCall &active);
    Result<std::unique_ptr<PythonWorker>> spawnOnSpawner(const PythonWorkerSpec &spec);
    void runSpawner(std::stop_token stop);
    void release(std::unique_ptr<PythonWorker> worker);
    void discard(std::unique_ptr<PythonWorker> worker, ActiveCall *active, int slots);
    Result<PythonResult> finish(const PythonCall &call, const PythonWorker::Reply &reply,
                                std::unique_ptr<PythonWorker> &worker);

    PythonRunnerOptions options;
    std::mutex mutex;
    std::condition_variable available;
    std::vector<std::unique_ptr<PythonWorker>> idle; // guarded by mutex
    std::vector<ActiveCall *> active;                // guarded by mutex
    int slotsInUse = 0;           // idle + running + starting workers; guarded by mutex
    std::uint64_t generation = 0; // bumped by cancelAll(); guarded by mutex

    // Workers are spawned on this thread only: Linux sends PR_SET_PDEATHSIG when the thread
    // that spawned a process ends, and run()'s callers may be short-lived threads.
    std::mutex spawnMutex;
    std::condition_variable spawnCv;
    std::deque<std::function<void()>> spawnJobs; // guarded by spawnMutex
    std::jthread spawner;                        // last: started once the rest exists
};

void PythonRunner::Private::runSpawner(std::stop_token stop)
{
    std::unique_lock lock(spawnMutex);
    for (;;) {
        spawnCv.wait(lock, [&] { return stop.stop_requested() || !spawnJobs.empty(); });
        if (spawnJobs.empty()) {
            return; // stop requested; every job was run
        }
        auto job = std::move(spawnJobs.front());
        spawnJobs.pop_front();
        lock.unlock();
        job();
        lock.lock();
    }
}

Result<std::unique_ptr<PythonWorker>>
PythonRunner::Private::spawnOnSpawner(const PythonWorkerSpec &spec)
{
    std::promise<Result<std::unique_ptr<PythonWorker>>> promise;
    auto future = promise.get_future();
    {
        std::lock_guard lock(spawnMutex);
        spawnJobs.emplace_back([&] { promise.set_value(PythonWorker::spawn(spec)); });
    }
    spawnCv.notify_one();
    return future.get();
}

PythonRunner::PythonRunner(PythonRunnerOptions options)
    : d(std::make_unique<Private>(std::move(options)))
{
}

PythonRunner::~PythonRunner()
{
    std::vector<std::unique_ptr<PythonWorker>> idle;
    {
        std::lock_guard lock(d->mutex);
        assert(d->active.empty() && "PythonRunner destroyed while run() is in progress");
        idle.swap(d->idle);
    }
    for (auto &worker : idle) {
        worker->kill();
    }
    idle.clear(); // reaps
}

std::filesystem::path PythonRunner::defaultShimDir()
{
    if (const char *env = std::getenv("FB_PYTHON_SHIM_DIR"); env && *env) {
        return env;
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed
            = (exe.parent_path() / ".." / "share" / "flowbench" / "python").lexically_normal();
        if (std::filesystem::is_directory(installed, ec)) {
            return installed;
        }
    }
#ifdef FB_SOURCE_PYTHON_DIR
    return FB_SOURCE_PYTHON_DIR;
#else
    return {};
#endif
}

Result<std::unique_ptr<PythonWorker>> PythonRunner::Private::startWorker(ActiveCall &activeCall)
{
    PythonWorkerSpec spec;
    spec.python = options.python;
    spec.script = options.shimDir / kWorkerScript;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(spec.script, ec)) {
        return fail(ErrorCode::Python,
                    "Flowbench's python worker script is missing: " + spec.script.string()
                        + " (set FB_PYTHON_SHIM_DIR to the folder holding "
                          "flowbench_worker.py and the promptflow shim)");
    }
    spec.environment = workerEnvironment(options.shimDir, options.passEnvironment);
    spec.maxOutputBytes = options.maxOutputBytes;
    // Room for the call's log (1 Mi characters, JSON-escaped) and the envelope.
    spec.maxResponseBytes = options.maxOutputBytes + kLogAllowance;
    auto spawned = spawnOnSpawner(spec);
    if (!spawned) {
        return std::move(spawned).error();
    }
    std::unique_ptr<PythonWorker> worker = std::move(*spawned);
    {
        std::lock_guard lock(mutex);
        activeCall.worker = worker.get();
    }
    const auto ready = worker->readLine(PythonWorker::Clock::now() + kStartupTimeout);
    {
        std::lock_guard lock(mutex);
        activeCall.worker = nullptr;
        if (activeCall.cancelled) {
            return fail(ErrorCode::Cancelled, "python worker start was cancelled");
        }
    }
    if (ready.outcome == PythonWorker::Outcome::Line) {
        const Value hello = Value::parse(ready.line, nullptr, false);
        if (hello.is_object() && hello.value("ready", false)) {
            return worker;
        }
    }
    const std::string how
        = ready.outcome == PythonWorker::Outcome::TimedOut
              ? "did not start within " + formatDuration(kStartupTimeout)
              : "failed to start (" + worker->terminate(std::chrono::milliseconds{200}) + ")";
    return fail(ErrorCode::Python, "python worker (" + options.python + " " + kWorkerScript + ") "
                                       + how + "; python nodes need Python 3; output:\n"
                                       + trimmed(worker->stderrTail()));
}

void PythonRunner::Private::release(std::unique_ptr<PythonWorker> worker)
{
    std::lock_guard lock(mutex);
    idle.push_back(std::move(worker));
    available.notify_one();
}

void PythonRunner::Private::discard(std::unique_ptr<PythonWorker> worker, ActiveCall *activeCall,
                                    int slots)
{
    worker.reset(); // kills and reaps outside the lock
    std::lock_guard lock(mutex);
    slotsInUse -= slots;
    if (activeCall) {
        std::erase(active, activeCall);
    }
    available.notify_one();
}

Result<PythonResult> PythonRunner::run(const PythonCall &call)
{
    auto result = runUnredacted(call);
    SecretRedactor redactor;
    if (call.connections.is_object()) {
        for (const auto &[name, connection] : call.connections.items()) {
            if (const auto it = connection.find("secrets"); it != connection.end()) {
                redactor.addAll(*it);
            }
        }
    }
    if (redactor.isEmpty()) {
        return result;
    }
    if (!result) {
        Error error = std::move(result).error();
        redactor.redact(error.message);
        return error;
    }
    redactor.redact(result->log);
    return result;
}

Result<PythonResult> PythonRunner::runUnredacted(const PythonCall &call)
{
    if (call.file.empty()) {
        return fail(ErrorCode::InvalidArgument, "python call without a file");
    }
    std::error_code ec;
    const std::filesystem::path file = std::filesystem::absolute(call.file, ec);
    const std::filesystem::path cwd = call.workingDir.empty()
                                          ? file.parent_path()
                                          : std::filesystem::absolute(call.workingDir, ec);

    Value request = Value::object();
    request["file"] = file.string();
    request["inputs"] = call.inputs.is_object() ? call.inputs : Value::object();
    request["literal_inputs"] = call.literalInputs;
    request["aggregation"] = call.aggregation;
    request["cwd"] = cwd.string();
    request["env"] = call.environment;
    request["connections"] = call.connections.is_object() ? call.connections : Value::object();
    // Invalid UTF-8 in an input is replaced rather than thrown on.
    const std::string line = request.dump(-1, ' ', false, Value::error_handler_t::replace);

    ActiveCall activeCall;
    std::unique_ptr<PythonWorker> worker;
    bool needStart = false;
    {
        std::unique_lock lock(d->mutex);
        const std::uint64_t generation = d->generation;
        for (;;) {
            if (d->generation != generation) {
                return fail(ErrorCode::Cancelled,
                            "python tool " + fileLabel(call) + " was cancelled");
            }
            if (!d->idle.empty()) {
                worker = std::move(d->idle.back());
                d->idle.pop_back();
                break;
            }
            if (d->slotsInUse < d->options.maxWorkers) {
                ++d->slotsInUse;
                needStart = true;
                break;
            }
            d->available.wait(lock);
        }
        d->active.push_back(&activeCall);
    }
    // An idle worker may have died (a tool's thread called os._exit): replace it.
    if (worker && !worker->isAlive()) {
        worker.reset();
        needStart = true;
    }
    if (needStart) {
        auto started = d->startWorker(activeCall);
        if (!started) {
            d->discard(nullptr, &activeCall, 1);
            return std::move(started).error();
        }
        worker = std::move(*started);
    }

    {
        std::lock_guard lock(d->mutex);
        if (activeCall.cancelled) {
            std::erase(d->active, &activeCall);
            d->idle.push_back(std::move(worker));
            d->available.notify_one();
            return fail(ErrorCode::Cancelled, "python tool " + fileLabel(call) + " was cancelled");
        }
        activeCall.worker = worker.get();
    }
    const auto reply = worker->exchange(line, deadlineAfter(call.timeout));
    bool cancelled = false;
    {
        std::lock_guard lock(d->mutex);
        activeCall.worker = nullptr;
        cancelled = activeCall.cancelled;
    }

    if (cancelled) {
        d->discard(std::move(worker), &activeCall, 1);
        return fail(ErrorCode::Cancelled, "python tool " + fileLabel(call) + " was cancelled");
    }
    if (reply.outcome == PythonWorker::Outcome::TimedOut) {
        d->discard(std::move(worker), &activeCall, 1);
        return fail(ErrorCode::Timeout, "python tool " + fileLabel(call) + " timed out after "
                                            + formatDuration(call.timeout)
                                            + " (its worker process was stopped)");
    }
    if (reply.outcome == PythonWorker::Outcome::TooLarge) {
        d->discard(std::move(worker), &activeCall, 1);
        return fail(ErrorCode::Python,
                    "python tool " + fileLabel(call) + ": its response exceeds the cap of "
                        + std::to_string(d->options.maxOutputBytes + kLogAllowance)
                        + " bytes (max output bytes plus the log); its worker process was "
                          "stopped");
    }
    if (reply.outcome == PythonWorker::Outcome::Exited) {
        const std::string how = worker->terminate(std::chrono::milliseconds{200});
        const std::string tail = trimmed(worker->stderrTail());
        d->discard(std::move(worker), &activeCall, 1);
        return fail(ErrorCode::Python,
                    "python worker running " + fileLabel(call) + " exited unexpectedly (" + how
                        + ")" + (tail.empty() ? std::string() : "; its last output:\n" + tail));
    }

    auto result = d->finish(call, reply, worker);
    if (worker) {
        {
            std::lock_guard lock(d->mutex);
            std::erase(d->active, &activeCall);
        }
        d->release(std::move(worker));
    } else {
        d->discard(nullptr, &activeCall, 1);
    }
    return result;
}

Result<PythonResult> PythonRunner::Private::finish(const PythonCall &call,
                                                   const PythonWorker::Reply &reply,
                                                   std::unique_ptr<PythonWorker> &worker)
{
    const Value response = Value::parse(reply.line, nullptr, false);
    if (!response.is_object()) {
        // The stream is out of step: this worker cannot be trusted with another call.
        worker.reset();
        return fail(ErrorCode::Python,
                    "python worker running " + fileLabel(call)
                        + " sent an unreadable response: " + lastChars(reply.line, 200));
    }
    std::string log;
    if (const auto it = response.find("log"); it != response.end() && it->is_string()) {
        log = it->get<std::string>();
    }
    if (!reply.rawOutput.empty()) {
        if (!log.empty() && log.back() != '\n') {
            log += '\n';
        }
        log += reply.rawOutput;
    }
    if (!response.value("ok", false)) {
        const auto it = response.find("error");
        return toolError(call, it != response.end() && it->is_object() ? *it : Value::object(),
                         log);
    }
    PythonResult result;
    if (const auto it = response.find("output"); it != response.end()) {
        result.output = *it;
    }
    if (const auto it = response.find("metrics"); it != response.end() && it->is_object()) {
        for (const auto &[key, value] : it->items()) {
            if (value.is_number()) {
                result.metrics[key] = value.get<double>();
            }
        }
    }
    result.log = std::move(log);
    return result;
}

void PythonRunner::cancelAll()
{
    std::lock_guard lock(d->mutex);
    ++d->generation;
    for (ActiveCall *call : d->active) {
        call->cancelled = true;
        if (call->worker) {
            call->worker->kill();
        }
    }
    d->available.notify_all();
}

} // namespace fb
