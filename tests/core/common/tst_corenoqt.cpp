// Proves the layering rule: core/ includes no Qt header and core-only executables link no Qt.

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

class TestCoreNoQt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void coreSourcesIncludeNoQt()
    {
        const QString coreDir = QStringLiteral(FB_SOURCE_DIR "/core");
        // Built from pieces: moc's own scanner trips over these patterns as literals.
        const QString hash = QString(QChar(0x23));
        const QString quote = QString(QChar(0x22));
        static const QRegularExpression qtInclude(
            QStringLiteral("^\\s*") + hash + QStringLiteral("\\s*include\\s*[<") + quote
                + QStringLiteral("](Q[A-Za-z]|Qt[A-Za-z]*/|qt)"),
            QRegularExpression::MultilineOption);
        static const QRegularExpression qtMacro(QStringLiteral("\\bQ_")
                                                + QStringLiteral("OBJECT\\b"));
        QDirIterator it(coreDir,
                        {QStringLiteral("*.h"), QStringLiteral("*.cpp"), QStringLiteral("*.txt"),
                         QStringLiteral("*.cmake")},
                        QDir::Files, QDirIterator::Subdirectories);
        int scanned = 0;
        QStringList offenders;
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            const QString text = QString::fromUtf8(f.readAll());
            ++scanned;
            if (qtInclude.match(text).hasMatch() || qtMacro.match(text).hasMatch()
                || text.contains(QLatin1String("Qt6::")) || text.contains(QLatin1String("Qt5::"))) {
                offenders << path;
            }
        }
        QVERIFY2(scanned > 20, "too few core files scanned: is FB_SOURCE_DIR right?");
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }

    void frontEndsAreSiblings()
    {
        // The GUI is a view over core, beside the CLI, not over it: ui/ includes no core/cli
        // header (what both need lives in core proper).
        const QString hash = QString(QChar(0x23));
        static const QRegularExpression cliInclude(
            QStringLiteral("^\\s*") + hash + QStringLiteral("\\s*include\\s*[<\"]core/cli/"),
            QRegularExpression::MultilineOption);
        QDirIterator it(QStringLiteral(FB_SOURCE_DIR "/ui"),
                        {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        int scanned = 0;
        QStringList offenders;
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            ++scanned;
            if (cliInclude.match(QString::fromUtf8(f.readAll())).hasMatch()) {
                offenders << path;
            }
        }
        QVERIFY2(scanned > 20, "too few ui files scanned: is FB_SOURCE_DIR right?");
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }

    void coreExecutablesLinkNoQt_data()
    {
        QTest::addColumn<QString>("executable");
#ifdef FLOWBENCH_CLI_EXECUTABLE
        QTest::newRow("flowbench-cli") << QStringLiteral(FLOWBENCH_CLI_EXECUTABLE);
#endif
#ifdef FLOWBENCH_SIM_EXECUTABLE
        QTest::newRow("flowbench-sim") << QStringLiteral(FLOWBENCH_SIM_EXECUTABLE);
#endif
    }

    void coreExecutablesLinkNoQt()
    {
        QFETCH(QString, executable);
        QVERIFY2(QFile::exists(executable), qPrintable(executable));
        QProcess ldd;
        ldd.start(QStringLiteral("ldd"), {executable});
        QVERIFY(ldd.waitForFinished(30000));
        const QString libs = QString::fromUtf8(ldd.readAllStandardOutput());
        QVERIFY2(libs.contains(QLatin1String("libc.so")), qPrintable(libs)); // ldd really ran
        QVERIFY2(!libs.contains(QLatin1String("libQt")), qPrintable(libs));
    }
};

QTEST_GUILESS_MAIN(TestCoreNoQt)
#include "tst_corenoqt.moc"
