#include <ui/initialize/simulatorservice.h>

#include <QMetaObject>

namespace fb::ui {

SimulatorService::SimulatorService(QObject *parent)
    : QObject(parent)
    , m_launcher(std::make_unique<fb::SimulatorLauncher>())
    , m_worker([this] { workerLoop(); })
{
}

SimulatorService::~SimulatorService()
{
    {
        std::lock_guard lock(m_mutex);
        m_tasks.emplace_back([this] { m_launcher->stop(); });
        m_quit = true;
    }
    m_wake.notify_one();
    m_worker.join();
}

void SimulatorService::workerLoop()
{
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_quit || !m_tasks.empty(); });
            if (m_tasks.empty()) {
                return;
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
    }
}

void SimulatorService::post(std::function<void()> task)
{
    {
        std::lock_guard lock(m_mutex);
        m_tasks.push_back(std::move(task));
    }
    m_wake.notify_one();
}

void SimulatorService::ensureRunning(const QString &configFile, QObject *context,
                                     ReadyCallback done)
{
    m_waiters.append({context, std::move(done)});
    if (m_starting) {
        return; // the waiter is served when the start in progress ends
    }
    if (isRunning() && m_config == configFile) {
        // Answer asynchronously, like the other paths.
        QMetaObject::invokeMethod(
            this, [this] { finishStart(m_baseUrl, {}); }, Qt::QueuedConnection);
        return;
    }
    stop();
    m_starting = true;
    m_pendingConfig = configFile;
    std::vector<std::string> args;
    if (!configFile.isEmpty()) {
        args = {"--config", configFile.toStdString()};
    }
    post([this, args] {
        m_launcher->stop();
        const auto r = m_launcher->start(args);
        const QString url = r ? QString::fromStdString(m_launcher->baseUrl()) : QString();
        const QString error = r ? QString() : QString::fromStdString(r.error().message);
        // Back to the GUI thread; the destructor joins this worker first.
        QMetaObject::invokeMethod(
            this, [this, url, error] { finishStart(url, error); }, Qt::QueuedConnection);
    });
}

void SimulatorService::finishStart(const QString &baseUrl, const QString &error)
{
    if (m_starting) {
        m_starting = false;
        m_baseUrl = baseUrl;
        m_config = m_pendingConfig;
        if (error.isEmpty()) {
            Q_EMIT started(baseUrl);
        } else {
            Q_EMIT failed(error);
        }
    }
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &w : waiters) {
        if (w.context) {
            w.done(baseUrl, error);
        }
    }
}

void SimulatorService::stop()
{
    if (m_starting) {
        return;
    }
    if (!m_baseUrl.isEmpty()) {
        post([this] { m_launcher->stop(); });
        m_baseUrl.clear();
        m_config.clear();
        Q_EMIT stopped();
    }
}

fb::Connection SimulatorService::connection(const QString &name) const
{
    fb::Connection c;
    c.name = name.toStdString();
    c.type = fb::ConnectionType::OpenAi;
    c.configs["base_url"] = m_baseUrl.toStdString() + "/v1";
    c.secrets["api_key"] = "flowbench-sim";
    return c;
}

} // namespace fb::ui
