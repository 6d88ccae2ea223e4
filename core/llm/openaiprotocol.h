#pragma once

#include <core/llm/llmprotocol.h>

namespace fb {

/// OpenAI chat/completions/embeddings and the servers that speak it: api.openai.com or any
/// OpenAI-compatible `base_url` (vLLM, Ollama, llama.cpp, LM Studio), Azure OpenAI
/// deployments (api-key or Entra ID bearer) and serverless endpoints.
/// Streaming takes every server's quirks: no `delta.role`, usage on the finish chunk
/// (llama.cpp) or on a last `choices: []` chunk (OpenAI), unknown fields ignored.
/// `stream_options.include_usage` is sent for OpenAI and serverless, and for Azure from
/// api-version 2024-09-01 on; the connection config `stream_usage: true|false` decides
/// explicitly. Embeddings: `{base}/embeddings` (Azure: `/openai/deployments/{d}/embeddings`),
/// body `{model, input: [...], dimensions?, user?, encoding_format: "float"}`; the answer's
/// `data[].embedding` (float arrays, or base64 float32 from servers that send it anyway) are
/// put in input order by `index`, usage from `usage.prompt_tokens`. Models: `{base}/models`
/// (Azure: `/openai/models?api-version=...`, the resource's models, not its deployments).
class OpenAiProtocol final : public LlmProtocol
{
public:
    enum class Flavor { OpenAi, Azure, Serverless };

    explicit OpenAiProtocol(Flavor flavor);

    [[nodiscard]] Result<std::string> url(const Connection &connection,
                                          const LlmRequest &request) const override;
    [[nodiscard]] Result<std::string> modelsUrl(const Connection &connection) const override;
    [[nodiscard]] Result<std::vector<std::string>>
    headers(const Connection &connection) const override;
    [[nodiscard]] bool usesBearerToken(const Connection &connection) const override;
    [[nodiscard]] Result<std::string> body(const Connection &connection,
                                           const LlmRequest &request) const override;
    [[nodiscard]] Result<void> parseResponse(std::string_view body, LlmApi api,
                                             LlmResponse &out) const override;
    [[nodiscard]] Result<void> parseEvent(const SseParser::Event &event, LlmApi api,
                                          LlmStreamState &state, LlmResponse &out,
                                          LlmStreamSink &sink) const override;

    /// Whether a stream request asks for usage (see the class comment).
    [[nodiscard]] bool streamUsage(const Connection &connection) const;

private:
    /// The base URL without a trailing slash: base_url or api_base (OpenAI, default
    /// api.openai.com/v1), api_base (Azure, serverless; required).
    [[nodiscard]] Result<std::string> base(const Connection &connection) const;

    Flavor m_flavor;
};

} // namespace fb
