// ExperimentStore: schema migrations, refusal of foreign files, content addressing, the run
// lifecycle, line paging, metrics and ratings. Every test ends with `PRAGMA integrity_check`.
#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <tests/core/store/rawsqlite.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <thread>

using namespace fb;

namespace {

FlowVersionId makeFlow(ExperimentStore &store, const std::string &hash = "h1")
{
    auto id = store.internFlow(hash, "flow-" + hash, "flows/" + hash, "{\"nodes\":[]}");
    return id ? *id : FlowVersionId{};
}

RunSpec specFor(FlowVersionId flow, const std::string &name)
{
    RunSpec spec;
    spec.name = name;
    spec.flowId = flow;
    spec.totalLines = 10;
    return spec;
}

// Equal arrays, NaN equal to NaN.
bool sameFloats(const std::vector<float> &a, const std::vector<float> &b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](float x, float y) {
               return x == y || (std::isnan(x) && std::isnan(y));
           });
}

LineRecord lineFor(RunId run, std::int64_t index, const std::string &status)
{
    LineRecord line;
    line.runId = run;
    line.lineIndex = index;
    line.status = status;
    line.inputs = Value{{"question", "q" + std::to_string(index)}};
    line.outputs = Value{{"answer", index}};
    line.durationMs = 1.5;
    return line;
}

} // namespace

class TestExperimentStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createsSchemaFromEmpty();
    void reopenIsIdempotent();
    void refusesNewerVersion();
    void refusesForeignFile_data();
    void refusesForeignFile();
    void refusesUnopenablePath();
    void internFlow_data();
    void internFlow();
    void internDataset();
    void runLifecycle();
    void createRunErrors_data();
    void createRunErrors();
    void runSummaryFields();
    void linesPagingAndCompleted();
    void lineDetail();
    void metricsAndRatings();
    void ratingKindsAreCheckedAndUndone();
    void preferencesAreOrderedAndChecked();
    void migratesVersionThreeRatings();
    void scoresAndBulkCalls();
    void rewrittenLineReplacesScores();
    void lineAndScoreKeys();
    void narrowReaders();
    void linesAtInAskedOrder();
    void interruptCancelsRunningQuery();
    void responseCache();
    void migratesVersionOneFile();
    void migratesVersionTwoCalls();
    void openReadOnly();
    void refusesOtherApplicationId();

private:
    std::string storePath() const { return (m_dir->path() + "/store.db").toStdString(); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestExperimentStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestExperimentStore::cleanup()
{
    // Whatever a test did, a store it left behind must be a sound SQLite file.
    if (QFile::exists(QString::fromStdString(storePath()))) {
        auto store = ExperimentStore::open(storePath());
        if (store) {
            auto check = store->integrityCheck();
            QVERIFY(check);
            QCOMPARE(*check, std::string("ok"));
        }
    }
    m_dir.reset();
}

void TestExperimentStore::createsSchemaFromEmpty()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY2(store, store ? "" : store.error().message.c_str());
    QVERIFY(ExperimentStore::schemaVersion() >= 1);

    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("PRAGMA user_version"), ExperimentStore::schemaVersion());
    QCOMPARE(raw.text("PRAGMA journal_mode"), std::string("wal"));
    for (const char *table : {"flows", "datasets", "experiments", "runs", "lines", "node_results",
                              "llm_calls", "metrics", "ratings"}) {
        QCOMPARE(raw.integer(std::string("SELECT count(*) FROM sqlite_master WHERE type='table' "
                                         "AND name='")
                             + table + "'"),
                 1);
    }
}

void TestExperimentStore::reopenIsIdempotent()
{
    RunId run;
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        auto id = store->createRun(specFor(makeFlow(*store), "first"));
        QVERIFY(id);
        run = *id;
    }
    for (int i = 0; i < 3; ++i) {
        auto store = ExperimentStore::open(storePath());
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        auto found = store->run(run);
        QVERIFY(found);
        QCOMPARE(found->name, std::string("first"));
        auto all = store->runs();
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t(1));
    }
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("PRAGMA user_version"), ExperimentStore::schemaVersion());
}

void TestExperimentStore::refusesNewerVersion()
{
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
    }
    const int newer = ExperimentStore::schemaVersion() + 1;
    {
        test::RawSqlite raw(storePath());
        QVERIFY(raw.exec("PRAGMA user_version=" + std::to_string(newer)));
    }
    auto store = ExperimentStore::open(storePath());
    QVERIFY(!store);
    QCOMPARE(store.error().code, ErrorCode::Unsupported);
    const std::string &message = store.error().message;
    QVERIFY2(message.find(storePath()) != std::string::npos, message.c_str());
    QVERIFY2(message.find("newer") != std::string::npos, message.c_str());
    QVERIFY2(message.find(std::to_string(newer)) != std::string::npos, message.c_str());

    auto writer = StoreWriter::open(storePath());
    QVERIFY(!writer);
    QCOMPARE(writer.error().code, ErrorCode::Unsupported);
}

void TestExperimentStore::refusesForeignFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("text") << QByteArray("this is not a database\n").repeated(300);
    QTest::newRow("json") << QByteArray(R"({"runs":[1,2,3]})").repeated(500);
    QTest::newRow("png-header") << (QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(8000, 'x'));
    QTest::newRow("almost-sqlite-header")
        << (QByteArray("SQLite format 2\0", 16) + QByteArray(4080, '\x01'));
}

void TestExperimentStore::refusesForeignFile()
{
    QFETCH(QByteArray, content);
    const QString path = m_dir->path() + "/notes.db";
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), qint64(content.size()));
    }
    auto store = ExperimentStore::open(path.toStdString());
    QVERIFY(!store);
    const std::string &message = store.error().message;
    QVERIFY2(message.find(path.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find("not a Flowbench experiment store") != std::string::npos,
             message.c_str());
    // The file is left as it was.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), content);
}

void TestExperimentStore::refusesUnopenablePath()
{
    const std::string path = (m_dir->path() + "/missing/dir/store.db").toStdString();
    auto store = ExperimentStore::open(path);
    QVERIFY(!store);
    QVERIFY2(store.error().message.find(path) != std::string::npos, store.error().message.c_str());
}

