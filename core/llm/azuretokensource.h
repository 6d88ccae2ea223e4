#pragma once

#include <core/common/result.h>

#include <functional>
#include <mutex>
#include <string>

namespace fb {

struct Connection;

/// Microsoft Entra ID bearer tokens for Azure OpenAI (`auth_mode: meid_token`), read from an
/// environment variable (config `token_env`, default AZURE_OPENAI_AD_TOKEN) or printed by a
/// command (config `token_command`, e.g. `az account get-access-token --resource
/// https://cognitiveservices.azure.com --query accessToken -o tsv`) run with /bin/sh via
/// posix_spawn, in its own process group, killed after a timeout. The token is cached until
/// the server rejects it (invalidate()). Tokens are never logged or put into messages.
///
/// Thread-safety: all methods may be called from any thread; fetch() serialises fetches, so
/// many waiting calls share one command run.
class AzureTokenSource
{
public:
    using EnvLookup = std::function<const char *(const char *)>;

    AzureTokenSource(std::string envName, std::string command, long timeoutMs, EnvLookup env = {});

    /// The variable a connection reads its token from: `token_env`, default
    /// AZURE_OPENAI_AD_TOKEN.
    [[nodiscard]] static std::string envNameFor(const Connection &connection);
    /// The command a connection runs for its token: `token_command` (empty when unset).
    [[nodiscard]] static std::string commandFor(const Connection &connection);
    /// The request header that carries `token`: "Authorization: Bearer <token>".
    [[nodiscard]] static std::string authorizationHeader(const std::string &token);

    /// The cached token, or an empty string when a fetch is needed. Never blocks on a fetch.
    [[nodiscard]] std::string cached() const;
    /// Returns the cached token or obtains a new one: the environment variable when it is
    /// set and differs from a rejected token, else the command. May block up to the timeout.
    [[nodiscard]] Result<std::string> fetch();
    /// The server rejected `token` (401): forget it so the next fetch() gets a fresh one.
    void invalidate(const std::string &token);

    /// Runs `command` with /bin/sh -c and returns its trimmed standard output; fails on a
    /// non-zero exit (with its trimmed standard error), on empty output or on the timeout.
    [[nodiscard]] static Result<std::string> runCommand(const std::string &command, long timeoutMs);

private:
    std::string m_envName;
    std::string m_command;
    long m_timeoutMs;
    EnvLookup m_env;
    mutable std::mutex m_mutex;
    std::mutex m_fetchMutex; // held for a whole fetch (single flight)
    std::string m_token;     // guarded by m_mutex
    std::string m_rejected;  // guarded by m_mutex
};

} // namespace fb
