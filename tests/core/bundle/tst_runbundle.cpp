// Run bundles end to end over a store written by the built flowbench-cli against
// flowbench-sim (both variants of the sample classification flow and an evaluation run):
// export (API and CLI), show, import into fresh and busy stores, extract; the reports read
// the same before and after; reading never changes the file; hostile bundles are refused
// naming the file and what is wrong, and nothing is written; a failing import changes nothing.
#include <core/bundle/bundleexporter.h>
#include <core/bundle/bundleimporter.h>
#include <core/bundle/runbundle.h>
#include <core/cli/cliapp.h>
#include <core/report/csvreport.h>
#include <core/store/experimentstore.h>

#include <tests/common/clirun.h>
#include <tests/common/filetree.h>
#include <tests/core/store/rawsqlite.h>

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <sys/stat.h>

#include <sstream>

using namespace fb;

namespace {

struct Cli
{
    int exitCode = -1;
    QString out;
    QString err;
};

Cli cli(const std::vector<std::string> &args)
{
    std::ostringstream out;
    std::ostringstream err;
    CliApp app(out, err);
    Cli r;
    r.exitCode = app.run(args);
    r.out = QString::fromStdString(out.str());
    r.err = QString::fromStdString(err.str());
    return r;
}

QByteArray sha(const QString &path)
{
    return QCryptographicHash::hash(test::readAll(path), QCryptographicHash::Sha256).toHex();
}

std::string str(const QString &s) { return s.toStdString(); }

// What a hostile bundle is made of.
enum class Hostile {
    Truncated,
    TruncatedAtPage,
    NotSqlite,
    Fifo,
    Oversize,
    DotDotPath,
    AbsolutePath,
    NulInPath,
    CountsLie,
    RunsLie,
    UnknownFormatVersion,
    ManifestNotJson,
    ExperimentStore,
    FlowFileSizeLies,
    FlowFileOverLimit,
    OrphanRows,
    WalMode,
    Corrupt,
};

} // namespace

class TestRunBundle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void exportedBundleHoldsTheRuns();
    void cliExportAndShow();
    void reportsReadTheSameAfterImport();
    void readingLeavesTheFileAlone();
    void readingCommandsTakeABundle();
    void importingTwiceAddsNothing();
    void runIdsAndNamesThatClash();
    void failureDuringImportChangesNothing();
    void hostileBundlesAreRefused_data();
    void hostileBundlesAreRefused();
    void extractWritesTheFlowFiles();
    void extractRefusesSymlinksAndExistingFiles();
    void extractRefusesTamperedFiles();
    void failedExportLeavesNoFile();
    void changedFlowIsNotBundled();
    void cliUsageErrors();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    std::string store() const { return str(path(QStringLiteral("store.sqlite"))); }
    std::string bundle() const { return str(path(QStringLiteral("good.fbbundle"))); }
    RunId runId(ExperimentStore &store, const std::string &name) const;
    /// The lines and metrics CSV of the named runs, as CsvReport writes them.
    QByteArray csv(ExperimentStore &store, const std::vector<std::string> &runs);
    /// A copy of the good bundle made hostile; empty on failure.
    QString makeHostile(Hostile kind, const QString &name);

    QTemporaryDir m_dir;
    int m_csvCount = 0;
    const std::vector<std::string> m_runs = {"sample/variant_0", "sample/variant_1", "ev0"};
};

RunId TestRunBundle::runId(ExperimentStore &store, const std::string &name) const
{
    auto run = store.findRunByName(name);
    return run ? run->id : RunId{};
}

QByteArray TestRunBundle::csv(ExperimentStore &store, const std::vector<std::string> &runs)
{
    std::vector<RunId> ids;
    for (const auto &name : runs) {
        ids.push_back(runId(store, name));
    }
    const QString file = path(QStringLiteral("report-%1.csv").arg(++m_csvCount));
    auto written = CsvReport::write(store, ids, str(file));
    if (!written) {
        return QByteArray("error: ") + written.error().message.c_str();
    }
    return test::readAll(file) + "\n--\n"
           + test::readAll(QString::fromStdString(CsvReport::metricsPath(str(file))));
}

