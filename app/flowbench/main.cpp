// flowbench: the workbench GUI. Everything lives in ui/ and core/; this only wires them up.

#include <ui/app/appsettings.h>
#include <ui/app/languagemanager.h>
#include <ui/app/mainwindow.h>
#include <ui/app/theme.h>
#include <ui/app/uiresources.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>

#include <curl/curl.h>

namespace {

struct CurlGlobal
{
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};

} // namespace

int main(int argc, char *argv[])
{
    CurlGlobal curl;
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Flowbench"));
    QApplication::setApplicationName(QStringLiteral("flowbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("Flowbench"));
    QApplication::setApplicationVersion(QStringLiteral(FB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("flowbench"));
    fb::ui::initResources();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Flowbench: a workbench for LLM prompt flows"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("flow"),
        QStringLiteral("Flow folder to open (default: the last flow, else flows/chat)"));
    QCommandLineOption workspace(QStringLiteral("workspace"), QStringLiteral("Workspace folder"),
                                 QStringLiteral("dir"));
    QCommandLineOption screenshots(QStringLiteral("screenshot"),
                                   QStringLiteral("Save a PNG of each mode into dir and exit"),
                                   QStringLiteral("dir"));
    screenshots.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption languageOption(
        QStringLiteral("language"),
        QStringLiteral("Language for this session: en, pl, zh_CN or system (default: Settings)"),
        QStringLiteral("code"));
    QCommandLineOption themeOption(
        QStringLiteral("theme"),
        QStringLiteral("Palette for this session: light, dark or system (default: Settings)"),
        QStringLiteral("name"));
    parser.addOption(workspace);
    parser.addOption(screenshots);
    parser.addOption(languageOption);
    parser.addOption(themeOption);
    parser.process(app);

    // The options choose for this session only; Settings keeps what the user picked there.
    auto theme = fb::ui::AppSettings::theme();
    if (parser.isSet(themeOption)) {
        const QString name = parser.value(themeOption);
        theme = name == QLatin1String("dark")    ? fb::ui::AppSettings::Theme::Dark
                : name == QLatin1String("light") ? fb::ui::AppSettings::Theme::Light
                                                 : fb::ui::AppSettings::Theme::System;
    }
    fb::ui::Theme::apply(theme);
    fb::ui::LanguageManager language;
    language.apply(parser.isSet(languageOption) ? parser.value(languageOption)
                                                : fb::ui::AppSettings::language());

    fb::ui::MainWindow window(&language);
    QString error;
    // Without arguments, carry on where the last session stopped.
    QString ws
        = parser.isSet(workspace) ? parser.value(workspace) : fb::ui::AppSettings::lastWorkspace();
    if (ws.isEmpty()) {
        ws = fb::ui::Workspace::defaultRoot();
    }
    if (!window.openWorkspace(ws, &error)) {
        QMessageBox::warning(&window, QStringLiteral("Flowbench"), error);
    }
    QString flow = parser.positionalArguments().value(0);
    if (flow.isEmpty() && !parser.isSet(screenshots)) {
        flow = fb::ui::AppSettings::lastFlow();
    }
    if (flow.isEmpty()) {
        flow = QStringLiteral(FB_SOURCE_DIR "/flows/chat");
    }
    if (QDir(flow).exists() && !window.openFlow(flow, &error)) {
        QMessageBox::warning(&window, QStringLiteral("Flowbench"), error);
    }
    if (parser.isSet(screenshots)) {
        return window.saveScreenshots(parser.value(screenshots)) ? 0 : 1;
    }
    window.show();
    return QApplication::exec();
}
