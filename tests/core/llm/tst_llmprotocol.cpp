// The wire protocols without a network: URLs, headers and bodies each provider expects,
// and decoding of real-shaped answers (OpenAI, Azure, llama.cpp, Anthropic), whole and
// streamed, including tool-call deltas, usage placement and malformed chunks.

#include <core/llm/anthropicprotocol.h>
#include <core/llm/llmprotocol.h>
#include <core/llm/openaiprotocol.h>
#include <core/llm/sseparser.h>

#include <QtTest>

using namespace fb;

namespace {

/// Test JSON is written with ' for an escaped quote (\") inside JSON strings: moc cannot
/// read raw string literals that contain \".
QString esc(const char *text)
{
    return QString::fromUtf8(text).replace(QLatin1Char('\''), QStringLiteral("\\\""));
}

Connection makeConnection(ConnectionType type, const QStringList &fields)
{
    Connection c;
    c.name = "conn";
    c.type = type;
    for (const QString &f : fields) {
        const auto eq = f.indexOf(QLatin1Char('='));
        const std::string key = f.left(eq).toStdString();
        const std::string value = f.mid(eq + 1).toStdString();
        (key == "api_key" ? c.secrets : c.configs)[key] = value;
    }
    return c;
}

LlmRequest chatRequest(const std::string &model)
{
    LlmRequest r;
    r.model = model;
    r.messages = {{"system", "Be brief.", "", "", nullptr}, {"user", "Hi", "", "", nullptr}};
    return r;
}

class Sink final : public LlmStreamSink
{
public:
    void contentDelta(std::string_view delta) override
    {
        deltas << QString::fromUtf8(delta.data(), int(delta.size()));
    }
    QStringList deltas;
};

struct StreamOutcome
{
    QStringList deltas;
    LlmResponse response;
    LlmStreamState state;
    std::optional<Error> error;
};

StreamOutcome decodeStream(const LlmProtocol &protocol, LlmApi api, const QByteArray &stream)
{
    StreamOutcome out;
    SseParser parser;
    std::vector<SseParser::Event> events;
    parser.feed(stream.toStdString(), events);
    Sink sink;
    for (const auto &e : events) {
        auto r = protocol.parseEvent(e, api, out.state, out.response, sink);
        if (!r) {
            out.error = r.error();
            break;
        }
    }
    out.deltas = sink.deltas;
    return out;
}

} // namespace

class TestLlmProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void url_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("chat");
        QTest::addColumn<QString>("expected"); // "!" prefix: error containing the rest

        QTest::newRow("openai-default")
            << int(ConnectionType::OpenAi) << QStringList{"api_key=k"} << "gpt-4o" << true
            << "https://api.openai.com/v1/chat/completions";
        QTest::newRow("openai-base-url-trailing-slash")
            << int(ConnectionType::OpenAi) << QStringList{"base_url=http://127.0.0.1:8080/v1/"}
            << "m" << true << "http://127.0.0.1:8080/v1/chat/completions";
        QTest::newRow("openai-completions")
            << int(ConnectionType::OpenAi) << QStringList{"base_url=http://h/v1"} << "m" << false
            << "http://h/v1/completions";
        QTest::newRow("azure-default-version")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r.openai.azure.com/"} << "gpt-4o-dep"
            << true
            << "https://r.openai.azure.com/openai/deployments/gpt-4o-dep/chat/completions"
               "?api-version=2024-02-01";
        QTest::newRow("azure-version-and-completions")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r", "api_version=2024-10-21"} << "my dep"
            << false << "https://r/openai/deployments/my%20dep/completions?api-version=2024-10-21";
        QTest::newRow("azure-without-deployment")
            << int(ConnectionType::AzureOpenAi) << QStringList{"api_key=k", "api_base=https://r"}
            << "" << true << "!names no deployment_name";
        QTest::newRow("serverless")
            << int(ConnectionType::Serverless) << QStringList{"api_key=k", "api_base=https://s/v1"}
            << "" << true << "https://s/v1/chat/completions";
        QTest::newRow("serverless-without-base")
            << int(ConnectionType::Serverless) << QStringList{"api_key=k"} << "" << true
            << "!has no api_base";
        QTest::newRow("anthropic-default")
            << int(ConnectionType::Anthropic) << QStringList{"api_key=k"} << "claude" << true
            << "https://api.anthropic.com/v1/messages";
        QTest::newRow("anthropic-base-with-v1")
            << int(ConnectionType::Anthropic)
            << QStringList{"api_key=k", "api_base=http://127.0.0.1:9/v1/"} << "claude" << true
            << "http://127.0.0.1:9/v1/messages";
        QTest::newRow("anthropic-base-plain")
            << int(ConnectionType::Anthropic)
            << QStringList{"api_key=k", "api_base=http://127.0.0.1:9"} << "claude" << true
            << "http://127.0.0.1:9/v1/messages";
    }
    void url()
    {
        QFETCH(int, type);
        QFETCH(QStringList, fields);
        QFETCH(QString, model);
        QFETCH(bool, chat);
        QFETCH(QString, expected);
        const Connection c = makeConnection(ConnectionType(type), fields);
        LlmRequest r = chatRequest(model.toStdString());
        r.api = chat ? LlmApi::Chat : LlmApi::Completion;
        const auto got = LlmProtocol::forType(c.type)->url(c, r);
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY(!got.has_value());
            QCOMPARE(got.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(QString::fromStdString(got.error().message).contains(expected.mid(1)),
                     got.error().message.c_str());
        } else {
            QVERIFY2(got.has_value(), got.has_value() ? "" : got.error().message.c_str());
            QCOMPARE(QString::fromStdString(*got), expected);
        }
    }

    void modelsUrl_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("expected"); // "!" prefix: error containing the rest

        QTest::newRow("openai-default") << int(ConnectionType::OpenAi) << QStringList{"api_key=k"}
                                        << "https://api.openai.com/v1/models";
        QTest::newRow("openai-base-url-trailing-slash")
            << int(ConnectionType::OpenAi) << QStringList{"base_url=http://127.0.0.1:8080/v1/"}
            << "http://127.0.0.1:8080/v1/models";
        QTest::newRow("openai-api-base-when-no-base-url")
            << int(ConnectionType::OpenAi) << QStringList{"api_base=http://h/v1"}
            << "http://h/v1/models";
        QTest::newRow("azure-default-version")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r.openai.azure.com/"}
            << "https://r.openai.azure.com/openai/models?api-version=2024-02-01";
        QTest::newRow("azure-version")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r", "api_version=2024-10-21"}
            << "https://r/openai/models?api-version=2024-10-21";
        QTest::newRow("azure-without-base")
            << int(ConnectionType::AzureOpenAi) << QStringList{"api_key=k"} << "!has no api_base";
        QTest::newRow("serverless")
            << int(ConnectionType::Serverless) << QStringList{"api_key=k", "api_base=https://s/v1"}
            << "https://s/v1/models";
        QTest::newRow("serverless-without-base")
            << int(ConnectionType::Serverless) << QStringList{"api_key=k"} << "!has no api_base";
        QTest::newRow("anthropic-default")
            << int(ConnectionType::Anthropic) << QStringList{"api_key=k"}
            << "https://api.anthropic.com/v1/models";
        QTest::newRow("anthropic-base-with-v1")
            << int(ConnectionType::Anthropic)
            << QStringList{"api_key=k", "api_base=http://127.0.0.1:9/v1/"}
            << "http://127.0.0.1:9/v1/models";
    }
    void modelsUrl()
    {
        QFETCH(int, type);
        QFETCH(QStringList, fields);
        QFETCH(QString, expected);
        const Connection c = makeConnection(ConnectionType(type), fields);
        const auto got = LlmProtocol::forType(c.type)->modelsUrl(c);
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY(!got.has_value());
            QCOMPARE(got.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(QString::fromStdString(got.error().message).contains(expected.mid(1)),
                     got.error().message.c_str());
        } else {
            QVERIFY2(got.has_value(), got.has_value() ? "" : got.error().message.c_str());
            QCOMPARE(QString::fromStdString(*got), expected);
        }
    }

    void headers_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QStringList>("expected"); // besides Content-Type and Expect
        QTest::addColumn<bool>("bearer");

        QTest::newRow("openai") << int(ConnectionType::OpenAi)
                                << QStringList{"api_key=sk", "organization=org-9"}
                                << QStringList{"Authorization: Bearer sk",
                                               "OpenAI-Organization: org-9"}
                                << false;
        QTest::newRow("openai-keyless-local")
            << int(ConnectionType::OpenAi) << QStringList{"base_url=http://h/v1"} << QStringList()
            << false;
        QTest::newRow("azure-key")
            << int(ConnectionType::AzureOpenAi) << QStringList{"api_key=ak", "api_base=https://r"}
            << QStringList{"api-key: ak"} << false;
        QTest::newRow("azure-meid-token")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_base=https://r", "auth_mode=meid_token"} << QStringList() << true;
        QTest::newRow("serverless")
            << int(ConnectionType::Serverless) << QStringList{"api_key=sv", "api_base=https://s"}
            << QStringList{"Authorization: Bearer sv"} << false;
        QTest::newRow("anthropic-default-version")
            << int(ConnectionType::Anthropic) << QStringList{"api_key=an"}
            << QStringList{"x-api-key: an", "anthropic-version: 2023-06-01"} << false;
        QTest::newRow("anthropic-version")
            << int(ConnectionType::Anthropic)
            << QStringList{"api_key=an", "anthropic_version=2024-01-01"}
            << QStringList{"x-api-key: an", "anthropic-version: 2024-01-01"} << false;
    }
    void headers()
    {
        QFETCH(int, type);
        QFETCH(QStringList, fields);
        QFETCH(QStringList, expected);
        QFETCH(bool, bearer);
        const Connection c = makeConnection(ConnectionType(type), fields);
        const LlmProtocol *p = LlmProtocol::forType(c.type);
        const auto got = p->headers(c);
        QVERIFY2(got.has_value(), got.has_value() ? "" : got.error().message.c_str());
        QStringList lines;
        for (const auto &h : *got) {
            lines << QString::fromStdString(h);
        }
        QVERIFY(lines.contains(QStringLiteral("Content-Type: application/json")));
        lines.removeAll(QStringLiteral("Content-Type: application/json"));
        lines.removeAll(QStringLiteral("Expect:"));
        QCOMPARE(lines, expected);
        QCOMPARE(p->usesBearerToken(c), bearer);
    }

    void headerErrors_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("azure-key-mode-without-key")
            << int(ConnectionType::AzureOpenAi) << QStringList{"api_base=https://r"};
        QTest::newRow("anthropic-without-key") << int(ConnectionType::Anthropic) << QStringList();
    }
    void headerErrors()
    {
        QFETCH(int, type);
        QFETCH(QStringList, fields);
        const Connection c = makeConnection(ConnectionType(type), fields);
        const auto got = LlmProtocol::forType(c.type)->headers(c);
        QVERIFY(!got.has_value());
        QCOMPARE(got.error().code, ErrorCode::InvalidArgument);
        QVERIFY(QString::fromStdString(got.error().message).contains("api_key"));
    }

    void body_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QByteArray>("parameters");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QByteArray>("expected");

        const QByteArray msgs = R"([{"role":"system","content":"Be brief."},)"
                                R"({"role":"user","content":"Hi"}])";
        QTest::newRow("openai-params-by-name")
            << int(ConnectionType::OpenAi) << QStringList{"api_key=k"}
            << QByteArray(R"({"temperature":0.2,"max_tokens":16,"stop":["\n"],"seed":7})") << false
            << (R"({"model":"m","messages":)" + msgs
                + R"(,"temperature":0.2,"max_tokens":16,"stop":["\n"],"seed":7})");
        QTest::newRow("openai-stream-with-usage")
            << int(ConnectionType::OpenAi) << QStringList{"api_key=k"} << QByteArray("{}") << true
            << (R"({"model":"m","messages":)" + msgs
                + R"(,"stream":true,"stream_options":{"include_usage":true}})");
        QTest::newRow("openai-stream-usage-off")
            << int(ConnectionType::OpenAi) << QStringList{"api_key=k", "stream_usage=false"}
            << QByteArray("{}") << true
            << (R"({"model":"m","messages":)" + msgs + R"(,"stream":true})");
        QTest::newRow("azure-old-version-no-stream-options")
            << int(ConnectionType::AzureOpenAi) << QStringList{"api_key=k", "api_base=https://r"}
            << QByteArray(R"({"model":"ignored"})") << true
            << (R"({"messages":)" + msgs + R"(,"stream":true})");
        QTest::newRow("azure-new-version-stream-options")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r", "api_version=2024-10-21"}
            << QByteArray("{}") << true
            << (R"({"messages":)" + msgs
                + R"(,"stream":true,"stream_options":{"include_usage":true}})");
        QTest::newRow("azure-stream-usage-forced")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r", "stream_usage=true"}
            << QByteArray("{}") << true
            << (R"({"messages":)" + msgs
                + R"(,"stream":true,"stream_options":{"include_usage":true}})");
        QTest::newRow("anthropic-system-folded-defaults")
            << int(ConnectionType::Anthropic) << QStringList{"api_key=k"}
            << QByteArray(R"({"temperature":0,"stop":"END","presence_penalty":1,)"
                          R"("frequency_penalty":1,"logit_bias":{},"seed":1,"response_format":{}})")
            << true
            << QByteArray(R"({"model":"m","max_tokens":1024,"system":"Be brief.",)"
                          R"("messages":[{"role":"user","content":"Hi"}],"temperature":0,)"
                          R"("stop_sequences":["END"],"stream":true})");
        QTest::newRow("anthropic-max-tokens-and-tools")
            << int(ConnectionType::Anthropic) << QStringList{"api_key=k"}
            << QByteArray(R"({"max_tokens":50,"tools":[{"type":"function","function":)"
                          R"({"name":"get","description":"d","parameters":{"type":"object"}}}],)"
                          R"("tool_choice":"required"})")
            << false
            << QByteArray(R"({"model":"m","max_tokens":50,"system":"Be brief.",)"
                          R"("messages":[{"role":"user","content":"Hi"}],)"
                          R"("tools":[{"name":"get","description":"d","input_schema":)"
                          R"({"type":"object"}}],"tool_choice":{"type":"any"}})");
    }
    void body()
    {
        QFETCH(int, type);
        QFETCH(QStringList, fields);
        QFETCH(QByteArray, parameters);
        QFETCH(bool, stream);
        QFETCH(QByteArray, expected);
        const Connection c = makeConnection(ConnectionType(type), fields);
        LlmRequest r = chatRequest("m");
        r.parameters = Value::parse(parameters.toStdString());
        r.stream = stream;
        const auto got = LlmProtocol::forType(c.type)->body(c, r);
        QVERIFY2(got.has_value(), got.has_value() ? "" : got.error().message.c_str());
        QCOMPARE(QString::fromStdString(*got), QString::fromUtf8(expected));
    }

    void messageFields()
    {
        // name, tool_calls and tool_call_id go out where present (OpenAI) and become
        // tool_use / tool_result blocks (Anthropic).
        LlmRequest r;
        r.model = "m";
        const Value calls = Value::parse(
            esc(R"([{"id":"call_1","type":"function","function":{"name":"f","arguments":"{'x':1}"}}])")
                .toStdString());
        r.messages = {{"user", "q", "alice", "", nullptr},
                      {"assistant", "", "", "", calls},
                      {"tool", "42", "", "call_1", nullptr}};
        const Connection oa = makeConnection(ConnectionType::OpenAi, {"api_key=k"});
        const auto openAi = LlmProtocol::forType(oa.type)->body(oa, r);
        QVERIFY(openAi.has_value());
        QCOMPARE(QString::fromStdString(*openAi),
                 esc(R"({"model":"m","messages":[{"role":"user","content":"q","name":"alice"},)"
                     R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1",)"
                     R"("type":"function","function":{"name":"f","arguments":"{'x':1}"}}]},)"
                     R"({"role":"tool","content":"42","tool_call_id":"call_1"}]})"));
        const Connection an = makeConnection(ConnectionType::Anthropic, {"api_key=k"});
        const auto anthropic = LlmProtocol::forType(an.type)->body(an, r);
        QVERIFY(anthropic.has_value());
        QCOMPARE(QString::fromStdString(*anthropic),
                 QStringLiteral(
                     R"({"model":"m","max_tokens":1024,"messages":[{"role":"user","content":"q"},)"
                     R"({"role":"assistant","content":[{"type":"tool_use","id":"call_1",)"
                     R"("name":"f","input":{"x":1}}]},{"role":"user","content":[{"type":)"
                     R"("tool_result","tool_use_id":"call_1","content":"42"}]}]})"));
    }

    void parseResponse_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("chat");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("finish");
        QTest::addColumn<int>("promptTokens");
        QTest::addColumn<int>("completionTokens");
        QTest::addColumn<bool>("reported");
        QTest::addColumn<QString>("toolCalls");

        QTest::newRow("openai-chat")
            << int(ConnectionType::OpenAi) << true
            << QByteArray(R"({"id":"x","object":"chat.completion","model":"gpt-4o-2024",)"
                          R"("choices":[{"index":0,"message":{"role":"assistant","content":)"
                          R"("Hello!"},"logprobs":null,"finish_reason":"stop"}],"usage":)"
                          R"({"prompt_tokens":9,"completion_tokens":3,"total_tokens":12,)"
                          R"("prompt_tokens_details":{"cached_tokens":0}}})")
            << "Hello!"
            << "stop" << 9 << 3 << true << "null";
        QTest::newRow("openai-tool-calls")
            << int(ConnectionType::OpenAi) << true
            << QByteArray(R"({"choices":[{"message":{"role":"assistant","content":null,)"
                          R"("tool_calls":[{"id":"c","type":"function","function":{"name":"f",)"
                          R"("arguments":"{}"}}]},"finish_reason":"tool_calls"}]})")
            << ""
            << "tool_calls" << 0 << 0 << false
            << R"([{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}])";
        QTest::newRow("llamacpp-with-timings")
            << int(ConnectionType::OpenAi) << true
            << QByteArray(R"({"choices":[{"finish_reason":"length","index":0,"message":)"
                          R"({"content":"abc","role":"assistant"}}],"created":1,"model":"x",)"
                          R"("usage":{"completion_tokens":2,"prompt_tokens":5,"total_tokens":7},)"
                          R"("timings":{"prompt_n":5,"predicted_ms":3.1}})")
            << "abc"
            << "length" << 5 << 2 << true << "null";
        QTest::newRow("openai-completion")
            << int(ConnectionType::OpenAi) << false
            << QByteArray(R"({"choices":[{"text":" world","index":0,"finish_reason":"stop"}],)"
                          R"("usage":{"prompt_tokens":1,"completion_tokens":1}})")
            << " world"
            << "stop" << 1 << 1 << true << "null";
        QTest::newRow("anthropic-message")
            << int(ConnectionType::Anthropic) << true
            << QByteArray(R"({"id":"msg","type":"message","role":"assistant","model":"claude",)"
                          R"("content":[{"type":"text","text":"Hi "},{"type":"text","text":)"
                          R"("there"}],"stop_reason":"end_turn","usage":{"input_tokens":10,)"
                          R"("output_tokens":2}})")
            << "Hi there"
            << "stop" << 10 << 2 << true << "null";
        QTest::newRow("anthropic-tool-use")
            << int(ConnectionType::Anthropic) << true
            << QByteArray(R"({"type":"message","content":[{"type":"tool_use","id":"tu","name":)"
                          R"("get","input":{"q":"x"}}],"stop_reason":"tool_use","usage":)"
                          R"({"input_tokens":1,"output_tokens":1}})")
            << ""
            << "tool_calls" << 1 << 1 << true
            << esc(R"([{"id":"tu","type":"function","function":{"name":"get","arguments":"{'q':'x'}"}}])");
    }
    void parseResponse()
    {
        QFETCH(int, type);
        QFETCH(bool, chat);
        QFETCH(QByteArray, body);
        QFETCH(QString, text);
        QFETCH(QString, finish);
        QFETCH(int, promptTokens);
        QFETCH(int, completionTokens);
        QFETCH(bool, reported);
        QFETCH(QString, toolCalls);
        LlmResponse out;
        const auto r = LlmProtocol::forType(ConnectionType(type))
                           ->parseResponse(body.toStdString(),
                                           chat ? LlmApi::Chat : LlmApi::Completion, out);
        QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
        QCOMPARE(QString::fromStdString(out.text), text);
        QCOMPARE(QString::fromStdString(out.finishReason), finish);
        QCOMPARE(int(out.usage.promptTokens), promptTokens);
        QCOMPARE(int(out.usage.completionTokens), completionTokens);
        QCOMPARE(out.usage.reported, reported);
        QCOMPARE(QString::fromStdString(out.toolCalls.dump()), toolCalls);
    }

    void parseResponseErrors_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not-json") << int(ConnectionType::OpenAi) << QByteArray("<html>oops")
                                  << "not a JSON object: <html>oops";
        QTest::newRow("no-choices")
            << int(ConnectionType::OpenAi) << QByteArray(R"({"choices":[]})") << "no choices";
        QTest::newRow("error-object")
            << int(ConnectionType::OpenAi)
            << QByteArray(R"({"error":{"message":"model overloaded","type":"server_error"}})")
            << "model overloaded";
        QTest::newRow("anthropic-error")
            << int(ConnectionType::Anthropic)
            << QByteArray(R"({"type":"error","error":{"type":"x","message":"bad thing"}})")
            << "bad thing";
    }
    void parseResponseErrors()
    {
        QFETCH(int, type);
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        LlmResponse out;
        const auto r = LlmProtocol::forType(ConnectionType(type))
                           ->parseResponse(body.toStdString(), LlmApi::Chat, out);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::Provider);
        QVERIFY2(QString::fromStdString(r.error().message).contains(mentions),
                 r.error().message.c_str());
    }

    void stream_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("chat");
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("deltas");
        QTest::addColumn<QString>("finish");
        QTest::addColumn<bool>("done");
        QTest::addColumn<int>("promptTokens");
        QTest::addColumn<int>("completionTokens");
        QTest::addColumn<bool>("reported");
        QTest::addColumn<QString>("toolCalls");
        QTest::addColumn<QString>("error");

        QTest::newRow("openai-usage-on-last-empty-choices")
            << int(ConnectionType::OpenAi) << true
            << QByteArray("data: {\"model\":\"gpt\",\"choices\":[{\"index\":0,\"delta\":{\"role\":"
                          "\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
                          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"He\"}}]}\n\n"
                          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"llo\"}}]}\n\n"
                          "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":"
                          "\"stop\"}],\"usage\":null}\n\n"
                          "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":7,"
                          "\"completion_tokens\":2}}\n\n"
                          "data: [DONE]\n\n")
            << "He|llo"
            << "stop" << true << 7 << 2 << true << "null"
            << "";
        QTest::newRow("llamacpp-usage-on-finish-chunk")
            << int(ConnectionType::OpenAi) << true
            << QByteArray("data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":"
                          "{\"content\":\"A\"}}]}\n\n"
                          "data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":"
                          "{}}],\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":3},"
                          "\"timings\":{\"predicted_ms\":1}}\n\n"
                          "data: [DONE]\n\n")
            << "A"
            << "length" << true << 3 << 1 << true << "null"
            << "";
        QTest::newRow("openai-no-usage-no-done")
            << int(ConnectionType::OpenAi) << true
            << QByteArray("data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":"
                          "\"stop\"}]}\n\n")
            << "x"
            << "stop" << false << 0 << 0 << false << "null"
            << "";
        QTest::newRow("openai-tool-call-deltas")
            << int(ConnectionType::OpenAi) << true
            << QByteArray("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":"
                          "\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get\","
                          "\"arguments\":\"\"}}]}}]}\n\n"
                          "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
                          "\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}}]}\n\n"
                          "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":"
                          "\"call_b\",\"function\":{\"name\":\"put\",\"arguments\":\"{}\"}}]}}]}"
                          "\n\n"
                          "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
                          "\"function\":{\"arguments\":\"1}\"}}]}}]}\n\n"
                          "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"
                          "\n\n"
                          "data: [DONE]\n\n")
            << ""
            << "tool_calls" << true << 0 << 0 << false
            << esc(R"([{"id":"call_a","type":"function","function":{"name":"get","arguments":"{'q':1}"}},)"
                   R"({"id":"call_b","type":"function","function":{"name":"put","arguments":"{}"}}])")
            << "";
        QTest::newRow("openai-completions-stream")
            << int(ConnectionType::OpenAi) << false
            << QByteArray("data: {\"choices\":[{\"text\":\"one\",\"index\":0}]}\n\n"
                          "data: {\"choices\":[{\"text\":\" two\",\"index\":0,\"finish_reason\":"
                          "\"stop\"}]}\n\ndata: [DONE]\n\n")
            << "one| two"
            << "stop" << true << 0 << 0 << false << "null"
            << "";
        QTest::newRow("azure-content-filter-chunks")
            << int(ConnectionType::AzureOpenAi) << true
            << QByteArray("data: {\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}"
                          "\n\n"
                          "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},"
                          "\"content_filter_results\":{}}]}\n\n"
                          "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":"
                          "\"stop\"}]}\n\ndata: [DONE]\n\n")
            << "ok"
            << "stop" << true << 0 << 0 << false << "null"
            << "";
        QTest::newRow("malformed-chunk")
            << int(ConnectionType::OpenAi) << true
            << QByteArray("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                          "data: {\"choices\":[{\"delta\n\n")
            << "a"
            << "" << false << 0 << 0 << false << "null"
            << "malformed JSON in a stream chunk";
        QTest::newRow("error-chunk")
            << int(ConnectionType::OpenAi) << true
            << QByteArray("data: {\"error\":{\"message\":\"context too long\"}}\n\n") << ""
            << "" << false << 0 << 0 << false << "null"
            << "context too long";
        QTest::newRow("anthropic-stream")
            << int(ConnectionType::Anthropic) << true
            << QByteArray(
                   "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":"
                   "\"claude-3\",\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
                   "event: content_block_start\ndata: "
                   "{\"type\":\"content_block_start\",\"index\":0,"
                   "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                   "event: ping\ndata: {\"type\":\"ping\"}\n\n"
                   "event: content_block_delta\ndata: "
                   "{\"type\":\"content_block_delta\",\"index\":0,"
                   "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n"
                   "event: content_block_delta\ndata: "
                   "{\"type\":\"content_block_delta\",\"index\":0,"
                   "\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}\n\n"
                   "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}"
                   "\n\n"
                   "event: message_delta\ndata: "
                   "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                   "\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n"
                   "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
            << "Hel|lo"
            << "length" << true << 25 << 15 << true << "null"
            << "";
        QTest::newRow("anthropic-tool-use-stream")
            << int(ConnectionType::Anthropic) << true
            << QByteArray(
                   "event: content_block_start\ndata: "
                   "{\"type\":\"content_block_start\",\"index\":1,"
                   "\"content_block\":{\"type\":\"tool_use\",\"id\":\"tu1\",\"name\":\"get\","
                   "\"input\":{}}}\n\n"
                   "event: content_block_delta\ndata: "
                   "{\"type\":\"content_block_delta\",\"index\":1,"
                   "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\"\"}}\n\n"
                   "event: content_block_delta\ndata: "
                   "{\"type\":\"content_block_delta\",\"index\":1,"
                   "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\":2}\"}}\n\n"
                   "event: message_delta\ndata: "
                   "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                   "\"tool_use\"},\"usage\":{\"output_tokens\":9}}\n\n"
                   "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
            << ""
            << "tool_calls" << true << 0 << 9 << true
            << esc(R"([{"id":"tu1","type":"function","function":{"name":"get","arguments":"{'a':2}"}}])")
            << "";
        QTest::newRow("anthropic-error-event")
            << int(ConnectionType::Anthropic) << true
            << QByteArray("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
                          "\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
            << ""
            << "" << false << 0 << 0 << false << "null"
            << "Overloaded";
    }
    void stream()
    {
        QFETCH(int, type);
        QFETCH(bool, chat);
        QFETCH(QByteArray, stream);
        QFETCH(QString, deltas);
        QFETCH(QString, finish);
        QFETCH(bool, done);
        QFETCH(int, promptTokens);
        QFETCH(int, completionTokens);
        QFETCH(bool, reported);
        QFETCH(QString, toolCalls);
        QFETCH(QString, error);
        const StreamOutcome out = decodeStream(*LlmProtocol::forType(ConnectionType(type)),
                                               chat ? LlmApi::Chat : LlmApi::Completion, stream);
        QCOMPARE(out.deltas.join(QLatin1Char('|')), deltas);
        QCOMPARE(QString::fromStdString(out.response.text), deltas.remove(QLatin1Char('|')));
        if (error.isEmpty()) {
            QVERIFY2(!out.error, out.error ? out.error->message.c_str() : "");
        } else {
            QVERIFY(out.error.has_value());
            QCOMPARE(out.error->code, ErrorCode::Provider);
            QVERIFY2(QString::fromStdString(out.error->message).contains(error),
                     out.error->message.c_str());
            return;
        }
        QCOMPARE(QString::fromStdString(out.response.finishReason), finish);
        QCOMPARE(out.state.done, done);
        QCOMPARE(out.state.finished, !finish.isEmpty());
        QCOMPARE(int(out.response.usage.promptTokens), promptTokens);
        QCOMPARE(int(out.response.usage.completionTokens), completionTokens);
        QCOMPARE(out.response.usage.reported, reported);
        QCOMPARE(QString::fromStdString(out.response.toolCalls.dump()), toolCalls);
    }

    // Prompt-cache counts: OpenAI's cached_tokens; Anthropic's cache reads and cache writes,
    // which its input_tokens leaves out (promptTokens is their sum) and which cost differently.
    void cacheTokens_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("streamed");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("promptTokens");
        QTest::addColumn<int>("cachedTokens");
        QTest::addColumn<int>("cacheWriteTokens");

        QTest::newRow("openai-cached")
            << int(ConnectionType::OpenAi) << false
            << QByteArray("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":"
                          "\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
                          "2006,\"completion_tokens\":300,\"prompt_tokens_details\":"
                          "{\"cached_tokens\":1920}}}")
            << 2006 << 1920 << 0;
        QTest::newRow("anthropic-read-and-write")
            << int(ConnectionType::Anthropic) << false
            << QByteArray("{\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":"
                          "\"ok\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":"
                          "21,\"cache_creation_input_tokens\":188086,"
                          "\"cache_read_input_tokens\":1000,\"output_tokens\":393}}")
            << 21 + 188086 + 1000 << 1000 << 188086;
        QTest::newRow("anthropic-stream")
            << int(ConnectionType::Anthropic) << true
            << QByteArray("event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
                          "{\"model\":\"claude\",\"usage\":{\"input_tokens\":5,"
                          "\"cache_creation_input_tokens\":2048,\"cache_read_input_tokens\":0,"
                          "\"output_tokens\":1}}}\n\n"
                          "event: content_block_delta\ndata: {\"type\":\"content_block_delta\","
                          "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"ok\"}}\n\n"
                          "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
                          "{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}\n\n"
                          "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
            << 5 + 2048 << 0 << 2048;
    }
    void cacheTokens()
    {
        QFETCH(int, type);
        QFETCH(bool, streamed);
        QFETCH(QByteArray, body);
        QFETCH(int, promptTokens);
        QFETCH(int, cachedTokens);
        QFETCH(int, cacheWriteTokens);
        const LlmProtocol &protocol = *LlmProtocol::forType(ConnectionType(type));
        LlmResponse response;
        if (streamed) {
            const StreamOutcome out = decodeStream(protocol, LlmApi::Chat, body);
            QVERIFY2(!out.error, out.error ? out.error->message.c_str() : "");
            response = out.response;
        } else {
            const auto r = protocol.parseResponse(body.toStdString(), LlmApi::Chat, response);
            QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
        }
        QCOMPARE(QString::fromStdString(response.text), QStringLiteral("ok"));
        QCOMPARE(int(response.usage.promptTokens), promptTokens);
        QCOMPARE(int(response.usage.cachedPromptTokens), cachedTokens);
        QCOMPARE(int(response.usage.cacheWriteTokens), cacheWriteTokens);
    }

    void errorMessage_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("openai") << QByteArray(R"({"error":{"message":"Invalid key","code":401}})")
                                << "Invalid key";
        QTest::newRow("string-error") << QByteArray(R"({"error":"nope"})") << "nope";
        QTest::newRow("detail") << QByteArray(R"({"detail":"Not Found"})") << "Not Found";
        QTest::newRow("plain-text") << QByteArray("Bad Gateway\n<html>\n") << "Bad Gateway <html>";
    }
    void errorMessage()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(LlmProtocol::errorMessage(body.toStdString())), expected);
    }
};

QTEST_GUILESS_MAIN(TestLlmProtocol)
#include "tst_llmprotocol.moc"
