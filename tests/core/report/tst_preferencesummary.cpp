// PreferenceSummary on a real store: blind A/B choices of three raters between two runs (last
// choice wins), the tallies, the exact sign test, position bias, Cohen's kappa per rater pair,
// Fleiss' kappa and each rater against a judge that prefers the run with the better result.
// Expected values worked out by hand below (fractions), independent of the code under test.
#include <core/eval/pairedtests.h>
#include <core/report/blindreviewplan.h>
#include <core/report/preferencesummary.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <limits>
#include <memory>

using namespace fb;

namespace {

bool close(double a, double b) { return std::fabs(a - b) <= 1e-15; }

void checkKappa(const PairAgreement &p, const char *first, const char *second,
                std::size_t lines, double observed, double expected, std::optional<double> kappa)
{
    QCOMPARE(p.first, std::string(first));
    QCOMPARE(p.second, std::string(second));
    QCOMPARE(p.sharedLines, lines);
    QVERIFY(p.kappa);
    QVERIFY2(close(p.kappa->observedAgreement, observed),
             qPrintable(QString::number(p.kappa->observedAgreement, 'g', 17)));
    QVERIFY2(close(p.kappa->expectedAgreement, expected),
             qPrintable(QString::number(p.kappa->expectedAgreement, 'g', 17)));
    QCOMPARE(p.kappa->kappa.has_value(), kappa.has_value());
    if (kappa) {
        QVERIFY2(close(*p.kappa->kappa, *kappa),
                 qPrintable(QString::number(*p.kappa->kappa, 'g', 17)));
    }
}

} // namespace

class TestPreferenceSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void signTest();
    void threeRatersAndAJudge();
    void verdictOnlyJudge();
    void otherPairIsRefused();
    void loadNamesRunsAndJudge();
    void blindPlanIsStableAndBalanced();
    void blindPlanFromTheStore();

private:
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    /// The choices below between runs 1 (A) and 2 (B), in insertion order.
    static std::vector<Preference> choices();
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestPreferenceSummary::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestPreferenceSummary::cleanup() { m_dir.reset(); }

std::vector<Preference> TestPreferenceSummary::choices()
{
    // Lines 0-5; A's output shown on the left on even lines, B's on odd ones.
    //   ana  a a b tie a a
    //   bo   a b b tie a -
    //   cy   a a - -   - -   (line 1: first b, then corrected to a)
    const RunId a{1};
    const RunId b{2};
    std::vector<Preference> out;
    auto add = [&](const char *rater, std::int64_t line, const char *choice) {
        Preference p;
        p.runA = a;
        p.runB = b;
        p.lineIndex = line;
        p.rater = rater;
        if (std::string(choice) == "a") {
            p.preferred = a;
        } else if (std::string(choice) == "b") {
            p.preferred = b;
        }
        p.leftRun = line % 2 == 0 ? a : b;
        out.push_back(p);
    };
    const char *ana[] = {"a", "a", "b", "tie", "a", "a"};
    const char *bo[] = {"a", "b", "b", "tie", "a"};
    for (int i = 0; i < 6; ++i) {
        add("ana", i, ana[i]);
    }
    for (int i = 0; i < 5; ++i) {
        add("bo", i, bo[i]);
    }
    add("cy", 0, "a");
    add("cy", 1, "b");
    add("cy", 1, "a");
    return out;
}

void TestPreferenceSummary::signTest()
{
    // Exact binomial, two-sided: 2 P(X <= k), X ~ Bin(n, 1/2).
    QCOMPARE(PairedTests::signTest(0, 0), 1.0);
    QVERIFY(close(PairedTests::signTest(8, 3), 2.0 * 232.0 / 2048.0)); // 1+11+55+165
    QVERIFY(close(PairedTests::signTest(3, 8), 2.0 * 232.0 / 2048.0));
    QVERIFY(close(PairedTests::signTest(10, 0), 2.0 / 1024.0));
    QCOMPARE(PairedTests::signTest(5, 5), 1.0); // 2 P(X <= 5) > 1, capped
    // n = 30, k = 8: 2 * 8,656,937 / 2^30 (scipy.stats.binomtest(8, 30).pvalue 0.0161...).
    QVERIFY(std::fabs(PairedTests::signTest(22, 8) - 2.0 * 8656937.0 / 1073741824.0) < 1e-13);
}

