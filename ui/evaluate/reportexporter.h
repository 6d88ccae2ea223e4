#pragma once


#include <QObject>
#include <QString>

#include <thread>
#include <vector>

namespace fb {
struct RunId;
}

namespace fb::ui {

/// Writes a report of some runs of a store — core's HTML, CSV (lines and metrics) or JSON
/// report, the same files `flowbench-cli report` writes — on a worker thread, and reports
/// finished() on the GUI thread. One export at a time. GUI thread only.
class ReportExporter final : public QObject
{
    Q_OBJECT

public:
    enum class Format { Html, Csv, Json, Bundle };

    explicit ReportExporter(QObject *parent = nullptr);
    ~ReportExporter() override;

    /// The format a file name asks for (by its suffix; HTML when unknown).
    [[nodiscard]] static Format formatOf(const QString &path);
    /// Starts writing; false while another export runs.
    bool start(const QString &storePath, const std::vector<fb::RunId> &runs, const QString &path,
               Format format);
    [[nodiscard]] bool isRunning() const { return m_running; }

Q_SIGNALS:
    /// `message` is the error when !ok. `files` are the files written.
    void finished(bool ok, const QString &message, const QStringList &files);

private:
    std::thread m_worker;
    bool m_running = false;
};

} // namespace fb::ui
