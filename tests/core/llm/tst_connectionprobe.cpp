// ConnectionProbe against a real flowbench-sim on 127.0.0.1 (OpenAI and Anthropic protocols,
// right and wrong keys, unknown paths), against a closed port and a server that never answers
// (clear errors in bounded time), and cancelled through its stop token.

#include <core/llm/connectionprobe.h>

#include <tests/common/localsocket.h>
#include <tests/common/simprocess.h>

#include <QElapsedTimer>
#include <QtTest>

#include <curl/curl.h>

#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

using namespace fb;

namespace {

constexpr const char *kKey = "probe-key";

/// Answers the first HTTP request on 127.0.0.1 with a fixed model list and keeps the
/// request's head (request line and headers), to see what the probe sends.
class RecordingServer
{
public:
    RecordingServer()
        : m_thread([this] { serveOne(); })
    {
    }
    ~RecordingServer() { m_thread.join(); }
    RecordingServer(const RecordingServer &) = delete;
    RecordingServer &operator=(const RecordingServer &) = delete;

    [[nodiscard]] std::string baseUrl() const { return m_socket.baseUrl(); }
    /// The request head, kept before the answer is sent; valid once the probe has returned.
    [[nodiscard]] QString request()
    {
        std::lock_guard lock(m_mutex);
        return QString::fromStdString(m_request);
    }

private:
    void serveOne()
    {
        pollfd listening{m_socket.fd(), POLLIN, 0};
        if (::poll(&listening, 1, 10000) != 1) {
            return; // the probe never came: the test's checks will say so
        }
        const int fd = ::accept(m_socket.fd(), nullptr, nullptr);
        if (fd < 0) {
            return;
        }
        std::string head;
        char buffer[4096];
        while (head.find("\r\n\r\n") == std::string::npos) {
            pollfd in{fd, POLLIN, 0};
            if (::poll(&in, 1, 10000) != 1) {
                break;
            }
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n <= 0) {
                break;
            }
            head.append(buffer, std::size_t(n));
        }
        {
            // Kept before answering: the probe returns, and the test reads it, once the answer
            // is in.
            std::lock_guard lock(m_mutex);
            m_request = head.substr(0, head.find("\r\n\r\n"));
        }
        const std::string body = R"({"data":[{"id":"recorded-model"}]})";
        const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                   "Content-Length: "
                                   + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n"
                                   + body;
        [[maybe_unused]] const ssize_t written = ::write(fd, answer.data(), answer.size());
        ::close(fd);
    }

    test::LocalSocket m_socket{true};
    std::mutex m_mutex;
    std::string m_request; // guarded by m_mutex
    std::thread m_thread;
};

/// One probe case. `fields` are key=value settings ("api_key" is a secret); "{sim}" in a
/// value becomes the simulator's http://127.0.0.1:PORT.
struct ProbeRow
{
    ConnectionType type = ConnectionType::OpenAi;
    // Every field has an initializer, so rows may name only the fields they need.
    QStringList fields{};
    QString model{};        ///< ConnectionProbeOptions::model
    bool simulated = false; ///< ConnectionProbeOptions::simulated
    QString listed{};       ///< a model the list must hold; empty: listing must fail...
    QString modelsError{};  ///< ...with this in its message
    QString usedModel{};    ///< the model the call must have used
    QString callError{};    ///< empty: the call must succeed; else in its message
};

} // namespace

Q_DECLARE_METATYPE(ProbeRow)

class TestConnectionProbe : public QObject
{
    Q_OBJECT

    test::SimProcess m_sim; // --require-key kKey: model calls check the key

    Connection connection(const ProbeRow &row) const
    {
        Connection c;
        c.name = "probe";
        c.type = row.type;
        for (const QString &f : row.fields) {
            const auto eq = f.indexOf(QLatin1Char('='));
            const std::string key = f.left(eq).toStdString();
            std::string value = f.mid(eq + 1).toStdString();
            if (const auto at = value.find("{sim}"); at != std::string::npos) {
                value.replace(at, 5, m_sim.baseUrl());
            }
            (key == "api_key" ? c.secrets : c.configs)[key] = value;
        }
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
        QVERIFY2(m_sim.start({"--require-key", kKey, "--ttft-ms", "5", "--token-ms", "1"}),
                 qPrintable(m_sim.errorString()));
    }

    void cleanupTestCase()
    {
        m_sim.stop();
        curl_global_cleanup();
    }

