// Holm–Bonferroni adjusted p-values against exact rationals from agreement_reference.py (its
// holm(), written from Holm (1979) as statsmodels' multipletests(method="holm") adjusts), each
// also worked by hand below. Every expected value is the double nearest the exact fraction, and
// the products the code forms ((m - j) p) round to exactly those doubles, so rows compare with ==.
#include <core/eval/multiplecomparisons.h>

#include <QTest>

#include <cmath>
#include <limits>

using namespace fb;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

class TestMultipleComparisons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void holm_data();
    void holm();
    void holmSkipsAbsentValues();
    void holmRefusesOutOfRange_data();
    void holmRefusesOutOfRange();
};

void TestMultipleComparisons::holm_data()
{
    QTest::addColumn<QList<double>>("p");
    QTest::addColumn<QList<double>>("expected");
    // m = 4; ascending: 0.005 (#3), 0.01 (#0), 0.03 (#2), 0.04 (#1).
    //   j=0: 4 x 0.005 = 0.02   -> 0.02
    //   j=1: 3 x 0.01  = 0.03   -> max(0.02, 0.03) = 0.03
    //   j=2: 2 x 0.03  = 0.06   -> 0.06
    //   j=3: 1 x 0.04  = 0.04   -> max(0.06, 0.04) = 0.06 (the running maximum)
    // In input order: 0.03, 0.06, 0.06, 0.02.
    QTest::newRow("worked-example")
        << QList<double>{0.01, 0.04, 0.03, 0.005} << QList<double>{0.03, 0.06, 0.06, 0.02};
    // Ties: ascending 0.01 (#1), 0.02 (#0), 0.02 (#2), 0.04 (#3):
    //   4 x 0.01 = 0.04; 3 x 0.02 = 0.06; 2 x 0.02 = 0.04 -> 0.06; 1 x 0.04 -> 0.06.
    // Both 0.02s get 0.06, whichever of them sorts first.
    QTest::newRow("ties") << QList<double>{0.02, 0.01, 0.02, 0.04}
                          << QList<double>{0.06, 0.04, 0.06, 0.06};
    // Capped at 1: ascending 0.01 (#2), 0.6 (#0), 0.7 (#1): 3 x 0.01 = 0.03;
    //   2 x 0.6 = 1.2 -> min(1, 1.2) = 1; 1 x 0.7 = 0.7 -> max(1, 0.7) = 1.
    QTest::newRow("capped-at-one")
        << QList<double>{0.6, 0.7, 0.01} << QList<double>{1.0, 1.0, 0.03};
    // m = 1: nothing to correct.
    QTest::newRow("single") << QList<double>{0.037} << QList<double>{0.037};
    QTest::newRow("single-one") << QList<double>{1.0} << QList<double>{1.0};
    // Five tests of tst_compareverdict's holmFlipsVerdict: ascending 0.001 (#4), 0.004 (#3),
    // 0.03 (#0), 0.2 (#2), 0.41 (#1): 5 x 0.001 = 0.005; 4 x 0.004 = 0.016; 3 x 0.03 = 0.09;
    // 2 x 0.2 = 0.4; 1 x 0.41 = 0.41.
    QTest::newRow("compare-verdict-set") << QList<double>{0.03, 0.41, 0.2, 0.004, 0.001}
                                         << QList<double>{0.09, 0.41, 0.4, 0.016, 0.005};
    QTest::newRow("zeros") << QList<double>{0.0, 0.0, 0.5} << QList<double>{0.0, 0.0, 0.5};
    QTest::newRow("empty") << QList<double>{} << QList<double>{};
}

void TestMultipleComparisons::holm()
{
    QFETCH(QList<double>, p);
    QFETCH(QList<double>, expected);
    const auto adjusted = MultipleComparisons::holm(std::vector<double>(p.begin(), p.end()));
    QVERIFY2(adjusted, adjusted ? "" : adjusted.error().message.c_str());
    QCOMPARE(int(adjusted->size()), int(expected.size()));
    for (int i = 0; i < expected.size(); ++i) {
        QVERIFY2((*adjusted)[std::size_t(i)] == expected[i],
                 qPrintable(QStringLiteral("#%1: %2, expected %3")
                                .arg(i)
                                .arg((*adjusted)[std::size_t(i)], 0, 'g', 17)
                                .arg(expected[i], 0, 'g', 17)));
    }
}

void TestMultipleComparisons::holmSkipsAbsentValues()
{
    // NaN is "no test": passed through, and m counts only the two real p-values:
    // ascending 0.02 (#1), 0.04 (#3): 2 x 0.02 = 0.04; 1 x 0.04 = 0.04.
    const auto adjusted = MultipleComparisons::holm({kNaN, 0.02, kNaN, 0.04});
    QVERIFY(adjusted);
    QCOMPARE(adjusted->size(), std::size_t(4));
    QVERIFY(std::isnan((*adjusted)[0]));
    QCOMPARE((*adjusted)[1], 0.04);
    QVERIFY(std::isnan((*adjusted)[2]));
    QCOMPARE((*adjusted)[3], 0.04);
    const auto none = MultipleComparisons::holm({kNaN});
    QVERIFY(none && none->size() == 1 && std::isnan(none->front()));
}

void TestMultipleComparisons::holmRefusesOutOfRange_data()
{
    QTest::addColumn<double>("bad");
    QTest::addColumn<QString>("message");
    QTest::newRow("negative") << -0.01 << "p-value 1 is -0.01, not in [0, 1]";
    QTest::newRow("above-one") << 1.5 << "p-value 1 is 1.5, not in [0, 1]";
    QTest::newRow("infinity") << std::numeric_limits<double>::infinity()
                              << "p-value 1 is inf, not in [0, 1]";
}

void TestMultipleComparisons::holmRefusesOutOfRange()
{
    QFETCH(double, bad);
    QFETCH(QString, message);
    const auto adjusted = MultipleComparisons::holm({0.5, bad});
    QVERIFY(!adjusted);
    QCOMPARE(adjusted.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(QString::fromStdString(adjusted.error().message), message);
}

QTEST_GUILESS_MAIN(TestMultipleComparisons)
#include "tst_multiplecomparisons.moc"
