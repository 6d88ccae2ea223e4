// A server that echoes the API key in its 401 body: the key must not reach the store, the
// CSV/HTML/JSON reports or flowbench-cli's output; "[redacted]" stands in its place.
// Runs the built flowbench-cli against a misbehaving server on 127.0.0.1.

#include <tests/common/clirun.h>
#include <tests/common/scriptedhttpserver.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <string>

using fb::test::runCli;
using fb::test::ScriptedHttpServer;

namespace {

constexpr const char *kKey = "sk-test-0123456789abcdefSECRET";

/// Answers every request 401 with an OpenAI-style body that quotes the bearer token it got.
void echoKey(const ScriptedHttpServer &server, int fd, const std::string &request)
{
    std::string key = "(none)";
    const std::string marker = "Bearer ";
    if (const auto at = request.find(marker); at != std::string::npos) {
        key = request.substr(at + marker.size(), request.find("\r\n", at) - at - marker.size());
    }
    const std::string body = R"({"error":{"message":"Incorrect API key provided: )" + key
                             + R"(. You can find your API key at https://example.invalid.",)"
                               R"("type":"invalid_request_error","code":"invalid_api_key"}})";
    (void)server.send(fd, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                          "Connection: close\r\nContent-Length: "
                              + std::to_string(body.size()) + "\r\n\r\n" + body);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSecretRedaction : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_connections;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_connections = m_dir.filePath(QStringLiteral("open_ai_connection.yaml"));
    }

    void echoedKeyIsRedactedEverywhere()
    {
        ScriptedHttpServer server(
            [&server](int fd, const std::string &request) { echoKey(server, fd, request); });
        QVERIFY(server.port() > 0);
        QFile conn(m_connections);
        QVERIFY(conn.open(QIODevice::WriteOnly));
        conn.write(QStringLiteral("name: open_ai_connection\ntype: open_ai\napi_key: \"%1\"\n"
                                  "base_url: \"%2/v1\"\n")
                       .arg(QLatin1String(kKey), QString::fromStdString(server.baseUrl()))
                       .toUtf8());
        conn.close();

        const QString flow = QStringLiteral(FB_SOURCE_DIR "/flows/classification");
        const QString store = m_dir.filePath(QStringLiteral("store.sqlite"));
        // `test`: one line, its error printed.
        const auto single
            = runCli({QStringLiteral("test"), flow, QStringLiteral("--connections"), m_connections,
                      QStringLiteral("--inputs"), QStringLiteral("text=hello")},
                     60000);
        QCOMPARE(single.exitCode, 1);
        QVERIFY2(single.err.contains(QStringLiteral("HTTP 401: Incorrect API key provided: "
                                                    "[redacted]")),
                 qPrintable(single.err));
        QVERIFY2(!(single.out + single.err).contains(QLatin1String(kKey)), qPrintable(single.err));

        // `run`: every line fails and is stored with its error.
        const auto run
            = runCli({QStringLiteral("run"), flow, QStringLiteral("--data"), flow + "/data.jsonl",
                      QStringLiteral("--column-mapping"), QStringLiteral("text=${data.text}"),
                      QStringLiteral("--connections"), m_connections, QStringLiteral("--store"),
                      store, QStringLiteral("--name"), QStringLiteral("redact")},
                     120000);
        QVERIFY2(run.exitCode == 1 || run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(!(run.out + run.err).contains(QLatin1String(kKey)), qPrintable(run.err));
        QVERIFY(server.requests() > 0);

        for (const QString &format :
             {QStringLiteral("csv"), QStringLiteral("html"), QStringLiteral("json")}) {
            const QString report = m_dir.filePath(QStringLiteral("report.") + format);
            const auto r = runCli({QStringLiteral("report"), QStringLiteral("redact"),
                                   QStringLiteral("--store"), store, QStringLiteral("-o"), report},
                                  60000);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const QByteArray text = readAll(report);
            QVERIFY2(text.contains("Incorrect API key provided: [redacted]"),
                     qPrintable(format + ": " + QString::fromUtf8(text.left(3000))));
            QVERIFY2(!text.contains(kKey), qPrintable(format));
        }
        // Nor anywhere in the store's files (the database, its WAL).
        const QDir dir(m_dir.path());
        for (const QString &name : dir.entryList({QStringLiteral("store.sqlite*")}, QDir::Files)) {
            QVERIFY2(!readAll(dir.filePath(name)).contains(kKey), qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(TestSecretRedaction)
#include "tst_secretredaction.moc"