    void againstSimulator_data()
    {
        QTest::addColumn<ProbeRow>("row");
        const QString key = QStringLiteral("api_key=") + QLatin1String(kKey);
        QTest::newRow("openai-first-listed-model")
            << ProbeRow{.fields = {"base_url={sim}/v1", key},
                        .listed = "flowbench-sim:gpt-4o-mini",
                        .usedModel = "flowbench-sim"};
        QTest::newRow("openai-given-model-and-simulated-flag")
            << ProbeRow{.fields = {"base_url={sim}/v1/", key},
                        .model = "gpt-4o",
                        .simulated = true,
                        .listed = "flowbench-sim:claude-3-5-haiku",
                        .usedModel = "gpt-4o"};
        QTest::newRow("serverless") << ProbeRow{.type = ConnectionType::Serverless,
                                                .fields = {"api_base={sim}/v1", key},
                                                .model = "m",
                                                .listed = "flowbench-sim",
                                                .usedModel = "m"};
        QTest::newRow("anthropic") << ProbeRow{.type = ConnectionType::Anthropic,
                                               .fields = {"api_base={sim}", key},
                                               .model = "claude-3-5-haiku",
                                               .listed = "flowbench-sim:claude-3-5-haiku",
                                               .usedModel = "claude-3-5-haiku"};
        // Listing works (the simulator's list is public), the call is refused: both reported.
        QTest::newRow("openai-wrong-key")
            << ProbeRow{.fields = {"base_url={sim}/v1", "api_key=wrong"},
                        .listed = "flowbench-sim:gpt-4o",
                        .usedModel = "flowbench-sim",
                        .callError = "Incorrect API key"};
        QTest::newRow("anthropic-without-key")
            << ProbeRow{.type = ConnectionType::Anthropic,
                        .fields = {"api_base={sim}"},
                        .model = "claude",
                        .modelsError = "connection 'probe' (anthropic) has no api_key",
                        .usedModel = "claude",
                        .callError = "has no api_key"};
        QTest::newRow("unknown-path")
            << ProbeRow{.fields = {"base_url={sim}/nothing-here", key},
                        .modelsError = "/nothing-here/models: HTTP 404: Unknown path",
                        .usedModel = "gpt-4o-mini",
                        .callError = "404"};
        QTest::newRow("azure-entra-id-without-token")
            << ProbeRow{.type = ConnectionType::AzureOpenAi,
                        .fields = {"api_base={sim}", "auth_mode=meid_token",
                                   "token_env=FB_TEST_PROBE_NO_SUCH_TOKEN"},
                        .model = "dep",
                        .modelsError = "set the environment variable FB_TEST_PROBE_NO_SUCH_TOKEN",
                        .usedModel = "dep",
                        .callError = "FB_TEST_PROBE_NO_SUCH_TOKEN"};
        QTest::newRow("custom-has-neither")
            << ProbeRow{.type = ConnectionType::Custom,
                        .modelsError = "connection 'probe' of type custom has no model list",
                        .usedModel = "gpt-4o-mini",
                        .callError = "cannot serve model calls"};
    }

    void againstSimulator()
    {
        QFETCH(ProbeRow, row);
        ConnectionProbeOptions options;
        options.model = row.model.toStdString();
        options.simulated = row.simulated;
        const ConnectionProbe probe(options);
        const ConnectionProbeResult r = probe.run(connection(row));

        QCOMPARE(QString::fromStdString(r.connection), QStringLiteral("probe"));
        QCOMPARE(r.simulated, row.simulated);
        QCOMPARE(QString::fromStdString(r.model), row.usedModel);
        const QString modelsError = QString::fromStdString(r.modelsError);
        if (row.listed.isEmpty()) {
            QVERIFY(r.models.empty());
            QVERIFY2(modelsError.contains(row.modelsError), qPrintable(modelsError));
        } else {
            QVERIFY2(modelsError.isEmpty(), qPrintable(modelsError));
            QVERIFY(std::find(r.models.begin(), r.models.end(), row.listed.toStdString())
                    != r.models.end());
        }
        const QString callError = QString::fromStdString(r.callError);
        if (row.callError.isEmpty()) {
            QVERIFY2(r.ok(), qPrintable(callError));
            QVERIFY(r.ttftMs >= 0);
            QVERIFY(r.latencyMs >= r.ttftMs);
        } else {
            QVERIFY(!r.ok());
            QVERIFY2(callError.contains(row.callError), qPrintable(callError));
            QCOMPARE(r.ttftMs, -1.0);
            QCOMPARE(r.latencyMs, -1.0);
        }
        // Secrets never show in messages.
        QVERIFY(!modelsError.contains(QLatin1String(kKey)));
        QVERIFY(!callError.contains(QLatin1String(kKey)));
    }

