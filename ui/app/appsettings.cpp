#include <ui/app/appsettings.h>

#include <QDir>
#include <QSettings>

namespace fb::ui {

namespace {

QStringList prepend(QStringList list, const QString &path)
{
    const QString clean = QDir::cleanPath(path);
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > AppSettings::kMaxRecent) {
        list.removeLast();
    }
    return list;
}

} // namespace

QStringList AppSettings::recentWorkspaces()
{
    return QSettings().value(QStringLiteral("recent/workspaces")).toStringList();
}

void AppSettings::addRecentWorkspace(const QString &path)
{
    QSettings().setValue(QStringLiteral("recent/workspaces"), prepend(recentWorkspaces(), path));
}

QStringList AppSettings::recentFlows()
{
    return QSettings().value(QStringLiteral("recent/flows")).toStringList();
}

void AppSettings::addRecentFlow(const QString &path)
{
    QSettings().setValue(QStringLiteral("recent/flows"), prepend(recentFlows(), path));
}

void AppSettings::clearRecent()
{
    QSettings s;
    s.remove(QStringLiteral("recent/workspaces"));
    s.remove(QStringLiteral("recent/flows"));
}

QString AppSettings::raterName()
{
    QString fallback = qEnvironmentVariable("USER");
    if (fallback.isEmpty()) {
        fallback = qEnvironmentVariable("USERNAME");
    }
    return QSettings()
        .value(QStringLiteral("review/rater"),
               fallback.isEmpty() ? QStringLiteral("reviewer") : fallback)
        .toString();
}

void AppSettings::setRaterName(const QString &name)
{
    QSettings().setValue(QStringLiteral("review/rater"), name);
}

QString AppSettings::language()
{
    return QSettings().value(QStringLiteral("ui/language"), QStringLiteral("system")).toString();
}

void AppSettings::setLanguage(const QString &code)
{
    QSettings().setValue(QStringLiteral("ui/language"), code);
}

AppSettings::Theme AppSettings::theme()
{
    const QString t = QSettings().value(QStringLiteral("ui/theme")).toString();
    if (t == QLatin1String("light")) {
        return Theme::Light;
    }
    if (t == QLatin1String("dark")) {
        return Theme::Dark;
    }
    return Theme::System;
}

void AppSettings::setTheme(Theme theme)
{
    QString name = QStringLiteral("system");
    if (theme == Theme::Light) {
        name = QStringLiteral("light");
    } else if (theme == Theme::Dark) {
        name = QStringLiteral("dark");
    }
    QSettings().setValue(QStringLiteral("ui/theme"), name);
}

QByteArray AppSettings::windowGeometry()
{
    return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray AppSettings::windowState()
{
    return QSettings().value(QStringLiteral("window/state")).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &geometry, const QByteArray &state)
{
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), geometry);
    s.setValue(QStringLiteral("window/state"), state);
}

QByteArray AppSettings::splitterState(const QString &name)
{
    return QSettings().value(QStringLiteral("splitters/") + name).toByteArray();
}

void AppSettings::setSplitterState(const QString &name, const QByteArray &state)
{
    QSettings().setValue(QStringLiteral("splitters/") + name, state);
}

int AppSettings::lastMode() { return QSettings().value(QStringLiteral("window/mode"), 0).toInt(); }

void AppSettings::setLastMode(int mode)
{
    QSettings().setValue(QStringLiteral("window/mode"), mode);
}

namespace {

QString firstExisting(const QStringList &folders)
{
    for (const QString &folder : folders) {
        if (QDir(folder).exists()) {
            return folder;
        }
    }
    return {};
}

} // namespace

QString AppSettings::lastWorkspace() { return firstExisting(recentWorkspaces()); }

QString AppSettings::lastFlow() { return firstExisting(recentFlows()); }

} // namespace fb::ui
