// Embeddings (LlmApi::Embedding): URLs, bodies and answer decoding for every OpenAI-protocol
// flavour, Anthropic's clear refusal, and whole calls through LlmClient against a real
// flowbench-sim on 127.0.0.1 (deterministic vectors: same text, same vector).

#include <core/llm/llmclient.h>
#include <core/llm/llmprotocol.h>
#include <tests/common/simprocess.h>

#include <QtTest>

#include <cmath>
#include <cstring>

using namespace fb;
using fb::test::SimProcess;

namespace {

constexpr const char *kKey = "sim-key";

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

LlmRequest embeddingRequest(const std::string &model, std::vector<std::string> input)
{
    LlmRequest r;
    r.api = LlmApi::Embedding;
    r.model = model;
    r.input = std::move(input);
    return r;
}

/// Base64 of little-endian float32 values, as OpenAI sends with encoding_format=base64.
QByteArray base64Floats(const std::vector<float> &values)
{
    QByteArray bytes(int(values.size() * sizeof(float)), '\0');
    std::memcpy(bytes.data(), values.data(), std::size_t(bytes.size()));
    return bytes.toBase64();
}

LlmClientOptions singleAttempt()
{
    LlmClientOptions o;
    o.maxAttempts = 1;
    return o;
}

double norm(const std::vector<double> &v)
{
    double sum = 0;
    for (const double x : v) {
        sum += x * x;
    }
    return std::sqrt(sum);
}

double dot(const std::vector<double> &a, const std::vector<double> &b)
{
    double sum = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        sum += a[i] * b[i];
    }
    return sum;
}

} // namespace

