// "What you see is what runs": the workbench driven as a user drives it (click the variant
// tab, then Run; pick a row; switch the connection combo; open another flow; type notes;
// press New in a fresh workspace) and checked on what the run actually used — the variant in
// the trace, the inputs the executor received, the URL that answered — and on what the user
// then sees. Each test here failed on the workbench before the fix it guards.

#include <ui/app/languagemanager.h>
#include <ui/app/appsettings.h>
#include <ui/app/mainwindow.h>
#include <ui/app/theme.h>
#include <ui/app/uiresources.h>
#include <ui/editor/floweditorwidget.h>
#include <ui/editor/flowgraphmodel.h>
#include <ui/editor/flowscene.h>
#include <ui/editor/flowview.h>
#include <ui/editor/nodeitem.h>
#include <ui/editor/problemsmodel.h>
#include <ui/editor/varianttabbar.h>
#include <ui/experiment/experimentpage.h>
#include <ui/experiment/runpanel.h>
#include <ui/experiment/tracemodel.h>
#include <ui/initialize/connectionrepository.h>
#include <ui/initialize/connectionspanel.h>
#include <ui/initialize/datasetspanel.h>
#include <ui/initialize/flowmetadata.h>
#include <ui/initialize/initializepage.h>
#include <ui/initialize/secretstore.h>
#include <ui/initialize/simulatorservice.h>

#include "../common/simprocess.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QGraphicsItem>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QListWidget>
#include <QMouseEvent>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextCursor>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QUrl>

#include <curl/curl.h>

#include "../common/filetree.h"

using fb::ui::MainWindow;
using fb::ui::RunPanel;

namespace {

using fb::test::copyTree;
using fb::test::readAll;


bool writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}


fb::Value jsonLine(const QString &file, int index)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    for (int i = 0; !f.atEnd(); ++i) {
        const QByteArray line = f.readLine();
        if (i == index) {
            return fb::Value::parse(line.toStdString(), nullptr, false);
        }
    }
    return {};
}

const fb::NodeTrace *traceOf(const fb::LineResult &result, const std::string &node)
{
    for (const auto &t : result.nodes) {
        if (t.node == node) {
            return &t;
        }
    }
    return nullptr;
}

void clickTab(QTabBar *tabs, int index)
{
    QTest::mouseClick(tabs, Qt::LeftButton, {}, tabs->tabRect(index).center());
}

/// Picks an entry of a closed combo box with the keyboard, as a user tabbing through does.
void chooseInCombo(QComboBox *combo, int index)
{
    combo->setFocus();
    while (combo->currentIndex() < index) {
        QTest::keyClick(combo, Qt::Key_Down);
    }
    while (combo->currentIndex() > index) {
        QTest::keyClick(combo, Qt::Key_Up);
    }
}

/// A shown main window with a workspace in a temporary folder and the classification sample
/// copied into it.
struct Workbench
{
    QTemporaryDir dir;
    fb::ui::LanguageManager language;
    MainWindow window{&language};
    QString flow;

    bool open(const QString &sample = QStringLiteral("classification"))
    {
        QString error;
        if (!window.openWorkspace(dir.filePath(QStringLiteral("ws")), &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        flow = dir.filePath(QStringLiteral("ws/") + sample);
        if (!copyTree(QStringLiteral(FB_SOURCE_DIR "/flows/") + sample, flow)) {
            return false;
        }
        // A 1280×800 window whatever the offscreen screen's size (the window maximizes itself
        // on a screen smaller than that).
        window.setWindowState(Qt::WindowNoState);
        window.resize(1280, 800);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) {
            return false;
        }
        window.resize(1280, 800);
        if (!window.openFlow(flow, &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        return true;
    }

    RunPanel *panel() const { return window.experimentPage()->runPanel(); }
    fb::FlowEditorWidget *editor() const { return window.experimentPage()->editor(); }
    QTabBar *variantTabs() const
    {
        return editor()->findChild<QTabBar *>(QStringLiteral("variantTabs"));
    }
    template<typename T>
    T *find(const char *name) const
    {
        return window.findChild<T *>(QString::fromLatin1(name));
    }

    /// Clicks Run and waits for the run to end; the result as the panel reported it.
    fb::LineResult clickRun()
    {
        QSignalSpy finished(panel(), &RunPanel::runFinished);
        auto *run = find<QPushButton>("runButton");
        if (!run || !run->isEnabled()) {
            qWarning("Run is not enabled");
            return {};
        }
        QTest::mouseClick(run, Qt::LeftButton);
        // A run refused at once reports before the click returns.
        if (finished.isEmpty() && !finished.wait(60000)) {
            qWarning("the run did not finish");
            return {};
        }
        return finished.first().first().value<fb::LineResult>();
    }
};

} // namespace

class TestExperimentTrust : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FLOWBENCH_SECRET_STORE", "file");
#ifdef FLOWBENCH_SIM_EXECUTABLE
        qputenv("FLOWBENCH_SIM", FLOWBENCH_SIM_EXECUTABLE);
#endif
        QCoreApplication::setOrganizationName(QStringLiteral("FlowbenchTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_experimenttrust"));
        fb::ui::initResources();
        qRegisterMetaType<fb::LineResult>();
    }

