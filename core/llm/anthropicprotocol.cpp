#include <core/llm/anthropicprotocol.h>

#include <core/common/jsonreader.h>
#include <core/llm/protocolutil_p.h>

namespace fb {

using namespace llmutil;

namespace {

constexpr const char *kDefaultBase = "https://api.anthropic.com";
constexpr const char *kDefaultVersion = "2023-06-01";
constexpr int kDefaultMaxTokens = 1024;

std::string who(const Connection &c) { return "connection '" + c.name + "' (anthropic)"; }

void readUsage(const Value &usage, LlmUsage &out)
{
    if (!usage.is_object()) {
        return;
    }
    if (member(usage, "input_tokens")) {
        out.promptTokens = intMember(usage, "input_tokens")
                           + intMember(usage, "cache_read_input_tokens")
                           + intMember(usage, "cache_creation_input_tokens");
        out.cachedPromptTokens = intMember(usage, "cache_read_input_tokens");
        out.cacheWriteTokens = intMember(usage, "cache_creation_input_tokens");
    }
    if (member(usage, "output_tokens")) {
        out.completionTokens = intMember(usage, "output_tokens");
        out.reported = true;
    }
}

/// OpenAI tool_calls -> Anthropic tool_use content blocks.
void appendToolUse(const Value &toolCalls, Value &content)
{
    if (!toolCalls.is_array()) {
        return;
    }
    for (const Value &call : toolCalls) {
        const Value *fn = member(call, "function");
        Value input = Value::object();
        if (fn) {
            const auto args = stringMember(*fn, "arguments");
            Value parsed = Value::parse(args, nullptr, false);
            if (parsed.is_object()) {
                input = std::move(parsed);
            }
        }
        content.push_back(Value{{"type", "tool_use"},
                                {"id", stringMember(call, "id")},
                                {"name", fn ? stringMember(*fn, "name") : std::string_view()},
                                {"input", std::move(input)}});
    }
}

Value convertTools(const Value &tools, bool legacyFunctions)
{
    Value out = Value::array();
    for (const Value &t : tools) {
        const Value *fn = legacyFunctions ? &t : member(t, "function");
        if (!fn) {
            continue;
        }
        Value tool{{"name", stringMember(*fn, "name")}};
        if (const auto d = stringMember(*fn, "description"); !d.empty()) {
            tool["description"] = d;
        }
        const Value *params = member(*fn, "parameters");
        tool["input_schema"] = params && params->is_object() ? *params : Value{{"type", "object"}};
        out.push_back(std::move(tool));
    }
    return out;
}

Value convertToolChoice(const Value &choice)
{
    if (choice.is_string()) {
        const auto &s = choice.get_ref<const std::string &>();
        if (s == "required") {
            return Value{{"type", "any"}};
        }
        if (s == "none") {
            return Value{{"type", "none"}};
        }
        return Value{{"type", "auto"}};
    }
    if (const Value *fn = member(choice, "function")) {
        return Value{{"type", "tool"}, {"name", stringMember(*fn, "name")}};
    }
    if (const auto name = stringMember(choice, "name"); !name.empty()) {
        return Value{{"type", "tool"}, {"name", name}}; // legacy function_call: {name}
    }
    return Value{{"type", "auto"}};
}

/// `{api_base}/v1`, whether or not api_base already ends in /v1.
std::string versionedBase(const Connection &connection)
{
    std::string base = withoutTrailingSlash(connection.value("api_base", kDefaultBase));
    if (base.size() < 3 || base.compare(base.size() - 3, 3, "/v1") != 0) {
        base.append("/v1");
    }
    return base;
}

} // namespace

std::string AnthropicProtocol::finishReason(std::string_view stopReason)
{
    if (stopReason == "end_turn" || stopReason == "stop_sequence") {
        return "stop";
    }
    if (stopReason == "max_tokens") {
        return "length";
    }
    if (stopReason == "tool_use") {
        return "tool_calls";
    }
    return std::string(stopReason);
}

Result<std::string> AnthropicProtocol::url(const Connection &connection,
                                           const LlmRequest &request) const
{
    if (request.api == LlmApi::Embedding) {
        return fail(ErrorCode::InvalidArgument,
                    who(connection)
                        + ": Anthropic has no embeddings endpoint; use an open_ai, "
                          "azure_open_ai or serverless connection for embeddings");
    }
    return versionedBase(connection) + "/messages";
}

Result<std::string> AnthropicProtocol::modelsUrl(const Connection &connection) const
{
    return versionedBase(connection) + "/models";
}

Result<std::vector<std::string>> AnthropicProtocol::headers(const Connection &connection) const
{
    const std::string key = connection.value("api_key");
    if (key.empty()) {
        return fail(ErrorCode::InvalidArgument, who(connection) + " has no api_key");
    }
    return std::vector<std::string>{
        "Content-Type: application/json", "Expect:", "x-api-key: " + key,
        "anthropic-version: " + connection.value("anthropic_version", kDefaultVersion)};
}

Result<std::string> AnthropicProtocol::body(const Connection &connection,
                                            const LlmRequest &request) const
{
    if (request.api == LlmApi::Embedding) {
        return fail(ErrorCode::InvalidArgument,
                    who(connection) + ": Anthropic has no embeddings endpoint");
    }
    if (request.model.empty()) {
        return fail(ErrorCode::InvalidArgument, who(connection) + ": the call names no model");
    }
    Value b = Value::object();
    b["model"] = request.model;
    const Value &params = request.parameters;
    const Value *maxTokens = member(params, "max_tokens");
    b["max_tokens"] = maxTokens && maxTokens->is_number() ? *maxTokens : Value(kDefaultMaxTokens);

    std::string system;
    Value messages = Value::array();
    if (request.api == LlmApi::Completion) {
        messages.push_back(Value{{"role", "user"}, {"content", request.prompt}});
    }
    for (const ChatMessage &m : request.messages) {
        if (m.role == "system") {
            if (!system.empty()) {
                system += "\n\n";
            }
            system += m.content;
        } else if (m.role == "assistant") {
            if (m.toolCalls.is_array() && !m.toolCalls.empty()) {
                Value content = Value::array();
                if (!m.content.empty()) {
                    content.push_back(Value{{"type", "text"}, {"text", m.content}});
                }
                appendToolUse(m.toolCalls, content);
                messages.push_back(Value{{"role", "assistant"}, {"content", std::move(content)}});
            } else {
                messages.push_back(Value{{"role", "assistant"}, {"content", m.content}});
            }
        } else if (m.role == "tool") {
            messages.push_back(Value{{"role", "user"},
                                     {"content", Value::array({Value{{"type", "tool_result"},
                                                                     {"tool_use_id", m.toolCallId},
                                                                     {"content", m.content}}})}});
        } else {
            // user, and function results (which have no Anthropic equivalent) as user text
            messages.push_back(Value{{"role", "user"}, {"content", m.content}});
        }
    }
    if (messages.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    who(connection) + ": the call has no user or assistant message");
    }
    if (!system.empty()) {
        b["system"] = system;
    }
    b["messages"] = std::move(messages);

