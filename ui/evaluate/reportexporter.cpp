#include <ui/evaluate/reportexporter.h>

#include <core/bundle/bundleexporter.h>
#include <core/bundle/runbundle.h>

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
    if (QLatin1Char('.') + suffix == QLatin1String(fb::RunBundle::kExtension)) {
        return Format::Bundle;
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
        QStringList files{path};
        const std::string file = path.toStdString();
        auto write = [&]() -> fb::Result<void> {
            if (format == Format::Bundle) {
                // A portable copy of the runs with their flow files and dataset rows, as
                // flowbench-cli bundle export writes it.
                fb::BundleExportOptions options;
                options.runs = runs;
                auto written = fb::BundleExporter::write(store, options, file);
                if (!written) {
                    return std::move(written).error();
                }
                return {};
            }
            auto opened = fb::ExperimentStore::open(store);
            if (!opened) {
                return std::move(opened).error();
            }
            switch (format) {
            case Format::Html:
                return fb::HtmlReport::write(*opened, runs, file);
            case Format::Csv:
                files << QString::fromStdString(fb::CsvReport::metricsPath(file));
                return fb::CsvReport::write(*opened, runs, file);
            case Format::Json:
                return fb::JsonReport::write(*opened, runs, file);
            case Format::Bundle:
                break;
            }
            return {};
        };
        QString error;
        if (auto written = write(); !written) {
            error = QString::fromStdString(written.error().message);
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