void TestPreferenceSummary::threeRatersAndAJudge()
{
    // The judge's results on lines 0-5: A 1 0 0 .5 1 1, B 0 1 1 .5 0 0 -> a b b tie a a.
    EvaluatorColumn judgeA;
    judgeA.name = "llm_judge";
    judgeA.lineIndexes = {0, 1, 2, 3, 4, 5};
    judgeA.scores = {1, 0, 0, 0.5, 1, 1};
    judgeA.verdicts = std::vector<signed char>(6, -1);
    EvaluatorColumn judgeB = judgeA;
    judgeB.scores = {0, 1, 1, 0.5, 0, 0};

    const auto s = PreferenceSummary::compute(RunId{2}, RunId{1}, choices(), "llm_judge",
                                              &judgeA, &judgeB);
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QCOMPARE(s->runA, RunId{1});
    QCOMPARE(s->lines, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5}));
    QCOMPARE(s->raters.size(), std::size_t(3));
    // ana a 4 b 1 tie 1, left chosen: lines 0, 4 (A left, A chosen) = 2.
    QCOMPARE(s->raters[0].rater, std::string("ana"));
    QCOMPARE(s->raters[0].tally.a, std::size_t(4));
    QCOMPARE(s->raters[0].tally.b, std::size_t(1));
    QCOMPARE(s->raters[0].tally.ties, std::size_t(1));
    QCOMPARE(s->raters[0].tally.left, std::size_t(2));
    // bo a 2 b 2 tie 1, left: 0 (A), 1 (B left, B chosen), 4 (A) = 3.
    QCOMPARE(s->raters[1].tally.a, std::size_t(2));
    QCOMPARE(s->raters[1].tally.b, std::size_t(2));
    QCOMPARE(s->raters[1].tally.left, std::size_t(3));
    // cy: the correction counts, once: a 2, left 1 (line 0).
    QCOMPARE(s->raters[2].tally.a, std::size_t(2));
    QCOMPARE(s->raters[2].tally.b, std::size_t(0));
    QCOMPARE(s->raters[2].tally.total(), std::size_t(2));
    QCOMPARE(s->raters[2].tally.left, std::size_t(1));
    QCOMPARE(s->overall.a, std::size_t(8));
    QCOMPARE(s->overall.b, std::size_t(3));
    QCOMPARE(s->overall.ties, std::size_t(2));
    QCOMPARE(s->overall.left, std::size_t(6));
    QVERIFY(close(s->leftShare, 6.0 / 11.0));
    QVERIFY(close(s->signTestP, 2.0 * 232.0 / 2048.0));

    // Labels per line and rater.
    QCOMPARE(*s->table.labels[1][2], std::string("a"));
    QCOMPARE(*s->table.labels[3][1], std::string("tie"));
    QVERIFY(!s->table.labels[5][1]);

    // ana-bo on lines 0-4: p_o 4/5, p_e 3/5*2/5 + 1/5*2/5 + 1/5*1/5 = 9/25, kappa 11/16.
    // ana-cy on lines 0-1: a a / a a: p_e 1, kappa undefined.
    // bo-cy on lines 0-1: a b / a a: p_o 1/2, p_e 1/2, kappa 0.
    QCOMPARE(s->pairs.size(), std::size_t(3));
    checkKappa(s->pairs[0], "ana", "bo", 5, 4.0 / 5, 9.0 / 25, 11.0 / 16);
    checkKappa(s->pairs[1], "ana", "cy", 2, 1.0, 1.0, std::nullopt);
    checkKappa(s->pairs[2], "bo", "cy", 2, 1.0 / 2, 1.0 / 2, 0.0);
    // Fleiss over lines 0-1: P 1 and 1/3, P-bar 2/3; p_a 5/6, p_b 1/6, P_e 13/18; kappa -1/5.
    QCOMPARE(s->fleissLines, std::size_t(2));
    QVERIFY(s->fleiss && s->fleiss->kappa);
    QVERIFY2(close(*s->fleiss->kappa, -0.2), qPrintable(QString::number(*s->fleiss->kappa)));
    QVERIFY(close(s->fleiss->observedAgreement, 2.0 / 3.0));
    QVERIFY(close(s->fleiss->expectedAgreement, 13.0 / 18.0));

    // Against the judge (a b b tie a a): ana 6 lines p_o 5/6, p_e 15/36, kappa 5/7;
    // bo 5 lines all alike, p_e 9/25, kappa 1; cy 2 lines a a / a b, p_o 1/2, p_e 1/2, 0.
    QCOMPARE(s->judge, std::string("llm_judge"));
    QCOMPARE(s->judgePairs.size(), std::size_t(3));
    checkKappa(s->judgePairs[0], "ana", "llm_judge", 6, 5.0 / 6, 15.0 / 36, 5.0 / 7);
    checkKappa(s->judgePairs[1], "bo", "llm_judge", 5, 1.0, 9.0 / 25, 1.0);
    checkKappa(s->judgePairs[2], "cy", "llm_judge", 2, 1.0 / 2, 1.0 / 2, 0.0);

    const Value j = s->toJson();
    QCOMPARE(j["overall"]["a"].get<int>(), 8);
    QCOMPARE(j["raters"][1]["rater"].get<std::string>(), std::string("bo"));
    QCOMPARE(j["fleiss"]["lines"].get<int>(), 2);
    QCOMPARE(j["judge"]["pairs"].size(), std::size_t(3));
}