void TestExperimentStore::internFlow_data()
{
    QTest::addColumn<QString>("hashA");
    QTest::addColumn<QString>("nameA");
    QTest::addColumn<QString>("hashB");
    QTest::addColumn<QString>("nameB");
    QTest::addColumn<bool>("sameVersion");
    QTest::newRow("same-hash-same-name") << "abc"
                                         << "qa"
                                         << "abc"
                                         << "qa" << true;
    QTest::newRow("same-hash-renamed") << "abc"
                                       << "qa"
                                       << "abc"
                                       << "qa-copy" << true;
    QTest::newRow("content-changed") << "abc"
                                     << "qa"
                                     << "abd"
                                     << "qa" << false;
    QTest::newRow("hash-case-differs") << "abc"
                                       << "qa"
                                       << "ABC"
                                       << "qa" << false;
}

void TestExperimentStore::internFlow()
{
    QFETCH(QString, hashA);
    QFETCH(QString, nameA);
    QFETCH(QString, hashB);
    QFETCH(QString, nameB);
    QFETCH(bool, sameVersion);

    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto a = store->internFlow(hashA.toStdString(), nameA.toStdString(), "flows/a", "{}");
    auto b = store->internFlow(hashB.toStdString(), nameB.toStdString(), "flows/b", "{}");
    QVERIFY(a && b);
    QVERIFY(a->isValid() && b->isValid());
    QCOMPARE(*a == *b, sameVersion);
    // Interning again never creates a third version.
    auto again = store->internFlow(hashA.toStdString(), "other", "flows/c", "{}");
    QVERIFY(again);
    QCOMPARE(again->value, a->value);
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("SELECT count(*) FROM flows"), sameVersion ? 1 : 2);
    // The first name of a version is kept.
    QCOMPARE(raw.text("SELECT name FROM flows WHERE id=" + std::to_string(a->value)),
             nameA.toStdString());
}

void TestExperimentStore::internDataset()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto a = store->internDataset("fp1", "data/a.jsonl", 10);
    auto b = store->internDataset("fp1", "data/copy-of-a.jsonl", 10);
    auto c = store->internDataset("fp2", "data/a.jsonl", 11);
    QVERIFY(a && b && c);
    QCOMPARE(a->value, b->value);
    QVERIFY(a->value != c->value);
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("SELECT count(*) FROM datasets"), 2);
    QCOMPARE(raw.integer("SELECT row_count FROM datasets WHERE id=" + std::to_string(c->value)),
             11);
}

void TestExperimentStore::runLifecycle()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto id = store->createRun(specFor(makeFlow(*store), "lifecycle"));
    QVERIFY2(id, id ? "" : id.error().message.c_str());

    auto fresh = store->run(*id);
    QVERIFY(fresh);
    QCOMPARE(fresh->status, RunState::NotStarted);
    QVERIFY(fresh->createdAtMs > 0);
    QVERIFY(!fresh->startedAtMs);
    QVERIFY(!fresh->finishedAtMs);

    QVERIFY(store->setRunStatus(*id, RunState::Running));
    auto running = store->run(*id);
    QVERIFY(running);
    QCOMPARE(running->status, RunState::Running);
    QVERIFY(running->startedAtMs);
    QVERIFY(!running->finishedAtMs);

    QVERIFY(store->setRunStatus(*id, RunState::Cancelled));
    auto cancelled = store->run(*id);
    QVERIFY(cancelled);
    QCOMPARE(cancelled->status, RunState::Cancelled);
    QVERIFY(cancelled->finishedAtMs);

    // Resume: Running again keeps the first start and clears the finish time.
    QVERIFY(store->setRunStatus(*id, RunState::Running));
    auto resumed = store->run(*id);
    QVERIFY(resumed);
    QCOMPARE(*resumed->startedAtMs, *running->startedAtMs);
    QVERIFY(!resumed->finishedAtMs);

    QVERIFY(store->setRunStatus(*id, RunState::Completed));
    auto byName = store->findRunByName("lifecycle");
    QVERIFY(byName);
    QCOMPARE(byName->id, *id);
    QCOMPARE(byName->status, RunState::Completed);
    QVERIFY(*byName->finishedAtMs >= *byName->startedAtMs);

    auto missing = store->findRunByName("nope");
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    auto unknown = store->setRunStatus(RunId{id->value + 100}, RunState::Running);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    QVERIFY(!store->run(RunId{id->value + 100}));

    auto second = store->createRun(specFor(makeFlow(*store), "second"));
    QVERIFY(second);
    auto all = store->runs();
    QVERIFY(all);
    QCOMPARE(all->size(), std::size_t(2));
    QCOMPARE(all->front().name, std::string("second")); // newest first
}

void TestExperimentStore::createRunErrors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("flowOffset");    // added to a valid flow id
    QTest::addColumn<qint64>("datasetId");     // 0: none
    QTest::addColumn<qint64>("baseRunOffset"); // 0: none; else existing run id + offset - 1
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("empty-name") << "" << qint64(0) << qint64(0) << qint64(0) << "needs a name";
    QTest::newRow("duplicate-name")
        << "taken" << qint64(0) << qint64(0) << qint64(0) << "already exists";
    QTest::newRow("unknown-flow") << "x" << qint64(99) << qint64(0) << qint64(0) << "FOREIGN KEY";
    QTest::newRow("unknown-dataset")
        << "x" << qint64(0) << qint64(42) << qint64(0) << "FOREIGN KEY";
    QTest::newRow("unknown-base-run")
        << "x" << qint64(0) << qint64(0) << qint64(50) << "FOREIGN KEY";
}

