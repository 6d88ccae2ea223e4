#include <core/exec/responsecache.h>

#include <core/common/sha256.h>

namespace fb {

namespace {

const char *apiName(LlmApi api)
{
    switch (api) {
    case LlmApi::Chat:
        return "chat";
    case LlmApi::Completion:
        return "completion";
    case LlmApi::Embedding:
        return "embedding";
    }
    return "other";
}

// nlohmann's ordered_json keeps insertion order; the key must not depend on it.
nlohmann::json sorted(const Value &v) { return nlohmann::json::parse(v.dump()); }

} // namespace

ResponseCache::~ResponseCache() = default;

std::string ResponseCache::keyFor(const Connection &connection, const LlmRequest &request)
{
    nlohmann::json key;
    key["connection"] = connection.name;
    key["type"] = static_cast<int>(connection.type);
    // The endpoint: its configs (sorted), unless the connection names a stable identity for a
    // server whose address changes between runs (the simulator on a random port).
    if (const auto id = connection.configs.find("cache_identity"); id != connection.configs.end()) {
        key["endpoint"] = id->second;
    } else {
        key["configs"] = connection.configs;
    }
    key["api"] = apiName(request.api);
    key["model"] = request.model;
    nlohmann::json messages = nlohmann::json::array();
    for (const auto &m : request.messages) {
        nlohmann::json msg;
        msg["role"] = m.role;
        msg["content"] = m.content;
        if (!m.name.empty()) {
            msg["name"] = m.name;
        }
        if (!m.toolCalls.is_null()) {
            msg["tool_calls"] = sorted(m.toolCalls);
        }
        if (!m.toolCallId.empty()) {
            msg["tool_call_id"] = m.toolCallId;
        }
        messages.push_back(std::move(msg));
    }
    key["messages"] = std::move(messages);
    key["prompt"] = request.prompt;
    key["input"] = request.input;
    key["parameters"] = sorted(request.parameters);
    return Sha256::hex(key.dump());
}

std::string ResponseCache::serialize(const LlmResponse &response)
{
    Value v = Value::object();
    v["text"] = response.text;
    v["tool_calls"] = response.toolCalls;
    v["finish_reason"] = response.finishReason;
    v["model"] = response.model;
    v["usage"] = {{"prompt_tokens", response.usage.promptTokens},
                  {"completion_tokens", response.usage.completionTokens},
                  {"cached_tokens", response.usage.cachedPromptTokens},
                  {"cache_write_tokens", response.usage.cacheWriteTokens},
                  {"reported", response.usage.reported}};
    return v.dump();
}

std::optional<LlmResponse> ResponseCache::deserialize(const std::string &text)
{
    const Value v = Value::parse(text, nullptr, false);
    if (v.is_discarded() || !v.is_object() || !v.contains("text") || !v["text"].is_string()) {
        return std::nullopt;
    }
    LlmResponse r;
    r.text = v["text"].get<std::string>();
    r.toolCalls = v.value("tool_calls", Value());
    r.finishReason = v.value("finish_reason", std::string());
    r.model = v.value("model", std::string());
    if (const auto u = v.find("usage"); u != v.end() && u->is_object()) {
        r.usage.promptTokens = u->value("prompt_tokens", std::int64_t(0));
        r.usage.completionTokens = u->value("completion_tokens", std::int64_t(0));
        r.usage.cachedPromptTokens = u->value("cached_tokens", std::int64_t(0));
        r.usage.cacheWriteTokens = u->value("cache_write_tokens", std::int64_t(0));
        r.usage.reported = u->value("reported", false);
    }
    r.httpStatus = 200;
    return r;
}

} // namespace fb
