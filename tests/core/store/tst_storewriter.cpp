// StoreWriter: batched writes, replace-on-rewrite, error isolation, and crash safety — a forked
// child writing lines is SIGKILLed at random moments and the file is checked after each kill.
#include <core/common/secretredactor.h>
#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <tests/core/store/rawsqlite.h>

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <memory>
#include <set>

#include <unistd.h>
#include <csignal>
#include <sys/wait.h>

using namespace fb;

namespace {

constexpr int kNodesPerLine = 3;
constexpr int kCallsPerLine = 2;

// A line whose children encode its index and a generation, so a check can tell a complete,
// current line from a half-written or stale one.
LineRecord makeLine(RunId run, std::int64_t index, int generation, int nodes = kNodesPerLine,
                    int calls = kCallsPerLine)
{
    LineRecord line;
    line.runId = run;
    line.lineIndex = index;
    line.status = "Completed";
    line.inputs = Value{{"i", index}};
    line.outputs = Value{{"i", index}, {"gen", generation}};
    line.durationMs = 1.0;
    line.promptTokens = 10;
    line.completionTokens = generation;
    for (int n = 0; n < nodes; ++n) {
        line.nodes.push_back({"node" + std::to_string(n), "", "Completed",
                              Value{{"i", index}, {"gen", generation}}, "", 0.5});
    }
    for (int c = 0; c < calls; ++c) {
        LlmCallRecord call;
        call.node = "node" + std::to_string(c);
        call.model = "sim";
        call.completionTokens = generation;
        line.llmCalls.push_back(call);
    }
    return line;
}

RunId createRun(const std::string &path, const std::string &name)
{
    auto store = ExperimentStore::open(path);
    if (!store) {
        return {};
    }
    auto flow = store->internFlow("hash", "flow", "flows/x", "{}");
    if (!flow) {
        return {};
    }
    RunSpec spec;
    spec.name = name;
    spec.flowId = *flow;
    auto run = store->createRun(spec);
    return run ? *run : RunId{};
}

// Lines whose node_results/llm_calls count differs from the expectation, or whose children
// disagree with the line's generation.
std::int64_t incompleteLines(const test::RawSqlite &raw, int nodes, int calls)
{
    return raw.integer(
        "SELECT count(*) FROM lines l WHERE "
        "(SELECT count(*) FROM node_results n WHERE n.run_id = l.run_id AND n.line_index = "
        "l.line_index AND json_extract(n.output, '$.gen') = json_extract(l.outputs, '$.gen')) != "
        + std::to_string(nodes)
        + " OR (SELECT count(*) FROM llm_calls c WHERE c.run_id = l.run_id AND c.line_index = "
          "l.line_index AND c.completion_tokens = json_extract(l.outputs, '$.gen')) != "
        + std::to_string(calls));
}

std::int64_t orphans(const test::RawSqlite &raw)
{
    return raw.integer("SELECT (SELECT count(*) FROM node_results n WHERE NOT EXISTS (SELECT 1 "
                       "FROM lines l WHERE l.run_id = n.run_id AND l.line_index = n.line_index))"
                       " + (SELECT count(*) FROM llm_calls c WHERE NOT EXISTS (SELECT 1 FROM "
                       "lines l WHERE l.run_id = c.run_id AND l.line_index = c.line_index))");
}

// The child: resume-style writes in a loop until killed. Rewrites the last `rewrite` completed
// lines (replace), then continues; wraps around at `total`. Writes a byte to `progressFd`
// every `signalEvery` lines submitted. Never returns.
[[noreturn]] void childWriter(const std::string &path, RunId run, int total, int generation,
                              int progressFd)
{
    std::int64_t start = 0;
    {
        auto store = ExperimentStore::open(path);
        if (!store) {
            _exit(2);
        }
        auto done = store->completedLineIndexes(run);
        if (!done) {
            _exit(3);
        }
        start = std::max<std::int64_t>(0, static_cast<std::int64_t>(done->size()) - 300);
    }
    auto writer = StoreWriter::open(path);
    if (!writer) {
        _exit(4);
    }
    std::int64_t index = start;
    for (std::uint64_t n = 1;; ++n) {
        (*writer)->submit(makeLine(run, index, generation));
        index = (index + 1) % total;
        if (n % 200 == 0) {
            const char byte = 'x';
            if (write(progressFd, &byte, 1) != 1) {
                _exit(5);
            }
        }
    }
}

} // namespace

class TestStoreWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void writesManyLinesQuickly();
    void replacesRewrittenLines_data();
    void replacesRewrittenLines();
    void storesJsonAsDumpWrites_data();
    void storesJsonAsDumpWrites();
    void flushMakesLinesVisible();
    void destructorWritesQueuedLines();
    void badLineIsIsolated();
    void redactsSecretsOfErrorPaths();
    void survivesKills();

private:
    std::string storePath() const { return (m_dir->path() + "/store.db").toStdString(); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestStoreWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestStoreWriter::cleanup()
{
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto check = store->integrityCheck();
    QVERIFY(check);
    QCOMPARE(*check, std::string("ok"));
    m_dir.reset();
}

void TestStoreWriter::writesManyLinesQuickly()
{
    const RunId run = createRun(storePath(), "bulk");
    QVERIFY(run.isValid());
    constexpr int kLines = 100000;
    QElapsedTimer timer;
    timer.start();
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (int i = 0; i < kLines; ++i) {
            (*writer)->submit(makeLine(run, i, 1, 1, 1));
        }
        QVERIFY((*writer)->flush());
        QCOMPARE((*writer)->writtenCount(), std::uint64_t(kLines));
        QVERIFY(!(*writer)->lastError());
        // The writer's CPU time is real and within its busy wall time (clock granularity aside).
        const double cpu = (*writer)->busyCpuSeconds();
        const double busy = (*writer)->busySeconds();
        QVERIFY2(cpu > 0 && cpu <= busy + 0.01,
                 qPrintable(QString("cpu %1 s, busy %2 s").arg(cpu).arg(busy)));
    }
    const qint64 elapsed = timer.elapsed();
    qInfo("wrote %d lines (1 node result + 1 llm call each) in %lld ms", kLines, elapsed);
    QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed) + " ms"));

    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto summary = store->run(run);
    QVERIFY(summary);
    QCOMPARE(summary->completedLines, std::int64_t(kLines));
    QCOMPARE(summary->failedLines, std::int64_t(0));
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("SELECT count(*) FROM node_results"), std::int64_t(kLines));
    QCOMPARE(raw.integer("SELECT count(*) FROM llm_calls"), std::int64_t(kLines));
    QCOMPARE(raw.integer("SELECT max(line_index) FROM lines"), std::int64_t(kLines - 1));
}

void TestStoreWriter::replacesRewrittenLines_data()
{
    QTest::addColumn<int>("firstNodes");
    QTest::addColumn<int>("secondNodes");
    QTest::addColumn<int>("secondCalls");
    QTest::addColumn<bool>("flushBetween");
    QTest::newRow("same-shape-separate-batches") << 3 << 3 << 2 << true;
    QTest::newRow("same-shape-same-batch") << 3 << 3 << 2 << false;
    QTest::newRow("fewer-nodes-on-rerun") << 3 << 1 << 1 << true;
    QTest::newRow("more-nodes-on-rerun") << 1 << 4 << 3 << true;
    QTest::newRow("no-children-on-rerun") << 2 << 0 << 0 << false;
}

void TestStoreWriter::replacesRewrittenLines()
{
    QFETCH(int, firstNodes);
    QFETCH(int, secondNodes);
    QFETCH(int, secondCalls);
    QFETCH(bool, flushBetween);
    const RunId run = createRun(storePath(), "rewrite");
    QVERIFY(run.isValid());
    constexpr int kLines = 50;
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (int i = 0; i < kLines; ++i) {
            LineRecord line = makeLine(run, i, 1, firstNodes, 2);
            line.status = "Failed";
            (*writer)->submit(std::move(line));
        }
        if (flushBetween) {
            QVERIFY((*writer)->flush());
        }
        for (int i = 0; i < kLines; i += 2) {
            (*writer)->submit(makeLine(run, i, 2, secondNodes, secondCalls));
        }
        QVERIFY((*writer)->flush());
    }
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("SELECT count(*) FROM lines"), std::int64_t(kLines));
    QCOMPARE(raw.integer("SELECT count(*) FROM lines WHERE status = 'Completed'"),
             std::int64_t(kLines / 2));
    QCOMPARE(raw.integer("SELECT count(*) FROM node_results"),
             std::int64_t(kLines / 2 * (firstNodes + secondNodes)));
    QCOMPARE(raw.integer("SELECT count(*) FROM llm_calls"),
             std::int64_t(kLines / 2 * (2 + secondCalls)));
    QCOMPARE(orphans(raw), std::int64_t(0));
    QCOMPARE(raw.integer("SELECT count(*) FROM node_results n JOIN lines l USING(run_id, "
                         "line_index) WHERE json_extract(n.output, '$.gen') != "
                         "json_extract(l.outputs, '$.gen')"),
             std::int64_t(0));

    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto completed = store->completedLineIndexes(run);
    QVERIFY(completed);
    QCOMPARE(completed->size(), std::size_t(kLines / 2));
    QCOMPARE(completed->back(), std::int64_t(kLines - 2));
}