void TestRunBundle::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString flows = QStringLiteral(FB_SOURCE_DIR "/flows/");
    QVERIFY(test::copyTree(flows + QStringLiteral("classification"),
                           path(QStringLiteral("flows/classification"))));
    QVERIFY(test::copyTree(flows + QStringLiteral("classification_eval"),
                           path(QStringLiteral("flows/classification_eval"))));
    const QString store = QString::fromStdString(this->store());
    auto run = test::runCli(
        {QStringLiteral("run"), path(QStringLiteral("flows/classification")),
         QStringLiteral("--data"), path(QStringLiteral("flows/classification/data.jsonl")),
         QStringLiteral("--column-mapping"), QStringLiteral("text=${data.text}"),
         QStringLiteral("--all-variants"), QStringLiteral("--simulator"), QStringLiteral("--name"),
         QStringLiteral("sample"), QStringLiteral("--evaluator"),
         QStringLiteral("exact_match:reference=groundtruth,output=category"),
         QStringLiteral("--store"), store},
        120000);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    auto eval = test::runCli(
        {QStringLiteral("eval"), path(QStringLiteral("flows/classification_eval")),
         QStringLiteral("--run"), QStringLiteral("sample/variant_0"), QStringLiteral("--simulator"),
         QStringLiteral("--name"), QStringLiteral("ev0"), QStringLiteral("--store"), store,
         QStringLiteral("--column-mapping"), QStringLiteral("groundtruth=${data.groundtruth}"),
         QStringLiteral("prediction=${run.outputs.category}")},
        120000);
    QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
    {
        // Ratings and a metric of our own, so that every per-run table has rows.
        auto opened = ExperimentStore::open(this->store());
        QVERIFY(opened);
        const RunId v0 = runId(*opened, "sample/variant_0");
        for (int line = 0; line < 3; ++line) {
            Rating rating;
            rating.runId = v0;
            rating.lineIndex = line;
            rating.rater = "ana";
            rating.score = line % 2;
            rating.comment = "line " + std::to_string(line);
            QVERIFY(opened->addRating(rating));
        }
        QVERIFY(opened->putMetric(runId(*opened, "sample/variant_1"), "reviewed", 1));
        // Blind A/B choices between the two runs (both go) and with the evaluation run's
        // neighbour outside the bundle (stays out).
        Preference p;
        p.runA = v0;
        p.runB = runId(*opened, "sample/variant_1");
        p.rater = "bo";
        p.leftRun = p.runB;
        for (int line = 0; line < 2; ++line) {
            p.lineIndex = line;
            p.preferred = line == 0 ? std::optional<RunId>(p.runB) : std::nullopt;
            QVERIFY(opened->addPreference(p));
        }
    }
    // The two runs; the evaluation run of the first comes along.
    BundleExportOptions options;
    auto opened = ExperimentStore::open(this->store());
    QVERIFY(opened);
    options.runs = {runId(*opened, "sample/variant_0"), runId(*opened, "sample/variant_1")};
    auto manifest = BundleExporter::write(this->store(), options, bundle());
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());
}

void TestRunBundle::exportedBundleHoldsTheRuns()
{
    auto opened = RunBundle::open(bundle());
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    const BundleManifest &m = opened->manifest();
    QCOMPARE(m.formatVersion, 1);
    QCOMPARE(m.counts.runs, 3);
    QCOMPARE(m.runs.size(), std::size_t(3));
    QCOMPARE(m.runs[2].name, std::string("ev0"));
    QCOMPARE(m.runs[2].baseRunId, m.runs[0].id);
    QCOMPARE(m.counts.lines, 120);
    QCOMPARE(m.counts.scores, 80);
    QCOMPARE(m.counts.ratings, 3);
    QCOMPARE(m.counts.preferences, 2);
    QCOMPARE(m.counts.metrics, 2); // ev0's accuracy and variant_1's "reviewed"
    QCOMPARE(m.counts.flows, 2);
    QCOMPARE(m.counts.datasets, 1);
    QCOMPARE(m.counts.datasetRows, 40);
    QCOMPARE(m.flows.size(), std::size_t(2));
    for (const auto &flow : m.flows) {
        QCOMPARE(flow.files, std::string("as-run"));
    }
    QCOMPARE(m.datasets.at(0).rows, std::string("as-run"));
    QCOMPARE(m.datasets.at(0).name, std::string("data.jsonl"));

    // Every file the classification flow hashes, byte for byte.
    auto files = opened->flowFiles(FlowVersionId{m.flows[0].id});
    QVERIFY(files);
    QStringList names;
    for (const auto &f : *files) {
        names << QString::fromStdString(f.path);
        auto content = opened->flowFileContent(f.flow, f.path);
        QVERIFY(content);
        QCOMPARE(QByteArray::fromStdString(*content),
                 test::readAll(path(QStringLiteral("flows/classification/"))
                               + QString::fromStdString(f.path)));
    }
    QCOMPARE(names, QStringList({"classify.jinja2", "classify_few_shot.jinja2", "flow.dag.yaml",
                                 "parse_category.py", "preprocess.py"}));
    // The rows the lines came from, by line index.
    auto rows = opened->datasetRows(DatasetVersionId{m.datasets[0].id}, -1, 1000);
    QVERIFY(rows);
    QCOMPARE(rows->size(), std::size_t(40));
    auto store = opened->openStore();
    QVERIFY(store);
    auto line = store->line(runId(*store, "sample/variant_0"), 7);
    QVERIFY(line);
    QCOMPARE((*rows)[7].index, 7);
    QVERIFY(line->inputs["text"] == (*rows)[7].row["text"]);
}