class TestEmbeddings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void url_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected"); // "!text" = an error mentioning text

        QTest::newRow("openai-default")
            << int(ConnectionType::OpenAi) << QStringList{"api_key=k"} << "text-embedding-3-small"
            << "https://api.openai.com/v1/embeddings";
        QTest::newRow("openai-compatible-base-url")
            << int(ConnectionType::OpenAi) << QStringList{"base_url=http://127.0.0.1:9/v1/"} << "m"
            << "http://127.0.0.1:9/v1/embeddings";
        QTest::newRow("serverless") << int(ConnectionType::Serverless)
                                    << QStringList{"api_key=k", "api_base=https://s/v1"} << ""
                                    << "https://s/v1/embeddings";
        QTest::newRow("azure-default-version")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r.openai.azure.com/"} << "emb dep"
            << "https://r.openai.azure.com/openai/deployments/emb%20dep/embeddings"
               "?api-version=2024-02-01";
        QTest::newRow("azure-api-version")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_key=k", "api_base=https://r", "api_version=2024-10-21"} << "e"
            << "https://r/openai/deployments/e/embeddings?api-version=2024-10-21";
        QTest::newRow("azure-without-deployment")
            << int(ConnectionType::AzureOpenAi) << QStringList{"api_key=k", "api_base=https://r"}
            << ""
            << "!names no deployment_name";
        QTest::newRow("anthropic-has-none")
            << int(ConnectionType::Anthropic) << QStringList{"api_key=k"} << "claude"
            << "!Anthropic has no embeddings endpoint";
    }
    void url()
    {
        QFETCH(int, type);
        QFETCH(QStringList, fields);
        QFETCH(QString, model);
        QFETCH(QString, expected);
        const Connection c = makeConnection(ConnectionType(type), fields);
        const auto r = LlmProtocol::forType(ConnectionType(type))
                           ->url(c, embeddingRequest(model.toStdString(), {"hello"}));
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY(!r.has_value());
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(QString::fromStdString(r.error().message).contains(expected.mid(1)),
                     r.error().message.c_str());
            QVERIFY2(QString::fromStdString(r.error().message).contains(QStringLiteral("'conn'")),
                     r.error().message.c_str());
        } else {
            QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
            QCOMPARE(QString::fromStdString(*r), expected);
        }
    }

    void body_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QStringList>("input");
        QTest::addColumn<QString>("parameters");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<QString>("expected"); // JSON, or "!text" for an error

        QTest::newRow("openai-two-texts")
            << int(ConnectionType::OpenAi) << "text-embedding-3-small"
            << QStringList{"a", "b \"quoted\"\n"} << "{}" << false
            << QStringLiteral("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\","
                              "\"b \\\"quoted\\\"\\n\"],\"encoding_format\":\"float\"}");
        QTest::newRow("openai-dimensions-kept-chat-params-dropped")
            << int(ConnectionType::OpenAi) << "m" << QStringList{"x"}
            << R"({"temperature":0,"dimensions":256,"max_tokens":5,"user":"u1",)"
               R"("encoding_format":"base64"})"
            << false
            << R"({"model":"m","input":["x"],"dimensions":256,"user":"u1",)"
               R"("encoding_format":"float"})";
        QTest::newRow("stream-flag-ignored")
            << int(ConnectionType::OpenAi) << "m" << QStringList{"x"} << "{}" << true
            << R"({"model":"m","input":["x"],"encoding_format":"float"})";
        QTest::newRow("azure-no-model-in-body")
            << int(ConnectionType::AzureOpenAi) << "dep" << QStringList{"x", "y"} << "{}" << false
            << R"({"input":["x","y"],"encoding_format":"float"})";
        QTest::newRow("serverless")
            << int(ConnectionType::Serverless) << "" << QStringList{"x"} << "{}" << false
            << R"({"input":["x"],"encoding_format":"float"})";
        QTest::newRow("no-input") << int(ConnectionType::OpenAi) << "m" << QStringList{} << "{}"
                                  << false << "!needs at least one input text";
        QTest::newRow("anthropic-has-none")
            << int(ConnectionType::Anthropic) << "claude" << QStringList{"x"} << "{}" << false
            << "!Anthropic has no embeddings endpoint";
    }
    void body()
    {
        QFETCH(int, type);
        QFETCH(QString, model);
        QFETCH(QStringList, input);
        QFETCH(QString, parameters);
        QFETCH(bool, stream);
        QFETCH(QString, expected);
        const Connection c = makeConnection(
            ConnectionType(type), {"api_key=k", "api_base=https://r", "base_url=https://r"});
        std::vector<std::string> texts;
        for (const QString &t : input) {
            texts.push_back(t.toStdString());
        }
        LlmRequest request = embeddingRequest(model.toStdString(), texts);
        request.parameters = Value::parse(parameters.toStdString());
        request.stream = stream;
        const auto r = LlmProtocol::forType(ConnectionType(type))->body(c, request);
        if (expected.startsWith(QLatin1Char('!'))) {
            QVERIFY(!r.has_value());
            QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
            QVERIFY2(QString::fromStdString(r.error().message).contains(expected.mid(1)),
                     r.error().message.c_str());
            return;
        }
        QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
        const Value parsed = Value::parse(*r, nullptr, false);
        QVERIFY2(!parsed.is_discarded(), r->c_str());
        QCOMPARE(QString::fromStdString(parsed.dump()),
                 QString::fromStdString(Value::parse(expected.toStdString()).dump()));
    }

    void parseResponse_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("vectors"); // JSON array of the expected vectors
        QTest::addColumn<int>("promptTokens");
        QTest::addColumn<bool>("reported");
        QTest::addColumn<QString>("model");

        QTest::newRow("openai-two-in-order")
            << QByteArray(R"({"object":"list","data":[{"object":"embedding","index":0,)"
                          R"("embedding":[0.5,-0.25]},{"object":"embedding","index":1,)"
                          R"("embedding":[1,0]}],"model":"text-embedding-3-small",)"
                          R"("usage":{"prompt_tokens":7,"total_tokens":7}})")
            << "[[0.5,-0.25],[1.0,0.0]]" << 7 << true << "text-embedding-3-small";
        QTest::newRow("out-of-order-indices")
            << QByteArray(R"({"data":[{"index":1,"embedding":[2]},{"index":0,"embedding":[1]}],)"
                          R"("usage":{"prompt_tokens":2}})")
            << "[[1.0],[2.0]]" << 2 << true << "";
        QTest::newRow("no-index-uses-position-no-usage")
            << QByteArray(R"({"data":[{"embedding":[3,4]},{"embedding":[5,6]}]})")
            << "[[3.0,4.0],[5.0,6.0]]" << 0 << false << "";
        QTest::newRow("base64-float32") << (QByteArray(R"({"data":[{"index":0,"embedding":")")
                                            + base64Floats({1.0F, -0.5F, 0.25F})
                                            + QByteArray(R"("}],"usage":{"prompt_tokens":1}})"))
                                        << "[[1.0,-0.5,0.25]]" << 1 << true << "";
    }
    void parseResponse()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, vectors);
        QFETCH(int, promptTokens);
        QFETCH(bool, reported);
        QFETCH(QString, model);
        LlmResponse out;
        const auto r = LlmProtocol::forType(ConnectionType::OpenAi)
                           ->parseResponse(body.toStdString(), LlmApi::Embedding, out);
        QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
        const Value expected = Value::parse(vectors.toStdString());
        QCOMPARE(out.embeddings.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(out.embeddings[i].size(), expected[i].size());
            for (std::size_t k = 0; k < expected[i].size(); ++k) {
                QCOMPARE(out.embeddings[i][k], expected[i][k].get<double>());
            }
        }
        QCOMPARE(int(out.usage.promptTokens), promptTokens);
        QCOMPARE(int(out.usage.completionTokens), 0);
        QCOMPARE(out.usage.reported, reported);
        QCOMPARE(QString::fromStdString(out.model), model);
        QVERIFY(out.text.empty());
    }

    void parseResponseErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not-json") << QByteArray("<html>gateway") << "not a JSON object";
        QTest::newRow("no-data") << QByteArray(R"({"object":"list"})") << "has no data";
        QTest::newRow("empty-data") << QByteArray(R"({"data":[]})") << "has no data";
        QTest::newRow("index-out-of-range")
            << QByteArray(R"({"data":[{"index":3,"embedding":[1]}]})") << "index 3 outside";
        QTest::newRow("repeated-index")
            << QByteArray(R"({"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]})")
            << "repeats index 0";
        QTest::newRow("not-numbers")
            << QByteArray(R"({"data":[{"index":0,"embedding":["a"]}]})") << "not a vector";
        QTest::newRow("empty-vector")
            << QByteArray(R"({"data":[{"index":0,"embedding":[]}]})") << "not a vector";
        QTest::newRow("bad-base64")
            << QByteArray(R"({"data":[{"index":0,"embedding":"***"}]})") << "not a vector";
        QTest::newRow("error-object")
            << QByteArray(R"({"error":{"message":"input too long","type":"invalid"}})")
            << "input too long";
    }
    void parseResponseErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        LlmResponse out;
        const auto r = LlmProtocol::forType(ConnectionType::AzureOpenAi)
                           ->parseResponse(body.toStdString(), LlmApi::Embedding, out);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::Provider);
        QVERIFY2(QString::fromStdString(r.error().message).contains(mentions),
                 r.error().message.c_str());
        QVERIFY(out.embeddings.empty());
    }

    void initTestCase()
    {
        QVERIFY2(m_sim.start({QStringLiteral("--require-key"), QString::fromLatin1(kKey),
                              QStringLiteral("--quiet")}),
                 qPrintable(m_sim.errorString()));
    }

    void throughClient_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("dimensions"); // 0 = the server's default
        QTest::newRow("openai") << "openai" << 0;
        QTest::newRow("openai-dimensions") << "openai" << 16;
        QTest::newRow("azure") << "azure" << 0;
        QTest::newRow("serverless") << "serverless" << 32;
    }
    void throughClient()
    {
        QFETCH(QString, kind);
        QFETCH(int, dimensions);
        Connection c;
        c.name = "sim_" + kind.toStdString();
        c.secrets["api_key"] = kKey;
        if (kind == "openai") {
            c.type = ConnectionType::OpenAi;
            c.configs["base_url"] = m_sim.openAiBaseUrl();
        } else if (kind == "azure") {
            c.type = ConnectionType::AzureOpenAi;
            c.configs["api_base"] = m_sim.baseUrl();
        } else {
            c.type = ConnectionType::Serverless;
            c.configs["api_base"] = m_sim.openAiBaseUrl();
        }
        LlmRequest request = embeddingRequest(
            "text-embedding-3-small",
            {"The cat sat on the mat.", "A stock market report.", "The cat sat on the mat."});
        if (dimensions > 0) {
            request.parameters["dimensions"] = dimensions;
        }
        request.stream = true; // ignored for embeddings
        const auto r = m_client.call(c, request);
        QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
        QCOMPARE(r->embeddings.size(), std::size_t(3));
        const std::size_t expectedSize = dimensions > 0 ? std::size_t(dimensions) : 64;
        for (const auto &v : r->embeddings) {
            QCOMPARE(v.size(), expectedSize);
            QVERIFY(std::abs(norm(v) - 1.0) < 1e-4);
        }
        // Same text, same vector; different text, a clearly different one.
        QVERIFY(std::abs(dot(r->embeddings[0], r->embeddings[2]) - 1.0) < 1e-4);
        QVERIFY(dot(r->embeddings[0], r->embeddings[1]) < 0.9);
        QVERIFY(r->usage.reported);
        QVERIFY(r->usage.promptTokens > 0);
        QCOMPARE(int(r->usage.completionTokens), 0);
        QCOMPARE(r->contentChunks, 0);
        QVERIFY(r->text.empty());
        QCOMPARE(r->httpStatus, 200);
    }

    void clientErrors_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("anthropic") << "anthropic" << int(ErrorCode::InvalidArgument)
                                   << "Anthropic has no embeddings endpoint";
        QTest::newRow("no-input") << "no-input" << int(ErrorCode::InvalidArgument)
                                  << "needs at least one input text";
        QTest::newRow("wrong-key") << "wrong-key" << int(ErrorCode::Http) << "HTTP 401";
    }
    void clientErrors()
    {
        QFETCH(QString, kind);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        Connection c;
        c.name = "sim_" + kind.toStdString();
        c.type = ConnectionType::OpenAi;
        c.configs["base_url"] = m_sim.openAiBaseUrl();
        c.secrets["api_key"] = kind == "wrong-key" ? "nope" : kKey;
        if (kind == "anthropic") {
            c.type = ConnectionType::Anthropic;
            c.configs["api_base"] = m_sim.baseUrl();
        }
        LlmRequest request = embeddingRequest("m", {"text"});
        if (kind == "no-input") {
            request.input.clear();
        }
        const auto r = m_client.call(c, request);
        QVERIFY(!r.has_value());
        QCOMPARE(int(r.error().code), code);
        QVERIFY2(QString::fromStdString(r.error().message).contains(mentions),
                 r.error().message.c_str());
        QVERIFY2(QString::fromStdString(r.error().message).contains(QString::fromStdString(c.name)),
                 r.error().message.c_str());
    }

private:
    SimProcess m_sim;
    LlmClient m_client{singleAttempt()};
};

QTEST_GUILESS_MAIN(TestEmbeddings)
#include "tst_embeddings.moc"
