// The CLI's words over core's statistics, in process (CliApp over a store built here):
// `compare`'s verdict lines and their --json, with the Holm-adjusted p-values of
// compareverdict_reference.py; a comparability warning; and `agreement` (text and --json) with
// the kappas of agreement_reference.py's store_cases(). Existing compare output is checked by
// tst_reportcli; here only what the verdicts add.
#include <core/cli/cliapp.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <sstream>

using namespace fb;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run cli(const std::vector<std::string> &args)
{
    std::ostringstream out;
    std::ostringstream err;
    CliApp app(out, err);
    Run r;
    r.exitCode = app.run(args);
    r.out = QString::fromStdString(out.str());
    r.err = QString::fromStdString(err.str());
    return r;
}

bool close(double a, double b, double tol) { return std::fabs(a - b) <= tol; }

} // namespace

class TestStatsCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void compareVerdictLines();
    void compareVerdictAlpha();
    void compareVerdictJson();
    void compareWarnsWhenNotComparable();
    void agreementText();
    void agreementJson();
    void agreementErrors_data();
    void agreementErrors();
    void rateRecordsEachKind();
    void rateRefusesBadInput_data();
    void rateRefusesBadInput();
    void preferAndAgreementVersus();
    void listedInHelp();

private:
    std::string store() const { return m_dir.filePath(QStringLiteral("s.sqlite")).toStdString(); }
    QTemporaryDir m_dir;
};

void TestStatsCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const RunId a = test::createRun(store(), "baseline", 20);
    const RunId b = test::createRun(store(), "variant_1", 20);
    const RunId c = test::createRun(store(), "variant_2", 20);
    QVERIFY(a.isValid() && b.isValid() && c.isValid());
    QVERIFY(test::writeVerdictLines(store(), a, b, c));
    const RunId rated = test::createRun(store(), "rated", 10);
    QVERIFY(rated.isValid());
    QVERIFY(test::writeRatedLines(store(), rated));
}

void TestStatsCli::compareVerdictLines()
{
    // compareverdict_reference.py: six tests; Holm-adjusted p: variant_1 exact_match 3/32,
    // latency 1 (2 x 1084/2001, capped), cost 1; variant_2 exact_match 1/128, latency and cost
    // 6/2001. Effects: +30 and +50 pp, +3.75 and -40 ms, 0 and -1 USD per 1,000 lines.
    const Run r = cli({"compare", "baseline", "variant_1", "variant_2", "--store", store()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString expected = QStringLiteral(
        "\nVerdicts against A (baseline), Holm-corrected over 6 tests, alpha 0.05\n"
        "  variant_1: no significant difference in exact_match: +30.0 pp, p = 0.09 (Holm)\n"
        "  variant_1: no significant difference in latency: +4 ms, p = 1.00 (Holm)\n"
        "  variant_1: no significant difference in cost: +0 USD per 1,000 lines, p = 1.00 "
        "(Holm)\n"
        "  variant_2 is better on exact_match: +50.0 pp, p = 0.008 (Holm)\n"
        "  variant_2 is better on latency: -40 ms, p = 0.003 (Holm)\n"
        "  variant_2 is better on cost: -1 USD per 1,000 lines, p = 0.003 (Holm)\n");
    QVERIFY2(r.out.endsWith(expected), qPrintable(r.out));
    // The tables before it are still there, and no warning: the runs are comparable.
    QVERIFY(r.out.contains(QStringLiteral("A -> B")));
    QVERIFY(!r.out.contains(QStringLiteral("warning:")));
}

void TestStatsCli::compareVerdictAlpha()
{
    // At alpha 0.1, variant_1's 3/32 = 0.09375 is significant.
    const Run r = cli(
        {"compare", "baseline", "variant_1", "variant_2", "--store", store(), "--alpha", "0.1"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("Holm-corrected over 6 tests, alpha 0.1\n")));
    QVERIFY2(r.out.contains(QStringLiteral(
                 "  variant_1 is better on exact_match: +30.0 pp, p = 0.09 (Holm)\n")),
             qPrintable(r.out));
    const Run bad = cli({"compare", "baseline", "variant_1", "--store", store(), "--alpha", "1"});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QStringLiteral("--alpha: 1 is out of range")), qPrintable(bad.err));
}

