#pragma once

// Test helper: starts a real flowbench-sim process on 127.0.0.1 with an OS-chosen port and
// stops it when destroyed. Header-only; tests link Qt, core does not.

#include <QByteArray>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <string>

namespace fb::test {

class SimProcess
{
public:
    SimProcess() = default;
    SimProcess(const SimProcess &) = delete;
    SimProcess &operator=(const SimProcess &) = delete;
    ~SimProcess() { stop(); }

    /// Starts `flowbench-sim --host 127.0.0.1 --port 0 <args>` and waits for its
    /// "listening http://127.0.0.1:PORT" line. Returns false (with errorString()) on failure.
    bool start(const QStringList &args = {}, int timeoutMs = 15000)
    {
#ifdef FLOWBENCH_SIM_EXECUTABLE
        const QString program = QStringLiteral(FLOWBENCH_SIM_EXECUTABLE);
#else
        const QString program = QStringLiteral("flowbench-sim");
#endif
        QStringList all{QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                        QStringLiteral("--port"), QStringLiteral("0")};
        all += args;
        // The simulator stops by itself if the test process dies without stopping it.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLOWBENCH_SIM_EXIT_WITH_PARENT"), QStringLiteral("1"));
        m_process.setProcessEnvironment(env);
        m_process.setProgram(program);
        m_process.setArguments(all);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        if (!m_process.waitForStarted(timeoutMs)) {
            m_error = QStringLiteral("cannot start %1: %2").arg(program, m_process.errorString());
            return false;
        }
        static const QRegularExpression re(
            QStringLiteral("listening http://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray seen;
        while (m_port == 0) {
            if (!m_process.waitForReadyRead(timeoutMs)) {
                m_error = QStringLiteral(
                              "flowbench-sim did not report its port; stdout: %1; stderr: %2")
                              .arg(QString::fromUtf8(seen),
                                   QString::fromUtf8(m_process.readAllStandardError()));
                return false;
            }
            seen += m_process.readAllStandardOutput();
            const auto m = re.match(QString::fromUtf8(seen));
            if (m.hasMatch()) {
                m_port = m.captured(1).toInt();
            }
        }
        return true;
    }

    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000)) {
                m_process.kill();
                m_process.waitForFinished(5000);
            }
        }
        m_port = 0;
    }

    [[nodiscard]] int port() const { return m_port; }
    /// "http://127.0.0.1:PORT" (no trailing slash).
    [[nodiscard]] std::string baseUrl() const
    {
        return "http://127.0.0.1:" + std::to_string(m_port);
    }
    /// OpenAI-style base URL: "http://127.0.0.1:PORT/v1".
    [[nodiscard]] std::string openAiBaseUrl() const { return baseUrl() + "/v1"; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QProcess &process() { return m_process; }

private:
    QProcess m_process;
    int m_port = 0;
    QString m_error;
};

} // namespace fb::test
