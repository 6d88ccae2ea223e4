#include <core/llm/openaiprotocol.h>

#include <core/common/jsonreader.h>
#include <core/llm/protocolutil_p.h>

#include <charconv>
#include <cstring>

namespace fb {

using namespace llmutil;

namespace {

constexpr const char *kDefaultOpenAiBase = "https://api.openai.com/v1";
constexpr const char *kDefaultAzureApiVersion = "2024-02-01";
/// First Azure api-version that accepts stream_options.
constexpr std::string_view kAzureStreamUsageSince = "2024-09-01";

std::string who(const Connection &c)
{
    return "connection '" + c.name + "' (" + connectionTypeName(c.type) + ")";
}

/// Merges one streamed `delta.tool_calls` array into the accumulated tool calls.
void mergeToolCalls(const Value &deltas, Value &toolCalls)
{
    if (!toolCalls.is_array()) {
        toolCalls = Value::array();
    }
    std::size_t position = 0;
    for (const Value &d : deltas) {
        std::size_t index = position++;
        if (const Value *i = member(d, "index"); i && i->is_number_unsigned()) {
            index = i->get<std::size_t>();
        }
        if (index > 1024) {
            continue; // nonsense index: ignore rather than allocate
        }
        while (toolCalls.size() <= index) {
            toolCalls.push_back(Value{
                {"id", ""}, {"type", "function"}, {"function", {{"name", ""}, {"arguments", ""}}}});
        }
        Value &entry = toolCalls[index];
        if (const auto id = stringMember(d, "id"); !id.empty()) {
            entry["id"] = id;
        }
        if (const auto type = stringMember(d, "type"); !type.empty()) {
            entry["type"] = type;
        }
        if (const Value *fn = member(d, "function")) {
            if (const auto name = stringMember(*fn, "name"); !name.empty()) {
                entry["function"]["name"] = name;
            }
            if (const auto args = stringMember(*fn, "arguments"); !args.empty()) {
                entry["function"]["arguments"].get_ref<std::string &>().append(args);
            }
        }
    }
}

void mergeFunctionCall(const Value &delta, Value &functionCall)
{
    if (!functionCall.is_object()) {
        functionCall = Value{{"name", ""}, {"arguments", ""}};
    }
    if (const auto name = stringMember(delta, "name"); !name.empty()) {
        functionCall["name"] = name;
    }
    if (const auto args = stringMember(delta, "arguments"); !args.empty()) {
        functionCall["arguments"].get_ref<std::string &>().append(args);
    }
}

/// The path of an api below the base URL (or below the Azure deployment).
const char *operationPath(LlmApi api)
{
    switch (api) {
    case LlmApi::Chat:
        return "/chat/completions";
    case LlmApi::Completion:
        return "/completions";
    case LlmApi::Embedding:
        return "/embeddings";
    }
    return "/chat/completions";
}

/// Appends dumpJson(value). Integers, booleans and null (max_tokens, seed, n, ...) are
/// written directly: dump() sets up a serializer on every call, and this runs for every
/// parameter of every call.
void appendParameter(std::string &out, const Value &value)
{
    char digits[24];
    switch (value.type()) {
    case Value::value_t::number_integer: {
        const auto end = std::to_chars(digits, digits + sizeof digits, value.get<std::int64_t>());
        out.append(digits, std::size_t(end.ptr - digits));
        return;
    }
    case Value::value_t::number_unsigned: {
        const auto end = std::to_chars(digits, digits + sizeof digits, value.get<std::uint64_t>());
        out.append(digits, std::size_t(end.ptr - digits));
        return;
    }
    case Value::value_t::boolean:
        out.append(value.get<bool>() ? "true" : "false");
        return;
    case Value::value_t::null:
        out.append("null");
        return;
    default:
        out.append(dumpJson(value));
        return;
    }
}

/// `{"model": ..., "input": [...], parameters...}`; always float vectors.
Result<std::string> embeddingBody(const Connection &connection, const LlmRequest &request,
                                  bool sendModel)
{
    if (request.input.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    who(connection) + ": an embeddings call needs at least one input text");
    }
    std::string b;
    std::size_t estimate = 64 + request.model.size();
    for (const std::string &text : request.input) {
        estimate += text.size() + 4;
    }
    b.reserve(estimate);
    b.push_back('{');
    if (sendModel && !request.model.empty()) {
        b.append("\"model\":");
        appendJsonString(b, request.model);
        b.push_back(',');
    }
    b.append("\"input\":[");
    for (std::size_t i = 0; i < request.input.size(); ++i) {
        if (i > 0) {
            b.push_back(',');
        }
        appendJsonString(b, request.input[i]);
    }
    b.push_back(']');
    if (request.parameters.is_object()) {
        for (const auto &[name, value] : request.parameters.items()) {
            // Only what the embeddings endpoint takes; chat parameters set on a shared
            // request would make the server reject the call.
            if (name == "dimensions" || name == "user") {
                b.push_back(',');
                appendJsonString(b, name);
                b.push_back(':');
                appendParameter(b, value);
            }
        }
    }
    b.append(",\"encoding_format\":\"float\"}");
    return b;
}

/// Decodes standard base64 (padding optional); false on any other character.
bool decodeBase64(std::string_view text, std::string &out)
{
    out.clear();
    std::uint32_t bits = 0;
    int count = 0;
    for (const char c : text) {
        int v = -1;
        if (c >= 'A' && c <= 'Z') {
            v = c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            v = c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            v = c - '0' + 52;
        } else if (c == '+') {
            v = 62;
        } else if (c == '/') {
            v = 63;
        } else if (c == '=') {
            break;
        } else {
            return false;
        }
        bits = (bits << 6) | std::uint32_t(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out.push_back(char((bits >> count) & 0xFF));
        }
    }
    return true;
}

/// One `embedding` value: an array of numbers, or base64 of little-endian float32s.
bool readVector(const Value &embedding, std::vector<double> &out)
{
    out.clear();
    if (embedding.is_array()) {
        out.reserve(embedding.size());
        for (const Value &x : embedding) {
            if (!x.is_number()) {
                return false;
            }
            out.push_back(x.get<double>());
        }
        return !out.empty();
    }
    if (embedding.is_string()) {
        std::string bytes;
        if (!decodeBase64(embedding.get_ref<const std::string &>(), bytes) || bytes.empty()
            || bytes.size() % 4 != 0) {
            return false;
        }
        out.reserve(bytes.size() / 4);
        for (std::size_t i = 0; i < bytes.size(); i += 4) {
            std::uint32_t u = 0;
            for (int k = 3; k >= 0; --k) {
                u = (u << 8) | std::uint32_t(static_cast<unsigned char>(bytes[i + std::size_t(k)]));
            }
            float f = 0;
            static_assert(sizeof(f) == sizeof(u));
            std::memcpy(&f, &u, sizeof(f));
            out.push_back(double(f));
        }
        return true;
    }
    return false;
}

/// `{"data": [{"index": i, "embedding": [...]}, ...], "model": ..., "usage": {...}}`.
Result<void> parseEmbeddings(std::string_view body, LlmResponse &out)
{
    const Value j = Value::parse(body, nullptr, false);
    if (!j.is_object()) {
        return fail(ErrorCode::Provider,
                    "the response is not a JSON object: " + LlmProtocol::excerpt(body));
    }
    if (const Value *err = member(j, "error"); err && !err->is_null()) {
        return fail(ErrorCode::Provider,
                    "the server reported an error: " + LlmProtocol::errorMessage(body));
    }
    const Value *data = member(j, "data");
    if (!data || !data->is_array() || data->empty()) {
        return fail(ErrorCode::Provider,
                    "the embeddings response has no data: " + LlmProtocol::excerpt(body));
    }
    std::vector<std::vector<double>> vectors(data->size());
    std::vector<bool> seen(data->size(), false);
    std::size_t position = 0;
    for (const Value &item : *data) {
        std::size_t index = position++;
        if (const Value *i = member(item, "index"); i && i->is_number_integer()) {
            const auto signedIndex = i->get<std::int64_t>();
            if (signedIndex < 0 || std::size_t(signedIndex) >= vectors.size()) {
                return fail(ErrorCode::Provider, "the embeddings response has an index "
                                                     + std::to_string(signedIndex)
                                                     + " outside its data");
            }
            index = std::size_t(signedIndex);
        }
        if (seen[index]) {
            return fail(ErrorCode::Provider,
                        "the embeddings response repeats index " + std::to_string(index));
        }
        const Value *embedding = member(item, "embedding");
        if (!embedding || !readVector(*embedding, vectors[index])) {
            return fail(ErrorCode::Provider, "embedding " + std::to_string(index)
                                                 + " of the response is not a vector of numbers");
        }
        seen[index] = true;
    }
    out.embeddings = std::move(vectors);
    out.model.assign(stringMember(j, "model"));
    if (const Value *usage = member(j, "usage"); usage && usage->is_object()) {
        if (const Value *p = member(*usage, "prompt_tokens"); p && p->is_number()) {
            out.usage.promptTokens = intMember(*usage, "prompt_tokens");
            out.usage.completionTokens = 0;
            out.usage.reported = true;
        }
    }
    return {};
}

} // namespace

