// Number options are strict: a value is a finite decimal in the option's range or it is refused
// with a message naming the option and the range — never turned into something else
// (nan, inf, 0 where 1 is the least, 1e10 lines in flight). Unit rows for
// CommandLine::number, and the run command refusing such values as a user types them.

#include <core/cli/commandline.h>

#include "../../common/clirun.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

class TestCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void number_data()
    {
        QTest::addColumn<QString>("given"); // empty: the option is absent
        QTest::addColumn<bool>("whole");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<double>("expected");
        // Range [1, 4096].
        QTest::newRow("absent-fallback") << QString() << true << true << 16.0;
        QTest::newRow("plain") << "8" << true << true << 8.0;
        QTest::newRow("upper-bound") << "4096" << true << true << 4096.0;
        QTest::newRow("lower-bound") << "1" << true << true << 1.0;
        QTest::newRow("exponent-in-range") << "1e3" << true << true << 1000.0;
        QTest::newRow("zero") << "0" << true << false << 0.0;
        QTest::newRow("negative") << "-3" << true << false << 0.0;
        QTest::newRow("too-big") << "1e10" << true << false << 0.0;
        QTest::newRow("just-above") << "4097" << true << false << 0.0;
        QTest::newRow("fraction-when-whole") << "1.5" << true << false << 0.0;
        QTest::newRow("fraction-allowed") << "1.5" << false << true << 1.5;
        QTest::newRow("nan") << "nan" << false << false << 0.0;
        QTest::newRow("inf") << "inf" << false << false << 0.0;
        QTest::newRow("infinity") << "infinity" << false << false << 0.0;
        QTest::newRow("hex-float") << "0x10" << false << false << 0.0;
        QTest::newRow("trailing-text") << "8x" << false << false << 0.0;
        QTest::newRow("leading-space") << " 8" << false << false << 0.0;
        QTest::newRow("overflow") << "1e999" << false << false << 0.0;
        QTest::newRow("empty") << "" << false << false << 0.0;
    }

    void number()
    {
        QFETCH(QString, given);
        QFETCH(bool, whole);
        QFETCH(bool, ok);
        QFETCH(double, expected);
        fb::CommandLine cl("test", "", {{"concurrency", "N", "lines in flight", false}});
        std::vector<std::string> args;
        const bool absent = given.isNull();
        if (!absent) {
            args = {"--concurrency", given.toStdString()};
        }
        QVERIFY(cl.parse(args));
        const auto v = cl.number("concurrency", 16, 1, 4096, whole);
        QCOMPARE(v.has_value(), ok);
        if (ok) {
            QCOMPARE(*v, expected);
        } else {
            const QString message = QString::fromStdString(v.error().message);
            QVERIFY2(message.contains(QLatin1String("--concurrency")), qPrintable(message));
            QVERIFY2(message.contains(QLatin1String("from 1 to 4096")), qPrintable(message));
        }
    }

    void runRefusesBadNumbers_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::newRow("concurrency-0") << "--concurrency" << "0";
        QTest::newRow("concurrency-1e10") << "--concurrency" << "1e10";
        QTest::newRow("concurrency-nan") << "--concurrency" << "nan";
        QTest::newRow("concurrency-half") << "--concurrency" << "2.5";
        QTest::newRow("timeout-nan") << "--timeout" << "nan";
        QTest::newRow("timeout-inf") << "--timeout" << "inf";
        QTest::newRow("budget-nan") << "--budget" << "nan";
        QTest::newRow("rpm-negative") << "--rpm" << "-1";
    }

    void runRefusesBadNumbers()
    {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QTemporaryDir dir;
        const QString flow = QStringLiteral(FB_SOURCE_DIR "/flows/classification");
        const auto r = fb::test::runCli({QStringLiteral("run"), flow, QStringLiteral("--data"),
                                         flow + QStringLiteral("/data.jsonl"),
                                         QStringLiteral("--simulator"), QStringLiteral("--store"),
                                         dir.filePath(QStringLiteral("s.sqlite")), option, value},
                                        60000);
        QCOMPARE(r.exitCode, 2); // usage
        QVERIFY2(r.err.contains(option), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("expected")), qPrintable(r.err));
        QVERIFY2(!QFile::exists(dir.filePath(QStringLiteral("s.sqlite"))),
                 "a refused run must not create a store");
    }

    void runRefusesConcurrencyBeyondOpenFiles()
    {
        // With at most 300 open files, 1,000 lines in flight cannot get their sockets: the run
        // says so before it starts instead of failing half way on "too many open files".
        QTemporaryDir dir;
        const QString flow = QStringLiteral(FB_SOURCE_DIR "/flows/classification");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLOWBENCH_SIM"), QStringLiteral(FLOWBENCH_SIM_EXECUTABLE));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"),
                 QStringLiteral("ulimit -n 300 && exec \"$0\" \"$@\""),
                 QStringLiteral(FLOWBENCH_CLI_EXECUTABLE), QStringLiteral("run"), flow,
                 QStringLiteral("--data"), flow + QStringLiteral("/data.jsonl"),
                 QStringLiteral("--simulator"), QStringLiteral("--store"),
                 dir.filePath(QStringLiteral("s.sqlite")), QStringLiteral("--concurrency"),
                 QStringLiteral("1000")});
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 4); // environment
        QVERIFY2(err.contains(QLatin1String("ulimit -n")), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("--concurrency 1000")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
