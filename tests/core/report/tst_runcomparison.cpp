// RunComparison against values computed here: McNemar on known 2x2 tables (exact binomial and
// chi-square), win/tie/loss, mean differences and Cohen's d on paired scores, alignment by line
// index, output differences, latency and cost deltas; the paired-normal test above the bootstrap
// size, pinned to python's statistics.NormalDist; and which pairs a report compares.
#include <core/report/runcomparison.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace fb;

namespace {

double binomialTwoSided(int b, int c)
{
    const int n = b + c;
    const int k = std::min(b, c);
    double tail = 0;
    for (int i = 0; i <= k; ++i) {
        tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0)
                         - n * std::log(2.0));
    }
    return std::min(1.0, 2 * tail);
}

} // namespace

class TestRunComparison : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void mcnemarOnKnownTable_data();
    void mcnemarOnKnownTable();
    void pairedScores();
    void pairedNormalAboveBootstrapSize();
    void alignsByLineIndexAndCountsDifferences();
    void latencyAndCostDeltas();
    void reportPairs_data();
    void reportPairs();
    void refusesSameRun();

private:
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRunComparison::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestRunComparison::cleanup() { m_dir.reset(); }

void TestRunComparison::mcnemarOnKnownTable_data()
{
    QTest::addColumn<int>("bothPass");
    QTest::addColumn<int>("baselineOnly");
    QTest::addColumn<int>("candidateOnly");
    QTest::addColumn<int>("bothFail");
    QTest::newRow("exact-10-vs-2") << 20 << 10 << 2 << 8;
    QTest::newRow("exact-no-discordant") << 5 << 0 << 0 << 5;
    QTest::newRow("exact-balanced") << 3 << 4 << 4 << 3;
    QTest::newRow("chi-square-30-vs-12") << 40 << 12 << 30 << 18;
}

