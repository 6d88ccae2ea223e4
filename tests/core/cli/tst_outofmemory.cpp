// An allocation that fails inside one line (here: the answer body of a model call, under an
// address-space limit set on the running flowbench-cli) becomes that line's stated error
// instead of an abort of the whole process (mimalloc aborts on exhaustion unless a new-handler
// is installed, which flowbench-cli does).

#include <tests/common/clirun.h>
#include <tests/common/scriptedhttpserver.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <string>
#include <sys/resource.h>

using fb::test::ScriptedHttpServer;

namespace {

/// VmSize of a process in bytes, 0 when unknown.
qint64 vmSizeBytes(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly)) {
        return 0;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmSize:")) {
            return line.mid(7).trimmed().split(' ').value(0).toLongLong() * 1024;
        }
    }
    return 0;
}

} // namespace

class TestOutOfMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void allocationFailureFailsTheLine()
    {
        // The server holds the answer until the test has capped the CLI's address space.
        std::atomic<bool> capped{false};
        ScriptedHttpServer server([&server, &capped](int fd, const std::string &) {
            while (!capped && !server.stopping()) {
                QThread::msleep(10);
            }
            const std::size_t contentBytes = std::size_t(60) << 20;
            const std::string head = R"({"choices":[{"index":0,"finish_reason":"stop",)"
                                     R"("message":{"role":"assistant","content":")";
            const std::string tail = R"("}}]})";
            if (!server.send(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Connection: close\r\nContent-Length: "
                                     + std::to_string(head.size() + contentBytes + tail.size())
                                     + "\r\n\r\n" + head)) {
                return;
            }
            const std::string chunk(1 << 20, 'x');
            for (std::size_t sent = 0; sent < contentBytes; sent += chunk.size()) {
                if (!server.send(fd, chunk)) {
                    return;
                }
            }
            (void)server.send(fd, tail);
        });
        QVERIFY(server.port() > 0);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString connections = dir.filePath(QStringLiteral("open_ai_connection.yaml"));
        {
            QFile f(connections);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("name: open_ai_connection\ntype: open_ai\napi_key: k\n"
                                   "base_url: \"%1/v1\"\n")
                        .arg(QString::fromStdString(server.baseUrl()))
                        .toUtf8());
        }
        QProcess cli;
        cli.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE),
                  {QStringLiteral("test"), QStringLiteral(FB_SOURCE_DIR "/flows/classification"),
                   QStringLiteral("--connections"), connections, QStringLiteral("--inputs"),
                   QStringLiteral("text=hello")});
        QVERIFY(cli.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(server.requests() == 1, 30000);
        // Room for the line's small allocations, not for a 64 MiB answer buffer.
        const qint64 vm = vmSizeBytes(cli.processId());
        QVERIFY(vm > 0);
        const rlimit limit{rlim_t(vm + (24 << 20)), rlim_t(vm + (24 << 20))};
        QCOMPARE(::prlimit(pid_t(cli.processId()), RLIMIT_AS, &limit, nullptr), 0);
        capped = true;
        QVERIFY(cli.waitForFinished(60000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit,
                 qPrintable(QStringLiteral("signal %1: %2").arg(cli.exitCode()).arg(err)));
        QCOMPARE(cli.exitCode(), 1); // the line failed, stated
        QVERIFY2(err.contains(QStringLiteral("out of memory while receiving the answer")),
                 qPrintable(err));
        qInfo("%s", qPrintable(err.trimmed()));
    }
};

QTEST_GUILESS_MAIN(TestOutOfMemory)
#include "tst_outofmemory.moc"
