#include <core/token/chattokencounter.h>

#include <core/token/tokenizer.h>

#include <algorithm>
#include <cmath>

namespace fb {

namespace {

constexpr int kReplyPriming = 3; // <|start|>assistant<|message|>

std::string normalisedModel(std::string_view model)
{
    std::string m(model);
    std::transform(m.begin(), m.end(), m.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; });
    for (const std::string_view prefix : {"flowbench-sim:", "azure/", "openai/", "ft:"}) {
        if (m.rfind(prefix, 0) == 0) {
            m.erase(0, prefix.size());
        }
    }
    return m;
}

bool hasPrefix(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

} // namespace

ChatTokenCounter::ChatTokenCounter(std::string_view model)
{
    const std::string m = normalisedModel(model);
    m_encoding = Tokenizer::encodingForModel(m);
    m_knowsTokenizer = !m_encoding.empty();
    if (!m_knowsTokenizer) {
        m_encoding = "cl100k_base";
    }
    m_tokenizer = Tokenizer::forEncoding(m_encoding);
    if (!m_knowsTokenizer) {
        return;
    }
    if (hasPrefix(m, "gpt-3.5-turbo-0301") || hasPrefix(m, "gpt-35-turbo-0301")) {
        m_tokensPerMessage = 4; // <|start|>{role/name}\n{content}<|end|>\n
        m_tokensPerName = -1;   // a name replaces the role
        m_publishedRule = true;
        return;
    }
    // The cookbook's published families; gpt-4.1 / gpt-4.5 are not gpt-4 here.
    m_publishedRule = hasPrefix(m, "gpt-3.5-turbo") || hasPrefix(m, "gpt-35-turbo")
                      || hasPrefix(m, "gpt-4o") || hasPrefix(m, "chatgpt-4o")
                      || (hasPrefix(m, "gpt-4") && !hasPrefix(m, "gpt-4."));
}

std::int64_t ChatTokenCounter::scaled(std::int64_t tokens) const
{
    if (m_knowsTokenizer) {
        return tokens;
    }
    return std::int64_t(std::ceil(double(tokens) * kEstimateFactor));
}

ChatTokenCount ChatTokenCounter::count(const ChatMessages &messages) const
{
    if (!m_tokenizer) {
        return {};
    }
    bool exact = m_knowsTokenizer && m_publishedRule;
    std::int64_t n = 0;
    for (const auto &message : messages) {
        n += m_tokensPerMessage;
        n += std::int64_t(m_tokenizer->count(message.role));
        n += std::int64_t(m_tokenizer->count(message.content));
        if (!message.name.empty()) {
            n += std::int64_t(m_tokenizer->count(message.name)) + m_tokensPerName;
        }
        if (!message.toolCallId.empty()) {
            n += std::int64_t(m_tokenizer->count(message.toolCallId));
            exact = false;
        }
        if (!message.toolCalls.is_null()) {
            n += std::int64_t(m_tokenizer->count(
                message.toolCalls.dump(-1, ' ', false, Value::error_handler_t::replace)));
            exact = false;
        }
    }
    n += kReplyPriming;
    return {scaled(n), exact};
}

ChatTokenCount ChatTokenCounter::countText(std::string_view text) const
{
    if (!m_tokenizer) {
        return {};
    }
    return {scaled(std::int64_t(m_tokenizer->count(text))), m_knowsTokenizer};
}

} // namespace fb
