#include <ui/evaluate/reportexporter.h>

#include <core/report/csvreport.h>
#include <core/store/storeids.h>
#include <core/report/htmlreport.h>
#include <core/report/jsonreport.h>
#include <core/store/experimentstore.h>

#include <QFileInfo>
#include <QStringList>

namespace fb::ui {

ReportExporter::ReportExporter(QObject *parent)
    : QObject(parent)
{
}

ReportExporter::~ReportExporter()
{
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

ReportExporter::Format ReportExporter::formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv")) {
        return Format::Csv;
    }
    if (suffix == QLatin1String("json")) {
        return Format::Json;
    }
    return Format::Html;
}

bool ReportExporter::start(const QString &storePath, const std::vector<fb::RunId> &runs,
                           const QString &path, Format format)
{
    if (m_running) {
        return false;
    }
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_running = true;
    m_worker = std::thread([this, store = storePath.toStdString(), runs, path, format] {
        QString error;
        QStringList files{path};
        auto opened = fb::ExperimentStore::open(store);
        if (!opened) {
            error = QString::fromStdString(opened.error().message);
        } else {
            const std::string file = path.toStdString();
            fb::Result<void> written = fb::Result<void>();
            switch (format) {
            case Format::Html:
                written = fb::HtmlReport::write(*opened, runs, file);
                break;
            case Format::Csv:
                written = fb::CsvReport::write(*opened, runs, file);
                files << QString::fromStdString(fb::CsvReport::metricsPath(file));
                break;
            case Format::Json:
                written = fb::JsonReport::write(*opened, runs, file);
                break;
            }
            if (!written) {
                error = QString::fromStdString(written.error().message);
            }
        }
        QMetaObject::invokeMethod(
            this,
            [this, error, files] {
                m_running = false;
                Q_EMIT finished(error.isEmpty(), error, error.isEmpty() ? files : QStringList());
            },
            Qt::QueuedConnection);
    });
    return true;
}

} // namespace fb::ui