void TestRunBundle::cliExportAndShow()
{
    const std::string file = str(path(QStringLiteral("cli.fbbundle")));
    auto exported = cli({"bundle", "export", "--store", store(), "--run", "sample/variant_1",
                         "--run", "#1", "-o", file});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    QVERIFY2(exported.out.contains(QStringLiteral("3 runs, 120 lines, 8 flow files, 40 dataset")),
             qPrintable(exported.out));

    auto shown = cli({"bundle", "show", file});
    QVERIFY2(shown.exitCode == 0, qPrintable(shown.err));
    for (const char *expected :
         {"sample/variant_0", "sample/variant_1", "ev0 (eval of 1)", "classification_eval",
          "accuracy=", "files as-run", "rows as-run", "holds 120 lines"}) {
        QVERIFY2(shown.out.contains(QLatin1String(expected)),
                 qPrintable(QLatin1String(expected) + QLatin1String(" not in:\n") + shown.out));
    }
    auto json = cli({"bundle", "show", file, "--json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject doc = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(doc[QStringLiteral("format")].toString(), QStringLiteral("flowbench-run-bundle"));
    QCOMPARE(doc[QStringLiteral("counts")][QStringLiteral("lines")].toInt(), 120);
    QVERIFY(doc[QStringLiteral("file_bytes")].toInteger() > 0);
    const QJsonArray details = doc[QStringLiteral("run_details")].toArray();
    QCOMPARE(details.size(), 3);
    QCOMPARE(details[2][QStringLiteral("metrics")][QStringLiteral("accuracy")].toDouble() > 0,
             true);
    QCOMPARE(details[0][QStringLiteral("completed_lines")].toInt(), 40);

    // An experiment's runs by its name.
    auto byExperiment = cli({"bundle", "export", "--store", store(), "--experiment", "sample", "-o",
                             str(path(QStringLiteral("experiment.fbbundle")))});
    QVERIFY2(byExperiment.exitCode == 0, qPrintable(byExperiment.err));
    QVERIFY(byExperiment.out.contains(QStringLiteral("3 runs")));
    QVERIFY(cli({"help"}).out.contains(QStringLiteral("bundle export|show|import|extract")));
}

void TestRunBundle::reportsReadTheSameAfterImport()
{
    auto source = ExperimentStore::open(store());
    QVERIFY(source);
    const QByteArray before = csv(*source, m_runs);
    QVERIFY2(before.count('\n') > 120, before.constData());

    // The bundle read as a store, and a fresh store it was imported into, report the same.
    auto opened = RunBundle::open(bundle());
    QVERIFY(opened);
    auto inBundle = opened->openStore();
    QVERIFY(inBundle);
    QCOMPARE(csv(*inBundle, m_runs), before);

    const std::string fresh = str(path(QStringLiteral("fresh.sqlite")));
    auto report = BundleImporter::import(*opened, fresh);
    QVERIFY2(report, report ? "" : report.error().message.c_str());
    QCOMPARE(report->runs.size(), std::size_t(3));
    QCOMPARE(report->lines, 120);
    QCOMPARE(report->scores, 80);
    QCOMPARE(report->ratings, 3);
    QCOMPARE(report->preferences, 2);
    QCOMPARE(report->metrics, 2);
    auto imported = ExperimentStore::open(fresh);
    QVERIFY(imported);
    {
        // The choices follow the runs' new ids: variant_1 was chosen and shown left.
        const RunId v0 = runId(*imported, "sample/variant_0");
        const RunId v1 = runId(*imported, "sample/variant_1");
        auto prefs = imported->preferences(v0, v1);
        QVERIFY(prefs);
        QCOMPARE(prefs->size(), std::size_t(2));
        QCOMPARE(*(*prefs)[0].preferred, v1);
        QCOMPARE((*prefs)[0].leftRun, v1);
        QVERIFY(!(*prefs)[1].preferred);
        QCOMPARE((*prefs)[1].rater, std::string("bo"));
    }
    QCOMPARE(csv(*imported, m_runs), before);

    // What the CSV does not show: node results, LLM calls and ratings.
    for (const auto &name : m_runs) {
        const RunId a = runId(*source, name);
        const RunId b = runId(*imported, name);
        auto callsA = source->llmCalls(a);
        auto callsB = imported->llmCalls(b);
        QVERIFY(callsA && callsB);
        QCOMPARE(callsB->size(), callsA->size());
        auto lineA = source->line(a, 5);
        auto lineB = imported->line(b, 5);
        QVERIFY(lineA && lineB);
        QCOMPARE(lineB->nodes.size(), lineA->nodes.size());
        QVERIFY(lineB->nodes.at(0).output == lineA->nodes.at(0).output);
        auto ratingsA = source->ratings(a);
        auto ratingsB = imported->ratings(b);
        QVERIFY(ratingsA && ratingsB);
        QCOMPARE(ratingsB->size(), ratingsA->size());
        for (std::size_t i = 0; i < ratingsA->size(); ++i) {
            QCOMPARE((*ratingsB)[i].comment, (*ratingsA)[i].comment);
            QCOMPARE((*ratingsB)[i].createdAtMs, (*ratingsA)[i].createdAtMs);
            QVERIFY((*ratingsB)[i].score == (*ratingsA)[i].score);
        }
        auto runA = source->run(a);
        auto runB = imported->run(b);
        QVERIFY(runA && runB);
        QCOMPARE(runB->createdAtMs, runA->createdAtMs);
        QVERIFY(runB->variants == runA->variants);
    }
    auto ev0 = imported->findRunByName("ev0");
    QVERIFY(ev0 && ev0->baseRunId);
    QCOMPARE(*ev0->baseRunId, runId(*imported, "sample/variant_0"));
}

void TestRunBundle::readingLeavesTheFileAlone()
{
    const QString file = QString::fromStdString(bundle());
    const QByteArray before = sha(file);
    {
        auto opened = RunBundle::open(bundle());
        QVERIFY(opened);
        auto store = opened->openStore();
        QVERIFY(store);
        QVERIFY(!csv(*store, m_runs).startsWith("error"));
        // A write through the read-only store fails and names the file.
        auto written = store->putMetric(runId(*store, "ev0"), "x", 1);
        QVERIFY(!written);
        QVERIFY(written.error().message.find(bundle()) == 0);
        QVERIFY(BundleImporter::import(*opened, str(path(QStringLiteral("alone.sqlite")))));
        QCOMPARE(cli({"bundle", "show", bundle()}).exitCode, 0);
    }
    QCOMPARE(sha(file), before);
    for (const char *suffix : {"-journal", "-wal", "-shm"}) {
        QVERIFY2(!QFile::exists(file + QLatin1String(suffix)), suffix);
    }
    // Nor may a bundle be opened as a store by mistake (which would switch it to WAL).
    auto asStore = ExperimentStore::open(bundle());
    QVERIFY(!asStore);
    QVERIFY2(asStore.error().message.find("not a Flowbench experiment store") != std::string::npos,
             asStore.error().message.c_str());
    QCOMPARE(sha(file), before);
}

void TestRunBundle::readingCommandsTakeABundle()
{
    // runs, report, compare and agreement read a bundle given as --store, read-only.
    const QString file = QString::fromStdString(bundle());
    const QByteArray before = sha(file);
    auto runs = cli({"runs", "--store", bundle()});
    QVERIFY2(runs.exitCode == 0, qPrintable(runs.err));
    QVERIFY(runs.out.contains(QStringLiteral("sample/variant_1")));
    const std::string fromBundle = str(path(QStringLiteral("from-bundle.csv")));
    const std::string fromStore = str(path(QStringLiteral("from-store.csv")));
    auto reported = cli({"report", "sample/variant_0", "sample/variant_1", "ev0", "--store",
                         bundle(), "-o", fromBundle});
    QVERIFY2(reported.exitCode == 0, qPrintable(reported.err));
    QCOMPARE(cli({"report", "sample/variant_0", "sample/variant_1", "ev0", "--store", store(), "-o",
                  fromStore})
                 .exitCode,
             0);
    QCOMPARE(test::readAll(QString::fromStdString(fromBundle)),
             test::readAll(QString::fromStdString(fromStore)));
    auto compared = cli({"compare", "sample/variant_0", "sample/variant_1", "--store", bundle()});
    QVERIFY2(compared.exitCode == 0, qPrintable(compared.err));
    auto agreement = cli({"agreement", "--run", "sample/variant_0", "--store", bundle()});
    QVERIFY2(agreement.exitCode == 0, qPrintable(agreement.err));
    QVERIFY2(agreement.out.contains(QStringLiteral("Agreement on run 'sample/variant_0': 1 rater")),
             qPrintable(agreement.out));
    QCOMPARE(sha(file), before);
    // A damaged bundle is refused there too.
    const QString hostile = makeHostile(Hostile::CountsLie, QStringLiteral("lying.fbbundle"));
    auto refused = cli({"runs", "--store", str(hostile)});
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains(QStringLiteral("counts.lines")), qPrintable(refused.err));
}

void TestRunBundle::importingTwiceAddsNothing()
{
    const std::string target = str(path(QStringLiteral("twice.sqlite")));
    auto first = cli({"bundle", "import", bundle(), "--store", target});
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY2(first.out.contains(QStringLiteral("imported 3 of 3 runs")), qPrintable(first.out));
    const auto counts = [&] {
        test::RawSqlite raw(target);
        return std::vector<std::int64_t>{raw.integer("SELECT count(*) FROM runs"),
                                         raw.integer("SELECT count(*) FROM lines"),
                                         raw.integer("SELECT count(*) FROM scores"),
                                         raw.integer("SELECT count(*) FROM ratings"),
                                         raw.integer("SELECT count(*) FROM metrics"),
                                         raw.integer("SELECT count(*) FROM flows"),
                                         raw.integer("SELECT count(*) FROM datasets"),
                                         raw.integer("SELECT count(*) FROM experiments")};
    };
    const auto once = counts();
    QCOMPARE(once, (std::vector<std::int64_t>{3, 120, 80, 3, 2, 2, 1, 1}));

    auto second = cli({"bundle", "import", bundle(), "--store", target});
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QVERIFY2(second.out.contains(QStringLiteral("imported 0 of 3 runs")), qPrintable(second.out));
    QVERIFY(second.out.contains(QStringLiteral("already in the store: skipped")));
    QCOMPARE(counts(), once);

    // Another bundle of the same runs (written later) is the same runs too.
    auto again
        = cli({"bundle", "import", str(path(QStringLiteral("cli.fbbundle"))), "--store", target});
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(counts(), once);

    auto refused = cli({"bundle", "import", bundle(), "--store", target, "--refuse-present"});
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains(QStringLiteral("already holds run 'sample/variant_0'")),
             qPrintable(refused.err));
    QCOMPARE(counts(), once);
}

