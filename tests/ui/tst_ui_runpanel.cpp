// "Run one row" against a real flowbench-sim: every sample flow runs with its first dataset
// row, streamed text arrives in order and matches the node's output, the trace fills in, a
// run can be cancelled, and the GUI thread keeps turning while tokens stream.

#include <ui/experiment/linerunbridge.h>
#include <ui/experiment/runpanel.h>
#include <ui/experiment/tracemodel.h>
#include <ui/initialize/secretstore.h>
#include <ui/initialize/simulatorservice.h>

#include <core/flow/flowloader.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <curl/curl.h>

#include <algorithm>
#include <filesystem>
#include <map>

using fb::ui::RunPanel;
using fb::ui::TraceModel;

namespace {

fb::Value firstRow(const QString &flowDir)
{
    QFile f(QDir(flowDir).filePath(QStringLiteral("data.jsonl")));
    if (!f.open(QIODevice::ReadOnly)) {
        return fb::Value::object();
    }
    const std::string line = f.readLine().toStdString();
    fb::Value v = fb::Value::parse(line, nullptr, false);
    return v.is_object() ? v : fb::Value::object();
}

/// A run panel with its own secret store (a file in a temporary folder) and simulator service.
struct PanelFixture
{
    QTemporaryDir secretsDir;
    fb::ui::SecretStore secrets{nullptr, secretsDir.filePath(QStringLiteral("s.json"))};
    fb::ui::SimulatorService simulator;
    RunPanel panel{&simulator, &secrets};
};

} // namespace

