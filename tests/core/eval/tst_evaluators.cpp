// Every built-in evaluator through the registry: one table of (spec, row) → (score, passed),
// plus the registry's errors and a concurrent-use check.
#include <core/eval/evaluatorregistry.h>
#include <core/eval/numericevaluator.h>

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <thread>

using namespace fb;

namespace {

Value json(const QString &text) { return Value::parse(text.toStdString(), nullptr, false); }

} // namespace

class TestEvaluators : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void evaluate_data();
    void evaluate();
    void rowErrors_data();
    void rowErrors();
    void badSpecs_data();
    void badSpecs();
    void firstNumber_data();
    void firstNumber();
    void registryNames();
    void concurrentUse();
    void regexHugeAnswers_data();
    void regexHugeAnswers();
    void regexUnsupportedPatterns_data();
    void regexUnsupportedPatterns();
    void regexMemoryLimit();
};

void TestEvaluators::evaluate_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<double>("latencyMs"); // < 0: not measured
    QTest::addColumn<double>("costUsd");
    QTest::addColumn<double>("score");
    QTest::addColumn<bool>("passed");

    const QString exact = R"({"type":"exact_match"})";
    QTest::newRow("exact-equal") << exact << "Paris"
                                 << "Paris" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("exact-case-differs") << exact << "paris"
                                        << "Paris" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("exact-both-empty") << exact << ""
                                      << "" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("exact-empty-vs-text") << exact << ""
                                         << "x" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("exact-ci") << R"({"type":"exact_match","case_insensitive":true})"
                              << "PARIS"
                              << "paris" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("exact-ci-unicode")
        << R"({"type":"exact_match","case_insensitive":true})"
        << QString::fromUtf8("ÉCOLE ΣΟΦΙΑ МИР") << QString::fromUtf8("école σοφια мир") << -1.0
        << -1.0 << 1.0 << true;
    QTest::newRow("exact-trim") << R"({"type":"exact_match","trim":true})"
                                << QString::fromUtf8("\u00a0 Paris\n") << "Paris" << -1.0 << -1.0
                                << 1.0 << true;
    QTest::newRow("exact-no-trim") << exact << " Paris"
                                   << "Paris" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("exact-ws") << R"({"type":"exact_match","normalize_whitespace":true})"
                              << "  New \t York\n"
                              << "New York" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("exact-trim-keeps-inner") << R"({"type":"exact_match","trim":true})"
                                            << "New  York"
                                            << "New York" << -1.0 << -1.0 << 0.0 << false;

    QTest::newRow("contains-ref") << R"({"type":"contains"})"
                                  << "The answer is 42."
                                  << "42" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("contains-any") << R"({"type":"contains","values":["cat","dog","owl"]})"
                                  << "a dog barks"
                                  << "" << -1.0 << -1.0 << 1.0 / 3 << true;
    QTest::newRow("contains-all-partial")
        << R"({"type":"contains","values":["cat","dog"],"mode":"all"})"
        << "a dog barks"
        << "" << -1.0 << -1.0 << 0.5 << false;
    QTest::newRow("contains-all-ci")
        << R"({"type":"contains","values":["CAT","Dog"],"mode":"all","case_insensitive":true})"
        << "cat and DOG"
        << "" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("contains-none") << R"({"type":"contains","values":"zebra"})"
                                   << "a dog"
                                   << "" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("contains-unicode") << R"({"type":"contains"})" << QString::fromUtf8("東京は首都")
                                      << QString::fromUtf8("首都") << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("contains-empty-needle") << R"({"type":"contains"})"
                                           << "anything"
                                           << "" << -1.0 << -1.0 << 1.0 << true;
    // The reference as the value, with case_insensitive: both the output and the reference are
    // folded ("PaRiS" vs "pArIs" needs both sides; Latin-1 capitals too). Without the option
    // (default false) the same texts do not match.
    QTest::newRow("contains-ref-ci") << R"({"type":"contains","case_insensitive":true})"
                                     << "The capital is pArIs."
                                     << "PaRiS" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("contains-ref-ci-latin1")
        << R"({"type":"contains","case_insensitive":true})" << QString::fromUtf8("UNE ÉCOLE ICI")
        << QString::fromUtf8("école") << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("contains-ref-case-sensitive-by-default")
        << R"({"type":"contains"})"
        << "The capital is pArIs."
        << "PaRiS" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("contains-ref-case-sensitive-explicit")
        << R"({"type":"contains","case_insensitive":false})"
        << "The capital is PARIS."
        << "Paris" << -1.0 << -1.0 << 0.0 << false;

    QTest::newRow("regex-search") << R"({"type":"regex","pattern":"\\b\\d{4}-\\d{2}-\\d{2}\\b"})"
                                  << "due 2024-05-01."
                                  << "" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("regex-full-fails") << R"({"type":"regex","pattern":"\\d+","full_match":true})"
                                      << "abc 123"
                                      << "" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("regex-full-ok") << R"({"type":"regex","pattern":"\\d+","full_match":true})"
                                   << "123"
                                   << "" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("regex-icase") << R"({"type":"regex","pattern":"^yes","case_insensitive":true})"
                                 << "YES, indeed"
                                 << "" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("regex-from-reference") << R"({"type":"regex"})"
                                          << "color: red"
                                          << "colou?r" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("regex-empty-output") << R"({"type":"regex","pattern":"."})"
                                        << ""
                                        << "" << -1.0 << -1.0 << 0.0 << false;

    QTest::newRow("json-valid") << R"({"type":"json_valid"})"
                                << R"( {"a": [1, 2.5, null]} )"
                                << "" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("json-invalid") << R"({"type":"json_valid"})"
                                  << "{'a': 1}"
                                  << "" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("json-empty") << R"({"type":"json_valid"})"
                                << ""
                                << "" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("json-trailing-garbage") << R"({"type":"json_valid"})"
                                           << "[1] x"
                                           << "" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("json-fenced-rejected") << R"({"type":"json_valid"})"
                                          << "```json\n{}\n```"
                                          << "" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("json-fenced-stripped") << R"({"type":"json_valid","strip_code_fence":true})"
                                          << "```json\n{\"k\": \"ü\"}\n```"
                                          << "" << -1.0 << -1.0 << 1.0 << true;

    QTest::newRow("numeric-exact") << R"({"type":"numeric"})"
                                   << "The total is 1,234.5 USD"
                                   << "1234.5" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("numeric-abs-tol") << R"({"type":"numeric","abs_tol":0.01})"
                                     << "3.141"
                                     << "pi = 3.14159" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("numeric-abs-tol-fail") << R"({"type":"numeric","abs_tol":0.0001})"
                                          << "3.141"
                                          << "3.14159" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("numeric-rel-tol") << R"({"type":"numeric","rel_tol":0.05})"
                                     << "about 104"
                                     << "100" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("numeric-rel-tol-fail") << R"({"type":"numeric","rel_tol":0.05})"
                                          << "106"
                                          << "100" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("numeric-negative") << R"({"type":"numeric","expected":-2.5})"
                                      << "x = -2.5e0"
                                      << "" << -1.0 << -1.0 << 1.0 << true;
    QTest::newRow("numeric-no-number") << R"({"type":"numeric"})"
                                       << "no idea"
                                       << "7" << -1.0 << -1.0 << 0.0 << false;

    QTest::newRow("rouge-readme") << R"({"type":"rouge_l"})"
                                  << "The quick brown dog jumps on the log."
                                  << "The quick brown fox jumps over the lazy dog" << -1.0 << -1.0
                                  << 0.5882352941176471 << true;
    QTest::newRow("rouge-threshold") << R"({"type":"rouge_l","threshold":0.6})"
                                     << "The quick brown dog jumps on the log."
                                     << "The quick brown fox jumps over the lazy dog" << -1.0
                                     << -1.0 << 0.5882352941176471 << false;
    QTest::newRow("rouge-empty") << R"({"type":"rouge_l"})"
                                 << ""
                                 << "text" << -1.0 << -1.0 << 0.0 << false;
    QTest::newRow("bleu-ro")
        << R"({"type":"bleu","threshold":0.05})"
        << QString::fromUtf8(
               "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;")
        << QString::fromUtf8("producţia de zahăr brut se exprimă în zahăr alb;") << -1.0 << -1.0
        << 0.08493 << true;
    QTest::newRow("bleu-identical") << R"({"type":"bleu"})"
                                    << "The cat sat on the mat."
                                    << "The cat sat on the mat." << -1.0 << -1.0 << 1.0 << true;

    QTest::newRow("latency-under") << R"({"type":"latency","max_ms":2000})"
                                   << ""
                                   << "" << 1999.0 << -1.0 << 1.0 << true;
    QTest::newRow("latency-equal") << R"({"type":"latency","max_ms":2000})"
                                   << ""
                                   << "" << 2000.0 << -1.0 << 1.0 << true;
    QTest::newRow("latency-over") << R"({"type":"latency","max_ms":2000})"
                                  << ""
                                  << "" << 2000.5 << -1.0 << 0.0 << false;
    QTest::newRow("cost-under") << R"({"type":"cost","max_usd":0.01})"
                                << ""
                                << "" << -1.0 << 0.004 << 1.0 << true;
    QTest::newRow("cost-over") << R"({"type":"cost","max_usd":0.01})"
                               << ""
                               << "" << -1.0 << 0.02 << 0.0 << false;
}

