// RunStatistics against values computed here independently: line counts, percentiles of known
// lists (numpy's linear method), evaluator means with intervals that contain them, exact pass
// rates, LLM call figures, evaluation runs folded in as evaluators, throughput and cost; every
// percentile of a Distribution pinned to python's statistics.quantiles.
#include <core/report/runscores.h>
#include <core/report/runstatistics.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

using namespace fb;

Q_DECLARE_METATYPE(std::vector<double>)

class TestRunStatistics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void lineCountsTokensAndCost();
    void latencyPercentiles_data();
    void latencyPercentiles();
    void distributionPercentilesPinned();
    void llmCallFigures();
    void evaluatorIntervals_data();
    void evaluatorIntervals();
    void normalIntervalAboveBootstrapSize();
    void evaluationRunsFoldedIn();
    void throughputFromLineTimes();
    void failureReasonsGrouped();
    void unknownRunFails();

private:
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunStatistics::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestRunStatistics::cleanup() { m_dir.reset(); }

void TestRunStatistics::lineCountsTokensAndCost()
{
    const RunId run = test::createRun(path(), "counts", 12, Value{{"classify", "variant_0"}}, true);
    QVERIFY(run.isValid());
    std::vector<LineRecord> lines;
    std::int64_t prompt = 0;
    std::int64_t completion = 0;
    double cost = 0;
    int priced = 0;
    for (int i = 0; i < 10; ++i) {
        LineRecord l = test::completedLine(run, i, "billing", 100.0 + i);
        if (i == 3 || i == 7) {
            l.status = "Failed";
            l.error = "model timed out";
        } else if (i == 9) {
            l.status = "Cancelled";
        }
        l.promptTokens = 100 + i;
        l.completionTokens = 3 * i;
        prompt += l.promptTokens;
        completion += l.completionTokens;
        if (i % 2 == 0) {
            l.costUsd = 0.0005 * (i + 1);
            cost += *l.costUsd;
            ++priced;
        }
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));

    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    auto s = RunStatistics::compute(*store, run);
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QCOMPARE(s->linesTotal, std::int64_t(12));
    QCOMPARE(s->linesStored, std::int64_t(10));
    QCOMPARE(s->linesCompleted, std::int64_t(7));
    QCOMPARE(s->linesFailed, std::int64_t(2));
    QCOMPARE(s->linesOther, std::int64_t(1));
    QCOMPARE(s->promptTokens, prompt);
    QCOMPARE(s->completionTokens, completion);
    QCOMPARE(s->promptTokensPerLine, double(prompt) / 10.0);
    QCOMPARE(s->linesWithCost, std::int64_t(priced));
    QCOMPARE(s->linesWithoutCost, std::int64_t(10 - priced));
    QVERIFY(std::fabs(s->costUsd - cost) < 1e-12);
    QVERIFY(s->costPerLineUsd);
    QVERIFY(std::fabs(*s->costPerLineUsd - cost / priced) < 1e-12);
    QVERIFY(s->isSimulated());
    QVERIFY(s->run.variants == (Value{{"classify", "variant_0"}}));
    // Only completed lines count towards line latency.
    QCOMPARE(s->lineLatencyMs.count, std::size_t(7));
    QVERIFY(s->evaluators.empty());
}