    void cleanupTestCase() { curl_global_cleanup(); }

    void init()
    {
        QTest::failOnWarning(QRegularExpression(
            QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
        QSettings().clear();
    }

    // 1. The run uses the variant whose tab is open, also after a variant was added.
    void runUsesTheOpenVariantTab()
    {
        Workbench wb;
        QVERIFY(wb.open());
        QTabBar *tabs = wb.variantTabs();
        QVERIFY(tabs);
        QTRY_COMPARE(tabs->count(), 2);
        QCOMPARE(tabs->tabData(tabs->currentIndex()).toString(), QStringLiteral("variant_0"));

        auto *add = wb.editor()->findChild<QToolButton *>(QStringLiteral("variantAdd"));
        QVERIFY(add);
        QTest::mouseClick(add, Qt::LeftButton);
        QCOMPARE(tabs->count(), 3);
        const QString added = tabs->tabData(tabs->currentIndex()).toString();
        QVERIFY(added != QLatin1String("variant_0") && added != QLatin1String("variant_1"));
        // Its template exists only in the editor until saved: that is not a problem.
        wb.editor()->validateNow();
        QCOMPARE(wb.editor()->problemsModel()->errorCount(), 0);

        clickTab(tabs, 1);
        QCOMPARE(tabs->tabData(tabs->currentIndex()).toString(), QStringLiteral("variant_1"));
        fb::LineResult result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Completed);
        const fb::NodeTrace *classify = traceOf(result, "classify");
        QVERIFY(classify);
        QCOMPARE(QString::fromStdString(classify->variantId), QStringLiteral("variant_1"));
        QVERIFY(classify->llm);
        // The few-shot variant's model (the simulator reports it as "flowbench-sim:<model>").
        QVERIFY2(QString::fromStdString(classify->llm->model).endsWith(QLatin1String(":gpt-4o")),
                 classify->llm->model.c_str());

        // The new variant's tab, then Run: the new variant, not the one clicked last time.
        clickTab(tabs, 2);
        result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Completed);
        classify = traceOf(result, "classify");
        QVERIFY(classify);
        QCOMPARE(QString::fromStdString(classify->variantId), added);

        // Ctrl+Return runs what the tab shows too.
        clickTab(tabs, 0);
        QSignalSpy finished(wb.panel(), &RunPanel::runFinished);
        QTest::keyClick(&wb.window, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(finished.wait(60000));
        result = finished.first().first().value<fb::LineResult>();
        classify = traceOf(result, "classify");
        QVERIFY(classify);
        QCOMPARE(QString::fromStdString(classify->variantId), QStringLiteral("variant_0"));
    }

    // 2. The inputs of the chosen row survive adding a variant, saving and renaming.
    void chosenRowSurvivesEdits()
    {
        Workbench wb;
        QVERIFY(wb.open());
        auto *rows = wb.find<QComboBox>("rowPicker");
        auto *inputs = wb.find<QPlainTextEdit>("inputsEditor");
        QVERIFY(rows && inputs);
        QTRY_VERIFY(rows->isEnabled() && rows->count() >= 3);
        chooseInCombo(rows, 2);
        const fb::Value row3 = jsonLine(wb.flow + "/data.jsonl", 2);
        const std::string text = row3["text"].get<std::string>();
        QVERIFY(inputs->toPlainText().contains(QString::fromStdString(text)));

        QTabBar *tabs = wb.variantTabs();
        QTRY_COMPARE(tabs->count(), 2);
        QTest::mouseClick(wb.editor()->findChild<QToolButton *>(QStringLiteral("variantAdd")),
                          Qt::LeftButton);
        QCOMPARE(tabs->count(), 3);
        QVERIFY2(inputs->toPlainText().contains(QString::fromStdString(text)),
                 "adding a variant reset the inputs");
        QTest::keyClick(&wb.window, Qt::Key_S, Qt::ControlModifier); // Save
        QTRY_VERIFY(!wb.window.experimentPage()->isModified());
        QVERIFY2(inputs->toPlainText().contains(QString::fromStdString(text)),
                 "saving reset the inputs");
        // Rename the new variant as a user does: double-click its tab, type, Enter.
        bool answered = false;
        QTimer::singleShot(0, this, [&answered] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            if (!dialog) {
                return;
            }
            auto *edit = dialog->findChild<QLineEdit *>();
            edit->selectAll();
            QTest::keyClicks(edit, QStringLiteral("shorter"));
            QTest::keyClick(edit, Qt::Key_Return);
            answered = true;
        });
        QTest::mouseDClick(tabs, Qt::LeftButton, {}, tabs->tabRect(2).center());
        QVERIFY(answered);
        QCOMPARE(tabs->tabData(2).toString(), QStringLiteral("shorter"));
        QVERIFY2(inputs->toPlainText().contains(QString::fromStdString(text)),
                 "renaming reset the inputs");
        QCOMPARE(rows->currentIndex(), 2);

        const fb::LineResult result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Completed);
        QCOMPARE(result.inputs["text"].get<std::string>(), text);
        const fb::NodeTrace *pre = traceOf(result, "preprocess");
        QVERIFY(pre);
        QCOMPARE(pre->inputs["text"].get<std::string>(), text);
    }

    // 3. Simulator and workspace connections: each run answers from the target it was
    // started with, and only a simulated answer carries the SIMULATED mark.
    void answerComesFromTheChosenTarget()
    {
        fb::test::SimProcess real; // stands in for a real endpoint of the workspace
        QVERIFY2(real.start(), qPrintable(real.errorString()));
        Workbench wb;
        QVERIFY(wb.open());
        const QString realBase = QStringLiteral("http://127.0.0.1:%1/v1").arg(real.port());
        fb::Connection c;
        c.name = "open_ai_connection";
        c.type = fb::ConnectionType::OpenAi;
        c.configs["base_url"] = realBase.toStdString();
        QString error;
        QVERIFY2(fb::ui::ConnectionRepository(wb.window.workspace().connectionsDir()).save(c, &error),
                 qPrintable(error));

        auto *target = wb.find<QComboBox>("runTarget");
        auto *badge = wb.find<QLabel>("simulatedBadge");
        auto *status = wb.find<QLabel>("runStatus");
        auto *source = wb.find<QLabel>("runSource");
        QVERIFY(target && badge && status && source);
        QCOMPARE(target->currentIndex(), 0); // Simulator by default

        fb::LineResult result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Completed);
        const QString simBase = wb.window.simulator()->baseUrl();
        QVERIFY(!simBase.isEmpty());
        const fb::NodeTrace *classify = traceOf(result, "classify");
        QVERIFY(classify && classify->llm);
        QVERIFY2(QString::fromStdString(classify->llm->endpoint).startsWith(simBase),
                 classify->llm->endpoint.c_str());
        QVERIFY(badge->isVisible());
        QVERIFY(status->text().contains(QLatin1String("simulated")));
        QVERIFY(source->isVisible() && source->text().contains(QLatin1String("SIMULATED")));

        // Choosing the workspace target does not relabel the simulated answer on screen.
        chooseInCombo(target, 1);
        QVERIFY(!badge->isVisible());
        QVERIFY2(source->isVisible() && source->text().contains(QLatin1String("SIMULATED")),
                 "the simulated answer on screen lost its mark");

        result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Completed);
        classify = traceOf(result, "classify");
        QVERIFY(classify && classify->llm);
        QVERIFY2(QString::fromStdString(classify->llm->endpoint).startsWith(realBase),
                 classify->llm->endpoint.c_str());
        QVERIFY(!badge->isVisible());
        QVERIFY(!status->text().contains(QLatin1String("simulated"), Qt::CaseInsensitive));
        QVERIFY(!source->text().contains(QLatin1String("SIMULATED")));
        QVERIFY(source->text().contains(QLatin1String("open_ai_connection")));
        QVERIFY(!wb.panel()->outputText().contains(QLatin1String("SIMULATED")));

        // And back: the simulator answers again, marked — also when the combo is switched
        // while the answer streams in (the mark belongs to the run, not to the combo).
        chooseInCombo(target, 0);
        QSignalSpy finished(wb.panel(), &RunPanel::runFinished);
        QTest::mouseClick(wb.find<QPushButton>("runButton"), Qt::LeftButton);
        QVERIFY(wb.panel()->isRunning());
        chooseInCombo(target, 1);
        QVERIFY(finished.wait(60000));
        result = finished.first().first().value<fb::LineResult>();
        classify = traceOf(result, "classify");
        QVERIFY(classify && classify->llm);
        QVERIFY(QString::fromStdString(classify->llm->endpoint).startsWith(simBase));
        QVERIFY(source->text().contains(QLatin1String("SIMULATED")));
        QVERIFY(status->text().contains(QLatin1String("simulated")));
    }

    // 3b. A workspace without the flow's connection: the run says so in the GUI's words.
    void missingWorkspaceConnectionIsExplained()
    {
        Workbench wb;
        QVERIFY(wb.open());
        QCOMPARE(wb.clickRun().status, fb::RunStatus::Completed); // simulated, first
        chooseInCombo(wb.find<QComboBox>("runTarget"), 1);
        const fb::LineResult result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Failed);
        // Nothing of the simulated run stays beside the refusal: no trace rows, no output.
        auto *trace = wb.panel()->traceModel();
        for (int r = 0; r < trace->rowCount(); ++r) {
            QVERIFY2(!trace->trace(r), "a row of the previous run is still in the trace");
        }
        QVERIFY(wb.panel()->outputText().isEmpty());
        QVERIFY(!wb.find<QLabel>("runSource")->isVisible());
        const QString shown = wb.find<QLabel>("runStatus")->text()
                              + wb.find<QPlainTextEdit>("traceDetail")->toPlainText();
        QVERIFY2(shown.contains(QLatin1String("open_ai_connection")), qPrintable(shown));
        QVERIFY2(shown.contains(QLatin1String("Initialize")), qPrintable(shown));
        QVERIFY2(!shown.contains(QLatin1String("--")), qPrintable(shown));
    }

    // 4. In a fresh workspace (only the built-in Simulator listed), New gives an editable form
    // and a saved connection; the notice names the secret store before the first save.
    void newConnectionInAFreshWorkspace()
    {
        // No keychain reachable: the D-Bus session bus points nowhere.
        const QByteArray savedStore = qgetenv("FLOWBENCH_SECRET_STORE");
        const QByteArray savedBus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qunsetenv("FLOWBENCH_SECRET_STORE");
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/flowbench-test-bus");
        auto restore = qScopeGuard([&] {
            qputenv("FLOWBENCH_SECRET_STORE", savedStore);
            if (savedBus.isEmpty()) {
                qunsetenv("DBUS_SESSION_BUS_ADDRESS");
            } else {
                qputenv("DBUS_SESSION_BUS_ADDRESS", savedBus);
            }
        });
        QTemporaryDir dir;
        fb::ui::LanguageManager language;
        MainWindow window(&language);
        QString error;
        QVERIFY2(window.openWorkspace(dir.filePath(QStringLiteral("ws")), &error),
                 qPrintable(error));
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);

        auto *list = window.findChild<QListWidget *>(QStringLiteral("connectionList"));
        auto *notice = window.findChild<QLabel *>(QStringLiteral("secretNotice"));
        QVERIFY(list && notice);
        QCOMPARE(list->count(), 1); // the Simulator only
        // Before anything is saved, the notice says where a key would go: here, the file.
        QTRY_VERIFY_WITH_TIMEOUT(window.secretStore()->isBackendKnown(), 20000);
        QCOMPARE(window.secretStore()->backend(), fb::ui::SecretStore::Backend::File);
        QVERIFY2(notice->text().contains(QDir::toNativeSeparators(
                     window.secretStore()->fallbackFile())),
                 qPrintable(notice->text()));
        QVERIFY(!notice->text().contains(QLatin1String("keychain."), Qt::CaseInsensitive));

        auto *name = window.findChild<QLineEdit *>(QStringLiteral("connectionName"));
        auto *type = window.findChild<QComboBox *>(QStringLiteral("connectionType"));
        auto *endpoint = window.findChild<QLineEdit *>(QStringLiteral("connectionEndpoint"));
        auto *key = window.findChild<QLineEdit *>(QStringLiteral("connectionApiKey"));
        auto *save = window.findChild<QPushButton *>(QStringLiteral("connectionSave"));
        QVERIFY(name && type && endpoint && key && save);
        QVERIFY(!name->isEnabled()); // the Simulator is shown read-only

        QTest::mouseClick(window.findChild<QPushButton *>(QStringLiteral("connectionNew")),
                          Qt::LeftButton);
        QVERIFY2(name->isEnabled() && type->isEnabled() && save->isEnabled(),
                 "New left the form disabled");
        QTest::keyClicks(name, QStringLiteral("local_llama"));
        chooseInCombo(type, 1); // OpenAI-compatible server
        QVERIFY(endpoint->isEnabled());
        QTest::keyClicks(endpoint, QStringLiteral("http://127.0.0.1:8080/v1"));
        QTest::keyClicks(key, QStringLiteral("sk-local"));
        QSignalSpy saved(window.initializePage()->connections(), &fb::ui::ConnectionsPanel::saved);
        QTest::mouseClick(save, Qt::LeftButton);
        QVERIFY(saved.wait(10000));
        QVERIFY2(saved.first().at(1).toBool(), qPrintable(saved.first().at(2).toString()));
        const QByteArray yaml
            = readAll(window.workspace().connectionsDir() + QStringLiteral("/local_llama.yaml"));
        QVERIFY(yaml.contains("http://127.0.0.1:8080/v1"));
        QVERIFY(!yaml.contains("sk-local"));
        QVERIFY(readAll(window.secretStore()->fallbackFile()).contains("sk-local"));
        QCOMPARE(list->count(), 2);
    }

    // 5. Goal and notes typed in Initialize reach the file without any other action.
    void notesAreSavedWhileTyping()
    {
        Workbench wb;
        QVERIFY(wb.open());
        QTest::keyClick(&wb.window, Qt::Key_1, Qt::ControlModifier);
        auto *notes = wb.find<QPlainTextEdit>("flowNotes");
        QVERIFY(notes && notes->isEnabled());
        notes->setFocus();
        QTest::keyClicks(notes, QStringLiteral("Goal: route tickets to the right team."));
        const QString file = fb::ui::FlowMetadata::notesPath(wb.flow);
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromUtf8(readAll(file)),
                                  QStringLiteral("Goal: route tickets to the right team."), 5000);
        // And the last keystrokes before closing are not lost either.
        QTest::keyClicks(notes, QStringLiteral(" Urgent first."));
        wb.window.close();
        QCOMPARE(QString::fromUtf8(readAll(file)),
                 QStringLiteral("Goal: route tickets to the right team. Urgent first."));
    }

    // 6. Opening or creating another flow shows none of the previous flow's results.
    void anotherFlowStartsClean()
    {
        Workbench wb;
        QVERIFY(wb.open());
        const fb::LineResult result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Completed);
        auto *output = wb.find<QPlainTextEdit>("runOutput");
        auto *status = wb.find<QLabel>("runStatus");
        auto *bar = wb.find<QLabel>("statusText");
        QVERIFY(!output->toPlainText().isEmpty());
        QVERIFY(!status->text().isEmpty());

        // Create from Template in Initialize: choose the chat sample, press the button.
        QTest::keyClick(&wb.window, Qt::Key_1, Qt::ControlModifier);
        auto *templates = wb.find<QListWidget>("templateList");
        QVERIFY(templates);
        int chat = -1;
        for (int i = 0; i < templates->count(); ++i) {
            if (templates->item(i)->text().startsWith(QLatin1String("chat"))) {
                chat = i;
            }
        }
        QVERIFY(chat >= 0);
        QTest::mouseClick(templates->viewport(), Qt::LeftButton, {},
                          templates->visualItemRect(templates->item(chat)).center());
        // The button asks for the new flow's folder name; the user types one.
        bool asked = false;
        QTimer::singleShot(0, this, [&asked] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            if (!dialog) {
                return;
            }
            auto *edit = dialog->findChild<QLineEdit *>();
            asked = edit->text() == QLatin1String("chat");
            edit->selectAll();
            QTest::keyClicks(edit, QStringLiteral("support_chat"));
            QTest::keyClick(edit, Qt::Key_Return);
        });
        QTest::mouseClick(wb.find<QPushButton>("createFromTemplate"), Qt::LeftButton);
        QVERIFY2(asked, "Create from Template did not offer the template's name");
        QTRY_COMPARE(wb.window.currentFlowDir(), wb.dir.filePath(QStringLiteral("ws/support_chat")));

        QVERIFY2(output->toPlainText().isEmpty(), qPrintable(output->toPlainText()));
        QVERIFY2(status->text().isEmpty(), qPrintable(status->text()));
        QVERIFY(!wb.find<QLabel>("runSource")->isVisible());
        QVERIFY2(!bar->text().contains(QLatin1String("Completed")), qPrintable(bar->text()));
        QVERIFY(!bar->text().contains(QLatin1String("simulated")));
        auto *trace = wb.panel()->traceModel();
        QCOMPARE(trace->rowCount(), 1); // the chat flow's one node, not run yet
        QVERIFY(wb.find<QPlainTextEdit>("inputsEditor")->toPlainText().contains(
            QLatin1String("question")));
    }

    // 7. A long multi-line failure keeps the window on the screen; the whole of it is in the
    // trace detail, one line of it in the status.
    void longErrorKeepsTheLayout()
    {
        Workbench wb;
        QVERIFY(wb.open());
        const QString flow = wb.dir.filePath(QStringLiteral("ws/boom"));
        QVERIFY(writeText(flow + "/flow.dag.yaml", R"(inputs:
  text:
    type: string
    default: hi
outputs:
  out:
    type: string
    reference: ${boom.output}
nodes:
- name: boom
  type: python
  source:
    type: code
    path: boom.py
  inputs:
    text: ${inputs.text}
)"));
        QVERIFY(writeText(flow + "/boom.py", R"(from promptflow.core import tool


@tool
def boom(text: str) -> str:
    details = "\n".join("detail line %d %s" % (i, "x" * 180) for i in range(80))
    raise ValueError("the tool failed on purpose " + "y" * 300 + "\n" + details)
)"));
        QString error;
        QVERIFY2(wb.window.openFlow(flow, &error), qPrintable(error));
        const int screenWidth = 1280;
        const fb::LineResult result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Failed);
        QApplication::processEvents();
        auto *status = wb.find<QLabel>("runStatus");
        auto *bar = wb.find<QLabel>("statusText");
        auto *detail = wb.find<QPlainTextEdit>("traceDetail");
        QVERIFY(!status->text().contains(QLatin1Char('\n')));
        QVERIFY(!bar->text().contains(QLatin1Char('\n')));
        QVERIFY(status->text().contains(QLatin1String("failed on purpose")));
        QVERIFY2(detail->toPlainText().contains(QLatin1String("detail line 79")),
                 "the whole error is not in the trace detail");
        QVERIFY2(wb.window.width() <= screenWidth, qPrintable(QString::number(wb.window.width())));
        QVERIFY2(wb.window.minimumSizeHint().width() <= screenWidth,
                 qPrintable(QString::number(wb.window.minimumSizeHint().width())));
        QVERIFY2(wb.window.minimumSize().width() <= screenWidth,
                 qPrintable(QString::number(wb.window.minimumSize().width())));
    }

    // 10. One undo history per flow: a prompt edit and a graph edit undo in reverse order
    // from Edit ▸ Undo (Ctrl+Z), which names the step it takes back; a new node lands where
    // it covers no other; the title does not repeat the application's name.
    void oneUndoHistoryAndFreePlacement()
    {
        Workbench wb;
        QVERIFY(wb.open());
        QPlainTextEdit *edit = nullptr;
        for (auto *e : wb.editor()->promptEditor()->findChildren<QPlainTextEdit *>()) {
            if (!e->isReadOnly()) {
                edit = e;
            }
        }
        QVERIFY(edit);
        const QString before = edit->toPlainText();
        QVERIFY(!before.isEmpty());
        edit->setFocus();
        edit->moveCursor(QTextCursor::End);
        QTest::keyClicks(edit, QStringLiteral(" Answer in one word."));
        QVERIFY(edit->toPlainText().endsWith(QLatin1String("one word.")));
        auto *undo = wb.find<QAction>("actionUndo");
        QVERIFY(undo && undo->isEnabled());
        QVERIFY2(undo->text().contains(QLatin1String("classify.jinja2")), qPrintable(undo->text()));

        // Add a node twice at the same place: the second does not cover the first.
        auto *scene = wb.editor()->scene();
        const int nodesBefore = int(wb.editor()->flow().nodes.size());
        QAction *addPython = nullptr;
        for (auto *button : wb.editor()->findChildren<QToolButton *>()) {
            if (button->menu() && button->text() == QLatin1String("Add node")) {
                for (QAction *a : button->menu()->actions()) {
                    if (a->text() == QLatin1String("Python node")) {
                        addPython = a;
                    }
                }
            }
        }
        QVERIFY(addPython);
        addPython->trigger(); // the menu entry, as clicked
        addPython->trigger();
        QCOMPARE(int(wb.editor()->flow().nodes.size()), nodesBefore + 2);
        QList<QRectF> boxes;
        for (QGraphicsItem *item : scene->items()) {
            if (item->type() == fb::ui::NodeItem::Type) {
                boxes.append(item->sceneBoundingRect());
            }
        }
        for (int i = 0; i < boxes.size(); ++i) {
            for (int j = i + 1; j < boxes.size(); ++j) {
                QVERIFY2(!boxes[i].intersects(boxes[j]),
                         qPrintable(QStringLiteral("a new node covers another: %1,%2 %3x%4 / "
                                                   "%5,%6 %7x%8")
                                        .arg(boxes[i].x()).arg(boxes[i].y())
                                        .arg(boxes[i].width()).arg(boxes[i].height())
                                        .arg(boxes[j].x()).arg(boxes[j].y())
                                        .arg(boxes[j].width()).arg(boxes[j].height())));
            }
        }

        // Ctrl+Z three times, focus in the prompt editor: the two nodes, then the typing.
        QTextDocument *doc = wb.editor()->templateDocument(QStringLiteral("classify.jinja2"));
        QVERIFY(doc->toPlainText().endsWith(QLatin1String("one word.")));
        wb.editor()->selectNode(QStringLiteral("classify"));
        edit->setFocus();
        QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(int(wb.editor()->flow().nodes.size()), nodesBefore + 1);
        QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(int(wb.editor()->flow().nodes.size()), nodesBefore);
        QVERIFY(doc->toPlainText().endsWith(QLatin1String("one word.")));
        QVERIFY2(undo->text().contains(QLatin1String("classify.jinja2")), qPrintable(undo->text()));
        QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(doc->toPlainText(), before);
        QVERIFY(!wb.window.experimentPage()->isModified());
        // And redo (Ctrl+Shift+Z) brings the text back.
        QTest::keyClick(edit, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(doc->toPlainText().endsWith(QLatin1String("one word.")));

        QVERIFY(!wb.window.windowTitle().contains(QLatin1String("Flowbench")));
        QVERIFY(wb.window.windowTitle().contains(QLatin1String("classification")));
    }

    // 8. The window fits a 1280×800 screen, its default size leaves room for the frame, and
    // splitter sizes the user drags are there the next time.
    void layoutFitsAndIsRemembered()
    {
        QList<int> dragged;
        {
            Workbench wb;
            QVERIFY(wb.open());
            const QSize minimum = wb.window.minimumSizeHint();
            QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 760,
                     qPrintable(QStringLiteral("%1x%2").arg(minimum.width()).arg(minimum.height())));
            auto *split = wb.find<QSplitter>("experimentSplit");
            QVERIFY(split);
            const QList<int> before = split->sizes();
            // Drag the handle between the graph and the run panel 90 px up.
            QSplitterHandle *handle = split->handle(1);
            const QPoint start = handle->rect().center();
            QTest::mousePress(handle, Qt::LeftButton, {}, start);
            QMouseEvent move(QEvent::MouseMove, QPointF(start + QPoint(0, -90)),
                             QPointF(handle->mapToGlobal(start + QPoint(0, -90))), Qt::NoButton,
                             Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(handle, &move);
            QTest::mouseRelease(handle, Qt::LeftButton, {}, start + QPoint(0, -90));
            dragged = split->sizes();
            QVERIFY2(dragged.first() < before.first() - 60, "the drag did not move the splitter");
            QVERIFY(wb.window.close());
        }
        fb::ui::LanguageManager language;
        MainWindow again(&language);
        again.resize(1280, 800);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        auto *split = again.findChild<QSplitter *>(QStringLiteral("experimentSplit"));
        QVERIFY(split);
        QCOMPARE(split->sizes(), dragged);
    }

    // 10. With two datasets attached, the Row box reads the one chosen beside it, and the
    // run gets that dataset's row.
    void rowsComeFromTheChosenDataset()
    {
        Workbench wb;
        QVERIFY(wb.open());
        const QString more = wb.dir.filePath(QStringLiteral("ws/more.jsonl"));
        QVERIFY(writeText(more, "{\"text\": \"Second dataset, first row\"}\n"
                                "{\"text\": \"Second dataset, second row\"}\n"));
        // Dropped on Initialize's datasets panel, as from a file manager.
        QTest::keyClick(&wb.window, Qt::Key_1, Qt::ControlModifier);
        auto *datasets = wb.find<fb::ui::DatasetsPanel>("datasetsPanel");
        QVERIFY(datasets);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(more)});
        const QPointF at = QRectF(datasets->rect()).center();
        QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(datasets, &enter);
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(datasets, &drop);
        QCOMPARE(datasets->datasets().size(), 2);

        QTest::keyClick(&wb.window, Qt::Key_2, Qt::ControlModifier);
        auto *picker = wb.find<QComboBox>("datasetPicker");
        auto *rows = wb.find<QComboBox>("rowPicker");
        QVERIFY(picker && rows);
        QTRY_VERIFY(picker->isVisible() && picker->count() == 2);
        chooseInCombo(picker, 1);
        QTRY_VERIFY(rows->itemText(0).contains(QLatin1String("Second dataset, first row")));
        chooseInCombo(rows, 1);
        const fb::LineResult result = wb.clickRun();
        QCOMPARE(result.status, fb::RunStatus::Completed);
        QCOMPARE(result.inputs["text"].get<std::string>(), std::string("Second dataset, second row"));
    }

    // 10. Switching to the dark palette repaints the graph's nodes that are already open
    // (they cache their pixels) and the prompt status keeps a readable colour.
    void darkPaletteReachesOpenNodes()
    {
        Workbench wb;
        QVERIFY(wb.open());
        fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Light);
        auto restore = qScopeGuard([] { fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Light); });
        QApplication::processEvents();
        auto *view = wb.editor()->view();
        fb::ui::NodeItem *node = wb.editor()->scene()->nodeItem(
            wb.editor()->graphModel()->nodeId(QStringLiteral("preprocess")));
        QVERIFY(node);
        view->centerOn(node);
        QApplication::processEvents();
        // A point in the node's body, below its coloured header.
        const QRectF body = node->sceneBoundingRect();
        const QPoint at = view->mapFromScene(body.center() + QPointF(0, body.height() / 4));
        const auto lightnessAt = [view, at] {
            return view->viewport()->grab().toImage().pixelColor(at).lightness();
        };
        QVERIFY2(lightnessAt() > 200, qPrintable(QString::number(lightnessAt())));
        fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Dark);
        QApplication::processEvents();
        QVERIFY2(lightnessAt() < 90, qPrintable(QString::number(lightnessAt())));
    }

    // 9. A finished run's status, source line and output headings follow a language switch,
    // and the row box keeps the chosen row.
    void runResultFollowsTheLanguage()
    {
        Workbench wb;
        QVERIFY(wb.open());
        auto *rows = wb.find<QComboBox>("rowPicker");
        QTRY_VERIFY(rows->isEnabled() && rows->count() >= 2);
        chooseInCombo(rows, 1);
        QCOMPARE(wb.clickRun().status, fb::RunStatus::Completed);
        auto *status = wb.find<QLabel>("runStatus");
        auto *source = wb.find<QLabel>("runSource");
        QVERIFY(status->text().startsWith(QLatin1String("Completed in")));
        QVERIFY(wb.panel()->outputText().contains(QLatin1String("Flow outputs:")));
        QCOMPARE(wb.language.apply(QStringLiteral("pl")), QStringLiteral("pl"));
        auto restore = qScopeGuard([&wb] { wb.language.apply(QStringLiteral("en")); });
        QApplication::processEvents();
        QVERIFY2(status->text().startsWith(QStringLiteral("Ukończono")), qPrintable(status->text()));
        QVERIFY2(status->text().contains(QStringLiteral("symulacja")), qPrintable(status->text()));
        QVERIFY2(source->text().contains(QStringLiteral("SYMULOWANA")), qPrintable(source->text()));
        QVERIFY(wb.panel()->outputText().contains(QStringLiteral("Wyjścia przepływu:")));
        QVERIFY(!wb.panel()->outputText().contains(QLatin1String("Flow outputs:")));
        QCOMPARE(rows->currentIndex(), 1);
        // Every trace column fits without sideways scrolling, in each language.
        auto *trace = wb.find<QTableView>("traceView");
        for (const char *code : {"pl", "zh_CN", "en"}) {
            wb.language.apply(QString::fromLatin1(code));
            QApplication::processEvents();
            QVERIFY2(trace->horizontalScrollBar()->maximum() == 0,
                     qPrintable(QStringLiteral("%1: %2 px too wide")
                                    .arg(QLatin1String(code))
                                    .arg(trace->horizontalScrollBar()->maximum())));
        }
    }

    // 9. Qt's own texts (dialog buttons) follow the language too.
    void qtDialogButtonsFollowTheLanguage_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("cancel");
        QTest::newRow("polish") << "pl" << QStringLiteral("Anuluj");
        QTest::newRow("chinese") << "zh_CN" << QStringLiteral("取消");
    }

    void qtDialogButtonsFollowTheLanguage()
    {
        QFETCH(QString, code);
        QFETCH(QString, cancel);
        fb::ui::LanguageManager language;
        QCOMPARE(language.apply(code), code);
        QDialogButtonBox box(QDialogButtonBox::Cancel);
        const QString shown = box.button(QDialogButtonBox::Cancel)->text().remove(QLatin1Char('&'));
        language.apply(QStringLiteral("en"));
        QVERIFY2(shown.startsWith(cancel), qPrintable(shown));
    }
};

QTEST_MAIN(TestExperimentTrust)
#include "tst_ui_experimenttrust.moc"
