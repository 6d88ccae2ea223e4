// Statistics against hand-computed or published values: numpy's linear percentile, McNemar
// (exact binomial and corrected chi-square), Wilcoxon (scipy docs' Darwin data, Wikipedia's
// example with a zero and a tie), bootstrap determinism and coverage, effect sizes; bootstrap
// intervals and paired-bootstrap p-values pinned to bootstrap_reference.py (an independent
// mt19937_64 + percentile implementation in Python).
#include <core/eval/bootstrap.h>
#include <core/eval/descriptivestats.h>
#include <core/eval/pairedtests.h>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace fb;

namespace {

std::vector<double> toStd(const QList<double> &v) { return {v.begin(), v.end()}; }

bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol; }

} // namespace

class TestEvalStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void percentile_data();
    void percentile();
    void summary();
    void mcnemar_data();
    void mcnemar();
    void wilcoxon_data();
    void wilcoxon();
    void bootstrapDeterministic();
    void bootstrapCoverage();
    void bootstrapIntervalPinned();
    void pairedBootstrap();
    void pairedBootstrapPValuePinned();
    void effectSizes();
    void mismatchedSizesFail();
};

void TestEvalStats::percentile_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("q");
    QTest::addColumn<double>("expected");
    // numpy docs: np.percentile([[10, 7, 4], [3, 2, 1]], 50) == 3.5
    QTest::newRow("numpy-doc") << QList<double>{10, 7, 4, 3, 2, 1} << 50.0 << 3.5;
    const QList<double> five{15, 20, 35, 40, 50};
    QTest::newRow("q0-min") << five << 0.0 << 15.0;
    QTest::newRow("q40") << five << 40.0 << 29.0; // h = 1.6 → 20 + 0.6 * 15
    QTest::newRow("q50") << five << 50.0 << 35.0;
    QTest::newRow("q90") << five << 90.0 << 46.0; // h = 3.6 → 40 + 0.6 * 10
    QTest::newRow("q95") << five << 95.0 << 48.0;
    QTest::newRow("q99") << five << 99.0 << 49.6;
    QTest::newRow("q100-max") << five << 100.0 << 50.0;
    const QList<double> eleven{3.2, 1.5, 9.9, 4.4, 7.1, 2.2, 8.8, 6.0, 5.5, 0.3, 10.0};
    QTest::newRow("p50-odd") << eleven << 50.0 << 5.5;
    QTest::newRow("p95-odd") << eleven << 95.0 << 9.95;
    QTest::newRow("p99-odd") << eleven << 99.0 << 9.99;
    QTest::newRow("single") << QList<double>{7} << 90.0 << 7.0;
}

void TestEvalStats::percentile()
{
    QFETCH(QList<double>, values);
    QFETCH(double, q);
    QFETCH(double, expected);
    const double got = DescriptiveStats::percentile(toStd(values), q);
    QVERIFY2(close(got, expected, 1e-12), qPrintable(QString::number(got, 'g', 17)));
}

void TestEvalStats::summary()
{
    const std::vector<double> v{3.2, 1.5, 9.9, 4.4, 7.1, 2.2, 8.8, 6.0, 5.5, 0.3, 10.0};
    const auto s = DescriptiveStats::summarize(v);
    QVERIFY(s.has_value());
    QCOMPARE(s->count, std::size_t(11));
    // python3 statistics.mean / statistics.stdev
    QVERIFY(close(s->mean, 5.3545454545454545, 1e-12));
    QVERIFY(close(s->stddev, 3.369084040615086, 1e-12));
    QCOMPARE(s->min, 0.3);
    QCOMPARE(s->max, 10.0);
    // numpy linear, h = 10 q / 100 over the sorted values (0.3 1.5 2.2 3.2 4.4 5.5 6.0 7.1 8.8
    // 9.9 10.0): p50 = x[5]; p90 = x[9]; p95 = x[9] + 0.5 (x[10] - x[9]); p99 = x[9] + 0.9 (...)
    QVERIFY(close(s->p50, 5.5, 1e-12));
    QVERIFY(close(s->p90, 9.9, 1e-12));
    QVERIFY(close(s->p95, 9.95, 1e-12));
    QVERIFY(close(s->p99, 9.99, 1e-12));
    QVERIFY(!DescriptiveStats::summarize({}).has_value());
    QVERIFY(std::isnan(DescriptiveStats::sampleStdDev(std::vector<double>{1.0})));
    QCOMPARE(DescriptiveStats::passRate({true, false, true, true}), 0.75);
    QVERIFY(std::isnan(DescriptiveStats::passRate({})));
}