void TestRunBundle::runIdsAndNamesThatClash()
{
    // A store whose ids 1 and 2 are other runs, one of them named like a bundled run.
    const std::string target = str(path(QStringLiteral("clash.sqlite")));
    {
        auto store = ExperimentStore::open(target);
        QVERIFY(store);
        auto flow = store->internFlow("other-hash", "other", "elsewhere", "{}");
        QVERIFY(flow);
        for (const char *name : {"sample/variant_0", "mine"}) {
            RunSpec spec;
            spec.name = name;
            spec.flowId = *flow;
            QVERIFY(store->createRun(spec));
        }
    }
    auto opened = RunBundle::open(bundle());
    QVERIFY(opened);
    auto report = BundleImporter::import(*opened, target);
    QVERIFY2(report, report ? "" : report.error().message.c_str());
    QCOMPARE(report->runs.size(), std::size_t(3));
    QCOMPARE(report->runs[0].name, std::string("sample/variant_0-imported"));
    QVERIFY(report->runs[0].renamed);
    QCOMPARE(report->runs[0].bundleId, RunId{1});
    QCOMPARE(report->runs[0].storeId, RunId{3});
    QCOMPARE(report->runs[1].storeId, RunId{4});
    QCOMPARE(report->runs[2].storeId, RunId{5});

    auto store = ExperimentStore::open(target);
    QVERIFY(store);
    auto mine = store->findRunByName("sample/variant_0");
    QVERIFY(mine);
    QCOMPARE(mine->id, RunId{1});
    QCOMPARE(mine->flowName, std::string("other"));
    auto lineCount = store->lineCount(RunId{1});
    QVERIFY(lineCount);
    QCOMPARE(*lineCount, 0);
    auto ev0 = store->findRunByName("ev0");
    QVERIFY(ev0 && ev0->baseRunId);
    QCOMPARE(*ev0->baseRunId, RunId{3});
    // The renamed run's lines are the bundled run's.
    auto inBundle = opened->openStore();
    QVERIFY(inBundle);
    auto a = inBundle->lines(RunId{1}, 0, 100);
    auto b = store->lines(RunId{3}, 0, 100);
    QVERIFY(a && b);
    QCOMPARE(b->size(), a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
        QVERIFY((*b)[i].outputs == (*a)[i].outputs);
        QVERIFY((*b)[i].durationMs == (*a)[i].durationMs);
        QCOMPARE((*b)[i].runId, RunId{3});
    }
    // Importing again is still recognised, renamed or not.
    auto again = BundleImporter::import(*opened, target);
    QVERIFY(again);
    for (const auto &r : again->runs) {
        QVERIFY(r.skipped);
    }
    QCOMPARE(again->runs[0].storeId, RunId{3});
}