    if (params.is_object()) {
        for (const auto &[key, value] : params.items()) {
            if (key == "temperature" || key == "top_p" || key == "top_k" || key == "metadata") {
                b[key] = value;
            } else if (key == "stop" || key == "stop_sequences") {
                if (value.is_string()) {
                    b["stop_sequences"] = Value::array({value});
                } else if (value.is_array()) {
                    b["stop_sequences"] = value;
                }
            } else if (key == "tools" && value.is_array()) {
                b["tools"] = convertTools(value, false);
            } else if (key == "functions" && value.is_array()) {
                b["tools"] = convertTools(value, true);
            } else if ((key == "tool_choice" || key == "function_call") && !value.is_null()) {
                b["tool_choice"] = convertToolChoice(value);
            } else if (key == "user" && value.is_string()) {
                b["metadata"] = Value{{"user_id", value}};
            }
            // presence/frequency penalties, logit_bias, seed, response_format, n, ...:
            // OpenAI-only, dropped.
        }
    }
    if (request.stream) {
        b["stream"] = true;
    }
    return dumpJson(b);
}

Result<void> AnthropicProtocol::parseResponse(std::string_view body, LlmApi, LlmResponse &out) const
{
    const Value j = Value::parse(body, nullptr, false);
    if (!j.is_object()) {
        return fail(ErrorCode::Provider, "the response is not a JSON object: " + excerpt(body));
    }
    if (stringMember(j, "type") == "error") {
        return fail(ErrorCode::Provider, "the server reported an error: " + errorMessage(body));
    }
    const Value *content = member(j, "content");
    if (!content || !content->is_array()) {
        return fail(ErrorCode::Provider, "the response has no content: " + excerpt(body));
    }
    out.model = stringMember(j, "model");
    out.finishReason = finishReason(stringMember(j, "stop_reason"));
    for (const Value &block : *content) {
        const auto type = stringMember(block, "type");
        if (type == "text") {
            out.text.append(stringMember(block, "text"));
        } else if (type == "tool_use") {
            if (!out.toolCalls.is_array()) {
                out.toolCalls = Value::array();
            }
            const Value *input = member(block, "input");
            out.toolCalls.push_back(
                Value{{"id", stringMember(block, "id")},
                      {"type", "function"},
                      {"function",
                       {{"name", stringMember(block, "name")},
                        {"arguments", input ? dumpJson(*input) : std::string("{}")}}}});
        }
    }
    if (const Value *usage = member(j, "usage")) {
        readUsage(*usage, out.usage);
    }
    return {};
}

