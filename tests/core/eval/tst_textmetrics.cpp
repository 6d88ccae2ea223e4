// BLEU and ROUGE-L against published reference values: sacrebleu's own test suite and README,
// and the rouge-score README example; BLEU's closest-reference-length rule against hand-computed
// brevity penalties.
#include <core/eval/bleu.h>
#include <core/eval/rougel.h>

#include <QTest>

#include <cmath>

using namespace fb;

Q_DECLARE_METATYPE(std::string)

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

// sacrebleu issue #98, used by its test_sentence_bleu.py.
const char *kRoRef = "producţia de zahăr brut se exprimă în zahăr alb;";
const char *kRoSys = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

} // namespace

class TestTextMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tokenize13a_data();
    void tokenize13a();
    void corpusBleu_data();
    void corpusBleu();
    void sentenceBleu_data();
    void sentenceBleu();
    void bleuStatistics();
    void bleuFromStatistics();
    void bleuClosestReferenceLength_data();
    void bleuClosestReferenceLength();
    void rougeL_data();
    void rougeL();
};

void TestTextMetrics::tokenize13a_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("punctuation") << "Hello, world!"
                                 << "Hello , world !";
    QTest::newRow("apostrophe-kept") << "It wasn't surprising."
                                     << "It wasn't surprising .";
    QTest::newRow("numbers-kept") << "pi is 3.14 and 1,000 apples"
                                  << "pi is 3.14 and 1,000 apples";
    QTest::newRow("digit-dash") << "scores 5-3 and e-mail"
                                << "scores 5 - 3 and e-mail";
    QTest::newRow("abbreviation") << "U.S.A."
                                  << "U . S . A .";
    QTest::newRow("currency") << "$5.00 (net)"
                              << "$ 5.00 ( net )";
    QTest::newRow("html-entities") << "a &amp; b &lt;c&gt; &quot;d&quot;"
                                   << "a & b < c > \" d \"";
    QTest::newRow("skipped-and-newline") << "<skipped>line one-\ntwo\nthree"
                                         << "line onetwo three";
    QTest::newRow("unicode-letters")
        << QString::fromUtf8(kRoRef)
        << QString::fromUtf8("producţia de zahăr brut se exprimă în zahăr alb ;");
    QTest::newRow("unicode-before-period")
        << QString::fromUtf8("déjà vu.") << QString::fromUtf8("déjà vu .");
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("only-spaces") << "   \t "
                                 << "";
}

void TestTextMetrics::tokenize13a()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(q(Bleu::tokenize13a(input.toStdString())), expected);
}

void TestTextMetrics::corpusBleu_data()
{
    QTest::addColumn<QStringList>("hyps");
    QTest::addColumn<QStringList>("refs1");
    QTest::addColumn<QStringList>("refs2");
    QTest::addColumn<bool>("tokenizeNone");
    QTest::addColumn<double>("expected");
    const QStringList refs1{"The dog bit the man.", "It was not unexpected.",
                            "The man bit him first."};
    const QStringList refs2{"The dog had bit the man.", "No one was surprised.",
                            "The man had bitten the dog."};
    const QStringList hyps{"The dog bit the man.", "It wasn't surprising.",
                           "The man had just bitten him."};
    // Values from sacrebleu's test_bleu.py (the README example).
    QTest::newRow("readme-13a") << hyps << refs1 << refs2 << false << 48.530827;
    QTest::newRow("readme-tok-none") << hyps << refs1 << refs2 << true << 49.1919566;
    QTest::newRow("empty-hypotheses") << QStringList{"", "", ""} << refs1 << refs2 << false << 0.0;
    QTest::newRow("identical") << refs1 << refs1 << refs1 << false << 100.0;
}

void TestTextMetrics::corpusBleu()
{
    QFETCH(QStringList, hyps);
    QFETCH(QStringList, refs1);
    QFETCH(QStringList, refs2);
    QFETCH(bool, tokenizeNone);
    QFETCH(double, expected);
    std::vector<std::string> h;
    std::vector<std::vector<std::string>> r;
    for (int i = 0; i < hyps.size(); ++i) {
        h.push_back(hyps[i].toStdString());
        r.push_back({refs1[i].toStdString(), refs2[i].toStdString()});
    }
    Bleu::Options options;
    options.tokenizer = tokenizeNone ? Bleu::Tokenizer::None : Bleu::Tokenizer::Mteval13a;
    const BleuScore score = Bleu::corpus(h, r, options);
    QVERIFY2(std::fabs(score.score - expected) < 1e-6,
             qPrintable(QString::number(score.score, 'g', 12)));
}