void TestRunBundle::failureDuringImportChangesNothing()
{
    // The store refuses the ratings, which come last: runs, versions and lines are written by
    // then and must be rolled back.
    const std::string target = str(path(QStringLiteral("failing.sqlite")));
    {
        auto store = ExperimentStore::open(target);
        QVERIFY(store);
        auto flow = store->internFlow("kept-hash", "kept", "kept", "{}");
        QVERIFY(flow);
        RunSpec spec;
        spec.name = "kept";
        spec.flowId = *flow;
        QVERIFY(store->createRun(spec));
    }
    {
        test::RawSqlite raw(target);
        QVERIFY(raw.exec("CREATE TRIGGER frozen BEFORE INSERT ON ratings "
                         "BEGIN SELECT RAISE(ABORT, 'ratings are frozen'); END"));
    }
    const auto counts = [&] {
        test::RawSqlite raw(target);
        std::string all;
        for (const char *table : {"runs", "flows", "datasets", "experiments", "lines",
                                  "node_results", "llm_calls", "scores", "metrics", "ratings"}) {
            all += std::to_string(raw.integer(std::string("SELECT count(*) FROM ") + table)) + " ";
        }
        return all;
    };
    const std::string before = counts();
    QCOMPARE(before, std::string("1 1 0 0 0 0 0 0 0 0 "));
    auto opened = RunBundle::open(bundle());
    QVERIFY(opened);
    auto report = BundleImporter::import(*opened, target);
    QVERIFY(!report);
    QVERIFY2(report.error().message.find("ratings are frozen") != std::string::npos,
             report.error().message.c_str());
    QVERIFY2(report.error().message.find(bundle()) != std::string::npos,
             report.error().message.c_str());
    QCOMPARE(counts(), before);
    test::RawSqlite raw(target);
    QCOMPARE(raw.text("PRAGMA integrity_check"), std::string("ok"));
}

