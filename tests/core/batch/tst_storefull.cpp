// A store that cannot be written (a full disk, here RLIMIT_FSIZE on the CLI so writes fail with
// EFBIG) stops a batch at once: flowbench-cli run ends with a stated error long before every
// row has been sent to the (simulated, stand-in for paid) model, and what was stored stays.

#include <tests/common/simprocess.h>
#include <tests/core/store/rawsqlite.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <curl/curl.h>

#include <csignal>
#include <string>
#include <sys/resource.h>

using fb::test::SimProcess;

namespace {

size_t appendBody(char *data, size_t size, size_t count, void *user)
{
    static_cast<std::string *>(user)->append(data, size * count);
    return size * count;
}

int simRequests(const SimProcess &sim)
{
    std::string body;
    CURL *e = curl_easy_init();
    const std::string url = sim.baseUrl() + "/stats";
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &appendBody);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    curl_easy_perform(e);
    curl_easy_cleanup(e);
    return QJsonDocument::fromJson(QByteArray::fromStdString(body))
        .object()
        .value(QStringLiteral("requests"))
        .toInt(-1);
}

constexpr int kRows = 4000;

} // namespace

class TestStoreFull : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QCOMPARE(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK); }
    void cleanupTestCase() { curl_global_cleanup(); }

    void writeFailureStopsTheBatch_data()
    {
        QTest::addColumn<qint64>("fileSizeLimit"); // 0 = none

        QTest::newRow("store-writable") << qint64(0);
        QTest::newRow("store-full") << qint64(320 * 1024);
    }

    void writeFailureStopsTheBatch()
    {
        QFETCH(qint64, fileSizeLimit);
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet")}), qPrintable(sim.errorString()));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = dir.filePath(QStringLiteral("rows.jsonl"));
        {
            QFile f(data);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 0; i < kRows; ++i) {
                f.write(QStringLiteral("{\"text\": \"row %1 of the dataset, a sentence long "
                                       "enough to make each stored line take some room\"}\n")
                            .arg(i)
                            .toUtf8());
            }
        }
        const QString connections = dir.filePath(QStringLiteral("open_ai_connection.yaml"));
        {
            QFile f(connections);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("name: open_ai_connection\ntype: open_ai\napi_key: sim\n"
                                   "base_url: \"%1\"\n")
                        .arg(QString::fromStdString(sim.openAiBaseUrl()))
                        .toUtf8());
        }
        const QString store = dir.filePath(QStringLiteral("store.sqlite"));

        QProcess cli;
        cli.setChildProcessModifier([fileSizeLimit] {
            if (fileSizeLimit > 0) {
                // Writes past the limit fail with EFBIG instead of killing the process.
                ::signal(SIGXFSZ, SIG_IGN);
                const rlimit limit{rlim_t(fileSizeLimit), rlim_t(fileSizeLimit)};
                ::setrlimit(RLIMIT_FSIZE, &limit);
            }
        });
        cli.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE),
                  {QStringLiteral("run"), QStringLiteral(FB_SOURCE_DIR "/flows/classification"),
                   QStringLiteral("--data"), data, QStringLiteral("--column-mapping"),
                   QStringLiteral("text=${data.text}"), QStringLiteral("--connections"),
                   connections, QStringLiteral("--store"), store, QStringLiteral("--name"),
                   QStringLiteral("full"), QStringLiteral("--concurrency"), QStringLiteral("8")});
        QVERIFY(cli.waitForFinished(240000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        const int requests = simRequests(sim);
        qInfo("%d rows, %d requests reached the model", kRows, requests);

        if (fileSizeLimit == 0) {
            // The control: the same run with a writable store sends every row.
            QVERIFY2(cli.exitCode() == 0, qPrintable(err));
            QCOMPARE(requests, kRows);
            return;
        }
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QVERIFY2(cli.exitCode() != 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("the experiment store could not be written, so the "
                                             "batch stopped")),
                 qPrintable(err));
        QVERIFY2(requests >= 0 && requests < kRows / 4, qPrintable(QString::number(requests)));
        // What was committed before the failure is intact.
        fb::test::RawSqlite raw(store.toStdString());
        QCOMPARE(QString::fromStdString(raw.text("PRAGMA integrity_check")), QStringLiteral("ok"));
        const std::int64_t stored = raw.integer("SELECT count(*) FROM lines");
        qInfo("%lld lines stored before the store filled up; the CLI said: %s",
              static_cast<long long>(stored), qPrintable(err.trimmed()));
        QVERIFY(stored > 0);
    }
};

QTEST_GUILESS_MAIN(TestStoreFull)
#include "tst_storefull.moc"