OpenAiProtocol::OpenAiProtocol(Flavor flavor)
    : m_flavor(flavor)
{
}

Result<std::string> OpenAiProtocol::url(const Connection &connection,
                                        const LlmRequest &request) const
{
    const char *operation = operationPath(request.api);
    auto url = base(connection);
    if (!url) {
        return url;
    }
    if (m_flavor == Flavor::Azure) {
        if (request.model.empty()) {
            return fail(ErrorCode::InvalidArgument,
                        who(connection) + ": the call names no deployment_name");
        }
        url->append("/openai/deployments/");
        url->append(encodePathSegment(request.model));
        url->append(operation);
        url->append("?api-version=");
        url->append(connection.value("api_version", kDefaultAzureApiVersion));
        return url;
    }
    url->append(operation);
    return url;
}

Result<std::string> OpenAiProtocol::modelsUrl(const Connection &connection) const
{
    auto url = base(connection);
    if (!url) {
        return url;
    }
    if (m_flavor == Flavor::Azure) {
        // The models of the resource (not its deployments), as the data-plane API lists them.
        url->append("/openai/models?api-version=");
        url->append(connection.value("api_version", kDefaultAzureApiVersion));
        return url;
    }
    url->append("/models");
    return url;
}

Result<std::string> OpenAiProtocol::base(const Connection &connection) const
{
    if (m_flavor == Flavor::OpenAi) {
        // Runs once per call: api_base is only looked up when base_url is unset, and the
        // URL is built in place by the caller.
        std::string base = connection.value("base_url");
        if (base.empty()) {
            base = connection.value("api_base");
        }
        return base.empty() ? std::string(kDefaultOpenAiBase)
                            : withoutTrailingSlash(std::move(base));
    }
    std::string base = withoutTrailingSlash(connection.value("api_base"));
    if (base.empty()) {
        return fail(ErrorCode::InvalidArgument, who(connection) + " has no api_base");
    }
    return base;
}