void TestRunBundle::hostileBundlesAreRefused_data()
{
    QTest::addColumn<Hostile>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("truncated") << Hostile::Truncated << QStringLiteral("truncated");
    QTest::newRow("truncated-at-page")
        << Hostile::TruncatedAtPage << QStringLiteral("truncated: the file has");
    QTest::newRow("not-sqlite") << Hostile::NotSqlite << QStringLiteral("not a SQLite file");
    QTest::newRow("fifo") << Hostile::Fifo << QStringLiteral("FIFO");
    QTest::newRow("oversize") << Hostile::Oversize << QStringLiteral("larger than the limit");
    QTest::newRow("dotdot-path") << Hostile::DotDotPath
                                 << QStringLiteral("'../../etc/x' (bundle_flow_files.path): a "
                                                   "path that leaves the flow folder");
    QTest::newRow("absolute-path") << Hostile::AbsolutePath
                                   << QStringLiteral("'/etc/passwd' (bundle_flow_files.path): "
                                                     "an absolute path");
    QTest::newRow("nul-in-path") << Hostile::NulInPath << QStringLiteral("a path with a NUL byte");
    QTest::newRow("counts-lie") << Hostile::CountsLie
                                << QStringLiteral("manifest field 'counts.lines' says 119, the "
                                                  "bundle holds 120");
    QTest::newRow("runs-lie") << Hostile::RunsLie
                              << QStringLiteral("manifest field 'runs[1]' names run 2 'renamed'");
    QTest::newRow("unknown-format-version")
        << Hostile::UnknownFormatVersion << QStringLiteral("bundle format version '99'");
    QTest::newRow("manifest-not-json")
        << Hostile::ManifestNotJson << QStringLiteral("the manifest is not a JSON object");
    QTest::newRow("experiment-store")
        << Hostile::ExperimentStore << QStringLiteral("not a Flowbench run bundle");
    QTest::newRow("flow-file-size-lies")
        << Hostile::FlowFileSizeLies << QStringLiteral("bundle_flow_files.size says");
    QTest::newRow("flow-file-over-limit")
        << Hostile::FlowFileOverLimit << QStringLiteral("larger than the limit of 100 bytes");
    QTest::newRow("orphan-rows") << Hostile::OrphanRows
                                 << QStringLiteral("table 'metrics' has rows that refer to "
                                                   "missing 'runs' rows");
    QTest::newRow("wal-mode") << Hostile::WalMode << QStringLiteral("WAL mode");
    QTest::newRow("corrupt") << Hostile::Corrupt << QStringLiteral("damaged");
}