void TestExperimentStore::createRunErrors()
{
    QFETCH(QString, name);
    QFETCH(qint64, flowOffset);
    QFETCH(qint64, datasetId);
    QFETCH(qint64, baseRunOffset);
    QFETCH(QString, messagePart);

    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    const FlowVersionId flow = makeFlow(*store);
    auto taken = store->createRun(specFor(flow, "taken"));
    QVERIFY(taken);

    RunSpec spec = specFor(FlowVersionId{flow.value + flowOffset}, name.toStdString());
    if (datasetId != 0) {
        spec.datasetId = DatasetVersionId{datasetId};
    }
    if (baseRunOffset != 0) {
        spec.baseRunId = RunId{taken->value + baseRunOffset - 1};
    }
    auto run = store->createRun(spec);
    QVERIFY(!run);
    QCOMPARE(run.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(run.error().message.find(messagePart.toStdString()) != std::string::npos,
             run.error().message.c_str());
    auto all = store->runs();
    QVERIFY(all);
    QCOMPARE(all->size(), std::size_t(1));
}

void TestExperimentStore::runSummaryFields()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto experiment = store->createExperiment("variants x2");
    auto dataset = store->internDataset("fp", "data.jsonl", 3);
    QVERIFY(experiment && dataset);
    auto base = store->createRun(specFor(makeFlow(*store, "base"), "base"));
    QVERIFY(base);

    RunSpec spec = specFor(makeFlow(*store, "eval"), "eval-run");
    spec.experimentId = *experiment;
    spec.datasetId = *dataset;
    spec.baseRunId = *base;
    spec.variants = Value{{"summarize", "variant_1"}};
    spec.columnMapping = Value{{"answer", "${run.outputs.answer}"}, {"truth", "${data.label}"}};
    spec.parameters = Value{{"concurrency", 8}};
    spec.totalLines = 3;
    auto id = store->createRun(spec);
    QVERIFY(id);

    auto r = store->run(*id);
    QVERIFY(r);
    QCOMPARE(r->flowName, std::string("flow-eval"));
    QCOMPARE(r->experimentId->value, experiment->value);
    QCOMPARE(r->datasetId->value, dataset->value);
    QCOMPARE(r->baseRunId->value, base->value);
    QVERIFY(r->variants == spec.variants);
    QCOMPARE(r->columnMapping.dump(), spec.columnMapping.dump()); // key order kept
    QVERIFY(r->parameters == spec.parameters);
    QCOMPARE(r->totalLines, std::int64_t(3));
    QVERIFY(store->setRunTotalLines(*id, 7));
    QCOMPARE(store->run(*id)->totalLines, std::int64_t(7));
}

void TestExperimentStore::linesPagingAndCompleted()
{
    RunId run;
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        auto id = store->createRun(specFor(makeFlow(*store), "paging"));
        QVERIFY(id);
        run = *id;
    }
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (int i = 24; i >= 0; --i) { // out of order on purpose
            (*writer)->submit(lineFor(run, i, i % 5 == 3 ? "Failed" : "Completed"));
        }
        QVERIFY((*writer)->flush());
    }
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto page = store->lines(run, 10, 10);
    QVERIFY(page);
    QCOMPARE(page->size(), std::size_t(10));
    for (std::size_t i = 0; i < page->size(); ++i) {
        QCOMPARE((*page)[i].lineIndex, std::int64_t(10 + i));
        QCOMPARE((*page)[i].outputs["answer"].get<int>(), int(10 + i));
    }
    auto tail = store->lines(run, 20, 10);
    QVERIFY(tail);
    QCOMPARE(tail->size(), std::size_t(5));

    // A keyset pass (linesAfter) visits every line once, in index order, page after page.
    std::vector<std::int64_t> seen;
    std::int64_t after = -1;
    for (int pages = 0;; ++pages) {
        QVERIFY(pages < 10);
        auto next = store->linesAfter(run, after, 7);
        QVERIFY(next);
        if (next->empty()) {
            break;
        }
        QVERIFY(next->size() <= 7);
        for (const auto &l : *next) {
            QCOMPARE(l.outputs["answer"].get<int>(), int(l.lineIndex));
            seen.push_back(l.lineIndex);
        }
        after = next->back().lineIndex;
    }
    std::vector<std::int64_t> all(25);
    std::iota(all.begin(), all.end(), 0);
    QVERIFY(seen == all);
    auto fromMiddle = store->linesAfter(run, 17, 3);
    QVERIFY(fromMiddle);
    QCOMPARE(fromMiddle->size(), std::size_t(3));
    QCOMPARE(fromMiddle->front().lineIndex, std::int64_t(18));

    auto completed = store->completedLineIndexes(run);
    QVERIFY(completed);
    std::vector<std::int64_t> expected;
    for (int i = 0; i < 25; ++i) {
        if (i % 5 != 3) {
            expected.push_back(i);
        }
    }
    QCOMPARE(*completed, expected);
    auto summary = store->run(run);
    QVERIFY(summary);
    QCOMPARE(summary->completedLines, std::int64_t(20));
    QCOMPARE(summary->failedLines, std::int64_t(5));
    QCOMPARE(*store->lineCount(run), std::int64_t(25));
}

void TestExperimentStore::lineDetail()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "detail"));
    QVERIFY(run);

    LineRecord line = lineFor(*run, 4, "Failed");
    line.error = "node 'judge': HTTP 500";
    line.queueMs = 12.5;
    line.promptTokens = 30;
    line.completionTokens = 7;
    line.costUsd = 0.0012;
    line.startedAtMs = 1700000000000;
    line.nodes = {{"answer", "variant_1", "Completed", Value("Paris"), "", 20.0},
                  {"judge", "", "Failed", Value(), "HTTP 500", std::nullopt}};
    LlmCallRecord call;
    call.node = "answer";
    call.model = "gpt-sim";
    call.promptTokens = 30;
    call.completionTokens = 7;
    call.cachedTokens = 4;
    call.ttftMs = 3.5;
    call.latencyMs = 20.0;
    call.attempts = 2;
    call.httpStatus = 200;
    call.cacheHit = true;
    line.llmCalls = {call};
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        (*writer)->submit(line);
        QVERIFY((*writer)->flush());
        QCOMPARE((*writer)->writtenCount(), std::uint64_t(1));
    }
    auto read = store->line(*run, 4);
    QVERIFY2(read, read ? "" : read.error().message.c_str());
    QCOMPARE(read->status, std::string("Failed"));
    QCOMPARE(read->error, line.error);
    QVERIFY(read->inputs == line.inputs);
    QCOMPARE(*read->queueMs, 12.5);
    QCOMPARE(*read->costUsd, 0.0012);
    QCOMPARE(*read->startedAtMs, *line.startedAtMs);
    QCOMPARE(read->completionTokens, std::int64_t(7));
    QCOMPARE(read->nodes.size(), std::size_t(2));
    QCOMPARE(read->nodes[0].variantId, std::string("variant_1"));
    QVERIFY(read->nodes[0].output == Value("Paris"));
    QVERIFY(!read->nodes[1].durationMs);
    QCOMPARE(read->nodes[1].error, std::string("HTTP 500"));
    QCOMPARE(read->llmCalls.size(), std::size_t(1));
    QCOMPARE(read->llmCalls[0].model, std::string("gpt-sim"));
    QCOMPARE(read->llmCalls[0].cachedTokens, std::int64_t(4));
    QCOMPARE(*read->llmCalls[0].ttftMs, 3.5);
    QVERIFY(!read->llmCalls[0].tpotMs);
    QCOMPARE(read->llmCalls[0].attempts, 2);
    QVERIFY(read->llmCalls[0].cacheHit);

    auto missing = store->line(*run, 5);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
}