void TestStoreWriter::storesJsonAsDumpWrites_data()
{
    QTest::addColumn<QByteArray>("json"); // the value, as JSON (ignored when raw is set)
    QTest::addColumn<QByteArray>("raw");  // a string value given as raw bytes
    QTest::newRow("ascii") << QByteArray(R"("billing")") << QByteArray();
    QTest::newRow("quotes-backslash-slash") << QByteArray(R"("a\"b\\c/d")") << QByteArray();
    QTest::newRow("short-escapes") << QByteArray(R"("\b\f\n\r\t")") << QByteArray();
    QTest::newRow("other-controls") << QByteArray(R"("\u0001\u001f\u007f")") << QByteArray();
    QTest::newRow("unicode") << QByteArray(R"("za\u017c\u00f3\u0142\u0107 \u4e2d \ud83d\ude00")")
                             << QByteArray();
    QTest::newRow("invalid-utf8") << QByteArray() << QByteArray("ok \xff\xfe \xe2\x82 end");
    QTest::newRow("surrogate-bytes") << QByteArray() << QByteArray("\xed\xa0\x80x");
    QTest::newRow("numbers") << QByteArray(
        R"([0,-7,18446744073709551615,1.0,0.1,-2.5e-300,1e+100])")
                             << QByteArray();
    QTest::newRow("nested") << QByteArray(R"({"b":[true,false,null,{}],"a":{"x":[]},"":""})")
                            << QByteArray();
}

void TestStoreWriter::storesJsonAsDumpWrites()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, raw);
    const Value value = raw.isEmpty() ? Value::parse(json.toStdString())
                                      : Value(std::string(raw.constData(), raw.size()));
    const RunId run = createRun(storePath(), "json");
    QVERIFY(run.isValid());
    // Enough lines to go through the grouped inserts as well as the single-row ones.
    constexpr int kLines = 40;
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (int i = 0; i < kLines; ++i) {
            LineRecord line = makeLine(run, i, 1, 1, 1);
            line.inputs = Value{{"v", value}};
            line.outputs = Value{{"v", value}, {"i", i}};
            line.nodes[0].output = value;
            (*writer)->submit(std::move(line));
        }
        QVERIFY((*writer)->flush());
    }
    auto dump
        = [](const Value &v) { return v.dump(-1, ' ', false, Value::error_handler_t::replace); };
    test::RawSqlite db(storePath());
    for (int i : {0, 17, kLines - 1}) {
        const std::string where = " WHERE line_index = " + std::to_string(i);
        QCOMPARE(db.text("SELECT inputs FROM lines" + where), dump(Value{{"v", value}}));
        QCOMPARE(db.text("SELECT outputs FROM lines" + where), dump(Value{{"v", value}, {"i", i}}));
        QCOMPARE(db.text("SELECT output FROM node_results" + where), dump(value));
    }
}

void TestStoreWriter::flushMakesLinesVisible()
{
    const RunId run = createRun(storePath(), "visible");
    QVERIFY(run.isValid());
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    // A long interval and a large batch: only flush() can make these lines land.
    StoreWriterOptions options;
    options.batchSize = 100000;
    options.flushInterval = std::chrono::hours(1);
    auto writer = StoreWriter::open(storePath(), options);
    QVERIFY(writer);
    for (int round = 1; round <= 3; ++round) {
        for (int i = 0; i < 7; ++i) {
            (*writer)->submit(makeLine(run, (round - 1) * 7 + i, 1));
        }
        QVERIFY((*writer)->flush());
        QCOMPARE(*store->lineCount(run), std::int64_t(round * 7));
    }
    QVERIFY((*writer)->flush()); // nothing queued: returns at once
}

