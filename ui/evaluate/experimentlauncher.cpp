#include <ui/evaluate/experimentlauncher.h>

#include <core/experiment/experimentplan.h>

#include <QCoreApplication>

namespace fb::ui {

namespace {

QStringList toStringList(const std::vector<std::string> &list)
{
    QStringList out;
    for (const auto &s : list) {
        out << QString::fromStdString(s);
    }
    return out;
}

} // namespace

ExperimentLauncher::ExperimentLauncher(QObject *parent)
    : QObject(parent)
{
}

ExperimentLauncher::~ExperimentLauncher()
{
    m_cancel = true;
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

bool ExperimentLauncher::start(fb::ExperimentRequest request)
{
    if (m_running) {
        return false;
    }
    if (m_worker.joinable()) {
        m_worker.join(); // the last one has reported finished(); its thread is ending
    }
    m_running = true;
    m_cancel = false;
    m_totalLines = 0;
    m_shown = {};
    {
        std::lock_guard lock(m_mutex);
        m_latest = {};
        m_progressPosted = false;
    }
    m_worker = std::thread([this, request = std::move(request)]() mutable { work(std::move(request)); });
    return true;
}

void ExperimentLauncher::cancel()
{
    if (m_running) {
        m_cancel = true;
    }
}

void ExperimentLauncher::post(std::function<void()> task)
{
    // Dropped by Qt when the launcher is gone (the destructor waits for the worker first).
    QMetaObject::invokeMethod(this, std::move(task), Qt::QueuedConnection);
}

void ExperimentLauncher::deliverProgress()
{
    {
        std::lock_guard lock(m_mutex);
        m_shown = m_latest;
        m_progressPosted = false;
    }
    Q_EMIT progressed();
}

void ExperimentLauncher::work(fb::ExperimentRequest request)
{
    auto finish = [this](bool ok, int state, QString message) {
        post([this, ok, state, message] {
            deliverProgress();
            m_running = false;
            Q_EMIT finished(ok, state, message);
        });
    };
    auto plan = fb::ExperimentPlan::prepare(std::move(request));
    if (!plan) {
        finish(false, int(fb::RunState::NotStarted), QString::fromStdString(plan.error().message));
        return;
    }
    const QStringList names = toStringList(plan->runNames());
    const qint64 total = plan->totalLines();
    const QStringList warnings = toStringList(plan->warnings());
    post([this, names, total, warnings] {
        m_totalLines = total;
        Q_EMIT prepared(names, total, warnings);
    });
    if (m_cancel) {
        finish(false, int(fb::RunState::NotStarted),
               QCoreApplication::translate("fb::ui::ExperimentLauncher", "Cancelled before start"));
        return;
    }
    if (auto started = plan->start(); !started) {
        finish(false, int(fb::RunState::NotStarted),
               QString::fromStdString(started.error().message));
        return;
    }
    const qint64 done = plan->alreadyDoneLines();
    const bool simulated = !plan->simulatorUrl().empty();
    post([this, names, done, simulated] { Q_EMIT started(names, done, simulated); });
    auto outcome = plan->execute(
        [this](const fb::BatchProgress &p) {
            std::lock_guard lock(m_mutex);
            m_latest = p;
            if (!m_progressPosted) {
                m_progressPosted = true;
                post([this] { deliverProgress(); });
            }
        },
        &m_cancel);
    if (!outcome) {
        finish(false, int(fb::RunState::Failed), QString::fromStdString(outcome.error().message));
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_latest = outcome->batch.progress;
    }
    QString message;
    for (const auto &run : outcome->runs) {
        if (!run.aggregationError.empty()) {
            message = QString::fromStdString(run.name + ": aggregation: " + run.aggregationError);
        }
    }
    finish(true, int(outcome->state), message);
}

} // namespace fb::ui