void TestTextMetrics::sentenceBleu_data()
{
    QTest::addColumn<QString>("hyp");
    QTest::addColumn<QString>("ref");
    QTest::addColumn<int>("smoothing");
    QTest::addColumn<double>("smoothValue");
    QTest::addColumn<bool>("tokenizeNone");
    QTest::addColumn<double>("expected");
    QTest::addColumn<double>("tolerance");
    const QString sys = QString::fromUtf8(kRoSys);
    const QString ref = QString::fromUtf8(kRoRef);
    const int none = int(Bleu::Smoothing::None);
    const int exp = int(Bleu::Smoothing::Exp);
    const int floor = int(Bleu::Smoothing::Floor);
    const int addK = int(Bleu::Smoothing::AddK);
    // sacrebleu test_sentence_bleu.py (tolerance 1e-3 there).
    QTest::newRow("ro-exp") << sys << ref << exp << -1.0 << false << 8.493 << 1e-3;
    QTest::newRow("ro-none") << sys << ref << none << -1.0 << false << 0.0 << 1e-3;
    QTest::newRow("ro-floor-default") << sys << ref << floor << -1.0 << false << 4.51688 << 1e-3;
    QTest::newRow("ro-floor-0.5") << sys << ref << floor << 0.5 << false << 10.10 << 1e-2;
    QTest::newRow("ro-add-k-default") << sys << ref << addK << -1.0 << false << 14.882 << 1e-3;
    QTest::newRow("ro-add-k-2") << sys << ref << addK << 2.0 << false << 21.389 << 1e-3;
    QTest::newRow("ro-exp-tok-none") << sys << ref << exp << -1.0 << true << 7.347 << 1e-3;
    QTest::newRow("zero-overlap") << "this is a cat"
                                  << "okay thanks" << exp << -1.0 << false << 0.0 << 1e-12;
    // sacrebleu test_bleu.py effective-order cases (floor 0.01, tokenize none).
    QTest::newRow("eff-order-short")
        << "test"
        << "a test" << floor << 0.01 << true << 36.78794411714425 << 1e-8;
    QTest::newRow("eff-order-equal") << "a test"
                                     << "a test" << floor << 0.01 << true << 100.0 << 1e-8;
    QTest::newRow("eff-order-little")
        << "a little test"
        << "a test" << floor << 0.01 << true << 3.218297948685433 << 1e-8;
    QTest::newRow("empty-hypothesis") << ""
                                      << "a test" << exp << -1.0 << false << 0.0 << 1e-12;
    QTest::newRow("empty-both") << ""
                                << "" << exp << -1.0 << false << 0.0 << 1e-12;
}

void TestTextMetrics::sentenceBleu()
{
    QFETCH(QString, hyp);
    QFETCH(QString, ref);
    QFETCH(int, smoothing);
    QFETCH(double, smoothValue);
    QFETCH(bool, tokenizeNone);
    QFETCH(double, expected);
    QFETCH(double, tolerance);
    Bleu::Options options;
    options.smoothing = Bleu::Smoothing(smoothing);
    options.smoothValue = smoothValue;
    options.tokenizer = tokenizeNone ? Bleu::Tokenizer::None : Bleu::Tokenizer::Mteval13a;
    const BleuScore score = Bleu::sentence(hyp.toStdString(), {ref.toStdString()}, options);
    QVERIFY2(std::fabs(score.score - expected) <= tolerance,
             qPrintable(QString::number(score.score, 'g', 12)));
}

void TestTextMetrics::bleuStatistics()
{
    // sacrebleu test_bleu.py test_case_statistics.
    Bleu::Options options;
    options.tokenizer = Bleu::Tokenizer::None;
    const BleuScore s = Bleu::sentence("am I am a character sequence",
                                       {"I am a symbol string sequence a a"}, options);
    QCOMPARE(s.counts, (std::array<std::int64_t, 4>{4, 2, 1, 0}));
    QCOMPARE(s.totals, (std::array<std::int64_t, 4>{6, 5, 4, 3}));
    QCOMPARE(s.hypLength, std::int64_t(6));
    QCOMPARE(s.refLength, std::int64_t(8));
}

void TestTextMetrics::bleuFromStatistics()
{
    // sacrebleu test_bleu.py test_case_scoring.
    Bleu::Options options;
    options.smoothing = Bleu::Smoothing::None;
    const BleuScore s = Bleu::fromStatistics({9, 7, 5, 3}, {10, 8, 6, 4}, 11, 11, options, false);
    QVERIFY(std::fabs(s.score / 100.0 - 0.8375922397) < 1e-8);
    QCOMPARE(s.brevityPenalty, 1.0);
}