void TestEvaluators::evaluate()
{
    QFETCH(QString, spec);
    QFETCH(QString, output);
    QFETCH(QString, reference);
    QFETCH(double, latencyMs);
    QFETCH(double, costUsd);
    QFETCH(double, score);
    QFETCH(bool, passed);
    const auto registry = EvaluatorRegistry::withBuiltins();
    const auto evaluator = registry.create(json(spec));
    QVERIFY2(evaluator.has_value(), evaluator ? "" : evaluator.error().message.c_str());
    EvalInput input{output.toStdString(), reference.toStdString(), {}, {}};
    if (latencyMs >= 0) {
        input.latencyMs = latencyMs;
    }
    if (costUsd >= 0) {
        input.costUsd = costUsd;
    }
    const auto result = (*evaluator)->evaluate(input);
    QVERIFY2(result.has_value(), result ? "" : result.error().message.c_str());
    QVERIFY2(std::fabs(result->score - score) < 1e-5,
             qPrintable(QString::number(result->score, 'g', 12) + " "
                        + QString::fromStdString(result->detail)));
    QCOMPARE(result->passed, passed);
    QVERIFY(!result->detail.empty());
    QCOMPARE(QString::fromStdString((*evaluator)->type()),
             QString::fromStdString(json(spec)["type"].get<std::string>()));
}