Result<std::vector<std::string>> OpenAiProtocol::headers(const Connection &connection) const
{
    std::vector<std::string> h{"Content-Type: application/json", "Expect:"};
    const std::string key = connection.value("api_key");
    if (m_flavor == Flavor::Azure) {
        if (!usesBearerToken(connection)) {
            if (key.empty()) {
                return fail(ErrorCode::InvalidArgument,
                            who(connection)
                                + " has no api_key (set it, or use auth_mode: meid_token)");
            }
            h.push_back("api-key: " + key);
        }
        return h;
    }
    if (!key.empty()) {
        h.push_back("Authorization: Bearer " + key);
    }
    if (m_flavor == Flavor::OpenAi) {
        if (const std::string org = connection.value("organization"); !org.empty()) {
            h.push_back("OpenAI-Organization: " + org);
        }
    }
    return h;
}

bool OpenAiProtocol::usesBearerToken(const Connection &connection) const
{
    return m_flavor == Flavor::Azure && connection.value("auth_mode") == "meid_token";
}

bool OpenAiProtocol::streamUsage(const Connection &connection) const
{
    const std::string explicitly = connection.value("stream_usage");
    if (!explicitly.empty()) {
        return isTrueFlag(explicitly);
    }
    if (m_flavor == Flavor::Azure) {
        return connection.value("api_version", kDefaultAzureApiVersion) >= kAzureStreamUsageSince;
    }
    return true;
}

