#pragma once

#include <core/common/chatmessage.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace fb {

class Tokenizer;

/// Prompt tokens of a chat request.
struct ChatTokenCount
{
    std::int64_t tokens = 0;
    /// True when the count follows a rule OpenAI published for the model's family and the
    /// model's exact tokenizer; false for an estimate (see ChatTokenCounter).
    bool exact = false;

    bool operator==(const ChatTokenCount &) const = default;
};

/// Counts the prompt tokens of a chat completion request the way OpenAI bills them, per
/// OpenAI's published rule (the cookbook's "How to count tokens with tiktoken"): every message
/// costs its overhead (3 tokens; 4 for gpt-3.5-turbo-0301) plus the tokens of its role, content
/// and name; a name costs 1 more (-1 for gpt-3.5-turbo-0301, where the name replaces the role);
/// and every request adds 3 tokens priming the reply.
///
/// exact is true for the families with published counts: gpt-3.5-turbo, gpt-4 (incl. -turbo,
/// -32k) and gpt-4o (incl. -mini). For the other OpenAI families (gpt-4.1, gpt-4.5, gpt-5, o1,
/// o3, o4) the same rule runs on the model's own encoding (o200k_base) but is labelled not
/// exact, as no count was published for them. Messages with tool calls or a tool call id are
/// counted with the serialised JSON / id text and are not exact either (the provider's
/// internal format for them is not published).
///
/// For models whose tokenizer is unknown here (Anthropic, Llama, Mistral...), the count is an
/// estimate: the cl100k_base count under the same rule times kEstimateFactor, rounded up,
/// with exact = false. Prefer the usage the provider reports once a call has run.
///
/// Immutable; const methods are thread-safe.
class ChatTokenCounter final
{
public:
    /// Other tokenizers (Claude's, Llama's) tend to produce more tokens than cl100k_base for the
    /// same text; 1.25 is our deliberately high-side assumption for budgets, not a published
    /// figure.
    static constexpr double kEstimateFactor = 1.25;

    /// A counter for `model` (any spelling Tokenizer::encodingForModel accepts).
    explicit ChatTokenCounter(std::string_view model);

    /// The prompt tokens of a request with these messages.
    [[nodiscard]] ChatTokenCount count(const ChatMessages &messages) const;

    /// The tokens of plain text (e.g. a completion, or a completions-API prompt) in the
    /// model's encoding; an estimate by the same factor when the tokenizer is unknown.
    [[nodiscard]] ChatTokenCount countText(std::string_view text) const;

    /// The encoding used: the model's own ("cl100k_base", "o200k_base"), or "cl100k_base" for
    /// an estimate.
    [[nodiscard]] const std::string &encoding() const { return m_encoding; }
    /// Whether the model's own tokenizer is known (the counts are then tokenizer-exact).
    [[nodiscard]] bool knowsTokenizer() const { return m_knowsTokenizer; }

private:
    [[nodiscard]] std::int64_t scaled(std::int64_t tokens) const;

    std::string m_encoding;
    const Tokenizer *m_tokenizer = nullptr;
    bool m_knowsTokenizer = false;
    bool m_publishedRule = false;
    int m_tokensPerMessage = 3;
    int m_tokensPerName = 1;
};

} // namespace fb