void TestEvalStats::mcnemar_data()
{
    QTest::addColumn<int>("onlyA");
    QTest::addColumn<int>("onlyB");
    QTest::addColumn<int>("both");
    QTest::addColumn<bool>("exact");
    QTest::addColumn<double>("statistic");
    QTest::addColumn<double>("pValue");
    // Exact: p = 2 * P(Bin(n, 1/2) <= min(b, c)), e.g. b=1, c=7: 2 * 9/256.
    QTest::newRow("exact-1-7") << 1 << 7 << 10 << true << 1.0 << 0.0703125;
    QTest::newRow("exact-0-5") << 0 << 5 << 3 << true << 0.0 << 0.0625;
    QTest::newRow("exact-balanced-capped") << 3 << 3 << 0 << true << 3.0 << 1.0;
    QTest::newRow("exact-10-14") << 10 << 14 << 2 << true << 10.0 << 0.5412561893463135;
    // Wikipedia's McNemar example (b = 121, c = 59), corrected chi-square.
    QTest::newRow("chi2-wikipedia")
        << 121 << 59 << 101 << false << 20.67222222222222 << 5.450094825427123e-06;
    // Agresti's presidential approval table (b = 150, c = 86).
    QTest::newRow("chi2-agresti") << 150 << 86 << 794 << false << 16.81779661016949
                                  << 4.1145622813459415e-05;
    QTest::newRow("chi2-threshold-25") << 13 << 12 << 0 << false << 0.0 << 1.0;
    QTest::newRow("no-discordant") << 0 << 0 << 5 << true << 0.0 << 1.0;
}

void TestEvalStats::mcnemar()
{
    QFETCH(int, onlyA);
    QFETCH(int, onlyB);
    QFETCH(int, both);
    QFETCH(bool, exact);
    QFETCH(double, statistic);
    QFETCH(double, pValue);
    std::vector<bool> a;
    std::vector<bool> b;
    for (int i = 0; i < onlyA; ++i) {
        a.push_back(true);
        b.push_back(false);
    }
    for (int i = 0; i < onlyB; ++i) {
        a.push_back(false);
        b.push_back(true);
    }
    for (int i = 0; i < both; ++i) {
        a.push_back(i % 2 == 0);
        b.push_back(i % 2 == 0);
    }
    const auto r = PairedTests::mcnemar(a, b);
    QVERIFY(r.has_value());
    QCOMPARE(r->onlyA, std::size_t(onlyA));
    QCOMPARE(r->onlyB, std::size_t(onlyB));
    QCOMPARE(r->exact, exact);
    QVERIFY(close(r->statistic, statistic, 1e-12));
    QVERIFY2(close(r->pValue, pValue, std::max(1e-12, pValue * 1e-9)),
             qPrintable(QString::number(r->pValue, 'g', 17)));
}