namespace {

/// The fields of one Anthropic stream event that matter; views point into the event data or
/// the scratch strings.
struct EventParts
{
    std::string_view type;
    std::int64_t index = 0;
    std::string_view deltaType;
    std::string_view text;
    std::string_view partialJson;
    std::string_view stopReason;
    std::string_view model;
    std::string_view blockType;
    std::string_view blockId;
    std::string_view blockName;
    bool hasInput = false;
    bool hasOutput = false;
    std::int64_t input = 0;
    std::int64_t cacheRead = 0;
    std::int64_t cacheCreation = 0;
    std::int64_t output = 0;
    bool hasError = false;
};

bool readString(JsonReader &r, std::string_view &out, std::string &scratch)
{
    return r.peek() == JsonReader::Kind::String ? r.readString(out, scratch) : r.skipValue();
}

bool readEventUsage(JsonReader &r, EventParts &e)
{
    if (r.peek() != JsonReader::Kind::Object) {
        return r.skipValue();
    }
    if (!r.beginObject()) {
        return false;
    }
    std::string_view key;
    while (r.nextMember(key)) {
        bool ok = true;
        if (r.peek() != JsonReader::Kind::Number) {
            ok = r.skipValue();
        } else if (key == "input_tokens") {
            e.hasInput = true;
            ok = r.readInt(e.input);
        } else if (key == "output_tokens") {
            e.hasOutput = true;
            ok = r.readInt(e.output);
        } else if (key == "cache_read_input_tokens") {
            ok = r.readInt(e.cacheRead);
        } else if (key == "cache_creation_input_tokens") {
            ok = r.readInt(e.cacheCreation);
        } else {
            ok = r.skipValue();
        }
        if (!ok) {
            return false;
        }
    }
    return !r.failed();
}

/// Reads the members of an object value with `member(key)` returning false on error.
template <typename F> bool readObject(JsonReader &r, F member)
{
    if (r.peek() != JsonReader::Kind::Object) {
        return r.skipValue();
    }
    if (!r.beginObject()) {
        return false;
    }
    std::string_view key;
    while (r.nextMember(key)) {
        if (!member(key)) {
            return false;
        }
    }
    return !r.failed();
}

} // namespace