void TestRunStatistics::latencyPercentiles_data()
{
    QTest::addColumn<std::vector<double>>("durations");
    QTest::newRow("ten-ascending") << std::vector<double>{10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    QTest::newRow("skewed-tail") << std::vector<double>{12,   15, 11, 14, 13, 900, 16, 12,
                                                        2500, 14, 13, 12, 18, 17,  15};
    QTest::newRow("single") << std::vector<double>{42.5};
    QTest::newRow("ties") << std::vector<double>{5, 5, 5, 7, 7, 9};
    std::vector<double> many;
    for (int i = 0; i < 2500; ++i) {
        many.push_back(std::fmod(i * 7919.0, 1013.0) + 0.25 * (i % 4));
    }
    QTest::newRow("2500-values-across-pages") << many;
}

void TestRunStatistics::latencyPercentiles()
{
    QFETCH(std::vector<double>, durations);
    const RunId run = test::createRun(path(), "latency", std::int64_t(durations.size()));
    QVERIFY(run.isValid());
    std::vector<LineRecord> lines;
    for (std::size_t i = 0; i < durations.size(); ++i) {
        LineRecord l = test::completedLine(run, std::int64_t(i), "x", durations[i]);
        l.queueMs = durations[i] / 10.0;
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    StatsOptions options;
    options.pageSize = 1000; // several pages for the largest row
    auto s = RunStatistics::compute(*store, run, options);
    QVERIFY(s);
    const Distribution &d = s->lineLatencyMs;
    QCOMPARE(d.count, durations.size());
    const double mean
        = std::accumulate(durations.begin(), durations.end(), 0.0) / double(durations.size());
    QVERIFY(std::fabs(d.mean - mean) < 1e-9);
    QCOMPARE(d.min, *std::min_element(durations.begin(), durations.end()));
    QCOMPARE(d.max, *std::max_element(durations.begin(), durations.end()));
    QVERIFY(std::fabs(d.p25 - test::numpyPercentile(durations, 25)) < 1e-9);
    QVERIFY(std::fabs(d.p50 - test::numpyPercentile(durations, 50)) < 1e-9);
    QVERIFY(std::fabs(d.p75 - test::numpyPercentile(durations, 75)) < 1e-9);
    QVERIFY(std::fabs(d.p90 - test::numpyPercentile(durations, 90)) < 1e-9);
    QVERIFY(std::fabs(d.p95 - test::numpyPercentile(durations, 95)) < 1e-9);
    QVERIFY(std::fabs(d.p99 - test::numpyPercentile(durations, 99)) < 1e-9);
    QCOMPARE(s->queueMs.count, durations.size());
    QVERIFY(std::fabs(s->queueMs.p95 - test::numpyPercentile(durations, 95) / 10.0) < 1e-9);
}

void TestRunStatistics::distributionPercentilesPinned()
{
    // Fourteen latencies (and a NaN, which is dropped). Sorted: 88 95 99 101 120 133 150 170 180
    // 205 260 310 640 2400. numpy's linear rule, h = 13 q / 100, is python's
    // statistics.quantiles(v, n=100, method='inclusive') (and n=4 for the quartiles), which
    // gives these values; by hand: p25 h = 3.25 → 101 + 0.25 * 19; p50 h = 6.5 → 150 + 0.5 * 20;
    // p75 h = 9.75 → 205 + 0.75 * 55; p90 h = 11.7 → 310 + 0.7 * 330; p95 h = 12.35 → 640 +
    // 0.35 * 1760; p99 h = 12.87 → 640 + 0.87 * 1760. Neighbouring percentiles differ (p70 =
    // 210.5, p74 = 239.1, p76 = 253.4, p80 = 280), so the wrong one is caught.
    std::vector<double> v{120, 95, 310, 180, 150, 101, 2400, 133, 260, 170, 99, 205, 640, 88};
    v.insert(v.begin() + 3, std::nan(""));
    const Distribution d = Distribution::of(v);
    QCOMPARE(d.count, std::size_t(14));
    QVERIFY(std::fabs(d.mean - 4951.0 / 14.0) < 1e-9);
    QCOMPARE(d.min, 88.0);
    QCOMPARE(d.max, 2400.0);
    const auto near = [](double got, double expected) {
        return std::fabs(got - expected) < 1e-9 * std::max(1.0, std::fabs(expected));
    };
    QVERIFY2(near(d.p25, 105.75), qPrintable(QString::number(d.p25, 'g', 17)));
    QVERIFY2(near(d.p50, 160.0), qPrintable(QString::number(d.p50, 'g', 17)));
    QVERIFY2(near(d.p75, 246.25), qPrintable(QString::number(d.p75, 'g', 17)));
    QVERIFY2(near(d.p90, 541.0), qPrintable(QString::number(d.p90, 'g', 17)));
    QVERIFY2(near(d.p95, 1256.0), qPrintable(QString::number(d.p95, 'g', 17)));
    QVERIFY2(near(d.p99, 2171.2), qPrintable(QString::number(d.p99, 'g', 17)));
    const Value json = d.toJson();
    QVERIFY(near(json["p75"].get<double>(), 246.25));
    QVERIFY(near(json["p25"].get<double>(), 105.75));
    QCOMPARE(json["count"].get<std::size_t>(), std::size_t(14));
    QVERIFY(Distribution::of({}).toJson() == (Value{{"count", 0}}));
}

void TestRunStatistics::llmCallFigures()
{
    const RunId run = test::createRun(path(), "calls", 4);
    QVERIFY(run.isValid());
    std::vector<double> ttft;
    std::vector<double> tpot;
    std::vector<double> latency;
    std::vector<LineRecord> lines;
    int retried = 0;
    int extra = 0;
    int limited = 0;
    int hits = 0;
    for (int i = 0; i < 4; ++i) {
        LineRecord l = test::completedLine(run, i, "x", 500);
        for (int c = 0; c < 3; ++c) {
            LlmCallRecord call;
            call.node = "classify";
            call.model = "gpt-4o-mini";
            call.attempts = (i + c) % 3 + 1;
            call.httpStatus = (i == 2 && c == 1) ? 429 : 200;
            call.cacheHit = c == 0 && i % 2 == 0;
            if (!call.cacheHit) {
                call.ttftMs = 50.0 + 10 * i + c;
                call.tpotMs = 8.0 + i * 0.5 + c * 0.25;
                ttft.push_back(*call.ttftMs);
                tpot.push_back(*call.tpotMs);
            }
            call.latencyMs = 100.0 + 20 * i + c;
            latency.push_back(*call.latencyMs);
            retried += call.attempts > 1 ? 1 : 0;
            extra += call.attempts - 1;
            limited += call.httpStatus == 429 ? 1 : 0;
            hits += call.cacheHit ? 1 : 0;
            l.llmCalls.push_back(call);
        }
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    auto s = RunStatistics::compute(*store, run);
    QVERIFY(s);
    QCOMPARE(s->llmCalls, std::int64_t(12));
    QCOMPARE(s->retriedCalls, std::int64_t(retried));
    QCOMPARE(s->extraAttempts, std::int64_t(extra));
    QCOMPARE(s->rateLimitedCalls, std::int64_t(limited));
    QCOMPARE(s->cacheHits, std::int64_t(hits));
    QCOMPARE(s->ttftMs.count, ttft.size());
    QVERIFY(std::fabs(s->ttftMs.p50 - test::numpyPercentile(ttft, 50)) < 1e-9);
    QVERIFY(std::fabs(s->ttftMs.p95 - test::numpyPercentile(ttft, 95)) < 1e-9);
    QVERIFY(std::fabs(s->tpotMs.p90 - test::numpyPercentile(tpot, 90)) < 1e-9);
    QVERIFY(std::fabs(s->callLatencyMs.p99 - test::numpyPercentile(latency, 99)) < 1e-9);
}

void TestRunStatistics::evaluatorIntervals_data()
{
    QTest::addColumn<std::vector<double>>("scores");
    QTest::addColumn<int>("passes");
    QTest::newRow("mixed-scores") << std::vector<double>{0.1, 0.9, 0.5, 0.7, 0.3, 1.0, 0.0, 0.6}
                                  << 5;
    QTest::newRow("all-equal") << std::vector<double>{0.5, 0.5, 0.5, 0.5} << 4;
    QTest::newRow("none-pass") << std::vector<double>{0.0, 0.2, 0.1} << 0;
    std::vector<double> forty;
    for (int i = 0; i < 40; ++i) {
        forty.push_back((i * 37 % 41) / 40.0);
    }
    QTest::newRow("forty-rows") << forty << 27;
}

void TestRunStatistics::evaluatorIntervals()
{
    QFETCH(std::vector<double>, scores);
    QFETCH(int, passes);
    const RunId run = test::createRun(path(), "scored", std::int64_t(scores.size()));
    QVERIFY(run.isValid());
    std::vector<LineRecord> lines;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        LineRecord l = test::completedLine(run, std::int64_t(i), "x", 10);
        ScoreRecord rouge;
        rouge.evaluator = "rouge_l";
        rouge.score = scores[i];
        l.scores.push_back(rouge);
        ScoreRecord exact;
        exact.evaluator = "exact_match";
        exact.passed = int(i) < passes;
        l.scores.push_back(exact);
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    auto s = RunStatistics::compute(*store, run);
    QVERIFY(s);
    QCOMPARE(s->evaluators.size(), std::size_t(2));
    const auto *rouge = s->evaluator("rouge_l");
    QVERIFY(rouge && rouge->meanScore && !rouge->passRate);
    const double mean = std::accumulate(scores.begin(), scores.end(), 0.0) / double(scores.size());
    const auto &ci = rouge->meanScore->interval;
    QCOMPARE(rouge->meanScore->n, scores.size());
    QCOMPARE(rouge->meanScore->method, std::string("bootstrap"));
    QVERIFY(std::fabs(ci.estimate - mean) < 1e-12);
    QVERIFY(ci.lower <= mean + 1e-12 && mean <= ci.upper + 1e-12);
    QVERIFY(ci.lower >= *std::min_element(scores.begin(), scores.end()) - 1e-12);
    QVERIFY(ci.upper <= *std::max_element(scores.begin(), scores.end()) + 1e-12);
    const auto *exact = s->evaluator("exact_match");
    QVERIFY(exact && exact->passRate && !exact->meanScore);
    QCOMPARE(exact->passRate->interval.estimate, double(passes) / double(scores.size()));
    QVERIFY(exact->passRate->interval.lower <= exact->passRate->interval.estimate);
    QVERIFY(exact->passRate->interval.upper >= exact->passRate->interval.estimate);
    if (passes > 0 && passes < int(scores.size())) {
        QVERIFY(exact->passRate->interval.upper > exact->passRate->interval.lower);
    }
    // Seeded: the same data gives the same interval.
    auto again = RunStatistics::compute(*store, run);
    QVERIFY(again);
    QCOMPARE(again->evaluator("rouge_l")->meanScore->interval.lower, ci.lower);
    QCOMPARE(again->evaluator("rouge_l")->meanScore->interval.upper, ci.upper);
}

void TestRunStatistics::normalIntervalAboveBootstrapSize()
{
    std::vector<double> v{0.2, 0.4, 0.4, 0.9, 1.0, 0.1, 0.6, 0.8, 0.3, 0.5};
    StatsOptions options;
    options.maxBootstrapSize = 5;
    auto m = RunStatistics::meanInterval(v, options);
    QVERIFY(m && *m);
    QCOMPARE((*m)->method, std::string("normal"));
    const double n = double(v.size());
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
    double ss = 0;
    for (double x : v) {
        ss += (x - mean) * (x - mean);
    }
    const double half = 1.959963984540054 * std::sqrt(ss / (n - 1)) / std::sqrt(n);
    QVERIFY(std::fabs((*m)->interval.lower - (mean - half)) < 1e-9);
    QVERIFY(std::fabs((*m)->interval.upper - (mean + half)) < 1e-9);
    options.maxBootstrapSize = 100;
    auto boot = RunStatistics::meanInterval(v, options);
    QVERIFY(boot && *boot);
    QCOMPARE((*boot)->method, std::string("bootstrap"));
    auto none = RunStatistics::meanInterval({}, options);
    QVERIFY(none && !*none);
    options.bootstrap.resamples = 0;
    QVERIFY(!RunStatistics::meanInterval(v, options));
}

void TestRunStatistics::evaluationRunsFoldedIn()
{
    const RunId base = test::createRun(path(), "base", 6);
    QVERIFY(base.isValid());
    std::vector<LineRecord> lines;
    for (int i = 0; i < 6; ++i) {
        lines.push_back(test::completedLine(base, i, "billing", 10));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    const RunId eval = test::createRun(path(), "base-eval", 6, Value::object(), false, base);
    QVERIFY(eval.isValid());
    const char *grades[] = {"Correct", "Incorrect", "correct", "Correct", "INCORRECT", "Correct"};
    lines.clear();
    for (int i = 0; i < 6; ++i) {
        LineRecord l;
        l.runId = eval;
        l.lineIndex = i;
        l.status = "Completed";
        l.outputs = Value{{"grade", grades[i]},
                          {"similarity", std::to_string(0.25 * i)},
                          {"strict", i % 2 == 0},
                          {"reason", i == 4 ? "yes" : "the answer names the right team"}};
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    QVERIFY(store->putMetric(eval, "accuracy", 4.0 / 6.0));

    auto s = RunStatistics::compute(*store, base);
    QVERIFY(s);
    QCOMPARE(s->evaluationRuns, std::vector<std::string>{"base-eval"});
    QCOMPARE(s->evaluators.size(), std::size_t(3)); // grade, similarity, strict; not reason
    QVERIFY(!s->evaluator("reason"));
    const auto *grade = s->evaluator("grade");
    QVERIFY(grade && grade->passRate);
    QCOMPARE(grade->source, std::string("base-eval"));
    QCOMPARE(grade->passRate->interval.estimate, 4.0 / 6.0);
    const auto *similarity = s->evaluator("similarity");
    QVERIFY(similarity && similarity->meanScore);
    QVERIFY(std::fabs(similarity->meanScore->interval.estimate - 0.25 * 15 / 6) < 1e-12);
    QCOMPARE(s->evaluator("strict")->passRate->interval.estimate, 0.5);
    QCOMPARE(s->metrics.at("accuracy"), 4.0 / 6.0);

    // A second evaluation run: every evaluation-run evaluator is named after its run.
    const RunId eval2 = test::createRun(path(), "judge", 6, Value::object(), false, base);
    lines.clear();
    for (int i = 0; i < 3; ++i) {
        LineRecord l;
        l.runId = eval2;
        l.lineIndex = i;
        l.status = "Completed";
        l.outputs = Value{{"grade", i == 0}};
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto two = RunStatistics::compute(*store, base);
    QVERIFY(two);
    QVERIFY(two->evaluator("base-eval.grade"));
    QVERIFY(two->evaluator("judge.grade"));
    QVERIFY(!two->evaluator("grade"));
    QCOMPARE(two->evaluator("judge.grade")->passRate->n, std::size_t(3));
    QCOMPARE(two->metrics.count("base-eval.accuracy"), std::size_t(1));
}

void TestRunStatistics::throughputFromLineTimes()
{
    const RunId run = test::createRun(path(), "throughput", 5);
    std::vector<LineRecord> lines;
    for (int i = 0; i < 5; ++i) {
        LineRecord l = test::completedLine(run, i, "x", 300);
        l.startedAtMs = 1'000'000 + i * 250;
        LlmCallRecord call;
        call.node = "classify";
        l.llmCalls = {call, call};
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    auto s = RunStatistics::compute(*store, run);
    QVERIFY(s);
    // First start 1 000 000, last end 1 000 000 + 1000 + 300.
    QVERIFY(s->wallSeconds);
    QVERIFY(std::fabs(*s->wallSeconds - 1.3) < 1e-9);
    QVERIFY(std::fabs(*s->linesPerSecond - 5 / 1.3) < 1e-9);
    QVERIFY(std::fabs(*s->callsPerSecond - 10 / 1.3) < 1e-9);
}

void TestRunStatistics::failureReasonsGrouped()
{
    const RunId run = test::createRun(path(), "failures", 9);
    std::vector<LineRecord> lines;
    for (int i = 0; i < 9; ++i) {
        LineRecord l = test::completedLine(run, i, "x", 10);
        if (i % 3 != 0) {
            l.status = "Failed";
            l.error = i % 3 == 1 ? "HTTP 500 from the provider" : "template error";
            if (i == 8) {
                l.error = "HTTP 500 from the provider";
            }
        }
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    StatsOptions options;
    options.maxFailureReasons = 1;
    auto s = RunStatistics::compute(*store, run, options);
    QVERIFY(s);
    QCOMPARE(s->linesFailed, std::int64_t(6));
    QCOMPARE(s->failures.size(), std::size_t(1));
    QCOMPARE(s->failures[0].message, std::string("HTTP 500 from the provider"));
    QCOMPARE(s->failures[0].count, std::int64_t(4)); // lines 1, 4, 7, 8
    QCOMPARE(s->failures[0].exampleLines, (std::vector<std::int64_t>{1, 4, 7, 8}));
    QCOMPARE(s->otherFailures, std::int64_t(2));
    auto all = RunStatistics::compute(*store, run);
    QCOMPARE(all->failures.size(), std::size_t(2));
    QCOMPARE(all->failures[1].count, std::int64_t(2));
}

void TestRunStatistics::unknownRunFails()
{
    QVERIFY(test::createRun(path(), "exists", 1).isValid());
    auto store = ExperimentStore::open(path());
    auto s = RunStatistics::compute(*store, RunId{999});
    QVERIFY(!s);
    QCOMPARE(s.error().code, ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestRunStatistics)
#include "tst_runstatistics.moc"
