// Tests of flowbench-sim, the LLM SIMULATOR: every case starts the real executable on
// 127.0.0.1 (fb::test::SimProcess) and talks to it with libcurl.

#include <tests/common/simprocess.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

using Json = nlohmann::json;

QString q(const std::string &s) { return QString::fromStdString(s); }

struct Reply
{
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers; ///< lower-case names, of the final response
    qint64 elapsedMs = 0;

    [[nodiscard]] Json json() const { return Json::parse(body, nullptr, false); }
    [[nodiscard]] std::string header(const std::string &name) const
    {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

size_t collectBody(char *data, size_t size, size_t count, void *user)
{
    static_cast<Reply *>(user)->body.append(data, size * count);
    return size * count;
}

size_t collectHeader(char *data, size_t size, size_t count, void *user)
{
    auto *reply = static_cast<Reply *>(user);
    std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        reply->headers.clear(); // a new response (e.g. after "100 Continue")
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto &c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        value.erase(value.find_last_not_of("\r\n ") + 1);
        reply->headers[name] = value;
    }
    return size * count;
}

/// One easy handle per client, so consecutive requests reuse the keep-alive connection.
class Client
{
public:
    Client()
        : m_curl(curl_easy_init())
    {
    }
    ~Client() { curl_easy_cleanup(m_curl); }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    Reply request(const std::string &method, const std::string &url, const std::string &body = {},
                  const std::vector<std::string> &headers = {})
    {
        Reply reply;
        curl_easy_reset(m_curl);
        curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, 20000L);
        curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, collectBody);
        curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &reply);
        curl_easy_setopt(m_curl, CURLOPT_HEADERFUNCTION, collectHeader);
        curl_easy_setopt(m_curl, CURLOPT_HEADERDATA, &reply);
        curl_slist *list = nullptr;
        for (const auto &h : headers) {
            list = curl_slist_append(list, h.c_str());
        }
        if (method == "POST") {
            list = curl_slist_append(list, "Content-Type: application/json");
            curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, body.c_str());
            curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
        } else if (method != "GET") {
            curl_easy_setopt(m_curl, CURLOPT_CUSTOMREQUEST, method.c_str());
        }
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, list);
        QElapsedTimer timer;
        timer.start();
        reply.code = curl_easy_perform(m_curl);
        reply.elapsedMs = timer.elapsed();
        curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &reply.status);
        curl_slist_free_all(list);
        return reply;
    }
    Reply get(const std::string &url, const std::vector<std::string> &headers = {})
    {
        return request("GET", url, {}, headers);
    }
    Reply post(const std::string &url, const std::string &body,
               const std::vector<std::string> &headers = {})
    {
        return request("POST", url, body, headers);
    }

private:
    CURL *m_curl;
};

struct SseEvent
{
    std::string event;
    std::string data;
};

/// Splits a text/event-stream body into events (the sim writes "\n\n" after each).
std::vector<SseEvent> parseSse(const std::string &body)
{
    std::vector<SseEvent> events;
    std::size_t pos = 0;
    while (pos < body.size()) {
        auto end = body.find("\n\n", pos);
        if (end == std::string::npos) {
            end = body.size();
        }
        SseEvent event;
        std::size_t line = pos;
        while (line < end) {
            auto eol = body.find('\n', line);
            if (eol == std::string::npos || eol > end) {
                eol = end;
            }
            const std::string text = body.substr(line, eol - line);
            if (text.rfind("event: ", 0) == 0) {
                event.event = text.substr(7);
            } else if (text.rfind("data: ", 0) == 0) {
                event.data = text.substr(6);
            }
            line = eol + 1;
        }
        events.push_back(event);
        pos = end + 2;
    }
    return events;
}

std::string chatBody(const std::string &user, const Json &extra = Json::object(),
                     const std::string &model = "gpt-4o-mini")
{
    Json body{{"model", model},
              {"messages", Json::array({{{"role", "system"}, {"content", "You are terse."}},
                                        {{"role", "user"}, {"content", user}}})}};
    if (extra.is_object()) {
        body.update(extra);
    }
    return body.dump();
}

/// The text of the first choice of a non-streaming chat completion.
std::string chatContent(const Reply &reply)
{
    const auto json = reply.json();
    if (!json.is_object() || !json.contains("choices") || json["choices"].empty()) {
        return "<no choices: " + reply.body + ">";
    }
    return json["choices"][0]["message"]["content"].get<std::string>();
}

/// Concatenated delta.content of an OpenAI chat stream.
std::string streamedContent(const std::string &body)
{
    std::string text;
    for (const auto &e : parseSse(body)) {
        const auto chunk = Json::parse(e.data, nullptr, false);
        if (chunk.is_object() && chunk.contains("choices") && !chunk["choices"].empty()) {
            const auto &delta = chunk["choices"][0]["delta"];
            if (delta.contains("content")) {
                text += delta["content"].get<std::string>();
            }
        }
    }
    return text;
}

int wordCount(const std::string &text)
{
    int n = 0;
    bool inWord = false;
    for (const char c : text) {
        const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        n += (!space && !inWord) ? 1 : 0;
        inWord = !space;
    }
    return n;
}

bool writeFile(const QString &path, const std::string &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return false;
    }
    return file.write(text.data(), static_cast<qint64>(text.size()))
           == static_cast<qint64>(text.size());
}

/// Answers file with `count` entries "What is item N?" -> "Item N is red|blue|..." (distinct).
std::string answersJsonl(int count)
{
    std::string out;
    for (int i = 0; i < count; ++i) {
        out += Json{{"input", "What is item " + std::to_string(i) + "?"},
                    {"answer", "Item " + std::to_string(i) + " is number " + std::to_string(i)}}
                   .dump();
        out += "\n";
    }
    return out;
}

QStringList toArgs(const char *args)
{
    return QString::fromLatin1(args).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

} // namespace

class TestSimServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void bannerAndModelNameSaySimulator();
    void helpAndBadArguments_data();
    void helpAndBadArguments();
    void stopSignalsExitCleanly_data();
    void stopSignalsExitCleanly();

    void endpoints_data();
    void endpoints();
    void chatCompletion();
    void chatStream_data();
    void chatStream();
    void completions_data();
    void completions();
    void maxTokensCutsWithLength();
    void openAiRequestErrors_data();
    void openAiRequestErrors();
    void invalidUtf8BodyIsRejected();

    void anthropicErrors_data();
    void anthropicErrors();
    void anthropicMessage();
    void anthropicStream();

    void azureKeyCheck_data();
    void azureKeyCheck();
    void embeddings();

    void answersFileAndErrorRate();
    void configFile();

    void directives_data();
    void directives();
    void timingDirectives_data();
    void timingDirectives();
    void faultDirectives_data();
    void faultDirectives();
    void randomFaults_data();
    void randomFaults();
    void randomFaultsReproduce();

    void statsCountRequests();
    void largeBodyNeedsNoContinueWait();
    void thousandConcurrentStreams();

