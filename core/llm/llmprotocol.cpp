#include <core/llm/llmprotocol.h>

#include <core/llm/anthropicprotocol.h>
#include <core/llm/openaiprotocol.h>

namespace fb {

const LlmProtocol *LlmProtocol::forType(ConnectionType type)
{
    static const OpenAiProtocol openAi(OpenAiProtocol::Flavor::OpenAi);
    static const OpenAiProtocol azure(OpenAiProtocol::Flavor::Azure);
    static const OpenAiProtocol serverless(OpenAiProtocol::Flavor::Serverless);
    static const AnthropicProtocol anthropic;
    switch (type) {
    case ConnectionType::OpenAi:
        return &openAi;
    case ConnectionType::AzureOpenAi:
        return &azure;
    case ConnectionType::Serverless:
        return &serverless;
    case ConnectionType::Anthropic:
        return &anthropic;
    case ConnectionType::Custom:
        return nullptr;
    }
    return nullptr;
}

bool LlmProtocol::usesBearerToken(const Connection &) const { return false; }

std::string LlmProtocol::excerpt(std::string_view text, std::size_t max)
{
    std::string out;
    out.reserve(std::min(text.size(), max) + 3);
    for (const char c : text) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

std::string LlmProtocol::errorMessage(std::string_view body)
{
    const Value j = Value::parse(body, nullptr, false);
    if (j.is_object()) {
        const auto err = j.find("error");
        if (err != j.end()) {
            if (err->is_string()) {
                return excerpt(err->get_ref<const std::string &>(), 500);
            }
            if (err->is_object()) {
                const auto msg = err->find("message");
                if (msg != err->end() && msg->is_string()) {
                    return excerpt(msg->get_ref<const std::string &>(), 500);
                }
            }
        }
        for (const char *key : {"message", "detail"}) {
            const auto it = j.find(key);
            if (it != j.end() && it->is_string()) {
                return excerpt(it->get_ref<const std::string &>(), 500);
            }
        }
    }
    return excerpt(body);
}

} // namespace fb
