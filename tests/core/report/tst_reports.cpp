// The report writers: RFC 4180 CSV (quoting round trip through an independent parser, lines and
// metrics files), the HTML page (self-contained: no script, no external URL; escaped text; SVG
// charts; every run named; simulator banner; row cap; word-level differences), the JSON
// document, and the helpers they use (word diff, axis ticks).
#include <core/report/csvreport.h>
#include <core/report/htmlreport.h>
#include <core/report/jsonreport.h>
#include <core/report/reportdata.h>
#include <core/report/svgchart.h>
#include <core/report/worddiff.h>
#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <sstream>

using namespace fb;

namespace {

using CsvTable = std::vector<std::vector<std::string>>;

/// An RFC 4180 reader written for the test: quoted fields may hold commas, quotes ("") and
/// line breaks; records end with CRLF (a bare LF is accepted too).
CsvTable parseCsv(const std::string &text)
{
    CsvTable rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false;
    bool fieldStarted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = true;
            fieldStarted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
            fieldStarted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            // handled by the '\n'
        } else if (c == '\n') {
            row.push_back(field);
            rows.push_back(row);
            row.clear();
            field.clear();
            fieldStarted = false;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (fieldStarted || !row.empty()) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

std::size_t columnOf(const std::vector<std::string> &header, const std::string &name)
{
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) {
            return i;
        }
    }
    return std::size_t(-1);
}

int occurrences(const std::string &text, const std::string &needle)
{
    int n = 0;
    for (std::size_t p = text.find(needle); p != std::string::npos;
         p = text.find(needle, p + needle.size())) {
        ++n;
    }
    return n;
}

} // namespace

class TestReports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void csvQuote_data();
    void csvQuote();
    void csvFormulaCells_data();
    void csvFormulaCells();
    void csvNeutralisesStoredFormulas();
    void csvExportIsAtomic();
    void linesCsvRoundTrip();
    void metricsCsv();
    void metricsPath_data();
    void metricsPath();
    void htmlIsSelfContained_data();
    void htmlIsSelfContained();
    void htmlCapsRowsAndSaysSo();
    void htmlMarksWordDifferences();
    void htmlListsFailures();
    void jsonReport();
    void humanReviewInReports();
    void wordDiff_data();
    void wordDiff();
    void ticks_data();
    void ticks();

