// flowbench-cli report and compare end to end: a real batch of the classification sample's two
// variants against flowbench-sim into a temporary store, an evaluation run of each (grades
// aligned by line index), then report --format html|csv|json and compare (text and --json),
// and the usage errors.
#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <tests/common/clirun.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace fb;

namespace {

const QString kFlows = QStringLiteral(FB_SOURCE_DIR "/flows");

// The commands under test take well under this; a slow machine gets room.
test::CliRun runCli(const QStringList &args) { return test::runCli(args, 90000); }

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TestReportCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void reportHtml();
    void reportCsv();
    void reportJson();
    void compareText();
    void compareJson();
    void usageErrors_data();
    void usageErrors();

private:
    QString store() const { return m_dir.filePath(QStringLiteral("store.sqlite")); }
    QTemporaryDir m_dir;
    std::map<int, QString> m_truth; ///< line index -> groundtruth category
};

void TestReportCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The classification sample with its answer book and wrong-answer rates, answering fast.
    const QString flow = m_dir.filePath(QStringLiteral("classification"));
    QVERIFY(QDir().mkpath(flow));
    for (const auto &entry :
         QDir(kFlows + QStringLiteral("/classification")).entryList(QDir::Files)) {
        if (entry != QStringLiteral("simulator.json")) {
            QVERIFY(QFile::copy(kFlows + QStringLiteral("/classification/") + entry,
                                flow + QLatin1Char('/') + entry));
        }
    }
    QFile config(flow + QStringLiteral("/simulator.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(R"({"answers": "sim_answers.jsonl", "error-rate": {"gpt-4o-mini": 0.4,
        "gpt-4o": 0.05}, "seed": 11, "ttft-ms": "uniform:2:6", "token-ms": "1", "tokens": 3})");
    config.close();

    const QString data = kFlows + QStringLiteral("/classification/data.jsonl");
    QFile dataFile(data);
    QVERIFY(dataFile.open(QIODevice::ReadOnly));
    for (int i = 0; !dataFile.atEnd(); ++i) {
        const QByteArray line = dataFile.readLine().trimmed();
        if (!line.isEmpty()) {
            m_truth[i] = QJsonDocument::fromJson(line)
                             .object()
                             .value(QStringLiteral("groundtruth"))
                             .toString();
        }
    }
    QVERIFY(m_truth.size() >= 20);

    for (const char *variant : {"variant_0", "variant_1"}) {
        const test::CliRun r = runCli(
            {QStringLiteral("run"), flow, QStringLiteral("--data"), data,
             QStringLiteral("--variant"),
             QStringLiteral("${classify.%1}").arg(QLatin1String(variant)),
             QStringLiteral("--column-mapping"), QStringLiteral("text=${data.text}"),
             QStringLiteral("--simulator"), QStringLiteral("--store"), store(),
             QStringLiteral("--name"), QStringLiteral("cls-%1").arg(QLatin1String(variant)),
             QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // An evaluation run per base run, as the eval command stores them: one line per base line
    // (same index) whose output grades the prediction.
    {
        auto s = ExperimentStore::open(store().toStdString());
        QVERIFY(s);
        for (const char *name : {"cls-variant_0", "cls-variant_1"}) {
            auto base = s->findRunByName(name);
            QVERIFY(base);
            RunSpec spec;
            spec.name = std::string(name) + "-eval";
            spec.flowId = base->flowId;
            spec.datasetId = base->datasetId;
            spec.baseRunId = base->id;
            spec.totalLines = base->totalLines;
            auto eval = s->createRun(spec);
            QVERIFY2(eval, eval ? "" : eval.error().message.c_str());
            auto lines = s->lines(base->id, 0, 1000);
            QVERIFY(lines);
            QCOMPARE(std::int64_t(lines->size()), base->totalLines);
            auto writer = StoreWriter::open(store().toStdString());
            QVERIFY(writer);
            for (const auto &l : *lines) {
                LineRecord e;
                e.runId = *eval;
                e.lineIndex = l.lineIndex;
                e.status = "Completed";
                const std::string predicted
                    = l.outputs.contains("category") && l.outputs["category"].is_string()
                          ? l.outputs["category"].get<std::string>()
                          : std::string();
                const bool correct = predicted == m_truth[int(l.lineIndex)].toStdString();
                e.outputs = Value{{"grade", correct ? "Correct" : "Incorrect"}};
                (*writer)->submit(std::move(e));
            }
            QVERIFY((*writer)->flush());
            QVERIFY(s->setRunStatus(*eval, RunState::Completed));
        }
    }
}

void TestReportCli::reportHtml()
{
    const QString out = m_dir.filePath(QStringLiteral("report.html"));
    const test::CliRun r = runCli({QStringLiteral("report"), QStringLiteral("cls-variant_0"),
                                   QStringLiteral("cls-variant_1"), QStringLiteral("-o"), out,
                                   QStringLiteral("--store"), store(), QStringLiteral("--rows"),
                                   QStringLiteral("10")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("wrote ")));
    const QString page = readText(out);
    QVERIFY(!page.isEmpty());
    QVERIFY(page.contains(QStringLiteral("cls-variant_0")));
    QVERIFY(page.contains(QStringLiteral("cls-variant_1")));
    QVERIFY(page.contains(QStringLiteral("<svg")));
    QVERIFY(page.contains(QStringLiteral("Simulated (flowbench-sim)")));
    QVERIFY(!page.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
    QVERIFY(!page.contains(QRegularExpression(QStringLiteral("https?://"))));
    QVERIFY(page.contains(QStringLiteral("Showing the first 10 of 40 rows")));
    // The evaluation runs' grades are the evaluator, compared with McNemar.
    QVERIFY(page.contains(QStringLiteral("grade")));
    QVERIFY(page.contains(QStringLiteral("McNemar")));
    QVERIFY(page.contains(QStringLiteral("cls-variant_0-eval")));
}

void TestReportCli::reportCsv()
{
    const QString out = m_dir.filePath(QStringLiteral("lines.csv"));
    const test::CliRun r = runCli({QStringLiteral("report"), QStringLiteral("cls-variant_0"),
                                   QStringLiteral("cls-variant_1"), QStringLiteral("--format"),
                                   QStringLiteral("csv"), QStringLiteral("-o"), out,
                                   QStringLiteral("--store"), store()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString lines = readText(out);
    const QStringList header = lines.section(QStringLiteral("\r\n"), 0, 0).split(QLatin1Char(','));
    QCOMPARE(header.mid(0, 3), (QStringList{QStringLiteral("run"), QStringLiteral("line"),
                                            QStringLiteral("status")}));
    QVERIFY(header.contains(QStringLiteral("input.text")));
    QVERIFY(header.contains(QStringLiteral("output.category")));
    QVERIFY(header.contains(QStringLiteral("score.grade")));
    QVERIFY(header.contains(QStringLiteral("cost_usd")));
    // 80 lines; quoted fields may hold line breaks, so count the records by their run column.
    QCOMPARE(int(lines.count(QRegularExpression(QStringLiteral("\r\ncls-variant_[01],")))), 80);
    const QString metrics = readText(m_dir.filePath(QStringLiteral("lines.metrics.csv")));
    QVERIFY(metrics.startsWith(QStringLiteral("run,metric,value,ci_low,ci_high,n\r\n")));
    QVERIFY(metrics.contains(QStringLiteral("cls-variant_1,grade.pass_rate,")));
    QVERIFY(metrics.contains(QStringLiteral("cls-variant_0,latency_ms.line.p95,")));
}

void TestReportCli::reportJson()
{
    const QString out = m_dir.filePath(QStringLiteral("report.json"));
    const test::CliRun r = runCli({QStringLiteral("report"), QStringLiteral("cls-variant_0"),
                                   QStringLiteral("cls-variant_1"), QStringLiteral("-o"), out,
                                   QStringLiteral("--store"), store(), QStringLiteral("--rows"),
                                   QStringLiteral("5")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject doc = QJsonDocument::fromJson(readText(out).toUtf8()).object();
    QCOMPARE(doc.value(QStringLiteral("format")).toString(), QStringLiteral("flowbench-report"));
    const QJsonArray runs = doc.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 2);
    for (const auto &run : runs) {
        const QJsonObject o = run.toObject();
        QCOMPARE(
            o.value(QStringLiteral("lines")).toObject().value(QStringLiteral("stored")).toInt(),
            40);
        QVERIFY(o.value(QStringLiteral("simulated")).toBool());
        // Every LLM call has a latency; TTFT is only recorded for streamed calls.
        const QJsonObject latency = o.value(QStringLiteral("latency_ms")).toObject();
        QCOMPARE(latency.value(QStringLiteral("llm_call"))
                     .toObject()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 40);
        QVERIFY(latency.value(QStringLiteral("ttft")).toObject().contains(QStringLiteral("count")));
    }
    // The pass rate of the grade matches the grades written in initTestCase.
    const QJsonObject grade
        = runs[1].toObject().value(QStringLiteral("evaluators")).toArray()[0].toObject();
    QCOMPARE(grade.value(QStringLiteral("name")).toString(), QStringLiteral("grade"));
    const double rate = grade.value(QStringLiteral("pass_rate"))
                            .toObject()
                            .value(QStringLiteral("mean"))
                            .toDouble();
    QVERIFY(rate > 0.0 && rate <= 1.0);
    QCOMPARE(doc.value(QStringLiteral("comparisons")).toArray().size(), 1);
    QCOMPARE(doc.value(QStringLiteral("lines"))
                 .toObject()
                 .value(QStringLiteral("cls-variant_0"))
                 .toArray()
                 .size(),
             5);
}

void TestReportCli::compareText()
{
    const test::CliRun r
        = runCli({QStringLiteral("compare"), QStringLiteral("cls-variant_0"),
                  QStringLiteral("cls-variant_1"), QStringLiteral("--store"), store()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("cls-variant_0")));
    QVERIFY(r.out.contains(QStringLiteral("cls-variant_1")));
    QVERIFY(r.out.contains(QStringLiteral("SIMULATED")));
    QVERIFY(r.out.contains(QStringLiteral("grade pass rate")));
    QVERIFY(r.out.contains(
        QRegularExpression(QStringLiteral("A -> B +grade +[+-]\\d+\\.\\d pp +McNemar"))));
    QVERIFY(r.out.contains(QRegularExpression(QStringLiteral("\\d+/\\d+/\\d+"))));
}

void TestReportCli::compareJson()
{
    const test::CliRun r = runCli({QStringLiteral("compare"), QStringLiteral("cls-variant_0"),
                                   QStringLiteral("cls-variant_1"), QStringLiteral("--store"),
                                   store(), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject doc = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QJsonArray comparisons = doc.value(QStringLiteral("comparisons")).toArray();
    QCOMPARE(comparisons.size(), 1);
    const QJsonObject c = comparisons[0].toObject();
    QCOMPARE(c.value(QStringLiteral("shared_lines")).toInt(), 40);
    const QJsonObject grade = c.value(QStringLiteral("evaluators")).toArray()[0].toObject();
    QCOMPARE(grade.value(QStringLiteral("test")).toString(), QStringLiteral("McNemar"));
    const int wins = grade.value(QStringLiteral("wins")).toInt();
    const int ties = grade.value(QStringLiteral("ties")).toInt();
    const int losses = grade.value(QStringLiteral("losses")).toInt();
    QCOMPARE(wins + ties + losses, 40);
    const QJsonObject m = grade.value(QStringLiteral("mcnemar")).toObject();
    QCOMPARE(m.value(QStringLiteral("candidate_only")).toInt(), wins);
    QCOMPARE(m.value(QStringLiteral("baseline_only")).toInt(), losses);
    const double p = grade.value(QStringLiteral("p_value")).toDouble();
    QVERIFY(p > 0.0 && p <= 1.0);
}

void TestReportCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("report-unknown-run")
        << QStringList{QStringLiteral("report"), QStringLiteral("nope"), QStringLiteral("-o"),
                       QStringLiteral("x.html")}
        << 2 << "no run 'nope'";
    QTest::newRow("report-no-output")
        << QStringList{QStringLiteral("report"), QStringLiteral("cls-variant_0")} << 2
        << "expected RUN... and -o FILE";
    QTest::newRow("report-unknown-format")
        << QStringList{QStringLiteral("report"), QStringLiteral("cls-variant_0"),
                       QStringLiteral("-o"), QStringLiteral("x.pdf")}
        << 2 << "--format must be html, csv or json";
    QTest::newRow("compare-one-run")
        << QStringList{QStringLiteral("compare"), QStringLiteral("cls-variant_0")} << 2
        << "at least two different runs";
    QTest::newRow("compare-by-id-and-name-same-run")
        << QStringList{QStringLiteral("compare"), QStringLiteral("cls-variant_0"),
                       QStringLiteral("#1")}
        << 2 << "at least two different runs";
}

void TestReportCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    args << QStringLiteral("--store") << store();
    const test::CliRun r = runCli(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestReportCli)
#include "tst_reportcli.moc"
