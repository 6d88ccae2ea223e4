// CompareSet: three runs aligned by line index (the union of their lines), and each row's
// flags worked out by hand: differs (status or output), regression and improvement on the focus
// evaluator (verdicts, else scores; a failure regresses), failed in any; the same after the
// baseline changes; the comparisons and verdicts it carries; and what it refuses.
#include <core/report/compareset.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>
#include <optional>

using namespace fb;

namespace {

ScoreRecord verdict(bool passed)
{
    ScoreRecord s;
    s.evaluator = "exact_match";
    s.passed = passed;
    s.score = passed ? 1.0 : 0.0;
    return s;
}

ScoreRecord rouge(double score)
{
    ScoreRecord s;
    s.evaluator = "rouge";
    s.score = score;
    return s;
}

} // namespace

class TestCompareSet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void alignsRowsAndFlagsThem();
    void scoresDecideWithoutVerdicts();
    void otherBaseline();
    void refusals();

private:
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    Result<CompareSet> load(const std::vector<RunId> &runs)
    {
        auto store = ExperimentStore::open(path());
        if (!store) {
            return store.error();
        }
        StatsOptions options;
        options.pageSize = 3; // merge across pages
        return CompareSet::load(*store, runs, options);
    }
    std::unique_ptr<QTemporaryDir> m_dir;
    RunId m_a, m_b, m_c;
};

// a: lines 0-7, all "x"; exact_match fails on 3 only; rouge 0.5 everywhere.
// b: lines 0-8; "y" on 1, "z" on 4, line 2 failed; exact_match fails on 5 only;
//    rouge 0.5 but 0.7 on 6 and 0.2 on 7.
// c: lines 2-7, all "x", exact_match passes everywhere; rouge 0.5.
void TestCompareSet::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_a = test::createRun(path(), "a", 9);
    m_b = test::createRun(path(), "b", 9);
    m_c = test::createRun(path(), "c", 9);
    QVERIFY(m_a.isValid() && m_b.isValid() && m_c.isValid());
    std::vector<LineRecord> lines;
    for (int i = 0; i < 8; ++i) {
        LineRecord l = test::completedLine(m_a, i, "x", 100);
        l.scores = {verdict(i != 3), rouge(0.5)};
        lines.push_back(std::move(l));
    }
    for (int i = 0; i < 9; ++i) {
        LineRecord l = test::completedLine(m_b, i, i == 1 ? "y" : i == 4 ? "z" : "x", 100);
        if (i == 2) {
            l.status = "Failed";
            l.outputs = Value::object();
            l.error = "boom";
        } else {
            l.scores = {verdict(i != 5), rouge(i == 6 ? 0.7 : i == 7 ? 0.2 : 0.5)};
        }
        lines.push_back(std::move(l));
    }
    for (int i = 2; i < 8; ++i) {
        LineRecord l = test::completedLine(m_c, i, "x", 100);
        l.scores = {verdict(true), rouge(0.5)};
        lines.push_back(std::move(l));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
}

void TestCompareSet::alignsRowsAndFlagsThem()
{
    auto set = load({m_a, m_b, m_c});
    QVERIFY2(set, set ? "" : set.error().message.c_str());
    QCOMPARE(set->runCount(), std::size_t(3));
    QCOMPARE(set->rowCount(), std::size_t(9));
    for (std::size_t row = 0; row < 9; ++row) {
        QCOMPARE(set->lineIndex(row), std::int64_t(row));
    }
    QCOMPARE(set->position(8, 0), CompareSet::npos); // a has no line 8
    QCOMPARE(set->position(8, 1), std::uint32_t(8));
    QCOMPARE(set->position(1, 2), CompareSet::npos); // c starts at 2
    QCOMPARE(set->position(2, 2), std::uint32_t(0));
    QCOMPARE(set->sharedEvaluators(), (std::vector<std::string>{"exact_match", "rouge"}));
    QCOMPARE(set->focusEvaluator(), std::string("exact_match"));

    using F = CompareSet::RowFlag;
    const std::uint8_t expected[9] = {0,           F::Differs,     F::Differs | F::Regression | F::FailedInAny,
                                      F::Improvement, F::Differs, F::Regression,
                                      0,           0,              0};
    for (std::size_t row = 0; row < 9; ++row) {
        QVERIFY2(set->flags(row) == expected[row],
                 qPrintable(QStringLiteral("row %1: flags %2, expected %3")
                                .arg(row)
                                .arg(set->flags(row))
                                .arg(expected[row])));
    }
    QCOMPARE(set->rows(F::Differs), (std::vector<std::uint32_t>{1, 2, 4}));
    QCOMPARE(set->rows(F::Regression), (std::vector<std::uint32_t>{2, 5}));
    QCOMPARE(set->rows(F::Improvement), (std::vector<std::uint32_t>{3}));
    QCOMPARE(set->rows(F::FailedInAny), (std::vector<std::uint32_t>{2}));
    QCOMPARE(set->rows(0).size(), std::size_t(9));
    QCOMPARE(set->flagCounts(), (std::array<std::size_t, 4>{3, 2, 1, 1}));
    // Each candidate's own cell: b regresses on 2 and 5, c improves on 3 and is missing on 1.
    QCOMPARE(set->cellFlags(2, 1), std::uint8_t(F::Differs | F::Regression | F::FailedInAny));
    QCOMPARE(set->cellFlags(2, 2), std::uint8_t(0));
    QCOMPARE(set->cellFlags(3, 2), std::uint8_t(F::Improvement));
    QCOMPARE(set->cellFlags(5, 1), std::uint8_t(F::Regression));
    QCOMPARE(set->cellFlags(5, 2), std::uint8_t(0));
    QCOMPARE(set->cellFlags(1, 2), std::uint8_t(0));
    QCOMPARE(set->cellFlags(3, 0), std::uint8_t(0));
    QCOMPARE(set->passed(3, 0), static_cast<signed char>(0));
    QCOMPARE(set->passed(3, 1), static_cast<signed char>(1));
    QCOMPARE(set->passed(0, 2), static_cast<signed char>(-1)); // c has no line 0
    QCOMPARE(set->score(5, 1), 0.0);

    // The baseline against each candidate, and the verdicts over both.
    QCOMPARE(set->comparisons().size(), std::size_t(2));
    QCOMPARE(set->comparisons()[0].candidate.name, std::string("b"));
    QCOMPARE(set->comparisons()[1].candidate.name, std::string("c"));
    QCOMPARE(set->comparisons()[0].sharedLines, std::int64_t(8));
    QCOMPARE(set->comparisons()[1].sharedLines, std::int64_t(6));
    QCOMPARE(set->verdict().baseline(), std::string("a"));
    QVERIFY(set->verdict().verdict("c", "exact_match"));
    QVERIFY(set->verdict().verdict("b", "latency"));
}

