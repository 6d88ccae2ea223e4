// Cohen's and Fleiss' kappa against exact rationals from agreement_reference.py (fractions, from
// the textbook definitions): Wikipedia's Fleiss example (10 items, 14 raters, 5 categories,
// kappa = 4211/20059 ~ 0.210), Wikipedia's 2x2 Cohen example (20/5/10/15, kappa = 2/5), a 3x3
// table, a worse-than-chance table, and the undefined and invalid cases.
#include <core/eval/agreement.h>

#include <QTest>

#include <cmath>

using namespace fb;

namespace {

using Table = std::vector<std::vector<std::int64_t>>;

bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol; }

/// The two raters' label lists behind a contingency table: table[i][j] items labelled i by A
/// and j by B, written as labels first + i.
std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> expand(const Table &table,
                                                                       std::int64_t first)
{
    std::vector<std::int64_t> a;
    std::vector<std::int64_t> b;
    for (std::size_t i = 0; i < table.size(); ++i) {
        for (std::size_t j = 0; j < table[i].size(); ++j) {
            for (std::int64_t n = 0; n < table[i][j]; ++n) {
                a.push_back(first + std::int64_t(i));
                b.push_back(first + std::int64_t(j));
            }
        }
    }
    return {a, b};
}

std::vector<std::string> names(const std::vector<std::int64_t> &labels)
{
    static const char *const words[] = {"pass", "fail", "unsure"};
    std::vector<std::string> out;
    for (auto l : labels) {
        out.push_back(words[l]);
    }
    return out;
}

} // namespace

Q_DECLARE_METATYPE(Table)

class TestAgreement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cohen_data();
    void cohen();
    void cohenOneRaterConstant();
    void cohenUndefined();
    void cohenRefuses();
    void fleissWikipedia();
    void fleissFromLabels();
    void fleissUndefined();
    void fleissRefuses_data();
    void fleissRefuses();
};

void TestAgreement::cohen_data()
{
    QTest::addColumn<Table>("table");
    QTest::addColumn<double>("observed");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("kappa");
    // Wikipedia "Cohen's kappa": A said yes to 25 of 50 items, B to 30.
    // p_o = (20 + 15) / 50 = 0.7; p_e = 25/50 * 30/50 + 25/50 * 20/50 = 0.3 + 0.2 = 0.5;
    // kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4. In integers: (50 * 35 - 1250) / (2500 - 1250).
    QTest::newRow("wikipedia-2x2") << Table{{20, 5}, {10, 15}} << 0.7 << 0.5 << 0.4;
    // N = 35; p_o = 23/35; rows 13, 15, 7; columns 13, 12, 10;
    // p_e = (13*13 + 15*12 + 7*10) / 35^2 = 419/1225; kappa = 193/403.
    QTest::newRow("three-categories") << Table{{10, 2, 1}, {3, 8, 4}, {0, 2, 5}} << 23.0 / 35.0
                                      << 419.0 / 1225.0 << 193.0 / 403.0;
    // Worse than chance: p_o = 2/10, p_e = 1/2, kappa = (0.2 - 0.5) / 0.5 = -3/5.
    QTest::newRow("worse-than-chance") << Table{{1, 4}, {4, 1}} << 0.2 << 0.5 << -0.6;
}

