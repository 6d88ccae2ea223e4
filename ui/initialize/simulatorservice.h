#pragma once

#include <core/llm/simulatorlauncher.h>
#include <core/llm/connection.h>

#include <QList>
#include <QObject>
#include <QPointer>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace fb::ui {

/// The built-in Simulator connection: starts `flowbench-sim` (through core's SimulatorLauncher)
/// on demand, with a flow's simulator.json when it has one, and stops it on exit. Its answers
/// are SIMULATED and the UI says so. The process is started and stopped on one long-lived
/// worker thread owned by the service (the launcher waits for the "listening" line there, and
/// the simulator, which exits when the thread that spawned it ends, lives as long as the
/// service); callbacks run on the GUI thread.
class SimulatorService final : public QObject
{
    Q_OBJECT

public:
    /// Called with the base URL ("http://127.0.0.1:PORT") or an error message.
    using ReadyCallback = std::function<void(const QString &baseUrl, const QString &error)>;

    explicit SimulatorService(QObject *parent = nullptr);
    ~SimulatorService() override;

    /// Makes sure the simulator runs with `configFile` (may be empty), restarting it when it
    /// runs with another one, then calls `done` on the GUI thread (unless `context` died).
    void ensureRunning(const QString &configFile, QObject *context, ReadyCallback done);
    void stop();

    [[nodiscard]] bool isRunning() const { return !m_baseUrl.isEmpty(); }
    [[nodiscard]] bool isStarting() const { return m_starting; }
    [[nodiscard]] QString baseUrl() const { return m_baseUrl; }

    /// An OpenAI-compatible connection named `name` that reaches the simulator.
    [[nodiscard]] fb::Connection connection(const QString &name) const;
    /// The name of the built-in connection shown in the connections list.
    [[nodiscard]] static QString connectionName() { return QStringLiteral("simulator"); }

Q_SIGNALS:
    void started(const QString &baseUrl);
    void stopped();
    void failed(const QString &error);

private:
    struct Waiter
    {
        QPointer<QObject> context;
        ReadyCallback done;
    };
    void finishStart(const QString &baseUrl, const QString &error);
    void post(std::function<void()> task);
    void workerLoop();

    std::unique_ptr<fb::SimulatorLauncher> m_launcher; // used on the worker thread only
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_tasks; // guarded by m_mutex
    bool m_quit = false;                       // guarded by m_mutex
    std::thread m_worker;
    bool m_starting = false;
    QString m_baseUrl;
    QString m_config;
    QString m_pendingConfig;
    QList<Waiter> m_waiters;
};

} // namespace fb::ui
