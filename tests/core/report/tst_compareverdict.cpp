// CompareVerdict: Holm over every test of a baseline-vs-candidates set (a raw p < 0.05 that the
// correction lifts above 0.05 is no longer "better"), directions (latency and cost: lower is
// better), effects in their units (pass-rate points exact from the discordant counts, ms, USD
// per 1,000 lines), and the comparability warnings. From a real store, the latency and cost
// paired tests RunComparison now carries, pinned to compareverdict_reference.py (the paired
// bootstrap re-implemented in Python, McNemar and Holm in fractions).
#include <core/report/compareverdict.h>
#include <core/report/runcomparison.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace fb;

namespace {

bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol; }

RunSummary summary(std::int64_t id, const std::string &name)
{
    RunSummary s;
    s.id = RunId{id};
    s.name = name;
    return s;
}

/// A pass/fail evaluator compared with McNemar: b = baseline-only passes, c = candidate-only.
EvaluatorComparison passFail(const std::string &name, std::size_t b, std::size_t c, std::size_t n,
                             double p)
{
    EvaluatorComparison e;
    e.name = name;
    e.pairedVerdicts = n;
    McNemarResult m;
    m.onlyA = b;
    m.onlyB = c;
    m.exact = true;
    m.pValue = p;
    e.mcnemar = m;
    e.baselinePassRate = 0.5;
    e.candidatePassRate = 0.5 + (double(c) - double(b)) / double(n);
    return e;
}

/// A score-only evaluator compared with the paired bootstrap.
EvaluatorComparison scored(const std::string &name, double meanDifference, double p, std::size_t n)
{
    EvaluatorComparison e;
    e.name = name;
    e.pairedScores = n;
    PairedBootstrapResult r;
    r.meanDifference.estimate = meanDifference;
    r.pValue = p;
    e.bootstrap = r;
    e.differenceMethod = "bootstrap";
    return e;
}

PairedDifference difference(double estimate, double p, std::size_t n)
{
    PairedDifference d;
    d.n = n;
    d.meanDifference.estimate = estimate;
    d.pValue = p;
    d.method = "bootstrap";
    return d;
}

RunComparison comparison(const RunSummary &baseline, const RunSummary &candidate)
{
    RunComparison c;
    c.baseline = baseline;
    c.candidate = candidate;
    return c;
}

/// B and C against A, as in holmFlipsVerdict.
std::vector<RunComparison> flipSet()
{
    const RunSummary a = summary(1, "baseline");
    RunComparison b = comparison(a, summary(2, "variant_1"));
    // exact_match: 1 baseline-only pass, 12 candidate-only passes of 40 lines: +27.5 pp.
    b.evaluators.push_back(passFail("exact_match", 1, 12, 40, 0.03));
    b.latencyDifference = difference(12.0, 0.41, 40);
    b.costDifference = difference(0.0001, 0.2, 40);
    RunComparison c = comparison(a, summary(3, "variant_2"));
    c.evaluators.push_back(passFail("exact_match", 0, 9, 40, 0.004));
    c.latencyDifference = difference(-120.0, 0.001, 40);
    // No priced lines: cost is not tested.
    return {b, c};
}

struct ComparabilityCase
{
    std::vector<RunSummary> runs;
    /// issue name, then the runs it names (baseline first), then the evaluators it names
    std::vector<std::vector<std::string>> expected;
};

} // namespace

Q_DECLARE_METATYPE(ComparabilityCase)

class TestCompareVerdict : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void holmFlipsVerdict();
    void alphaAndSingleComparison();
    void directions();
    void refuses();
    void json();
    void verdictsFromStore();
    void comparability_data();
    void comparability();

private:
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestCompareVerdict::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestCompareVerdict::cleanup() { m_dir.reset(); }