void TestTextMetrics::bleuClosestReferenceLength_data()
{
    QTest::addColumn<QStringList>("refs");
    QTest::addColumn<qlonglong>("refLength");
    QTest::addColumn<double>("expected");
    // The hypothesis "the cat sat on the mat" (6 tokens) occurs whole in one reference of
    // every row, so all four clipped n-gram precisions are 100 % and BLEU = 100 * BP, with
    // BP = exp(1 - r / 6) for r > 6 and 1 otherwise, r the reference length closest to 6 (ties
    // to the shorter, as sacrebleu's _get_closest_ref_len and NLTK's closest_ref_length do).
    // Lengths 9, 12, 7, 4: r = 7, BLEU = 100 exp(-1/6) = 84.64817248906141. The first (9) would
    // give 60.65, the longest (12) 36.79, the shortest or the last (4) 100.
    QTest::newRow("closest-of-four")
        << QStringList{"the cat sat on the mat by the door",
                       "yesterday the cat sat on the mat by the old red door",
                       "the cat sat on the mat today", "the cat sat down"}
        << 7ll << 84.64817248906141;
    // Lengths 7 and 5 are both 1 away: the shorter wins, BP = 1. The first or the longer (7)
    // would give 84.648.
    QTest::newRow("tie-longer-first")
        << QStringList{"the cat sat on the mat today", "the cat sat on mat"} << 5ll << 100.0;
    // The same tie the other way round (the last would be 7).
    QTest::newRow("tie-shorter-first")
        << QStringList{"the cat sat on mat", "the cat sat on the mat today"} << 5ll << 100.0;
}

void TestTextMetrics::bleuClosestReferenceLength()
{
    QFETCH(QStringList, refs);
    QFETCH(qlonglong, refLength);
    QFETCH(double, expected);
    const std::string hyp = "the cat sat on the mat";
    std::vector<std::string> r;
    for (const QString &ref : refs) {
        r.push_back(ref.toStdString());
    }
    const BleuScore s = Bleu::sentence(hyp, r);
    QCOMPARE(s.hypLength, std::int64_t(6));
    QCOMPARE(s.refLength, std::int64_t(refLength));
    QCOMPARE(s.counts, (std::array<std::int64_t, 4>{6, 5, 4, 3}));
    QVERIFY2(std::fabs(s.score - expected) < 1e-9, qPrintable(QString::number(s.score, 'g', 17)));
    // Corpus BLEU takes each sentence's closest length the same way.
    const BleuScore c = Bleu::corpus({hyp}, {r});
    QCOMPARE(c.refLength, std::int64_t(refLength));
    QVERIFY2(std::fabs(c.score - expected) < 1e-9, qPrintable(QString::number(c.score, 'g', 17)));
}

void TestTextMetrics::rougeL_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("prediction");
    QTest::addColumn<double>("precision");
    QTest::addColumn<double>("recall");
    QTest::addColumn<double>("fmeasure");
    // rouge-score README: score('The quick brown fox jumps over the lazy dog',
    //                           'The quick brown dog jumps on the log.')
    QTest::newRow("readme") << "The quick brown fox jumps over the lazy dog"
                            << "The quick brown dog jumps on the log." << 0.625
                            << 0.5555555555555556 << 0.5882352941176471;
    QTest::newRow("identical") << "a b c"
                               << "a b c" << 1.0 << 1.0 << 1.0;
    QTest::newRow("case-and-punct") << "Hello, World!"
                                    << "hello world" << 1.0 << 1.0 << 1.0;
    QTest::newRow("no-overlap") << "alpha beta"
                                << "gamma" << 0.0 << 0.0 << 0.0;
    QTest::newRow("empty-prediction") << "some words"
                                      << "" << 0.0 << 0.0 << 0.0;
    QTest::newRow("empty-target") << ""
                                  << "some words" << 0.0 << 0.0 << 0.0;
    QTest::newRow("punct-only") << "!!!"
                                << "..." << 0.0 << 0.0 << 0.0;
    // Non-ASCII letters are separators for rouge-score's tokenizer: "café" → "caf".
    QTest::newRow("unicode-dropped")
        << QString::fromUtf8("café au lait") << "cafe au lait" << 2.0 / 3 << 2.0 / 3 << 2.0 / 3;
    // LCS is order-sensitive: 2 of 3 in order.
    QTest::newRow("reordered") << "a b c"
                               << "c a b" << 2.0 / 3 << 2.0 / 3 << 2.0 / 3;
    QTest::newRow("numbers") << "in 2023 sales were 42"
                             << "sales 42" << 1.0 << 0.4 << 2 * 0.4 / 1.4;
}

void TestTextMetrics::rougeL()
{
    QFETCH(QString, target);
    QFETCH(QString, prediction);
    QFETCH(double, precision);
    QFETCH(double, recall);
    QFETCH(double, fmeasure);
    const RougeScore s = RougeL::score(target.toStdString(), prediction.toStdString());
    QVERIFY2(std::fabs(s.precision - precision) < 1e-12, qPrintable(QString::number(s.precision)));
    QVERIFY2(std::fabs(s.recall - recall) < 1e-12, qPrintable(QString::number(s.recall)));
    QVERIFY2(std::fabs(s.fmeasure - fmeasure) < 1e-12, qPrintable(QString::number(s.fmeasure)));
}

QTEST_GUILESS_MAIN(TestTextMetrics)
#include "tst_textmetrics.moc"