private:
    [[nodiscard]] bool startSim(fb::test::SimProcess &sim, const QStringList &args);
};

bool TestSimServer::startSim(fb::test::SimProcess &sim, const QStringList &args)
{
    if (!sim.start(args)) {
        qWarning("%s", qPrintable(sim.errorString()));
        return false;
    }
    return true;
}

void TestSimServer::initTestCase() { QCOMPARE(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK); }

void TestSimServer::cleanupTestCase() { curl_global_cleanup(); }

void TestSimServer::bannerAndModelNameSaySimulator()
{
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {}));
    // The banner is written before the listening line; collect stderr until it is complete.
    sim.process().setReadChannel(QProcess::StandardError);
    QByteArray err = sim.process().readAllStandardError();
    while (!err.contains('\n') && sim.process().waitForReadyRead(5000)) {
        err += sim.process().readAllStandardError();
    }
    QVERIFY2(err.contains("flowbench-sim: LLM SIMULATOR for tests, demos and benchmarks"),
             err.constData());
    QVERIFY(err.contains("answers do not come from a real model"));

    Client client;
    const auto reply = client.post(sim.openAiBaseUrl() + "/chat/completions", chatBody("hi"));
    QCOMPARE(reply.status, 200L);
    QCOMPARE(q(reply.header("x-flowbench-simulator")), QStringLiteral("true"));
    QCOMPARE(q(reply.json()["model"].get<std::string>()),
             QStringLiteral("flowbench-sim:gpt-4o-mini"));
}

void TestSimServer::helpAndBadArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expectedText"); // in stdout (exit 0) or stderr

    QTest::newRow("help") << QStringList{"--help"} << 0 << "LLM SIMULATOR";
    QTest::newRow("unknown-option") << QStringList{"--bogus", "1"} << 2 << "--bogus";
    QTest::newRow("bad-port") << QStringList{"--port", "http"} << 2 << "--port";
    QTest::newRow("bad-dist") << QStringList{"--ttft-ms", "gauss:1"} << 2 << "--ttft-ms";
    QTest::newRow("bad-probability") << QStringList{"--fail-429", "1.5"} << 2 << "--fail-429";
    QTest::newRow("bad-flavor") << QStringList{"--flavor", "vllm"} << 2 << "--flavor";
    QTest::newRow("bad-error-rate") << QStringList{"--error-rate", "gpt"} << 2 << "--error-rate";
    QTest::newRow("missing-answers")
        << QStringList{"--port", "0", "--answers", "/nonexistent/answers.jsonl"} << 1
        << "--answers";
}

void TestSimServer::helpAndBadArguments()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, expectedText);
    QProcess process;
    process.start(QStringLiteral(FLOWBENCH_SIM_EXECUTABLE), args);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), exitCode);
    const QString out = QString::fromUtf8(exitCode == 0 ? process.readAllStandardOutput()
                                                        : process.readAllStandardError());
    QVERIFY2(out.contains(expectedText), qPrintable(out));
}

void TestSimServer::stopSignalsExitCleanly_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestSimServer::stopSignalsExitCleanly()
{
    QFETCH(int, signalNumber);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    QCOMPARE(client.get(sim.baseUrl() + "/health").status, 200L);
    QCOMPARE(::kill(static_cast<pid_t>(sim.process().processId()), signalNumber), 0);
    QVERIFY(sim.process().waitForFinished(10000));
    QCOMPARE(sim.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(sim.process().exitCode(), 0);
}

void TestSimServer::endpoints_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("pointer");  // JSON pointer into the reply
    QTest::addColumn<QString>("expected"); // its value, dumped as JSON

    QTest::newRow("health") << "GET"
                            << "/health"
                            << "" << 200 << "/simulator"
                            << "true";
    QTest::newRow("health-status") << "GET"
                                   << "/health"
                                   << "" << 200 << "/status"
                                   << "\"ok\"";
    QTest::newRow("models-list") << "GET"
                                 << "/v1/models"
                                 << "" << 200 << "/object"
                                 << "\"list\"";
    QTest::newRow("models-has-sim") << "GET"
                                    << "/v1/models"
                                    << "" << 200 << "/data/0/id"
                                    << "\"flowbench-sim\"";
    QTest::newRow("unknown-path") << "GET"
                                  << "/v2/whatever"
                                  << "" << 404 << "/error/type"
                                  << "\"invalid_request_error\"";
    QTest::newRow("wrong-method") << "GET"
                                  << "/v1/chat/completions"
                                  << "" << 405 << "/error/code"
                                  << "\"method_not_allowed\"";
    QTest::newRow("stats") << "GET"
                           << "/stats"
                           << "" << 200 << "/simulator"
                           << "true";
    QTest::newRow("embeddings-model") << "POST"
                                      << "/v1/embeddings"
                                      << R"({"model":"emb","input":"x"})" << 200 << "/model"
                                      << "\"flowbench-sim:emb\"";
}

void TestSimServer::endpoints()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, pointer);
    QFETCH(QString, expected);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    const auto reply = client.request(method.toStdString(), sim.baseUrl() + path.toStdString(),
                                      body.toStdString());
    QCOMPARE(reply.code, CURLE_OK);
    QCOMPARE(reply.status, long(status));
    QCOMPARE(q(reply.header("x-flowbench-simulator")), QStringLiteral("true"));
    const auto json = reply.json();
    QVERIFY2(!json.is_discarded(), reply.body.c_str());
    const Json::json_pointer ptr(pointer.toStdString());
    QVERIFY2(json.contains(ptr), reply.body.c_str());
    QCOMPARE(q(json[ptr].dump()), expected);
}