void TestEvaluators::rowErrors_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("reference");
    QTest::newRow("regex-bad-reference-pattern") << R"({"type":"regex"})"
                                                 << "x"
                                                 << "(unclosed";
    QTest::newRow("numeric-reference-without-number") << R"({"type":"numeric"})"
                                                      << "5"
                                                      << "five";
    QTest::newRow("latency-unmeasured") << R"({"type":"latency","max_ms":10})"
                                        << ""
                                        << "";
    QTest::newRow("cost-unmeasured") << R"({"type":"cost","max_usd":1})"
                                     << ""
                                     << "";
}

void TestEvaluators::rowErrors()
{
    QFETCH(QString, spec);
    QFETCH(QString, output);
    QFETCH(QString, reference);
    const auto evaluator = EvaluatorRegistry::withBuiltins().create(json(spec));
    QVERIFY(evaluator.has_value());
    const auto result
        = (*evaluator)->evaluate({output.toStdString(), reference.toStdString(), {}, {}});
    QVERIFY(!result.has_value());
    QVERIFY(!result.error().message.empty());
}

void TestEvaluators::badSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown-type") << R"({"type":"bertscore"})"
                                  << "unknown evaluator 'bertscore'";
    QTest::newRow("missing-type") << R"({"threshold":1})"
                                  << "\"type\"";
    QTest::newRow("not-object") << R"("rouge_l")"
                                << "JSON object";
    QTest::newRow("unknown-option") << R"({"type":"rouge_l","treshold":0.5})"
                                    << "unknown option 'treshold'";
    QTest::newRow("wrong-option-type") << R"({"type":"exact_match","trim":"yes"})"
                                       << "'trim'";
    QTest::newRow("threshold-range") << R"({"type":"bleu","threshold":50})"
                                     << "'threshold'";
    QTest::newRow("bad-tokenizer") << R"({"type":"bleu","tokenize":"intl"})"
                                   << "'tokenize'";
    QTest::newRow("invalid-regex") << R"({"type":"regex","pattern":"a[b"})"
                                   << "invalid regular expression";
    QTest::newRow("regex-memory-zero") << R"({"type":"regex","pattern":"a","max_memory_mb":0})"
                                       << "'max_memory_mb'";
    QTest::newRow("regex-memory-huge") << R"({"type":"regex","pattern":"a","max_memory_mb":4096})"
                                       << "'max_memory_mb'";
    QTest::newRow("contains-bad-mode") << R"({"type":"contains","values":["a"],"mode":"most"})"
                                       << "'mode'";
    QTest::newRow("contains-empty-list") << R"({"type":"contains","values":[]})"
                                         << "'values'";
    QTest::newRow("latency-missing-threshold") << R"({"type":"latency"})"
                                               << "'max_ms'";
    QTest::newRow("cost-negative") << R"({"type":"cost","max_usd":-1})"
                                   << "'max_usd'";
    QTest::newRow("schema-missing") << R"({"type":"json_schema"})"
                                    << "'schema'";
    QTest::newRow("schema-invalid") << R"({"type":"json_schema","schema":{"type":"text"}})"
                                    << "/type";
    QTest::newRow("numeric-negative-tol") << R"({"type":"numeric","abs_tol":-1})"
                                          << "'abs_tol'";
}