void TestStatsCli::compareVerdictJson()
{
    const Run r
        = cli({"compare", "baseline", "variant_1", "variant_2", "--store", store(), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const Value doc = Value::parse(r.out.toStdString(), nullptr, false);
    QVERIFY(!doc.is_discarded());
    QCOMPARE(doc["format"].get<std::string>(), std::string("flowbench-report")); // as before
    const Value &v = doc["verdicts"];
    QCOMPARE(v["baseline"].get<std::string>(), std::string("baseline"));
    QCOMPARE(v["tests"].get<int>(), 6);
    QCOMPARE(v["alpha"].get<double>(), 0.05);
    QCOMPARE(v["verdicts"].size(), std::size_t(6));
    const Value &first = v["verdicts"][0];
    QCOMPARE(first["candidate"].get<std::string>(), std::string("variant_1"));
    QCOMPARE(first["metric"].get<std::string>(), std::string("exact_match"));
    QCOMPARE(first["direction"].get<std::string>(), std::string("no_significant_difference"));
    QCOMPARE(first["effect"].get<double>(), 30.0);
    QVERIFY(close(first["p_value"].get<double>(), 1.0 / 32.0, 1e-12));
    QVERIFY(close(first["adjusted_p_value"].get<double>(), 3.0 / 32.0, 1e-12));
    QCOMPARE(first["test"].get<std::string>(), std::string("McNemar"));
    const Value &latency = v["verdicts"][4];
    QCOMPARE(latency["metric"].get<std::string>(), std::string("latency"));
    QCOMPARE(latency["direction"].get<std::string>(), std::string("better"));
    QCOMPARE(latency["higher_is_better"].get<bool>(), false);
    QVERIFY(close(latency["adjusted_p_value"].get<double>(), 6.0 / 2001.0, 1e-15));
    QVERIFY(doc["comparability"].is_array() && doc["comparability"].empty());
    // RunComparison's JSON carries the latency and cost tests.
    QVERIFY(close(doc["comparisons"][0]["latency_ms"]["test"]["p_value"].get<double>(),
                  1084.0 / 2001.0, 1e-15));
}

void TestStatsCli::compareWarnsWhenNotComparable()
{
    // Two runs over different dataset versions, one with a different exact_match setting.
    const std::string path = m_dir.filePath(QStringLiteral("w.sqlite")).toStdString();
    RunId ids[2];
    {
        auto s = ExperimentStore::open(path);
        QVERIFY(s);
        auto flow = s->internFlow("h", "f", "flows/f", "{}");
        for (int i = 0; i < 2; ++i) {
            auto data = s->internDataset(i == 0 ? "fp-1" : "fp-2", "data.jsonl", 2);
            RunSpec spec;
            spec.name = i == 0 ? "old" : "new";
            spec.flowId = *flow;
            spec.datasetId = *data;
            spec.totalLines = 2;
            spec.parameters["evaluators"] = Value::array(
                {Value{{"type", "exact_match"}, {"reference", i == 0 ? "label" : "answer"}}});
            auto run = s->createRun(spec);
            QVERIFY(run);
            ids[i] = *run;
        }
    }
    QVERIFY(test::writeLines(
        path, {test::completedLine(ids[0], 0, "x", 10), test::completedLine(ids[1], 0, "x", 10)}));
    const Run r = cli({"compare", "old", "new", "--store", path});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral(
                 "  warning: new has a different dataset version than old; their verdicts may "
                 "not mean what they say\n")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(
        QStringLiteral("  warning: new has different evaluator settings (exact_match) than old;")));
    // One line each: latency tested (0 ms), cost not priced.
    QVERIFY(r.out.contains(
        QStringLiteral("  new: no significant difference in latency: +0 ms, p = 1.00 (Holm)\n")));
    QVERIFY(r.out.contains(QStringLiteral("  new: cost not tested (no priced lines in both "
                                          "runs)\n")));
    const Run j = cli({"compare", "old", "new", "--store", path, "--json"});
    const Value doc = Value::parse(j.out.toStdString(), nullptr, false);
    QCOMPARE(doc["comparability"].size(), std::size_t(2));
    QCOMPARE(doc["comparability"][0]["issue"].get<std::string>(), std::string("dataset_version"));
    QVERIFY(doc["comparability"][0]["runs"] == (Value{"old", "new"}));
    QVERIFY(doc["comparability"][1]["evaluators"] == Value::array({"exact_match"}));
}

void TestStatsCli::agreementText()
{
    // agreement_reference.py store_cases(): ana-bo 4/5, 29/50, 11/21 = 0.5238; ana-cy 3/4, 5/8,
    // 1/3; bo-cy 5/8, 9/16, 1/7 = 0.1429; Fleiss on 8 lines 3/4, 169/288 = 0.5868,
    // 47/119 = 0.3950; cy-judge 7 lines 5/7, 29/49 = 0.5918, 3/10.
    const Run r = cli({"agreement", "--run", "rated", "--store", store(), "--judge", "llm_judge"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith(QStringLiteral(
                 "Agreement on run 'rated': 3 raters (ana, bo, cy), 10 rated lines\n")),
             qPrintable(r.out));
    const auto has = [&](const char *pattern) {
        return r.out.contains(QRegularExpression(QLatin1String(pattern)));
    };
    QVERIFY2(has("\n  ana +bo +10 +0\\.800 +0\\.580 +0\\.524\n"), qPrintable(r.out));
    QVERIFY(has("\n  ana +cy +8 +0\\.750 +0\\.625 +0\\.333\n"));
    QVERIFY(has("\n  bo +cy +8 +0\\.625 +0\\.562 +0\\.143\n"));
    QVERIFY2(r.out.contains(QStringLiteral(
                 "Fleiss' kappa over the 3 raters: 0.395 on 8 lines rated by every rater "
                 "(observed 0.750, expected 0.587)\n")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(
        QStringLiteral("Raters against the judge 'llm_judge' (its verdicts: pass 1, fail 0)\n")));
    QVERIFY(has("\n  cy +llm_judge +7 +0\\.714 +0\\.592 +0\\.300\n"));
    // #ID works as elsewhere.
    auto s = ExperimentStore::open(store());
    const auto rated = s->findRunByName("rated");
    const Run byId
        = cli({"agreement", "--run", "#" + std::to_string(rated->id.value), "--store", store()});
    QCOMPARE(byId.exitCode, 0);
    QVERIFY(byId.out.contains(QStringLiteral("Fleiss' kappa over the 3 raters: 0.395")));
    QVERIFY(!byId.out.contains(QStringLiteral("judge")));
}

void TestStatsCli::agreementJson()
{
    const Run r = cli(
        {"agreement", "--run", "rated", "--store", store(), "--judge", "llm_judge", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const Value doc = Value::parse(r.out.toStdString(), nullptr, false);
    QVERIFY(!doc.is_discarded());
    QCOMPARE(doc["run"].get<std::string>(), std::string("rated"));
    QVERIFY(doc["raters"] == (Value{"ana", "bo", "cy"}));
    QCOMPARE(doc["rated_lines"].get<int>(), 10);
    QVERIFY(close(doc["pairs"][0]["cohen"]["kappa"].get<double>(), 11.0 / 21.0, 1e-15));
    QCOMPARE(doc["pairs"][0]["shared_lines"].get<int>(), 10);
    QVERIFY(close(doc["fleiss"]["result"]["kappa"].get<double>(), 47.0 / 119.0, 1e-15));
    QCOMPARE(doc["judge"]["labels"].get<std::string>(), std::string("verdict"));
    QVERIFY(close(doc["judge"]["pairs"][0]["cohen"]["kappa"].get<double>(), 8.0 / 11.0, 1e-15));
}

void TestStatsCli::agreementErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no-run") << QStringList{} << 2 << "expected --run RUN";
    QTest::newRow("unknown-run") << QStringList{QStringLiteral("--run"), QStringLiteral("nope")}
                                 << 2 << "no run 'nope'";
    QTest::newRow("unknown-judge")
        << QStringList{QStringLiteral("--run"), QStringLiteral("rated"), QStringLiteral("--judge"),
                       QStringLiteral("gpt_judge")}
        << 2 << "run 'rated' has no results from 'gpt_judge' (it has: llm_judge)";
    QTest::newRow("bad-labels") << QStringList{QStringLiteral("--run"),
                                               QStringLiteral("rated"),
                                               QStringLiteral("--judge"),
                                               QStringLiteral("llm_judge"),
                                               QStringLiteral("--judge-labels"),
                                               QStringLiteral("stars")}
                                << 2 << "--judge-labels must be auto, verdict or scale";
    QTest::newRow("bad-scale") << QStringList{QStringLiteral("--run"),
                                              QStringLiteral("rated"),
                                              QStringLiteral("--judge"),
                                              QStringLiteral("llm_judge"),
                                              QStringLiteral("--judge-scale"),
                                              QStringLiteral("5,1")}
                               << 2 << "--judge-scale: '5,1' is not MIN,MAX with MIN < MAX";
    QTest::newRow("scale-without-judge")
        << QStringList{QStringLiteral("--run"), QStringLiteral("rated"),
                       QStringLiteral("--judge-scale"), QStringLiteral("1,5")}
        << 2 << "--judge-labels and --judge-scale need --judge";
}

void TestStatsCli::agreementErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    std::vector<std::string> argv{"agreement"};
    for (const auto &a : args) {
        argv.push_back(a.toStdString());
    }
    argv.push_back("--store");
    argv.push_back(store());
    const Run r = cli(argv);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestStatsCli::listedInHelp()
{
    const Run r = cli({"--help"});
    QVERIFY(r.out.contains(QStringLiteral("  agreement --run R")));
    const Run help = cli({"agreement", "--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QStringLiteral("Fleiss' kappa")));
    QVERIFY(help.out.contains(QStringLiteral("--judge-labels")));
    const Run compareHelp = cli({"compare", "--help"});
    QVERIFY(compareHelp.out.contains(QStringLiteral("Holm-corrected")));
    QVERIFY(compareHelp.out.contains(QStringLiteral("--alpha")));
}

void TestStatsCli::rateRecordsEachKind()
{
    const std::string st = store();
    const auto rate = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"rate", "--store", st, "--run", "baseline", "--line", "3"};
        args.insert(args.end(), extra.begin(), extra.end());
        return cli(args);
    };
    Run r = rate({"--pass", "--rater", "ana"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("as ana: pass")), qPrintable(r.out));
    QCOMPARE(rate({"--fail", "--rater", "bo", "--comment", "wrong label"}).exitCode, 0);
    QCOMPARE(rate({"--stars", "4", "--rater", "ana"}).exitCode, 0);
    QCOMPARE(rate({"--comment", "check the date", "--rater", "cy"}).exitCode, 0);

    auto opened = ExperimentStore::open(st);
    QVERIFY(opened);
    const RunId run = opened->findRunByName("baseline")->id;
    auto ratings = opened->ratings(run);
    QVERIFY(ratings);
    QCOMPARE(ratings->size(), std::size_t(4));
    QCOMPARE(int((*ratings)[0].kind), int(RatingKind::PassFail));
    QCOMPARE(*(*ratings)[0].score, 1.0);
    QCOMPARE((*ratings)[1].rater, std::string("bo"));
    QCOMPARE(*(*ratings)[1].score, 0.0);
    QCOMPARE((*ratings)[1].comment, std::string("wrong label"));
    QCOMPARE(int((*ratings)[2].kind), int(RatingKind::Stars));
    QCOMPARE(*(*ratings)[2].score, 4.0);
    QCOMPARE(int((*ratings)[3].kind), int(RatingKind::Comment));
    QCOMPARE((*ratings)[3].lineIndex, std::int64_t(3));

    // --undo takes back ana's last rating of the line (the stars), not bo's.
    r = rate({"--undo", "--rater", "ana"});
    QCOMPARE(r.exitCode, 0);
    ratings = opened->ratings(run);
    QCOMPARE(ratings->size(), std::size_t(3));
    QCOMPARE(int((*ratings)[0].kind), int(RatingKind::PassFail));
    QCOMPARE((*ratings)[2].rater, std::string("cy"));

    // The kind filter of agreement: only bo and ana rated pass/fail on line 3.
    r = cli({"agreement", "--store", st, "--run", "baseline", "--kind", "pass_fail", "--json"});
    QCOMPARE(r.exitCode, 0);
    const Value j = Value::parse(r.out.toStdString());
    QCOMPARE(j["kind"].get<std::string>(), std::string("pass_fail"));
    QCOMPARE(j["raters"].size(), std::size_t(2));
    QCOMPARE(j["rated_lines"].get<int>(), 1);
}

void TestStatsCli::rateRefusesBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no rating") << QStringList{"--line", "1"} << 2 << "give --pass";
    QTest::newRow("two verdicts") << QStringList{"--line", "1", "--pass", "--fail"} << 2
                                  << "one of --pass";
    QTest::newRow("stars 0") << QStringList{"--line", "1", "--stars", "0"} << 2 << "from 1 to 5";
    QTest::newRow("stars 6") << QStringList{"--line", "1", "--stars", "6"} << 2 << "from 1 to 5";
    QTest::newRow("stars 2.5") << QStringList{"--line", "1", "--stars", "2.5"} << 2
                               << "from 1 to 5";
    QTest::newRow("line -1") << QStringList{"--line", "-1", "--pass"} << 2 << "not a line index";
    QTest::newRow("line past the end") << QStringList{"--line", "20", "--pass"} << 2
                                       << "has 20 lines";
    QTest::newRow("prefer without versus") << QStringList{"--line", "1", "--prefer", "tie"} << 2
                                           << "needs --versus";
    QTest::newRow("versus with a verdict")
        << QStringList{"--line", "1", "--versus", "variant_1", "--pass"} << 2 << "--prefer";
    QTest::newRow("prefer a third run")
        << QStringList{"--line", "1", "--versus", "variant_1", "--prefer", "variant_2"} << 2
        << "neither --run nor --versus";
    QTest::newRow("undo with nothing to undo")
        << QStringList{"--line", "5", "--undo", "--rater", "nobody"} << 2 << "no rating of nobody";
}

void TestStatsCli::rateRefusesBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    std::vector<std::string> argv{"rate", "--store", store(), "--run", "baseline"};
    for (const QString &a : args) {
        argv.push_back(a.toStdString());
    }
    const Run r = cli(argv);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

void TestStatsCli::preferAndAgreementVersus()
{
    const std::string st = store();
    // Two raters on lines 0-3 of baseline (A) against variant_1 (B): ana a a b tie, bo a b b.
    const char *ana[] = {"baseline", "baseline", "variant_1", "tie"};
    const char *bo[] = {"baseline", "variant_1", "variant_1"};
    for (int i = 0; i < 4; ++i) {
        const Run r = cli({"rate", "--store", st, "--run", "variant_1", "--versus", "baseline",
                           "--line", std::to_string(i), "--prefer", ana[i], "--rater", "ana"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(cli({"rate", "--store", st, "--run", "baseline", "--versus", "variant_1",
                      "--line", std::to_string(i), "--prefer", bo[i], "--rater", "bo"})
                     .exitCode,
                 0);
    }
    Run r = cli({"agreement", "--store", st, "--run", "baseline", "--versus", "variant_1",
                 "--judge", "exact_match", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const Value j = Value::parse(r.out.toStdString());
    QCOMPARE(j["run_a"]["name"].get<std::string>(), std::string("baseline"));
    QCOMPARE(j["overall"]["a"].get<int>(), 3);
    QCOMPARE(j["overall"]["b"].get<int>(), 3);
    QCOMPARE(j["overall"]["ties"].get<int>(), 1);
    QCOMPARE(j["sign_test_p"].get<double>(), 1.0);
    // ana-bo over lines 0-2: a a b / a b b: p_o 2/3, p_e 2/3*1/3 + 1/3*2/3 = 4/9, kappa 2/5.
    QVERIFY(close(j["pairs"][0]["cohen"]["kappa"].get<double>(), 0.4, 1e-15));
    // exact_match passes lines 0-9 in both runs: the judge calls lines 0-3 a tie.
    QCOMPARE(j["judge"]["pairs"][0]["shared_lines"].get<int>(), 4);

    r = cli({"agreement", "--store", st, "--run", "baseline", "--versus", "variant_1"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("Sign test (ties left out): p = 1 on 6 decided")),
             qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("'baseline' (A) against 'variant_1' (B)")));

    // Undo of bo's last choice on line 2.
    QCOMPARE(cli({"rate", "--store", st, "--run", "baseline", "--versus", "variant_1", "--line",
                  "2", "--undo", "--rater", "bo"})
                 .exitCode,
             0);
    r = cli({"agreement", "--store", st, "--run", "variant_1", "--versus", "baseline", "--json"});
    QCOMPARE(Value::parse(r.out.toStdString())["overall"]["b"].get<int>(), 2);
}

QTEST_GUILESS_MAIN(TestStatsCli)
#include "tst_statscli.moc"