void TestSimServer::chatCompletion()
{
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--tokens", "12"}));
    Client client;
    const std::string user = "Tell me about flows, please.";
    const auto reply = client.post(sim.openAiBaseUrl() + "/chat/completions", chatBody(user));
    QCOMPARE(reply.status, 200L);
    QCOMPARE(q(reply.header("content-type")), QStringLiteral("application/json"));
    const auto json = reply.json();
    QCOMPARE(q(json["object"].get<std::string>()), QStringLiteral("chat.completion"));
    QVERIFY(json["id"].is_string());
    QVERIFY(json["created"].is_number_integer());
    const auto &choice = json["choices"][0];
    QCOMPARE(q(choice["message"]["role"].get<std::string>()), QStringLiteral("assistant"));
    QCOMPARE(q(choice["finish_reason"].get<std::string>()), QStringLiteral("stop"));
    const std::string content = choice["message"]["content"].get<std::string>();
    QVERIFY2(content.rfind("Simulated answer:", 0) == 0, content.c_str());
    QCOMPARE(wordCount(content), 12);
    const std::size_t chars = std::string("You are terse.").size() + user.size();
    QCOMPARE(json["usage"]["prompt_tokens"].get<int>(), int((chars + 3) / 4));
    QCOMPARE(json["usage"]["completion_tokens"].get<int>(), 12);
    QCOMPARE(json["usage"]["total_tokens"].get<int>(), int((chars + 3) / 4) + 12);

    // Deterministic: the same messages give the same text; other messages another text.
    const auto again = client.post(sim.openAiBaseUrl() + "/chat/completions", chatBody(user));
    QCOMPARE(q(chatContent(again)), q(content));
    const auto other = client.post(sim.openAiBaseUrl() + "/chat/completions",
                                   chatBody("Something else entirely"));
    QVERIFY(chatContent(other) != content);
}

void TestSimServer::chatStream_data()
{
    QTest::addColumn<QString>("flavor");
    QTest::addColumn<bool>("includeUsage");

    QTest::newRow("openai") << "openai" << false;
    QTest::newRow("openai-include-usage") << "openai" << true;
    QTest::newRow("llamacpp") << "llamacpp" << false;
    QTest::newRow("llamacpp-include-usage") << "llamacpp" << true;
}

void TestSimServer::chatStream()
{
    QFETCH(QString, flavor);
    QFETCH(bool, includeUsage);
    const bool llama = flavor == QLatin1String("llamacpp");
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--tokens", "7", "--flavor", flavor}));
    Client client;
    const std::string user = "stream this";
    const std::string url = sim.openAiBaseUrl() + "/chat/completions";
    const auto plain = client.post(url, chatBody(user));
    Json extra{{"stream", true}};
    if (includeUsage) {
        extra["stream_options"] = {{"include_usage", true}};
    }
    const auto reply = client.post(url, chatBody(user, extra));
    QCOMPARE(reply.code, CURLE_OK);
    QCOMPARE(reply.status, 200L);
    QVERIFY(reply.header("content-type").rfind("text/event-stream", 0) == 0);
    QCOMPARE(q(reply.header("x-flowbench-simulator")), QStringLiteral("true"));

    const auto events = parseSse(reply.body);
    QVERIFY(events.size() >= 3);
    QCOMPARE(q(events.back().data), QStringLiteral("[DONE]"));
    std::vector<Json> chunks;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        const auto chunk = Json::parse(events[i].data, nullptr, false);
        QVERIFY2(chunk.is_object(), events[i].data.c_str());
        QCOMPARE(q(chunk["object"].get<std::string>()), QStringLiteral("chat.completion.chunk"));
        QCOMPARE(q(chunk["model"].get<std::string>()), QStringLiteral("flowbench-sim:gpt-4o-mini"));
        QVERIFY(chunk["id"].is_string());
        QVERIFY(chunk["created"].is_number_integer());
        chunks.push_back(chunk);
    }
    std::size_t next = 0;
    if (!llama) {
        QCOMPARE(q(chunks[0]["choices"][0]["delta"].dump()),
                 QStringLiteral(R"({"content":"","role":"assistant"})"));
        ++next;
    }
    int contentChunks = 0;
    for (; next < chunks.size() && chunks[next]["choices"][0]["finish_reason"].is_null(); ++next) {
        const auto &delta = chunks[next]["choices"][0]["delta"];
        QVERIFY(!delta.contains("role"));
        const std::string word = delta["content"].get<std::string>();
        QCOMPARE(wordCount(word), 1);
        QVERIFY(contentChunks == 0 || word[0] == ' ');
        ++contentChunks;
    }
    QCOMPARE(contentChunks, 7);
    QCOMPARE(q(streamedContent(reply.body)), q(chatContent(plain)));
    QVERIFY(next < chunks.size());
    const auto &finish = chunks[next];
    QCOMPARE(q(finish["choices"][0]["finish_reason"].get<std::string>()), QStringLiteral("stop"));
    QCOMPARE(q(finish["choices"][0]["delta"].dump()), QStringLiteral("{}"));
    ++next;
    if (llama) {
        // llama.cpp: usage and timings ride on the finish chunk, always; nothing follows.
        QCOMPARE(finish["usage"]["completion_tokens"].get<int>(), 7);
        QVERIFY(finish["timings"]["prompt_ms"].is_number());
        QVERIFY(finish["timings"]["predicted_ms"].is_number());
        QCOMPARE(next, chunks.size());
    } else if (includeUsage) {
        QVERIFY(next < chunks.size());
        const auto &usage = chunks[next];
        QVERIFY(usage["choices"].is_array() && usage["choices"].empty());
        QCOMPARE(usage["usage"]["completion_tokens"].get<int>(), 7);
        QCOMPARE(usage["usage"]["prompt_tokens"].get<int>(),
                 plain.json()["usage"]["prompt_tokens"].get<int>());
        QCOMPARE(next + 1, chunks.size());
    } else {
        QVERIFY(!finish.contains("usage") || finish["usage"].is_null());
        QCOMPARE(next, chunks.size());
    }
}

void TestSimServer::completions_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("non-streaming") << false;
    QTest::newRow("streaming") << true;
}

void TestSimServer::completions()
{
    QFETCH(bool, stream);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--tokens", "5"}));
    Client client;
    const Json body{
        {"model", "gpt-3.5-turbo-instruct"}, {"prompt", "Once upon"}, {"stream", stream}};
    const auto reply = client.post(sim.openAiBaseUrl() + "/completions", body.dump());
    QCOMPARE(reply.status, 200L);
    std::string text;
    if (stream) {
        const auto events = parseSse(reply.body);
        QCOMPARE(q(events.back().data), QStringLiteral("[DONE]"));
        int words = 0;
        for (std::size_t i = 0; i + 1 < events.size(); ++i) {
            const auto chunk = Json::parse(events[i].data);
            QCOMPARE(q(chunk["object"].get<std::string>()), QStringLiteral("text_completion"));
            text += chunk["choices"][0]["text"].get<std::string>();
            words += chunk["choices"][0]["finish_reason"].is_null() ? 1 : 0;
        }
        QCOMPARE(words, 5);
    } else {
        const auto json = reply.json();
        QCOMPARE(q(json["object"].get<std::string>()), QStringLiteral("text_completion"));
        QCOMPARE(q(json["model"].get<std::string>()),
                 QStringLiteral("flowbench-sim:gpt-3.5-turbo-instruct"));
        text = json["choices"][0]["text"].get<std::string>();
        QCOMPARE(json["usage"]["prompt_tokens"].get<int>(), 3); // ceil(9 / 4)
        QCOMPARE(json["usage"]["completion_tokens"].get<int>(), 5);
    }
    QVERIFY2(text.rfind("Simulated answer:", 0) == 0, text.c_str());
    QCOMPARE(wordCount(text), 5);
}