QString TestRunBundle::makeHostile(Hostile kind, const QString &name)
{
    const QString file = path(name);
    QFile::remove(file);
    const QByteArray good = test::readAll(QString::fromStdString(bundle()));
    const auto writeBytes = [&](const QByteArray &bytes) {
        QFile f(file);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    const auto edit = [&](const std::string &sql) {
        if (!writeBytes(good)) {
            return false;
        }
        test::RawSqlite raw(str(file));
        return raw.exec(sql);
    };
    bool ok = false;
    switch (kind) {
    case Hostile::Truncated:
        ok = writeBytes(good.left(good.size() / 2 + 100));
        break;
    case Hostile::TruncatedAtPage: // a whole number of pages: only the header's count tells
        ok = writeBytes(good.left(8 * ((quint8(good[16]) << 8) | quint8(good[17]))));
        break;
    case Hostile::NotSqlite:
        ok = writeBytes(QByteArray("this is not a bundle\n").repeated(100));
        break;
    case Hostile::Fifo:
        ok = ::mkfifo(file.toLocal8Bit().constData(), 0600) == 0;
        break;
    case Hostile::Oversize:
    case Hostile::FlowFileOverLimit:
        ok = writeBytes(good);
        break;
    case Hostile::DotDotPath:
        ok = edit("UPDATE bundle_flow_files SET path = '../../etc/x' WHERE path = "
                  "'classify.jinja2'");
        break;
    case Hostile::AbsolutePath:
        ok = edit("UPDATE bundle_flow_files SET path = '/etc/passwd' WHERE path = "
                  "'classify.jinja2'");
        break;
    case Hostile::NulInPath:
        ok = edit("UPDATE bundle_flow_files SET path = CAST(X'612F00622E747874' AS TEXT) "
                  "WHERE path = 'classify.jinja2'");
        break;
    case Hostile::CountsLie:
        ok = edit("UPDATE bundle_manifest SET value = json_set(value, '$.counts.lines', 119) "
                  "WHERE key = 'manifest'");
        break;
    case Hostile::RunsLie:
        ok = edit("UPDATE bundle_manifest SET value = json_set(value, '$.runs[1].name', "
                  "'renamed') WHERE key = 'manifest'");
        break;
    case Hostile::UnknownFormatVersion:
        ok = edit("UPDATE bundle_manifest SET value = '99' WHERE key = 'format_version'");
        break;
    case Hostile::ManifestNotJson:
        ok = edit("UPDATE bundle_manifest SET value = '{\"format\": ' WHERE key = 'manifest'");
        break;
    case Hostile::ExperimentStore: {
        auto store = ExperimentStore::open(str(file));
        ok = store && store->internFlow("h", "f", "p", "{}");
        break;
    }
    case Hostile::FlowFileSizeLies:
        ok = edit("UPDATE bundle_flow_files SET size = size + 1 WHERE path = 'flow.dag.yaml'");
        break;
    case Hostile::OrphanRows:
        ok = edit("INSERT INTO metrics(run_id, name, value) VALUES(999, 'ghost', 1); "
                  "UPDATE bundle_manifest SET value = json_set(value, '$.counts.metrics', 3) "
                  "WHERE key = 'manifest'");
        break;
    case Hostile::WalMode: {
        QByteArray bytes = good;
        bytes[18] = 2;
        bytes[19] = 2;
        ok = writeBytes(bytes);
        break;
    }
    case Hostile::Corrupt: {
        // Garbage over the second page (a b-tree page of the schema's first tables).
        QByteArray bytes = good;
        const int pageSize = (quint8(bytes[16]) << 8) | quint8(bytes[17]);
        for (int i = pageSize; i < 2 * pageSize; ++i) {
            bytes[i] = char(0x5A ^ (i * 7));
        }
        ok = writeBytes(bytes);
        break;
    }
    }
    return ok ? file : QString();
}

void TestRunBundle::hostileBundlesAreRefused()
{
    QFETCH(Hostile, kind);
    QFETCH(QString, expected);
    const QString file = makeHostile(kind, QStringLiteral("hostile.fbbundle"));
    QVERIFY(!file.isEmpty());
    BundleLimits limits;
    std::vector<std::string> limitArgs;
    if (kind == Hostile::Oversize) {
        limits.maxBundleBytes = 64 * 1024;
        limitArgs = {"--max-size", "65536"};
    }
    if (kind == Hostile::FlowFileOverLimit) {
        limits.maxFlowFileBytes = 100;
    }
    QElapsedTimer timer;
    timer.start();
    auto opened = RunBundle::open(str(file), limits);
    QVERIFY(timer.elapsed() < 5000); // a FIFO is not waited on
    QVERIFY(!opened);
    const QString message = QString::fromStdString(opened.error().message);
    QVERIFY2(message.contains(file), qPrintable(message));
    QVERIFY2(message.contains(expected), qPrintable(message));
    if (kind == Hostile::FlowFileOverLimit) {
        return; // only a lowered limit refuses it
    }

    // The CLI says the same, and the store it was to go into is not touched.
    const QString target = path(QStringLiteral("untouched.sqlite"));
    if (!QFile::exists(target)) {
        auto store = ExperimentStore::open(str(target));
        QVERIFY(store && store->internFlow("kept", "kept", "kept", "{}"));
    }
    const QByteArray before = sha(target);
    std::vector<std::string> args = {"bundle", "import", str(file), "--store", str(target)};
    args.insert(args.end(), limitArgs.begin(), limitArgs.end());
    auto imported = cli(args);
    QCOMPARE(imported.exitCode, 1);
    QVERIFY2(imported.err.contains(file) && imported.err.contains(expected),
             qPrintable(imported.err));
    QCOMPARE(sha(target), before);
    args = {"bundle", "show", str(file)};
    args.insert(args.end(), limitArgs.begin(), limitArgs.end());
    auto shown = cli(args);
    QCOMPARE(shown.exitCode, 1);
    QVERIFY2(shown.err.contains(expected), qPrintable(shown.err));
    const QString extractDir = path(QStringLiteral("hostile-extract"));
    args = {"bundle", "extract", str(file), "--flow-dir", str(extractDir)};
    args.insert(args.end(), limitArgs.begin(), limitArgs.end());
    auto extracted = cli(args);
    QVERIFY(extracted.exitCode != 0);
    QVERIFY(!QFile::exists(extractDir));
    QVERIFY(!QFile::exists(QStringLiteral("/etc/x")));
}

void TestRunBundle::extractWritesTheFlowFiles()
{
    const QString dir = path(QStringLiteral("extracted"));
    auto extracted = cli({"bundle", "extract", bundle(), "--flow-dir", str(dir)});
    QVERIFY2(extracted.exitCode == 0, qPrintable(extracted.err));
    QVERIFY2(extracted.out.contains(QStringLiteral("wrote 8 flow files")),
             qPrintable(extracted.out));
    for (const char *file : {"classify.jinja2", "flow.dag.yaml", "parse_category.py"}) {
        QCOMPARE(
            test::readAll(dir + QStringLiteral("/1-classification/") + QLatin1String(file)),
            test::readAll(path(QStringLiteral("flows/classification/")) + QLatin1String(file)));
    }
    QCOMPARE(test::readAll(dir + QStringLiteral("/2-classification_eval/grade.py")),
             test::readAll(path(QStringLiteral("flows/classification_eval/grade.py"))));
}

void TestRunBundle::extractRefusesSymlinksAndExistingFiles()
{
    auto opened = RunBundle::open(bundle());
    QVERIFY(opened);
    // A flow folder that is a link to somewhere else: nothing is written there.
    const QString dir = path(QStringLiteral("linked"));
    const QString outside = path(QStringLiteral("outside"));
    QVERIFY(QDir().mkpath(dir) && QDir().mkpath(outside));
    QVERIFY(QFile::link(outside, dir + QStringLiteral("/1-classification")));
    auto through = opened->extractFlows(str(dir));
    QVERIFY(!through);
    QVERIFY2(through.error().message.find("is a symbolic link") != std::string::npos,
             through.error().message.c_str());
    QVERIFY(QDir(outside).isEmpty());
    QVERIFY(!QFile::exists(dir + QStringLiteral("/2-classification_eval")));

    // A file that is a link (to a file outside) is not written through either.
    const QString flowDir = path(QStringLiteral("filelink"));
    QVERIFY(QDir().mkpath(flowDir));
    const QString victim = outside + QStringLiteral("/victim.txt");
    {
        QFile f(victim);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep");
    }
    QVERIFY(QFile::link(victim, flowDir + QStringLiteral("/flow.dag.yaml")));
    auto fileLink = opened->extractFlow(FlowVersionId{1}, str(flowDir), true);
    QVERIFY(!fileLink);
    QCOMPARE(test::readAll(victim), QByteArray("keep"));

    // Existing files are kept unless asked.
    const QString again = path(QStringLiteral("extracted"));
    auto kept = opened->extractFlows(str(again));
    QVERIFY(!kept);
    QVERIFY2(kept.error().message.find("exists; not overwriting it") != std::string::npos,
             kept.error().message.c_str());
    auto replaced = opened->extractFlows(str(again), true);
    QVERIFY(replaced);
    QCOMPARE(replaced->size(), std::size_t(8));
}

void TestRunBundle::extractRefusesTamperedFiles()
{
    // Same size, other bytes: the bundle opens, but the file is not written out.
    const QString file = path(QStringLiteral("tampered.fbbundle"));
    QVERIFY(QFile::copy(QString::fromStdString(bundle()), file));
    {
        test::RawSqlite raw(str(file));
        // The last file of the first flow: nothing before it may be written either.
        QVERIFY(raw.exec("UPDATE bundle_flow_files SET content = CAST(upper(content) AS BLOB) "
                         "WHERE path = 'preprocess.py'"));
    }
    auto opened = RunBundle::open(str(file));
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    const QString dir = path(QStringLiteral("tampered"));
    auto extracted = opened->extractFlows(str(dir));
    QVERIFY(!extracted);
    QVERIFY2(extracted.error().message.find("'preprocess.py': its bytes do not match its "
                                            "SHA-256")
                 != std::string::npos,
             extracted.error().message.c_str());
    QVERIFY(!QFile::exists(dir));
}

void TestRunBundle::failedExportLeavesNoFile()
{
    const QString file = path(QStringLiteral("kept.fbbundle"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep");
    }
    BundleExportOptions options;
    options.runs = {RunId{999}};
    auto unknown = BundleExporter::write(store(), options, str(file));
    QVERIFY(!unknown);
    QVERIFY2(unknown.error().message.find("no run 999") != std::string::npos,
             unknown.error().message.c_str());
    QCOMPARE(test::readAll(file), QByteArray("keep"));

    options.runs = {RunId{1}};
    options.limits.maxBundleBytes = 16 * 1024;
    auto tooBig = BundleExporter::write(store(), options, str(file));
    QVERIFY(!tooBig);
    QVERIFY2(tooBig.error().message.find("size limit") != std::string::npos,
             tooBig.error().message.c_str());
    QCOMPARE(test::readAll(file), QByteArray("keep"));
    const QStringList left = QDir(m_dir.path()).entryList({QStringLiteral("kept.fbbundle*")});
    QCOMPARE(left, QStringList{QStringLiteral("kept.fbbundle")});

    auto missingStore
        = BundleExporter::write(str(path(QStringLiteral("none.sqlite"))), options, str(file));
    QVERIFY(!missingStore);
    QVERIFY(!QFile::exists(path(QStringLiteral("none.sqlite"))));
}

void TestRunBundle::changedFlowIsNotBundled()
{
    // A template edited after the runs: its folder no longer is the version that ran, so its
    // files are left out (the manifest says why); the eval flow's files are still bundled.
    const QString templ = path(QStringLiteral("flows/classification/classify.jinja2"));
    const QByteArray original = test::readAll(templ);
    {
        QFile f(templ);
        QVERIFY(f.open(QIODevice::Append));
        f.write("\n{# edited #}\n");
    }
    BundleExportOptions options;
    options.runs = {RunId{2}};
    const std::string file = str(path(QStringLiteral("changed.fbbundle")));
    auto manifest = BundleExporter::write(store(), options, file);
    {
        QFile f(templ);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(original);
    }
    QVERIFY2(manifest, manifest ? "" : manifest.error().message.c_str());
    QCOMPARE(manifest->counts.runs, 1);
    QCOMPARE(manifest->flows.size(), std::size_t(1));
    QCOMPARE(manifest->flows[0].files, std::string("changed"));
    QVERIFY(manifest->flows[0].note.find("has changed") != std::string::npos);
    QCOMPARE(manifest->counts.flowFiles, 0);
    QCOMPARE(manifest->datasets.at(0).rows, std::string("as-run"));
    QVERIFY(RunBundle::open(file));
}

void TestRunBundle::cliUsageErrors()
{
    QCOMPARE(cli({"bundle"}).exitCode, 2);
    QCOMPARE(cli({"bundle", "frobnicate"}).exitCode, 2);
    auto noOutput = cli({"bundle", "export", "--store", store(), "--run", "ev0"});
    QCOMPARE(noOutput.exitCode, 2);
    auto unknownRun = cli({"bundle", "export", "--store", store(), "--run", "nope", "-o",
                           str(path(QStringLiteral("x.fbbundle")))});
    QCOMPARE(unknownRun.exitCode, 2);
    QVERIFY2(unknownRun.err.contains(QStringLiteral("no run 'nope'")), qPrintable(unknownRun.err));
    auto noStore = cli({"bundle", "export", "--store", str(path(QStringLiteral("nope.sqlite"))),
                        "--run", "x", "-o", str(path(QStringLiteral("x.fbbundle")))});
    QCOMPARE(noStore.exitCode, 4);
    auto missing = cli({"bundle", "show", str(path(QStringLiteral("missing.fbbundle")))});
    QCOMPARE(missing.exitCode, 4);
    QVERIFY2(missing.err.contains(QStringLiteral("missing.fbbundle")), qPrintable(missing.err));
    auto badSize = cli({"bundle", "show", bundle(), "--max-size", "lots"});
    QCOMPARE(badSize.exitCode, 2);
    QCOMPARE(cli({"bundle", "show", "--help"}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestRunBundle)
#include "tst_runbundle.moc"
