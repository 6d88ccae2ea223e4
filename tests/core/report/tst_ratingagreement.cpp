// RatingAgreement on a real store: ratings aligned into lines x raters (last rating wins,
// comment-only ratings ignored), Cohen's kappa per rater pair, Fleiss' kappa over the lines every
// rater rated, and each rater against an LLM judge's stored verdicts or scores (its score put
// back on its scale). Expected values from agreement_reference.py's store_cases() (fractions).
#include <core/report/ratingagreement.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace fb;

namespace {

bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol; }

Rating rating(RunId run, std::int64_t line, const std::string &rater, std::optional<double> score,
              const std::string &comment = {})
{
    Rating r;
    r.runId = run;
    r.lineIndex = line;
    r.rater = rater;
    r.score = score;
    r.comment = comment;
    return r;
}

/// Checks a pair's kappa, observed and expected agreement against exact fractions.
void checkPair(const PairAgreement &p, const char *first, const char *second, std::size_t lines,
               double observed, double expected, double kappa)
{
    QCOMPARE(p.first, std::string(first));
    QCOMPARE(p.second, std::string(second));
    QCOMPARE(p.sharedLines, lines);
    QVERIFY(p.kappa && p.kappa->kappa);
    QVERIFY2(close(*p.kappa->kappa, kappa, 1e-15),
             qPrintable(
                 QStringLiteral("%1-%2: %3").arg(first, second).arg(*p.kappa->kappa, 0, 'g', 17)));
    QVERIFY(close(p.kappa->observedAgreement, observed, 1e-15));
    QVERIFY(close(p.kappa->expectedAgreement, expected, 1e-15));
}

} // namespace

class TestRatingAgreement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void labels();
    void passFailRatersAndJudge();
    void scaleRatingsAgainstJudgeScore();
    void judgeScaleFromRunParameters();
    void judgeScoresBackOnTheirScale();
    void unknownJudge();
    void fewRaters();

private:
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestRatingAgreement::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestRatingAgreement::cleanup() { m_dir.reset(); }

void TestRatingAgreement::labels()
{
    QCOMPARE(RatingAgreement::label(4.0), std::string("4"));
    QCOMPARE(RatingAgreement::label(0.0), std::string("0"));
    QCOMPARE(RatingAgreement::label(-0.0), std::string("0"));
    QCOMPARE(RatingAgreement::label(0.5), std::string("0.5"));
    QCOMPARE(RatingAgreement::label(3.25), std::string("3.25"));
    QCOMPARE(RatingAgreement::label(0.1), std::string("0.1"));
}