void TestSimServer::maxTokensCutsWithLength()
{
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--tokens", "10"}));
    Client client;
    const std::string url = sim.openAiBaseUrl() + "/chat/completions";
    const auto reply = client.post(url, chatBody("cut me", {{"max_tokens", 3}}));
    QCOMPARE(reply.status, 200L);
    QCOMPARE(q(reply.json()["choices"][0]["finish_reason"].get<std::string>()),
             QStringLiteral("length"));
    QCOMPARE(wordCount(chatContent(reply)), 3);
    QCOMPARE(reply.json()["usage"]["completion_tokens"].get<int>(), 3);
    const auto streamed
        = client.post(url, chatBody("cut me", {{"max_tokens", 3}, {"stream", true}}));
    QCOMPARE(q(streamedContent(streamed.body)), q(chatContent(reply)));
    QVERIFY(streamed.body.find(R"("finish_reason":"length")") != std::string::npos);
}

void TestSimServer::openAiRequestErrors_data()
{
    QTest::addColumn<QString>("flavor");
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");

    QTest::newRow("openai-invalid-json") << "openai"
                                         << "{not json" << 400;
    QTest::newRow("openai-missing-messages") << "openai"
                                             << R"({"model":"m"})" << 400;
    QTest::newRow("openai-bad-directive")
        << "openai"
        << R"({"messages":[{"role":"user","content":"[[sim:fail=abc]]"}]})" << 400;
    QTest::newRow("openai-n2-ok") << "openai"
                                  << R"({"n":2,"messages":[{"role":"user","content":"x"}]})" << 200;
    QTest::newRow("llamacpp-invalid-json") << "llamacpp"
                                           << "{not json" << 500;
    QTest::newRow("llamacpp-missing-messages") << "llamacpp"
                                               << R"({"model":"m"})" << 500;
    QTest::newRow("llamacpp-n2") << "llamacpp"
                                 << R"({"n":2,"messages":[{"role":"user","content":"x"}]})" << 500;
}

void TestSimServer::openAiRequestErrors()
{
    QFETCH(QString, flavor);
    QFETCH(QString, body);
    QFETCH(int, status);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--flavor", flavor}));
    Client client;
    const auto reply = client.post(sim.openAiBaseUrl() + "/chat/completions", body.toStdString());
    QCOMPARE(reply.status, long(status));
    const auto json = reply.json();
    if (status == 200) {
        QCOMPARE(json["choices"].size(), std::size_t(2));
        QCOMPARE(json["usage"]["completion_tokens"].get<int>(), 2 * 16);
        return;
    }
    QVERIFY2(json["error"]["message"].is_string(), reply.body.c_str());
    QVERIFY(json["error"]["type"].is_string());
    if (flavor == QLatin1String("llamacpp")) {
        QCOMPARE(json["error"]["code"].get<int>(), status);
    } else {
        QVERIFY(json["error"].contains("param"));
    }
}

void TestSimServer::invalidUtf8BodyIsRejected()
{
    // The fast JSON path does not check bytes above 0x7F; bodies that are not UTF-8 must still
    // be refused as a real endpoint refuses them, and valid ones with UTF-8 must still work.
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    const std::string bad = "{\"messages\":[{\"role\":\"user\",\"content\":\"caf\xe9\"}]}";
    const auto refused = client.post(sim.openAiBaseUrl() + "/chat/completions", bad);
    QCOMPARE(refused.status, 400L);
    QVERIFY2(refused.json()["error"]["message"].is_string(), refused.body.c_str());
    const std::string good = "{\"messages\":[{\"role\":\"user\",\"content\":\"caf\xc3\xa9\"}]}";
    const auto answered = client.post(sim.openAiBaseUrl() + "/chat/completions", good);
    QCOMPARE(answered.status, 200L);
    QVERIFY(answered.json()["choices"][0]["message"]["content"].is_string());
}

void TestSimServer::anthropicErrors_data()
{
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<QString>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorType");

    const QString ok
        = R"({"model":"claude","max_tokens":50,"messages":[{"role":"user","content":"hi"}]})";
    const QStringList both{"x-api-key: k", "anthropic-version: 2023-06-01"};
    QTest::newRow("no-api-key") << QStringList{"anthropic-version: 2023-06-01"} << ok << 401
                                << "authentication_error";
    QTest::newRow("wrong-api-key")
        << QStringList{"x-api-key: nope", "anthropic-version: 2023-06-01"} << ok << 401
        << "authentication_error";
    QTest::newRow("no-version") << QStringList{"x-api-key: k"} << ok << 400
                                << "invalid_request_error";
    QTest::newRow("no-max-tokens")
        << both << R"({"model":"claude","messages":[{"role":"user","content":"hi"}]})" << 400
        << "invalid_request_error";
    QTest::newRow("no-messages") << both << R"({"model":"claude","max_tokens":5})" << 400
                                 << "invalid_request_error";
    QTest::newRow("invalid-json") << both << "{{" << 400 << "invalid_request_error";
    QTest::newRow("fault-429")
        << both
        << R"({"model":"c","max_tokens":5,"messages":[{"role":"user","content":"[[sim:fail=429]]"}]})"
        << 429 << "rate_limit_error";
    QTest::newRow("fault-500")
        << both
        << R"({"model":"c","max_tokens":5,"messages":[{"role":"user","content":"[[sim:fail=500]]"}]})"
        << 500 << "api_error";
}

void TestSimServer::anthropicErrors()
{
    QFETCH(QStringList, headers);
    QFETCH(QString, body);
    QFETCH(int, status);
    QFETCH(QString, errorType);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--require-key", "k"}));
    std::vector<std::string> list;
    for (const auto &h : headers) {
        list.push_back(h.toStdString());
    }
    Client client;
    const auto reply = client.post(sim.baseUrl() + "/v1/messages", body.toStdString(), list);
    QCOMPARE(reply.status, long(status));
    const auto json = reply.json();
    QCOMPARE(q(json["type"].get<std::string>()), QStringLiteral("error"));
    QCOMPARE(q(json["error"]["type"].get<std::string>()), errorType);
    QVERIFY(json["error"]["message"].is_string());
}