void TestAgreement::cohen()
{
    QFETCH(Table, table);
    QFETCH(double, observed);
    QFETCH(double, expected);
    QFETCH(double, kappa);
    const auto [a, b] = expand(table, 0);
    const auto fromTable = Agreement::cohensKappaFromTable(table);
    const auto fromInts = Agreement::cohensKappa(a, b);
    const auto fromText = Agreement::cohensKappa(names(a), names(b));
    for (const auto *r : {&fromTable, &fromInts, &fromText}) {
        QVERIFY2(*r, *r ? "" : r->error().message.c_str());
        QVERIFY((*r)->kappa.has_value());
        // Each is a single division of exact integers: the double nearest the fraction.
        QVERIFY2(*(*r)->kappa == kappa, qPrintable(QString::number(*(*r)->kappa, 'g', 17)));
        QCOMPARE((*r)->observedAgreement, observed);
        QCOMPARE((*r)->expectedAgreement, expected);
        QCOMPARE((*r)->items, a.size());
        QCOMPARE((*r)->ratersPerItem, std::size_t(2));
        QCOMPARE((*r)->categories, table.size());
    }
    // Kappa is symmetric in the raters.
    QCOMPARE(*Agreement::cohensKappa(b, a)->kappa, kappa);
}

void TestAgreement::cohenOneRaterConstant()
{
    // A always says 1; B says 1 on 3 of 5 items. p_o = 3/5, p_e = 1 * 3/5 = 3/5: kappa 0, not
    // undefined — A's constancy alone is no agreement beyond chance.
    const auto r = Agreement::cohensKappa(std::vector<std::int64_t>{1, 1, 1, 1, 1},
                                          std::vector<std::int64_t>{1, 2, 1, 2, 1});
    QVERIFY(r && r->kappa);
    QCOMPARE(*r->kappa, 0.0);
    QCOMPARE(r->observedAgreement, 0.6);
    QCOMPARE(r->expectedAgreement, 0.6);
}

void TestAgreement::cohenUndefined()
{
    // Both raters pass everything: p_o = p_e = 1, kappa = 0 / 0, reported as undefined.
    const auto r = Agreement::cohensKappa(std::vector<std::string>{"pass", "pass", "pass"},
                                          std::vector<std::string>{"pass", "pass", "pass"});
    QVERIFY(r);
    QVERIFY(!r->kappa.has_value());
    QCOMPARE(r->observedAgreement, 1.0);
    QCOMPARE(r->expectedAgreement, 1.0);
    QCOMPARE(r->items, std::size_t(3));
    QCOMPARE(r->categories, std::size_t(1));
}

