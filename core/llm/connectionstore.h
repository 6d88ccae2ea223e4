#pragma once

#include <core/common/result.h>
#include <core/common/secretredactor.h>
#include <core/llm/connection.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace fb {

/// The connections a run may use, read from promptflow connection YAML files
/// (`name`, `type`, and type-specific fields; `configs`/`secrets` for custom).
/// Resolution, applied when a connection is added: `${env:VAR}` values are read from the
/// environment; then any field can be overridden by the environment variable
/// `<NAME>_<KEY>` (upper case, non-alphanumerics as '_'), as promptflow's serving does.
/// Missing ${env:VAR} is an error naming the file, line and field.
///
/// Thread-safety: build on one thread, then read concurrently.
class ConnectionStore
{
public:
    /// Environment lookup, replaceable for tests; defaults to ::getenv.
    using EnvLookup = std::function<const char *(const char *)>;

    ConnectionStore();
    explicit ConnectionStore(EnvLookup env);

    /// Loads one YAML file holding one connection.
    [[nodiscard]] Result<void> loadFile(const std::filesystem::path &file);
    /// Loads every *.yaml / *.yml file in a folder (not recursive).
    [[nodiscard]] Result<void> loadDirectory(const std::filesystem::path &dir);
    /// Adds (or replaces) a connection given in code; resolution rules apply.
    [[nodiscard]] Result<void> add(Connection connection);
    /// Forgets every connection (a new set replaces the old one, nothing carries over).
    void clear() { m_connections.clear(); }

    [[nodiscard]] const Connection *find(const std::string &name) const;
    [[nodiscard]] std::vector<std::string> names() const;
    /// A redactor holding every secret value of these connections.
    [[nodiscard]] SecretRedactor secretRedactor() const;

private:
    EnvLookup m_env;
    std::map<std::string, Connection> m_connections;
};

} // namespace fb
