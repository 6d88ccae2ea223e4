#include <ui/initialize/flowtemplates.h>

#include <ui/app/workspace.h>

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace fb::ui {

QString FlowTemplates::templatesDir()
{
    const QByteArray env = qgetenv("FLOWBENCH_FLOWS");
    if (!env.isEmpty()) {
        return QString::fromLocal8Bit(env);
    }
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("../share/flowbench/flows"));
    if (QFileInfo(installed).isDir()) {
        return QDir::cleanPath(installed);
    }
    return QStringLiteral(FB_SOURCE_DIR "/flows");
}

QStringList FlowTemplates::list(const QString &dir)
{
    QStringList result;
    const QDir d(dir);
    for (const QString &name : d.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString path = d.filePath(name);
        if (Workspace::isFlowDir(path)) {
            result.append(QDir::cleanPath(path));
        }
    }
    return result;
}

QString FlowTemplates::describe(const QString &templateDir)
{
    QFile f(QDir(templateDir).filePath(QStringLiteral("flow.dag.yaml")));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return {};
    }
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.startsWith(QLatin1Char('#'))) {
            const QString text = line.mid(1).trimmed();
            if (!text.isEmpty() && !text.startsWith(QLatin1String("yaml-language-server"))) {
                return text;
            }
        } else if (!line.isEmpty()) {
            break;
        }
    }
    return {};
}

bool FlowTemplates::copy(const QString &templateDir, const QString &target, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error) {
            *error = message;
        }
        return false;
    };
    if (QFileInfo::exists(target)) {
        return fail(QCoreApplication::translate("fb::ui::FlowTemplates", "%1 already exists.")
                        .arg(QDir::toNativeSeparators(target)));
    }
    const QDir source(templateDir);
    if (!QDir().mkpath(target)) {
        return fail(QCoreApplication::translate("fb::ui::FlowTemplates", "Cannot create %1.")
                        .arg(QDir::toNativeSeparators(target)));
    }
    QDirIterator it(templateDir, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = source.relativeFilePath(path);
        if (rel.contains(QLatin1String("__pycache__"))
            || rel.startsWith(QLatin1String(".flowbench"))) {
            continue;
        }
        const QString dest = QDir(target).filePath(rel);
        if (it.fileInfo().isDir()) {
            if (!QDir().mkpath(dest)) {
                return fail(
                    QCoreApplication::translate("fb::ui::FlowTemplates", "Cannot create %1.")
                        .arg(QDir::toNativeSeparators(dest)));
            }
            continue;
        }
        QDir().mkpath(QFileInfo(dest).absolutePath());
        if (!QFile::copy(path, dest)) {
            return fail(
                QCoreApplication::translate("fb::ui::FlowTemplates", "Cannot copy %1 to %2.")
                    .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(dest)));
        }
        QFile::setPermissions(dest, QFile::permissions(dest) | QFileDevice::WriteOwner);
    }
    return true;
}

} // namespace fb::ui
