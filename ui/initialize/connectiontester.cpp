#include <ui/initialize/connectiontester.h>

#include <core/llm/connectionprobe.h>
#include <core/llm/llmprotocol.h>

#include <QMetaObject>

namespace fb::ui {

namespace {

ConnectionTestReport toReport(const fb::ConnectionProbeResult &r)
{
    ConnectionTestReport report;
    report.connection = QString::fromStdString(r.connection);
    report.models.reserve(qsizetype(r.models.size()));
    for (const std::string &m : r.models) {
        report.models.append(QString::fromStdString(m));
    }
    report.modelsError = QString::fromStdString(r.modelsError);
    report.model = QString::fromStdString(r.model);
    report.ttftMs = r.ttftMs;
    report.latencyMs = r.latencyMs;
    report.callError = QString::fromStdString(r.callError);
    report.simulated = r.simulated;
    return report;
}

} // namespace

ConnectionTester::ConnectionTester(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<fb::ui::ConnectionTestReport>();
}

ConnectionTester::~ConnectionTester()
{
    // Before QObject's destructor: the worker posts to `this` until it ends.
    m_worker.request_stop();
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

QString ConnectionTester::modelsUrl(const fb::Connection &connection)
{
    const fb::LlmProtocol *protocol = fb::LlmProtocol::forType(connection.type);
    if (!protocol) {
        return {};
    }
    const auto url = protocol->modelsUrl(connection);
    return url ? QString::fromStdString(*url) : QString();
}

bool ConnectionTester::test(const fb::Connection &connection, const QString &model, bool simulated)
{
    if (m_running) {
        return false;
    }
    if (m_worker.joinable()) {
        m_worker.join(); // the previous worker has already posted its result
    }
    m_running = true;
    fb::ConnectionProbeOptions options;
    options.model = model.toStdString();
    options.simulated = simulated;
    m_worker = std::jthread([this, connection, options](std::stop_token stop) {
        const fb::ConnectionProbe probe(options);
        const ConnectionTestReport report = toReport(probe.run(connection, stop));
        // Hop to the GUI thread; the worker is joined before `this` dies.
        QMetaObject::invokeMethod(
            this,
            [this, report] {
                m_running = false;
                Q_EMIT finished(report);
            },
            Qt::QueuedConnection);
    });
    return true;
}

} // namespace fb::ui
