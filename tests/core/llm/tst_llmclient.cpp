// LlmClient against a real flowbench-sim on 127.0.0.1: every protocol streamed and whole,
// usage and timing, retries honouring retry-after(-ms), broken streams, timeouts,
// cancellation, Entra ID bearer tokens, and 256 concurrent calls with their CPU cost.

#include <core/llm/llmclient.h>
#include <tests/common/scriptedhttpserver.h>
#include <tests/common/simprocess.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <curl/curl.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <optional>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace fb;
using fb::test::ScriptedHttpServer;
using fb::test::SimProcess;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char *kKey = "sim-key";

double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

size_t appendBody(char *data, size_t size, size_t count, void *user)
{
    static_cast<std::string *>(user)->append(data, size * count);
    return size * count;
}

/// A plain blocking request to the simulator's control endpoints.
QJsonObject simRequest(const SimProcess &sim, const char *path, bool post = false)
{
    std::string body;
    CURL *e = curl_easy_init();
    const std::string url = sim.baseUrl() + path;
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &appendBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    if (post) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
    }
    curl_easy_perform(e);
    curl_easy_cleanup(e);
    return QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
}

int statusCount(const SimProcess &sim, int status)
{
    return simRequest(sim, "/stats")
        .value(QStringLiteral("by_status"))
        .toObject()
        .value(QString::number(status))
        .toInt();
}

int requestCount(const SimProcess &sim)
{
    return simRequest(sim, "/stats").value(QStringLiteral("requests")).toInt();
}

Connection openAiConnection(const SimProcess &sim)
{
    Connection c;
    c.name = "sim_openai";
    c.type = ConnectionType::OpenAi;
    c.configs["base_url"] = sim.openAiBaseUrl();
    c.secrets["api_key"] = kKey;
    return c;
}

Connection connectionFor(const QString &kind, const SimProcess &sim)
{
    Connection c;
    c.name = "sim_" + kind.toStdString();
    if (kind == "openai") {
        return openAiConnection(sim);
    }
    if (kind == "azure" || kind == "azure-2024-10-21") {
        c.type = ConnectionType::AzureOpenAi;
        c.configs["api_base"] = sim.baseUrl() + "/";
        c.secrets["api_key"] = kKey;
        if (kind == "azure-2024-10-21") {
            c.configs["api_version"] = "2024-10-21";
        }
    } else if (kind == "serverless") {
        c.type = ConnectionType::Serverless;
        c.configs["api_base"] = sim.openAiBaseUrl();
        c.secrets["api_key"] = kKey;
    } else if (kind == "anthropic") {
        c.type = ConnectionType::Anthropic;
        c.configs["api_base"] = sim.baseUrl();
        c.secrets["api_key"] = kKey;
    }
    return c;
}

LlmRequest chat(const std::string &userText, bool stream = false)
{
    LlmRequest r;
    r.model = "gpt-sim";
    r.messages
        = {{"system", "You are terse.", "", "", nullptr}, {"user", userText, "", "", nullptr}};
    r.parameters = Value{{"temperature", 0}, {"max_tokens", 64}};
    r.stream = stream;
    return r;
}

/// Collects what one asynchronous call reports.
class Waiter
{
public:
    LlmCallbacks callbacks(bool cancelOnFirstDelta = false)
    {
        LlmCallbacks cb;
        cb.onDelta = [this](std::string_view d) {
            std::lock_guard lock(m_mutex);
            deltas.emplace_back(d);
            m_cv.notify_all();
        };
        cb.onFinished = [this](Result<LlmResponse> r) {
            std::lock_guard lock(m_mutex);
            result.emplace(std::move(r));
            ++finishedCount;
            finishedAt = Clock::now();
            m_cv.notify_all();
        };
        return cb;
    }
    bool waitForDelta(int ms)
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, std::chrono::milliseconds(ms),
                             [this] { return !deltas.empty() || result.has_value(); });
    }
    bool waitForFinish(int ms)
    {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, std::chrono::milliseconds(ms),
                             [this] { return result.has_value(); });
    }

    std::vector<std::string> deltas;           // guarded by m_mutex
    std::optional<Result<LlmResponse>> result; // guarded by m_mutex
    int finishedCount = 0;                     // guarded by m_mutex
    Clock::time_point finishedAt;              // guarded by m_mutex

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
};

/// A loopback listener whose accept queue is full, so a new connect() never completes:
/// the deterministic way to hit a connect timeout without leaving 127.0.0.1.
class FullBacklogListener
{
public:
    ~FullBacklogListener()
    {
        for (int fd : m_fds) {
            ::close(fd);
        }
    }
    bool open()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        m_fds.push_back(listener);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
            || ::listen(listener, 0) != 0
            || ::getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
            return false;
        }
        port = ntohs(addr.sin_port);
        for (int i = 0; i < 4; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            m_fds.push_back(fd);
            ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
        }
        return true;
    }
    int port = 0;

