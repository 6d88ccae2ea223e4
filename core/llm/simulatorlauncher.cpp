#include <core/llm/simulatorlauncher.h>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>

extern char **environ;

namespace fb {

SimulatorLauncher::~SimulatorLauncher() { stop(); }

std::string SimulatorLauncher::executable()
{
    if (const char *env = std::getenv("FLOWBENCH_SIM"); env && *env) {
        return env;
    }
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto dir = self.parent_path();
        for (const auto &candidate :
             {dir / "flowbench-sim", dir / ".." / "flowbench-sim" / "flowbench-sim",
              dir / ".." / "app" / "flowbench-sim" / "flowbench-sim",
              dir / ".." / ".." / "app" / "flowbench-sim" / "flowbench-sim"}) {
            if (::access(candidate.c_str(), X_OK) == 0) {
                return std::filesystem::weakly_canonical(candidate, ec).string();
            }
        }
    }
    return "flowbench-sim";
}

Result<void> SimulatorLauncher::start(const std::vector<std::string> &args, int timeoutMs)
{
    stop();
    const std::string program = executable();
    std::vector<std::string> argv = {program, "--host", "127.0.0.1", "--port", "0", "--quiet"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char *> cargv;
    for (auto &a : argv) {
        cargv.push_back(a.data());
    }
    cargv.push_back(nullptr);

    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0) {
        return fail(ErrorCode::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
    // The simulator stops by itself if this process dies without stopping it.
    std::vector<char *> envp;
    std::string exitWithParent = "FLOWBENCH_SIM_EXIT_WITH_PARENT=1";
    for (char **e = environ; *e; ++e) {
        envp.push_back(*e);
    }
    envp.push_back(exitWithParent.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc
        = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, cargv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipefd[1]);
    if (rc != 0) {
        ::close(pipefd[0]);
        return fail(ErrorCode::NotFound, "cannot start the simulator '" + program
                                             + "': " + std::strerror(rc)
                                             + " (build it, or set FLOWBENCH_SIM to its path)");
    }
    m_pid = pid;
    m_stdout = pipefd[0];

    std::string seen;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            stop();
            return fail(ErrorCode::Timeout, "the simulator did not report its port within "
                                                + std::to_string(timeoutMs) + " ms");
        }
        pollfd p{m_stdout, POLLIN, 0};
        const int n = ::poll(&p, 1, int(left));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        char buf[512];
        const ssize_t got = n > 0 ? ::read(m_stdout, buf, sizeof buf) : 0;
        if (n > 0 && got <= 0) {
            int status = 0;
            ::waitpid(m_pid, &status, 0);
            m_pid = -1;
            ::close(m_stdout);
            m_stdout = -1;
            return fail(ErrorCode::Internal,
                        "the simulator exited before listening (exit status "
                            + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1)
                            + "); run '" + program + " --help' to check its options");
        }
        if (got > 0) {
            seen.append(buf, std::size_t(got));
        }
        const auto pos = seen.find("listening ");
        if (pos != std::string::npos) {
            const auto end = seen.find('\n', pos);
            if (end != std::string::npos) {
                m_baseUrl = seen.substr(pos + 10, end - pos - 10);
                while (!m_baseUrl.empty()
                       && (m_baseUrl.back() == '\r' || m_baseUrl.back() == ' ')) {
                    m_baseUrl.pop_back();
                }
                return {};
            }
        }
    }
}

void SimulatorLauncher::stop()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
                m_pid = -1;
                break;
            }
            ::usleep(20000);
        }
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
            m_pid = -1;
        }
    }
    if (m_stdout >= 0) {
        ::close(m_stdout);
        m_stdout = -1;
    }
    m_baseUrl.clear();
}

} // namespace fb