void TestEvaluators::badSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, mentions);
    const auto evaluator = EvaluatorRegistry::withBuiltins().create(json(spec));
    QVERIFY(!evaluator.has_value());
    QCOMPARE(evaluator.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(QString::fromStdString(evaluator.error().message).contains(mentions),
             evaluator.error().message.c_str());
}

void TestEvaluators::firstNumber_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("found");
    QTest::addColumn<double>("value");
    QTest::newRow("plain") << "42" << true << 42.0;
    QTest::newRow("negative") << "it is -7 degrees" << true << -7.0;
    QTest::newRow("hyphen-in-word") << "gpt-4 says 5" << true << 4.0;
    QTest::newRow("thousands") << "1,234,567 people" << true << 1234567.0;
    QTest::newRow("list-not-thousands") << "1,2,3" << true << 1.0;
    QTest::newRow("leading-dot") << "ratio .5" << true << 0.5;
    QTest::newRow("exponent") << "6.02e23 atoms" << true << 6.02e23;
    QTest::newRow("sentence-period") << "Answer: 12." << true << 12.0;
    QTest::newRow("none") << "no digits" << false << 0.0;
    QTest::newRow("empty") << "" << false << 0.0;
    QTest::newRow("unicode-around") << QString::fromUtf8("価格は 300 円") << true << 300.0;
}

void TestEvaluators::firstNumber()
{
    QFETCH(QString, text);
    QFETCH(bool, found);
    QFETCH(double, value);
    const auto n = NumericEvaluator::firstNumber(text.toStdString());
    QCOMPARE(n.has_value(), found);
    if (n) {
        QCOMPARE(*n, value);
    }
}

void TestEvaluators::registryNames()
{
    const auto names = EvaluatorRegistry::withBuiltins().names();
    const std::vector<std::string> expected{
        "bleu",       "contains",    "cost",     "embedding_similarity", "exact_match",
        "groundedness", "json_schema", "json_valid", "latency", "llm_judge",
        "numeric",    "regex",       "rouge_l"};
    QCOMPARE(names, expected);
}

void TestEvaluators::concurrentUse()
{
    // One evaluator shared by several threads must give the same answers as serial use.
    const auto evaluator = EvaluatorRegistry::withBuiltins().create(
        json(R"({"type":"regex","pattern":"(\\w+)@(\\w+)\\.com"})"));
    QVERIFY(evaluator.has_value());
    const Evaluator &e = **evaluator;
    std::vector<int> passes(4, 0);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&e, &passes, t] {
                for (int i = 0; i < 500; ++i) {
                    const auto r
                        = e.evaluate({i % 2 ? "mail bob@example.com" : "no mail", "", {}, {}});
                    passes[std::size_t(t)] += (r && r->passed) ? 1 : 0;
                }
            });
        }
    }
    for (int p : passes) {
        QCOMPARE(p, 250);
    }
}

void TestEvaluators::regexHugeAnswers_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("size");
    QTest::addColumn<QString>("tail"); // appended to `size` letters 'a'
    QTest::addColumn<bool>("passed");
    // (a+)+$ backtracks exponentially in a backtracking engine when the text ends with a
    // non-'a'; std::regex also recursed per character and overflowed the stack at ~100 KB.
    const QString search = R"({"type":"regex","pattern":"(a+)+$"})";
    const QString full = R"({"type":"regex","pattern":"(a+)+","full_match":true})";
    const QString icase = R"({"type":"regex","pattern":"^(A+)+$","case_insensitive":true})";
    for (const int size : {100 * 1000, 10 * 1000 * 1000}) {
        const QString n = QString::number(size);
        QTest::newRow(qPrintable("search-match-" + n)) << search << size << "" << true;
        QTest::newRow(qPrintable("search-no-match-" + n)) << search << size << "!" << false;
        QTest::newRow(qPrintable("full-match-" + n)) << full << size << "" << true;
        QTest::newRow(qPrintable("full-no-match-" + n)) << full << size << "!" << false;
        QTest::newRow(qPrintable("icase-match-" + n)) << icase << size << "" << true;
        QTest::newRow(qPrintable("icase-no-match-" + n)) << icase << size << "b" << false;
    }
}

