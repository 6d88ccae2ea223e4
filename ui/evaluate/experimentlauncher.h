#pragma once

#include <core/batch/batchrunner.h>
#include <core/experiment/experimentrequest.h>

#include <QObject>
#include <QStringList>

#include <atomic>
#include <mutex>
#include <thread>

namespace fb::ui {

/// Runs one experiment (core's ExperimentPlan: prepare, start, execute) on a worker thread and
/// reports on the GUI thread: prepared() with the plan, started() once the runs exist in the
/// store, progressed() at most every 50 ms with the latest counters (older snapshots are
/// dropped, never queued), and finished() exactly once for every accepted start(). cancel()
/// stops starting lines and cancels those in flight; the cancelled runs resume later with a
/// request naming them. Destroying the launcher cancels and waits. GUI thread only.
class ExperimentLauncher final : public QObject
{
    Q_OBJECT

public:
    explicit ExperimentLauncher(QObject *parent = nullptr);
    ~ExperimentLauncher() override;

    /// Starts `request`; false when an experiment is still running.
    bool start(fb::ExperimentRequest request);
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] bool isCancelling() const { return m_cancel.load(); }
    /// The latest counters of the running (or last) experiment.
    [[nodiscard]] const fb::BatchProgress &progress() const { return m_shown; }
    [[nodiscard]] qint64 totalLines() const { return m_totalLines; }

Q_SIGNALS:
    /// The request is valid: the runs to come (or resumed), the lines in all, and warnings.
    void prepared(const QStringList &runNames, qint64 totalLines, const QStringList &warnings);
    /// The runs exist in the store and are Running; `alreadyDone` lines are kept (resume).
    void started(const QStringList &runNames, qint64 alreadyDone, bool simulated);
    void progressed();
    /// `ok` false: `message` says why nothing (more) ran. Else `state` is the runs' final
    /// fb::RunState and `message` a one-line summary.
    void finished(bool ok, int state, const QString &message);

private:
    void work(fb::ExperimentRequest request);
    void post(std::function<void()> task);
    void deliverProgress();

    std::thread m_worker;
    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    qint64 m_totalLines = 0;
    fb::BatchProgress m_shown;

    std::mutex m_mutex;
    fb::BatchProgress m_latest;   // guarded by m_mutex
    bool m_progressPosted = false; // guarded by m_mutex
};

} // namespace fb::ui