void TestSimServer::anthropicMessage()
{
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--tokens", "6"}));
    Client client;
    const Json body{{"model", "claude-3-5-haiku"},
                    {"max_tokens", 100},
                    {"system", "Be brief."},
                    {"messages", Json::array({{{"role", "user"}, {"content", "Hello Claude"}}})}};
    const auto reply = client.post(sim.baseUrl() + "/v1/messages", body.dump(),
                                   {"x-api-key: any", "anthropic-version: 2023-06-01"});
    QCOMPARE(reply.status, 200L);
    const auto json = reply.json();
    QCOMPARE(q(json["type"].get<std::string>()), QStringLiteral("message"));
    QCOMPARE(q(json["role"].get<std::string>()), QStringLiteral("assistant"));
    QCOMPARE(q(json["model"].get<std::string>()), QStringLiteral("flowbench-sim:claude-3-5-haiku"));
    QCOMPARE(json["content"].size(), std::size_t(1));
    QCOMPARE(q(json["content"][0]["type"].get<std::string>()), QStringLiteral("text"));
    QCOMPARE(wordCount(json["content"][0]["text"].get<std::string>()), 6);
    QCOMPARE(q(json["stop_reason"].get<std::string>()), QStringLiteral("end_turn"));
    QCOMPARE(json["usage"]["input_tokens"].get<int>(), 6); // ceil((9 + 12) / 4)
    QCOMPARE(json["usage"]["output_tokens"].get<int>(), 6);

    Json cut = body;
    cut["max_tokens"] = 2;
    const auto shortReply = client.post(sim.baseUrl() + "/v1/messages", cut.dump(),
                                        {"x-api-key: any", "anthropic-version: 2023-06-01"});
    QCOMPARE(q(shortReply.json()["stop_reason"].get<std::string>()), QStringLiteral("max_tokens"));
    QCOMPARE(shortReply.json()["usage"]["output_tokens"].get<int>(), 2);
}

void TestSimServer::anthropicStream()
{
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--tokens", "4"}));
    Client client;
    Json body{{"model", "claude-3-5-haiku"},
              {"max_tokens", 100},
              {"messages", Json::array({{{"role", "user"}, {"content", "Stream, Claude"}}})}};
    const std::vector<std::string> headers{"x-api-key: any", "anthropic-version: 2023-06-01"};
    const auto plain = client.post(sim.baseUrl() + "/v1/messages", body.dump(), headers);
    body["stream"] = true;
    const auto reply = client.post(sim.baseUrl() + "/v1/messages", body.dump(), headers);
    QCOMPARE(reply.code, CURLE_OK);
    QCOMPARE(reply.status, 200L);
    QVERIFY(reply.header("content-type").rfind("text/event-stream", 0) == 0);

    const auto events = parseSse(reply.body);
    QStringList names;
    std::string text;
    for (const auto &e : events) {
        names << q(e.event);
        const auto data = Json::parse(e.data, nullptr, false);
        QVERIFY2(data.is_object(), e.data.c_str());
        QCOMPARE(q(data["type"].get<std::string>()), q(e.event)); // data.type repeats event:
        if (e.event == "content_block_delta") {
            QCOMPARE(q(data["delta"]["type"].get<std::string>()), QStringLiteral("text_delta"));
            text += data["delta"]["text"].get<std::string>();
        } else if (e.event == "message_start") {
            QCOMPARE(q(data["message"]["model"].get<std::string>()),
                     QStringLiteral("flowbench-sim:claude-3-5-haiku"));
            QCOMPARE(data["message"]["usage"]["input_tokens"].get<int>(),
                     plain.json()["usage"]["input_tokens"].get<int>());
        } else if (e.event == "message_delta") {
            QCOMPARE(q(data["delta"]["stop_reason"].get<std::string>()),
                     QStringLiteral("end_turn"));
            QCOMPARE(data["usage"]["output_tokens"].get<int>(), 4);
        }
    }
    const QStringList expected{"message_start",       "content_block_start", "ping",
                               "content_block_delta", "content_block_delta", "content_block_delta",
                               "content_block_delta", "content_block_stop",  "message_delta",
                               "message_stop"};
    QCOMPARE(names, expected);
    QCOMPARE(q(text), q(plain.json()["content"][0]["text"].get<std::string>()));
}

void TestSimServer::azureKeyCheck_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("header");
    QTest::addColumn<int>("status");

    QTest::newRow("chat-no-key") << "chat/completions"
                                 << "" << 401;
    QTest::newRow("chat-wrong-key") << "chat/completions"
                                    << "api-key: wrong" << 401;
    QTest::newRow("chat-api-key") << "chat/completions"
                                  << "api-key: s3cret" << 200;
    QTest::newRow("chat-bearer") << "chat/completions"
                                 << "Authorization: Bearer s3cret" << 200;
    QTest::newRow("completions-api-key") << "completions"
                                         << "api-key: s3cret" << 200;
    QTest::newRow("embeddings-api-key") << "embeddings"
                                        << "api-key: s3cret" << 200;
    QTest::newRow("embeddings-no-key") << "embeddings"
                                       << "" << 401;
}

void TestSimServer::azureKeyCheck()
{
    QFETCH(QString, operation);
    QFETCH(QString, header);
    QFETCH(int, status);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet", "--require-key", "s3cret"}));
    Client client;
    const std::string url = sim.baseUrl() + "/openai/deployments/my-gpt4o/"
                            + operation.toStdString() + "?api-version=2024-06-01";
    const Json body{{"messages", Json::array({{{"role", "user"}, {"content", "hi"}}})},
                    {"prompt", "hi"},
                    {"input", "hi"}};
    std::vector<std::string> headers;
    if (!header.isEmpty()) {
        headers.push_back(header.toStdString());
    }
    const auto reply = client.post(url, body.dump(), headers);
    QCOMPARE(reply.status, long(status));
    const auto json = reply.json();
    if (status == 401) {
        QCOMPARE(q(json["error"]["code"].get<std::string>()), QStringLiteral("invalid_api_key"));
        QVERIFY(json["error"]["message"].is_string());
    } else {
        QCOMPARE(q(json["model"].get<std::string>()), QStringLiteral("flowbench-sim:my-gpt4o"));
    }
}

