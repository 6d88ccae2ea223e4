// BatchRunner in-process: every line stored once whatever the concurrency and number of runs,
// lines that end inside startLine() (prompt-only flows, inputs that fail) neither recurse nor
// stall, a budget stops new lines, and a cancel stops the batch so that a resume finishes it.
#include <core/batch/batchrunner.h>
#include <core/eval/evaluator.h>
#include <core/exec/pythonrunner.h>
#include <core/flow/flowloader.h>
#include <core/llm/connectionstore.h>
#include <core/llm/llmclient.h>
#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <tests/common/simprocess.h>

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <functional>
#include <memory>
#include <set>

using namespace fb;

namespace {

bool writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

// One llm node (`llm: true`) or one prompt node that renders inline; input `text` of `type`.
QByteArray flowYaml(bool llm, const char *type)
{
    QByteArray yaml = QByteArray("inputs:\n  text:\n    type: ") + type
                      + "\noutputs:\n  out:\n    type: string\n    reference: ${node.output}\n"
                        "nodes:\n- name: node\n";
    if (llm) {
        yaml += "  type: llm\n  source:\n    type: code\n    path: prompt.jinja2\n"
                "  inputs:\n    model: gpt-4o-mini\n    max_tokens: 4\n    text: ${inputs.text}\n"
                "  connection: open_ai_connection\n  api: chat\n";
    } else {
        yaml += "  type: prompt\n  source:\n    type: code\n    path: prompt.jinja2\n"
                "  inputs:\n    text: ${inputs.text}\n";
    }
    return yaml;
}

// Scores every output 1 (passed), then lingers on the thread that called it, as a model-backed
// evaluator's I/O thread may after handing over its verdict.
class LingeringEvaluator final : public Evaluator
{
public:
    std::string type() const override { return "lingering"; }
    Result<EvalScore> evaluate(const EvalInput &) const override { return EvalScore{1.0, true, {}}; }
    void evaluateAsync(const EvalInput &input, const EvalServices &,
                       std::function<void(Result<EvalScore>)> done) const override
    {
        done(evaluate(input));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        returned = true;
    }
    mutable std::atomic<bool> returned{false};
};

// Counts the lines it is asked to score.
class CountingEvaluator final : public Evaluator
{
public:
    std::string type() const override { return "counting"; }
    Result<EvalScore> evaluate(const EvalInput &) const override
    {
        ++calls;
        return EvalScore{0.0, false, {}};
    }
    mutable std::atomic<int> calls{0};
};

} // namespace

class TestBatchRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void storesEveryLineOnce_data();
    void storesEveryLineOnce();
    void linesEndingInsideStartLine_data();
    void linesEndingInsideStartLine();
    void budgetStopsNewLines();
    void cancelThenResumeCompletes();
    void nothingTouchedAfterTheLastVerdict();

private:
    struct Fixture
    {
        std::vector<BatchJob> jobs;
        std::shared_ptr<const PreparedFlow> flow;
    };
    /// The executor a BatchRunner drives: connections, an LLM client and the python runner.
    struct Engine
    {
        ConnectionStore connections;
        LlmClient llm;
        PythonRunner python;
        FlowExecutor executor{llm, python, connections};
    };

    // One BatchRunner::run() of `jobs` over the test's dataset (text=${data.text}) with a
    // writer of its own on the test's store.
    Result<BatchResult> runBatch(Engine &engine, const std::vector<BatchJob> &jobs,
                                 const BatchOptions &options,
                                 const std::function<void(const BatchProgress &)> &progress = {},
                                 const std::atomic<bool> *cancel = nullptr);

    // A flow in its own folder, `runs` runs of it in the store, and a dataset of `rows` rows
    // ({"text": "row i"}, or {"text": i} with `numbers`).
    bool prepare(bool llm, const char *type, int runs, int rows, bool numbers, Fixture &out);
    [[nodiscard]] std::string storePath() const
    {
        return (m_dir->path() + "/store.db").toStdString();
    }
    [[nodiscard]] std::string dataPath() const
    {
        return (m_dir->path() + "/data.jsonl").toStdString();
    }
    // Lines stored per run (checks every run's indexes are distinct by the primary key).
    std::int64_t storedLines(RunId run, const char *status = nullptr);

    [[nodiscard]] Connection simConnection() const
    {
        Connection c;
        c.name = "open_ai_connection";
        c.type = ConnectionType::OpenAi;
        c.configs["base_url"] = m_sim.openAiBaseUrl();
        c.secrets["api_key"] = "test";
        return c;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QTemporaryDir m_simDir;
    test::SimProcess m_sim;
};