void TestCompareVerdict::holmFlipsVerdict()
{
    // Five tests (C's cost has no priced lines: not tested, not counted). Ascending:
    // C latency 0.001, C exact_match 0.004, B exact_match 0.03, B cost 0.2, B latency 0.41;
    // Holm: 5 x 0.001 = 0.005, 4 x 0.004 = 0.016, 3 x 0.03 = 0.09, 2 x 0.2 = 0.4, 1 x 0.41.
    // (agreement_reference.py, "holm verdicts".) B's exact_match has raw p 0.03 < 0.05, but
    // 0.09 after the correction: no significant difference.
    const auto set = CompareVerdict::judge(flipSet());
    QVERIFY2(set, set ? "" : set.error().message.c_str());
    QCOMPARE(set->baseline(), std::string("baseline"));
    QCOMPARE(set->testCount(), std::size_t(5));
    QCOMPARE(set->verdicts().size(), std::size_t(6));
    QCOMPARE(set->alpha(), 0.05);

    const MetricVerdict *bMatch = set->verdict("variant_1", "exact_match");
    QVERIFY(bMatch);
    QCOMPARE(bMatch->kind, VerdictMetric::PassRate);
    QCOMPARE(*bMatch->pValue, 0.03);
    QCOMPARE(*bMatch->adjustedPValue, 0.09);
    QCOMPARE(bMatch->direction, VerdictDirection::NoSignificantDifference);
    // 100 x (12 - 1) / 40, exactly.
    QVERIFY(*bMatch->effect == 27.5);
    QCOMPARE(bMatch->test, std::string("McNemar"));
    QCOMPARE(bMatch->pairs, std::size_t(40));
    QVERIFY(bMatch->higherIsBetter);

    const MetricVerdict *cMatch = set->verdict("variant_2", "exact_match");
    QCOMPARE(*cMatch->adjustedPValue, 0.016);
    QCOMPARE(cMatch->direction, VerdictDirection::Better);
    QVERIFY(*cMatch->effect == 22.5); // 100 x 9 / 40

    const MetricVerdict *bLatency = set->verdict("variant_1", "latency");
    QCOMPARE(bLatency->kind, VerdictMetric::Latency);
    QVERIFY(!bLatency->higherIsBetter);
    QCOMPARE(*bLatency->adjustedPValue, 0.41);
    QCOMPARE(bLatency->direction, VerdictDirection::NoSignificantDifference);
    QCOMPARE(*bLatency->effect, 12.0);
    QCOMPARE(bLatency->test, std::string("paired bootstrap"));

    // 120 ms faster and significant: better, because lower latency is better.
    const MetricVerdict *cLatency = set->verdict("variant_2", "latency");
    QCOMPARE(*cLatency->adjustedPValue, 0.005);
    QCOMPARE(*cLatency->effect, -120.0);
    QCOMPARE(cLatency->direction, VerdictDirection::Better);

    const MetricVerdict *bCost = set->verdict("variant_1", "cost");
    QCOMPARE(bCost->kind, VerdictMetric::Cost);
    QCOMPARE(*bCost->adjustedPValue, 0.4);
    QCOMPARE(*bCost->effect, 0.1); // 0.0001 USD a line = 0.1 USD per 1,000 lines
    QCOMPARE(bCost->direction, VerdictDirection::NoSignificantDifference);

    const MetricVerdict *cCost = set->verdict("variant_2", "cost");
    QCOMPARE(cCost->direction, VerdictDirection::NotTested);
    QVERIFY(!cCost->pValue && !cCost->adjustedPValue && !cCost->effect);
    QVERIFY(cCost->test.empty());

    // Order: per candidate, evaluators, then latency, then cost.
    QCOMPARE(set->verdicts()[0].metric, std::string("exact_match"));
    QCOMPARE(set->verdicts()[1].metric, std::string("latency"));
    QCOMPARE(set->verdicts()[2].metric, std::string("cost"));
    QCOMPARE(set->verdicts()[3].candidate, std::string("variant_2"));
}

void TestCompareVerdict::alphaAndSingleComparison()
{
    // B alone: three tests, 0.03, 0.2, 0.41 -> 3 x 0.03 = 0.09, 2 x 0.2 = 0.4, 0.41.
    const auto alone = CompareVerdict::judge({flipSet()[0]});
    QVERIFY(alone);
    QCOMPARE(alone->testCount(), std::size_t(3));
    QCOMPARE(*alone->verdict("variant_1", "exact_match")->adjustedPValue, 0.09);
    QCOMPARE(alone->verdict("variant_1", "exact_match")->direction,
             VerdictDirection::NoSignificantDifference);
    // At alpha 0.1, 0.09 is significant.
    CompareVerdictOptions lenient;
    lenient.alpha = 0.1;
    const auto atTen = CompareVerdict::judge({flipSet()[0]}, lenient);
    QVERIFY(atTen);
    QCOMPARE(atTen->alpha(), 0.1);
    QCOMPARE(atTen->verdict("variant_1", "exact_match")->direction, VerdictDirection::Better);
    // The boundary: adjusted p == alpha is not below alpha.
    lenient.alpha = 0.09;
    QCOMPARE(CompareVerdict::judge({flipSet()[0]}, lenient)
                 ->verdict("variant_1", "exact_match")
                 ->direction,
             VerdictDirection::NoSignificantDifference);
    // No comparisons: an empty set.
    const auto none = CompareVerdict::judge({});
    QVERIFY(none && none->verdicts().empty() && none->testCount() == 0);
}