void TestSimServer::embeddings()
{
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    const std::string url = sim.openAiBaseUrl() + "/embeddings";
    const auto vectorsOf = [](const Reply &reply) {
        std::vector<std::vector<double>> out;
        const auto json = reply.json();
        for (const auto &item : json["data"]) {
            out.push_back(item["embedding"].get<std::vector<double>>());
        }
        return out;
    };
    const auto first = client.post(
        url, R"({"model":"text-embedding-3-small","input":["alpha","beta","alpha"]})");
    QCOMPARE(first.status, 200L);
    QCOMPARE(q(first.json()["object"].get<std::string>()), QStringLiteral("list"));
    const auto vectors = vectorsOf(first);
    QCOMPARE(vectors.size(), std::size_t(3));
    for (const auto &v : vectors) {
        QCOMPARE(v.size(), std::size_t(64));
        double norm = 0;
        for (const double x : v) {
            norm += x * x;
        }
        QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-5);
    }
    QCOMPARE(vectors[0], vectors[2]);
    QVERIFY(vectors[0] != vectors[1]);
    QCOMPARE(first.json()["data"][2]["index"].get<int>(), 2);

    // Same text, other request and other seed: the same vector.
    fb::test::SimProcess other;
    QVERIFY(startSim(other, {"--quiet", "--seed", "99"}));
    const auto second = client.post(other.openAiBaseUrl() + "/embeddings", R"({"input":"alpha"})");
    QCOMPARE(vectorsOf(second)[0], vectors[0]);

    const auto sized = client.post(url, R"({"input":"alpha","dimensions":16})");
    QCOMPARE(vectorsOf(sized)[0].size(), std::size_t(16));

    // base64: little-endian float32, as the OpenAI Python client requests by default.
    const auto encoded = client.post(url, R"({"input":"alpha","encoding_format":"base64"})");
    const QByteArray bytes = QByteArray::fromBase64(
        QByteArray::fromStdString(encoded.json()["data"][0]["embedding"].get<std::string>()));
    QCOMPARE(bytes.size(), qsizetype(64 * sizeof(float)));
    std::vector<float> floats(64);
    std::memcpy(floats.data(), bytes.constData(), bytes.size());
    for (int i = 0; i < 64; ++i) {
        QCOMPARE(double(floats[i]), double(float(vectors[0][i])));
    }
    QCOMPARE(client.post(url, R"({"model":"x"})").status, 400L);
}

void TestSimServer::answersFileAndErrorRate()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString answers = dir.filePath("answers.jsonl");
    constexpr int Count = 200;
    QVERIFY(writeFile(answers, answersJsonl(Count)));

    // Returns, per input, whether the answer was the right one, and the answers themselves.
    const auto ask = [&](const QStringList &args, const std::string &model,
                         std::vector<std::string> &got) -> int {
        fb::test::SimProcess sim;
        if (!startSim(sim, QStringList{"--quiet", "--answers", answers} + args)) {
            return -1;
        }
        Client client;
        int wrong = 0;
        for (int i = 0; i < Count; ++i) {
            const std::string n = std::to_string(i);
            const auto reply
                = client.post(sim.openAiBaseUrl() + "/chat/completions",
                              chatBody("Quiz: What is item " + n + "? Be exact.", {}, model));
            const std::string content = chatContent(reply);
            got.push_back(content);
            wrong += content == "Item " + n + " is number " + n ? 0 : 1;
        }
        return wrong;
    };

    std::vector<std::string> exact;
    QCOMPARE(ask({}, "gpt-4o-mini", exact), 0);

    const QStringList rated{"--seed", "5", "--error-rate", "gpt-4o-mini=0.3,other=0"};
    std::vector<std::string> run1;
    std::vector<std::string> run2;
    const int wrong1 = ask(rated, "gpt-4o-mini", run1);
    const int wrong2 = ask(rated, "gpt-4o-mini", run2);
    QCOMPARE(wrong1, wrong2);
    QVERIFY(run1 == run2);
    // Binomial(200, 0.3): mean 60, sd 6.5.
    QVERIFY2(wrong1 >= 35 && wrong1 <= 85, qPrintable(QString::number(wrong1)));
    // A wrong answer is another answer of the file.
    for (int i = 0; i < Count; ++i) {
        QVERIFY2(run1[i].rfind("Item ", 0) == 0, run1[i].c_str());
    }
    std::vector<std::string> otherModel;
    QCOMPARE(ask(rated, "other", otherModel), 0);
    std::vector<std::string> otherSeed;
    const int wrong3
        = ask({"--seed", "6", "--error-rate", "gpt-4o-mini=0.3"}, "gpt-4o-mini", otherSeed);
    QVERIFY(wrong3 > 0);
    QVERIFY(otherSeed != run1);
}

void TestSimServer::configFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath("data"));
    QVERIFY(writeFile(dir.filePath("data/book.jsonl"),
                      R"({"input": "capital of France", "answer": "Paris, of course"})"
                      "\n"));
    const Json config{{"answers", "data/book.jsonl"},
                      {"tokens", 3},
                      {"ttft-ms", "uniform:0:1"},
                      {"error-rate", {{"gpt-4o-mini", 0.0}}},
                      {"quiet", true}};
    QVERIFY(writeFile(dir.filePath("sim.json"), config.dump()));

    fb::test::SimProcess sim;
    // Started from another working directory: the answers path is relative to the config.
    sim.process().setWorkingDirectory(QDir::tempPath());
    QVERIFY(startSim(sim, {"--config", dir.filePath("sim.json"), "--tokens", "5"}));
    Client client;
    const std::string url = sim.openAiBaseUrl() + "/chat/completions";
    QCOMPARE(q(chatContent(client.post(url, chatBody("What is the capital of France?")))),
             QStringLiteral("Paris, of course"));
    QCOMPARE(wordCount(chatContent(client.post(url, chatBody("unrelated")))), 5); // flag wins

    QVERIFY(writeFile(dir.filePath("bad.json"), R"({"no-such-option": 1})"));
    QProcess bad;
    bad.start(QStringLiteral(FLOWBENCH_SIM_EXECUTABLE), {"--config", dir.filePath("bad.json")});
    QVERIFY(bad.waitForFinished(10000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY(bad.readAllStandardError().contains("no-such-option"));
}

void TestSimServer::directives_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expectedContent"); // empty: check the word count instead
    QTest::addColumn<int>("expectedWords");

    QTest::newRow("reply") << "[[sim:reply=Hello there]] ignored"
                           << "Hello there" << 2;
    QTest::newRow("reply-b64") << QStringLiteral("[[sim:reply_b64=")
                                      + QString::fromLatin1(QByteArray("a, b] \"c\"\n").toBase64())
                                      + QStringLiteral("]]")
                               << "a, b] \"c\"\n"
                               << 3;
    QTest::newRow("tokens") << "write [[sim:tokens=5]]"
                            << "" << 5;
    QTest::newRow("tokens-zero") << "[[sim:tokens=0]]"
                                 << "" << 0;
}