private:
    std::vector<int> m_fds;
};

/// A loopback port nothing listens on (bound, then released).
int unusedPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
}

/// What the misbehaving server of capsHitEndTheCall() sends after its headers, for ever.
enum class Flood { SmallEvents, BigEvents, LineWithoutEnd, WholeBody };

/// Peak resident set of this process in MiB.
double peakRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

void flood(const ScriptedHttpServer &server, int fd, Flood kind)
{
    const bool sse = kind != Flood::WholeBody;
    std::string head = std::string("HTTP/1.1 200 OK\r\nContent-Type: ")
                       + (sse ? "text/event-stream" : "application/json")
                       + "\r\nConnection: close\r\n\r\n";
    std::string chunk;
    if (kind == Flood::SmallEvents || kind == Flood::BigEvents) {
        const std::string content(kind == Flood::SmallEvents ? 1 : 8192, 'x');
        const std::string event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                                  + content + "\"}}]}\n\n";
        while (chunk.size() < 65536) {
            chunk += event;
        }
    } else {
        head += kind == Flood::LineWithoutEnd ? "data: " : "{\"x\":\"";
        chunk.assign(65536, 'y');
    }
    if (!server.send(fd, head)) {
        return;
    }
    while (server.send(fd, chunk)) {
    }
}

} // namespace

class TestLlmClient : public QObject
{
    Q_OBJECT

private:
    SimProcess m_sim;   // OpenAI flavor, --require-key
    SimProcess m_llama; // llama.cpp flavor
    int m_unique = 0;

