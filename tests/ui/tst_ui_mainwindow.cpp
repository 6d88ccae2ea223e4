// The main window: modes and their shortcuts, workspaces, flows, recent lists, restored
// window state, the About box's licences, the settings and the language switch.

#include <ui/app/aboutdialog.h>
#include <ui/app/appsettings.h>
#include <ui/app/flowrecovery.h>
#include <ui/app/languagemanager.h>
#include <ui/app/mainwindow.h>
#include <ui/app/settingsdialog.h>
#include <ui/app/theme.h>
#include <ui/app/uiresources.h>
#include <ui/editor/floweditorwidget.h>
#include <ui/editor/flowscene.h>
#include <ui/experiment/experimentpage.h>

#include <core/store/experimentstore.h>
#include <core/flow/flowloader.h>

#include "../common/tsfile.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyle>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QToolButton>

using fb::ui::AppSettings;
using fb::ui::MainWindow;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FLOWBENCH_SECRET_STORE", "file");
        QCoreApplication::setOrganizationName(QStringLiteral("FlowbenchTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_mainwindow"));
        fb::ui::initResources();
    }

    void init()
    {
        // Every warning fails the test, except the offscreen platform's note about size hints.
        QTest::failOnWarning(QRegularExpression(
            QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
        QSettings().clear();
    }

    void modeShortcuts_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("mode");
        QTest::newRow("ctrl-1-initialize") << "actionMode1" << int(MainWindow::Mode::Initialize);
        QTest::newRow("ctrl-2-experiment") << "actionMode2" << int(MainWindow::Mode::Experiment);
        QTest::newRow("ctrl-3-evaluate") << "actionMode3" << int(MainWindow::Mode::Evaluate);
        QTest::newRow("ctrl-4-deploy") << "actionMode4" << int(MainWindow::Mode::Deploy);
    }

    void modeShortcuts()
    {
        QFETCH(QString, action);
        QFETCH(int, mode);
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *a = window.findChild<QAction *>(action);
        QVERIFY(a);
        QCOMPARE(a->shortcut(), QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + mode)));
        // Start from another mode so the switch is observable.
        window.setMode(mode == 0 ? MainWindow::Mode::Deploy : MainWindow::Mode::Initialize);
        QVERIFY(int(window.mode()) != mode);
        a->trigger();
        QCOMPARE(int(window.mode()), mode);
        auto *pages = window.findChild<QStackedWidget *>(QStringLiteral("modePages"));
        QVERIFY(pages);
        QCOMPARE(pages->currentIndex(), mode);
        QVERIFY(a->isChecked());
    }

    void standardShortcuts_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QKeySequence>("key");
        QTest::newRow("open") << "actionOpenFlow" << QKeySequence(Qt::CTRL | Qt::Key_O);
        QTest::newRow("save") << "actionSave" << QKeySequence(Qt::CTRL | Qt::Key_S);
        QTest::newRow("undo") << "actionUndo" << QKeySequence(Qt::CTRL | Qt::Key_Z);
        QTest::newRow("redo") << "actionRedo" << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z);
        QTest::newRow("run") << "actionRun" << QKeySequence(Qt::CTRL | Qt::Key_Return);
        QTest::newRow("cancel") << "actionCancel" << QKeySequence(Qt::Key_Escape);
        QTest::newRow("help") << "actionHelp" << QKeySequence(Qt::Key_F1);
    }

    void standardShortcuts()
    {
        QFETCH(QString, action);
        QFETCH(QKeySequence, key);
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        auto *a = window.findChild<QAction *>(action);
        QVERIFY(a);
        QVERIFY2(a->shortcuts().contains(key), qPrintable(a->shortcut().toString()));
    }

    void openSampleFlow_data()
    {
        QTest::addColumn<QString>("flow");
        const QDir flows(QStringLiteral(FB_SOURCE_DIR "/flows"));
        for (const QString &name : flows.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (QFileInfo::exists(flows.filePath(name + "/flow.dag.yaml"))) {
                QTest::newRow(qPrintable(name)) << flows.filePath(name);
            }
        }
    }

    void openSampleFlow()
    {
        QFETCH(QString, flow);
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        window.setMode(MainWindow::Mode::Initialize);
        QString error;
        QVERIFY2(window.openFlow(flow, &error), qPrintable(error));
        QCOMPARE(window.mode(), MainWindow::Mode::Experiment);
        QCOMPARE(window.currentFlowDir(), QDir::cleanPath(flow));
        QVERIFY(window.windowTitle().contains(QFileInfo(flow).fileName()));
        QCOMPARE(AppSettings::recentFlows().value(0), QDir::cleanPath(flow));
    }

    void variantTabsAreShownInExperimentMode()
    {
        // As at start-up: the flow opens before the window is shown, in another mode.
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        window.setMode(MainWindow::Mode::Initialize);
        QString error;
        QVERIFY2(window.openFlow(QStringLiteral(FB_SOURCE_DIR "/flows/classification"), &error),
                 qPrintable(error));
        window.setMode(MainWindow::Mode::Initialize);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setMode(MainWindow::Mode::Experiment);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QTabBar *tabs = nullptr;
        for (QTabBar *bar : window.findChildren<QTabBar *>()) {
            if (bar->count() > 0 && bar->tabText(0).startsWith(QStringLiteral("variant_0"))) {
                tabs = bar;
            }
        }
        QVERIFY(tabs);
        QVERIFY(tabs->isVisible());
        QVERIFY2(tabs->height() > 10, qPrintable(QString::number(tabs->height())));
    }

    void unsavedEditsAreRecoveredAfterACrash_data()
    {
        QTest::addColumn<bool>("restore");
        QTest::newRow("recover") << true;
        QTest::newRow("discard") << false;
    }

    void unsavedEditsAreRecoveredAfterACrash()
    {
        QFETCH(bool, restore);
        // A copy of the sample, so nothing in the checkout is touched.
        QTemporaryDir tmp;
        const QString flowDir = tmp.filePath(QStringLiteral("classification"));
        QVERIFY(QDir().mkpath(flowDir));
        const QDir sample(QStringLiteral(FB_SOURCE_DIR "/flows/classification"));
        for (const QString &name : sample.entryList(QDir::Files)) {
            QVERIFY(QFile::copy(sample.filePath(name), QDir(flowDir).filePath(name)));
        }
        const QString templatePath = QDir(flowDir).filePath(QStringLiteral("classify.jinja2"));
        QVERIFY(QFileInfo::exists(templatePath));
        fb::ui::FlowRecovery recovery(tmp.filePath(QStringLiteral("recovery")));
        const QString edited = QStringLiteral("# user:\nRecovered {{text}}\n");
        int nodesEdited = 0;
        {
            fb::ui::LanguageManager language;
            auto *window = new MainWindow(&language);
            window->recovery() = recovery;
            QString error;
            QVERIFY2(window->openFlow(flowDir, &error), qPrintable(error));
            fb::FlowEditorWidget *editor = window->experimentPage()->editor();
            editor->scene()->addNode(fb::NodeType::Python, QPointF(0, 0));
            nodesEdited = int(editor->flow().nodes.size());
            editor->templateDocument(QStringLiteral("classify.jinja2"))->setPlainText(edited);
            QVERIFY(window->experimentPage()->isModified());
            window->autosaveNow();
            QVERIFY(QFileInfo::exists(recovery.fileFor(flowDir)));
            // "Crash": the window goes away without closing, nothing was saved.
            delete window;
        }
        QVERIFY(QFileInfo::exists(recovery.fileFor(flowDir)));

        fb::ui::LanguageManager language;
        MainWindow window(&language);
        window.recovery() = recovery;
        int asked = 0;
        window.setRecoveryPrompt([&](const fb::ui::FlowRecovery::Snapshot &snapshot) {
            ++asked;
            return snapshot.flowDir == QDir::cleanPath(flowDir) && restore;
        });
        QString error;
        QVERIFY2(window.openFlow(flowDir, &error), qPrintable(error));
        QCOMPARE(asked, 1);
        fb::FlowEditorWidget *editor = window.experimentPage()->editor();
        QTextDocument *doc = editor->templateDocument(QStringLiteral("classify.jinja2"));
        if (!restore) {
            QVERIFY(!window.experimentPage()->isModified());
            QVERIFY(doc->toPlainText() != edited);
            QVERIFY(!QFileInfo::exists(recovery.fileFor(flowDir)));
            return;
        }
        QVERIFY(window.experimentPage()->isModified());
        QCOMPARE(int(editor->flow().nodes.size()), nodesEdited);
        QCOMPARE(doc->toPlainText(), edited);
        // Saving writes the recovered work and forgets the recovery copy.
        QVERIFY2(window.saveFlow(&error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(recovery.fileFor(flowDir)));
        QFile saved(templatePath);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(saved.readAll()), edited);
        auto reloaded = fb::FlowLoader::load(flowDir.toStdString());
        QVERIFY(reloaded.has_value());
        QCOMPARE(int(reloaded->nodes.size()), nodesEdited);
    }

    void openNotAFlow()
    {
        QTemporaryDir dir;
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        QString error;
        QVERIFY(!window.openFlow(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("flow.dag.yaml")), qPrintable(error));
        QVERIFY(AppSettings::recentFlows().isEmpty());
    }

    void openWorkspace()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("ws"));
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        QString error;
        QVERIFY2(window.openWorkspace(root, &error), qPrintable(error));
        QVERIFY(QFileInfo(root + "/.flowbench").isDir());
        QCOMPARE(window.workspace().storePath(),
                 root + "/" + QString::fromUtf8(fb::ExperimentStore::kDefaultPath));
        QCOMPARE(AppSettings::recentWorkspaces().value(0), root);
    }

    void recentListIsBoundedAndDeduplicated()
    {
        for (int i = 0; i < AppSettings::kMaxRecent + 3; ++i) {
            AppSettings::addRecentFlow(QStringLiteral("/tmp/flow%1").arg(i));
        }
        AppSettings::addRecentFlow(QStringLiteral("/tmp/flow5"));
        const QStringList recent = AppSettings::recentFlows();
        QCOMPARE(recent.size(), AppSettings::kMaxRecent);
        QCOMPARE(recent.first(), QStringLiteral("/tmp/flow5"));
        QCOMPARE(recent.count(QStringLiteral("/tmp/flow5")), 1);
    }

    void lastFlowAndWorkspaceSkipMissingFolders()
    {
        // The workbench reopens the last flow and workspace that still exist.
        QTemporaryDir kept;
        AppSettings::clearRecent();
        QVERIFY(AppSettings::lastFlow().isEmpty());
        AppSettings::addRecentFlow(kept.path());
        AppSettings::addRecentFlow(kept.filePath(QStringLiteral("deleted-since")));
        AppSettings::addRecentWorkspace(kept.path());
        QCOMPARE(AppSettings::lastFlow(), kept.path());
        QCOMPARE(AppSettings::lastWorkspace(), kept.path());
        AppSettings::clearRecent();
        QVERIFY(AppSettings::lastWorkspace().isEmpty());
    }

    void windowStateIsRestored()
    {
        fb::ui::LanguageManager language;
        {
            MainWindow window(&language);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(1000, 700);
            window.setMode(MainWindow::Mode::Evaluate);
            QVERIFY(window.close());
        }
        MainWindow again(&language);
        QCOMPARE(again.mode(), MainWindow::Mode::Evaluate);
        QCOMPARE(again.size(), QSize(1000, 700));
    }

    void languageSwitch_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("fileMenu");
        QTest::addColumn<QString>("experimentMode");
        QTest::newRow("polish") << "pl" << QStringLiteral("&Plik") << QStringLiteral("Eksperyment");
        QTest::newRow("chinese") << "zh_CN" << QStringLiteral("文件(&F)") << QStringLiteral("实验");
        QTest::newRow("english") << "en" << QStringLiteral("&File") << QStringLiteral("Experiment");
    }

    void languageSwitch()
    {
        QFETCH(QString, code);
        QFETCH(QString, fileMenu);
        QFETCH(QString, experimentMode);
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
        QCOMPARE(language.apply(code), code);
        QCoreApplication::processEvents(); // LanguageChange is delivered as an event
        QCOMPARE(window.menuBar()->actions().first()->text(), fileMenu);
        auto *modeButton = window.findChild<QToolButton *>(QStringLiteral("modeButton1"));
        QVERIFY(modeButton);
        QCOMPARE(modeButton->text(), experimentMode);
        // Back to English for the next rows.
        language.apply(QStringLiteral("en"));
        QCoreApplication::processEvents();
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
    }

    void translationsAreComplete_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("polish") << QStringLiteral(FB_SOURCE_DIR "/translations/flowbench_pl.ts");
        QTest::newRow("chinese") << QStringLiteral(FB_SOURCE_DIR
                                                   "/translations/flowbench_zh_CN.ts");
    }

    void translationsAreComplete()
    {
        // Every tr("…") literal in ui/ has a finished translation (lupdate was run and the new
        // strings were translated).
        QFETCH(QString, file);
        QHash<QString, QString> translated;
        QString error;
        QVERIFY2(fb::test::readTsFile(
                     file,
                     [&translated](const QString &source, const QString &text, bool finished) {
                         translated.insert(source, finished ? text : QString());
                     },
                     &error),
                 qPrintable(error));
        QVERIFY(translated.size() > 100);

        // tr ( "text" , or tr ( "text" )
        static const char *const pattern = "\\btr\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*[,)]";
        static const QRegularExpression literal(QString::fromLatin1(pattern));
        QStringList missing;
        int seen = 0;
        QDirIterator it(QStringLiteral(FB_SOURCE_DIR "/ui"), {QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile cpp(it.next());
            QVERIFY(cpp.open(QIODevice::ReadOnly));
            const QString code = QString::fromUtf8(cpp.readAll());
            for (auto m = literal.globalMatch(code); m.hasNext();) {
                QString text = m.next().captured(1);
                text.replace(QStringLiteral("\\n"), QStringLiteral("\n"))
                    .replace(QStringLiteral("\\\""), QStringLiteral("\""))
                    .replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
                ++seen;
                if (translated.value(text).isEmpty()) {
                    missing.append(QFileInfo(cpp.fileName()).fileName() + QStringLiteral(": ")
                                   + text);
                }
            }
        }
        QVERIFY(seen > 100);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
    }

    void settingsDialogStoresChoices()
    {
        fb::ui::SettingsDialog dialog;
        QCOMPARE(dialog.language(), QStringLiteral("system"));
        QCOMPARE(dialog.theme(), AppSettings::Theme::System);
        dialog.setLanguage(QStringLiteral("pl"));
        dialog.setTheme(AppSettings::Theme::Dark);
        dialog.accept();
        QCOMPARE(AppSettings::language(), QStringLiteral("pl"));
        QCOMPARE(AppSettings::theme(), AppSettings::Theme::Dark);
        fb::ui::SettingsDialog again;
        QCOMPARE(again.language(), QStringLiteral("pl"));
        QCOMPARE(again.theme(), AppSettings::Theme::Dark);
    }

    void settingsApplyAtOnce_data()
    {
        QTest::addColumn<bool>("accept");
        QTest::newRow("ok-keeps-them") << true;
        QTest::newRow("cancel-restores") << false;
    }

    void settingsApplyAtOnce()
    {
        // "Changes apply at once and are remembered": a choice is in force while the dialog is
        // still open; OK remembers it, Cancel goes back to what was in force before.
        QFETCH(bool, accept);
        fb::ui::LanguageManager language;
        QCOMPARE(language.apply(QStringLiteral("en")), QStringLiteral("en"));
        AppSettings::setLanguage(QStringLiteral("en"));
        AppSettings::setTheme(AppSettings::Theme::Light);
        fb::ui::Theme::apply(AppSettings::Theme::Light);
        fb::ui::SettingsDialog dialog(&language);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QString englishNote = QStringLiteral("Changes apply at once and are remembered.");
        const auto labelTexts = [&dialog] {
            QStringList texts;
            for (QLabel *l : dialog.findChildren<QLabel *>()) {
                texts.append(l->text());
            }
            return texts;
        };
        QStringList labels = labelTexts();
        QVERIFY2(labels.contains(englishNote), qPrintable(labels.join(QLatin1Char('|'))));

        dialog.setLanguage(QStringLiteral("pl"));
        dialog.setTheme(AppSettings::Theme::Dark);
        QCOMPARE(language.current(), QStringLiteral("pl"));
        QVERIFY(fb::ui::Theme::isDark());
        QCoreApplication::processEvents(); // LanguageChange is delivered as an event
        labels = labelTexts();
        // The dialog itself follows the language it just applied.
        QVERIFY2(!labels.contains(englishNote), qPrintable(labels.join(QLatin1Char('|'))));
        QCOMPARE(AppSettings::language(), QStringLiteral("en")); // remembered on OK only

        if (accept) {
            dialog.accept();
            QCOMPARE(language.current(), QStringLiteral("pl"));
            QVERIFY(fb::ui::Theme::isDark());
            QCOMPARE(AppSettings::language(), QStringLiteral("pl"));
            QCOMPARE(AppSettings::theme(), AppSettings::Theme::Dark);
        } else {
            dialog.reject();
            QCOMPARE(language.current(), QStringLiteral("en"));
            QVERIFY(!fb::ui::Theme::isDark());
            QCOMPARE(AppSettings::language(), QStringLiteral("en"));
            QCOMPARE(AppSettings::theme(), AppSettings::Theme::Light);
        }
        language.apply(QStringLiteral("en"));
        fb::ui::Theme::apply(AppSettings::Theme::Light);
        QCoreApplication::processEvents();
    }

    void themePalettes_data()
    {
        QTest::addColumn<int>("theme");
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << int(AppSettings::Theme::Light) << false;
        QTest::newRow("dark") << int(AppSettings::Theme::Dark) << true;
    }

    void themePalettes()
    {
        QFETCH(int, theme);
        QFETCH(bool, dark);
        fb::ui::Theme::apply(AppSettings::Theme(theme));
        QCOMPARE(fb::ui::Theme::isDark(), dark);
        // Fusion; on the dark palette wrapped by the style sheet that gives text fields a
        // visible border (Fusion draws them as dark as the field).
        const auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
        QCOMPARE(app->styleSheet().contains(QLatin1String("border")), dark);
        if (!dark) {
            QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        }
        const QPalette p = QApplication::palette();
        // Text stays readable on its background.
        QVERIFY(qAbs(p.color(QPalette::Text).lightness() - p.color(QPalette::Base).lightness())
                > 128);
        fb::ui::Theme::apply(AppSettings::Theme::Light);
    }

    void aboutNamesLicences_data()
    {
        QTest::addColumn<QString>("component");
        QTest::addColumn<QString>("licence");
        QTest::newRow("qt") << "Qt 6"
                            << "LGPL";
        QTest::newRow("qtkeychain") << "QtKeychain"
                                    << "BSD 3-Clause";
        QTest::newRow("yaml-cpp") << "yaml-cpp"
                                  << "MIT";
        QTest::newRow("json") << "nlohmann/json"
                              << "MIT";
        QTest::newRow("curl") << "libcurl"
                              << "curl licence";
        QTest::newRow("sqlite") << "SQLite"
                                << "public domain";
        QTest::newRow("boost") << "Boost"
                               << "Boost Software License 1.0";
        QTest::newRow("tiktoken") << "tiktoken ranks"
                                  << "MIT";
    }

    void aboutNamesLicences()
    {
        QFETCH(QString, component);
        QFETCH(QString, licence);
        const QString html = fb::ui::AboutDialog::licencesHtml();
        const int at = html.indexOf(QStringLiteral("<b>%1</b>").arg(component.toHtmlEscaped()));
        QVERIFY2(at >= 0, qPrintable(component));
        const int rowEnd = html.indexOf(QStringLiteral("</tr>"), at);
        QVERIFY(html.mid(at, rowEnd - at).contains(licence));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_ui_mainwindow.moc"