class TestRunPanel : public QObject
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
        qRegisterMetaType<fb::LineResult>();
    }

    void cleanupTestCase() { curl_global_cleanup(); }

    void init()
    {
        // Every warning fails the test, except the offscreen platform's note about size hints.
        QTest::failOnWarning(QRegularExpression(
            QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
    }

    void runSampleFlow_data()
    {
        QTest::addColumn<QString>("flow");
        const QDir flows(QStringLiteral(FB_SOURCE_DIR "/flows"));
        for (const QString &name : flows.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (QFileInfo::exists(flows.filePath(name + "/flow.dag.yaml"))) {
                QTest::newRow(qPrintable(name)) << flows.filePath(name);
            }
        }
    }

    void runSampleFlow()
    {
        QFETCH(QString, flow);
        auto loaded = fb::FlowLoader::load(flow.toStdString());
        QVERIFY2(loaded.has_value(), loaded ? "" : loaded.error().message.c_str());

        PanelFixture fixture;
        RunPanel &panel = fixture.panel;
        QAbstractItemModelTester tester(panel.traceModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel.setFlow(*loaded);
        panel.setInputs(firstRow(flow));
        panel.setUseSimulator(true);

        std::map<QString, QString> streamed;
        QStringList order;
        connect(panel.bridge(), &fb::ui::LineRunBridge::outputDelta, this,
                [&](const QString &node, const QString &text) {
                    streamed[node] += text;
                    if (order.isEmpty() || order.last() != node) {
                        order.append(node);
                    }
                });
        QSignalSpy finished(&panel, &RunPanel::runFinished);
        QVERIFY(panel.run());
        QVERIFY(panel.isRunning());
        QVERIFY(finished.wait(30000));
        const auto result = finished.first().first().value<fb::LineResult>();
        QVERIFY2(result.status == fb::RunStatus::Completed, result.error.c_str());
        QVERIFY(!panel.isRunning());

        // Every node has a row with a final status; streamed text equals the node's output.
        TraceModel *trace = panel.traceModel();
        QCOMPARE(trace->rowCount(), int(result.nodes.size()));
        int llmNodes = 0;
        for (const auto &node : result.nodes) {
            const int row = trace->rowOf(QString::fromStdString(node.node));
            QVERIFY(row >= 0);
            QCOMPARE(int(trace->status(row)), int(node.status));
            if (node.type == fb::NodeType::Llm && node.status == fb::RunStatus::Completed) {
                ++llmNodes;
                const QString name = QString::fromStdString(node.node);
                QVERIFY2(streamed.count(name), qPrintable(name));
                QCOMPARE(streamed[name], QString::fromStdString(node.output.get<std::string>()));
                QVERIFY(panel.outputText().contains(streamed[name]));
                QVERIFY(node.llm && node.llm->timing.ttftMs >= 0);
                QVERIFY(
                    !trace->data(trace->index(row, TraceModel::TtftColumn)).toString().isEmpty());
                // The simulator's calls are priced by its own entry: nothing spent, and said so.
                QCOMPARE(trace->data(trace->index(row, TraceModel::CostColumn)).toString(),
                         QStringLiteral("$0 (sim.)"));
            }
        }
        // Deltas of one node are never interleaved with another's.
        QCOMPARE(order.size(), int(streamed.size()));
        if (llmNodes > 0) {
            QVERIFY(panel.bridge()->batchCount() >= 1);
        }
    }

    void unsavedTemplateTextIsRun()
    {
        // The editor's unsaved buffer, not the file on disk, is what a run renders.
        const QString flow = QStringLiteral(FB_SOURCE_DIR "/flows/classification");
        auto loaded = fb::FlowLoader::load(flow.toStdString());
        QVERIFY(loaded.has_value());
        const auto node = std::find_if(loaded->nodes.begin(), loaded->nodes.end(), [](auto &n) {
            return n.type == fb::NodeType::Llm && !n.source.path.empty();
        });
        std::string llmNode;
        std::filesystem::path templatePath;
        if (node != loaded->nodes.end()) {
            llmNode = node->name;
            templatePath = std::filesystem::absolute(loaded->resolvePath(node->source.path));
        } else {
            // Variant nodes keep their template in the variant.
            QVERIFY(!loaded->nodeVariants.empty());
            const auto &nv = loaded->nodeVariants.front();
            const auto def = std::find_if(nv.variants.begin(), nv.variants.end(),
                                          [&](auto &v) { return v.id == nv.defaultVariantId; });
            QVERIFY(def != nv.variants.end());
            llmNode = nv.nodeName;
            templatePath = std::filesystem::absolute(loaded->resolvePath(def->node.source.path));
        }
        const std::string marker = "UNSAVED-EDIT-7f3a";

        PanelFixture fixture;
        RunPanel &panel = fixture.panel;
        panel.setFlow(*loaded);
        panel.setInputs(firstRow(flow));
        panel.setUseSimulator(true);
        panel.setUnsavedTemplates([&] {
            return RunPanel::UnsavedTemplates::result_type{
                {templatePath.lexically_normal(), "# user:\n" + marker + " {{text}}\n"}};
        });
        QSignalSpy finished(&panel, &RunPanel::runFinished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(30000));
        const auto result = finished.first().first().value<fb::LineResult>();
        QVERIFY2(result.status == fb::RunStatus::Completed, result.error.c_str());
        const auto ran = std::find_if(result.nodes.begin(), result.nodes.end(),
                                      [&](const fb::NodeTrace &t) { return t.node == llmNode; });
        QVERIFY(ran != result.nodes.end());
        QVERIFY2(ran->renderedPrompt.find(marker) != std::string::npos,
                 ran->renderedPrompt.c_str());
    }

    void cancelStreamingRun()
    {
        auto loaded = fb::FlowLoader::load(FB_SOURCE_DIR "/flows/chat");
        QVERIFY(loaded.has_value());
        PanelFixture fixture;
        RunPanel &panel = fixture.panel;
        panel.setFlow(*loaded);
        // A slow stream: 200 tokens, 50 ms apart (10 s) unless cancelled.
        panel.setInputs({{"chat_history", fb::Value::array()},
                         {"question", "[[sim:tokens=200,token_ms=50]] Tell me a long story."}});
        QSignalSpy deltas(panel.bridge(), &fb::ui::LineRunBridge::outputDelta);
        QSignalSpy finished(&panel, &RunPanel::runFinished);
        QVERIFY(panel.run());
        QVERIFY(deltas.wait(20000));
        QElapsedTimer clock;
        clock.start();
        panel.cancel();
        QVERIFY(finished.wait(10000));
        const auto result = finished.first().first().value<fb::LineResult>();
        QCOMPARE(int(result.status), int(fb::RunStatus::Cancelled));
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        const int row = panel.traceModel()->rowOf(QStringLiteral("chat"));
        QCOMPARE(int(panel.traceModel()->status(row)), int(fb::RunStatus::Cancelled));
    }

    void guiThreadKeepsTurningWhileStreaming()
    {
        auto loaded = fb::FlowLoader::load(FB_SOURCE_DIR "/flows/chat");
        QVERIFY(loaded.has_value());
        PanelFixture fixture;
        RunPanel &panel = fixture.panel;
        panel.setFlow(*loaded);
        panel.setInputs({{"chat_history", fb::Value::array()},
                         {"question", "[[sim:tokens=150,token_ms=5]] Stream quickly."}});
        QSignalSpy finished(&panel, &RunPanel::runFinished);
        // A 5 ms heartbeat on the GUI thread measures the longest stall.
        QElapsedTimer since;
        qint64 longest = 0;
        QTimer beat;
        beat.setInterval(5);
        connect(&beat, &QTimer::timeout, this,
                [&] { longest = std::max(longest, since.restart()); });
        QVERIFY(panel.run());
        since.start();
        beat.start();
        QVERIFY(finished.wait(30000));
        beat.stop();
        QCOMPARE(int(finished.first().first().value<fb::LineResult>().status),
                 int(fb::RunStatus::Completed));
        QVERIFY2(longest < 200, qPrintable(QStringLiteral("stall %1 ms").arg(longest)));
        // 150 deltas arrive in batches (≤ ~60 Hz), not one signal per token.
        QVERIFY2(panel.bridge()->batchCount() < 150,
                 qPrintable(QString::number(panel.bridge()->batchCount())));
    }

    void badInputsAreRefused_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("not-json") << "{question: hi";
        QTest::newRow("array") << "[1, 2]";
        QTest::newRow("string") << "\"hello\"";
    }

    void badInputsAreRefused()
    {
        QFETCH(QString, text);
        auto loaded = fb::FlowLoader::load(FB_SOURCE_DIR "/flows/chat");
        QVERIFY(loaded.has_value());
        PanelFixture fixture;
        RunPanel &panel = fixture.panel;
        panel.setFlow(*loaded);
        auto *editor = panel.findChild<QPlainTextEdit *>(QStringLiteral("inputsEditor"));
        QVERIFY(editor);
        editor->setPlainText(text);
        fb::Value v;
        QString error;
        QVERIFY(!panel.inputs(&v, &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!panel.run());
        QVERIFY(!panel.isRunning());
        QVERIFY(!fixture.simulator.isStarting());
    }
};

QTEST_MAIN(TestRunPanel)
#include "tst_ui_runpanel.moc"
