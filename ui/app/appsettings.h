#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace fb::ui {

/// The workbench's persistent preferences (QSettings, organisation "Flowbench", application
/// "flowbench"): recent workspaces and flows, language, theme, window state. Plain value
/// accessors; every call reads or writes QSettings directly. GUI thread only.
class AppSettings
{
public:
    enum class Theme { System, Light, Dark };

    static constexpr int kMaxRecent = 8;

    [[nodiscard]] static QStringList recentWorkspaces();
    static void addRecentWorkspace(const QString &path);
    [[nodiscard]] static QStringList recentFlows();
    static void addRecentFlow(const QString &path);
    static void clearRecent();
    /// The most recent workspace / flow folder that still exists; empty when there is none.
    [[nodiscard]] static QString lastWorkspace();
    [[nodiscard]] static QString lastFlow();

    /// "system", "en", "pl" or "zh_CN".
    [[nodiscard]] static QString language();
    static void setLanguage(const QString &code);

    [[nodiscard]] static Theme theme();
    static void setTheme(Theme theme);

    [[nodiscard]] static QByteArray windowGeometry();
    [[nodiscard]] static QByteArray windowState();
    static void setWindowState(const QByteArray &geometry, const QByteArray &state);
    /// Sizes of the window's splitters (QSplitter::saveState()), by the splitter's objectName.
    [[nodiscard]] static QByteArray splitterState(const QString &name);
    static void setSplitterState(const QString &name, const QByteArray &state);
    [[nodiscard]] static int lastMode();
    static void setLastMode(int mode);
    /// The name human ratings are stored under; default the login name.
    [[nodiscard]] static QString raterName();
    static void setRaterName(const QString &name);
};

} // namespace fb::ui
