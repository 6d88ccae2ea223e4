#pragma once

#include <core/llm/llmtypes.h>

#include <cstdint>
#include <string>

namespace fb {

/// Prompt tokens of one request.
struct PromptCount
{
    std::int64_t tokens = 0;
    bool exact = false;          ///< the model's tokenizer and a published counting rule
    bool knowsTokenizer = false; ///< the model's own tokenizer was used (else an estimate)
    std::string encoding;        ///< the tokenizer used
};

/// Counts the prompt tokens a request will be billed for with the tokenizer's ChatTokenCounter:
/// chat requests with the per-message rule of the model family, completion prompts as text in
/// the model's encoding. A model with no known tokenizer (Anthropic, local models) gets
/// ChatTokenCounter's estimate (exact = false). Without the tokenizer module (fb_token not
/// built) every count is a rough 4-bytes-per-token estimate. Stateless; thread-safe.
class PromptTokenCounter
{
public:
    /// `pricedModel` is the price table's entry for the request's model (empty when none): an
    /// Azure deployment name has no tokenizer, the model it maps to may.
    [[nodiscard]] static PromptCount count(const LlmRequest &request,
                                           const std::string &pricedModel);
};

} // namespace fb