    /// A directive text no earlier request used (the simulator counts `times` per text).
    std::string tag() { return "case" + std::to_string(++m_unique); }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
        QVERIFY2(m_sim.start({"--require-key", kKey, "--seed", "7"}),
                 qPrintable(m_sim.errorString()));
        QVERIFY2(m_llama.start({"--flavor", "llamacpp", "--seed", "7"}),
                 qPrintable(m_llama.errorString()));
    }

    void cleanupTestCase()
    {
        m_sim.stop();
        m_llama.stop();
        curl_global_cleanup();
    }

    void protocols_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("llama");
        QTest::addColumn<bool>("completion");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<bool>("usageReported");

        QTest::newRow("openai-chat") << "openai" << false << false << false << true;
        QTest::newRow("openai-chat-stream") << "openai" << false << false << true << true;
        QTest::newRow("openai-completion") << "openai" << false << true << false << true;
        QTest::newRow("openai-completion-stream") << "openai" << false << true << true << true;
        QTest::newRow("llamacpp-chat") << "openai" << true << false << false << true;
        QTest::newRow("llamacpp-chat-stream") << "openai" << true << false << true << true;
        QTest::newRow("azure-key-chat") << "azure" << false << false << false << true;
        QTest::newRow("azure-key-chat-stream-old-api-version")
            << "azure" << false << false << true << false;
        QTest::newRow("azure-key-chat-stream-usage")
            << "azure-2024-10-21" << false << false << true << true;
        QTest::newRow("azure-key-completion") << "azure" << false << true << false << true;
        QTest::newRow("serverless-chat-stream") << "serverless" << false << false << true << true;
        QTest::newRow("anthropic-chat") << "anthropic" << false << false << false << true;
        QTest::newRow("anthropic-chat-stream") << "anthropic" << false << false << true << true;
    }

    void protocols()
    {
        QFETCH(QString, kind);
        QFETCH(bool, llama);
        QFETCH(bool, completion);
        QFETCH(bool, stream);
        QFETCH(bool, usageReported);

        const SimProcess &sim = llama ? m_llama : m_sim;
        const Connection c = connectionFor(kind, sim);
        const std::string reply = "Alpha beta gamma delta epsilon zeta " + tag();
        LlmRequest r = chat("Recite. [[sim:reply=" + reply + ",ttft_ms=20,token_ms=3]]", stream);
        if (completion) {
            r.api = LlmApi::Completion;
            r.prompt = r.messages.back().content;
            r.messages.clear();
        }
        LlmClient client;
        std::vector<std::string> deltas;
        const auto start = Clock::now();
        const auto result = client.call(c, r, [&](std::string_view d) { deltas.emplace_back(d); });
        const double wall = msSince(start);
        QVERIFY2(result.has_value(), result.has_value() ? "" : result.error().message.c_str());
        const LlmResponse &resp = *result;
        QCOMPARE(QString::fromStdString(resp.text), QString::fromStdString(reply));
        QCOMPARE(resp.httpStatus, 200);
        QCOMPARE(resp.attempts, 1);
        QVERIFY2(QString::fromStdString(resp.model).contains(QLatin1String("gpt-sim")),
                 resp.model.c_str());
        QVERIFY(!resp.finishReason.empty());
        QCOMPARE(resp.usage.reported, usageReported);
        QVERIFY(resp.usage.promptTokens > 0);
        QVERIFY(resp.usage.completionTokens > 0);
        QVERIFY(resp.timing.latencyMs > 0);
        QVERIFY(resp.timing.totalMs >= resp.timing.latencyMs);
        QVERIFY(resp.timing.totalMs <= wall + 1);
        if (stream) {
            std::string joined;
            for (const auto &d : deltas) {
                joined += d;
            }
            QCOMPARE(QString::fromStdString(joined), QString::fromStdString(reply));
            QVERIFY(deltas.size() > 1);
            QCOMPARE(resp.contentChunks, int(deltas.size()));
            QVERIFY2(resp.timing.ttftMs >= 15, qPrintable(QString::number(resp.timing.ttftMs)));
            QVERIFY(resp.timing.ttftMs <= resp.timing.latencyMs);
            QVERIFY2(resp.timing.tpotMs >= 1 && resp.timing.tpotMs < 100,
                     qPrintable(QString::number(resp.timing.tpotMs)));
        } else {
            QVERIFY(deltas.empty());
            QCOMPARE(resp.timing.ttftMs, -1.0);
            QCOMPARE(resp.timing.tpotMs, -1.0);
        }
    }

    void bearerToken_data()
    {
        QTest::addColumn<QString>("source"); // env | command | refresh
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<QString>("mentions");

        QTest::newRow("token-from-env") << "env" << true << 1 << "";
        QTest::newRow("token-from-command") << "command" << true << 1 << "";
        QTest::newRow("rejected-token-refreshed-on-401") << "refresh" << true << 2 << "";
        QTest::newRow("wrong-token-in-env") << "wrong-env" << false << 0 << "was rejected (401)";
        QTest::newRow("command-fails")
            << "failing-command" << false << 0 << "token_command failed (exit status 3): no login";
        QTest::newRow("command-times-out")
            << "slow-command" << false << 0 << "did not finish within 300 ms";
        QTest::newRow("no-token-source") << "none" << false << 0 << "FB_TEST_NO_SUCH_TOKEN";
    }

    void bearerToken()
    {
        QFETCH(QString, source);
        QFETCH(bool, ok);
        QFETCH(int, attempts);
        QFETCH(QString, mentions);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Connection c;
        c.name = "aad_" + source.toStdString();
        c.type = ConnectionType::AzureOpenAi;
        c.configs["api_base"] = m_sim.baseUrl();
        c.configs["auth_mode"] = "meid_token";
        const std::string envName = "FB_TEST_AD_TOKEN_" + std::to_string(++m_unique);
        c.configs["token_env"] = envName;
        if (source == "env") {
            qputenv(envName.c_str(), kKey);
        } else if (source == "wrong-env") {
            qputenv(envName.c_str(), "expired-token");
        } else if (source == "command") {
            c.configs["token_command"] = std::string("printf '%s\\n' ") + kKey;
        } else if (source == "refresh") {
            // First run prints a stale token, later runs the right one.
            const std::string marker = dir.filePath("ran").toStdString();
            c.configs["token_command"] = "if [ -e " + marker + " ]; then printf " + kKey
                                         + "; else touch " + marker + "; printf stale; fi";
        } else if (source == "failing-command") {
            c.configs["token_command"] = "echo 'no login' >&2; exit 3";
        } else if (source == "slow-command") {
            c.configs["token_command"] = "sleep 10; printf late";
        } else {
            c.configs["token_env"] = "FB_TEST_NO_SUCH_TOKEN";
        }
        LlmClientOptions options;
        options.tokenCommandTimeoutMs = 300;
        LlmClient client(options);
        LlmRequest r = chat("hello " + tag(), true);
        r.model = "my-deployment";
        const auto start = Clock::now();
        const auto result = client.call(c, r);
        QVERIFY(msSince(start) < 5000);
        qunsetenv(envName.c_str());
        QCOMPARE(result.has_value(), ok);
        if (ok) {
            QCOMPARE(result->attempts, attempts);
            QVERIFY(!result->text.empty());
        } else {
            const QString message = QString::fromStdString(result.error().message);
            QVERIFY2(message.contains(mentions), qPrintable(message));
            QVERIFY2(!message.contains(QLatin1String(kKey)), qPrintable(message));
        }
    }

    void retries_data()
    {
        QTest::addColumn<QString>("directive"); // %1 = unique tag
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<int>("failStatus");
        QTest::addColumn<double>("minElapsedMs");
        QTest::addColumn<int>("errorCode");
        QTest::addColumn<QString>("mentions");

        QTest::newRow("429-retry-after-seconds")
            << "fail=429,times=1,retry_after=1" << 8 << true << 2 << 429 << 1000.0 << 0 << "";
        QTest::newRow("429-retry-after-ms")
            << "fail=429,times=2,retry_after_ms=300" << 8 << true << 3 << 429 << 600.0 << 0 << "";
        QTest::newRow("503-retry-after-ms")
            << "fail=503,times=1,retry_after_ms=150" << 8 << true << 2 << 503 << 150.0 << 0 << "";
        QTest::newRow("500-then-success")
            << "fail=500,times=2" << 8 << true << 3 << 500 << 0.0 << 0 << "";
        QTest::newRow("429-exhausted")
            << "fail=429,times=50,retry_after_ms=20" << 3 << false << 3 << 429 << 40.0
            << int(ErrorCode::RateLimited) << "gave up after 3 attempts";
        QTest::newRow("400-not-retried") << "fail=400,times=5" << 8 << false << 1 << 400 << 0.0
                                         << int(ErrorCode::Http) << "HTTP 400: ";
        QTest::newRow("404-not-retried") << "fail=404,times=5" << 8 << false << 1 << 404 << 0.0
                                         << int(ErrorCode::Http) << "HTTP 404: ";
    }

    void retries()
    {
        QFETCH(QString, directive);
        QFETCH(int, maxAttempts);
        QFETCH(bool, ok);
        QFETCH(int, attempts);
        QFETCH(int, failStatus);
        QFETCH(double, minElapsedMs);
        QFETCH(int, errorCode);
        QFETCH(QString, mentions);

        LlmClientOptions options;
        options.maxAttempts = maxAttempts;
        options.backoffBaseMs = 5;
        options.backoffMaxMs = 20;
        LlmClient client(options);
        const int failsBefore = statusCount(m_sim, failStatus);
        const int requestsBefore = requestCount(m_sim);
        const auto start = Clock::now();
        const auto result
            = client.call(openAiConnection(m_sim),
                          chat("q [[sim:" + directive.toStdString() + ",reply=ok " + tag() + "]]"));
        const double elapsed = msSince(start);
        QCOMPARE(result.has_value(), ok);
        const int fails = statusCount(m_sim, failStatus) - failsBefore;
        QCOMPARE(requestCount(m_sim) - requestsBefore, attempts);
        QVERIFY2(elapsed >= minElapsedMs, qPrintable(QString::number(elapsed)));
        if (ok) {
            QCOMPARE(result->attempts, attempts);
            QCOMPARE(fails, attempts - 1);
            QVERIFY(result->timing.totalMs >= minElapsedMs);
            QVERIFY(result->timing.latencyMs < result->timing.totalMs);
        } else {
            QCOMPARE(fails, attempts);
            QCOMPARE(int(result.error().code), errorCode);
            const QString message = QString::fromStdString(result.error().message);
            QVERIFY2(message.contains(mentions), qPrintable(message));
            QVERIFY2(message.contains(QStringLiteral("connection 'sim_openai'")),
                     qPrintable(message));
            QVERIFY2(message.contains(QString::fromStdString(m_sim.openAiBaseUrl())),
                     qPrintable(message));
            QVERIFY2(!message.contains(QLatin1String(kKey)), qPrintable(message));
        }
    }

    void brokenAnswers_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("directive");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("attempts");
        QTest::addColumn<int>("errorCode");
        QTest::addColumn<QString>("mentions");

        QTest::newRow("truncated-stream-after-content")
            << "openai"
            << "truncate=1,times=5,tokens=8" << true << false << 1 << int(ErrorCode::Provider)
            << "truncated";
        QTest::newRow("truncated-stream-before-content-retried")
            << "openai"
            << "truncate=1,times=1,tokens=0" << true << true << 2 << 0 << "";
        QTest::newRow("truncated-body-retried")
            << "openai"
            << "truncate=1,times=1" << false << true << 2 << 0 << "";
        QTest::newRow("malformed-stream-chunk")
            << "openai"
            << "malformed=1,times=5,tokens=8" << true << false << 1 << int(ErrorCode::Provider)
            << "malformed JSON";
        QTest::newRow("malformed-body") << "openai"
                                        << "malformed=1,times=5" << false << false << 1
                                        << int(ErrorCode::Provider) << "not a JSON object";
        QTest::newRow("anthropic-truncated-stream")
            << "anthropic"
            << "truncate=1,times=5,tokens=8" << true << false << 1 << int(ErrorCode::Provider)
            << "truncated";
        QTest::newRow("anthropic-malformed-stream")
            << "anthropic"
            << "malformed=1,times=5,tokens=8" << true << false << 1 << int(ErrorCode::Provider)
            << "malformed JSON";
    }

    void brokenAnswers()
    {
        QFETCH(QString, kind);
        QFETCH(QString, directive);
        QFETCH(bool, stream);
        QFETCH(bool, ok);
        QFETCH(int, attempts);
        QFETCH(int, errorCode);
        QFETCH(QString, mentions);

        LlmClientOptions options;
        options.backoffBaseMs = 5;
        LlmClient client(options);
        const int before = requestCount(m_sim);
        const auto result
            = client.call(connectionFor(kind, m_sim),
                          chat("q [[sim:" + directive.toStdString()
                                   + ",retry_after_ms=" + std::to_string(++m_unique) + "]]",
                               stream));
        QCOMPARE(result.has_value(), ok);
        QCOMPARE(requestCount(m_sim) - before, attempts);
        if (ok) {
            QCOMPARE(result->attempts, attempts);
        } else {
            QCOMPARE(int(result.error().code), errorCode);
            QVERIFY2(QString::fromStdString(result.error().message).contains(mentions),
                     result.error().message.c_str());
        }
    }

    void timeouts_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("errorCode");

        QTest::newRow("total-timeout-on-stall") << "stall" << 1 << false << int(ErrorCode::Timeout);
        QTest::newRow("stall-once-then-retry") << "stall-once" << 2 << true << 0;
        QTest::newRow("connect-timeout") << "connect" << 2 << false << int(ErrorCode::Timeout);
        QTest::newRow("connection-refused") << "refused" << 2 << false << int(ErrorCode::Http);
    }

    void timeouts()
    {
        QFETCH(QString, what);
        QFETCH(int, maxAttempts);
        QFETCH(bool, ok);
        QFETCH(int, errorCode);

        LlmClientOptions options;
        options.maxAttempts = maxAttempts;
        options.backoffBaseMs = 5;
        options.connectTimeoutMs = 200;
        options.totalTimeoutMs = 400;
        LlmClient client(options);
        Connection c = openAiConnection(m_sim);
        std::string text = "q " + tag();
        FullBacklogListener listener;
        double minMs = 0;
        if (what == "stall") {
            text += " [[sim:stall_ms=5000,times=5]]";
            minMs = 400;
        } else if (what == "stall-once") {
            text += " [[sim:stall_ms=5000,times=1]]";
            minMs = 400;
        } else if (what == "connect") {
            QVERIFY(listener.open());
            c.configs["base_url"] = "http://127.0.0.1:" + std::to_string(listener.port) + "/v1";
            minMs = 400;
        } else {
            const int port = unusedPort();
            QVERIFY(port > 0);
            c.configs["base_url"] = "http://127.0.0.1:" + std::to_string(port) + "/v1";
        }
        const auto start = Clock::now();
        const auto result = client.call(c, chat(text, true));
        const double elapsed = msSince(start);
        QCOMPARE(result.has_value(), ok);
        // curl rounds its timers to milliseconds: allow it to fire a hair early.
        QVERIFY2(elapsed >= minMs * 0.97, qPrintable(QString::number(elapsed)));
        QVERIFY2(elapsed < 3000, qPrintable(QString::number(elapsed)));
        if (ok) {
            QCOMPARE(result->attempts, 2);
        } else {
            QCOMPARE(int(result.error().code), errorCode);
            QVERIFY2(result.error().message.find("gave up after " + std::to_string(maxAttempts))
                         != std::string::npos,
                     result.error().message.c_str());
        }
    }

    void cancellation_data()
    {
        QTest::addColumn<QString>("when");
        QTest::newRow("during-stream") << "stream";
        QTest::newRow("during-backoff") << "backoff";
        QTest::newRow("during-stall") << "stall";
        QTest::newRow("twice") << "twice";
    }

    void cancellation()
    {
        QFETCH(QString, when);
        LlmClient client;
        Waiter waiter;
        std::string text = "q " + tag();
        if (when == "backoff") {
            text += " [[sim:fail=429,times=5,retry_after=30]]";
        } else if (when == "stall") {
            text += " [[sim:stall_ms=20000,times=1]]";
        } else {
            text += " [[sim:tokens=200,token_ms=20]]";
        }
        const int fails = statusCount(m_sim, 429);
        auto call = client.start(openAiConnection(m_sim), chat(text, true), waiter.callbacks());
        if (when == "backoff") {
            // Cancel once the first attempt was refused and the 30 s wait has begun.
            QTRY_VERIFY_WITH_TIMEOUT(statusCount(m_sim, 429) > fails, 5000);
        } else if (when != "stall") {
            QVERIFY(waiter.waitForDelta(5000));
        }
        const auto cancelledAt = Clock::now();
        call->cancel();
        if (when == "twice") {
            call->cancel();
        }
        QVERIFY(waiter.waitForFinish(2000));
        const double reactionMs
            = std::chrono::duration<double, std::milli>(waiter.finishedAt - cancelledAt).count();
        QVERIFY2(reactionMs < 500, qPrintable(QString::number(reactionMs)));
        QVERIFY(!waiter.result->has_value());
        QCOMPARE(waiter.result->error().code, ErrorCode::Cancelled);
        QCOMPARE(waiter.finishedCount, 1);
        if (when == "stream" || when == "twice") {
            QVERIFY(!waiter.deltas.empty());
            QVERIFY(waiter.deltas.size() < 200);
        }
        call->cancel(); // after the end: harmless
    }

    void destructorCancelsInFlight()
    {
        std::atomic<int> cancelled{0};
        std::atomic<int> finished{0};
        std::vector<std::shared_ptr<LlmCall>> calls;
        {
            LlmClient client;
            for (int i = 0; i < 20; ++i) {
                LlmCallbacks cb;
                cb.onFinished = [&](Result<LlmResponse> r) {
                    ++finished;
                    if (!r && r.error().code == ErrorCode::Cancelled) {
                        ++cancelled;
                    }
                };
                calls.push_back(
                    client.start(openAiConnection(m_sim),
                                 chat("slow " + tag() + " [[sim:stall_ms=20000,times=1]]", true),
                                 std::move(cb)));
            }
        }
        QCOMPARE(finished.load(), 20);
        QCOMPARE(cancelled.load(), 20);
        for (auto &c : calls) {
            c->cancel(); // the client is gone: must be harmless
        }
    }

    void invalidCalls_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("custom-connection") << int(ConnectionType::Custom) << "m"
                                           << "cannot serve model calls";
        QTest::newRow("azure-without-key") << int(ConnectionType::AzureOpenAi) << "dep"
                                           << "has no api_key";
        QTest::newRow("anthropic-without-key") << int(ConnectionType::Anthropic) << "m"
                                               << "has no api_key";
    }

    void invalidCalls()
    {
        QFETCH(int, type);
        QFETCH(QString, model);
        QFETCH(QString, mentions);
        Connection c;
        c.name = "bad";
        c.type = ConnectionType(type);
        c.configs["api_base"] = m_sim.baseUrl();
        LlmClient client;
        Waiter waiter;
        LlmRequest r = chat("x");
        r.model = model.toStdString();
        const int before = requestCount(m_sim);
        client.start(c, r, waiter.callbacks());
        QVERIFY(waiter.waitForFinish(2000));
        QCOMPARE(waiter.result->error().code, ErrorCode::InvalidArgument);
        QVERIFY2(QString::fromStdString(waiter.result->error().message).contains(mentions),
                 waiter.result->error().message.c_str());
        QCOMPARE(requestCount(m_sim), before);
    }

    // The client reads the proxy variables once, when it is made; curl must still honour them
    // (and their exceptions) exactly as when it looked them up on every transfer.
    void proxyFromEnvironment_data()
    {
        QTest::addColumn<QString>("httpProxy");
        QTest::addColumn<QString>("noProxy");
        QTest::addColumn<bool>("reachesProxy");
        QTest::newRow("no-variables") << QString() << QString() << false;
        QTest::newRow("http_proxy") << "sim" << QString() << true;
        QTest::newRow("http_proxy-with-no_proxy-match") << "sim" << "proxy-test.invalid" << false;
        QTest::newRow("http_proxy-with-other-no_proxy") << "sim" << "elsewhere.invalid" << true;
    }

    void proxyFromEnvironment()
    {
        QFETCH(QString, httpProxy);
        QFETCH(QString, noProxy);
        QFETCH(bool, reachesProxy);
        const int before = requestCount(m_sim);
        auto restore = qScopeGuard([] {
            qunsetenv("http_proxy");
            qunsetenv("no_proxy");
        });
        if (!httpProxy.isEmpty()) {
            qputenv("http_proxy", QByteArray::fromStdString(m_sim.baseUrl()));
        }
        if (!noProxy.isEmpty()) {
            qputenv("no_proxy", noProxy.toUtf8());
        }
        LlmClientOptions options;
        options.maxAttempts = 1;
        LlmClient client(options);
        Connection c = openAiConnection(m_sim);
        c.configs["base_url"] = "http://api.proxy-test.invalid/v1";
        const auto result = client.call(c, chat("x " + tag()));
        restore.dismiss();
        qunsetenv("http_proxy"); // before asking the simulator for its count, through no proxy
        qunsetenv("no_proxy");
        // The simulator is no proxy: it answers the proxied request with an HTTP error. Without
        // the proxy the host name does not resolve.
        QVERIFY(!result.has_value());
        const QString message = QString::fromStdString(result.error().message);
        QCOMPARE(requestCount(m_sim) - before, reachesProxy ? 1 : 0);
        QVERIFY2(message.contains("resolve") != reachesProxy, qPrintable(message));
    }


    void capsEndTheCall_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<bool>("defaults");
        QTest::addColumn<QString>("mentions");

        // With small caps, so each cap is the one hit; then the defaults, which must hold too.
        QTest::newRow("endless-small-events") << int(Flood::SmallEvents) << true << false
                                              << "exceeds the cap of 1000 events (maxSseEvents)";
        QTest::newRow("endless-big-events") << int(Flood::BigEvents) << true << false
                                            << "exceeds the cap of 1048576 bytes (maxStreamBytes)";
        QTest::newRow("sse-line-without-end")
            << int(Flood::LineWithoutEnd) << true << false
            << "a line of the streamed response exceeds the cap of 65536 bytes (maxSseLineBytes)";
        QTest::newRow("endless-whole-body")
            << int(Flood::WholeBody) << false << false
            << "the response body exceeds the cap of 1048576 bytes (maxResponseBytes)";
        QTest::newRow("defaults-endless-events")
            << int(Flood::BigEvents) << true << true
            << "exceeds the cap of 67108864 bytes (maxStreamBytes)";
        QTest::newRow("defaults-line-without-end")
            << int(Flood::LineWithoutEnd) << true << true
            << "exceeds the cap of 1048576 bytes (maxSseLineBytes)";
        QTest::newRow("defaults-endless-body") << int(Flood::WholeBody) << false << true
                                               << "exceeds the cap of 67108864 bytes";
    }

    /// An endpoint that never stops sending ends the call with an error naming the cap, fast
    /// and without growing the process; the call is not retried.
    void capsEndTheCall()
    {
        QFETCH(int, kind);
        QFETCH(bool, stream);
        QFETCH(bool, defaults);
        QFETCH(QString, mentions);

        ScriptedHttpServer server(
            [&server, kind](int fd, const std::string &) { flood(server, fd, Flood(kind)); });
        QVERIFY(server.port() > 0);
        LlmClientOptions options;
        options.totalTimeoutMs = 30000; // without a cap the call would end here, as a timeout
        if (!defaults) {
            options.maxSseEvents = 1000;
            options.maxStreamBytes = std::size_t(1) << 20;
            options.maxSseLineBytes = 65536;
            options.maxResponseBytes = std::size_t(1) << 20;
        }
        Connection c;
        c.name = "flood";
        c.type = ConnectionType::OpenAi;
        c.configs["base_url"] = server.baseUrl() + "/v1";
        c.secrets["api_key"] = kKey;
        LlmClient client(options);
        const double rssBefore = peakRssMiB();
        const auto started = Clock::now();
        const auto result = client.call(c, chat("flood " + tag(), stream));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Provider);
        QVERIFY2(QString::fromStdString(result.error().message).contains(mentions),
                 result.error().message.c_str());
        QVERIFY2(msSince(started) < 15000, "the cap should end the call long before the timeout");
        QCOMPARE(server.requests(), 1); // a cap is not retried
        // The defaults hold 64 MiB at most; a missing cap would pass 1 GiB in 15 s.
        QVERIFY2(peakRssMiB() - rssBefore < 400, qPrintable(QString::number(peakRssMiB())));
    }

    /// A server whose error body quotes the key it got: the error names the failure but
    /// shows a placeholder where the key was.
    void echoedKeyIsRedacted()
    {
        ScriptedHttpServer server([&server](int fd, const std::string &request) {
            const std::string marker = "Bearer ";
            const auto at = request.find(marker);
            const std::string key = at == std::string::npos
                                        ? std::string()
                                        : request.substr(at + marker.size(),
                                                         request.find("\r\n", at) - at
                                                             - marker.size());
            const std::string body
                = R"({"error":{"message":"Incorrect API key provided: )" + key + R"(."}})";
            (void)server.send(fd, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json"
                                  "\r\nConnection: close\r\nContent-Length: "
                                      + std::to_string(body.size()) + "\r\n\r\n" + body);
        });
        Connection c;
        c.name = "echo";
        c.type = ConnectionType::OpenAi;
        c.configs["base_url"] = server.baseUrl() + "/v1";
        c.secrets["api_key"] = "sk-echoed-0123456789";
        LlmClient client;
        const auto result = client.call(c, chat("x " + tag()));
        QVERIFY(!result.has_value());
        const QString message = QString::fromStdString(result.error().message);
        QVERIFY2(message.contains("HTTP 401: Incorrect API key provided: [redacted]."),
                 qPrintable(message));
        QVERIFY2(!message.contains("sk-echoed"), qPrintable(message));
    }

    void wrongKey()
    {
        Connection c = openAiConnection(m_sim);
        c.secrets["api_key"] = "not-the-key";
        LlmClient client;
        const auto result = client.call(c, chat("x " + tag()));
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::Http);
        const QString message = QString::fromStdString(result.error().message);
        QVERIFY2(message.contains("HTTP 401: Incorrect API key"), qPrintable(message));
        QVERIFY(!message.contains("not-the-key"));
    }

    void concurrent_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<int>("calls");
        QTest::addColumn<int>("concurrency"); // 0: one blocking call() after another

        QTest::newRow("blocking-sequential-openai") << "openai" << false << 200 << 0;
        QTest::newRow("blocking-sequential-openai-stream") << "openai" << true << 200 << 0;
        QTest::newRow("sequential-openai") << "openai" << false << 200 << 1;
        QTest::newRow("sequential-openai-stream") << "openai" << true << 200 << 1;
        QTest::newRow("256-concurrent-openai") << "openai" << false << 1024 << 256;
        QTest::newRow("256-concurrent-openai-stream") << "openai" << true << 1024 << 256;
        QTest::newRow("256-concurrent-azure-stream") << "azure-2024-10-21" << true << 512 << 256;
        QTest::newRow("256-concurrent-anthropic-stream") << "anthropic" << true << 512 << 256;
    }

    /// All calls succeed; prints the client's CPU per call (the simulator runs in its own
    /// process, so the process CPU clock measures only the test's side).
    void concurrent()
    {
        QFETCH(QString, kind);
        QFETCH(bool, stream);
        QFETCH(int, calls);
        QFETCH(int, concurrency);

        const Connection c = connectionFor(kind, m_sim);
        LlmRequest r = chat("Hi [[sim:tokens=4,ttft_ms=0,token_ms=0]]", stream);
        LlmClient client;
        // Warm up: connections and easy handles for `concurrency` transfers.
        std::mutex mutex;
        std::condition_variable cv;
        int done = 0;
        int failures = 0;
        int started = 0;
        std::string firstError;
        std::function<void()> launch;
        const auto runBatch = [&](int total) {
            if (concurrency == 0) {
                failures = 0;
                for (int i = 0; i < total; ++i) {
                    auto res = client.call(c, r);
                    if (!res || res->text.empty()) {
                        ++failures;
                        if (firstError.empty() && !res) {
                            firstError = res.error().message;
                        }
                    }
                }
                return;
            }
            std::unique_lock lock(mutex);
            done = 0;
            started = 0;
            failures = 0;
            launch = [&]() {
                LlmCallbacks cb;
                cb.onFinished = [&](Result<LlmResponse> res) {
                    bool more = false;
                    {
                        std::lock_guard l(mutex);
                        ++done;
                        if (!res || res->text.empty()) {
                            ++failures;
                            if (firstError.empty() && !res) {
                                firstError = res.error().message;
                            }
                        }
                        more = started < total;
                        if (more) {
                            ++started;
                        }
                        if (done == total) {
                            cv.notify_all();
                        }
                    }
                    if (more) {
                        launch(); // keep `concurrency` calls in flight
                    }
                };
                client.start(c, r, std::move(cb));
            };
            const int initial = std::min(concurrency, total);
            started = initial;
            lock.unlock();
            for (int i = 0; i < initial; ++i) {
                launch();
            }
            lock.lock();
            cv.wait(lock, [&] { return done == total; });
        };
        runBatch(std::max(concurrency, 1));
        // The best of three batches: the process CPU clock still picks up some noise from
        // other work on a shared machine.
        double usPerCall = 1e9;
        double callsPerSecond = 0;
        for (int round = 0; round < 3; ++round) {
            const double cpuBefore = processCpuMs();
            const auto wallStart = Clock::now();
            runBatch(calls);
            const double cpuMs = processCpuMs() - cpuBefore;
            QVERIFY2(failures == 0, firstError.c_str());
            if (cpuMs * 1000.0 / calls < usPerCall) {
                usPerCall = cpuMs * 1000.0 / calls;
                callsPerSecond = calls * 1000.0 / msSince(wallStart);
            }
        }
        qInfo("%s: %d calls, %d in flight: %.1f us CPU per call (target <= 100), %.0f calls/s",
              QTest::currentDataTag(), calls, concurrency, usPerCall, callsPerSecond);
        // Only a guard against pathologies (busy loops, per-call reconnects): the 100 us
        // budget is measured by the benchmark, not asserted on a loaded test machine.
        QVERIFY2(usPerCall < 1000, qPrintable(QString::number(usPerCall)));
    }
};

QTEST_GUILESS_MAIN(TestLlmClient)
#include "tst_llmclient.moc"