void TestEvalStats::wilcoxon_data()
{
    QTest::addColumn<QList<double>>("a");
    QTest::addColumn<QList<double>>("b");
    QTest::addColumn<bool>("correction");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("statistic");
    QTest::addColumn<bool>("exact");
    QTest::addColumn<double>("pValue");
    // scipy.stats.wilcoxon docs: Darwin's plant height differences → statistic 24,
    // p = 0.041259765625 (exact).
    const QList<double> darwin{6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75};
    QList<double> zeros(darwin.size(), 0.0);
    QTest::newRow("scipy-darwin-exact")
        << darwin << zeros << false << 15 << 24.0 << true << 0.041259765625;
    // Same data, B - A: symmetric.
    QTest::newRow("scipy-darwin-swapped")
        << zeros << darwin << false << 15 << 24.0 << true << 0.041259765625;
    // Wikipedia's example: one zero (dropped) and a tie (|5| twice) → normal approximation.
    // z = (27 - 22.5) / sqrt((9*10*19 - 6/2) / 24); p = 2 * sf(z).
    const QList<double> after{125, 115, 130, 140, 140, 115, 140, 125, 140, 135};
    const QList<double> before{110, 122, 125, 120, 140, 124, 123, 137, 135, 145};
    QTest::newRow("wikipedia-ties-zero")
        << after << before << false << 9 << 18.0 << false << 0.5936305914425295;
    QTest::newRow("wikipedia-corrected")
        << after << before << true << 9 << 18.0 << false << 0.6352893188352069;
    // n = 60 > 50, no ties: normal approximation.
    QList<double> big;
    for (int i = 1; i <= 60; ++i) {
        big.append(i % 3 ? i : -i);
    }
    QTest::newRow("n60-approx") << big << QList<double>(60, 0.0) << false << 60 << 630.0 << false
                                << 0.03590012321587814;
    QTest::newRow("all-zero") << QList<double>{1, 2} << QList<double>{1, 2} << false << 0 << 0.0
                              << false << 1.0;
}

void TestEvalStats::wilcoxon()
{
    QFETCH(QList<double>, a);
    QFETCH(QList<double>, b);
    QFETCH(bool, correction);
    QFETCH(int, n);
    QFETCH(double, statistic);
    QFETCH(bool, exact);
    QFETCH(double, pValue);
    const auto r = PairedTests::wilcoxon(toStd(a), toStd(b), correction);
    QVERIFY(r.has_value());
    QCOMPARE(r->n, std::size_t(n));
    QCOMPARE(r->statistic, statistic);
    QCOMPARE(r->exact, exact);
    QVERIFY2(close(r->pValue, pValue, 1e-12), qPrintable(QString::number(r->pValue, 'g', 17)));
}

void TestEvalStats::bootstrapDeterministic()
{
    const std::vector<double> v{0.1, 0.4, 0.35, 0.8, 0.9, 0.55, 0.2, 0.7};
    BootstrapOptions o;
    o.seed = 7;
    const auto first = Bootstrap::meanInterval(v, o);
    const auto second = Bootstrap::meanInterval(v, o);
    QVERIFY(first.has_value() && second.has_value());
    QCOMPARE(first->lower, second->lower);
    QCOMPARE(first->upper, second->upper);
    QVERIFY(close(first->estimate, 0.5, 1e-12));
    QVERIFY(first->lower < first->estimate && first->estimate < first->upper);
    o.seed = 8;
    const auto other = Bootstrap::meanInterval(v, o);
    QVERIFY(other->lower != first->lower || other->upper != first->upper);
    QCOMPARE(Bootstrap::resampledMeans(v, o)->size(), std::size_t(2000));
    o.resamples = 0;
    QVERIFY(!Bootstrap::meanInterval(v, o).has_value());
    QVERIFY(!Bootstrap::meanInterval({}, {}).has_value());
    const std::vector<double> constant(10, 3.0);
    const auto flat = Bootstrap::meanInterval(constant, {});
    QCOMPARE(flat->lower, 3.0);
    QCOMPARE(flat->upper, 3.0);
}

void TestEvalStats::bootstrapCoverage()
{
    // 200 samples of 40 draws from N(0, 1): the 95% interval should contain 0 about 95% of
    // the time (percentile bootstrap undercovers slightly at n = 40). Deterministic seeds.
    std::mt19937_64 gen(12345);
    std::normal_distribution<double> normal(0.0, 1.0);
    int covered = 0;
    const int trials = 200;
    BootstrapOptions o;
    o.resamples = 500;
    for (int t = 0; t < trials; ++t) {
        std::vector<double> sample(40);
        for (double &x : sample) {
            x = normal(gen);
        }
        o.seed = std::uint64_t(t);
        const auto ci = Bootstrap::meanInterval(sample, o);
        covered += (ci->lower <= 0.0 && 0.0 <= ci->upper) ? 1 : 0;
    }
    QVERIFY2(covered >= 170 && covered <= 198, qPrintable(QString::number(covered)));
}