Result<std::string> OpenAiProtocol::body(const Connection &connection,
                                         const LlmRequest &request) const
{
    if (request.api == LlmApi::Embedding) {
        return embeddingBody(connection, request, m_flavor != Flavor::Azure);
    }
    // Written directly rather than through a JSON DOM: this runs once per call.
    std::string b;
    std::size_t estimate = 160 + request.prompt.size();
    for (const ChatMessage &m : request.messages) {
        estimate += m.content.size() + 48;
    }
    b.reserve(estimate);
    b.push_back('{');
    bool first = true;
    const auto key = [&](std::string_view k) {
        if (!first) {
            b.push_back(',');
        }
        first = false;
        appendJsonString(b, k);
        b.push_back(':');
    };
    if (m_flavor != Flavor::Azure && !request.model.empty()) {
        key("model");
        appendJsonString(b, request.model);
    }
    if (request.api == LlmApi::Chat) {
        if (request.messages.empty()) {
            return fail(ErrorCode::InvalidArgument,
                        who(connection) + ": a chat call needs messages");
        }
        key("messages");
        b.push_back('[');
        for (std::size_t i = 0; i < request.messages.size(); ++i) {
            const ChatMessage &m = request.messages[i];
            const bool hasToolCalls = !m.toolCalls.is_null();
            b.append(i == 0 ? "{\"role\":" : ",{\"role\":");
            appendJsonString(b, m.role);
            b.append(",\"content\":");
            if (hasToolCalls && m.content.empty()) {
                b.append("null");
            } else {
                appendJsonString(b, m.content);
            }
            if (!m.name.empty()) {
                b.append(",\"name\":");
                appendJsonString(b, m.name);
            }
            if (hasToolCalls) {
                b.append(",\"tool_calls\":");
                b.append(dumpJson(m.toolCalls));
            }
            if (!m.toolCallId.empty()) {
                b.append(",\"tool_call_id\":");
                appendJsonString(b, m.toolCallId);
            }
            b.push_back('}');
        }
        b.push_back(']');
    } else {
        key("prompt");
        appendJsonString(b, request.prompt);
    }
    if (request.parameters.is_object()) {
        for (const auto &[name, value] : request.parameters.items()) {
            if (name == "model" || name == "messages" || name == "prompt" || name == "stream"
                || name == "stream_options") {
                continue;
            }
            key(name);
            appendParameter(b, value);
        }
    }
    if (request.stream) {
        key("stream");
        b.append("true");
        if (streamUsage(connection)) {
            key("stream_options");
            b.append("{\"include_usage\":true}");
        }
    }
    b.push_back('}');
    return b;
}