void TestAgreement::cohenRefuses()
{
    const auto lengths
        = Agreement::cohensKappa(std::vector<std::int64_t>{1, 2}, std::vector<std::int64_t>{1});
    QVERIFY(!lengths);
    QCOMPARE(lengths.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(lengths.error().message,
             std::string("Cohen's kappa needs the same items from both raters (got 2 and 1 "
                         "labels)"));
    const auto empty
        = Agreement::cohensKappa(std::vector<std::string>{}, std::vector<std::string>{});
    QVERIFY(!empty);
    QCOMPARE(empty.error().message, std::string("Cohen's kappa needs at least one item"));
    QVERIFY(!Agreement::cohensKappaFromTable({{1, 2}, {3}}));
    QVERIFY(!Agreement::cohensKappaFromTable({{1, -1}, {0, 3}}));
    QVERIFY(!Agreement::cohensKappaFromTable({{0, 0}, {0, 0}}));
    QVERIFY(!Agreement::cohensKappaFromTable({}));
}

void TestAgreement::fleissWikipedia()
{
    // Wikipedia "Fleiss' kappa", worked example: 14 raters put each of 10 items into one of 5
    // categories. Column totals 20, 28, 39, 21, 32 of 140 ratings, so
    // P-bar_e = (20^2 + 28^2 + 39^2 + 21^2 + 32^2) / 140^2 = 4170 / 19600 = 417/1960 ~ 0.213;
    // sum_ij n_ij^2 = 828, so P-bar = (828 - 140) / (140 * 13) = 688/1820 = 172/455 ~ 0.378
    // (P_1 = (14^2 - 14) / 182 = 1, P_2 = (4 + 36 + 16 + 4 - 14) / 182 = 0.253, ...);
    // kappa = (172/455 - 417/1960) / (1 - 417/1960) = 4211/20059 ~ 0.20993 (Wikipedia: 0.210).
    // agreement_reference.py computes the three with fractions.Fraction.
    const std::vector<std::vector<std::int64_t>> counts{
        {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
        {7, 7, 0, 0, 0},  {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7}};
    const auto r = Agreement::fleissKappaFromCounts(counts);
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QVERIFY(r->kappa);
    QVERIFY2(close(*r->kappa, 4211.0 / 20059.0, 1e-15),
             qPrintable(QString::number(*r->kappa, 'g', 17)));
    QCOMPARE(r->observedAgreement, 172.0 / 455.0);
    QCOMPARE(r->expectedAgreement, 417.0 / 1960.0);
    QCOMPARE(r->items, std::size_t(10));
    QCOMPARE(r->ratersPerItem, std::size_t(14));
    QCOMPARE(r->categories, std::size_t(5));
    // The published three decimals.
    QCOMPARE(std::round(*r->kappa * 1000.0) / 1000.0, 0.210);
}

void TestAgreement::fleissFromLabels()
{
    // Three ratings per item in any order (the raters need not be the same people):
    //   item 0 a a b -> P = (4 + 1 - 3) / 6 = 1/3;  item 1 b b b -> 1;
    //   item 2 a c c -> 1/3;                        item 3 c a b -> 0.
    // P-bar = (1/3 + 1 + 1/3 + 0) / 4 = 5/12. Totals a 4, b 5, c 3 of 12:
    // P-bar_e = (16 + 25 + 9) / 144 = 25/72. kappa = (5/12 - 25/72) / (47/72) = 5/47.
    const auto r = Agreement::fleissKappa(
        {{"a", "a", "b"}, {"b", "b", "b"}, {"a", "c", "c"}, {"c", "a", "b"}});
    QVERIFY2(r, r ? "" : r.error().message.c_str());
    QVERIFY(r->kappa);
    QVERIFY2(close(*r->kappa, 5.0 / 47.0, 1e-15), qPrintable(QString::number(*r->kappa, 'g', 17)));
    QCOMPARE(r->observedAgreement, 5.0 / 12.0);
    QCOMPARE(r->expectedAgreement, 25.0 / 72.0);
    QCOMPARE(r->ratersPerItem, std::size_t(3));
    QCOMPARE(r->categories, std::size_t(3));
}

void TestAgreement::fleissUndefined()
{
    const auto r = Agreement::fleissKappa({{"4", "4"}, {"4", "4"}});
    QVERIFY(r);
    QVERIFY(!r->kappa.has_value());
    QCOMPARE(r->observedAgreement, 1.0);
    QCOMPARE(r->expectedAgreement, 1.0);
}

void TestAgreement::fleissRefuses_data()
{
    QTest::addColumn<Table>("counts");
    QTest::addColumn<QString>("message");
    QTest::newRow("varying-ratings")
        << Table{{1, 2}, {2, 1}, {2, 2}}
        << "Fleiss' kappa needs the same number of ratings on every item: item 2 has 4, item 0 "
           "has 3";
    QTest::newRow("one-rating") << Table{{1, 0}, {0, 1}}
                                << "Fleiss' kappa needs at least two ratings per item (got 1)";
    QTest::newRow("no-items") << Table{} << "Fleiss' kappa needs at least one item";
    QTest::newRow("ragged") << Table{{1, 1}, {2}}
                            << "Fleiss' kappa: item 1 has 1 categories, expected 2";
    QTest::newRow("negative") << Table{{3, -1}, {1, 1}}
                              << "Fleiss' kappa: item 0 has a negative count, or there are more "
                                 "than 3,000,000,000 ratings";
}

void TestAgreement::fleissRefuses()
{
    QFETCH(Table, counts);
    QFETCH(QString, message);
    const auto r = Agreement::fleissKappaFromCounts(counts);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(QString::fromStdString(r.error().message), message);
}

QTEST_GUILESS_MAIN(TestAgreement)
#include "tst_agreement.moc"