void TestEvalStats::bootstrapIntervalPinned()
{
    // Default options (2000 resamples, seed 20240601, 95 %): the interval is the 2.5th and
    // 97.5th numpy-linear percentiles of the resampled means. Expected values from
    // tests/core/eval/bootstrap_reference.py, which re-implements std::mt19937_64, the
    // documented rejection draw and the percentile in Python. Six-decimal values so that
    // neighbouring resampled means differ: moving a percentile (to 5/95, 2/98, 3/97), using
    // h = n q / 100, dropping the interpolation or taking the next order statistic each move
    // a bound by at least 6e-6.
    const std::vector<double> v{0.577216, 0.693147, 0.301030, 0.367879, 0.141421,
                                0.271828, 0.314159, 0.828427, 0.107143, 0.955000};
    const auto ci = Bootstrap::meanInterval(v, {});
    QVERIFY(ci.has_value());
    QVERIFY(close(ci->estimate, 0.455725, 1e-12));
    QVERIFY2(close(ci->lower, 0.29145357999999993, 1e-12),
             qPrintable(QString::number(ci->lower, 'g', 17)));
    QVERIFY2(close(ci->upper, 0.6391852849999997, 1e-12),
             qPrintable(QString::number(ci->upper, 'g', 17)));
    QCOMPARE(ci->confidence, 0.95);

    // The same rule without the RNG: with 41 resamples h = 40 * 0.025 = 1 and 40 * 0.975 = 39,
    // so the bounds are the 2nd and the 40th smallest resampled means, whatever they are.
    BootstrapOptions o;
    o.resamples = 41;
    auto means = Bootstrap::resampledMeans(v, o);
    QVERIFY(means.has_value());
    std::sort(means->begin(), means->end());
    QVERIFY((*means)[1] != (*means)[0] && (*means)[1] != (*means)[2]);
    QVERIFY((*means)[39] != (*means)[38] && (*means)[39] != (*means)[40]);
    const auto small = Bootstrap::meanInterval(v, o);
    QVERIFY(close(small->lower, (*means)[1], 1e-12));
    QVERIFY(close(small->upper, (*means)[39], 1e-12));
    // 90 %: h = 40 * 0.05 = 2 and 40 * 0.95 = 38.
    o.confidence = 0.90;
    const auto ninety = Bootstrap::meanInterval(v, o);
    QVERIFY(close(ninety->lower, (*means)[2], 1e-12));
    QVERIFY(close(ninety->upper, (*means)[38], 1e-12));
}

void TestEvalStats::pairedBootstrap()
{
    std::vector<double> a(50);
    std::vector<double> b(50);
    for (int i = 0; i < 50; ++i) {
        b[i] = 0.5 + 0.01 * (i % 7);
        a[i] = b[i] + 0.1 + 0.02 * ((i * 13) % 5 - 2);
    }
    const auto better = PairedTests::pairedBootstrap(a, b);
    QVERIFY(better.has_value());
    QVERIFY(
        close(better->meanDifference.estimate, 0.1 + 0.02 * (-2 + -1 + 0 + 1 + 2) / 5.0, 1e-12));
    QVERIFY(better->meanDifference.lower > 0.0);
    QVERIFY(better->pValue < 0.01);
    const auto same = PairedTests::pairedBootstrap(a, a);
    QCOMPARE(same->pValue, 1.0);
    QCOMPARE(same->meanDifference.lower, 0.0);
    const auto again = PairedTests::pairedBootstrap(a, b);
    QCOMPARE(again->meanDifference.lower, better->meanDifference.lower);
    QCOMPARE(again->pValue, better->pValue);
}