void TestExperimentStore::metricsAndRatings()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "metrics"));
    QVERIFY(run);
    QVERIFY(store->putMetric(*run, "accuracy", 0.5));
    QVERIFY(store->putMetric(*run, "f1", 0.25));
    QVERIFY(store->putMetric(*run, "accuracy", 0.75)); // replaces
    auto metrics = store->metrics(*run);
    QVERIFY(metrics);
    QCOMPARE(metrics->size(), std::size_t(2));
    QCOMPARE(metrics->at("accuracy"), 0.75);
    QCOMPARE(metrics->at("f1"), 0.25);
    QVERIFY(!store->putMetric(RunId{run->value + 9}, "x", 1.0)); // unknown run

    Rating rating;
    rating.runId = *run;
    rating.lineIndex = 3;
    rating.rater = "ana";
    rating.score = 4;
    rating.comment = "good";
    auto first = store->addRating(rating);
    rating.score.reset();
    rating.comment = "unsure";
    auto second = store->addRating(rating);
    QVERIFY(first && second);
    QVERIFY(*second > *first);
    auto ratings = store->ratings(*run);
    QVERIFY(ratings);
    QCOMPARE(ratings->size(), std::size_t(2));
    QCOMPARE(*(*ratings)[0].score, 4.0);
    QVERIFY(!(*ratings)[1].score);
    QCOMPARE((*ratings)[1].comment, std::string("unsure"));
    QVERIFY((*ratings)[0].createdAtMs > 0);
}

void TestExperimentStore::ratingKindsAreCheckedAndUndone()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "kinds"));
    QVERIFY(run);
    auto rate = [&](RatingKind kind, std::optional<double> score, std::string comment = {},
                    std::string rater = "ana") {
        Rating r;
        r.runId = *run;
        r.lineIndex = 1;
        r.rater = std::move(rater);
        r.kind = kind;
        r.score = score;
        r.comment = std::move(comment);
        return store->addRating(r);
    };
    // What each kind accepts, and the bounds just outside it.
    QVERIFY(rate(RatingKind::PassFail, 1.0));
    QVERIFY(rate(RatingKind::PassFail, 0.0));
    QCOMPARE(rate(RatingKind::PassFail, 0.5).error().code, ErrorCode::InvalidArgument);
    QVERIFY(!rate(RatingKind::PassFail, std::nullopt));
    QVERIFY(rate(RatingKind::Stars, 1.0));
    QVERIFY(rate(RatingKind::Stars, 5.0));
    QVERIFY(!rate(RatingKind::Stars, 0.0));
    QVERIFY(!rate(RatingKind::Stars, 6.0));
    QVERIFY(!rate(RatingKind::Stars, 3.5));
    QVERIFY(rate(RatingKind::Comment, std::nullopt, "too long"));
    QVERIFY(!rate(RatingKind::Comment, std::nullopt));
    QVERIFY(!rate(RatingKind::Comment, 1.0, "scored comment"));
    QVERIFY(!rate(RatingKind::Score, std::numeric_limits<double>::quiet_NaN()));
    QVERIFY(!rate(RatingKind::PassFail, 1.0, {}, ""));

    auto ratings = store->ratings(*run);
    QVERIFY(ratings);
    QCOMPARE(ratings->size(), std::size_t(5));
    QCOMPARE(int((*ratings)[0].kind), int(RatingKind::PassFail));
    QCOMPARE(int((*ratings)[2].kind), int(RatingKind::Stars));
    QCOMPARE(int((*ratings)[4].kind), int(RatingKind::Comment));
    QCOMPARE((*ratings)[4].comment, std::string("too long"));

    QVERIFY(store->removeRating((*ratings)[4].id));
    QCOMPARE(store->removeRating((*ratings)[4].id).error().code, ErrorCode::NotFound);
    QCOMPARE(store->ratings(*run)->size(), std::size_t(4));

    // Kind names round-trip; '' (a store before v4) is a bare score.
    for (const RatingKind kind :
         {RatingKind::Score, RatingKind::PassFail, RatingKind::Stars, RatingKind::Comment}) {
        QCOMPARE(int(*Rating::kindFromName(Rating::kindName(kind))), int(kind));
    }
    QCOMPARE(int(*Rating::kindFromName("")), int(RatingKind::Score));
    QVERIFY(!Rating::kindFromName("thumbs"));
}

void TestExperimentStore::preferencesAreOrderedAndChecked()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    const FlowVersionId flow = makeFlow(*store);
    auto first = store->createRun(specFor(flow, "pref-a"));
    auto second = store->createRun(specFor(flow, "pref-b"));
    auto third = store->createRun(specFor(flow, "pref-c"));
    QVERIFY(first && second && third);
    Preference p;
    p.runA = *second; // the larger id first: stored the other way round
    p.runB = *first;
    p.lineIndex = 7;
    p.rater = "bo";
    p.preferred = *second;
    p.leftRun = *second;
    p.comment = "clearer";
    auto id = store->addPreference(p);
    QVERIFY(id);
    p.preferred.reset(); // a tie
    p.leftRun = *first;
    QVERIFY(store->addPreference(p));

    auto read = store->preferences(*second, *first);
    QVERIFY(read);
    QCOMPARE(read->size(), std::size_t(2));
    QCOMPARE((*read)[0].runA, *first);
    QCOMPARE((*read)[0].runB, *second);
    QCOMPARE((*read)[0].lineIndex, std::int64_t(7));
    QCOMPARE(*(*read)[0].preferred, *second);
    QCOMPARE((*read)[0].leftRun, *second);
    QCOMPARE((*read)[0].comment, std::string("clearer"));
    QVERIFY(!(*read)[1].preferred);
    QCOMPARE((*read)[1].leftRun, *first);
    QCOMPARE(store->preferences(*first, *second)->size(), std::size_t(2));
    QCOMPARE(store->preferences(*first, *third)->size(), std::size_t(0));

    Preference bad = p;
    bad.preferred = *third; // not of the pair
    QCOMPARE(store->addPreference(bad).error().code, ErrorCode::InvalidArgument);
    bad = p;
    bad.leftRun = *third;
    QVERIFY(!store->addPreference(bad));
    bad = p;
    bad.runB = bad.runA;
    bad.leftRun = bad.runA;
    QVERIFY(!store->addPreference(bad));
    bad = p;
    bad.rater.clear();
    QVERIFY(!store->addPreference(bad));

    QVERIFY(store->removePreference(*id));
    QCOMPARE(store->removePreference(*id).error().code, ErrorCode::NotFound);
    QCOMPARE(store->preferences(*first, *second)->size(), std::size_t(1));
}

