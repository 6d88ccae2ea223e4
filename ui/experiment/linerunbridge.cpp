#include <ui/experiment/linerunbridge.h>

#include <core/exec/flowexecutor.h>
#include <core/exec/lineobserver.h>

#include <QMetaObject>
#include <QStringDecoder>
#include <QTimer>

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace fb::ui {

/// State shared with core's threads. The bridge pointer is cleared (under the mutex) when the
/// bridge dies, so late callbacks post nothing.
struct LineRunBridge::Shared
{
    std::mutex mutex;
    LineRunBridge *bridge = nullptr;                          // guarded by mutex
    std::vector<std::pair<std::string, std::string>> pending; // guarded by mutex
    std::map<std::string, QStringDecoder> decoders;           // GUI thread only
};

class LineRunBridge::Observer final : public fb::LineObserver
{
public:
    explicit Observer(std::shared_ptr<Shared> shared)
        : m_shared(std::move(shared))
    {
    }

    void nodeStarted(const std::string &node) override
    {
        const QString name = QString::fromStdString(node);
        post([name](LineRunBridge *b) { b->onNodeStarted(name); });
    }

    void nodeDelta(const std::string &node, std::string_view delta) override
    {
        // Buffered; the GUI thread's flush timer picks the deltas up (batched, ≤ ~60 Hz).
        std::lock_guard lock(m_shared->mutex);
        auto &pending = m_shared->pending;
        if (!pending.empty() && pending.back().first == node) {
            pending.back().second.append(delta);
        } else {
            pending.emplace_back(node, std::string(delta));
        }
    }

    void nodeFinished(const fb::NodeTrace &trace) override
    {
        post([trace](LineRunBridge *b) { b->onNodeFinished(trace); });
    }

    template <typename F> void post(F &&f)
    {
        std::lock_guard lock(m_shared->mutex);
        if (LineRunBridge *b = m_shared->bridge) {
            // Queued: hop from core's thread to the GUI thread; deltas buffered before this
            // event are flushed first by the handler.
            QMetaObject::invokeMethod(
                b, [b, f = std::forward<F>(f)] { f(b); }, Qt::QueuedConnection);
        }
    }

private:
    std::shared_ptr<Shared> m_shared;
};

LineRunBridge::LineRunBridge(QObject *parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
    , m_flushTimer(new QTimer(this))
{
    m_shared->bridge = this;
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &LineRunBridge::flushDeltas);
}

LineRunBridge::~LineRunBridge()
{
    if (m_handle) {
        m_handle->cancel();
    }
    std::lock_guard lock(m_shared->mutex);
    m_shared->bridge = nullptr;
}

bool LineRunBridge::start(fb::FlowExecutor &executor, std::shared_ptr<const fb::PreparedFlow> flow,
                          fb::Value inputs)
{
    if (m_running) {
        return false;
    }
    m_running = true;
    m_batches = 0;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->pending.clear();
    }
    m_shared->decoders.clear();
    auto observer = std::make_shared<Observer>(m_shared);
    fb::LineOptions options;
    options.stream = true;
    m_flushTimer->start();
    // The observer lives until onDone, which holds the last reference to it.
    m_handle
        = executor.startLine(std::move(flow), std::move(inputs), options, observer.get(),
                             [observer](fb::LineResult result) {
                                 observer->post([result = std::move(result)](LineRunBridge *b) {
                                     b->onLineFinished(result);
                                 });
                             });
    return true;
}

void LineRunBridge::cancel()
{
    if (m_handle) {
        m_handle->cancel();
    }
}

void LineRunBridge::flushDeltas()
{
    std::vector<std::pair<std::string, std::string>> batch;
    {
        std::lock_guard lock(m_shared->mutex);
        batch.swap(m_shared->pending);
    }
    for (auto &[node, bytes] : batch) {
        // A stateful decoder per node: a UTF-8 sequence split across deltas decodes whole.
        auto it = m_shared->decoders.find(node);
        if (it == m_shared->decoders.end()) {
            it = m_shared->decoders.emplace(node, QStringDecoder(QStringDecoder::Utf8)).first;
        }
        const QString text
            = it->second.decode(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
        if (!text.isEmpty()) {
            ++m_batches;
            Q_EMIT outputDelta(QString::fromStdString(node), text);
        }
    }
}

void LineRunBridge::onNodeStarted(const QString &node)
{
    flushDeltas();
    Q_EMIT nodeStarted(node);
}

void LineRunBridge::onNodeFinished(const fb::NodeTrace &trace)
{
    flushDeltas();
    Q_EMIT nodeFinished(trace);
}

void LineRunBridge::onLineFinished(const fb::LineResult &result)
{
    flushDeltas();
    m_flushTimer->stop();
    m_running = false;
    m_handle.reset();
    Q_EMIT lineFinished(result);
}

} // namespace fb::ui