void TestBatchRunner::initTestCase()
{
    QCOMPARE(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
    QVERIFY(m_simDir.isValid());
    const QString config = m_simDir.filePath(QStringLiteral("simulator.json"));
    QVERIFY(writeText(config, R"({"latency-ms": 5, "tokens": 4, "seed": 1})"));
    QVERIFY2(m_sim.start({QStringLiteral("--config"), config}), qPrintable(m_sim.errorString()));
}

void TestBatchRunner::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestBatchRunner::cleanup()
{
    if (QFile::exists(QString::fromStdString(storePath()))) {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        auto check = store->integrityCheck();
        QVERIFY(check);
        QCOMPARE(*check, std::string("ok"));
    }
    m_dir.reset();
}

Result<BatchResult> TestBatchRunner::runBatch(
    Engine &engine, const std::vector<BatchJob> &jobs, const BatchOptions &options,
    const std::function<void(const BatchProgress &)> &progress, const std::atomic<bool> *cancel)
{
    auto writer = StoreWriter::open(storePath());
    if (!writer) {
        return std::move(writer).error();
    }
    auto mapping = ColumnMapping::parse({"text=${data.text}"});
    if (!mapping) {
        return std::move(mapping).error();
    }
    BatchRunner runner(engine.executor, **writer);
    return runner.run(jobs, dataPath(), *mapping, options, progress, cancel);
}

bool TestBatchRunner::prepare(bool llm, const char *type, int runs, int rows, bool numbers,
                              Fixture &out)
{
    const QString flowDir = m_dir->path() + "/flow";
    QDir().mkpath(flowDir);
    if (!writeText(flowDir + "/flow.dag.yaml", flowYaml(llm, type))
        || !writeText(flowDir + "/prompt.jinja2", "# user:\nClassify: {{text}}\n")) {
        return false;
    }
    QByteArray data;
    for (int i = 0; i < rows; ++i) {
        data += numbers ? QByteArray("{\"text\": ") + QByteArray::number(i) + "}\n"
                        : QByteArray("{\"text\": \"row ") + QByteArray::number(i) + "\"}\n";
    }
    if (!writeText(QString::fromStdString(dataPath()), data)) {
        return false;
    }
    auto flow = FlowLoader::load(flowDir.toStdString());
    if (!flow) {
        qWarning("%s", flow.error().message.c_str());
        return false;
    }
    auto prepared = PreparedFlow::prepare(*flow);
    if (!prepared) {
        qWarning("%s", prepared.error().message.c_str());
        return false;
    }
    out.flow = *prepared;
    auto store = ExperimentStore::open(storePath());
    if (!store) {
        return false;
    }
    auto flowId = store->internFlow("hash", "flow", flowDir.toStdString(), "{}");
    if (!flowId) {
        return false;
    }
    for (int r = 0; r < runs; ++r) {
        RunSpec spec;
        spec.name = "run" + std::to_string(r);
        spec.flowId = *flowId;
        auto run = store->createRun(spec);
        if (!run) {
            return false;
        }
        out.jobs.push_back({*run, out.flow, {}});
    }
    return true;
}

std::int64_t TestBatchRunner::storedLines(RunId run, const char *status)
{
    auto store = ExperimentStore::open(storePath());
    if (!store) {
        return -1;
    }
    auto lines = store->lines(run, 0, 1 << 30);
    if (!lines) {
        return -1;
    }
    std::int64_t n = 0;
    for (const auto &l : *lines) {
        n += !status || l.status == status ? 1 : 0;
    }
    return n;
}

void TestBatchRunner::storesEveryLineOnce_data()
{
    QTest::addColumn<int>("runs");
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("concurrency");
    QTest::newRow("one-run-one-at-a-time") << 1 << 40 << 1;
    QTest::newRow("two-runs-concurrency-3") << 2 << 101 << 3;
    QTest::newRow("two-runs-concurrency-64") << 2 << 300 << 64;
    QTest::newRow("concurrency-above-rows") << 3 << 5 << 64;
}

void TestBatchRunner::storesEveryLineOnce()
{
    QFETCH(int, runs);
    QFETCH(int, rows);
    QFETCH(int, concurrency);
    Fixture fx;
    QVERIFY(prepare(true, "string", runs, rows, false, fx));
    Engine engine;
    QVERIFY(engine.connections.add(simConnection()));
    BatchOptions options;
    options.concurrency = concurrency;
    std::atomic<std::int64_t> maxInFlight{0};
    auto result = runBatch(engine, fx.jobs, options, [&](const BatchProgress &p) {
        maxInFlight = std::max<std::int64_t>(maxInFlight, p.inFlight);
    });
    QVERIFY2(result, result ? "" : result.error().message.c_str());
    QCOMPARE(result->progress.submitted, std::int64_t(runs * rows));
    QCOMPARE(result->progress.completed, std::int64_t(runs * rows));
    QCOMPARE(result->progress.llmCalls, std::int64_t(runs * rows));
    QCOMPARE(result->progress.inFlight, std::int64_t(0));
    QVERIFY(maxInFlight <= concurrency);
    QVERIFY(!result->cancelled);
    for (const auto &job : fx.jobs) {
        QCOMPARE(storedLines(job.run, "Completed"), std::int64_t(rows));
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        auto lines = store->lines(job.run, 0, rows);
        QVERIFY(lines);
        for (const auto &l : *lines) {
            QVERIFY(l.queueMs && *l.queueMs >= 0);
        }
    }
}

void TestBatchRunner::linesEndingInsideStartLine_data()
{
    QTest::addColumn<bool>("failing"); // the input cannot be coerced: the line fails at once
    QTest::addColumn<int>("concurrency");
    // Enough lines that recursing once per line would overflow the stack.
    QTest::newRow("prompt-node-completes-inline") << false << 8;
    QTest::newRow("input-fails-before-start") << true << 8;
    QTest::newRow("input-fails-one-at-a-time") << true << 1;
}

void TestBatchRunner::linesEndingInsideStartLine()
{
    QFETCH(bool, failing);
    QFETCH(int, concurrency);
    constexpr int kRows = 20000;
    Fixture fx;
    QVERIFY(prepare(false, failing ? "int" : "string", 1, kRows, false, fx));
    Engine engine;
    BatchOptions options;
    options.concurrency = concurrency;
    auto result = runBatch(engine, fx.jobs, options);
    QVERIFY2(result, result ? "" : result.error().message.c_str());
    QCOMPARE(result->progress.submitted, std::int64_t(kRows));
    QCOMPARE(result->progress.completed, std::int64_t(failing ? 0 : kRows));
    QCOMPARE(result->progress.failed, std::int64_t(failing ? kRows : 0));
    QCOMPARE(storedLines(fx.jobs[0].run, failing ? "Failed" : "Completed"), std::int64_t(kRows));
}

void TestBatchRunner::budgetStopsNewLines()
{
    constexpr int kRows = 200;
    constexpr int kConcurrency = 4;
    Fixture fx;
    QVERIFY(prepare(true, "string", 1, kRows, false, fx));
    Engine engine;
    QVERIFY(engine.connections.add(simConnection()));
    BatchOptions options;
    options.concurrency = kConcurrency;
    options.price
        = [](const std::string &, const LlmUsage &) -> std::optional<double> { return 1.0; };
    options.budgetUsd = 10;
    auto result = runBatch(engine, fx.jobs, options);
    QVERIFY(result);
    QVERIFY(result->budgetReached);
    QVERIFY(!result->cancelled);
    // Lines already in flight when the cap was reached finish (their calls are paid for).
    QVERIFY2(result->progress.completed >= 10
                 && result->progress.completed <= 10 + kConcurrency - 1,
             qPrintable(QString::number(result->progress.completed)));
    QCOMPARE(result->progress.submitted, result->progress.completed);
    QCOMPARE(storedLines(fx.jobs[0].run), result->progress.completed);
}

void TestBatchRunner::cancelThenResumeCompletes()
{
    constexpr int kRows = 300;
    Fixture fx;
    QVERIFY(prepare(true, "string", 2, kRows, false, fx));
    Engine engine;
    QVERIFY(engine.connections.add(simConnection()));
    BatchOptions options;
    options.concurrency = 16;
    options.progressInterval = std::chrono::milliseconds(0);
    {
        std::atomic<bool> cancel{false};
        auto result = runBatch(
            engine, fx.jobs, options,
            [&](const BatchProgress &p) {
                if (p.completed >= 50) {
                    cancel = true;
                }
            },
            &cancel);
        QVERIFY(result);
        QVERIFY(result->cancelled);
        QVERIFY(result->progress.completed >= 50);
        QVERIFY(result->progress.completed < 2 * kRows);
    }
    // Resume: each run skips what it has; afterwards every line is there exactly once.
    std::vector<BatchJob> resumed = fx.jobs;
    std::int64_t before = 0;
    {
        auto store = ExperimentStore::open(storePath());
        QVERIFY(store);
        for (auto &job : resumed) {
            auto done = store->completedLineIndexes(job.run);
            QVERIFY(done);
            before += std::int64_t(done->size());
            job.alreadyDone = *done;
        }
    }
    auto result = runBatch(engine, resumed, options);
    QVERIFY(result);
    QVERIFY(!result->cancelled);
    QCOMPARE(result->progress.resumed, before);
    QCOMPARE(result->progress.submitted, 2 * kRows - before);
    for (const auto &job : fx.jobs) {
        QCOMPARE(storedLines(job.run, "Completed"), std::int64_t(kRows));
    }
}

// The last verdict of a line finishes it, and run() may return at once: nothing that scored
// the line may touch run()'s state afterwards. An evaluator that lingers after its verdict
// while the caller reuses the stack crashed the workbench (std::bad_alloc building an error
// from an evaluator read from a dead frame, 1 run in 10 of tst_ui_evaluate under load).
void TestBatchRunner::nothingTouchedAfterTheLastVerdict()
{
    Fixture fx;
    QVERIFY(prepare(true, "string", 1, 3, false, fx));
    Engine engine;
    QVERIFY(engine.connections.add(simConnection()));
    auto lingering = std::make_shared<LingeringEvaluator>();
    auto late = std::make_shared<CountingEvaluator>();
    BatchOptions options;
    options.evaluators.reserve(2);
    options.evaluators.push_back({"lingering", lingering, "", "", "", ""});
    auto result = runBatch(engine, fx.jobs, options);
    QVERIFY(result);
    QCOMPARE(result->progress.completed, std::int64_t(3));
    // The options are the caller's again: what it does with them reaches no line of the batch
    // (an evaluator loop that still read them would score with the one added now).
    options.evaluators.push_back({"late", late, "", "", "", ""});
    QTRY_VERIFY_WITH_TIMEOUT(lingering->returned.load(), 5000);
    QTest::qWait(50);
    QCOMPARE(late->calls.load(), 0);
    auto store = ExperimentStore::open(storePath());
    QVERIFY(store);
    auto scores = store->scores(fx.jobs.front().run);
    QVERIFY(scores);
    QCOMPARE(scores->size(), std::size_t(3));
}

QTEST_GUILESS_MAIN(TestBatchRunner)
#include "tst_batchrunner.moc"