namespace {

/// What one choice (index 0) of an answer or chunk carries; views point into the JSON text
/// or into the scratch strings.
struct ChoiceParts
{
    bool present = false;
    std::string_view content;
    std::string_view finishReason;
    std::string_view toolCallsJson;
    std::string_view functionCallJson;
};

bool readUsage(JsonReader &r, LlmUsage &out)
{
    if (r.peek() != JsonReader::Kind::Object) {
        return r.skipValue();
    }
    if (!r.beginObject()) {
        return false;
    }
    std::string_view key;
    while (r.nextMember(key)) {
        std::int64_t v = 0;
        if (key == "prompt_tokens" && r.peek() == JsonReader::Kind::Number) {
            if (!r.readInt(v)) {
                return false;
            }
            out.promptTokens = v;
        } else if (key == "completion_tokens" && r.peek() == JsonReader::Kind::Number) {
            if (!r.readInt(v)) {
                return false;
            }
            out.completionTokens = v;
        } else if (key == "prompt_tokens_details" && r.peek() == JsonReader::Kind::Object) {
            if (!r.beginObject()) {
                return false;
            }
            std::string_view inner;
            while (r.nextMember(inner)) {
                if (inner == "cached_tokens" && r.peek() == JsonReader::Kind::Number) {
                    if (!r.readInt(v)) {
                        return false;
                    }
                    out.cachedPromptTokens = v;
                } else if (!r.skipValue()) {
                    return false;
                }
            }
        } else if (!r.skipValue()) {
            return false;
        }
    }
    out.reported = true;
    return !r.failed();
}

/// A string, or null (empty), or anything else skipped.
bool readOptionalString(JsonReader &r, std::string_view &out, std::string &scratch)
{
    if (r.peek() == JsonReader::Kind::String) {
        return r.readString(out, scratch);
    }
    return r.skipValue();
}

/// Reads `choices`, keeping the parts of the choice with index 0 (or the first one).
/// `inner` is "delta" (stream) or "message" (whole answer); `chat` false reads `text`.
bool readChoices(JsonReader &r, const char *inner, bool chat, ChoiceParts &out,
                 std::string &contentScratch, std::string &reasonScratch)
{
    if (r.peek() != JsonReader::Kind::Array) {
        return r.skipValue();
    }
    if (!r.beginArray()) {
        return false;
    }
    std::size_t position = 0;
    std::string ignored;
    while (r.nextElement()) {
        if (r.peek() != JsonReader::Kind::Object) {
            if (!r.skipValue()) {
                return false;
            }
            ++position;
            continue;
        }
        ChoiceParts c;
        std::int64_t index = std::int64_t(position++);
        // Once choice 0 was kept, later choices must not overwrite its decoded text.
        std::string &content = out.present ? ignored : contentScratch;
        std::string &reason = out.present ? ignored : reasonScratch;
        if (!r.beginObject()) {
            return false;
        }
        std::string_view key;
        while (r.nextMember(key)) {
            bool ok = true;
            if (key == "index" && r.peek() == JsonReader::Kind::Number) {
                ok = r.readInt(index);
            } else if (chat && key == inner && r.peek() == JsonReader::Kind::Object) {
                ok = r.beginObject();
                std::string_view field;
                while (ok && r.nextMember(field)) {
                    if (field == "content") {
                        ok = readOptionalString(r, c.content, content);
                    } else if (field == "tool_calls" && r.peek() == JsonReader::Kind::Array) {
                        ok = r.rawValue(c.toolCallsJson);
                    } else if (field == "function_call" && r.peek() == JsonReader::Kind::Object) {
                        ok = r.rawValue(c.functionCallJson);
                    } else {
                        ok = r.skipValue();
                    }
                }
                ok = ok && !r.failed();
            } else if (!chat && key == "text") {
                ok = readOptionalString(r, c.content, content);
            } else if (key == "finish_reason") {
                ok = readOptionalString(r, c.finishReason, reason);
            } else {
                ok = r.skipValue();
            }
            if (!ok) {
                return false;
            }
        }
        if (r.failed()) {
            return false;
        }
        if (index == 0 && !out.present) {
            c.present = true;
            out = c;
        }
    }
    return !r.failed();
}

} // namespace