void TestRatingAgreement::passFailRatersAndJudge()
{
    // test::writeRatedLines: lines 0-9 rated fail (0) / pass (1):
    //   ana 1 1 0 1 0 1 1 0 1 1   (line 2: first 1, then corrected to 0)
    //   bo  1 0 0 1 0 1 1 1 1 1   (plus a comment-only rating on line 0, which is no label)
    //   cy  1 1 0 1 1 1 - - 1 0
    //   judge passed 1 1 0 0 - 1 1 0 1 1 (no result on line 4)
    // agreement_reference.py store_cases():
    //   ana-bo 10 lines: p_o 4/5, p_e 29/50, kappa 11/21;  ana-cy 8: 3/4, 5/8, 1/3;
    //   bo-cy 8: 5/8, 9/16, 1/7; Fleiss over lines 0-5, 8, 9: P 3/4, P_e 169/288, kappa 47/119;
    //   ana-judge 9: 8/9, 16/27, 8/11; bo-judge 9: 2/3, 16/27, 2/11; cy-judge 7: 5/7, 29/49, 3/10.
    const RunId run = test::createRun(path(), "rated", 10);
    QVERIFY(run.isValid());
    QVERIFY(test::writeRatedLines(path(), run));

    auto store = ExperimentStore::open(path());
    RatingAgreementOptions options;
    options.judge = "llm_judge";
    const auto r = RatingAgreement::load(*store, run, options);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->table.raters, (std::vector<std::string>{"ana", "bo", "cy"}));
    QCOMPARE(r->table.lines.size(), std::size_t(10));
    QCOMPARE(*r->table.labels[2][0], std::string("0")); // ana's correction
    QCOMPARE(*r->table.labels[0][1], std::string("1")); // bo's comment did not erase it
    QVERIFY(!r->table.labels[6][2]);

    QCOMPARE(r->pairs.size(), std::size_t(3));
    checkPair(r->pairs[0], "ana", "bo", 10, 4.0 / 5, 29.0 / 50, 11.0 / 21);
    checkPair(r->pairs[1], "ana", "cy", 8, 3.0 / 4, 5.0 / 8, 1.0 / 3);
    checkPair(r->pairs[2], "bo", "cy", 8, 5.0 / 8, 9.0 / 16, 1.0 / 7);

    QCOMPARE(r->fleissLines, std::size_t(8));
    QVERIFY(r->fleiss && r->fleiss->kappa);
    QVERIFY2(close(*r->fleiss->kappa, 47.0 / 119.0, 1e-15),
             qPrintable(QString::number(*r->fleiss->kappa, 'g', 17)));
    QVERIFY(close(r->fleiss->observedAgreement, 3.0 / 4.0, 1e-15));
    QVERIFY(close(r->fleiss->expectedAgreement, 169.0 / 288.0, 1e-15));
    QCOMPARE(r->fleiss->ratersPerItem, std::size_t(3));

    // Pass/fail ratings and a judge with verdicts: compared on the verdicts.
    QCOMPARE(r->judgeLabels, JudgeLabels::Verdict);
    QCOMPARE(r->judgePairs.size(), std::size_t(3));
    checkPair(r->judgePairs[0], "ana", "llm_judge", 9, 8.0 / 9, 16.0 / 27, 8.0 / 11);
    checkPair(r->judgePairs[1], "bo", "llm_judge", 9, 2.0 / 3, 16.0 / 27, 2.0 / 11);
    checkPair(r->judgePairs[2], "cy", "llm_judge", 7, 5.0 / 7, 29.0 / 49, 3.0 / 10);

    const Value j = r->toJson();
    QCOMPARE(j["raters"].size(), std::size_t(3));
    QCOMPARE(j["fleiss"]["lines"].get<int>(), 8);
    QCOMPARE(j["judge"]["labels"].get<std::string>(), std::string("verdict"));
    QVERIFY(close(j["judge"]["pairs"][2]["cohen"]["kappa"].get<double>(), 0.3, 1e-15));
    QVERIFY(!j["judge"].contains("scale"));
}