void TestRunComparison::mcnemarOnKnownTable()
{
    QFETCH(int, bothPass);
    QFETCH(int, baselineOnly);
    QFETCH(int, candidateOnly);
    QFETCH(int, bothFail);
    const int n = bothPass + baselineOnly + candidateOnly + bothFail;
    const RunId a = test::createRun(path(), "baseline", n);
    const RunId b = test::createRun(path(), "candidate", n);
    QVERIFY(a.isValid() && b.isValid());
    std::vector<LineRecord> lines;
    for (int i = 0; i < n; ++i) {
        const bool basePass = i < bothPass + baselineOnly;
        const bool candPass
            = i < bothPass
              || (i >= bothPass + baselineOnly && i < bothPass + baselineOnly + candidateOnly);
        LineRecord x = test::completedLine(a, i, "x", 10);
        LineRecord y = test::completedLine(b, i, "x", 10);
        ScoreRecord sx;
        sx.evaluator = "exact_match";
        sx.passed = basePass;
        x.scores.push_back(sx);
        ScoreRecord sy = sx;
        sy.passed = candPass;
        y.scores.push_back(sy);
        lines.push_back(std::move(x));
        lines.push_back(std::move(y));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    auto c = RunComparison::compare(*store, a, b);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QCOMPARE(c->evaluators.size(), std::size_t(1));
    const EvaluatorComparison &e = c->evaluators[0];
    QVERIFY(e.mcnemar);
    QCOMPARE(e.mcnemar->onlyA, std::size_t(baselineOnly));
    QCOMPARE(e.mcnemar->onlyB, std::size_t(candidateOnly));
    const int discordant = baselineOnly + candidateOnly;
    double expected = 1.0;
    if (discordant > 0 && discordant < 25) {
        expected = binomialTwoSided(baselineOnly, candidateOnly);
    } else if (discordant >= 25) {
        const double stat = std::pow(std::abs(baselineOnly - candidateOnly) - 1.0, 2) / discordant;
        expected = std::erfc(std::sqrt(stat / 2.0)); // chi-square, 1 df
    }
    QVERIFY2(std::fabs(*e.pValue() - expected) < 1e-9,
             qPrintable(QStringLiteral("p %1 expected %2").arg(*e.pValue()).arg(expected)));
    QCOMPARE(e.testName(), std::string("McNemar"));
    QCOMPARE(e.winTieLoss.wins, std::size_t(candidateOnly));
    QCOMPARE(e.winTieLoss.losses, std::size_t(baselineOnly));
    QCOMPARE(e.winTieLoss.ties, std::size_t(bothPass + bothFail));
    QCOMPARE(*e.baselinePassRate, double(bothPass + baselineOnly) / n);
    QCOMPARE(*e.candidatePassRate, double(bothPass + candidateOnly) / n);
    QVERIFY(std::fabs(*e.effect() - double(candidateOnly - baselineOnly) / n) < 1e-12);
}

void TestRunComparison::pairedScores()
{
    const std::vector<double> base{0.5, 0.6, 0.2, 0.9, 0.4, 0.4, 0.7, 0.1, 0.3, 0.8};
    const std::vector<double> cand{0.7, 0.6, 0.5, 0.8, 0.6, 0.9, 0.7, 0.3, 0.6, 0.9};
    const RunId a = test::createRun(path(), "a", 10);
    const RunId b = test::createRun(path(), "b", 10);
    std::vector<LineRecord> lines;
    for (int i = 0; i < 10; ++i) {
        LineRecord x = test::completedLine(a, i, "x", 10);
        LineRecord y = test::completedLine(b, i, "x", 10);
        ScoreRecord s;
        s.evaluator = "rouge_l";
        s.score = base[std::size_t(i)];
        x.scores.push_back(s);
        s.score = cand[std::size_t(i)];
        y.scores.push_back(s);
        lines.push_back(std::move(x));
        lines.push_back(std::move(y));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    auto c = RunComparison::compare(*store, a, b);
    QVERIFY(c);
    const auto *e = c->evaluator("rouge_l");
    QVERIFY(e && e->bootstrap && e->wilcoxon && e->cohensD);
    std::size_t wins = 0;
    std::size_t ties = 0;
    std::size_t losses = 0;
    double sum = 0;
    std::vector<double> d;
    for (std::size_t i = 0; i < base.size(); ++i) {
        d.push_back(cand[i] - base[i]);
        sum += d.back();
        wins += cand[i] > base[i] ? 1 : 0;
        ties += cand[i] == base[i] ? 1 : 0;
        losses += cand[i] < base[i] ? 1 : 0;
    }
    QCOMPARE(e->winTieLoss.wins, wins);
    QCOMPARE(e->winTieLoss.ties, ties);
    QCOMPARE(e->winTieLoss.losses, losses);
    const double mean = sum / 10.0;
    double ss = 0;
    for (double x : d) {
        ss += (x - mean) * (x - mean);
    }
    QVERIFY(std::fabs(e->bootstrap->meanDifference.estimate - mean) < 1e-12);
    QVERIFY(e->bootstrap->meanDifference.lower <= mean
            && mean <= e->bootstrap->meanDifference.upper);
    QVERIFY(std::fabs(*e->cohensD - mean / std::sqrt(ss / 9.0)) < 1e-9);
    QCOMPARE(e->testName(), std::string("paired bootstrap"));
    QCOMPARE(*e->pValue(), e->bootstrap->pValue);
    QVERIFY(*e->pValue() < 0.05); // the candidate is clearly better
    QVERIFY(std::fabs(*e->baselineMean - 0.49) < 1e-12);
    QVERIFY(std::fabs(*e->candidateMean - 0.66) < 1e-12);
}

void TestRunComparison::pairedNormalAboveBootstrapSize()
{
    // The scores of pairedScores(): d = candidate - baseline = 0.2 0 0.3 -0.1 0.2 0.5 0 0.2 0.3
    // 0.1. Ten paired scores: up to maxBootstrapSize = 10 the paired bootstrap, above it (9) the
    // normal approximation of the mean difference. Expected values from python3 on the same
    // doubles: m = statistics.mean(d) = 0.17, s = statistics.stdev(d) = 0.17669811040931427,
    // se = s / sqrt(10), z = NormalDist().inv_cdf(0.975) = 1.9599639845400536; interval
    // m -/+ z se = [0.0604833889507041, 0.27951661104929587]; statistic m / se =
    // 3.042404929986658; p = 2 (1 - NormalDist().cdf(m / se)) = 0.002346959409211813.
    const std::vector<double> base{0.5, 0.6, 0.2, 0.9, 0.4, 0.4, 0.7, 0.1, 0.3, 0.8};
    const std::vector<double> cand{0.7, 0.6, 0.5, 0.8, 0.6, 0.9, 0.7, 0.3, 0.6, 0.9};
    const RunId a = test::createRun(path(), "a", 10);
    const RunId b = test::createRun(path(), "b", 10);
    std::vector<LineRecord> lines;
    for (int i = 0; i < 10; ++i) {
        LineRecord x = test::completedLine(a, i, "x", 10);
        LineRecord y = test::completedLine(b, i, "x", 10);
        ScoreRecord s;
        s.evaluator = "rouge_l";
        s.score = base[std::size_t(i)];
        x.scores.push_back(s);
        s.score = cand[std::size_t(i)];
        y.scores.push_back(s);
        lines.push_back(std::move(x));
        lines.push_back(std::move(y));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    StatsOptions options;
    options.maxBootstrapSize = 10;
    auto atLimit = RunComparison::compare(*store, a, b, options);
    QVERIFY(atLimit);
    QCOMPARE(atLimit->evaluator("rouge_l")->testName(), std::string("paired bootstrap"));
    QCOMPARE(atLimit->evaluator("rouge_l")->differenceMethod, std::string("bootstrap"));

    options.maxBootstrapSize = 9;
    auto c = RunComparison::compare(*store, a, b, options);
    QVERIFY(c);
    const auto *e = c->evaluator("rouge_l");
    QVERIFY(e && e->bootstrap && !e->mcnemar);
    QCOMPARE(e->differenceMethod, std::string("normal"));
    QCOMPARE(e->testName(), std::string("paired normal"));
    const ConfidenceInterval &ci = e->bootstrap->meanDifference;
    QVERIFY(std::fabs(ci.estimate - 0.17) < 1e-12);
    QCOMPARE(ci.confidence, 0.95);
    QVERIFY2(std::fabs(ci.lower - 0.0604833889507041) < 1e-12,
             qPrintable(QString::number(ci.lower, 'g', 17)));
    QVERIFY2(std::fabs(ci.upper - 0.27951661104929587) < 1e-12,
             qPrintable(QString::number(ci.upper, 'g', 17)));
    const double se = (ci.upper - ci.lower) / (2 * 1.9599639845400536);
    QVERIFY(std::fabs(ci.estimate / se - 3.042404929986658) < 1e-9);
    QVERIFY2(std::fabs(*e->pValue() - 0.002346959409211813) < 1e-14,
             qPrintable(QString::number(*e->pValue(), 'g', 17)));
    QCOMPARE(*e->pValue(), e->bootstrap->pValue);
    const Value json = e->toJson();
    QCOMPARE(json["test"].get<std::string>(), std::string("paired normal"));
    QCOMPARE(json["mean_difference"]["method"].get<std::string>(), std::string("normal"));
    QVERIFY(std::fabs(json["p_value"].get<double>() - 0.002346959409211813) < 1e-14);
    // The other paired figures do not depend on the method.
    QCOMPARE(e->winTieLoss.wins, std::size_t(7));
    QCOMPARE(e->winTieLoss.ties, std::size_t(2));
    QCOMPARE(e->winTieLoss.losses, std::size_t(1));
}

void TestRunComparison::alignsByLineIndexAndCountsDifferences()
{
    const RunId a = test::createRun(path(), "a", 15);
    const RunId b = test::createRun(path(), "b", 15);
    std::vector<LineRecord> lines;
    for (int i = 0; i < 10; ++i) {
        LineRecord x = test::completedLine(a, i, i % 2 ? "billing" : "technical", 10);
        ScoreRecord s;
        s.evaluator = "exact_match";
        s.passed = true;
        x.scores.push_back(s);
        lines.push_back(std::move(x));
    }
    for (int i = 5; i < 15; ++i) {
        LineRecord y = test::completedLine(
            b, i, i == 6 || i == 9 ? "other" : (i % 2 ? "billing" : "technical"), 10);
        if (i == 8) {
            y.status = "Failed";
            y.outputs = Value::object();
            y.error = "boom";
        }
        ScoreRecord s;
        s.evaluator = "exact_match";
        s.passed = i != 7;
        y.scores.push_back(s);
        lines.push_back(std::move(y));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    StatsOptions options;
    options.pageSize = 3; // merge across many small pages
    auto c = RunComparison::compare(*store, a, b, options);
    QVERIFY(c);
    QCOMPARE(c->sharedLines, std::int64_t(5));       // lines 5..9
    QCOMPARE(c->bothCompleted, std::int64_t(4));     // line 8 failed in b
    QCOMPARE(c->outputDifferences, std::int64_t(2)); // lines 6 and 9
    QCOMPARE(c->onlyCandidateFailed, std::int64_t(1));
    QCOMPARE(c->onlyBaselineFailed, std::int64_t(0));
    const auto *e = c->evaluator("exact_match");
    QVERIFY(e);
    QCOMPARE(e->pairedVerdicts, std::size_t(5));    // line 8 has a verdict too
    QCOMPARE(e->winTieLoss.losses, std::size_t(1)); // line 7
    QCOMPARE(e->winTieLoss.ties, std::size_t(4));
}

void TestRunComparison::latencyAndCostDeltas()
{
    const RunId a = test::createRun(path(), "a", 4);
    const RunId b = test::createRun(path(), "b", 4);
    const double la[] = {100, 200, 300, 400};
    const double lb[] = {150, 150, 350, 500};
    std::vector<LineRecord> lines;
    for (int i = 0; i < 4; ++i) {
        LineRecord x = test::completedLine(a, i, "x", la[i]);
        LineRecord y = test::completedLine(b, i, "x", lb[i]);
        x.costUsd = 0.001;
        y.costUsd = i == 3 ? std::optional<double>() : std::optional<double>(0.003);
        x.promptTokens = 100;
        y.promptTokens = 300;
        x.completionTokens = y.completionTokens = 5;
        lines.push_back(std::move(x));
        lines.push_back(std::move(y));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    auto c = RunComparison::compare(*store, a, b);
    QVERIFY(c);
    QVERIFY(c->meanLatencyDeltaMs);
    QCOMPARE(*c->meanLatencyDeltaMs, (50.0 - 50.0 + 50.0 + 100.0) / 4.0);
    QCOMPARE(c->baselineLatencyMs.p50, test::numpyPercentile({100, 200, 300, 400}, 50));
    QCOMPARE(c->candidateLatencyMs.p95, test::numpyPercentile({150, 150, 350, 500}, 95));
    QCOMPARE(c->pricedLines, std::int64_t(3));
    QVERIFY(std::fabs(c->baselineCostUsd - 0.003) < 1e-12);
    QVERIFY(std::fabs(c->candidateCostUsd - 0.009) < 1e-12);
    QCOMPARE(c->baselineTokens, std::int64_t(4 * 105));
    QCOMPARE(c->candidateTokens, std::int64_t(4 * 305));
    QVERIFY(c->evaluators.empty());
    const Value json = c->toJson();
    QCOMPARE(json["tokens"]["delta"].get<std::int64_t>(), std::int64_t(800));
}

void TestRunComparison::reportPairs_data()
{
    QTest::addColumn<int>("runs");
    QTest::addColumn<int>("pairs");
    QTest::addColumn<bool>("allFromBaseline");
    QTest::newRow("one-run") << 1 << 0 << true;
    QTest::newRow("two-runs") << 2 << 1 << true;
    QTest::newRow("four-runs-all-pairs") << 4 << 6 << false;
    QTest::newRow("six-runs-baseline-only") << 6 << 5 << true;
}

void TestRunComparison::reportPairs()
{
    QFETCH(int, runs);
    QFETCH(int, pairs);
    QFETCH(bool, allFromBaseline);
    const auto p = RunComparison::reportPairs(std::size_t(runs));
    QCOMPARE(int(p.size()), pairs);
    bool fromBaseline = true;
    for (const auto &[i, j] : p) {
        QVERIFY(i < j && j < std::size_t(runs));
        fromBaseline = fromBaseline && i == 0;
    }
    QCOMPARE(fromBaseline, allFromBaseline);
}

void TestRunComparison::refusesSameRun()
{
    const RunId a = test::createRun(path(), "a", 1);
    auto store = ExperimentStore::open(path());
    auto c = RunComparison::compare(*store, a, a);
    QVERIFY(!c);
    QCOMPARE(c.error().code, ErrorCode::InvalidArgument);
    auto unknown = RunComparison::compare(*store, a, RunId{77});
    QVERIFY(!unknown);
}

QTEST_GUILESS_MAIN(TestRunComparison)
#include "tst_runcomparison.moc"