    void listingSendsProviderHeaders_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QStringList>("fields"); // "{server}" becomes the server's URL
        QTest::addColumn<QString>("requestLine");
        QTest::addColumn<QStringList>("headers"); // each must be a line of the request

        QTest::newRow("openai") << int(ConnectionType::OpenAi)
                                << QStringList{"base_url={server}/v1", "api_key=sk-1",
                                               "organization=org-9"}
                                << "GET /v1/models HTTP/1.1"
                                << QStringList{"Authorization: Bearer sk-1",
                                               "OpenAI-Organization: org-9"};
        QTest::newRow("serverless")
            << int(ConnectionType::Serverless) << QStringList{"api_base={server}", "api_key=sk-2"}
            << "GET /models HTTP/1.1" << QStringList{"Authorization: Bearer sk-2"};
        QTest::newRow("azure-api-key")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_base={server}", "api_key=az-3", "api_version=2024-10-21"}
            << "GET /openai/models?api-version=2024-10-21 HTTP/1.1" << QStringList{"api-key: az-3"};
        QTest::newRow("azure-entra-id-bearer")
            << int(ConnectionType::AzureOpenAi)
            << QStringList{"api_base={server}", "auth_mode=meid_token",
                           "token_env=FB_TEST_PROBE_TOKEN"}
            << "GET /openai/models?api-version=2024-02-01 HTTP/1.1"
            << QStringList{"Authorization: Bearer entra-4"};
        QTest::newRow("anthropic")
            << int(ConnectionType::Anthropic)
            << QStringList{"api_base={server}", "api_key=ant-5", "anthropic_version=2023-01-01"}
            << "GET /v1/models HTTP/1.1"
            << QStringList{"x-api-key: ant-5", "anthropic-version: 2023-01-01"};
    }

    void listingSendsProviderHeaders()
    {
        QFETCH(int, type);
        QFETCH(QStringList, fields);
        QFETCH(QString, requestLine);
        QFETCH(QStringList, headers);
        qputenv("FB_TEST_PROBE_TOKEN", "entra-4");
        RecordingServer server;
        Connection c;
        c.name = "recorded";
        c.type = ConnectionType(type);
        for (const QString &f : fields) {
            const auto eq = f.indexOf(QLatin1Char('='));
            const std::string key = f.left(eq).toStdString();
            std::string value = f.mid(eq + 1).toStdString();
            if (const auto at = value.find("{server}"); at != std::string::npos) {
                value.replace(at, 8, server.baseUrl());
            }
            (key == "api_key" ? c.secrets : c.configs)[key] = value;
        }
        const auto models = ConnectionProbe().listModels(c);
        QVERIFY2(models, models ? "" : models.error().message.c_str());
        QCOMPARE(*models, std::vector<std::string>{"recorded-model"});
        const QStringList lines = server.request().split(QStringLiteral("\r\n"));
        QCOMPARE(lines.value(0), requestLine);
        for (const QString &h : headers) {
            QVERIFY2(lines.contains(h),
                     qPrintable(h + QStringLiteral(" not in:\n") + lines.join(QLatin1Char('\n'))));
        }
    }

    void unreachable_data()
    {
        QTest::addColumn<bool>("listening");
        QTest::addColumn<QString>("listError");
        QTest::addColumn<QString>("callError");
        // Nobody listens: refused at once.
        QTest::newRow("closed-port") << false << "connect"
                                     << "connect";
        // Connected but never answered: the explicit timeouts end it.
        QTest::newRow("never-answers") << true << "timed out"
                                       << "timed out";
    }

    void unreachable()
    {
        QFETCH(bool, listening);
        QFETCH(QString, listError);
        QFETCH(QString, callError);
        const test::LocalSocket socket(listening);
        QVERIFY(socket.port() > 0);
        Connection c;
        c.name = "nowhere";
        c.configs["base_url"] = socket.baseUrl() + "/v1";
        c.secrets["api_key"] = kKey;
        ConnectionProbeOptions options;
        options.connectTimeoutMs = 1000;
        options.listTimeoutMs = 800;
        options.callTimeoutMs = 800;
        QElapsedTimer clock;
        clock.start();
        const ConnectionProbeResult r = ConnectionProbe(options).run(c);
        QVERIFY2(clock.elapsed() < 6000, qPrintable(QString::number(clock.elapsed())));

        const QString port = QStringLiteral("127.0.0.1:%1").arg(socket.port());
        const QString modelsError = QString::fromStdString(r.modelsError);
        QVERIFY(r.models.empty());
        QVERIFY2(modelsError.startsWith(QStringLiteral("connection 'nowhere': GET http://") + port
                                        + QStringLiteral("/v1/models: ")),
                 qPrintable(modelsError));
        QVERIFY2(modelsError.contains(listError, Qt::CaseInsensitive), qPrintable(modelsError));
        QVERIFY(!r.ok());
        const QString call = QString::fromStdString(r.callError);
        QVERIFY2(call.contains(port), qPrintable(call));
        QVERIFY2(call.contains(callError, Qt::CaseInsensitive), qPrintable(call));
        QCOMPARE(QString::fromStdString(r.model), QStringLiteral("gpt-4o-mini"));
    }

    void stopTokenCancels_data()
    {
        QTest::addColumn<int>("stopAfterMs"); // -1: stopped before run() starts
        QTest::addColumn<int>("listTimeoutMs");
        QTest::addColumn<QString>("modelsError");
        QTest::newRow("stopped-before") << -1 << 30000 << "cancelled";
        QTest::newRow("stopped-while-listing") << 300 << 30000 << "cancelled";
        // The list times out quickly; the stop then ends the call, whose timeout is 30 s.
        QTest::newRow("stopped-while-calling") << 800 << 200 << "timed out";
    }

    void stopTokenCancels()
    {
        QFETCH(int, stopAfterMs);
        QFETCH(int, listTimeoutMs);
        QFETCH(QString, modelsError);
        const test::LocalSocket silent(true);
        Connection c;
        c.name = "silent";
        c.configs["base_url"] = silent.baseUrl() + "/v1";
        ConnectionProbeOptions options;
        options.listTimeoutMs = listTimeoutMs;
        std::stop_source stop;
        if (stopAfterMs < 0) {
            stop.request_stop();
        }
        std::jthread stopper([&stop, stopAfterMs] {
            if (stopAfterMs >= 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(stopAfterMs));
                stop.request_stop();
            }
        });
        QElapsedTimer clock;
        clock.start();
        const ConnectionProbeResult r = ConnectionProbe(options).run(c, stop.get_token());
        QVERIFY2(clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(QString::fromStdString(r.modelsError).contains(modelsError, Qt::CaseInsensitive),
                 r.modelsError.c_str());
        QVERIFY2(QString::fromStdString(r.callError).contains(QLatin1String("cancelled")),
                 r.callError.c_str());
        QVERIFY(!r.ok());
    }

    void parseModels_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QStringList>("models");
        QTest::addColumn<QString>("error");
        QTest::newRow("openai")
            << R"({"object":"list","data":[{"id":"a","object":"model"},{"id":"b"}]})"
            << QStringList{"a", "b"} << QString();
        QTest::newRow("anthropic-with-paging")
            << R"({"data":[{"type":"model","id":"claude-x","display_name":"X"}],"has_more":false})"
            << QStringList{"claude-x"} << QString();
        QTest::newRow("entries-without-id-skipped")
            << R"({"data":[{"name":"n"},3,{"id":""},{"id":"c"}]})" << QStringList{"c"} << QString();
        QTest::newRow("empty-list") << R"({"data":[]})" << QStringList{} << "listed no models";
        QTest::newRow("not-a-list") << R"({"models":["a"]})" << QStringList{} << "not a model list";
        QTest::newRow("not-json") << "<html>proxy error</html>" << QStringList{}
                                  << "not a model list: <html>proxy error</html>";
    }

    void parseModels()
    {
        QFETCH(QString, body);
        QFETCH(QStringList, models);
        QFETCH(QString, error);
        const auto r = ConnectionProbe::parseModels(body.toStdString());
        if (!error.isEmpty()) {
            QVERIFY(!r);
            QCOMPARE(r.error().code, ErrorCode::Provider);
            QVERIFY2(QString::fromStdString(r.error().message).contains(error),
                     r.error().message.c_str());
            return;
        }
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QStringList got;
        for (const auto &m : *r) {
            got << QString::fromStdString(m);
        }
        QCOMPARE(got, models);
    }
};

QTEST_GUILESS_MAIN(TestConnectionProbe)
#include "tst_connectionprobe.moc"
