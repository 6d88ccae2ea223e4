// ChartData against figures worked out by hand on small stores: histogram ranges, bin counts
// and percentiles (numpy's linear method, checked against an independent implementation and
// against DescriptiveStats), quality bars equal to the HTML report's intervals, cost per run
// and per 1,000 lines, Pareto membership with ties, and a trend's runs in creation order.
#include <core/eval/descriptivestats.h>
#include <core/report/chartdata.h>
#include <core/report/runstatistics.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>
#include <tests/core/store/rawsqlite.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <memory>
#include <random>

using namespace fb;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// One histogram case: input values, bins and range percentile, and what to expect.
struct HistogramRow
{
    std::vector<double> values;
    int bins = 10;
    double rangePercentile = 100.0;
    double lower = 0.0;
    double upper = 0.0;
    std::vector<std::int64_t> counts;
    std::int64_t above = 0;
    std::int64_t count = 0;
};

std::vector<double> oneTo(int n)
{
    std::vector<double> v;
    for (int i = 1; i <= n; ++i) {
        v.push_back(i);
    }
    return v;
}

} // namespace

Q_DECLARE_METATYPE(HistogramRow)
Q_DECLARE_METATYPE(std::vector<double>)
Q_DECLARE_METATYPE(std::vector<bool>)

class TestChartData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void histogramBins_data();
    void histogramBins();
    void histogramPercentiles_data();
    void histogramPercentiles();
    void paretoFront_data();
    void paretoFront();

    void latencyHistogramOfCompletedLines();
    void ttftAndTpotFromLlmCalls();
    void costPerRunAndPer1kLines();
    void qualityEqualsReportIntervals();
    void qualityVsCostMarksFront();
    void trendInCreationOrder();
    void trendOfLatencyAndCost();
    void badRequestsFail();