void TestExperimentStore::scoresAndBulkCalls()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "scores"));
    QVERIFY(run);
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (std::int64_t i = 0; i < 3; ++i) {
            LineRecord line = lineFor(*run, i, "Completed");
            line.scores = {{0, "exact_match", i == 1 ? 1.0 : 0.0, i == 1, "compared"},
                           {0, "bleu", 0.25 * double(i), std::nullopt, ""}};
            LlmCallRecord call;
            call.node = "answer";
            call.latencyMs = 10.0 * double(i + 1);
            line.llmCalls = {call, call};
            (*writer)->submit(line);
        }
        QVERIFY((*writer)->flush());
    }
    auto scores = store->scores(*run);
    QVERIFY(scores);
    QCOMPARE(scores->size(), std::size_t(6));
    // By line, then evaluator name.
    QCOMPARE((*scores)[0].evaluator, std::string("bleu"));
    QCOMPARE((*scores)[0].lineIndex, std::int64_t(0));
    QVERIFY(!(*scores)[0].passed);
    QCOMPARE((*scores)[3].evaluator, std::string("exact_match"));
    QCOMPARE((*scores)[3].lineIndex, std::int64_t(1));
    QCOMPARE(*(*scores)[3].score, 1.0);
    QCOMPARE(*(*scores)[3].passed, true);
    QCOMPARE((*scores)[3].detail, std::string("compared"));
    QCOMPARE(*(*scores)[4].score, 0.5);

    auto one = store->line(*run, 2);
    QVERIFY(one);
    QCOMPARE(one->scores.size(), std::size_t(2));
    QCOMPARE(*one->scores[1].passed, false);

    auto calls = store->llmCalls(*run);
    QVERIFY(calls);
    QCOMPARE(calls->size(), std::size_t(6));
    QCOMPARE((*calls)[5].lineIndex, std::int64_t(2));
    QCOMPARE(*(*calls)[5].latencyMs, 30.0);
    QCOMPARE((*calls)[0].lineIndex, std::int64_t(0));
}

void TestExperimentStore::rewrittenLineReplacesScores()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "rewrite"));
    QVERIFY(run);
    auto writer = StoreWriter::open(storePath());
    QVERIFY(writer);
    LineRecord first = lineFor(*run, 0, "Failed");
    first.scores = {{0, "contains", 0.0, false, ""}, {0, "regex", 0.0, false, ""}};
    (*writer)->submit(first);
    QVERIFY((*writer)->flush());
    LineRecord second = lineFor(*run, 0, "Completed");
    second.scores = {{0, "contains", 1.0, true, ""}};
    (*writer)->submit(second);
    QVERIFY((*writer)->flush());
    auto scores = store->scores(*run);
    QVERIFY(scores);
    QCOMPARE(scores->size(), std::size_t(1));
    QCOMPARE(*(*scores)[0].passed, true);
}

void TestExperimentStore::lineAndScoreKeys()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "keys"));
    QVERIFY(run);
    auto other = store->createRun(specFor(makeFlow(*store), "other"));
    QVERIFY(other);
    // Lines 0..9 without 4 (as a run missing one line), written out of order; the other run's
    // lines interleave with them in the file and must not leak in.
    const std::vector<std::int64_t> indexes = {0, 1, 2, 3, 5, 6, 7, 8, 9};
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (auto it = indexes.rbegin(); it != indexes.rend(); ++it) {
            const std::int64_t i = *it;
            const char *status = i == 2   ? "Failed"
                                 : i == 7 ? "Cancelled"
                                 : i == 8 ? "Bypassed"
                                          : "Completed";
            LineRecord line = lineFor(*run, i, status);
            line.durationMs = i == 3 ? std::nullopt : std::optional<double>(10.0 * double(i));
            line.promptTokens = 100 + i;
            line.completionTokens = i;
            line.costUsd = i == 5 ? std::nullopt : std::optional<double>(0.001 * double(i));
            // "bleu" on every line but 6, "judge" on odd lines only, "zeta" on line 9 alone.
            if (i != 6) {
                line.scores.push_back({0, "bleu", 0.1 * double(i), std::nullopt, ""});
            }
            if (i % 2 == 1) {
                line.scores.push_back({0, "judge",
                                       i == 5 ? std::nullopt : std::optional<double>(double(i)),
                                       true, ""});
            }
            if (i == 9) {
                line.scores.push_back({0, "zeta", -1.0, std::nullopt, ""});
            }
            (*writer)->submit(line);
            LineRecord foreign = lineFor(*other, i, "Failed");
            foreign.scores = {{0, "alpha", 5.0, std::nullopt, ""}};
            (*writer)->submit(foreign);
        }
        QVERIFY((*writer)->flush());
    }

    auto keys = store->lineKeys(*run);
    QVERIFY2(keys, keys ? "" : keys.error().message.c_str());
    QCOMPARE(keys->size(), indexes.size());
    QCOMPARE(keys->lineIndex, indexes);
    QCOMPARE(keys->status.size(), indexes.size());
    QCOMPARE(keys->latencyMs.size(), indexes.size());
    QCOMPARE(keys->tokens.size(), indexes.size());
    QCOMPARE(keys->costUsd.size(), indexes.size());
    for (std::size_t p = 0; p < indexes.size(); ++p) {
        const std::int64_t i = indexes[p];
        const LineStatus status = i == 2   ? LineStatus::Failed
                                  : i == 7 ? LineStatus::Cancelled
                                  : i == 8 ? LineStatus::Other
                                           : LineStatus::Completed;
        QCOMPARE(keys->status[p], status);
        QCOMPARE(keys->tokens[p], std::int32_t(100 + 2 * i));
        if (i == 3) {
            QVERIFY(std::isnan(keys->latencyMs[p]));
        } else {
            QCOMPARE(keys->latencyMs[p], float(10.0 * double(i)));
        }
        if (i == 5) {
            QVERIFY(std::isnan(keys->costUsd[p]));
        } else {
            QCOMPARE(keys->costUsd[p], float(0.001 * double(i)));
        }
    }

    // Aligned to a subset of the lines (3 and 9 left out, 4 asked for though not stored).
    const std::vector<std::int64_t> asked = {0, 1, 2, 4, 5, 6, 7, 8};
    auto scores = store->scoreKeys(*run, asked);
    QVERIFY2(scores, scores ? "" : scores.error().message.c_str());
    QCOMPARE(scores->evaluators, (std::vector<std::string>{"bleu", "judge"}));
    QCOMPARE(scores->scores.size(), std::size_t(2));
    for (std::size_t p = 0; p < asked.size(); ++p) {
        const std::int64_t i = asked[p];
        const float bleu = scores->scores[0][p];
        const float judge = scores->scores[1][p];
        if (i == 4 || i == 6) {
            QVERIFY2(std::isnan(bleu), qPrintable(QString::number(i)));
        } else {
            QCOMPARE(bleu, float(0.1 * double(i)));
        }
        if (i % 2 == 1 && i != 5) {
            QCOMPARE(judge, float(i));
        } else {
            QVERIFY2(std::isnan(judge), qPrintable(QString::number(i)));
        }
    }
    auto all = store->scoreKeys(*run, keys->lineIndex);
    QVERIFY(all);
    QCOMPARE(all->evaluators, (std::vector<std::string>{"bleu", "judge", "zeta"}));
    QCOMPARE(all->scores[2].back(), -1.0f);
    QCOMPARE(all->scores[0].back(), 0.9f);

    // Two threads, each with half of the lines, read the same keys.
    auto halves = store->lineKeys(*run, 2);
    QVERIFY2(halves, halves ? "" : halves.error().message.c_str());
    QCOMPARE(halves->lineIndex, keys->lineIndex);
    QCOMPARE(halves->status, keys->status);
    QCOMPARE(halves->tokens, keys->tokens);
    QVERIFY(sameFloats(halves->latencyMs, keys->latencyMs));
    QVERIFY(sameFloats(halves->costUsd, keys->costUsd));
    for (const std::vector<std::int64_t> &lines : {asked, keys->lineIndex}) {
        auto one = store->scoreKeys(*run, lines);
        auto two = store->scoreKeys(*run, lines, 2);
        QVERIFY(one && two);
        QCOMPARE(two->evaluators, one->evaluators);
        for (std::size_t e = 0; e < one->scores.size(); ++e) {
            QVERIFY(sameFloats(two->scores[e], one->scores[e]));
        }
    }
    // "zeta" is only on line 9, in the upper half: it still gets a whole column.
    auto split = store->scoreKeys(*run, keys->lineIndex, 2);
    QVERIFY(split);
    QCOMPARE(split->scores[2].size(), keys->size());

    auto empty = store->lineKeys(RunId{run->value + 100});
    QVERIFY(empty);
    QCOMPARE(empty->size(), std::size_t(0));
    auto emptyHalves = store->lineKeys(RunId{run->value + 100}, 2);
    QVERIFY(emptyHalves);
    QCOMPARE(emptyHalves->size(), std::size_t(0));
    auto none = store->scoreKeys(*run, {}, 2);
    QVERIFY(none);
    QVERIFY(none->evaluators.empty());
}