void TestStoreWriter::destructorWritesQueuedLines()
{
    const RunId run = createRun(storePath(), "dtor");
    QVERIFY(run.isValid());
    StoreWriterOptions options;
    options.batchSize = 100000;
    options.flushInterval = std::chrono::hours(1);
    {
        auto writer = StoreWriter::open(storePath(), options);
        QVERIFY(writer);
        for (int i = 0; i < 1234; ++i) {
            (*writer)->submit(makeLine(run, i, 1));
        }
    }
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("SELECT count(*) FROM lines"), std::int64_t(1234));
    QCOMPARE(incompleteLines(raw, kNodesPerLine, kCallsPerLine), std::int64_t(0));
}

void TestStoreWriter::badLineIsIsolated()
{
    const RunId run = createRun(storePath(), "errors");
    QVERIFY(run.isValid());
    std::atomic<int> callbacks{0};
    StoreWriterOptions options;
    options.onError = [&callbacks](const Error &) { ++callbacks; };
    auto writer = StoreWriter::open(storePath(), options);
    QVERIFY(writer);
    for (int i = 0; i < 20; ++i) {
        // Line 7 names a run that does not exist: a foreign-key failure inside the batch.
        (*writer)->submit(makeLine(i == 7 ? RunId{run.value + 40} : run, i, 1));
    }
    auto flushed = (*writer)->flush();
    QVERIFY(!flushed);
    QVERIFY2(flushed.error().message.find("line 7") != std::string::npos,
             flushed.error().message.c_str());
    QCOMPARE(callbacks.load(), 1);
    QVERIFY((*writer)->lastError());
    QCOMPARE((*writer)->writtenCount(), std::uint64_t(19));
    QVERIFY((*writer)->flush()); // the error was reported once
    QVERIFY((*writer)->lastError());

    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("SELECT count(*) FROM lines"), std::int64_t(19));
    QCOMPARE(incompleteLines(raw, kNodesPerLine, kCallsPerLine), std::int64_t(0));
    QCOMPARE(orphans(raw), std::int64_t(0));
}

void TestStoreWriter::redactsSecretsOfErrorPaths()
{
    const RunId run = createRun(storePath(), "redact");
    QVERIFY(run.isValid());
    const std::string key = "sk-0123456789-secret";
    StoreWriterOptions options;
    options.redactor = std::make_shared<SecretRedactor>(std::vector<std::string>{key});
    {
        auto writer = StoreWriter::open(storePath(), options);
        QVERIFY(writer);
        LineRecord failed = makeLine(run, 0, 1);
        failed.status = "Failed";
        failed.error = "node llm: HTTP 401: Incorrect API key provided: " + key;
        failed.outputs = Value{{"echo", "key=" + key}};
        failed.nodes[0].status = "Failed";
        failed.nodes[0].error = failed.error;
        failed.nodes[0].output = Value{{"body", key}};
        ScoreRecord score;
        score.evaluator = "judge";
        score.detail = "judge call failed: " + key;
        failed.scores.push_back(score);
        (*writer)->submit(failed);
        // A completed line's outputs are what the flow produced: left as they are.
        LineRecord completed = makeLine(run, 1, 1);
        completed.outputs = Value{{"answer", key}};
        (*writer)->submit(completed);
        QVERIFY((*writer)->flush());
    }
    test::RawSqlite raw(storePath());
    const auto count = [&](const std::string &sql) { return raw.integer(sql); };
    const std::string like = "'%" + key + "%'";
    QCOMPARE(count("SELECT count(*) FROM lines WHERE error LIKE " + like
                   + " OR (line_index = 0 AND outputs LIKE " + like + ")"),
             std::int64_t(0));
    QCOMPARE(count("SELECT count(*) FROM lines WHERE error LIKE '%provided: [redacted]%' AND "
                   "outputs LIKE '%key=[redacted]%'"),
             std::int64_t(1));
    QCOMPARE(count("SELECT count(*) FROM node_results WHERE error LIKE " + like
                   + " OR (status = 'Failed' AND output LIKE " + like + ")"),
             std::int64_t(0));
    QCOMPARE(count("SELECT count(*) FROM scores WHERE detail LIKE " + like), std::int64_t(0));
    QCOMPARE(count("SELECT count(*) FROM lines WHERE line_index = 1 AND outputs LIKE " + like),
             std::int64_t(1));
}