private:
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    Result<ChartData> compute(const ChartRequest &request)
    {
        auto store = ExperimentStore::open(path());
        if (!store) {
            return store.error();
        }
        return ChartData::compute(*store, request);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestChartData::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestChartData::cleanup() { m_dir.reset(); }

void TestChartData::histogramBins_data()
{
    QTest::addColumn<HistogramRow>("row");
    // 1..100 over [0, 100] in bins of 10: 1-9 in the first, 90-100 (11 values) in the last.
    QTest::newRow("1-100, full range") << HistogramRow{
        oneTo(100), 10, 100.0, 0.0, 100.0, {9, 10, 10, 10, 10, 10, 10, 10, 10, 11}, 0, 100};
    // p99.5 of 1..100 is 1 + 99·0.995 = 99.505: 100 is above the range; width 9.9505.
    QTest::newRow("1-100, to p99.5") << HistogramRow{
        oneTo(100), 10, 99.5, 0.0, 99.505, {9, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 1, 100};
    // [0,1) none, [1,2) 1, [2,3) 2, [3,4] 3 and 4.
    QTest::newRow("NaNs dropped") << HistogramRow{
        {kNaN, 1, 2, kNaN, 3, 4}, 4, 100.0, 0.0, 4.0, {0, 1, 1, 2}, 0, 4};
    // All equal: the range still starts at 0; every value is the upper bound, in the last bin.
    QTest::newRow("all equal") << HistogramRow{{12.5, 12.5, 12.5}, 5, 99.5, 0.0, 12.5,
                                               {0, 0, 0, 0, 3},    0, 3};
    QTest::newRow("all zero") << HistogramRow{{0, 0}, 2, 100.0, 0.0, 1.0, {2, 0}, 0, 2};
    QTest::newRow("negative values start the range")
        << HistogramRow{{-4, -1, 0, 4}, 4, 100.0, -4.0, 4.0, {1, 1, 1, 1}, 0, 4};
    QTest::newRow("one bin") << HistogramRow{{3, 1, 2}, 1, 100.0, 0.0, 3.0, {3}, 0, 3};
    QTest::newRow("empty") << HistogramRow{{}, 3, 99.5, 0.0, 0.0, {0, 0, 0}, 0, 0};
    // On a bin edge: 5 of [0, 10] in 2 bins goes to the upper bin.
    QTest::newRow("edge goes up") << HistogramRow{{0, 5, 10}, 2, 100.0, 0.0, 10.0, {1, 2}, 0, 3};
}

void TestChartData::histogramBins()
{
    QFETCH(HistogramRow, row);
    std::vector<double> values = row.values;
    const Histogram h = Histogram::of(values, row.bins, row.rangePercentile);
    QCOMPARE(h.count, row.count);
    QCOMPARE(h.lower, row.lower);
    QVERIFY2(std::abs(h.upper - row.upper) < 1e-9, qPrintable(QString::number(h.upper, 'g', 17)));
    QCOMPARE(h.counts, row.counts);
    QCOMPARE(h.above, row.above);
    std::int64_t binned = 0;
    for (auto c : h.counts) {
        binned += c;
    }
    QCOMPARE(binned + h.above, h.count);
}

void TestChartData::histogramPercentiles_data()
{
    QTest::addColumn<std::vector<double>>("values");
    QTest::newRow("one") << std::vector<double>{7};
    QTest::newRow("two") << std::vector<double>{9, 1};
    QTest::newRow("1-100") << oneTo(100);
    QTest::newRow("duplicates") << std::vector<double>{5, 1, 5, 5, 2, 9, 9, 1, 5};
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> latency(6.0, 0.5);
    for (int n : {3, 10, 1001, 20000}) {
        std::vector<double> v;
        for (int i = 0; i < n; ++i) {
            v.push_back(latency(rng));
        }
        QTest::newRow(qPrintable(QStringLiteral("lognormal %1").arg(n))) << v;
    }
}

void TestChartData::histogramPercentiles()
{
    QFETCH(std::vector<double>, values);
    std::vector<double> copy = values;
    const Histogram h = Histogram::of(copy, 40, 99.5);
    // Exactly what the reports compute (the same interpolation on the same two values).
    QCOMPARE(h.p50, DescriptiveStats::percentile(values, 50));
    QCOMPARE(h.p95, DescriptiveStats::percentile(values, 95));
    QCOMPARE(h.p99, DescriptiveStats::percentile(values, 99));
    QCOMPARE(h.upper, DescriptiveStats::percentile(values, 99.5) > 0
                          ? DescriptiveStats::percentile(values, 99.5)
                          : 1.0);
    // And what numpy gives, written out independently.
    QVERIFY(std::abs(h.p95 - test::numpyPercentile(values, 95)) <= 1e-9 * std::abs(h.p95));
    QCOMPARE(h.min, *std::min_element(values.begin(), values.end()));
    QCOMPARE(h.max, *std::max_element(values.begin(), values.end()));
    QVERIFY(std::abs(h.mean - DescriptiveStats::mean(values)) <= 1e-9 * std::abs(h.mean));
}

void TestChartData::paretoFront_data()
{
    QTest::addColumn<std::vector<double>>("costs");
    QTest::addColumn<std::vector<double>>("qualities");
    QTest::addColumn<std::vector<bool>>("front");
    QTest::newRow("cheaper and better dominates")
        << std::vector<double>{1, 2} << std::vector<double>{0.9, 0.8}
        << std::vector<bool>{true, false};
    QTest::newRow("trade-off keeps both")
        << std::vector<double>{1, 2, 3} << std::vector<double>{0.5, 0.7, 0.6}
        << std::vector<bool>{true, true, false};
    QTest::newRow("equal points are both on the front")
        << std::vector<double>{1, 1, 2} << std::vector<double>{0.8, 0.8, 0.7}
        << std::vector<bool>{true, true, false};
    QTest::newRow("same cost, lower quality is dominated")
        << std::vector<double>{1, 1} << std::vector<double>{0.8, 0.7}
        << std::vector<bool>{true, false};
    QTest::newRow("same quality, higher cost is dominated")
        << std::vector<double>{1, 2} << std::vector<double>{0.8, 0.8}
        << std::vector<bool>{true, false};
    QTest::newRow("NaN is never on it")
        << std::vector<double>{kNaN, 2} << std::vector<double>{0.9, 0.8}
        << std::vector<bool>{false, true};
    QTest::newRow("one point") << std::vector<double>{5} << std::vector<double>{0.1}
                               << std::vector<bool>{true};
    QTest::newRow("none") << std::vector<double>{} << std::vector<double>{} << std::vector<bool>{};
}

void TestChartData::paretoFront()
{
    QFETCH(std::vector<double>, costs);
    QFETCH(std::vector<double>, qualities);
    QFETCH(std::vector<bool>, front);
    QCOMPARE(ChartData::paretoFront(costs, qualities), front);
}

void TestChartData::latencyHistogramOfCompletedLines()
{
    const RunId a = test::createRun(path(), "fast", 12);
    const RunId b = test::createRun(path(), "slow", 4);
    QVERIFY(a.isValid() && b.isValid());
    std::vector<LineRecord> lines;
    // a: completed lines of 10, 20, ..., 100 ms; a failed line of 5000 ms that must not count.
    for (int i = 0; i < 10; ++i) {
        lines.push_back(test::completedLine(a, i, "x", 10.0 * (i + 1)));
    }
    LineRecord failed = test::completedLine(a, 10, "x", 5000);
    failed.status = "Failed";
    failed.error = "boom";
    lines.push_back(failed);
    for (int i = 0; i < 4; ++i) {
        lines.push_back(test::completedLine(b, i, "x", 1000.0));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));

    ChartRequest request;
    request.kind = ChartKind::Latency;
    request.runs = {b, a};
    request.bins = 5;
    request.rangePercentile = 100;
    auto data = compute(request);
    QVERIFY2(data, data ? "" : data.error().message.c_str());
    QCOMPARE(data->histograms.size(), std::size_t(2));
    // In the order asked.
    QCOMPARE(data->histograms[0].label, std::string("slow"));
    QCOMPARE(data->histograms[1].label, std::string("fast"));
    const Histogram &h = data->histograms[1].histogram;
    QCOMPARE(h.count, std::int64_t(10));
    QCOMPARE(h.upper, 100.0);
    // Bins of 20 ms: [0,20) 10; [20,40) 20,30; [40,60) 40,50; [60,80) 60,70; [80,100] 80,90,100.
    QCOMPARE(h.counts, (std::vector<std::int64_t>{1, 2, 2, 2, 3}));
    QCOMPARE(h.p50, 55.0);               // between 50 and 60
    QCOMPARE(h.p95, 95.5);               // h = 9·0.95 = 8.55: 90 + 0.55·10
    QVERIFY(qFuzzyCompare(h.p99, 99.1)); // h = 8.91
    QCOMPARE(h.max, 100.0);
    QCOMPARE(data->histograms[0].histogram.p99, 1000.0);
    QCOMPARE(data->histograms[0].histogram.counts.back(), std::int64_t(4));
}

void TestChartData::ttftAndTpotFromLlmCalls()
{
    const RunId run = test::createRun(path(), "calls", 4);
    QVERIFY(run.isValid());
    std::vector<LineRecord> lines;
    for (int i = 0; i < 4; ++i) {
        LineRecord l = test::completedLine(run, i, "x", 100);
        // Two calls a line: TTFT 100·(i+1) and 1000, TPOT 10 and none.
        LlmCallRecord c;
        c.node = "classify";
        c.ttftMs = 100.0 * (i + 1);
        c.tpotMs = 10.0;
        LlmCallRecord d;
        d.node = "summarize";
        d.ttftMs = 1000.0;
        l.llmCalls = {c, d};
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    ChartRequest request;
    request.kind = ChartKind::Ttft;
    request.runs = {run};
    request.bins = 10;
    request.rangePercentile = 100;
    auto ttft = compute(request);
    QVERIFY(ttft);
    const Histogram &t = ttft->histograms.front().histogram;
    QCOMPARE(t.count, std::int64_t(8));
    // 100, 200, 300, 400, 1000 ×4: p50 between 400 and 1000.
    QCOMPARE(t.p50, 700.0);
    QCOMPARE(t.counts, (std::vector<std::int64_t>{0, 1, 1, 1, 1, 0, 0, 0, 0, 4}));
    request.kind = ChartKind::Tpot;
    auto tpot = compute(request);
    QVERIFY(tpot);
    QCOMPARE(tpot->histograms.front().histogram.count, std::int64_t(4));
    QCOMPARE(tpot->histograms.front().histogram.p99, 10.0);
}

void TestChartData::costPerRunAndPer1kLines()
{
    const RunId priced = test::createRun(path(), "priced", 12);
    const RunId unpriced = test::createRun(path(), "unpriced", 2);
    QVERIFY(priced.isValid() && unpriced.isValid());
    std::vector<LineRecord> lines;
    // 10 lines at 0.0025 USD, 2 without a price: 0.025 USD, 2.50 USD per 1,000 priced lines.
    for (int i = 0; i < 12; ++i) {
        LineRecord l = test::completedLine(priced, i, "x", 10);
        if (i < 10) {
            l.costUsd = 0.0025;
        }
        lines.push_back(std::move(l));
    }
    for (int i = 0; i < 2; ++i) {
        lines.push_back(test::completedLine(unpriced, i, "x", 10));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    ChartRequest request;
    request.kind = ChartKind::Cost;
    request.runs = {priced, unpriced};
    auto data = compute(request);
    QVERIFY(data);
    QCOMPARE(data->costs.size(), std::size_t(2));
    const RunCost &c = data->costs[0];
    QCOMPARE(c.label, std::string("priced"));
    QCOMPARE(c.linesWithCost, std::int64_t(10));
    QCOMPARE(c.linesWithoutCost, std::int64_t(2));
    // Summed in double precision by the store.
    QVERIFY(std::abs(c.totalUsd - 0.025) < 1e-15);
    QVERIFY(c.per1kLinesUsd);
    QVERIFY(std::abs(*c.per1kLinesUsd - 2.5) < 1e-12);
    QCOMPARE(data->costs[1].linesWithCost, std::int64_t(0));
    QVERIFY(!data->costs[1].per1kLinesUsd);
}

void TestChartData::qualityEqualsReportIntervals()
{
    const RunId a = test::createRun(path(), "a", 20);
    const RunId b = test::createRun(path(), "b", 20);
    const RunId c = test::createRun(path(), "c", 20);
    QVERIFY(a.isValid() && b.isValid() && c.isValid());
    QVERIFY(test::writeVerdictLines(path(), a, b, c));
    ChartRequest request;
    request.kind = ChartKind::Quality;
    request.runs = {a, b, c};
    auto data = compute(request);
    QVERIFY(data);
    QCOMPARE(data->evaluators, (std::vector<std::string>{"exact_match"}));
    QCOMPARE(data->quality.size(), std::size_t(3));
    const double rates[] = {0.5, 0.8, 1.0};
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    for (std::size_t i = 0; i < 3; ++i) {
        const QualityBar &bar = data->quality[i];
        QCOMPARE(bar.run, request.runs[i]);
        QCOMPARE(bar.evaluator, std::string("exact_match"));
        QVERIFY(bar.passRate);
        QCOMPARE(bar.value.interval.estimate, rates[i]);
        QCOMPARE(bar.value.n, std::size_t(20));
        // The very interval the HTML report prints for this run.
        auto stats = RunStatistics::compute(*store, request.runs[i]);
        QVERIFY(stats);
        const auto &report = *stats->evaluator("exact_match")->passRate;
        QCOMPARE(bar.value.interval.lower, report.interval.lower);
        QCOMPARE(bar.value.interval.upper, report.interval.upper);
        QCOMPARE(bar.value.method, report.method);
        QVERIFY(bar.value.interval.lower <= rates[i] && rates[i] <= bar.value.interval.upper);
    }
    // Run a: 10 of 20 passed; its interval is strictly inside (0, 1).
    QVERIFY(data->quality[0].value.interval.lower > 0.2);
    QVERIFY(data->quality[0].value.interval.upper < 0.8);
}

void TestChartData::qualityVsCostMarksFront()
{
    // a: 50 % at 2.00 USD/1k, b: 80 % at 2.00, c: 100 % at 1.00 (writeVerdictLines), and d: a
    // copy of c's figures — a tie with c, so both are on the front and a, b are dominated.
    const RunId a = test::createRun(path(), "a", 20);
    const RunId b = test::createRun(path(), "b", 20);
    const RunId c = test::createRun(path(), "c", 20);
    const RunId d = test::createRun(path(), "d", 20);
    const RunId e = test::createRun(path(), "e", 20);
    QVERIFY(a.isValid() && b.isValid() && c.isValid() && d.isValid() && e.isValid());
    QVERIFY(test::writeVerdictLines(path(), a, b, c));
    std::vector<LineRecord> lines;
    for (int i = 0; i < 20; ++i) {
        LineRecord l = test::completedLine(d, i, "x", 10);
        l.costUsd = 0.001;
        ScoreRecord s;
        s.evaluator = "exact_match";
        s.passed = true;
        s.score = 1.0;
        l.scores.push_back(s);
        lines.push_back(std::move(l));
        // e has no price: it cannot be placed.
        LineRecord u = test::completedLine(e, i, "x", 10);
        u.scores.push_back(s);
        lines.push_back(std::move(u));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    ChartRequest request;
    request.kind = ChartKind::QualityVsCost;
    request.runs = {a, b, c, d, e};
    auto data = compute(request);
    QVERIFY(data);
    QCOMPARE(data->evaluator, std::string("exact_match"));
    QVERIFY(data->passRate);
    QCOMPARE(data->points.size(), std::size_t(4));
    const bool front[] = {false, false, true, true};
    const double per1k[] = {2.0, 2.0, 1.0, 1.0};
    const double quality[] = {0.5, 0.8, 1.0, 1.0};
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(data->points[i].run, request.runs[i]);
        QCOMPARE(data->points[i].onParetoFront, front[i]);
        QVERIFY(std::abs(data->points[i].costPer1kLinesUsd - per1k[i]) < 1e-6);
        QCOMPARE(data->points[i].quality.interval.estimate, quality[i]);
    }
    // Without c and d, b (80 % at the same cost as a) is the front alone.
    request.runs = {a, b};
    data = compute(request);
    QVERIFY(data);
    QCOMPARE(data->points[0].onParetoFront, false);
    QCOMPARE(data->points[1].onParetoFront, true);
    // An unknown evaluator places nothing.
    request.evaluator = "bleu";
    data = compute(request);
    QVERIFY(data);
    QVERIFY(data->points.empty());
}

void TestChartData::trendInCreationOrder()
{
    // Runs of "classify" created in the order third, first, second (ids 1, 2, 3), one run of
    // another flow and an evaluation run of "classify": the trend has the three, oldest first.
    const RunId third = test::createRun(path(), "third", 20);
    const RunId first = test::createRun(path(), "first", 20);
    const RunId second = test::createRun(path(), "second", 20);
    QVERIFY(third.isValid() && first.isValid() && second.isValid());
    QVERIFY(test::writeVerdictLines(path(), first, second, third)); // 50 %, 80 %, 100 %
    const RunId eval = test::createRun(path(), "eval-of-first", 20, Value::object(), false, first);
    QVERIFY(eval.isValid());
    {
        // A scored line, so the evaluation run would have a pass rate were it let in.
        LineRecord l = test::completedLine(eval, 0, "x", 5);
        ScoreRecord s;
        s.evaluator = "exact_match";
        s.passed = true;
        s.score = 1.0;
        l.scores.push_back(s);
        QVERIFY(test::writeLines(path(), {l}));
    }
    RunId other;
    {
        auto store = ExperimentStore::open(path());
        QVERIFY(store);
        auto flow = store->internFlow("hash-other", "summarize", "flows/summarize", "{}");
        QVERIFY(flow);
        RunSpec spec;
        spec.name = "other-flow";
        spec.flowId = *flow;
        auto run = store->createRun(spec);
        QVERIFY(run);
        other = *run;
    }
    {
        test::RawSqlite raw(path());
        QVERIFY(raw.isOpen());
        QVERIFY(raw.exec("UPDATE runs SET created_at = 3000 WHERE name = 'third'"));
        QVERIFY(raw.exec("UPDATE runs SET created_at = 1000 WHERE name = 'first'"));
        QVERIFY(raw.exec("UPDATE runs SET created_at = 2000 WHERE name = 'second'"));
        QVERIFY(raw.exec("UPDATE runs SET created_at = 1500 WHERE name IN "
                         "('eval-of-first', 'other-flow')"));
    }
    ChartRequest request;
    request.kind = ChartKind::Trend;
    request.trendMetric = TrendMetric::Quality;
    request.runs = {second}; // any run of the flow
    auto data = compute(request);
    QVERIFY2(data, data ? "" : data.error().message.c_str());
    QCOMPARE(data->trendFlow, std::string("classify"));
    QCOMPARE(data->evaluator, std::string("exact_match"));
    QCOMPARE(data->trend.size(), std::size_t(3));
    const char *names[] = {"first", "second", "third"};
    const double rates[] = {0.5, 0.8, 1.0};
    const std::int64_t created[] = {1000, 2000, 3000};
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(data->trend[i].label, std::string(names[i]));
        QCOMPARE(data->trend[i].createdAtMs, created[i]);
        QCOMPARE(data->trend[i].value, rates[i]);
        QVERIFY(data->trend[i].lower && data->trend[i].upper);
        QVERIFY(*data->trend[i].lower <= rates[i] && rates[i] <= *data->trend[i].upper);
    }
    // At most the newest two: first drops out.
    request.maxTrendRuns = 2;
    data = compute(request);
    QVERIFY(data);
    QCOMPARE(data->trend.size(), std::size_t(2));
    QCOMPARE(data->trend[0].label, std::string("second"));
    Q_UNUSED(other);
}

void TestChartData::trendOfLatencyAndCost()
{
    const RunId a = test::createRun(path(), "a", 20);
    const RunId b = test::createRun(path(), "b", 20);
    const RunId c = test::createRun(path(), "c", 20);
    QVERIFY(test::writeVerdictLines(path(), a, b, c));
    ChartRequest request;
    request.kind = ChartKind::Trend;
    request.runs = {a};
    request.trendMetric = TrendMetric::CostPer1kLines;
    auto data = compute(request);
    QVERIFY(data);
    QCOMPARE(data->trend.size(), std::size_t(3));
    QVERIFY(std::abs(data->trend[2].value - 1.0) < 1e-6); // c: 0.001 a line
    QVERIFY(std::abs(data->trend[0].value - 2.0) < 1e-6);
    QVERIFY(!data->trend[0].lower);
    QVERIFY(data->evaluators.empty());
    // Run c's durations are a's minus 40 ms: its p50 and p95 are a's minus 40.
    const std::vector<double> base = {120, 95,  210, 150, 180, 99,  130, 160, 140, 175,
                                      88,  230, 145, 160, 122, 118, 199, 140, 105, 133};
    for (TrendMetric metric : {TrendMetric::LatencyP50, TrendMetric::LatencyP95}) {
        request.trendMetric = metric;
        data = compute(request);
        QVERIFY(data);
        const double q = metric == TrendMetric::LatencyP50 ? 50 : 95;
        QVERIFY(std::abs(data->trend[0].value - test::numpyPercentile(base, q)) < 1e-3);
        QVERIFY(std::abs(data->trend[2].value - (test::numpyPercentile(base, q) - 40)) < 1e-3);
    }
}

void TestChartData::badRequestsFail()
{
    const RunId run = test::createRun(path(), "a", 1);
    QVERIFY(run.isValid());
    ChartRequest request;
    request.kind = ChartKind::Latency;
    auto none = compute(request);
    QVERIFY(!none);
    QCOMPARE(none.error().code, ErrorCode::InvalidArgument);
    request.runs = {run};
    request.bins = 0;
    QVERIFY(!compute(request));
    request.bins = 40;
    request.rangePercentile = 0;
    QVERIFY(!compute(request));
    request.rangePercentile = 99.5;
    request.runs = {RunId{999}};
    auto unknown = compute(request);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestChartData)
#include "tst_chartdata.moc"