void TestExperimentStore::narrowReaders()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "narrow"));
    auto other = store->createRun(specFor(makeFlow(*store), "other"));
    QVERIFY(run && other);
    // Lines 0..9 without 4, as in lineAndScoreKeys; the other run's lines interleave.
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (std::int64_t i : {9, 8, 7, 6, 5, 3, 2, 1, 0}) {
            const char *status = i == 2   ? "Failed"
                                 : i == 7 ? "Cancelled"
                                 : i == 8 ? "Bypassed"
                                          : "Completed";
            LineRecord line = lineFor(*run, i, status);
            line.durationMs = i == 3 ? std::nullopt : std::optional<double>(10.0 * double(i));
            line.costUsd = i == 5 ? std::nullopt : std::optional<double>(0.001 * double(i));
            LlmCallRecord call;
            call.node = "classify";
            call.latencyMs = 100.0 + double(i);
            call.ttftMs = double(i);
            call.tpotMs = i % 2 == 0 ? std::optional<double>(0.5 * double(i)) : std::nullopt;
            line.llmCalls.push_back(call);
            if (i == 1) {
                call.ttftMs = 1000.0; // a second call of line 1, after the first
                line.llmCalls.push_back(call);
            }
            (*writer)->submit(line);
            LineRecord foreign = lineFor(*other, i, "Completed");
            foreign.durationMs = 7777.0;
            foreign.llmCalls.push_back(call);
            (*writer)->submit(foreign);
        }
        QVERIFY((*writer)->flush());
    }
    // Durations of completed lines that have one (not 2, 7, 8; 3 has none), in line order.
    const std::vector<float> durations = {0.0f, 10.0f, 50.0f, 60.0f, 90.0f};
    for (int threads : {1, 2}) {
        auto read = store->completedLineDurations(*run, threads);
        QVERIFY2(read, read ? "" : read.error().message.c_str());
        QCOMPARE(*read, durations);
    }
    auto none = store->completedLineDurations(RunId{run->value + 100}, 2);
    QVERIFY(none && none->empty());

    auto cost = store->lineCostTotals(*run);
    QVERIFY(cost);
    QCOMPARE(cost->linesWithCost, std::int64_t(8));
    QCOMPARE(cost->linesWithoutCost, std::int64_t(1));
    QVERIFY(std::abs(cost->totalUsd - 0.036) < 1e-15);

    auto ttft = store->callTimings(*run, CallTiming::TtftMs);
    QVERIFY(ttft);
    QCOMPARE(*ttft, (std::vector<float>{0, 1, 1000, 2, 3, 5, 6, 7, 8, 9}));
    auto tpot = store->callTimings(*run, CallTiming::TpotMs);
    QVERIFY(tpot);
    QCOMPARE(*tpot, (std::vector<float>{0, 1, 3, 4}));
    auto latency = store->callTimings(*run, CallTiming::LatencyMs);
    QVERIFY(latency);
    QCOMPARE(latency->size(), std::size_t(10));
    QCOMPARE(latency->front(), 100.0f);

    // Headers: run()'s fields without the line counts.
    auto full = store->run(*run);
    auto header = store->runHeader(*run);
    QVERIFY(full && header);
    QCOMPARE(full->completedLines, std::int64_t(6));
    QCOMPARE(header->completedLines, std::int64_t(0));
    QCOMPARE(header->failedLines, std::int64_t(0));
    QCOMPARE(header->name, full->name);
    QCOMPARE(header->flowName, full->flowName);
    QCOMPARE(header->createdAtMs, full->createdAtMs);
    QCOMPARE(header->totalLines, full->totalLines);
    auto headers = store->runHeaders();
    auto runs = store->runs();
    QVERIFY(headers && runs);
    QCOMPARE(headers->size(), runs->size());
    for (std::size_t i = 0; i < runs->size(); ++i) {
        QCOMPARE((*headers)[i].id, (*runs)[i].id); // newest first, as runs()
    }
    auto missing = store->runHeader(RunId{run->value + 100});
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
}