void TestPreferenceSummary::verdictOnlyJudge()
{
    // No scores, verdicts only: a pass beats a fail; a line where either side has no verdict
    // is left out. A pass/fail on lines 0-2: A 1 0 -, B 0 0 1 -> a tie (none).
    EvaluatorColumn judgeA;
    judgeA.lineIndexes = {0, 1, 2};
    judgeA.scores = std::vector<double>(3, std::numeric_limits<double>::quiet_NaN());
    judgeA.verdicts = {1, 0, -1};
    EvaluatorColumn judgeB = judgeA;
    judgeB.verdicts = {0, 0, 1};
    const auto s = PreferenceSummary::compute(RunId{1}, RunId{2}, choices(), "exact_match",
                                              &judgeA, &judgeB);
    QVERIFY(s);
    // ana on lines 0, 1: a a against a tie: p_o 1/2, p_e 1 * 1/2 = 1/2, kappa 0.
    checkKappa(s->judgePairs[0], "ana", "exact_match", 2, 1.0 / 2, 1.0 / 2, 0.0);
    // A judge named without its results is an error.
    QVERIFY(!PreferenceSummary::compute(RunId{1}, RunId{2}, choices(), "exact_match", &judgeA,
                                        nullptr));
}

void TestPreferenceSummary::otherPairIsRefused()
{
    auto prefs = choices();
    prefs[3].runB = RunId{3};
    const auto s = PreferenceSummary::compute(RunId{1}, RunId{2}, prefs);
    QVERIFY(!s);
    QCOMPARE(s.error().code, ErrorCode::InvalidArgument);
    // No choices at all: p = 1 and position share 0.5.
    const auto none = PreferenceSummary::compute(RunId{1}, RunId{2}, {});
    QVERIFY(none);
    QCOMPARE(none->signTestP, 1.0);
    QCOMPARE(none->leftShare, 0.5);
    QVERIFY(none->pairs.empty());
    QVERIFY(!none->fleiss);
}

void TestPreferenceSummary::loadNamesRunsAndJudge()
{
    const RunId a = test::createRun(path(), "prefs-a", 2);
    const RunId b = test::createRun(path(), "prefs-b", 2);
    QVERIFY(a.isValid() && b.isValid());
    {
        std::vector<LineRecord> lines;
        for (const RunId run : {a, b}) {
            for (std::int64_t i = 0; i < 2; ++i) {
                LineRecord l = test::completedLine(run, i, "x", 10);
                l.scores = {{0, "exact_match", run == a ? 1.0 : 0.0, run == a, ""}};
                lines.push_back(std::move(l));
            }
        }
        QVERIFY(test::writeLines(path(), std::move(lines)));
    }
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    for (std::int64_t i = 0; i < 2; ++i) {
        Preference p;
        p.runA = b;
        p.runB = a;
        p.lineIndex = i;
        p.rater = "ana";
        p.preferred = i == 0 ? a : b;
        p.leftRun = a;
        QVERIFY(store->addPreference(p));
    }
    const auto s = PreferenceSummary::load(*store, b, a, "exact_match");
    QVERIFY2(s, s ? "" : s.error().message.c_str());
    QCOMPARE(s->nameA, std::string("prefs-a"));
    QCOMPARE(s->nameB, std::string("prefs-b"));
    QCOMPARE(s->overall.a, std::size_t(1));
    QCOMPARE(s->overall.b, std::size_t(1));
    // The judge prefers A on both lines; ana once: p_o 1/2.
    QCOMPARE(s->judgePairs.size(), std::size_t(1));
    QCOMPARE(s->judgePairs[0].sharedLines, std::size_t(2));
    QVERIFY(close(s->judgePairs[0].kappa->observedAgreement, 0.5));

    const auto unknown = PreferenceSummary::load(*store, a, b, "bleu");
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, ErrorCode::NotFound);
    QVERIFY(unknown.error().message.find("exact_match") != std::string::npos);
    QCOMPARE(PreferenceSummary::load(*store, a, RunId{99}).error().code, ErrorCode::NotFound);
}

