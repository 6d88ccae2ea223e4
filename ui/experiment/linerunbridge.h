#pragma once

#include <core/exec/linetypes.h>
#include <core/exec/preparedflow.h>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>

class QTimer;

namespace fb {
class FlowExecutor;
class LineHandle;
} // namespace fb

namespace fb::ui {

/// Runs one line (one set of flow inputs) on core's FlowExecutor with streaming on, and turns
/// the LineObserver callbacks (core worker and I/O threads) into signals on the GUI thread:
/// node events and the end of the line hop with Qt::QueuedConnection; streamed deltas are
/// buffered and delivered in batches at most ~60 times a second, always before the node's
/// nodeFinished(). cancel() is immediate; lineFinished() still follows (status Cancelled).
/// One line at a time. GUI thread only (apart from the internal observer).
class LineRunBridge final : public QObject
{
    Q_OBJECT

public:
    static constexpr int kFlushIntervalMs = 16;

    explicit LineRunBridge(QObject *parent = nullptr);
    ~LineRunBridge() override;

    /// Starts the line; false when one is running. `executor` must outlive the line.
    bool start(fb::FlowExecutor &executor, std::shared_ptr<const fb::PreparedFlow> flow,
               fb::Value inputs);
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    /// Delta batches delivered during the last line (for tests and the benchmark).
    [[nodiscard]] int batchCount() const { return m_batches; }

Q_SIGNALS:
    void nodeStarted(const QString &node);
    /// A batch of streamed output of `node`, in order.
    void outputDelta(const QString &node, const QString &text);
    void nodeFinished(const fb::NodeTrace &trace);
    void lineFinished(const fb::LineResult &result);

private:
    class Observer;
    struct Shared;

    void flushDeltas();
    void onNodeStarted(const QString &node);
    void onNodeFinished(const fb::NodeTrace &trace);
    void onLineFinished(const fb::LineResult &result);

    std::shared_ptr<Shared> m_shared;
    std::shared_ptr<fb::LineHandle> m_handle;
    QTimer *m_flushTimer = nullptr;
    bool m_running = false;
    int m_batches = 0;
};

} // namespace fb::ui