void TestEvaluators::regexHugeAnswers()
{
    QFETCH(QString, spec);
    QFETCH(int, size);
    QFETCH(QString, tail);
    QFETCH(bool, passed);
    const auto evaluator = EvaluatorRegistry::withBuiltins().create(json(spec));
    QVERIFY(evaluator.has_value());
    const std::string output = std::string(std::size_t(size), 'a') + tail.toStdString();
    QElapsedTimer timer;
    timer.start();
    const auto result = (*evaluator)->evaluate({output, "", {}, {}});
    const qint64 ms = timer.elapsed();
    QVERIFY(result.has_value());
    QCOMPARE(result->passed, passed);
    QCOMPARE(result->score, passed ? 1.0 : 0.0);
    // Linear time: ~0.1 s for 10 MB here; the bound leaves room for a loaded machine.
    QVERIFY2(ms < 5000, qPrintable(QString::number(ms) + " ms"));
}

void TestEvaluators::regexUnsupportedPatterns_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("reason");
    QTest::newRow("backreference") << R"((a)\1)"
                                   << R"(invalid escape sequence: \1)";
    QTest::newRow("lookahead") << "foo(?=bar)"
                               << "invalid perl operator: (?=";
    QTest::newRow("lookbehind") << "(?<!x)y"
                                << "invalid perl operator: (?<";
}

void TestEvaluators::regexUnsupportedPatterns()
{
    QFETCH(QString, pattern);
    QFETCH(QString, reason);
    // Refused when the evaluator is built, naming the pattern and RE2's reason.
    Value spec = {{"type", "regex"}, {"pattern", pattern.toStdString()}};
    const auto evaluator = EvaluatorRegistry::withBuiltins().create(spec);
    QVERIFY(!evaluator.has_value());
    QCOMPARE(evaluator.error().code, ErrorCode::InvalidArgument);
    const QString message = QString::fromStdString(evaluator.error().message);
    QVERIFY2(message.contains("evaluator 'regex'"), qPrintable(message));
    QVERIFY2(message.contains("\"" + pattern + "\""), qPrintable(message));
    QVERIFY2(message.contains(reason), qPrintable(message));
    QVERIFY2(message.contains("no backreferences"), qPrintable(message));

    // Taken from a row's reference, the same pattern fails that row alone.
    const auto perRow = EvaluatorRegistry::withBuiltins().create(json(R"({"type":"regex"})"));
    QVERIFY(perRow.has_value());
    const auto result = (*perRow)->evaluate({"aa", pattern.toStdString(), {}, {}});
    QVERIFY(!result.has_value());
    QVERIFY2(QString::fromStdString(result.error().message).contains(reason),
             result.error().message.c_str());
}

void TestEvaluators::regexMemoryLimit()
{
    // A pattern whose compiled program outgrows max_memory_mb is refused at build time.
    const std::string pattern = "(abc|def|ghi){1000}"; // thousands of instructions
    Value spec = {{"type", "regex"}, {"pattern", pattern}, {"max_memory_mb", 0.05}};
    const auto small = EvaluatorRegistry::withBuiltins().create(spec);
    QVERIFY(!small.has_value());
    const QString message = QString::fromStdString(small.error().message);
    QVERIFY2(message.contains("pattern too large"), qPrintable(message));
    QVERIFY2(message.contains("regex memory limit"), qPrintable(message));
    QVERIFY2(message.contains(QString::fromStdString(pattern)), qPrintable(message));
    // The default (8 MiB) fits it.
    spec.erase("max_memory_mb");
    const auto fits = EvaluatorRegistry::withBuiltins().create(spec);
    QVERIFY2(fits.has_value(), fits ? "" : fits.error().message.c_str());
}

QTEST_GUILESS_MAIN(TestEvaluators)
#include "tst_evaluators.moc"
