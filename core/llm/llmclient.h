#pragma once

#include <core/common/result.h>
#include <core/llm/connection.h>
#include <core/llm/llmtypes.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace fb {

struct LlmClientOptions
{
    int maxAttempts = 8;             ///< first try + retries on 429/5xx/timeouts/connection errors
    double backoffBaseMs = 500;      ///< exponential backoff base, with full jitter
    double backoffMaxMs = 30000;     ///< cap of one backoff wait
    double maxRetryAfterMs = 120000; ///< cap on a server-requested retry-after
    long connectTimeoutMs = 10000;
    long totalTimeoutMs = 600000;    ///< per attempt
    long maxConnectionsPerHost = 0;  ///< 0 = unlimited (curl's default)
    /// Entra ID bearer-token command timeout (azure, auth_mode: meid_token).
    long tokenCommandTimeoutMs = 30000;
    // Caps on what one attempt may receive, so a broken or hostile endpoint cannot grow the
    // process without end. Hitting one fails the call at once (not retried) with an error that
    // names the cap and its value.
    std::size_t maxResponseBytes = std::size_t(64) << 20; ///< a whole (non-streamed) body
    std::size_t maxStreamBytes = std::size_t(64) << 20;   ///< all bytes of one SSE stream
    std::size_t maxSseLineBytes = std::size_t(1) << 20;   ///< one SSE line or event's data
    std::int64_t maxSseEvents = 1000000;                  ///< events of one SSE stream
};

/// Streaming and completion callbacks, called on the client's I/O thread: keep them short
/// and never block in them.
struct LlmCallbacks
{
    std::function<void(std::string_view delta)> onDelta; ///< each streamed content delta
    std::function<void(Result<LlmResponse>)> onFinished; ///< exactly once per call
};

/// A call in flight. cancel() is thread-safe; after it, onFinished reports Cancelled
/// (unless the call had already finished).
class LlmCall
{
public:
    virtual ~LlmCall() = default;
    virtual void cancel() = 0;
};

/// Drives every model call of a process over one libcurl multi handle on one I/O thread, so
/// thousands of concurrent (streaming) calls cost one thread. Speaks OpenAI chat/completions
/// (and every OpenAI-compatible server's quirks), Azure OpenAI (api-key or Entra ID bearer),
/// serverless and Anthropic Messages; SSE or not; retries with exponential backoff and full
/// jitter on 429/5xx/timeouts/connection errors, honouring retry-after and retry-after-ms.
///
/// Thread-safety: all methods may be called from any thread. The destructor cancels what is
/// in flight, waits for their onFinished, and joins the I/O thread.
/// Failure: onFinished gets an Error (Http, Timeout, RateLimited, Provider, Cancelled,
/// InvalidArgument) whose message names the connection, the URL and the server's message.
class LlmClient
{
public:
    explicit LlmClient(LlmClientOptions options = {});
    ~LlmClient();
    LlmClient(const LlmClient &) = delete;
    LlmClient &operator=(const LlmClient &) = delete;

    /// Starts a call; returns at once. Callbacks run on the I/O thread.
    std::shared_ptr<LlmCall> start(const Connection &connection, LlmRequest request,
                                   LlmCallbacks callbacks);

    /// Blocking convenience over start(); `onDelta` runs on the I/O thread.
    [[nodiscard]] Result<LlmResponse> call(const Connection &connection, LlmRequest request,
                                           std::function<void(std::string_view)> onDelta = {});

    [[nodiscard]] const LlmClientOptions &options() const;

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace fb
