#pragma once

#include <core/llm/connection.h>

#include <QMetaType>
#include <QObject>
#include <QStringList>

#include <atomic>
#include <memory>
#include <thread>

namespace fb::ui {

/// What "Test connection" found out.
struct ConnectionTestReport
{
    QString connection;
    QStringList models;     ///< ids from GET <base>/models (empty when listing failed)
    QString modelsError;    ///< why listing failed; empty on success
    QString model;          ///< the model the timing call used
    double ttftMs = -1;     ///< time to first token of a short streamed call; -1 if none
    double latencyMs = -1;  ///< the whole call
    QString callError;      ///< why the call failed; empty on success
    bool simulated = false; ///< the answer came from flowbench-sim
    [[nodiscard]] bool ok() const { return callError.isEmpty(); }
};

/// Tests a connection off the GUI thread: lists its models (GET /models over libcurl with
/// short timeouts) and measures TTFT with a tiny streamed call through core's LlmClient.
/// One test at a time; finished() is emitted on the GUI thread. The destructor cancels and
/// joins the worker.
class ConnectionTester final : public QObject
{
    Q_OBJECT

public:
    explicit ConnectionTester(QObject *parent = nullptr);
    ~ConnectionTester() override;

    /// Starts a test; `model` may be empty (then the first listed model, or "gpt-4o-mini").
    /// Returns false when a test is already running.
    bool test(const fb::Connection &connection, const QString &model, bool simulated);
    [[nodiscard]] bool isRunning() const { return m_running; }

    /// The models URL for a connection ("<base>/models"), empty when the type has none.
    [[nodiscard]] static QString modelsUrl(const fb::Connection &connection);

Q_SIGNALS:
    void finished(const fb::ui::ConnectionTestReport &report);

private:
    std::thread m_worker;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_running = false;
};

} // namespace fb::ui

Q_DECLARE_METATYPE(fb::ui::ConnectionTestReport)
