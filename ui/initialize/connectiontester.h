#pragma once

#include <core/llm/connection.h>

#include <QMetaType>
#include <QObject>
#include <QStringList>

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

/// Runs core's ConnectionProbe (list the models, time a tiny streamed call) on a worker
/// thread and delivers its result as a ConnectionTestReport. One test at a time; finished()
/// is emitted on the GUI thread. The destructor stops the worker (the probe notices within
/// about a second) and joins it.
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

    /// The models URL for a connection (LlmProtocol::modelsUrl()), empty when the type has
    /// none or a setting it needs is missing.
    [[nodiscard]] static QString modelsUrl(const fb::Connection &connection);

Q_SIGNALS:
    void finished(const fb::ui::ConnectionTestReport &report);

private:
    std::jthread m_worker; // runs one probe; stop requested and joined on destruction
    bool m_running = false;
};

} // namespace fb::ui

Q_DECLARE_METATYPE(fb::ui::ConnectionTestReport)
