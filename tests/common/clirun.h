#pragma once

// Test helper: runs the built flowbench-cli to completion with FLOWBENCH_SIM pointing at the
// built simulator (so --simulator finds it). Header-only; tests that include it are compiled
// with FLOWBENCH_CLI_EXECUTABLE and FLOWBENCH_SIM_EXECUTABLE defined.

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace fb::test {

struct CliRun
{
    int exitCode = -1; ///< -1 when it crashed or timed out
    QString out;
    QString err; ///< "timed out" when it did not finish in time
};

inline CliRun runCli(const QStringList &args, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWBENCH_SIM"), QStringLiteral(FLOWBENCH_SIM_EXECUTABLE));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE), args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace fb::test