private:
    /// Two runs of four lines with tricky text, scores and one failure; returns their ids.
    std::vector<RunId> makeTwoRuns(bool simulated = false);
    std::string path() const { return (m_dir->path() + "/store.sqlite").toStdString(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestReports::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestReports::cleanup() { m_dir.reset(); }

std::vector<RunId> TestReports::makeTwoRuns(bool simulated)
{
    const RunId a
        = test::createRun(path(), "zero-shot <i>", 4, Value{{"classify", "variant_0"}}, simulated);
    const RunId b
        = test::createRun(path(), "few-shot", 4, Value{{"classify", "variant_1"}}, simulated);
    const char *inputs[] = {"plain text", "a, comma", "a \"quoted\" word", "two\r\nlines"};
    const char *answersA[]
        = {"billing", "<b>bold</b> & <script>alert(1)</script>", "the quick brown fox", "other"};
    const char *answersB[] = {"billing", "technical", "the slow brown fox", "other"};
    std::vector<LineRecord> lines;
    for (int i = 0; i < 4; ++i) {
        for (int r = 0; r < 2; ++r) {
            LineRecord l = test::completedLine(
                r == 0 ? a : b, i, r == 0 ? answersA[i] : answersB[i], 100.0 + 10 * i + r);
            l.inputs = Value{{"text", inputs[i]}, {"n", i}};
            l.promptTokens = 50;
            l.completionTokens = 2;
            l.costUsd = 0.0001 * (r + 1);
            ScoreRecord exact;
            exact.evaluator = "exact_match";
            exact.passed = (i + r) % 2 == 0;
            l.scores.push_back(exact);
            ScoreRecord rouge;
            rouge.evaluator = "rouge_l";
            rouge.score = 0.25 * i + 0.1 * r;
            l.scores.push_back(rouge);
            if (r == 1 && i == 3) {
                l.status = "Failed";
                l.outputs = Value::object();
                l.error = "HTTP 500 from https://llm.example.test/v1: upstream <overloaded>";
                l.scores.clear();
            }
            lines.push_back(std::move(l));
        }
    }
    if (!test::writeLines(path(), std::move(lines))) {
        return {};
    }
    return {a, b};
}

void TestReports::csvQuote_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "billing"
                           << "billing";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("comma") << "a,b"
                           << "\"a,b\"";
    QTest::newRow("quote") << "say \"hi\""
                           << "\"say \"\"hi\"\"\"";
    QTest::newRow("lf") << "one\ntwo"
                        << "\"one\ntwo\"";
    QTest::newRow("crlf") << "one\r\ntwo"
                          << "\"one\r\ntwo\"";
    QTest::newRow("only-quote") << "\""
                                << "\"\"\"\"";
    QTest::newRow("unicode") << QString::fromUtf8("caf\xC3\xA9 \xE2\x9C\x93")
                             << QString::fromUtf8("caf\xC3\xA9 \xE2\x9C\x93");
    QTest::newRow("spaces-kept") << "  padded  "
                                 << "  padded  ";
}

void TestReports::csvQuote()
{
    QFETCH(QString, field);
    QFETCH(QString, expected);
    const std::string quoted = CsvReport::quote(field.toStdString());
    QCOMPARE(QString::fromStdString(quoted), expected);
    // Round trip: a record of the field between two others parses back to the same three.
    const std::string record = "x," + quoted + ",y\r\n";
    const CsvTable parsed = parseCsv(record);
    QCOMPARE(parsed.size(), std::size_t(1));
    QCOMPARE(parsed[0], (std::vector<std::string>{"x", field.toStdString(), "y"}));
}

void TestReports::csvFormulaCells_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("neutralize");
    QTest::addColumn<QString>("expected");
    QTest::newRow("equals") << "=1+1" << true << "'=1+1";
    QTest::newRow("hyperlink") << "=HYPERLINK(\"http://x\",\"y\")" << true
                               << "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"";
    QTest::newRow("plus") << "+cmd|' /C calc'!A0" << true << "'+cmd|' /C calc'!A0";
    QTest::newRow("minus-formula") << "-2+3" << true << "'-2+3";
    QTest::newRow("at") << "@SUM(A1:A9)" << true << "'@SUM(A1:A9)";
    QTest::newRow("tab") << "\t=1" << true << "'\t=1";
    QTest::newRow("cr-quoted") << "\r=1" << true << "\"'\r=1\"";
    QTest::newRow("comma-quoted") << "=a,b" << true << "\"'=a,b\"";
    QTest::newRow("negative-number") << "-1.5" << true << "-1.5";
    QTest::newRow("signed-exponent") << "+2e-3" << true << "+2e-3";
    QTest::newRow("lone-minus") << "-" << true << "'-";
    QTest::newRow("minus-dot") << "-." << true << "'-.";
    QTest::newRow("number-then-text") << "-1 apples" << true << "'-1 apples";
    QTest::newRow("equals-inside") << "a=1" << true << "a=1";
    QTest::newRow("plain") << "billing" << true << "billing";
    QTest::newRow("empty") << "" << true << "";
    QTest::newRow("off") << "=1+1" << false << "=1+1";
    QTest::newRow("off-still-quotes") << "=a,b" << false << "\"=a,b\"";
}

void TestReports::csvFormulaCells()
{
    QFETCH(QString, field);
    QFETCH(bool, neutralize);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(CsvReport::cell(field.toStdString(), neutralize)), expected);
}

