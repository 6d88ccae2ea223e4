#include <ui/app/workspace.h>

#include <core/store/experimentstore.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace fb::ui {

bool Workspace::open(const QString &dir, QString *error)
{
    const QString root = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    QDir d(root);
    if (!d.mkpath(QStringLiteral(".flowbench/connections"))) {
        if (error) {
            *error = QCoreApplication::translate("fb::ui::Workspace",
                                                 "Cannot create the workspace folder %1.")
                         .arg(QDir::toNativeSeparators(root + QStringLiteral("/.flowbench")));
        }
        return false;
    }
    m_root = root;
    return true;
}

void Workspace::close() { m_root.clear(); }

QString Workspace::name() const { return QFileInfo(m_root).fileName(); }

QString Workspace::configDir() const { return m_root + QStringLiteral("/.flowbench"); }

QString Workspace::storePath() const
{
    return m_root + QLatin1Char('/') + QString::fromUtf8(ExperimentStore::kDefaultPath);
}

QString Workspace::connectionsDir() const { return configDir() + QStringLiteral("/connections"); }

QStringList Workspace::flows() const
{
    QStringList result;
    if (!isOpen()) {
        return result;
    }
    const QDir d(m_root);
    const auto entries = d.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &entry : entries) {
        const QString path = d.filePath(entry);
        if (isFlowDir(path)) {
            result.append(path);
        }
    }
    return result;
}

QString Workspace::uniqueFlowDir(const QString &base) const
{
    const QDir d(m_root);
    QString candidate = d.filePath(base);
    for (int i = 2; QFileInfo::exists(candidate); ++i) {
        candidate = d.filePath(QStringLiteral("%1_%2").arg(base).arg(i));
    }
    return candidate;
}

QString Workspace::defaultRoot()
{
    QString docs = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (docs.isEmpty()) {
        docs = QDir::homePath();
    }
    return QDir(docs).filePath(QStringLiteral("Flowbench"));
}

bool Workspace::isFlowDir(const QString &dir)
{
    return QFileInfo::exists(QDir(dir).filePath(QStringLiteral("flow.dag.yaml")));
}

} // namespace fb::ui
