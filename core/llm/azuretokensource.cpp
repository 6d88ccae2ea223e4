#include <core/llm/azuretokensource.h>

#include <core/llm/connection.h>
#include <core/llm/llmprotocol.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace fb {

namespace {

std::string trimmed(std::string s)
{
    const auto isSpace = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (!s.empty() && isSpace(s.back())) {
        s.pop_back();
    }
    std::size_t start = 0;
    while (start < s.size() && isSpace(s[start])) {
        ++start;
    }
    return s.substr(start);
}

/// Closes the descriptors it holds on scope exit.
class Fds
{
public:
    ~Fds()
    {
        for (int &fd : fds) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }
    void close(int &fd)
    {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
    int fds[4] = {-1, -1, -1, -1}; // out read, out write, err read, err write
};

} // namespace

AzureTokenSource::AzureTokenSource(std::string envName, std::string command, long timeoutMs,
                                   EnvLookup env)
    : m_envName(std::move(envName))
    , m_command(std::move(command))
    , m_timeoutMs(timeoutMs)
    , m_env(env ? std::move(env) : EnvLookup([](const char *name) {
        return static_cast<const char *>(std::getenv(name));
    }))
{
}

std::string AzureTokenSource::envNameFor(const Connection &connection)
{
    return connection.value("token_env", "AZURE_OPENAI_AD_TOKEN");
}

std::string AzureTokenSource::commandFor(const Connection &connection)
{
    return connection.value("token_command");
}

std::string AzureTokenSource::authorizationHeader(const std::string &token)
{
    return "Authorization: Bearer " + token;
}

std::string AzureTokenSource::cached() const
{
    std::lock_guard lock(m_mutex);
    return m_token;
}

Result<std::string> AzureTokenSource::fetch()
{
    std::lock_guard fetchLock(m_fetchMutex);
    std::string rejected;
    {
        std::lock_guard lock(m_mutex);
        if (!m_token.empty()) {
            return m_token;
        }
        rejected = m_rejected;
    }
    std::string token;
    const char *fromEnv = m_envName.empty() ? nullptr : m_env(m_envName.c_str());
    const bool envUsable = fromEnv && *fromEnv && rejected != fromEnv;
    if (envUsable) {
        token = trimmed(fromEnv);
    } else if (!m_command.empty()) {
        auto out = runCommand(m_command, m_timeoutMs);
        if (!out) {
            return std::move(out).error();
        }
        token = std::move(*out);
    } else if (fromEnv && *fromEnv) {
        return fail(ErrorCode::Http, "the Entra ID token in " + m_envName
                                         + " was rejected (401); refresh it or configure "
                                           "token_command");
    } else {
        return fail(ErrorCode::InvalidArgument,
                    "auth_mode meid_token needs a bearer token: set the environment variable "
                        + m_envName + " or the connection config token_command");
    }
    std::lock_guard lock(m_mutex);
    m_token = token;
    return token;
}

void AzureTokenSource::invalidate(const std::string &token)
{
    std::lock_guard lock(m_mutex);
    if (m_token == token) {
        m_token.clear();
    }
    m_rejected = token;
}

Result<std::string> AzureTokenSource::runCommand(const std::string &command, long timeoutMs)
{
    Fds p;
    if (::pipe2(p.fds, O_CLOEXEC) != 0 || ::pipe2(p.fds + 2, O_CLOEXEC) != 0) {
        return fail(ErrorCode::Io,
                    std::string("token_command: pipe failed: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, p.fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, p.fds[3], 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    // Own process group, so a timeout kills the shell and whatever it started.
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK
                                        | POSIX_SPAWN_SETSIGDEF);
    const char *argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = -1;
    const int rc
        = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char **>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        return fail(ErrorCode::Io,
                    std::string("token_command: cannot start /bin/sh: ") + std::strerror(rc));
    }
    p.close(p.fds[1]);
    p.close(p.fds[3]);

    std::string out;
    std::string err;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    bool timedOut = false;
    while (p.fds[0] >= 0 || p.fds[2] >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            timedOut = true;
            break;
        }
        pollfd fds[2] = {{p.fds[0], POLLIN, 0}, {p.fds[2], POLLIN, 0}};
        const int n = ::poll(fds, 2, int(std::min<long long>(left, 1000)));
        if (n < 0 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < 2 && n > 0; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            char buf[4096];
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                std::string &into = i == 0 ? out : err;
                if (into.size() < (1 << 20)) {
                    into.append(buf, std::size_t(got));
                }
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                p.close(p.fds[i * 2]);
            }
        }
    }
    if (timedOut) {
        ::kill(-pid, SIGKILL);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut) {
        return fail(ErrorCode::Timeout,
                    "token_command did not finish within " + std::to_string(timeoutMs) + " ms");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string why = WIFEXITED(status)
                                    ? "exit status " + std::to_string(WEXITSTATUS(status))
                                    : "killed by signal " + std::to_string(WTERMSIG(status));
        return fail(ErrorCode::Provider,
                    "token_command failed (" + why + "): " + LlmProtocol::excerpt(trimmed(err)));
    }
    out = trimmed(std::move(out));
    if (out.empty()) {
        return fail(ErrorCode::Provider, "token_command printed no token");
    }
    return out;
}

} // namespace fb