void TestRatingAgreement::scaleRatingsAgainstJudgeScore()
{
    // A 1-5 scale on lines 0-5; the judge replied n and stored (n - 1) / 4 (LlmJudgeEvaluator's
    // score on its default scale [1, 5]), put back as 1 + s * 4.
    //   ana 5 4 3 4 2 1; bo 5 3 3 4 2 2; judge 5 4 2 4 2 1.
    // agreement_reference.py: ana-bo p_o 2/3, p_e 7/36, kappa 17/29; ana-judge 5/6, 2/9, 11/14;
    // bo-judge 1/2, 7/36, 11/29. Two raters: Fleiss over the six lines, too.
    const RunId run = test::createRun(path(), "scaled", 6);
    const int ana[] = {5, 4, 3, 4, 2, 1};
    const int bo[] = {5, 3, 3, 4, 2, 2};
    const int judge[] = {5, 4, 2, 4, 2, 1};
    {
        auto store = ExperimentStore::open(path());
        for (std::int64_t i = 0; i < 6; ++i) {
            QVERIFY(store->addRating(rating(run, i, "ana", ana[i])));
            QVERIFY(store->addRating(rating(run, i, "bo", bo[i])));
        }
    }
    std::vector<LineRecord> lines;
    for (int i = 0; i < 6; ++i) {
        LineRecord l = test::completedLine(run, i, "x", 10);
        ScoreRecord s;
        s.evaluator = "llm_judge";
        s.score = (judge[i] - 1) / 4.0;
        s.passed = judge[i] >= 4;
        l.scores.push_back(s);
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    RatingAgreementOptions options;
    options.judge = "llm_judge";
    const auto r = RatingAgreement::load(*store, run, options);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    checkPair(r->pairs[0], "ana", "bo", 6, 2.0 / 3, 7.0 / 36, 17.0 / 29);
    QCOMPARE(r->judgeLabels, JudgeLabels::Scale);
    QCOMPARE(*r->judgeScaleMin, 1.0);
    QCOMPARE(*r->judgeScaleMax, 5.0);
    checkPair(r->judgePairs[0], "ana", "llm_judge", 6, 5.0 / 6, 2.0 / 9, 11.0 / 14);
    checkPair(r->judgePairs[1], "bo", "llm_judge", 6, 1.0 / 2, 7.0 / 36, 11.0 / 29);
    QCOMPARE(r->fleissLines, std::size_t(6));
    QVERIFY(r->fleiss);

    // Forced onto the verdicts: the judge's labels are 0/1 and agree with no 1-5 rating but
    // ana's and bo's "1" on line 5 (judge failed it: "0") — nothing in common but chance.
    options.judgeLabels = JudgeLabels::Verdict;
    const auto forced = RatingAgreement::load(*store, run, options);
    QVERIFY(forced);
    QCOMPARE(forced->judgeLabels, JudgeLabels::Verdict);
    QCOMPARE(forced->judgePairs[0].kappa->observedAgreement, 0.0);
}

void TestRatingAgreement::judgeScaleFromRunParameters()
{
    // The judge's spec in the run's parameters says scale [2, 4] (neither end the default's):
    // it replied n and stored s = (n - 2) / 2, put back as 2 + 2 s.
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    auto flow = store->internFlow("hash-x", "x", "flows/x", "{}");
    RunSpec spec;
    spec.name = "three-point";
    spec.flowId = *flow;
    spec.totalLines = 4;
    spec.parameters["evaluators"] = Value::array(
        {Value{{"type", "exact_match"}},
         Value{{"type", "llm_judge"}, {"name", "judge3"}, {"scale", Value::array({2, 4})}}});
    auto run = store->createRun(spec);
    QVERIFY(run);
    const int rated[] = {2, 3, 4, 4};
    const int judge[] = {2, 3, 4, 3};
    std::vector<LineRecord> lines;
    for (int i = 0; i < 4; ++i) {
        QVERIFY(store->addRating(rating(*run, i, "ana", rated[i])));
        LineRecord l = test::completedLine(*run, i, "x", 10);
        ScoreRecord s;
        s.evaluator = "judge3";
        s.score = (judge[i] - 2) / 2.0;
        s.passed = judge[i] == 4;
        l.scores.push_back(s);
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    RatingAgreementOptions options;
    options.judge = "judge3";
    const auto r = RatingAgreement::load(*store, *run, options);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->judgeLabels, JudgeLabels::Scale);
    QCOMPARE(*r->judgeScaleMin, 2.0);
    QCOMPARE(*r->judgeScaleMax, 4.0);
    // One rater: no pairs, no Fleiss. Against the judge: 3 of 4 alike; rater 2,3,4,4 and
    // judge 2,3,4,3: p_e = (1*1 + 1*2 + 2*1) / 16 = 5/16; kappa = (3/4 - 5/16) / (11/16) = 7/11.
    QVERIFY(r->pairs.empty());
    QVERIFY(!r->fleiss);
    checkPair(r->judgePairs[0], "ana", "judge3", 4, 3.0 / 4, 5.0 / 16, 7.0 / 11);
    // An explicit scale wins over the run's: [0, 2] gives the judge 0, 1, 2, 1, never a rating.
    options.judgeScaleMin = 0.0;
    options.judgeScaleMax = 2.0;
    const auto explicitScale = RatingAgreement::load(*store, *run, options);
    QVERIFY(explicitScale);
    QCOMPARE(*explicitScale->judgeScaleMin, 0.0);
    QCOMPARE(*explicitScale->judgeScaleMax, 2.0);
    QCOMPARE(explicitScale->judgePairs[0].kappa->observedAgreement, 0.0);
    options.judgeScaleMax = 0.0;
    QVERIFY(!RatingAgreement::load(*store, *run, options));
}

void TestRatingAgreement::judgeScoresBackOnTheirScale()
{
    // On a 0-25 scale the judge's 7 and 14 are stored as 7/25 = 0.28 and 14/25 = 0.56, and
    // 0 + 0.28 * 25 = 7.000000000000001, 0.56 * 25 = 14.000000000000002 in doubles (python3
    // agrees); they must still read "7" and "14" to match the raters' 7 and 14.
    QCOMPARE(0.28 * 25.0 == 7.0, false);
    EvaluatorColumn judge;
    judge.name = "judge25";
    judge.lineIndexes = {0, 1, 2};
    judge.scores = {0.28, 0.56, 1.0};
    judge.verdicts = {-1, -1, -1};
    judge.scoreCount = 3;
    const RunId run{1};
    const std::vector<Rating> ratings{rating(run, 0, "ana", 7.0), rating(run, 1, "ana", 14.0),
                                      rating(run, 2, "ana", 20.0)};
    RatingAgreementOptions options;
    options.judge = "judge25";
    options.judgeScaleMin = 0.0;
    options.judgeScaleMax = 25.0;
    const auto r = RatingAgreement::compute(ratings, &judge, options);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QCOMPARE(r->judgeLabels, JudgeLabels::Scale); // no verdicts, ratings not 0/1
    // 7 and 14 agree, 20 vs 25 does not: p_o = 2/3; labels 7, 14, 20 vs 7, 14, 25:
    // p_e = (1*1 + 1*1) / 9 = 2/9; kappa = (2/3 - 2/9) / (7/9) = 4/7.
    checkPair(r->judgePairs[0], "ana", "judge25", 3, 2.0 / 3, 2.0 / 9, 4.0 / 7);
}

void TestRatingAgreement::unknownJudge()
{
    const RunId run = test::createRun(path(), "r", 1);
    LineRecord l = test::completedLine(run, 0, "x", 10);
    ScoreRecord s;
    s.evaluator = "exact_match";
    s.passed = true;
    l.scores.push_back(s);
    QVERIFY(test::writeLines(path(), {l}));
    auto store = ExperimentStore::open(path());
    RatingAgreementOptions options;
    options.judge = "llm_judge";
    const auto r = RatingAgreement::load(*store, run, options);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::NotFound);
    QCOMPARE(r.error().message,
             std::string("run 'r' has no results from 'llm_judge' (it has: exact_match)"));
    QVERIFY(!RatingAgreement::load(*store, RunId{99}));
    QVERIFY(!RatingAgreement::compute({}, nullptr, options));
}

void TestRatingAgreement::fewRaters()
{
    // Two raters who never rated the same line: a pair with no kappa, no Fleiss lines.
    const RunId run = test::createRun(path(), "sparse", 4);
    std::vector<Rating> ratings{rating(run, 0, "ana", 1.0), rating(run, 1, "bo", 0.0)};
    const auto r = RatingAgreement::compute(ratings, nullptr, {});
    QVERIFY(r);
    QCOMPARE(r->pairs.size(), std::size_t(1));
    QCOMPARE(r->pairs[0].sharedLines, std::size_t(0));
    QVERIFY(!r->pairs[0].kappa);
    QCOMPARE(r->fleissLines, std::size_t(0));
    QVERIFY(!r->fleiss);
    QVERIFY(r->judgePairs.empty());
    const Value j = r->toJson();
    QVERIFY(j["pairs"][0]["cohen"].is_null());
    QVERIFY(!j.contains("judge"));
    // Nothing rated at all.
    const auto none = RatingAgreement::compute({}, nullptr, {});
    QVERIFY(none && none->table.raters.empty() && none->pairs.empty());
}

QTEST_GUILESS_MAIN(TestRatingAgreement)
#include "tst_ratingagreement.moc"
