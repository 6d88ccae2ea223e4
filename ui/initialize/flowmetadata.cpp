#include <ui/initialize/flowmetadata.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace fb::ui {

namespace {

QString metaDir(const QString &flowDir)
{
    return QDir(flowDir).filePath(QStringLiteral(".flowbench"));
}

bool writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        if (error) {
            *error = QCoreApplication::translate("fb::ui::FlowMetadata", "Cannot write %1: %2")
                         .arg(QDir::toNativeSeparators(path), f.errorString());
        }
        return false;
    }
    return true;
}

} // namespace

QString FlowMetadata::notesPath(const QString &flowDir)
{
    return QDir(metaDir(flowDir)).filePath(QStringLiteral("notes.md"));
}

QString FlowMetadata::notes(const QString &flowDir)
{
    QFile f(notesPath(flowDir));
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(f.readAll());
}

bool FlowMetadata::setNotes(const QString &flowDir, const QString &text, QString *error)
{
    return writeFile(notesPath(flowDir), text.toUtf8(), error);
}

QStringList FlowMetadata::datasets(const QString &flowDir)
{
    QStringList result;
    const QDir flow(flowDir);
    QFile f(QDir(metaDir(flowDir)).filePath(QStringLiteral("datasets.txt")));
    if (f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        while (!f.atEnd()) {
            const QString line = QString::fromUtf8(f.readLine()).trimmed();
            if (!line.isEmpty()) {
                result.append(QDir::cleanPath(flow.absoluteFilePath(line)));
            }
        }
        return result;
    }
    for (const char *name : {"data.jsonl", "data.csv"}) {
        const QString path = flow.absoluteFilePath(QString::fromLatin1(name));
        if (QFileInfo::exists(path)) {
            result.append(QDir::cleanPath(path));
        }
    }
    return result;
}

bool FlowMetadata::setDatasets(const QString &flowDir, const QStringList &files, QString *error)
{
    const QDir flow(QFileInfo(flowDir).absoluteFilePath());
    // Relative to the flow folder for files in the flow's folder or beside it in its workspace
    // (the folder that holds the flow), so a workspace moved or shared as a whole keeps its
    // datasets; absolute for files elsewhere.
    const QString workspace
        = QDir::cleanPath(QFileInfo(flow.absolutePath()).absolutePath()) + QLatin1Char('/');
    QByteArray data;
    for (const QString &file : files) {
        const QString absolute = QDir::cleanPath(QFileInfo(file).absoluteFilePath());
        const bool inWorkspace = absolute.startsWith(workspace);
        data += (inWorkspace ? flow.relativeFilePath(absolute) : absolute).toUtf8() + '\n';
    }
    return writeFile(QDir(metaDir(flowDir)).filePath(QStringLiteral("datasets.txt")), data, error);
}

bool FlowMetadata::isDatasetFile(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("jsonl") || suffix == QLatin1String("json")
           || suffix == QLatin1String("csv") || suffix == QLatin1String("tsv");
}

} // namespace fb::ui