void TestExperimentStore::linesAtInAskedOrder()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "pages"));
    QVERIFY(run);
    constexpr int kLines = 1200; // more than one IN list of 500
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (int i = 0; i < kLines; ++i) {
            LineRecord line = lineFor(*run, i, i % 3 == 0 ? "Failed" : "Completed");
            line.error = i % 3 == 0 ? "boom " + std::to_string(i) : "";
            line.scores = {{0, "exact", double(i % 2), i % 2 == 1, "d" + std::to_string(i)},
                           {0, "alpha", double(i), std::nullopt, ""}};
            (*writer)->submit(line);
        }
        QVERIFY((*writer)->flush());
    }
    // A scattered order as a sorted view asks: descending, with a gap, a repeat and a miss.
    std::vector<std::int64_t> asked;
    for (int i = kLines - 1; i >= 0; i -= 2) {
        asked.push_back(i);
    }
    asked.push_back(5000); // no such line
    asked.push_back(kLines - 1);
    asked.push_back(4);
    auto page = store->linesAt(*run, asked);
    QVERIFY2(page, page ? "" : page.error().message.c_str());
    QCOMPARE(page->size(), std::size_t(kLines / 2 + 1));
    for (std::size_t p = 0; p < page->size(); ++p) {
        const LineRecord &line = (*page)[p];
        const std::int64_t i = p + 1 < page->size() ? asked[p] : 4;
        QCOMPARE(line.lineIndex, i);
        QCOMPARE(line.outputs["answer"].get<std::int64_t>(), i);
        QVERIFY(line.inputs == Value({{"question", "q" + std::to_string(i)}}));
        QCOMPARE(line.status, std::string(i % 3 == 0 ? "Failed" : "Completed"));
        QCOMPARE(line.error, i % 3 == 0 ? "boom " + std::to_string(i) : std::string());
        QVERIFY(line.nodes.empty());
        QVERIFY(line.llmCalls.empty());
        QCOMPARE(line.scores.size(), std::size_t(2));
        QCOMPARE(line.scores[0].evaluator, std::string("alpha"));
        QCOMPARE(*line.scores[0].score, double(i));
        QCOMPARE(line.scores[0].lineIndex, i);
        QCOMPARE(line.scores[1].evaluator, std::string("exact"));
        QCOMPARE(*line.scores[1].passed, i % 2 == 1);
        QCOMPARE(line.scores[1].detail, "d" + std::to_string(i));
    }
    auto nothing = store->linesAt(*run, {});
    QVERIFY(nothing);
    QVERIFY(nothing->empty());
}

void TestExperimentStore::interruptCancelsRunningQuery()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto run = store->createRun(specFor(makeFlow(*store), "long"));
    QVERIFY(run);
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (int i = 0; i < 20000; ++i) {
            (*writer)->submit(lineFor(*run, i, "Completed"));
        }
        QVERIFY((*writer)->flush());
    }
    // A reader thread scans the run over and over until a scan is cancelled; this thread
    // interrupts until then. Each scan takes milliseconds, so an interrupt lands in one soon.
    std::atomic<bool> cancelled = false;
    std::atomic<int> scans = 0;
    std::string otherError;
    std::thread reader([&] {
        for (int i = 0; i < 100000 && !cancelled; ++i) {
            auto keys = store->lineKeys(*run);
            if (!keys) {
                if (keys.error().code == ErrorCode::Cancelled) {
                    cancelled = true;
                } else {
                    otherError = keys.error().message;
                }
                return;
            }
            ++scans;
        }
    });
    QElapsedTimer clock;
    clock.start();
    while (!cancelled && otherError.empty() && clock.elapsed() < 20000 && scans < 100000) {
        store->interrupt();
        std::this_thread::yield();
    }
    reader.join();
    QVERIFY2(otherError.empty(), otherError.c_str());
    QVERIFY(cancelled);
    // The next query runs normally.
    auto keys = store->lineKeys(*run);
    QVERIFY(keys);
    QCOMPARE(keys->size(), std::size_t(20000));
}

void TestExperimentStore::responseCache()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto miss = store->cachedResponse("k1", 0);
    QVERIFY(miss);
    QVERIFY(!miss->has_value());
    QVERIFY(store->putCachedResponse("k1", "{\"content\":\"a\"}"));
    auto hit = store->cachedResponse("k1", 0);
    QVERIFY(hit && hit->has_value());
    QCOMPARE(**hit, std::string("{\"content\":\"a\"}"));
    // An entry older than the TTL boundary is a miss.
    auto stale = store->cachedResponse("k1", std::int64_t(1) << 50);
    QVERIFY(stale);
    QVERIFY(!stale->has_value());
    QVERIFY(store->putCachedResponse("k1", "b")); // replaces
    QCOMPARE(**store->cachedResponse("k1", 0), std::string("b"));
}

namespace {

// Schema 1 and 2's llm_calls: a rowid table with an index on the line.
constexpr const char *kRowidCalls
    = "DROP TABLE llm_calls; "
      "CREATE TABLE llm_calls(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) "
      "ON DELETE CASCADE, line_index INTEGER NOT NULL, node TEXT NOT NULL, model TEXT NOT NULL "
      "DEFAULT '', prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL "
      "DEFAULT 0, cached_tokens INTEGER NOT NULL DEFAULT 0, ttft_ms REAL, tpot_ms REAL, "
      "latency_ms REAL, attempts INTEGER NOT NULL DEFAULT 1, http_status INTEGER NOT NULL "
      "DEFAULT 0, cache_hit INTEGER NOT NULL DEFAULT 0); "
      "CREATE INDEX llm_calls_line ON llm_calls(run_id, line_index);";

/// Takes a current store back to schema 3 (what v4 added: rating kinds, preferences).
constexpr const char *kUndoV4 = "DROP TABLE preferences; ALTER TABLE ratings DROP COLUMN kind; ";

} // namespace

