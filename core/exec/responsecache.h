#pragma once

#include <core/llm/connection.h>
#include <core/llm/llmtypes.h>

#include <optional>
#include <string>

namespace fb {

/// Where llm nodes with `enable_cache: true` (or every llm node, when a run asks for it) look
/// for an earlier identical request's response before calling the model.
///
/// The key is exact: a SHA-256 over a canonical form of the request (connection name, type and
/// endpoint configs — or the config `cache_identity` when the connection sets one; api; model; messages or prompt; every API parameter with keys sorted) —
/// any difference is a different key. Secrets are not part of it. Implementations decide
/// storage and expiry (TTL) and count hits and misses. Thread-safe.
class ResponseCache
{
public:
    virtual ~ResponseCache();

    /// The cached response for `key`, if present and fresh; counts a hit or a miss.
    [[nodiscard]] virtual std::optional<LlmResponse> find(const std::string &key) = 0;
    /// Remembers a successful response.
    virtual void store(const std::string &key, const LlmResponse &response) = 0;

    /// The exact key of a request on a connection (hex SHA-256).
    [[nodiscard]] static std::string keyFor(const Connection &connection,
                                            const LlmRequest &request);
    /// The stored form of a response (text, tool calls, finish reason, model, usage) and back.
    [[nodiscard]] static std::string serialize(const LlmResponse &response);
    [[nodiscard]] static std::optional<LlmResponse> deserialize(const std::string &text);
};

} // namespace fb