void TestCompareVerdict::directions()
{
    const RunSummary a = summary(1, "baseline");
    RunComparison d = comparison(a, summary(4, "slow"));
    d.evaluators.push_back(passFail("exact_match", 10, 2, 50, 0.0001)); // -16 pp
    d.evaluators.push_back(scored("rouge_l", -0.05, 0.0001, 50));
    d.evaluators.push_back(scored("toxicity", 0.2, 0.0001, 50));
    d.evaluators.push_back(scored("length_penalty", -0.3, 0.0001, 50));
    d.evaluators.push_back(scored("bleu", 0.0, 0.0001, 50)); // significant yet no difference
    d.latencyDifference = difference(80.0, 0.0001, 50);
    d.costDifference = difference(-0.00002, 0.0001, 50);
    CompareVerdictOptions options;
    options.lowerIsBetter = {"toxicity", "length_penalty"};
    const auto set = CompareVerdict::judge({d}, options);
    QVERIFY(set);
    // Seven tests at 0.0001: each adjusted to 7 x 0.0001 (the running maximum over ties).
    QCOMPARE(set->testCount(), std::size_t(7));
    auto direction = [&](const char *metric) { return set->verdict("slow", metric)->direction; };
    QCOMPARE(direction("exact_match"), VerdictDirection::Worse);
    QVERIFY(*set->verdict("slow", "exact_match")->effect == -16.0);
    QCOMPARE(direction("rouge_l"), VerdictDirection::Worse);
    QCOMPARE(set->verdict("slow", "rouge_l")->kind, VerdictMetric::Score);
    QCOMPARE(*set->verdict("slow", "rouge_l")->effect, -0.05);
    QCOMPARE(direction("toxicity"), VerdictDirection::Worse); // up, and lower is better
    QVERIFY(!set->verdict("slow", "toxicity")->higherIsBetter);
    QCOMPARE(direction("length_penalty"), VerdictDirection::Better);
    QCOMPARE(direction("bleu"), VerdictDirection::NoSignificantDifference);
    QCOMPARE(direction("latency"), VerdictDirection::Worse); // 80 ms slower
    QCOMPARE(direction("cost"), VerdictDirection::Better);   // cheaper
    QVERIFY(close(*set->verdict("slow", "cost")->effect, -0.02, 1e-15));
    for (const auto &v : set->verdicts()) {
        QVERIFY2(close(*v.adjustedPValue, 7 * 0.0001, 1e-17), v.metric.c_str());
    }
}

