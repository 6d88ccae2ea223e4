#pragma once

#include <core/common/result.h>
#include <core/llm/connection.h>

#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// How a ConnectionProbe tests a connection.
struct ConnectionProbeOptions
{
    /// Model (Azure: deployment) of the timing call; empty: the first listed model, or
    /// "gpt-4o-mini" when none was listed.
    std::string model;
    /// The connection points at flowbench-sim; copied into the result. The caller knows:
    /// the GUI's built-in Simulator entry, the CLI's --simulator.
    bool simulated = false;
    long connectTimeoutMs = 5000; ///< for the model list and the call alike
    long listTimeoutMs = 15000;   ///< the whole GET of the model list
    long callTimeoutMs = 30000;   ///< the whole timing call (one attempt, no retries)
    long tokenTimeoutMs = 30000;  ///< an Entra ID token_command (azure, auth_mode: meid_token)
};

/// What testing a connection found out. Plain value; errors are messages a user can act on
/// (they name the URL or the connection, never a secret).
struct ConnectionProbeResult
{
    std::string connection;          ///< the connection's name
    std::vector<std::string> models; ///< ids from GET <base>/models; empty when listing failed
    std::string modelsError;         ///< why listing failed; empty on success
    std::string model;               ///< the model the timing call used
    double ttftMs = -1;              ///< time to first token of the streamed call; -1 if none
    double latencyMs = -1;           ///< the whole call; -1 if it failed
    std::string callError;           ///< why the call failed; empty on success
    bool simulated = false;          ///< the answers came from flowbench-sim
    [[nodiscard]] bool ok() const { return callError.empty(); }
};

/// "Test connection": lists a connection's models (GET of LlmProtocol::modelsUrl() with the
/// protocol's own headers, plus an Entra ID bearer token when the connection uses one) and
/// times a tiny streamed chat call ("Reply with the single word OK.", max_tokens 8) through
/// an LlmClient of its own, so the TTFT is measured exactly as a flow's calls are.
///
/// Thread-safety: immutable after construction; run() and listModels() may be called from
/// any thread, also concurrently. They block (network, a token command) for up to the
/// timeouts in the options, so never call them on a GUI thread. The listing is one blocking
/// libcurl transfer on the calling thread (LlmClient only POSTs); the call runs on the
/// client's I/O thread while run() waits for it.
/// Cancellation: a stop request on the token ends a model listing or a call within about a
/// second; the result then says "cancelled". A running token_command is not interrupted
/// (it is bounded by tokenTimeoutMs).
/// Needs curl_global_init() to have been called (in main()).
class ConnectionProbe
{
public:
    explicit ConnectionProbe(ConnectionProbeOptions options = {});

    /// Lists the models, then makes the timing call (also when listing failed: many
    /// OpenAI-compatible servers have no model list). Never fails as a whole: each part
    /// reports its error in the result.
    [[nodiscard]] ConnectionProbeResult run(const Connection &connection,
                                            std::stop_token stop = {}) const;

    /// GET <base>/models: the model ids in the server's order. Fails with InvalidArgument
    /// (no model list for the type, missing setting), Http (transport, HTTP status), Timeout,
    /// Cancelled or Provider (an answer that lists nothing).
    [[nodiscard]] Result<std::vector<std::string>> listModels(const Connection &connection,
                                                              std::stop_token stop = {}) const;

    /// The ids of a `{"data": [{"id": ...}, ...]}` document (OpenAI and Anthropic alike);
    /// fails with Provider when it is not one or lists no model.
    [[nodiscard]] static Result<std::vector<std::string>> parseModels(std::string_view body);

    [[nodiscard]] const ConnectionProbeOptions &options() const { return m_options; }

private:
    ConnectionProbeOptions m_options;
};

} // namespace fb