Result<void> AnthropicProtocol::parseEvent(const SseParser::Event &event, LlmApi,
                                           LlmStreamState &state, LlmResponse &out,
                                           LlmStreamSink &sink) const
{
    if (state.done) {
        return {};
    }
    JsonReader r(event.data);
    EventParts e;
    std::string s1;
    std::string s2;
    std::string s3;
    std::string s4;
    bool ok
        = r.peek() == JsonReader::Kind::Object && readObject(r, [&](std::string_view key) {
              if (key == "type") {
                  return readString(r, e.type, s1);
              }
              if (key == "index") {
                  return r.peek() == JsonReader::Kind::Number ? r.readInt(e.index) : r.skipValue();
              }
              if (key == "delta") {
                  return readObject(r, [&](std::string_view k) {
                      if (k == "type") {
                          return readString(r, e.deltaType, s2);
                      }
                      if (k == "text") {
                          return readString(r, e.text, state.scratch);
                      }
                      if (k == "partial_json") {
                          return readString(r, e.partialJson, state.scratch);
                      }
                      if (k == "stop_reason") {
                          return readString(r, e.stopReason, s3);
                      }
                      return r.skipValue();
                  });
              }
              if (key == "usage") {
                  return readEventUsage(r, e);
              }
              if (key == "message") {
                  return readObject(r, [&](std::string_view k) {
                      if (k == "model") {
                          return readString(r, e.model, s3);
                      }
                      if (k == "usage") {
                          return readEventUsage(r, e);
                      }
                      return r.skipValue();
                  });
              }
              if (key == "content_block") {
                  return readObject(r, [&](std::string_view k) {
                      if (k == "type") {
                          return readString(r, e.blockType, s2);
                      }
                      if (k == "id") {
                          return readString(r, e.blockId, s3);
                      }
                      if (k == "name") {
                          return readString(r, e.blockName, s4);
                      }
                      return r.skipValue();
                  });
              }
              if (key == "error") {
                  e.hasError = r.peek() != JsonReader::Kind::Null;
              }
              return r.skipValue();
          });
    if (!ok || !r.finish()) {
        return fail(ErrorCode::Provider,
                    "malformed JSON in a stream event: " + excerpt(event.data));
    }
    std::string_view type = e.type.empty() ? std::string_view(event.type) : e.type;
    if (e.hasError || type == "error") {
        return fail(ErrorCode::Provider,
                    "the server reported an error mid-stream: " + errorMessage(event.data));
    }
    const auto applyUsage = [&] {
        if (e.hasInput) {
            out.usage.promptTokens = e.input + e.cacheRead + e.cacheCreation;
            out.usage.cachedPromptTokens = e.cacheRead;
            out.usage.cacheWriteTokens = e.cacheCreation;
        }
        if (e.hasOutput) {
            out.usage.completionTokens = e.output;
        }
    };
    if (type == "content_block_delta") {
        if (e.deltaType == "text_delta" && !e.text.empty()) {
            out.text.append(e.text);
            sink.contentDelta(e.text);
        } else if (e.deltaType == "input_json_delta") {
            const auto it = state.toolBlocks.find(int(e.index));
            if (it != state.toolBlocks.end() && out.toolCalls.is_array()
                && it->second < out.toolCalls.size()) {
                out.toolCalls[it->second]["function"]["arguments"].get_ref<std::string &>().append(
                    e.partialJson);
            }
        }
    } else if (type == "content_block_start") {
        if (e.blockType == "tool_use") {
            if (!out.toolCalls.is_array()) {
                out.toolCalls = Value::array();
            }
            state.toolBlocks[int(e.index)] = out.toolCalls.size();
            out.toolCalls.push_back(
                Value{{"id", e.blockId},
                      {"type", "function"},
                      {"function", {{"name", e.blockName}, {"arguments", ""}}}});
        }
    } else if (type == "message_start") {
        out.model.assign(e.model);
        applyUsage(); // output tokens so far; the final count comes with message_delta
    } else if (type == "message_delta") {
        if (!e.stopReason.empty()) {
            out.finishReason = finishReason(e.stopReason);
            state.finished = true;
        }
        applyUsage();
        if (e.hasOutput) {
            out.usage.reported = true;
        }
    } else if (type == "message_stop") {
        state.done = true;
    }
    // ping, content_block_stop and unknown events carry nothing we need.
    return {};
}

} // namespace fb