void TestEvalStats::pairedBootstrapPValuePinned()
{
    // p = (1 + #{|m* - m| >= |m|}) / (1 + resamples), m* the resampled means of d = a - b.
    // Integer differences over 8 rows keep every mean exact (k / 8), so the ">=" ties (m* = 0
    // or m* = 2m) are counted exactly. bootstrap_reference.py, default options: m = 7/8, 295 of
    // 2000 resampled means are at least as far out, so p = 296 / 2001; with ">" it would be
    // 178 / 2001, without the +1 295 / 2000. (The exact bootstrap-population probability of
    // |m* - m| >= |m|, by convolving the 8 draws, is 0.1353; 295 / 2000 = 0.1475 is 1.6
    // standard errors from it.)
    const std::vector<double> a{3, 1, 2, 0, 4, 2, 1, 3};
    const std::vector<double> b{1, 2, 1, 1, 1, 0, 2, 1};
    const auto r = PairedTests::pairedBootstrap(a, b);
    QVERIFY(r.has_value());
    QCOMPARE(r->meanDifference.estimate, 0.875);
    QVERIFY2(close(r->pValue, 296.0 / 2001.0, 1e-15),
             qPrintable(QString::number(r->pValue, 'g', 17)));
    QCOMPARE(r->meanDifference.lower, -0.25);
    QCOMPARE(r->meanDifference.upper, 1.875);

    // Symmetric differences: m = 0, so every resampled mean counts and p is exactly 1.
    const std::vector<double> zeros(4, 0.0);
    const auto symmetric = PairedTests::pairedBootstrap(std::vector<double>{1, -1, 2, -2}, zeros);
    QCOMPARE(symmetric->meanDifference.estimate, 0.0);
    QCOMPARE(symmetric->pValue, 1.0);

    // Every difference 0.5: each m* is 0.5, never as far as 0.5 from m, so only the +1 is left:
    // p = 1 / (1 + resamples), never 0.
    const std::vector<double> plusHalf{1.0, 1.5, 2.0, 2.5, 3.0};
    const std::vector<double> base{0.5, 1.0, 1.5, 2.0, 2.5};
    QCOMPARE(PairedTests::pairedBootstrap(plusHalf, base)->pValue, 1.0 / 2001.0);
    BootstrapOptions o;
    o.resamples = 99;
    QCOMPARE(PairedTests::pairedBootstrap(plusHalf, base, o)->pValue, 0.01);
}

void TestEvalStats::effectSizes()
{
    const std::vector<double> a{0.9, 0.8, 0.7, 0.95, 0.6, 0.85};
    const std::vector<double> b{0.7, 0.8, 0.5, 0.9, 0.65, 0.6};
    // python3: statistics.mean(d) / statistics.stdev(d); Cliff's delta by double loop.
    QVERIFY(close(*PairedTests::cohensD(a, b), 0.8725028717782314, 1e-12));
    QVERIFY(close(*PairedTests::cliffsDelta(a, b), 0.4444444444444444, 1e-12));
    QCOMPARE(*PairedTests::cliffsDelta(b, b), 0.0);
    QCOMPARE(*PairedTests::cliffsDelta(std::vector<double>{2, 3}, std::vector<double>{0, 1}), 1.0);
    QCOMPARE(*PairedTests::cohensD(a, a), 0.0);
    QVERIFY(
        std::isinf(*PairedTests::cohensD(std::vector<double>{2, 2}, std::vector<double>{1, 1})));
    const auto wtl = PairedTests::winTieLoss(a, b);
    QCOMPARE(wtl->wins, std::size_t(4));
    QCOMPARE(wtl->ties, std::size_t(1));
    QCOMPARE(wtl->losses, std::size_t(1));
    const auto loose = PairedTests::winTieLoss(a, b, 0.06);
    QCOMPARE(loose->ties, std::size_t(3));
}

void TestEvalStats::mismatchedSizesFail()
{
    const std::vector<double> a{1, 2, 3};
    const std::vector<double> b{1, 2};
    QVERIFY(!PairedTests::wilcoxon(a, b).has_value());
    QVERIFY(!PairedTests::pairedBootstrap(a, b).has_value());
    QVERIFY(!PairedTests::cohensD(a, b).has_value());
    QVERIFY(!PairedTests::winTieLoss(a, b).has_value());
    QVERIFY(!PairedTests::mcnemar({true}, {true, false}).has_value());
    QVERIFY(!PairedTests::mcnemar({}, {}).has_value());
}

QTEST_GUILESS_MAIN(TestEvalStats)
#include "tst_evalstats.moc"