void TestReports::csvNeutralisesStoredFormulas()
{
    // A model answer and a dataset value that a spreadsheet would run, through a whole export.
    const RunId run = test::createRun(path(), "=run", 1, Value{{"classify", "variant_0"}});
    LineRecord line = test::completedLine(run, 0, "=HYPERLINK(\"http://evil\",\"x\")", 100.0);
    line.inputs = Value{{"text", "@SUM(1+1)*cmd"}, {"n", -3}};
    QVERIFY(test::writeLines(path(), {line}));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    for (const bool neutralize : {true, false}) {
        std::ostringstream out;
        QVERIFY(CsvReport::writeLines(*store, {run}, out, 100, neutralize));
        const CsvTable table = parseCsv(out.str());
        QCOMPARE(table.size(), std::size_t(2));
        const auto &header = table[0];
        const auto &row = table[1];
        const std::string mark = neutralize ? "'" : "";
        QCOMPARE(row[columnOf(header, "run")], mark + "=run");
        QCOMPARE(row[columnOf(header, "input.text")], mark + "@SUM(1+1)*cmd");
        QCOMPARE(row[columnOf(header, "input.n")], std::string("-3")); // a number stays one
        QVERIFY(row[columnOf(header, "output.category")].rfind(mark + "=HYPERLINK(", 0) == 0);
        for (const auto &cell : row) {
            if (neutralize && !cell.empty() && std::string("=+@\t\r").find(cell[0]) != std::string::npos) {
                QFAIL(qPrintable(QStringLiteral("a live formula: %1").arg(QString::fromStdString(cell))));
            }
        }
    }
}

void TestReports::csvExportIsAtomic()
{
    // An export that fails half way (its metrics file cannot be written) leaves the reports
    // that were there as they were, and no temporary file behind.
    const auto runs = makeTwoRuns();
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    const QString dir = m_dir->path() + QStringLiteral("/reports");
    QVERIFY(QDir().mkpath(dir));
    const std::string lines = (dir + "/out.csv").toStdString();
    {
        QFile old(QString::fromStdString(lines));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("previous report\r\n");
    }
    // The metrics file's place is taken by a folder: writing it must fail.
    QVERIFY(QDir().mkpath(dir + "/out.metrics.csv"));
    const auto written = CsvReport::write(*store, runs, lines);
    QVERIFY(!written);
    QVERIFY2(QString::fromStdString(written.error().message).contains(QLatin1String("out.metrics.csv")),
             written.error().message.c_str());
    QFile kept(QString::fromStdString(lines));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), QByteArray("previous report\r\n"));
    const QStringList left = QDir(dir).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(left, QStringList{QStringLiteral("out.csv")});

    // Written for real, it replaces the old file whole.
    QVERIFY(QDir(dir + "/out.metrics.csv").removeRecursively());
    QVERIFY(CsvReport::write(*store, runs, lines));
    QFile fresh(QString::fromStdString(lines));
    QVERIFY(fresh.open(QIODevice::ReadOnly));
    QVERIFY(fresh.readAll().startsWith("run,line,status"));
    QCOMPARE(QDir(dir).entryList(QDir::Files | QDir::Hidden).size(), 2);
}

void TestReports::linesCsvRoundTrip()
{
    const auto runs = makeTwoRuns();
    QCOMPARE(runs.size(), std::size_t(2));
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    std::ostringstream out;
    QVERIFY(CsvReport::writeLines(*store, runs, out, 3));
    const std::string text = out.str();
    QVERIFY(text.find("\r\n") != std::string::npos);
    const CsvTable table = parseCsv(text);
    QCOMPARE(table.size(), std::size_t(1 + 8));
    const auto &header = table[0];
    QCOMPARE(header, (std::vector<std::string>{
                         "run", "line", "status", "input.text", "input.n", "output.category",
                         "score.exact_match", "score.rouge_l", "latency_ms", "queue_ms",
                         "prompt_tokens", "completion_tokens", "cost_usd", "error"}));
    const char *inputs[] = {"plain text", "a, comma", "a \"quoted\" word", "two\r\nlines"};
    for (std::size_t r = 1; r < table.size(); ++r) {
        QCOMPARE(table[r].size(), header.size());
        const int line = std::stoi(table[r][1]);
        QCOMPARE(table[r][columnOf(header, "input.text")], std::string(inputs[line]));
        QCOMPARE(table[r][columnOf(header, "input.n")], std::to_string(line));
    }
    // Run A's rows come first, in line order, with its outputs and scores.
    QCOMPARE(table[2][0], std::string("zero-shot <i>"));
    QCOMPARE(table[2][columnOf(header, "output.category")],
             std::string("<b>bold</b> & <script>alert(1)</script>"));
    QCOMPARE(table[2][columnOf(header, "score.exact_match")], std::string("false"));
    QCOMPARE(table[3][columnOf(header, "score.rouge_l")], std::string("0.5"));
    // Run B's failed line: status, error, empty output and scores.
    const auto &failed = table[8];
    QCOMPARE(failed[0], std::string("few-shot"));
    QCOMPARE(failed[2], std::string("Failed"));
    QCOMPARE(failed[columnOf(header, "error")],
             std::string("HTTP 500 from https://llm.example.test/v1: upstream <overloaded>"));
    QCOMPARE(failed[columnOf(header, "output.category")], std::string());
    QCOMPARE(failed[columnOf(header, "score.exact_match")], std::string());
    QCOMPARE(failed[columnOf(header, "cost_usd")], std::string("0.0002"));
}