void TestExperimentStore::migratesVersionThreeRatings()
{
    // Ratings of a schema 3 store read as bare scores and keep their values; new kinds and
    // preferences work after the migration.
    RunId run;
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        run = *store->createRun(specFor(makeFlow(*store), "rated-v3"));
    }
    {
        test::RawSqlite raw(storePath());
        const std::string r = std::to_string(run.value);
        QVERIFY(raw.exec(std::string(kUndoV4)
                         + "INSERT INTO ratings(run_id, line_index, rater, score, comment, "
                           "created_at) VALUES("
                         + r + ", 2, 'ana', 4, 'old', 1); PRAGMA user_version=3"));
    }
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("PRAGMA user_version"), ExperimentStore::schemaVersion());
    auto ratings = store->ratings(run);
    QVERIFY(ratings);
    QCOMPARE(ratings->size(), std::size_t(1));
    QCOMPARE(int((*ratings)[0].kind), int(RatingKind::Score));
    QCOMPARE(*(*ratings)[0].score, 4.0);
    QCOMPARE((*ratings)[0].comment, std::string("old"));
    Rating pass = (*ratings)[0];
    pass.kind = RatingKind::PassFail;
    pass.score = 1.0;
    QVERIFY(store->addRating(pass));
    QCOMPARE(int((*store->ratings(run))[1].kind), int(RatingKind::PassFail));
    QVERIFY(store->preferences(run, RunId{run.value + 1}));
}

void TestExperimentStore::migratesVersionOneFile()
{
    // A store written by schema 1 (no scores table) keeps its runs and gains the new tables.
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        QVERIFY(store->createRun(specFor(makeFlow(*store), "old-run")));
    }
    {
        test::RawSqlite raw(storePath());
        QVERIFY(raw.exec(std::string(kUndoV4) + "DROP TABLE scores; DROP TABLE response_cache; "
                         + kRowidCalls + " PRAGMA user_version=1"));
    }
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("PRAGMA user_version"), ExperimentStore::schemaVersion());
    QVERIFY(store->findRunByName("old-run"));
    auto scores = store->scores(RunId{1});
    QVERIFY(scores);
    QVERIFY(scores->empty());
}

void TestExperimentStore::migratesVersionTwoCalls()
{
    // Schema 2's llm_calls rows move to the (run, line, seq) table in their id order.
    RunId run;
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        auto id = store->createRun(specFor(makeFlow(*store), "calls"));
        QVERIFY(id);
        run = *id;
    }
    {
        test::RawSqlite raw(storePath());
        const std::string r = std::to_string(run.value);
        QVERIFY(raw.exec(
            std::string(kUndoV4) + kRowidCalls
            + "INSERT INTO lines(run_id, line_index, status, inputs, outputs) VALUES(" + r
            + ", 0, 'Completed', '{}', '{}'), (" + r + ", 1, 'Completed', '{}', '{}'); "
            + "INSERT INTO llm_calls(id, run_id, line_index, node, model, completion_tokens) VALUES"
              "(7, "
            + r + ", 1, 'b', 'm', 1), (3, " + r + ", 0, 'z', 'm', 2), (5, " + r
            + ", 0, 'a', 'm', 3), (9, " + r + ", 0, 'c', 'm', 4); PRAGMA user_version=2"));
    }
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("PRAGMA user_version"), ExperimentStore::schemaVersion());
    QVERIFY(raw.text("SELECT sql FROM sqlite_master WHERE name = 'llm_calls'").find("WITHOUT ROWID")
            != std::string::npos);
    QCOMPARE(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'llm_calls_line'"), 0);
    auto calls = store->llmCalls(run);
    QVERIFY(calls);
    std::vector<std::string> order;
    for (const auto &c : *calls) {
        order.push_back(std::to_string(c.lineIndex) + c.node + std::to_string(c.completionTokens));
    }
    QCOMPARE(order, (std::vector<std::string>{"0z2", "0a3", "0c4", "1b1"}));
}

void TestExperimentStore::openReadOnly()
{
    // A store opened read-only answers queries, refuses writes naming the file, and neither
    // changes the file nor creates anything beside it (it is opened immutable).
    RunId run;
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        auto id = store->createRun(specFor(makeFlow(*store), "frozen"));
        QVERIFY(id);
        run = *id;
        QVERIFY(store->putMetric(run, "accuracy", 0.5));
    }
    {
        test::RawSqlite raw(storePath());
        QVERIFY(raw.exec("PRAGMA journal_mode=DELETE"));
    }
    QFile file(QString::fromStdString(storePath()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();

    auto store = ExperimentStore::openReadOnly(storePath());
    QVERIFY2(store, store ? "" : store.error().message.c_str());
    QVERIFY(store->isReadOnly());
    auto found = store->findRunByName("frozen");
    QVERIFY(found);
    QCOMPARE(found->id, run);
    auto metrics = store->metrics(run);
    QVERIFY(metrics);
    QCOMPARE(metrics->at("accuracy"), 0.5);
    auto keys = store->lineKeys(run, 2); // the second connection is read-only too
    QVERIFY(keys);
    const auto written = store->putMetric(run, "accuracy", 0.9);
    QVERIFY(!written);
    QVERIFY2(written.error().message.find(storePath()) == 0, written.error().message.c_str());
    QVERIFY2(written.error().message.find("readonly") != std::string::npos,
             written.error().message.c_str());
    QVERIFY(!store->createRun(specFor(found->flowId, "another")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
    const QDir dir(m_dir->path());
    QCOMPARE(dir.entryList(QDir::Files), QStringList{QStringLiteral("store.db")});

    // Missing files are not created, and an older schema is not migrated read-only.
    QVERIFY(!ExperimentStore::openReadOnly(storePath() + ".missing"));
    QVERIFY(!QFile::exists(QString::fromStdString(storePath() + ".missing")));
    {
        test::RawSqlite raw(storePath());
        QVERIFY(raw.exec("PRAGMA user_version=2"));
    }
    auto older = ExperimentStore::openReadOnly(storePath());
    QVERIFY(!older);
    QVERIFY2(older.error().message.find("schema version 2") != std::string::npos,
             older.error().message.c_str());
}

void TestExperimentStore::refusesOtherApplicationId()
{
    // A SQLite file of another application (a run bundle has an application id) is refused
    // before the store touches it: not migrated, not switched to WAL.
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(storePath().c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "PRAGMA application_id=1178755633; CREATE TABLE t(x);", nullptr,
                          nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    QFile file(QString::fromStdString(storePath()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();
    auto store = ExperimentStore::open(storePath());
    QVERIFY(!store);
    QVERIFY2(store.error().message.find("not a Flowbench experiment store") != std::string::npos,
             store.error().message.c_str());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
}

QTEST_GUILESS_MAIN(TestExperimentStore)
#include "tst_experimentstore.moc"