void TestCompareVerdict::refuses()
{
    auto set = flipSet();
    set[1].baseline = summary(9, "other");
    const auto mixed = CompareVerdict::judge(set);
    QVERIFY(!mixed);
    QCOMPARE(mixed.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(mixed.error().message,
             std::string("verdicts compare one baseline with candidates: 'other' is not the "
                         "baseline 'baseline'"));
    auto twice = flipSet();
    twice[1].candidate = twice[0].candidate;
    QVERIFY(!CompareVerdict::judge(twice));
    for (double alpha : {0.0, 1.0, -0.1, std::nan("")}) {
        CompareVerdictOptions o;
        o.alpha = alpha;
        QVERIFY(!CompareVerdict::judge(flipSet(), o));
    }
}

void TestCompareVerdict::json()
{
    const auto set = CompareVerdict::judge(flipSet());
    QVERIFY(set);
    const Value j = set->toJson();
    QCOMPARE(j["baseline"].get<std::string>(), std::string("baseline"));
    QCOMPARE(j["correction"].get<std::string>(), std::string("holm"));
    QCOMPARE(j["tests"].get<int>(), 5);
    QCOMPARE(j["verdicts"].size(), std::size_t(6));
    const Value &first = j["verdicts"][0];
    QCOMPARE(first["candidate"].get<std::string>(), std::string("variant_1"));
    QCOMPARE(first["metric"].get<std::string>(), std::string("exact_match"));
    QCOMPARE(first["kind"].get<std::string>(), std::string("pass_rate"));
    QCOMPARE(first["direction"].get<std::string>(), std::string("no_significant_difference"));
    QCOMPARE(first["effect"].get<double>(), 27.5);
    QCOMPARE(first["p_value"].get<double>(), 0.03);
    QCOMPARE(first["adjusted_p_value"].get<double>(), 0.09);
    QCOMPARE(first["higher_is_better"].get<bool>(), true);
    QCOMPARE(j["verdicts"][4]["direction"].get<std::string>(), std::string("better"));
    QVERIFY(j["verdicts"][5]["p_value"].is_null());
    QCOMPARE(j["verdicts"][5]["direction"].get<std::string>(), std::string("not_tested"));
}

void TestCompareVerdict::verdictsFromStore()
{
    // test::writeVerdictLines: 20 lines; A passes lines 0-9, B 0-15 (6 lines only B passes),
    // C all 20 (10 only C). Latency: B = A + differences with mean +3.75 ms, C = A - 40 ms on
    // every line. Cost: A and B 0.002 USD a line, C 0.001. compareverdict_reference.py:
    //   B latency: mean 3.75, 1083 of 2000 resampled means as far out -> p = 1084/2001,
    //     interval [-7.5, 14.756249999999966];
    //   McNemar exact: B (0 vs 6) p = 2 / 2^6 = 1/32; C (0 vs 10) p = 2 / 2^10 = 1/512;
    //   C latency and cost: constant differences, p = 1/2001; B cost: all 0, p = 1.
    //   Holm over the six: 1/2001, 1/2001 -> 6/2001 (tied, running maximum);
    //   1/512 -> 4/512 = 1/128; 1/32 -> 3/32 = 0.09375; 1084/2001 -> min(1, 2 x) = 1; 1 -> 1.
    // B's exact_match (+30 pp, raw p 0.03125) is not significant after the correction.
    const RunId a = test::createRun(path(), "A", 20);
    const RunId b = test::createRun(path(), "B", 20);
    const RunId c = test::createRun(path(), "C", 20);
    QVERIFY(a.isValid() && b.isValid() && c.isValid());
    QVERIFY(test::writeVerdictLines(path(), a, b, c));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    auto ab = RunComparison::compare(*store, a, b);
    auto ac = RunComparison::compare(*store, a, c);
    QVERIFY(ab && ac);

    QVERIFY(ab->latencyDifference);
    const PairedDifference &lat = *ab->latencyDifference;
    QCOMPARE(lat.n, std::size_t(20));
    QCOMPARE(lat.method, std::string("bootstrap"));
    QCOMPARE(lat.meanDifference.estimate, 3.75);
    QCOMPARE(*ab->meanLatencyDeltaMs, 3.75);
    QVERIFY2(close(lat.pValue, 1084.0 / 2001.0, 1e-15),
             qPrintable(QString::number(lat.pValue, 'g', 17)));
    QCOMPARE(lat.meanDifference.lower, -7.5);
    QVERIFY2(close(lat.meanDifference.upper, 14.756249999999966, 1e-12),
             qPrintable(QString::number(lat.meanDifference.upper, 'g', 17)));
    QVERIFY(ac->latencyDifference && ac->costDifference && ab->costDifference);
    QCOMPARE(ac->latencyDifference->meanDifference.estimate, -40.0);
    QCOMPARE(ac->latencyDifference->pValue, 1.0 / 2001.0);
    QCOMPARE(ab->costDifference->pValue, 1.0);
    QCOMPARE(ac->costDifference->pValue, 1.0 / 2001.0);
    QCOMPARE(ac->costDifference->n, std::size_t(20));
    const Value json = ab->toJson();
    QVERIFY(close(json["latency_ms"]["test"]["p_value"].get<double>(), 1084.0 / 2001.0, 1e-15));
    QCOMPARE(json["cost_usd"]["test"]["test"].get<std::string>(), std::string("paired bootstrap"));

    const auto set = CompareVerdict::judge({*ab, *ac});
    QVERIFY2(set, set ? "" : set.error().message.c_str());
    QCOMPARE(set->testCount(), std::size_t(6));
    const MetricVerdict *bMatch = set->verdict("B", "exact_match");
    QVERIFY(bMatch);
    QCOMPARE(bMatch->kind, VerdictMetric::PassRate); // verdicts win over the 0/1 scores
    QVERIFY(*bMatch->effect == 30.0);
    QVERIFY(close(*bMatch->pValue, 1.0 / 32.0, 1e-12));
    QVERIFY(close(*bMatch->adjustedPValue, 0.09375, 1e-12));
    QCOMPARE(bMatch->direction, VerdictDirection::NoSignificantDifference);

    const MetricVerdict *cMatch = set->verdict("C", "exact_match");
    QVERIFY(*cMatch->effect == 50.0);
    QVERIFY(close(*cMatch->adjustedPValue, 1.0 / 128.0, 1e-12));
    QCOMPARE(cMatch->direction, VerdictDirection::Better);

    const MetricVerdict *bLatency = set->verdict("B", "latency");
    QCOMPARE(*bLatency->adjustedPValue, 1.0);
    QCOMPARE(bLatency->direction, VerdictDirection::NoSignificantDifference);
    const MetricVerdict *cLatency = set->verdict("C", "latency");
    QCOMPARE(*cLatency->effect, -40.0);
    QVERIFY(close(*cLatency->adjustedPValue, 6.0 / 2001.0, 1e-15));
    QCOMPARE(cLatency->direction, VerdictDirection::Better);

    const MetricVerdict *cCost = set->verdict("C", "cost");
    // mean(0.001 - 0.002) over 20 lines x 1000 (the doubles' sum: -1.0000000000000004).
    QVERIFY(close(*cCost->effect, -1.0, 1e-12));
    QVERIFY(close(*cCost->adjustedPValue, 6.0 / 2001.0, 1e-15));
    QCOMPARE(cCost->direction, VerdictDirection::Better);
    const MetricVerdict *bCost = set->verdict("B", "cost");
    QCOMPARE(*bCost->effect, 0.0);
    QCOMPARE(bCost->direction, VerdictDirection::NoSignificantDifference);
}

void TestCompareVerdict::comparability_data()
{
    QTest::addColumn<ComparabilityCase>("row");
    auto run = [](std::int64_t id, const std::string &name) {
        RunSummary s = summary(id, name);
        s.flowId = FlowVersionId{1};
        s.datasetId = DatasetVersionId{1};
        s.columnMapping = Value{{"text", "${data.text}"}};
        s.parameters = Value{
            {"simulator", true},
            {"evaluators", Value::array({Value{{"type", "exact_match"}, {"reference", "label"}}})}};
        return s;
    };
    const std::vector<RunSummary> same{run(1, "A"), run(2, "B"), run(3, "C")};
    QTest::newRow("all-alike") << ComparabilityCase{same, {}};

    auto versions = same;
    versions[1].flowId = FlowVersionId{2};
    versions[2].variants = Value{{"classify", "variant_1"}};
    QTest::newRow("flow-version-and-variant-expected") << ComparabilityCase{versions, {}};

    auto dataset = same;
    dataset[2].datasetId = DatasetVersionId{7};
    dataset[1].datasetId.reset();
    QTest::newRow("dataset-version")
        << ComparabilityCase{dataset, {{"dataset_version", "A", "B", "C"}}};

    auto settings = same;
    // Same settings in another key order, and an evaluator only B has: no warning for B.
    settings[1].parameters["evaluators"] = Value::array(
        {Value{{"reference", "label"}, {"type", "exact_match"}}, Value{{"type", "rouge_l"}}});
    settings[2].parameters["evaluators"][0]["reference"] = "answer";
    QTest::newRow("evaluator-settings")
        << ComparabilityCase{settings, {{"evaluator_settings", "A", "C", "|", "exact_match"}}};

    auto numbered = same;
    for (auto &r : numbered) {
        r.parameters["evaluators"] = Value::array(
            {Value{{"type", "rouge_l"}}, Value{{"type", "rouge_l"}, {"threshold", 0.5}}});
    }
    numbered[1].parameters["evaluators"][1]["threshold"] = 0.4;
    QTest::newRow("second-unnamed-of-a-type")
        << ComparabilityCase{numbered, {{"evaluator_settings", "A", "B", "|", "rouge_l_2"}}};

    auto mapping = same;
    mapping[1].columnMapping = Value{{"text", "${data.question}"}};
    auto simulated = mapping;
    simulated[2].parameters["simulator"] = false;
    QTest::newRow("mapping-and-simulator") << ComparabilityCase{
        simulated, {{"column_mapping", "A", "B"}, {"simulated_and_real", "A", "C"}}};
    QTest::newRow("one-run") << ComparabilityCase{{dataset[0]}, {}};
}

void TestCompareVerdict::comparability()
{
    QFETCH(ComparabilityCase, row);
    const auto warnings = CompareVerdict::comparability(row.runs);
    QCOMPARE(warnings.size(), row.expected.size());
    for (std::size_t i = 0; i < warnings.size(); ++i) {
        std::vector<std::string> got{CompareVerdict::issueName(warnings[i].issue)};
        got.insert(got.end(), warnings[i].runs.begin(), warnings[i].runs.end());
        if (!warnings[i].evaluators.empty()) {
            got.push_back("|");
            got.insert(got.end(), warnings[i].evaluators.begin(), warnings[i].evaluators.end());
        }
        QCOMPARE(got, row.expected[i]);
    }
}

QTEST_GUILESS_MAIN(TestCompareVerdict)
#include "tst_compareverdict.moc"
