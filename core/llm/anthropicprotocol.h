#pragma once

#include <core/llm/llmprotocol.h>

namespace fb {

/// Anthropic Messages API: `{api_base}/v1/messages` with `x-api-key` and
/// `anthropic-version` (config `anthropic_version`, default 2023-06-01). System messages are
/// folded into `system`; `max_tokens` is required by the API and defaults to 1024; `stop`
/// becomes `stop_sequences`, OpenAI tools/tool_choice are translated and OpenAI-only
/// parameters are dropped. Answers are normalised to OpenAI terms: finish reasons
/// (end_turn -> stop, max_tokens -> length, tool_use -> tool_calls) and tool calls
/// (`[{id, type: function, function: {name, arguments}}]`). Anthropic has no embeddings:
/// an LlmApi::Embedding request fails in url() and body() with InvalidArgument. Models:
/// `{api_base}/v1/models`.
class AnthropicProtocol final : public LlmProtocol
{
public:
    [[nodiscard]] Result<std::string> url(const Connection &connection,
                                          const LlmRequest &request) const override;
    [[nodiscard]] Result<std::string> modelsUrl(const Connection &connection) const override;
    [[nodiscard]] Result<std::vector<std::string>>
    headers(const Connection &connection) const override;
    [[nodiscard]] Result<std::string> body(const Connection &connection,
                                           const LlmRequest &request) const override;
    [[nodiscard]] Result<void> parseResponse(std::string_view body, LlmApi api,
                                             LlmResponse &out) const override;
    [[nodiscard]] Result<void> parseEvent(const SseParser::Event &event, LlmApi api,
                                          LlmStreamState &state, LlmResponse &out,
                                          LlmStreamSink &sink) const override;

    /// The OpenAI name of an Anthropic stop reason.
    [[nodiscard]] static std::string finishReason(std::string_view stopReason);
};

} // namespace fb