void TestStoreWriter::survivesKills()
{
    constexpr int kTotal = 20000;
    constexpr int kKills = 10;
    const RunId run = createRun(storePath(), "crashy");
    QVERIFY(run.isValid());
    QRandomGenerator *random = QRandomGenerator::global();
    std::int64_t previousCount = 0;

    for (int kill = 1; kill <= kKills; ++kill) {
        int fds[2];
        QCOMPARE(pipe(fds), 0);
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            close(fds[0]);
            childWriter(storePath(), run, kTotal, kill, fds[1]);
        }
        close(fds[1]);
        // Wait for a random amount of progress (200 lines a byte), then kill mid-stream.
        const int wanted = random->bounded(1, 30);
        int got = 0;
        char buffer[64];
        while (got < wanted) {
            const ssize_t n = read(fds[0], buffer, sizeof buffer);
            if (n <= 0) {
                break;
            }
            got += static_cast<int>(n);
        }
        QCOMPARE(::kill(child, SIGKILL), 0);
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        close(fds[0]);
        QVERIFY2(got >= wanted,
                 qPrintable(QString("child %1 ended early, status %2").arg(kill).arg(status)));
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

        auto store = ExperimentStore::open(storePath());
        QVERIFY2(store, store ? "" : store.error().message.c_str());
        auto check = store->integrityCheck();
        QVERIFY(check);
        QCOMPARE(*check, std::string("ok"));
        test::RawSqlite raw(storePath());
        const std::int64_t count = raw.integer("SELECT count(*) FROM lines");
        QVERIFY2(count >= previousCount, "committed lines were lost");
        previousCount = count;
        QCOMPARE(incompleteLines(raw, kNodesPerLine, kCallsPerLine), std::int64_t(0));
        QCOMPARE(orphans(raw), std::int64_t(0));
        QCOMPARE(raw.integer("SELECT count(*) FROM (SELECT 1 FROM node_results GROUP BY run_id, "
                             "line_index, node HAVING count(*) > 1)"),
                 std::int64_t(0));
        // Committed lines form a prefix plus rewrites: no line beyond the total.
        QVERIFY(raw.integer("SELECT max(line_index) FROM lines") < kTotal);
    }
    QVERIFY(previousCount > 0);

    // Resume: write only what is missing, then the run is exactly complete.
    std::set<std::int64_t> done;
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        auto completed = store->completedLineIndexes(run);
        QVERIFY(completed);
        done.insert(completed->begin(), completed->end());
        QCOMPARE(done.size(), completed->size());
    }
    {
        auto writer = StoreWriter::open(storePath());
        QVERIFY(writer);
        for (int i = 0; i < kTotal; ++i) {
            if (!done.count(i)) {
                (*writer)->submit(makeLine(run, i, 99));
            }
        }
        QVERIFY((*writer)->flush());
        QCOMPARE((*writer)->writtenCount(), std::uint64_t(kTotal - done.size()));
    }
    test::RawSqlite raw(storePath());
    QCOMPARE(raw.integer("SELECT count(*) FROM lines"), std::int64_t(kTotal));
    QCOMPARE(raw.integer("SELECT count(DISTINCT line_index) FROM lines"), std::int64_t(kTotal));
    QCOMPARE(raw.integer("SELECT count(*) FROM node_results"),
             std::int64_t(kTotal * kNodesPerLine));
    QCOMPARE(raw.integer("SELECT count(*) FROM llm_calls"), std::int64_t(kTotal * kCallsPerLine));
    QCOMPARE(incompleteLines(raw, kNodesPerLine, kCallsPerLine), std::int64_t(0));
}

QTEST_GUILESS_MAIN(TestStoreWriter)
#include "tst_storewriter.moc"