void TestCompareSet::scoresDecideWithoutVerdicts()
{
    auto set = load({m_a, m_b, m_c});
    QVERIFY(set);
    set->setFocusEvaluator("rouge");
    QCOMPARE(set->focusEvaluator(), std::string("rouge"));
    using F = CompareSet::RowFlag;
    QCOMPARE(set->rows(F::Regression), (std::vector<std::uint32_t>{2, 7}));
    QCOMPARE(set->rows(F::Improvement), (std::vector<std::uint32_t>{6}));
    QVERIFY(std::isnan(set->score(0, 2)));
    QCOMPARE(set->score(6, 1), 0.7);
    // An unknown evaluator means failures only.
    set->setFocusEvaluator("nope");
    QCOMPARE(set->focusEvaluator(), std::string());
    QCOMPARE(set->rows(F::Regression), (std::vector<std::uint32_t>{2}));
    QCOMPARE(set->rows(F::Improvement), (std::vector<std::uint32_t>{}));
    QCOMPARE(set->rows(F::Differs), (std::vector<std::uint32_t>{1, 2, 4}));
}

void TestCompareSet::otherBaseline()
{
    auto set = load({m_a, m_b, m_c});
    QVERIFY(set);
    auto rebased = set->withBaseline(1);
    QVERIFY(rebased);
    set->setFocusEvaluator("rouge"); // the rebased set keeps its own focus
    QCOMPARE(rebased->run(0).summary.name, std::string("b"));
    QCOMPARE(rebased->run(1).summary.name, std::string("a"));
    QCOMPARE(rebased->run(2).summary.name, std::string("c"));
    QCOMPARE(rebased->verdict().baseline(), std::string("b"));
    using F = CompareSet::RowFlag;
    // b failed line 2 and failed exact_match on 5: a and c improve there; a fails 3 where b
    // passes. Line 8 (b only) has nothing to compare.
    QCOMPARE(rebased->rows(F::Improvement), (std::vector<std::uint32_t>{2, 5}));
    QCOMPARE(rebased->rows(F::Regression), (std::vector<std::uint32_t>{3}));
    QCOMPARE(rebased->rows(F::Differs), (std::vector<std::uint32_t>{1, 2, 4}));
    QVERIFY(!set->withBaseline(3));
    // A copy outlives its source.
    std::optional<CompareSet> copy;
    {
        CompareSet source = *std::move(rebased);
        copy = source;
    }
    QCOMPARE(copy->rows(F::Regression), (std::vector<std::uint32_t>{3}));
    QCOMPARE(copy->cellFlags(3, 1), std::uint8_t(F::Regression));
}

void TestCompareSet::refusals()
{
    auto one = load({m_a});
    QVERIFY(!one);
    QCOMPARE(one.error().code, ErrorCode::InvalidArgument);
    auto twice = load({m_a, m_b, m_a});
    QVERIFY(!twice);
    QVERIFY(twice.error().message.find("twice") != std::string::npos);
    std::vector<RunId> many(21, m_a);
    auto tooMany = load(many);
    QVERIFY(!tooMany);
    QVERIFY(tooMany.error().message.find("2 to 20 runs") != std::string::npos);
    auto unknown = load({m_a, RunId{999}});
    QVERIFY(!unknown);
}

QTEST_GUILESS_MAIN(TestCompareSet)
#include "tst_compareset.moc"
