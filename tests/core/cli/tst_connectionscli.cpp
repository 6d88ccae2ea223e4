// `flowbench-cli connections test` run as a user runs it: against the simulator (text and
// JSON), against a connection file whose server is down, and every usage error.

#include <tests/common/clirun.h>
#include <tests/common/localsocket.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace fb;

class TestConnectionsCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    test::LocalSocket m_closed{false}; // a port nobody listens on
    QString m_file;                    // connection 'down' pointing at it

    /// "{file}" in an argument becomes the connection file, "{port}" in a text the port.
    QStringList expand(QStringList args) const
    {
        for (QString &a : args) {
            a.replace(QStringLiteral("{file}"), m_file);
        }
        return args;
    }
    QString expand(QString text) const
    {
        return text.replace(QStringLiteral("{port}"), QString::number(m_closed.port()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The command falls back to it; the rows say where connections come from.
        qunsetenv("FLOWBENCH_CONNECTIONS");
        QVERIFY(m_dir.isValid());
        QVERIFY(m_closed.port() > 0);
        m_file = m_dir.filePath(QStringLiteral("down.yaml"));
        QFile f(m_file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("name: down\ntype: open_ai\napi_key: some-key\n"
                               "base_url: http://127.0.0.1:%1/v1\n")
                    .arg(m_closed.port())
                    .toUtf8());
    }

    void connectionsTest_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("out"); // must appear on standard output
        QTest::addColumn<QString>("err"); // must appear on standard error

        QTest::newRow("simulator")
            << QStringList{"connections", "test", "open_ai_connection", "--simulator"} << 0
            << "models (5): flowbench-sim, flowbench-sim:gpt-4o-mini"
            << "SIMULATED";
        QTest::newRow("simulator-given-model")
            << QStringList{"connections", "test", "x", "--simulator", "--model", "gpt-4o"} << 0
            << "call to gpt-4o: first token after "
            << "";
        QTest::newRow("server-down")
            << QStringList{"connections", "test", "down", "--connections", "{file}"} << 1
            << "models: not listed: connection 'down': GET http://127.0.0.1:{port}/v1/models: "
            << "error: call to gpt-4o-mini failed: connection 'down': POST "
               "http://127.0.0.1:{port}/v1/chat/completions: ";
        QTest::newRow("unknown-name")
            << QStringList{"connections", "test", "other", "--connections", "{file}"} << 4 << ""
            << "no connection named 'other' (known: down)";
        QTest::newRow("no-connection-files")
            << QStringList{"connections", "test", "down"} << 4 << ""
            << "no connection files were loaded";
        QTest::newRow("missing-file")
            << QStringList{"connections", "test", "down", "--connections", "/nonexistent/c.yaml"}
            << 4 << ""
            << "/nonexistent/c.yaml";
        QTest::newRow("no-name") << QStringList{"connections", "test", "--simulator"} << 2 << ""
                                 << "expected one connection NAME";
        QTest::newRow("bad-option")
            << QStringList{"connections", "test", "down", "--bogus"} << 2 << ""
            << "unknown option '--bogus'";
        QTest::newRow("no-subcommand") << QStringList{"connections"} << 2 << ""
                                       << "usage: flowbench-cli connections";
        QTest::newRow("unknown-subcommand") << QStringList{"connections", "list"} << 2 << ""
                                            << "unknown subcommand 'list'";
        QTest::newRow("help") << QStringList{"connections", "test", "--help"} << 0
                              << "usage: flowbench-cli connections test NAME"
                              << "";
        QTest::newRow("main-help") << QStringList{"--help"} << 0 << "connections test NAME"
                                   << "";
    }

    void connectionsTest()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, out);
        QFETCH(QString, err);
        const test::CliRun r = test::runCli(expand(args), 60000);
        const QString both = r.out + QStringLiteral("\n--- stderr:\n") + r.err;
        QVERIFY2(r.exitCode == exitCode, qPrintable(QString::number(r.exitCode) + "\n" + both));
        QVERIFY2(r.out.contains(expand(out)), qPrintable(both));
        QVERIFY2(r.err.contains(expand(err)), qPrintable(both));
    }

    void simulatorAsJson()
    {
        const test::CliRun r = test::runCli(
            {"connections", "test", "open_ai_connection", "--simulator", "--json"}, 60000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(!r.err.contains(QLatin1String("[simulator]")), qPrintable(r.err));
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(r.out));
        QCOMPARE(o.value("connection").toString(), QStringLiteral("open_ai_connection"));
        QCOMPARE(o.value("type").toString(), QStringLiteral("open_ai"));
        QCOMPARE(o.value("simulated").toBool(), true);
        QVERIFY(o.value("models").toArray().contains(QStringLiteral("flowbench-sim:gpt-4o")));
        QVERIFY(o.value("models_error").isNull());
        QCOMPARE(o.value("model").toString(), QStringLiteral("flowbench-sim"));
        QCOMPARE(o.value("ok").toBool(), true);
        QVERIFY(o.value("ttft_ms").toDouble(-1) >= 0);
        QVERIFY(o.value("latency_ms").toDouble(-1) >= o.value("ttft_ms").toDouble());
        QVERIFY(o.value("error").isNull());
    }

    void serverDownAsJson()
    {
        const test::CliRun r = test::runCli(
            expand(QStringList{"connections", "test", "down", "--connections", "{file}", "--json"}),
            60000);
        QVERIFY2(r.exitCode == 1, qPrintable(r.out + r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value("ok").toBool(true), false);
        QVERIFY(o.value("models").toArray().isEmpty());
        QVERIFY(o.value("models_error").toString().contains(expand("127.0.0.1:{port}")));
        QVERIFY(o.value("error").toString().contains(expand("127.0.0.1:{port}")));
        QVERIFY(o.value("ttft_ms").isNull());
        QVERIFY(!r.out.contains(QLatin1String("some-key")));
        QVERIFY(!r.err.contains(QLatin1String("some-key")));
    }
};

QTEST_GUILESS_MAIN(TestConnectionsCli)
#include "tst_connectionscli.moc"