void TestSimServer::directives()
{
    QFETCH(QString, message);
    QFETCH(QString, expectedContent);
    QFETCH(int, expectedWords);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    const std::string url = sim.openAiBaseUrl() + "/chat/completions";
    const auto reply = client.post(url, chatBody(message.toStdString()));
    QCOMPARE(reply.status, 200L);
    const std::string content = chatContent(reply);
    if (!expectedContent.isEmpty()) {
        QCOMPARE(q(content), expectedContent);
    }
    QCOMPARE(wordCount(content), expectedWords);
    QCOMPARE(reply.json()["usage"]["completion_tokens"].get<int>(), expectedWords);
    const auto streamed = client.post(url, chatBody(message.toStdString(), {{"stream", true}}));
    QCOMPARE(q(streamedContent(streamed.body)), q(content));
}

void TestSimServer::timingDirectives_data()
{
    QTest::addColumn<QString>("directive");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("minMs");
    QTest::addColumn<int>("maxMs");

    QTest::newRow("stall") << "[[sim:stall_ms=300]]" << false << 300 << 3000;
    QTest::newRow("ttft-token-stream")
        << "[[sim:ttft_ms=200,token_ms=50,tokens=5]]" << true << 400 << 3000;
    QTest::newRow("ttft-token-body")
        << "[[sim:ttft_ms=200,token_ms=50,tokens=5]]" << false << 400 << 3000;
    QTest::newRow("stall-times-0") << "[[sim:stall_ms=5000,times=0]]" << false << 0 << 1000;
}

void TestSimServer::timingDirectives()
{
    QFETCH(QString, directive);
    QFETCH(bool, stream);
    QFETCH(int, minMs);
    QFETCH(int, maxMs);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    QCOMPARE(client.get(sim.baseUrl() + "/health").status, 200L); // connection is warm
    const auto reply
        = client.post(sim.openAiBaseUrl() + "/chat/completions",
                      chatBody("wait " + directive.toStdString(), {{"stream", stream}}));
    QCOMPARE(reply.code, CURLE_OK);
    QCOMPARE(reply.status, 200L);
    QVERIFY2(reply.elapsedMs >= minMs && reply.elapsedMs <= maxMs,
             qPrintable(QString::number(reply.elapsedMs)));
}

void TestSimServer::faultDirectives_data()
{
    QTest::addColumn<QString>("directive");
    QTest::addColumn<QList<int>>("statuses"); // of consecutive identical requests
    QTest::addColumn<QString>("header");      // "name: value" expected on failures
    QTest::addColumn<QString>("errorType");

    QTest::newRow("fail-429-times-2") << "[[sim:fail=429,times=2,retry_after=1]]"
                                      << QList<int>{429, 429, 200, 200} << "retry-after: 1"
                                      << "requests";
    QTest::newRow("fail-500-always") << "[[sim:fail=500]]" << QList<int>{500, 500, 500} << ""
                                     << "server_error";
    QTest::newRow("fail-503-retry-after-ms") << "[[sim:fail=503,times=1,retry_after_ms=250]]"
                                             << QList<int>{503, 200} << "retry-after-ms: 250"
                                             << "server_error";
}

void TestSimServer::faultDirectives()
{
    QFETCH(QString, directive);
    QFETCH(QList<int>, statuses);
    QFETCH(QString, header);
    QFETCH(QString, errorType);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    const std::string body = chatBody("please " + directive.toStdString());
    for (int i = 0; i < statuses.size(); ++i) {
        const auto reply = client.post(sim.openAiBaseUrl() + "/chat/completions", body);
        QCOMPARE(reply.status, long(statuses[i]));
        if (reply.status == 200) {
            QVERIFY(reply.header("retry-after").empty());
            continue;
        }
        QCOMPARE(q(reply.json()["error"]["type"].get<std::string>()), errorType);
        if (!header.isEmpty()) {
            const auto colon = header.indexOf(QLatin1Char(':'));
            QCOMPARE(q(reply.header(header.left(colon).toStdString())), header.mid(colon + 2));
        }
    }
    // /stats counts every attempt, so tests of clients can count retries.
    const auto stats = client.get(sim.baseUrl() + "/stats").json();
    QCOMPARE(stats["requests"].get<int>(), int(statuses.size()));
}

void TestSimServer::randomFaults_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("complete");  // the transfer ends cleanly
    QTest::addColumn<bool>("validJson"); // every data line (or the body) parses

    QTest::newRow("fail-429") << toArgs("--fail-429 1 --retry-after-s 3") << false << 429 << true
                              << true;
    QTest::newRow("fail-500") << toArgs("--fail-500 1") << false << 500 << true << true;
    QTest::newRow("truncate-stream") << toArgs("--truncate 1") << true << 200 << false << true;
    QTest::newRow("truncate-body") << toArgs("--truncate 1") << false << 200 << false << false;
    QTest::newRow("malformed-stream") << toArgs("--malformed 1") << true << 200 << true << false;
    QTest::newRow("malformed-body") << toArgs("--malformed 1") << false << 200 << true << false;
    QTest::newRow("directive-truncate") << QStringList{} << true << 200 << false << true;
    QTest::newRow("directive-malformed") << QStringList{} << true << 200 << true << false;
    QTest::newRow("all-zero") << toArgs("--fail-429 0 --truncate 0") << true << 200 << true << true;
}

void TestSimServer::randomFaults()
{
    QFETCH(QStringList, args);
    QFETCH(bool, stream);
    QFETCH(int, status);
    QFETCH(bool, complete);
    QFETCH(bool, validJson);
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, QStringList{"--quiet", "--tokens", "8"} + args));
    std::string user = "fault please";
    if (QString::fromLatin1(QTest::currentDataTag()) == QLatin1String("directive-truncate")) {
        user += " [[sim:truncate=1]]";
    } else if (QString::fromLatin1(QTest::currentDataTag())
               == QLatin1String("directive-malformed")) {
        user += " [[sim:malformed=1]]";
    }
    Client client;
    const auto reply = client.post(sim.openAiBaseUrl() + "/chat/completions",
                                   chatBody(user, {{"stream", stream}}));
    QCOMPARE(reply.status, long(status));
    QCOMPARE(reply.code == CURLE_OK, complete);
    if (status == 429) {
        QCOMPARE(q(reply.header("retry-after")), QStringLiteral("3"));
        QCOMPARE(q(reply.json()["error"]["code"].get<std::string>()),
                 QStringLiteral("rate_limit_exceeded"));
    }
    if (stream) {
        const auto events = parseSse(reply.body);
        int invalid = 0;
        for (const auto &e : events) {
            invalid
                += e.data != "[DONE]" && Json::parse(e.data, nullptr, false).is_discarded() ? 1 : 0;
        }
        QCOMPARE(invalid, validJson ? 0 : 1);
        const bool done = !events.empty() && events.back().data == "[DONE]";
        QCOMPARE(done, complete);
        if (!complete) {
            // Cut in the middle: some words arrived, no finish_reason.
            QVERIFY(!streamedContent(reply.body).empty());
            QVERIFY(reply.body.find("finish_reason\":\"stop") == std::string::npos);
        }
    } else if (complete) {
        QCOMPARE(!reply.json().is_discarded(), validJson);
    }
}