Result<void> OpenAiProtocol::parseResponse(std::string_view body, LlmApi api,
                                           LlmResponse &out) const
{
    if (api == LlmApi::Embedding) {
        return parseEmbeddings(body, out);
    }
    JsonReader r(body);
    ChoiceParts choice;
    std::string contentScratch;
    std::string reasonScratch;
    std::string modelScratch;
    std::string_view model;
    bool hasError = false;
    bool hasChoices = false;
    bool ok = r.beginObject();
    std::string_view key;
    while (ok && r.nextMember(key)) {
        if (key == "choices") {
            hasChoices = r.peek() == JsonReader::Kind::Array;
            ok = readChoices(r, "message", api == LlmApi::Chat, choice, contentScratch,
                             reasonScratch);
        } else if (key == "model") {
            ok = readOptionalString(r, model, modelScratch);
        } else if (key == "usage") {
            ok = readUsage(r, out.usage);
        } else if (key == "error") {
            hasError = r.peek() != JsonReader::Kind::Null;
            ok = r.skipValue();
        } else {
            ok = r.skipValue();
        }
    }
    if (!ok || !r.finish()) {
        out.usage = LlmUsage();
        return fail(ErrorCode::Provider, "the response is not a JSON object: " + excerpt(body));
    }
    if (hasError) {
        return fail(ErrorCode::Provider, "the server reported an error: " + errorMessage(body));
    }
    if (!hasChoices || !choice.present) {
        return fail(ErrorCode::Provider, "the response has no choices: " + excerpt(body));
    }
    out.model.assign(model);
    out.text.assign(choice.content);
    out.finishReason.assign(choice.finishReason);
    if (!choice.toolCallsJson.empty()) {
        out.toolCalls = Value::parse(choice.toolCallsJson, nullptr, false);
    } else if (!choice.functionCallJson.empty()) {
        out.toolCalls = Value::parse(choice.functionCallJson, nullptr, false);
    }
    return {};
}

Result<void> OpenAiProtocol::parseEvent(const SseParser::Event &event, LlmApi api,
                                        LlmStreamState &state, LlmResponse &out,
                                        LlmStreamSink &sink) const
{
    if (api == LlmApi::Embedding) {
        return fail(ErrorCode::Provider, "an embeddings answer cannot be a stream");
    }
    if (state.done) {
        return {};
    }
    if (event.data == "[DONE]") {
        state.done = true;
        return {};
    }
    // Decode the whole chunk first and apply it only when it is well-formed.
    JsonReader r(event.data);
    ChoiceParts choice;
    std::string reasonScratch;
    std::string modelScratch;
    std::string_view model;
    LlmUsage usage;
    bool hasUsage = false;
    bool hasError = false;
    bool ok = r.beginObject();
    std::string_view key;
    while (ok && r.nextMember(key)) {
        if (key == "choices") {
            ok = readChoices(r, "delta", api == LlmApi::Chat, choice, state.scratch, reasonScratch);
        } else if (key == "model" && out.model.empty()) {
            ok = readOptionalString(r, model, modelScratch);
        } else if (key == "usage" && r.peek() == JsonReader::Kind::Object) {
            hasUsage = true;
            ok = readUsage(r, usage);
        } else if (key == "error") {
            hasError = r.peek() != JsonReader::Kind::Null;
            ok = r.skipValue();
        } else {
            ok = r.skipValue();
        }
    }
    if (!ok || !r.finish()) {
        return fail(ErrorCode::Provider,
                    "malformed JSON in a stream chunk: " + excerpt(event.data));
    }
    if (hasError) {
        return fail(ErrorCode::Provider,
                    "the server reported an error mid-stream: " + errorMessage(event.data));
    }
    if (!model.empty()) {
        out.model.assign(model);
    }
    if (hasUsage) {
        out.usage = usage;
    }
    if (!choice.present) {
        return {};
    }
    if (!choice.toolCallsJson.empty()) {
        mergeToolCalls(Value::parse(choice.toolCallsJson, nullptr, false), out.toolCalls);
    }
    if (!choice.functionCallJson.empty()) {
        mergeFunctionCall(Value::parse(choice.functionCallJson, nullptr, false), out.toolCalls);
    }
    if (!choice.content.empty()) {
        out.text.append(choice.content);
        sink.contentDelta(choice.content);
    }
    if (!choice.finishReason.empty()) {
        out.finishReason.assign(choice.finishReason);
        state.finished = true;
    }
    return {};
}

} // namespace fb
