// Every sample flow under flows/ loads, validates and runs against the simulator through real
// HTTP: through the flowbench-cli executable as a user runs it, and in-process over whole
// datasets (classification's two variants, graded by its evaluation flow).

#include <core/exec/flowexecutor.h>
#include <core/exec/pythonrunner.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>

#include <tests/common/clirun.h>
#include <tests/common/simprocess.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <curl/curl.h>

#include <condition_variable>
#include <mutex>

using namespace fb;

namespace {

const QString kFlows = QStringLiteral(FB_SOURCE_DIR "/flows");

test::CliRun runCli(const QStringList &args) { return test::runCli(args, 60000); }

std::vector<Value> readJsonl(const QString &path)
{
    std::vector<Value> rows;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return rows;
    }
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty()) {
            rows.push_back(Value::parse(line.toStdString()));
        }
    }
    return rows;
}

} // namespace

class TestSampleFlows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    void cleanupTestCase() { curl_global_cleanup(); }

    void everySampleValidates_data()
    {
        QTest::addColumn<QString>("flow");
        for (const char *f : {"classification", "classification_eval", "chat", "summarization"}) {
            QTest::newRow(f) << QString::fromLatin1(f);
        }
    }

    void everySampleValidates()
    {
        QFETCH(QString, flow);
        auto loaded = FlowLoader::load((kFlows + QLatin1Char('/') + flow).toStdString());
        QVERIFY2(loaded.has_value(), loaded ? "" : loaded.error().message.c_str());
        const auto diagnostics = FlowValidator::validate(*loaded);
        QString text;
        for (const auto &d : diagnostics) {
            text += QString::fromStdString(d.toString()) + QLatin1Char('\n');
        }
        QVERIFY2(diagnostics.empty(), qPrintable(text));

        const test::CliRun cli
            = runCli({QStringLiteral("validate"), kFlows + QLatin1Char('/') + flow});
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        QVERIFY(cli.out.contains(QStringLiteral("valid")));
    }

    void cliTestRunsEachSample_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("expected"); // empty: any non-empty string
        QTest::newRow("classification-default")
            << QStringList{QStringLiteral("classification")} << "category"
            << "";
        QTest::newRow("classification-variant_1")
            << QStringList{QStringLiteral("classification"), QStringLiteral("--variant"),
                           QStringLiteral("${classify.variant_1}")}
            << "category"
            << "";
        QTest::newRow("classification-eval")
            << QStringList{QStringLiteral("classification_eval"), QStringLiteral("--inputs"),
                           QStringLiteral("groundtruth=billing"),
                           QStringLiteral("prediction=Billing")}
            << "grade"
            << "Correct";
        QTest::newRow("chat") << QStringList{QStringLiteral("chat")} << "answer"
                              << "";
        QTest::newRow("summarization-long")
            << QStringList{QStringLiteral("summarization")} << "summary"
            << "";
        QTest::newRow("summarization-short")
            << QStringList{QStringLiteral("summarization"), QStringLiteral("--inputs"),
                           QStringLiteral("article=Short note: the shop opens at nine.")}
            << "summary"
            << "Short note: the shop opens at nine.";
    }

    void cliTestRunsEachSample()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, output);
        QFETCH(QString, expected);
        QStringList full{QStringLiteral("test"), kFlows + QLatin1Char('/') + args.takeFirst()};
        full += args;
        full << QStringLiteral("--simulator") << QStringLiteral("--json");
        const test::CliRun cli = runCli(full);
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err + cli.out));
        const QJsonObject result = QJsonDocument::fromJson(cli.out.toUtf8()).object();
        QCOMPARE(result.value(QStringLiteral("status")).toString(), QStringLiteral("Completed"));
        QVERIFY(result.value(QStringLiteral("simulated")).toBool());
        const QString value
            = result.value(QStringLiteral("outputs")).toObject().value(output).toString();
        if (expected.isEmpty()) {
            QVERIFY2(!value.isEmpty(), qPrintable(cli.out));
        } else {
            QCOMPARE(value, expected);
        }
        // Every llm node that ran says its answer was simulated.
        for (const auto &n : result.value(QStringLiteral("nodes")).toArray()) {
            const QJsonObject node = n.toObject();
            if (node.contains(QStringLiteral("llm"))) {
                QVERIFY(node.value(QStringLiteral("llm"))
                            .toObject()
                            .value(QStringLiteral("model"))
                            .toString()
                            .contains(QStringLiteral("flowbench-sim")));
            }
        }
    }

    void cliStreamsTokensInOrder()
    {
        const test::CliRun cli
            = runCli({QStringLiteral("test"), kFlows + QStringLiteral("/chat"),
                      QStringLiteral("--simulator"), QStringLiteral("--stream")});
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err + cli.out));
        // The streamed text is printed before the outputs block and equals the final answer.
        const QString out = cli.out;
        const int streamAt = out.indexOf(QStringLiteral("[chat] "));
        const int outputsAt = out.indexOf(QStringLiteral("outputs:"));
        QVERIFY2(streamAt >= 0 && outputsAt > streamAt, qPrintable(out));
        const QString streamed
            = out.mid(streamAt + 7, out.indexOf(QLatin1Char('\n'), streamAt) - streamAt - 7);
        QVERIFY(!streamed.trimmed().isEmpty());
        QVERIFY2(out.contains(QStringLiteral("answer: ") + streamed.trimmed().left(40)),
                 qPrintable(out));
        QVERIFY(cli.err.contains(QStringLiteral("SIMULATED")));
    }

    void cliErrorsAreClear_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no-command") << QStringList{} << 2 << "usage";
        QTest::newRow("unknown-command")
            << QStringList{QStringLiteral("frobnicate")} << 2 << "unknown command";
        QTest::newRow("missing-flow")
            << QStringList{QStringLiteral("validate"), QStringLiteral("/nonexistent/flow")} << 3
            << "/nonexistent/flow";
        QTest::newRow("bad-option")
            << QStringList{QStringLiteral("test"), kFlows + QStringLiteral("/chat"),
                           QStringLiteral("--bogus")}
            << 2 << "unknown option '--bogus'";
        QTest::newRow("bad-variant")
            << QStringList{QStringLiteral("test"), kFlows + QStringLiteral("/classification"),
                           QStringLiteral("--simulator"), QStringLiteral("--variant"),
                           QStringLiteral("${classify.variant_9}")}
            << 3 << "variant_9";
        QTest::newRow("no-connection")
            << QStringList{QStringLiteral("test"), kFlows + QStringLiteral("/chat")} << 1
            << "open_ai_connection";
    }

    void cliErrorsAreClear()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const test::CliRun cli = runCli(args);
        QCOMPARE(cli.exitCode, exitCode);
        QVERIFY2((cli.err + cli.out).contains(message, Qt::CaseInsensitive),
                 qPrintable(cli.err + cli.out));
    }

    void everyCommandHasHelp_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("validate") << "validate";
        QTest::newRow("test") << "test";
    }

    void everyCommandHasHelp()
    {
        QFETCH(QString, command);
        const test::CliRun cli = runCli({command, QStringLiteral("--help")});
        QCOMPARE(cli.exitCode, 0);
        QVERIFY(cli.out.contains(QStringLiteral("usage: flowbench-cli ") + command));
    }

    // Both classification variants over the whole dataset, graded by the evaluation flow: the
    // simulator's per-model error rates must show up as different accuracies.
    void classificationVariantsScoreDifferently()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--config"),
                            kFlows + QStringLiteral("/classification/simulator.json"),
                            QStringLiteral("--ttft-ms"), QStringLiteral("0"),
                            QStringLiteral("--token-ms"), QStringLiteral("0")}),
                 qPrintable(sim.errorString()));
        ConnectionStore connections;
        Connection c;
        c.name = "open_ai_connection";
        c.type = ConnectionType::OpenAi;
        c.configs["base_url"] = sim.openAiBaseUrl();
        c.secrets["api_key"] = "sim";
        QVERIFY(connections.add(c).has_value());
        LlmClient llm;
        PythonRunner python;
        FlowExecutor executor(llm, python, connections);

        auto flow = FlowLoader::load((kFlows + QStringLiteral("/classification")).toStdString());
        QVERIFY(flow.has_value());
        auto evalFlow
            = FlowLoader::load((kFlows + QStringLiteral("/classification_eval")).toStdString());
        QVERIFY(evalFlow.has_value());
        auto evalPrepared = PreparedFlow::prepare(*evalFlow);
        QVERIFY(evalPrepared.has_value());
        const auto rows = readJsonl(kFlows + QStringLiteral("/classification/data.jsonl"));
        QVERIFY(rows.size() >= 20);

        std::map<std::string, double> accuracy;
        for (const std::string variant : {"variant_0", "variant_1"}) {
            auto prepared = PreparedFlow::prepare(*flow, {{"classify", variant}});
            QVERIFY(prepared.has_value());
            std::mutex mutex;
            std::condition_variable cv;
            std::vector<LineResult> results(rows.size());
            std::size_t done = 0;
            for (std::size_t i = 0; i < rows.size(); ++i) {
                executor.startLine(*prepared, {{"text", rows[i]["text"]}}, {}, nullptr,
                                   [&, i](LineResult r) {
                                       std::lock_guard lock(mutex);
                                       results[i] = std::move(r);
                                       ++done;
                                       cv.notify_all();
                                   });
            }
            {
                std::unique_lock lock(mutex);
                QVERIFY(cv.wait_for(lock, std::chrono::seconds(60),
                                    [&] { return done == rows.size(); }));
            }
            std::vector<LineResult> graded;
            for (std::size_t i = 0; i < rows.size(); ++i) {
                QCOMPARE(int(results[i].status), int(RunStatus::Completed));
                graded.push_back(executor.runLine(
                    *evalPrepared, {{"groundtruth", rows[i]["groundtruth"]},
                                    {"prediction", results[i].outputs["category"]}}));
                QCOMPARE(int(graded.back().status), int(RunStatus::Completed));
            }
            const AggregationResult agg = executor.runAggregation(*evalPrepared, graded);
            QCOMPARE(int(agg.status), int(RunStatus::Completed));
            QVERIFY(agg.metrics.count("accuracy"));
            accuracy[variant] = agg.metrics.at("accuracy");
        }
        qInfo("accuracy variant_0=%.3f variant_1=%.3f", accuracy["variant_0"],
              accuracy["variant_1"]);
        QVERIFY(accuracy["variant_1"] > accuracy["variant_0"]);
        QVERIFY(accuracy["variant_0"] > 0.3);
        QVERIFY(accuracy["variant_1"] > 0.7);
    }
};

QTEST_GUILESS_MAIN(TestSampleFlows)
#include "tst_sampleflows.moc"
