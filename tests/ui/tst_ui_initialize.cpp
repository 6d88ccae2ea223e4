// Initialize mode: templates copied into a workspace, goal/notes beside the flow, datasets
// attached and previewed with column types, the connections manager's round trip through the
// fallback secret store (YAML without secrets, key in a 0600 file), and "Test connection"
// against a real flowbench-sim.

#include <ui/app/workspace.h>
#include <ui/initialize/connectionrepository.h>
#include <ui/initialize/connectionspanel.h>
#include <ui/initialize/connectiontester.h>
#include <ui/initialize/datasetpreviewmodel.h>
#include <ui/initialize/datasetspanel.h>
#include <ui/initialize/flowmetadata.h>
#include <ui/initialize/flowtemplates.h>
#include <ui/initialize/initializepage.h>
#include <ui/initialize/secretstore.h>
#include <ui/initialize/simulatorservice.h>

#include <tests/common/simprocess.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <curl/curl.h>

#include <filesystem>

using namespace fb::ui;

namespace {

bool writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestInitialize : public QObject
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
        qRegisterMetaType<fb::ui::ConnectionTestReport>();
    }

    void cleanupTestCase() { curl_global_cleanup(); }

    void init()
    {
        // Every warning fails the test, except the offscreen platform's note about size hints.
        QTest::failOnWarning(QRegularExpression(
            QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
    }

    void templatesAreTheSampleFlows()
    {
        const QStringList templates = FlowTemplates::list();
        QStringList names;
        for (const QString &t : templates) {
            names.append(QFileInfo(t).fileName());
        }
        const QDir flows(QStringLiteral(FB_SOURCE_DIR "/flows"));
        for (const QString &name : flows.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QCOMPARE(names.contains(name), Workspace::isFlowDir(flows.filePath(name)));
        }
        QVERIFY(names.contains(QStringLiteral("chat")));
    }

    void createFromTemplate_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &t : FlowTemplates::list()) {
            QTest::newRow(qPrintable(QFileInfo(t).fileName())) << QFileInfo(t).fileName();
        }
    }

    void createFromTemplate()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        Workspace ws;
        QString error;
        QVERIFY2(ws.open(dir.filePath(QStringLiteral("ws")), &error), qPrintable(error));
        SecretStore secrets(nullptr, dir.filePath(QStringLiteral("secrets.json")));
        SimulatorService simulator;
        InitializePage page(&secrets, &simulator);
        page.setWorkspace(ws);
        QSignalSpy opened(&page, &InitializePage::openFlowRequested);
        const QString source = QDir(FlowTemplates::templatesDir()).filePath(name);
        QString created;
        QVERIFY2(page.createFromTemplate(source, &created, &error), qPrintable(error));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().first().toString(), created);
        QCOMPARE(QFileInfo(created).fileName(), name);
        QVERIFY(Workspace::isFlowDir(created));
        QVERIFY(ws.flows().contains(created));
        // Same files as the template (caches aside), same bytes.
        QDirIterator it(source, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const QString rel = QDir(source).relativeFilePath(file);
            if (rel.contains(QLatin1String("__pycache__"))) {
                QVERIFY(!QFileInfo::exists(QDir(created).filePath(rel)));
                continue;
            }
            QCOMPARE(readAll(QDir(created).filePath(rel)), readAll(file));
        }
        // A second copy gets its own folder.
        QString second;
        QVERIFY(page.createFromTemplate(source, &second, &error));
        QVERIFY(second != created);
        QCOMPARE(QFileInfo(second).fileName(), name + QStringLiteral("_2"));
    }

    void notesAreSavedBesideTheFlow()
    {
        QTemporaryDir dir;
        const QString flow = dir.filePath(QStringLiteral("flow"));
        QVERIFY(QDir().mkpath(flow));
        QVERIFY(writeText(flow + "/flow.dag.yaml", "inputs: {}\noutputs: {}\nnodes: []\n"));
        SecretStore secrets(nullptr, dir.filePath(QStringLiteral("secrets.json")));
        SimulatorService simulator;
        InitializePage page(&secrets, &simulator);
        page.setFlow(flow);
        const QString text = QStringLiteral("Goal: classify tickets.\nZażółć — 中文");
        page.notesEditor()->setPlainText(text);
        page.flushNotes();
        QCOMPARE(QString::fromUtf8(readAll(FlowMetadata::notesPath(flow))), text);
        QVERIFY(FlowMetadata::notesPath(flow).contains(QLatin1String("/.flowbench/")));
        // The flow file is untouched and a fresh page reads the notes back.
        QCOMPARE(readAll(flow + "/flow.dag.yaml"),
                 QByteArray("inputs: {}\noutputs: {}\nnodes: []\n"));
        InitializePage again(&secrets, &simulator);
        again.setFlow(flow);
        QCOMPARE(again.notesEditor()->toPlainText(), text);
    }

    void datasetsAreRememberedRelativeToTheWorkspace()
    {
        // A workspace moved as a whole keeps its datasets; a file outside stays absolute.
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("ws"));
        const QString flow = ws + QStringLiteral("/flow");
        QVERIFY(QDir().mkpath(flow) && QDir().mkpath(ws + QStringLiteral("/data")));
        QVERIFY(writeText(flow + "/flow.dag.yaml", "inputs: {}\noutputs: {}\nnodes: []\n"));
        QVERIFY(writeText(flow + "/own.jsonl", "{}\n"));
        QVERIFY(writeText(ws + "/data/shared.jsonl", "{}\n"));
        QTemporaryDir elsewhere;
        QVERIFY(writeText(elsewhere.filePath(QStringLiteral("far.jsonl")), "{}\n"));
        QString error;
        QVERIFY2(FlowMetadata::setDatasets(flow,
                                           {flow + "/own.jsonl", ws + "/data/shared.jsonl",
                                            elsewhere.filePath(QStringLiteral("far.jsonl"))},
                                           &error),
                 qPrintable(error));
        const QList<QByteArray> lines
            = readAll(flow + "/.flowbench/datasets.txt").trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(0), QByteArray("own.jsonl"));
        QCOMPARE(lines.at(1), QByteArray("../data/shared.jsonl"));
        QCOMPARE(lines.at(2), elsewhere.filePath(QStringLiteral("far.jsonl")).toUtf8());
        // Moved: the workspace's files are found at their new place.
        const QString moved = dir.filePath(QStringLiteral("moved"));
        QVERIFY(QDir().rename(ws, moved));
        const QStringList read = FlowMetadata::datasets(moved + QStringLiteral("/flow"));
        QCOMPARE(read.value(0), moved + QStringLiteral("/flow/own.jsonl"));
        QCOMPARE(read.value(1), moved + QStringLiteral("/data/shared.jsonl"));
        QVERIFY(QFileInfo::exists(read.value(1)));
    }

    void datasetPreview_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QStringList>("types");
        QTest::newRow("jsonl-typed")
            << "data.jsonl"
            << QByteArray("{\"q\": \"a\", \"n\": 1, \"x\": 1.5, \"ok\": true, \"tags\": [1]}\n"
                          "{\"q\": \"b\", \"n\": 2, \"x\": 2, \"ok\": false, \"tags\": []}\n")
            << 2 << QStringList{"string", "int", "double", "bool", "list"};
        QTest::newRow("csv-strings") << "data.csv" << QByteArray("q,n\nhello,1\nworld,2\nagain,3\n")
                                     << 3 << QStringList{"string", "string"};
        QTest::newRow("jsonl-mixed")
            << "mixed.jsonl" << QByteArray("{\"v\": 1}\n{\"v\": \"one\"}\n{\"w\": {}}\n") << 3
            << QStringList{"mixed", "object"};
    }

    void datasetPreview()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(int, rows);
        QFETCH(QStringList, types);
        QTemporaryDir dir;
        const QString flow = dir.filePath(QStringLiteral("flow"));
        QVERIFY(QDir().mkpath(flow));
        QVERIFY(writeText(flow + "/flow.dag.yaml", "nodes: []\n"));
        const QString data = dir.filePath(file);
        QVERIFY(writeText(data, content));

        DatasetsPanel panel;
        QAbstractItemModelTester tester(panel.previewModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.setFlow(flow);
        QSignalSpy ready(&panel, &DatasetsPanel::previewReady);
        QCOMPARE(panel.attach({data, dir.filePath(QStringLiteral("notes.txt"))}), 1);
        QVERIFY(ready.wait(10000));
        QCOMPARE(ready.last().at(1).toString(), QString());
        DatasetPreviewModel *model = panel.previewModel();
        QCOMPARE(model->rowCount(), rows);
        QCOMPARE(model->columnCount(), int(types.size()));
        for (int c = 0; c < types.size(); ++c) {
            QCOMPARE(model->headerData(c, Qt::Horizontal, DatasetPreviewModel::ColumnTypeRole)
                         .toString(),
                     types.at(c));
        }
        QVERIFY(!model->data(model->index(0, 0)).toString().isEmpty() || types.first() == "mixed");
        // The attachment is remembered beside the flow.
        QCOMPARE(FlowMetadata::datasets(flow), QStringList{QDir::cleanPath(data)});
        DatasetsPanel again;
        again.setFlow(flow);
        QCOMPARE(again.datasets(), QStringList{QDir::cleanPath(data)});
        again.removeCurrent();
        QVERIFY(FlowMetadata::datasets(flow).isEmpty());
    }

    void badDatasetReportsError()
    {
        QTemporaryDir dir;
        const QString flow = dir.filePath(QStringLiteral("flow"));
        QVERIFY(QDir().mkpath(flow));
        const QString data = dir.filePath(QStringLiteral("empty.jsonl"));
        QVERIFY(writeText(data, ""));
        DatasetsPanel panel;
        panel.setFlow(flow);
        QSignalSpy ready(&panel, &DatasetsPanel::previewReady);
        QCOMPARE(panel.attach({data}), 1);
        QVERIFY(ready.wait(10000));
        QVERIFY(!ready.last().at(1).toString().isEmpty());
        QCOMPARE(panel.previewModel()->rowCount(), 0);
    }

    void connectionRoundTrip_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("authMode");
        QTest::addColumn<QString>("key");
        QTest::newRow("openai") << int(fb::ConnectionType::OpenAi) << ""
                                << "key"
                                << "sk-test-123";
        QTest::newRow("openai-compatible")
            << int(fb::ConnectionType::OpenAi) << "http://127.0.0.1:11434/v1"
            << "key"
            << "ollama";
        QTest::newRow("azure-key")
            << int(fb::ConnectionType::AzureOpenAi) << "https://x.openai.azure.com"
            << "key"
            << "az-key-9";
        QTest::newRow("azure-entra")
            << int(fb::ConnectionType::AzureOpenAi) << "https://x.openai.azure.com"
            << "meid_token"
            << "";
        QTest::newRow("anthropic") << int(fb::ConnectionType::Anthropic) << ""
                                   << "key"
                                   << "sk-ant-42";
    }

    void connectionRoundTrip()
    {
        QFETCH(int, type);
        QFETCH(QString, endpoint);
        QFETCH(QString, authMode);
        QFETCH(QString, key);
        QTemporaryDir dir;
        Workspace ws;
        QString error;
        QVERIFY(ws.open(dir.filePath(QStringLiteral("ws")), &error));
        const QString secretsFile = dir.filePath(QStringLiteral("config/secrets.json"));
        SecretStore secrets(nullptr, secretsFile);
        QCOMPARE(secrets.backend(), SecretStore::Backend::File);
        QVERIFY(secrets.describe().contains(QLatin1String("Not encrypted")));
        SimulatorService simulator;
        ConnectionsPanel panel(&secrets, &simulator);
        panel.setWorkspace(ws.root(), ws.connectionsDir());
        QCOMPARE(panel.findChild<QLabel *>(QStringLiteral("secretNotice"))->text(),
                 secrets.describe());

        fb::Connection c;
        c.name = "my_conn";
        c.type = fb::ConnectionType(type);
        if (c.type == fb::ConnectionType::OpenAi) {
            c.configs["base_url"] = endpoint.toStdString();
        } else if (!endpoint.isEmpty()) {
            c.configs["api_base"] = endpoint.toStdString();
        }
        if (c.type == fb::ConnectionType::AzureOpenAi) {
            c.configs["api_version"] = "2024-06-01";
            if (authMode != QLatin1String("key")) {
                c.configs["auth_mode"] = authMode.toStdString();
            }
        }
        panel.setForm(c, key);
        QSignalSpy saved(&panel, &ConnectionsPanel::saved);
        panel.saveCurrent();
        QVERIFY(saved.wait(5000));
        QVERIFY2(saved.first().at(1).toBool(), qPrintable(saved.first().at(2).toString()));
        QCOMPARE(panel.connectionNames(), QStringList{QStringLiteral("my_conn")});

        // The YAML has no secret; the key is in the fallback file, readable only by us.
        const QByteArray yaml = readAll(ws.connectionsDir() + "/my_conn.yaml");
        QVERIFY(yaml.contains("name: my_conn"));
        QVERIFY(yaml.contains(fb::connectionTypeName(c.type)));
        if (!key.isEmpty()) {
            QVERIFY(!yaml.contains(key.toUtf8()));
            QVERIFY(yaml.contains("<user-input>"));
            QVERIFY(readAll(secretsFile).contains(key.toUtf8()));
            // rw for the owner, nothing for anyone else.
            const auto perms = std::filesystem::status(secretsFile.toStdString()).permissions();
            QCOMPARE(perms & std::filesystem::perms::all,
                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        } else {
            QVERIFY(!yaml.contains("api_key"));
        }
        if (!endpoint.isEmpty()) {
            QVERIFY(yaml.contains(endpoint.toUtf8()));
        }

        // A fresh panel reads the connection and its key back.
        ConnectionsPanel again(&secrets, &simulator);
        again.setWorkspace(ws.root(), ws.connectionsDir());
        QVERIFY(again.selectConnection(QStringLiteral("my_conn")));
        auto *keyEdit = again.findChild<QLineEdit *>(QStringLiteral("connectionApiKey"));
        QVERIFY(keyEdit);
        if (!key.isEmpty()) {
            QTRY_COMPARE(keyEdit->text(), key);
        }
        const fb::Connection back = again.formConnection();
        QCOMPARE(int(back.type), type);
        QCOMPARE(back.value("auth_mode", "key"), authMode.toStdString());
        QCOMPARE(back.value("api_key"), key.toStdString());

        // Deleting removes the file and the key.
        QSignalSpy deleted(&again, &ConnectionsPanel::deleted);
        again.deleteCurrent();
        QVERIFY(deleted.wait(5000));
        QVERIFY(!QFileInfo::exists(ws.connectionsDir() + "/my_conn.yaml"));
        if (!key.isEmpty()) {
            QVERIFY(!readAll(secretsFile).contains(key.toUtf8()));
        }
    }

    void invalidConnectionNameIsRefused()
    {
        QTemporaryDir dir;
        SecretStore secrets(nullptr, dir.filePath(QStringLiteral("s.json")));
        SimulatorService simulator;
        ConnectionsPanel panel(&secrets, &simulator);
        panel.setWorkspace(dir.path(), dir.filePath(QStringLiteral("connections")));
        fb::Connection c;
        c.name = "bad name/../x";
        panel.setForm(c, QStringLiteral("k"));
        QSignalSpy saved(&panel, &ConnectionsPanel::saved);
        panel.saveCurrent();
        QCOMPARE(saved.count(), 1);
        QVERIFY(!saved.first().at(1).toBool());
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("s.json"))));
    }

    void testConnectionAgainstSimulator()
    {
        fb::test::SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.errorString()));
        fb::Connection c;
        c.name = "local";
        c.type = fb::ConnectionType::OpenAi;
        c.configs["base_url"] = sim.openAiBaseUrl();
        c.secrets["api_key"] = "anything";
        ConnectionTester tester;
        QSignalSpy done(&tester, &ConnectionTester::finished);
        QVERIFY(tester.test(c, QString(), false));
        QVERIFY(tester.isRunning());
        QVERIFY(done.wait(20000));
        const auto report = done.first().first().value<ConnectionTestReport>();
        QVERIFY2(report.modelsError.isEmpty(), qPrintable(report.modelsError));
        QVERIFY(report.models.contains(QStringLiteral("flowbench-sim:gpt-4o-mini")));
        QVERIFY2(report.ok(), qPrintable(report.callError));
        QVERIFY(report.ttftMs >= 0);
        QVERIFY(report.latencyMs >= report.ttftMs);
        QVERIFY(!tester.isRunning());
    }

    void testConnectionReportsFailure()
    {
        fb::Connection c;
        c.name = "nowhere";
        c.type = fb::ConnectionType::OpenAi;
        c.configs["base_url"] = "http://127.0.0.1:9/v1"; // discard port: refused
        ConnectionTester tester;
        QSignalSpy done(&tester, &ConnectionTester::finished);
        QVERIFY(tester.test(c, QStringLiteral("m"), false));
        QVERIFY(done.wait(20000));
        const auto report = done.first().first().value<ConnectionTestReport>();
        QVERIFY(!report.modelsError.isEmpty());
        QVERIFY(!report.ok());
        QVERIFY(report.callError.contains(QLatin1String("127.0.0.1")));
    }

    void builtInSimulatorStartsAndStops()
    {
        SimulatorService simulator;
        QSignalSpy started(&simulator, &SimulatorService::started);
        QString url;
        QString error;
        bool called = false;
        simulator.ensureRunning(QString(), this, [&](const QString &u, const QString &e) {
            url = u;
            error = e;
            called = true;
        });
        QVERIFY(simulator.isStarting());
        QTRY_VERIFY_WITH_TIMEOUT(called, 15000);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(url.startsWith(QLatin1String("http://127.0.0.1:")));
        QCOMPARE(started.count(), 1);
        QVERIFY(simulator.isRunning());
        const fb::Connection c = simulator.connection(QStringLiteral("open_ai_connection"));
        QCOMPARE(c.value("base_url"), url.toStdString() + "/v1");
        // A second request with the same config reuses the running process.
        bool again = false;
        simulator.ensureRunning(QString(), this,
                                [&](const QString &u, const QString &) { again = u == url; });
        QTRY_VERIFY(again);
        QCOMPARE(started.count(), 1);
        QSignalSpy stopped(&simulator, &SimulatorService::stopped);
        simulator.stop();
        QCOMPARE(stopped.count(), 1);
        QVERIFY(!simulator.isRunning());
    }
};

QTEST_MAIN(TestInitialize)
#include "tst_ui_initialize.moc"
