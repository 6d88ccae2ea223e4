#include <core/llm/connection.h>

namespace fb {

const char *connectionTypeName(ConnectionType type)
{
    switch (type) {
    case ConnectionType::OpenAi:
        return "open_ai";
    case ConnectionType::AzureOpenAi:
        return "azure_open_ai";
    case ConnectionType::Serverless:
        return "serverless";
    case ConnectionType::Anthropic:
        return "anthropic";
    case ConnectionType::Custom:
        return "custom";
    }
    return "custom";
}

std::string Connection::value(const std::string &key, const std::string &fallback) const
{
    if (const auto it = configs.find(key); it != configs.end() && !it->second.empty()) {
        return it->second;
    }
    if (const auto it = secrets.find(key); it != secrets.end() && !it->second.empty()) {
        return it->second;
    }
    return fallback;
}

} // namespace fb