void TestPreferenceSummary::blindPlanIsStableAndBalanced()
{
    std::vector<std::int64_t> lines(1000);
    std::iota(lines.begin(), lines.end(), 0);
    const auto ana = BlindReviewPlan::make(RunId{4}, RunId{9}, "ana", lines, {});
    const auto again = BlindReviewPlan::make(RunId{9}, RunId{4}, "ana", lines, {});
    const auto bo = BlindReviewPlan::make(RunId{4}, RunId{9}, "bo", lines, {});
    QCOMPARE(ana.items().size(), std::size_t(1000));
    QCOMPARE(ana.commonLines(), std::size_t(1000));
    QCOMPARE(ana.judgedBefore(), std::size_t(0));
    QCOMPARE(ana.seed(), again.seed());
    QVERIFY(ana.seed() != bo.seed());

    std::size_t sameOrder = 0;
    std::size_t inPlace = 0;
    std::size_t fourLeft = 0;
    std::size_t sameSide = 0;
    std::vector<bool> seen(1000);
    for (std::size_t i = 0; i < 1000; ++i) {
        const BlindReviewItem &item = ana.items()[i];
        QCOMPARE(item.lineIndex, again.items()[i].lineIndex);
        QCOMPARE(item.left, again.items()[i].left);
        QVERIFY((item.left == RunId{4} && item.right == RunId{9})
                || (item.left == RunId{9} && item.right == RunId{4}));
        QVERIFY(!seen[std::size_t(item.lineIndex)]);
        seen[std::size_t(item.lineIndex)] = true;
        sameOrder += item.lineIndex == bo.items()[i].lineIndex ? 1 : 0;
        inPlace += item.lineIndex == std::int64_t(i) ? 1 : 0;
        fourLeft += item.left == RunId{4} ? 1 : 0;
    }
    for (const BlindReviewItem &item : bo.items()) {
        const auto it = std::find_if(ana.items().begin(), ana.items().end(),
                                     [&](const auto &x) { return x.lineIndex == item.lineIndex; });
        sameSide += it->left == item.left ? 1 : 0;
    }
    // A shuffle: few lines keep their place or match the other rater's order (1 expected).
    QVERIFY2(inPlace < 10, qPrintable(QString::number(inPlace)));
    QVERIFY2(sameOrder < 10, qPrintable(QString::number(sameOrder)));
    // Sides: a fair coin per line (1000 tosses: 5 sd is +-79), drawn anew for another rater.
    QVERIFY2(fourLeft > 420 && fourLeft < 580, qPrintable(QString::number(fourLeft)));
    QVERIFY2(sameSide > 420 && sameSide < 580, qPrintable(QString::number(sameSide)));

    // Judged lines drop out; the rest keep their order and sides.
    const std::vector<std::int64_t> judged{ana.items()[0].lineIndex, ana.items()[5].lineIndex,
                                           5000};
    const auto later = BlindReviewPlan::make(RunId{4}, RunId{9}, "ana", lines, judged);
    QCOMPARE(later.items().size(), std::size_t(998));
    QCOMPARE(later.judgedBefore(), std::size_t(2));
    QCOMPARE(later.items()[0].lineIndex, ana.items()[1].lineIndex);
    QCOMPARE(later.items()[4].lineIndex, ana.items()[6].lineIndex);
    QCOMPARE(later.items()[4].left, ana.items()[6].left);
}

void TestPreferenceSummary::blindPlanFromTheStore()
{
    // a completes 0-4 with 3 failed; b completes 1-5: common 1, 2, 4.
    const RunId a = test::createRun(path(), "blind-a", 6);
    const RunId b = test::createRun(path(), "blind-b", 6);
    std::vector<LineRecord> lines;
    for (std::int64_t i = 0; i < 5; ++i) {
        LineRecord l = test::completedLine(a, i, "x", 10);
        if (i == 3) {
            l.status = "Failed";
        }
        lines.push_back(std::move(l));
        lines.push_back(test::completedLine(b, i + 1, "y", 10));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    Preference p;
    p.runA = a;
    p.runB = b;
    p.lineIndex = 2;
    p.rater = "ana";
    p.leftRun = b;
    QVERIFY(store->addPreference(p));
    p.rater = "bo";
    p.lineIndex = 4;
    QVERIFY(store->addPreference(p));

    auto plan = BlindReviewPlan::load(*store, b, a, "ana");
    QVERIFY2(plan, plan ? "" : plan.error().message.c_str());
    QCOMPARE(plan->commonLines(), std::size_t(3));
    QCOMPARE(plan->judgedBefore(), std::size_t(1));
    std::vector<std::int64_t> left;
    for (const auto &item : plan->items()) {
        left.push_back(item.lineIndex);
    }
    std::sort(left.begin(), left.end());
    QCOMPARE(left, (std::vector<std::int64_t>{1, 4}));
    QVERIFY(!BlindReviewPlan::load(*store, a, a, "ana"));
    QVERIFY(!BlindReviewPlan::load(*store, a, b, ""));
    QCOMPARE(BlindReviewPlan::load(*store, a, RunId{77}, "ana").error().code,
             ErrorCode::NotFound);
}

QTEST_APPLESS_MAIN(TestPreferenceSummary)
#include "tst_preferencesummary.moc"