void TestReports::metricsCsv()
{
    const auto runs = makeTwoRuns();
    auto store = ExperimentStore::open(path());
    QVERIFY(store->putMetric(runs[0], "accuracy, overall", 0.75));
    std::vector<RunStatistics> stats;
    for (RunId r : runs) {
        auto s = RunStatistics::compute(*store, r);
        QVERIFY(s);
        stats.push_back(std::move(*s));
    }
    std::ostringstream out;
    QVERIFY(CsvReport::writeMetrics(stats, out));
    const CsvTable table = parseCsv(out.str());
    QCOMPARE(table[0],
             (std::vector<std::string>{"run", "metric", "value", "ci_low", "ci_high", "n"}));
    bool sawPassRate = false;
    bool sawMetric = false;
    bool sawLatency = false;
    for (std::size_t r = 1; r < table.size(); ++r) {
        QCOMPARE(table[r].size(), std::size_t(6));
        if (table[r][0] == "zero-shot <i>" && table[r][1] == "exact_match.pass_rate") {
            sawPassRate = true;
            QCOMPARE(std::stod(table[r][2]), 0.5); // lines 0 and 2 pass
            QVERIFY(std::stod(table[r][3]) <= 0.5 && std::stod(table[r][4]) >= 0.5);
            QCOMPARE(table[r][5], std::string("4"));
        }
        if (table[r][1] == "metric.accuracy, overall") {
            sawMetric = true;
            QCOMPARE(std::stod(table[r][2]), 0.75);
        }
        if (table[r][0] == "few-shot" && table[r][1] == "latency_ms.line.p50") {
            sawLatency = true;
            QCOMPARE(std::stod(table[r][2]), test::numpyPercentile({101, 111, 121}, 50));
        }
    }
    QVERIFY(sawPassRate);
    QVERIFY(sawMetric);
    QVERIFY(sawLatency);

    // write() puts the lines and the metrics in two files next to each other.
    const std::string lines = (m_dir->path() + "/out.csv").toStdString();
    QVERIFY(CsvReport::write(*store, runs, lines));
    QVERIFY(QFile::exists(QString::fromStdString(lines)));
    QVERIFY(QFile::exists(m_dir->path() + "/out.metrics.csv"));
}

void TestReports::metricsPath_data()
{
    QTest::addColumn<QString>("lines");
    QTest::addColumn<QString>("metrics");
    QTest::newRow("csv-extension") << "out/report.csv"
                                   << "out/report.metrics.csv";
    QTest::newRow("no-extension") << "report"
                                  << "report.metrics.csv";
    QTest::newRow("other-extension") << "report.txt"
                                     << "report.txt.metrics.csv";
}

void TestReports::metricsPath()
{
    QFETCH(QString, lines);
    QFETCH(QString, metrics);
    QCOMPARE(QString::fromStdString(CsvReport::metricsPath(lines.toStdString())), metrics);
}

void TestReports::htmlIsSelfContained_data()
{
    QTest::addColumn<bool>("simulated");
    QTest::newRow("real-model") << false;
    QTest::newRow("simulator") << true;
}