void TestSimServer::randomFaultsReproduce()
{
    // The k-th repetition of a request draws from hash(seed, body, k): two runs agree.
    const auto statuses = [&](const QString &seed) {
        QList<int> out;
        fb::test::SimProcess sim;
        if (!startSim(sim, {"--quiet", "--seed", seed, "--fail-429", "0.5"})) {
            return out;
        }
        Client client;
        for (int i = 0; i < 40; ++i) {
            out << int(
                client.post(sim.openAiBaseUrl() + "/chat/completions", chatBody("same")).status);
        }
        return out;
    };
    const auto a = statuses("11");
    const auto b = statuses("11");
    const auto c = statuses("12");
    QCOMPARE(a.size(), 40);
    QCOMPARE(a, b);
    QVERIFY(a != c);
    const auto failures = a.count(429);
    QVERIFY2(failures >= 8 && failures <= 32, qPrintable(QString::number(failures)));
    QCOMPARE(failures + a.count(200), 40);
}

void TestSimServer::statsCountRequests()
{
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    const std::string chat = sim.openAiBaseUrl() + "/chat/completions";
    client.post(chat, chatBody("a [[sim:fail=429,times=1]]"));
    client.post(chat, chatBody("a [[sim:fail=429,times=1]]"));
    client.post(chat, chatBody("b"));
    client.get(sim.baseUrl() + "/health");
    client.get(sim.baseUrl() + "/nope");
    client.get(sim.baseUrl() + "/stats"); // not counted
    const auto stats = client.get(sim.baseUrl() + "/stats").json();
    QCOMPARE(stats["requests"].get<int>(), 5);
    QCOMPARE(stats["by_status"]["200"].get<int>(), 3);
    QCOMPARE(stats["by_status"]["429"].get<int>(), 1);
    QCOMPARE(stats["by_status"]["404"].get<int>(), 1);
    QCOMPARE(stats["by_path"]["/v1/chat/completions"].get<int>(), 3);
    QCOMPARE(stats["by_path"]["/health"].get<int>(), 1);
    QCOMPARE(stats["active"].get<int>(), 0);

    QCOMPARE(client.post(sim.baseUrl() + "/stats/reset", "").status, 200L);
    const auto reset = client.get(sim.baseUrl() + "/stats").json();
    QCOMPARE(reset["requests"].get<int>(), 0);
    QVERIFY(reset["by_status"].empty());
    // Directive counters start afresh too.
    QCOMPARE(client.post(chat, chatBody("a [[sim:fail=429,times=1]]")).status, 429L);
}

void TestSimServer::largeBodyNeedsNoContinueWait()
{
    // curl sends "Expect: 100-continue" for bodies over 1 KiB and waits up to 1 s for it.
    fb::test::SimProcess sim;
    QVERIFY(startSim(sim, {"--quiet"}));
    Client client;
    const std::string big(64 * 1024, 'x');
    const auto reply = client.post(sim.openAiBaseUrl() + "/chat/completions", chatBody(big));
    QCOMPARE(reply.status, 200L);
    QVERIFY2(reply.elapsedMs < 700, qPrintable(QString::number(reply.elapsedMs)));
    QCOMPARE(reply.json()["usage"]["prompt_tokens"].get<int>(), int((14 + big.size() + 3) / 4));
}

void TestSimServer::thousandConcurrentStreams()
{
    constexpr int Streams = 1000;
    fb::test::SimProcess sim;
    // Each stream takes >= 100 + 7 x 20 = 240 ms; one after another they would take 4 minutes.
    QVERIFY(startSim(sim, toArgs("--quiet --tokens 8 --ttft-ms 100 --token-ms 20")));
    const std::string url = sim.openAiBaseUrl() + "/chat/completions";

    CURLM *multi = curl_multi_init();
    struct Transfer
    {
        CURL *easy = nullptr;
        Reply reply;
        std::string body;
    };
    std::vector<std::unique_ptr<Transfer>> transfers;
    curl_slist *headers = curl_slist_append(nullptr, "Content-Type: application/json");
    for (int i = 0; i < Streams; ++i) {
        auto t = std::make_unique<Transfer>();
        t->easy = curl_easy_init();
        t->body = chatBody("stream number " + std::to_string(i), {{"stream", true}});
        curl_easy_setopt(t->easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, 25000L);
        curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body.c_str());
        curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, collectBody);
        curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, &t->reply);
        curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t.get());
        curl_multi_add_handle(multi, t->easy);
        transfers.push_back(std::move(t));
    }
    QElapsedTimer timer;
    timer.start();
    int running = 0;
    int done = 0;
    int maxActive = 0;
    Client probe;
    do {
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg == CURLMSG_DONE) {
                Transfer *t = nullptr;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
                t->reply.code = msg->data.result;
                curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &t->reply.status);
                ++done;
            }
        }
        if (running > 0) {
            if (done == 0 && timer.elapsed() > 150 && maxActive == 0) {
                // While the streams wait for their first token the sim holds them all at once.
                maxActive = probe.get(sim.baseUrl() + "/stats").json()["active"].get<int>();
            }
            curl_multi_poll(multi, nullptr, 0, 100, nullptr);
        }
    } while (running > 0 && timer.elapsed() < 28000);
    const qint64 elapsed = timer.elapsed();

    int complete = 0;
    for (auto &t : transfers) {
        const bool ok
            = t->reply.code == CURLE_OK && t->reply.status == 200 && t->reply.body.size() > 14
              && t->reply.body.compare(t->reply.body.size() - 14, 14, "data: [DONE]\n\n") == 0
              && wordCount(streamedContent(t->reply.body)) == 8;
        complete += ok ? 1 : 0;
        curl_multi_remove_handle(multi, t->easy);
        curl_easy_cleanup(t->easy);
    }
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    qInfo("%d/%d streams complete in %lld ms; %d active at once", complete, Streams,
          static_cast<long long>(elapsed), maxActive);
    QCOMPARE(complete, Streams);
    QVERIFY2(elapsed < 20000, qPrintable(QString::number(elapsed)));
    QVERIFY(maxActive > 0);
}

QTEST_GUILESS_MAIN(TestSimServer)
#include "tst_simserver.moc"
