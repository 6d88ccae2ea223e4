#pragma once

#include <core/common/result.h>
#include <core/llm/connection.h>
#include <core/llm/llmtypes.h>
#include <core/llm/sseparser.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Receives the content of a streamed answer as a protocol decodes it.
class LlmStreamSink
{
public:
    virtual void contentDelta(std::string_view delta) = 0;

protected:
    ~LlmStreamSink() = default;
};

/// What a protocol has decoded of one streamed answer so far (one per attempt).
struct LlmStreamState
{
    bool done = false;                     ///< the terminal marker arrived ([DONE], message_stop)
    bool finished = false;                 ///< a finish/stop reason arrived
    std::map<int, std::size_t> toolBlocks; ///< Anthropic content block -> index in toolCalls
    std::string scratch; ///< reused for decoding escaped text, to spare an allocation per chunk
};

/// One wire protocol: how a call becomes an HTTP request and how its answer (whole or as
/// Server-Sent Events) becomes an LlmResponse. Implementations are stateless and
/// thread-safe; per-call state lives in LlmStreamState and LlmResponse.
/// Failures: request building fails with InvalidArgument (missing setting), decoding with
/// Provider (the server sent something unusable); messages never contain secrets.
class LlmProtocol
{
public:
    virtual ~LlmProtocol() = default;

    /// The protocol for a connection type (Custom has none: nullptr).
    [[nodiscard]] static const LlmProtocol *forType(ConnectionType type);

    /// Request URL for `request` over `connection`.
    [[nodiscard]] virtual Result<std::string> url(const Connection &connection,
                                                  const LlmRequest &request) const = 0;
    /// URL that lists the models the connection's key can use (GET, same headers() as a
    /// call; the answer is `{"data": [{"id": ...}, ...]}` for every protocol here).
    [[nodiscard]] virtual Result<std::string> modelsUrl(const Connection &connection) const = 0;
    /// Fixed request headers ("Name: value"), secrets included, except bearer tokens
    /// fetched at run time (see usesBearerToken()).
    [[nodiscard]] virtual Result<std::vector<std::string>>
    headers(const Connection &connection) const = 0;
    /// True when every request needs `Authorization: Bearer <token>` from a token source.
    [[nodiscard]] virtual bool usesBearerToken(const Connection &connection) const;
    /// Request body (JSON).
    [[nodiscard]] virtual Result<std::string> body(const Connection &connection,
                                                   const LlmRequest &request) const = 0;

    /// Decodes a complete (non-streamed) 2xx body into `out`.
    [[nodiscard]] virtual Result<void> parseResponse(std::string_view body, LlmApi api,
                                                     LlmResponse &out) const = 0;
    /// Decodes one event of a streamed 2xx answer; content goes to `sink` and `out.text`.
    [[nodiscard]] virtual Result<void> parseEvent(const SseParser::Event &event, LlmApi api,
                                                  LlmStreamState &state, LlmResponse &out,
                                                  LlmStreamSink &sink) const = 0;

    /// The server's own words from an error body ({"error":{"message":...}} and the
    /// like), or a one-line excerpt of the body.
    [[nodiscard]] static std::string errorMessage(std::string_view body);
    /// A short one-line excerpt of `text` for messages.
    [[nodiscard]] static std::string excerpt(std::string_view text, std::size_t max = 200);
};

} // namespace fb