void TestReports::htmlIsSelfContained()
{
    QFETCH(bool, simulated);
    const auto runs = makeTwoRuns(simulated);
    auto store = ExperimentStore::open(path());
    auto html = HtmlReport::render(*store, runs);
    QVERIFY2(html, html ? "" : html.error().message.c_str());
    const QString page = QString::fromStdString(*html);

    // No script and no external reference of any kind.
    QVERIFY(!page.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
    QVERIFY(!page.contains(QStringLiteral("http://"), Qt::CaseInsensitive));
    QVERIFY(!page.contains(QStringLiteral("https://"), Qt::CaseInsensitive));
    QVERIFY(!page.contains(QStringLiteral("@import"), Qt::CaseInsensitive));
    QVERIFY(!page.contains(QRegularExpression(QStringLiteral("url\\s*\\("),
                                              QRegularExpression::CaseInsensitiveOption)));
    QVERIFY(!page.contains(QRegularExpression(QStringLiteral("\\bsrc\\s*="),
                                              QRegularExpression::CaseInsensitiveOption)));
    const QRegularExpression href(QStringLiteral("\\bhref\\s*=\\s*[\"']?([^\"'\\s>]*)"),
                                  QRegularExpression::CaseInsensitiveOption);
    for (auto it = href.globalMatch(page); it.hasNext();) {
        const QString target = it.next().captured(1);
        QVERIFY2(target.startsWith(QLatin1Char('#')), qPrintable(target));
    }
    // Text from the data is escaped.
    QVERIFY(page.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;")));
    QVERIFY(!page.contains(QStringLiteral("<b>bold")));
    QVERIFY(page.contains(QStringLiteral("upstream &lt;overloaded&gt;")));
    // A URL in the data is shown (slashes as entities), never as a literal URL.
    QVERIFY(page.contains(QStringLiteral("https:&#47;&#47;llm.example.test/v1")));
    // Charts, and every run named (escaped).
    QVERIFY(page.count(QStringLiteral("<svg")) >= 3);
    QVERIFY(page.contains(QStringLiteral("zero-shot &lt;i&gt;")));
    QVERIFY(page.contains(QStringLiteral("few-shot")));
    QVERIFY(page.contains(QStringLiteral("classify=variant_1")));
    QCOMPARE(page.contains(QStringLiteral("Simulated (flowbench-sim)")), simulated);
    // Sections a reviewer looks for.
    for (const char *id : {"id=\"summary\"", "id=\"charts\"", "id=\"significance\"",
                           "id=\"failures\"", "id=\"rows\""}) {
        QVERIFY2(page.contains(QLatin1String(id)), id);
    }
    QVERIFY(page.contains(QStringLiteral("McNemar")));
    QVERIFY(page.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(page.trimmed().endsWith(QStringLiteral("</html>")));
}

void TestReports::htmlCapsRowsAndSaysSo()
{
    const RunId a = test::createRun(path(), "many", 12);
    std::vector<LineRecord> lines;
    for (int i = 0; i < 12; ++i) {
        lines.push_back(test::completedLine(a, i, "answer " + std::to_string(i), 10));
    }
    QVERIFY(test::writeLines(path(), std::move(lines)));
    auto store = ExperimentStore::open(path());
    HtmlReportOptions options;
    options.maxRows = 5;
    auto html = HtmlReport::render(*store, {a}, options);
    QVERIFY(html);
    QVERIFY(html->find("Showing the first 5 of 12 rows") != std::string::npos);
    QVERIFY(html->find("answer 4") != std::string::npos);
    QVERIFY(html->find("answer 5") == std::string::npos);
    options.maxRows = 200;
    auto all = HtmlReport::render(*store, {a}, options);
    QVERIFY(all);
    QVERIFY(all->find("All 12 rows") != std::string::npos);
    QVERIFY(all->find("answer 11") != std::string::npos);
}

void TestReports::htmlMarksWordDifferences()
{
    const auto runs = makeTwoRuns();
    auto store = ExperimentStore::open(path());
    auto html = HtmlReport::render(*store, runs);
    QVERIFY(html);
    QVERIFY(html->find("the <del>quick</del><ins>slow</ins> brown fox") != std::string::npos);
    // Rows 1 and 2 differ (and row 3 failed in the candidate); row 0 is identical.
    QCOMPARE(occurrences(*html, "<tr class=\"differs\">"), 3);
}

void TestReports::htmlListsFailures()
{
    const auto runs = makeTwoRuns();
    auto store = ExperimentStore::open(path());
    auto html = HtmlReport::render(*store, runs);
    QVERIFY(html);
    const auto section = html->find("id=\"failures\"");
    QVERIFY(section != std::string::npos);
    const std::string failures = html->substr(section, html->find("</section>", section) - section);
    QVERIFY(failures.find("few-shot: 1 failed line") != std::string::npos);
    QVERIFY(failures.find("upstream &lt;overloaded&gt;") != std::string::npos);
}

void TestReports::jsonReport()
{
    const auto runs = makeTwoRuns();
    auto store = ExperimentStore::open(path());
    JsonReportOptions options;
    options.maxLines = 3;
    auto doc = JsonReport::build(*store, runs, options);
    QVERIFY(doc);
    QCOMPARE((*doc)["format"].get<std::string>(), std::string("flowbench-report"));
    QCOMPARE((*doc)["runs"].size(), std::size_t(2));
    QCOMPARE((*doc)["runs"][1]["lines"]["failed"].get<int>(), 1);
    QCOMPARE((*doc)["comparisons"].size(), std::size_t(1));
    const Value &cmp = (*doc)["comparisons"][0];
    QCOMPARE(cmp["baseline"].get<std::string>(), std::string("zero-shot <i>"));
    QCOMPARE(cmp["evaluators"].size(), std::size_t(2));
    QCOMPARE(cmp["output_differences"].get<int>(), 2);
    const Value &lines = (*doc)["lines"]["few-shot"];
    QCOMPARE(lines.size(), std::size_t(3));
    QCOMPARE(lines[2]["outputs"]["category"].get<std::string>(), std::string("the slow brown fox"));
    QCOMPARE(lines[1]["scores"]["exact_match"]["passed"].get<bool>(), true);
    QVERIFY(std::fabs(lines[1]["scores"]["rouge_l"]["score"].get<double>() - 0.35) < 1e-12);
    options.maxLines = 0;
    auto noLines = JsonReport::build(*store, runs, options);
    QVERIFY(noLines && !noLines->contains("lines"));
}

void TestReports::humanReviewInReports()
{
    const auto runs = makeTwoRuns();
    auto store = ExperimentStore::open(path());
    QVERIFY(store);
    // Run 0: ana pass, pass (line 1 first fail, then corrected), bo pass, fail; stars 4 and 2;
    // a comment. Run 1: no ratings. Blind A/B between them: ana A, A, B; bo tie.
    auto rate = [&](std::int64_t line, const char *rater, RatingKind kind,
                    std::optional<double> score, const char *comment = "") {
        Rating r;
        r.runId = runs[0];
        r.lineIndex = line;
        r.rater = rater;
        r.kind = kind;
        r.score = score;
        r.comment = comment;
        QVERIFY(store->addRating(r));
    };
    rate(0, "ana", RatingKind::PassFail, 1.0);
    rate(1, "ana", RatingKind::PassFail, 0.0);
    rate(1, "ana", RatingKind::PassFail, 1.0);
    rate(0, "bo", RatingKind::PassFail, 1.0);
    rate(1, "bo", RatingKind::PassFail, 0.0);
    rate(0, "ana", RatingKind::Stars, 4.0);
    rate(1, "bo", RatingKind::Stars, 2.0);
    rate(2, "bo", RatingKind::Comment, std::nullopt, "<b>wrong</b> label");
    auto prefer = [&](std::int64_t line, const char *rater, std::optional<RunId> preferred) {
        Preference p;
        p.runA = runs[0];
        p.runB = runs[1];
        p.lineIndex = line;
        p.rater = rater;
        p.preferred = preferred;
        p.leftRun = runs[1];
        QVERIFY(store->addPreference(p));
    };
    prefer(0, "ana", runs[0]);
    prefer(1, "ana", runs[0]);
    prefer(2, "ana", runs[1]);
    prefer(0, "bo", std::nullopt);

    auto data = ReportData::collect(*store, runs);
    QVERIFY(data);
    QVERIFY(data->anyReview());
    QCOMPARE(data->reviews.size(), std::size_t(2));
    const RatingSummary &r = data->reviews[0].ratings;
    QCOMPARE(r.passes, std::size_t(3));
    QCOMPARE(r.fails, std::size_t(1));
    QCOMPARE(*r.passRate(), 0.75);
    QCOMPARE(r.starRatings, std::size_t(2));
    QCOMPARE(r.starsMean, 3.0);
    QCOMPARE(r.comments, std::size_t(1));
    QCOMPARE(r.ratedLines, std::size_t(3));
    QCOMPARE(r.raters, (std::vector<std::string>{"ana", "bo"}));
    QVERIFY(data->reviews[1].ratings.empty());
    // Pass/fail agreement of ana (1 1) and bo (1 0) on lines 0-1: p_o 1/2, p_e 1 x 1/2, 0.
    QCOMPARE(data->reviews[0].passFail.pairs.size(), std::size_t(1));
    QCOMPARE(*data->reviews[0].passFail.pairs[0].kappa->kappa, 0.0);
    // Stars: ana and bo never rated the same line.
    QCOMPARE(data->reviews[0].stars.pairs[0].sharedLines, std::size_t(0));
    QCOMPARE(data->preferences.size(), std::size_t(1));
    QCOMPARE(data->preferences[0].overall.a, std::size_t(2));
    QCOMPARE(data->preferences[0].overall.b, std::size_t(1));
    QCOMPARE(data->preferences[0].overall.ties, std::size_t(1));
    QCOMPARE(data->preferences[0].nameA, data->statistics[0].run.name);

    auto html = HtmlReport::render(*store, runs);
    QVERIFY(html);
    QVERIFY(html->find("<a href=\"#review\">Human review</a>") != std::string::npos);
    QVERIFY(html->find("<td>3 / 1 (75.0\xC2\xA0% pass)</td>") != std::string::npos);
    QVERIFY(html->find("<td>3.00 over 2</td>") != std::string::npos);
    QVERIFY(html->find("<td>ana&ndash;bo 0.000 (2 lines)</td>") != std::string::npos);
    QVERIFY2(html->find("Sign test (ties left out): p = ") != std::string::npos, "sign test");
    QVERIFY(html->find("on 3 decided choices") != std::string::npos);
    QVERIFY(html->find("<b>wrong</b>") == std::string::npos); // comments never raw

    auto doc = JsonReport::build(*store, runs, {});
    QVERIFY(doc);
    const Value &review = (*doc)["human_review"];
    QCOMPARE(review["runs"][0]["ratings"]["passes"].get<int>(), 3);
    QCOMPARE(review["runs"][0]["pass_fail"]["kind"].get<std::string>(), std::string("pass_fail"));
    QCOMPARE(review["runs"][1]["ratings"]["rated_lines"].get<int>(), 0);
    QCOMPARE(review["preferences"][0]["overall"]["ties"].get<int>(), 1);
    QCOMPARE(review["preferences"][0]["sign_test_p"].get<double>(), 1.0);

    // The lines CSV gains a last column with what each rater said of the line.
    std::ostringstream csv;
    QVERIFY(CsvReport::writeLines(*store, runs, csv, 100, true));
    const QStringList csvLines = QString::fromStdString(csv.str()).split(QStringLiteral("\r\n"));
    QVERIFY(csvLines[0].endsWith(QLatin1String(",error,human_ratings")));
    QVERIFY2(csvLines[1].endsWith(QLatin1String(",\"ana: pass, 4 stars; bo: pass\"")),
             qPrintable(csvLines[1]));
    QVERIFY2(csvLines[2].endsWith(QLatin1String(",\"ana: pass; bo: fail, 2 stars\"")),
             qPrintable(csvLines[2]));
    QVERIFY2(csvLines[3].endsWith(QLatin1String(",\"bo: \"\"<b>wrong</b> label\"\"\"")),
             qPrintable(csvLines[3]));
    std::ostringstream plainCsv;
    QVERIFY(CsvReport::writeLines(*store, {runs[1]}, plainCsv, 100, true));
    QVERIFY(plainCsv.str().find("human_ratings") == std::string::npos);

    // Without any review the section is left out.
    auto plain = HtmlReport::render(*store, {runs[1]});
    QVERIFY(plain && plain->find("id=\"review\"") == std::string::npos);
}

void TestReports::wordDiff_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QString>("marked"); // [-removed-] {+added+}
    QTest::newRow("identical") << "same words"
                               << "same words"
                               << "same words";
    QTest::newRow("one-word") << "the quick fox"
                              << "the slow fox"
                              << "the [-quick-]{+slow+} fox";
    QTest::newRow("insert") << "a c"
                            << "a b c"
                            << "a {+b +}c";
    QTest::newRow("delete-punct") << "yes, sure."
                                  << "yes sure."
                                  << "yes[-,-] sure.";
    QTest::newRow("from-empty") << ""
                                << "new text"
                                << "{+new text+}";
    QTest::newRow("to-empty") << "old"
                              << ""
                              << "[-old-]";
    QTest::newRow("utf8-word") << QString::fromUtf8("caf\xC3\xA9 ok") << "cafe ok"
                               << QString::fromUtf8("[-caf\xC3\xA9-]{+cafe+} ok");
}

void TestReports::wordDiff()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QString, marked);
    const auto segments = WordDiff::diff(before.toStdString(), after.toStdString());
    std::string shown;
    std::string a;
    std::string b;
    for (const auto &s : segments) {
        switch (s.kind) {
        case DiffSegment::Kind::Same:
            shown += s.text;
            a += s.text;
            b += s.text;
            break;
        case DiffSegment::Kind::Removed:
            shown += "[-" + s.text + "-]";
            a += s.text;
            break;
        case DiffSegment::Kind::Added:
            shown += "{+" + s.text + "+}";
            b += s.text;
            break;
        }
    }
    QCOMPARE(QString::fromStdString(shown), marked);
    QCOMPARE(QString::fromStdString(a), before);
    QCOMPARE(QString::fromStdString(b), after);
    // Over the comparison budget the middle is replaced whole, still reconstructing both.
    const auto coarse = WordDiff::diff(before.toStdString(), after.toStdString(), 0);
    std::string ca;
    std::string cb;
    for (const auto &s : coarse) {
        ca += s.kind == DiffSegment::Kind::Added ? "" : s.text;
        cb += s.kind == DiffSegment::Kind::Removed ? "" : s.text;
    }
    QCOMPARE(QString::fromStdString(ca), before);
    QCOMPARE(QString::fromStdString(cb), after);
}

void TestReports::ticks_data()
{
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addColumn<double>("step");
    QTest::newRow("unit") << 0.0 << 1.0 << 0.2;
    QTest::newRow("latency") << 0.0 << 870.0 << 200.0;
    QTest::newRow("offset") << 0.35 << 0.92 << 0.2;
    QTest::newRow("large") << 0.0 << 12000.0 << 5000.0;
}

void TestReports::ticks()
{
    QFETCH(double, low);
    QFETCH(double, high);
    QFETCH(double, step);
    const auto t = SvgChart::ticks(low, high);
    QVERIFY(t.size() >= 2);
    QVERIFY(t.front() >= low - 1e-9 && t.back() <= high + 1e-9);
    QVERIFY(t.front() - low < step + 1e-9);
    QVERIFY(high - t.back() < step + 1e-9);
    for (std::size_t i = 1; i < t.size(); ++i) {
        QVERIFY(std::fabs(t[i] - t[i - 1] - step) < 1e-9);
    }
}

QTEST_GUILESS_MAIN(TestReports)
#include "tst_reports.moc"
