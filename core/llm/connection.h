#pragma once

#include <map>
#include <string>

namespace fb {

/// Kind of endpoint a connection reaches; decides the wire protocol.
enum class ConnectionType {
    OpenAi,      ///< open_ai: api.openai.com or any OpenAI-compatible base_url (vLLM, Ollama, ...)
    AzureOpenAi, ///< azure_open_ai: api-key or Entra ID bearer token
    Serverless,  ///< serverless: OpenAI-compatible api_base + key
    Anthropic,   ///< anthropic: Messages API (Flowbench extension of the format)
    Custom,      ///< custom: configs + secrets, for python tools only
};

[[nodiscard]] const char *connectionTypeName(ConnectionType type); ///< "open_ai", ...

/// A named set of endpoint settings, as in promptflow's connection YAML. Values have already
/// had ${env:VAR} and <NAME>_<KEY> overrides applied by ConnectionStore. Secrets live only in
/// memory: nothing in core writes them to disk.
struct Connection
{
    std::string name;
    ConnectionType type = ConnectionType::OpenAi;
    std::map<std::string, std::string> configs; ///< api_base, base_url, api_version, auth_mode, ...
    std::map<std::string, std::string> secrets; ///< api_key, ...

    /// A config or secret value, or `fallback` when absent or empty.
    [[nodiscard]] std::string value(const std::string &key, const std::string &fallback = {}) const;
};

} // namespace fb
