// The Evaluate results table over a real store written through core: failed lines first, a
// header click sorts by a score (and back, and by text), "Failed only" and a score threshold
// chosen with the keyboard filter the rows, rows past the first page get their text, and
// activating a row (Enter, double-click) shows that line's nodes. What is checked is what the
// user sees: the view's model data in display order, against the lines as they were written.

#include <ui/evaluate/runresultsmodel.h>
#include <ui/evaluate/runresultsview.h>
#include <ui/experiment/tracemodel.h>

#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

using fb::ui::RunResultsModel;
using fb::ui::RunResultsView;
using fb::ui::TraceModel;

namespace {

constexpr int kLines = 330; // more than one page of RunResultsModel::kPageSize rows

bool isFailed(int i) { return i % 13 == 5; }

// Ties on purpose (i * 37 % 101 repeats every 101 lines) so the tie rule shows.
std::optional<double> similarity(int i)
{
    return isFailed(i) ? std::nullopt : std::optional<double>(double(i * 37 % 101) / 100.0);
}

std::optional<double> latency(int i)
{
    return double(i * 53 % 997);
}

std::optional<double> exactMatch(int i)
{
    return isFailed(i) ? std::nullopt : std::optional<double>(i % 3 == 0 ? 1.0 : 0.0);
}

fb::LineRecord makeLine(fb::RunId run, int i)
{
    fb::LineRecord line;
    line.runId = run;
    line.lineIndex = i;
    line.status = isFailed(i) ? "Failed" : "Completed";
    line.inputs = fb::Value{{"question", "q" + std::to_string(i)}};
    line.durationMs = latency(i);
    line.promptTokens = 10 + i % 7;
    line.completionTokens = 3;
    line.costUsd = 0.0001 * double(i % 11);
    fb::NodeResultRecord answer{"answer",
                                "variant_1",
                                isFailed(i) ? "Failed" : "Completed",
                                isFailed(i) ? fb::Value() : fb::Value("a" + std::to_string(i)),
                                isFailed(i) ? "HTTP 500 #" + std::to_string(i) : "",
                                20.0 + i};
    fb::NodeResultRecord judge{"judge",
                               "",
                               isFailed(i) ? "Bypassed" : "Completed",
                               isFailed(i) ? fb::Value() : fb::Value{{"ok", i % 2 == 0}},
                               "",
                               5.0};
    line.nodes = {answer, judge};
    fb::LlmCallRecord call;
    call.node = "answer";
    call.model = "gpt-sim";
    call.promptTokens = line.promptTokens;
    call.completionTokens = 3;
    call.latencyMs = 20.0 + i;
    call.httpStatus = isFailed(i) ? 500 : 200;
    line.llmCalls = {call};
    if (isFailed(i)) {
        line.error = "node 'answer': HTTP 500 #" + std::to_string(i);
        line.outputs = fb::Value::object();
    } else {
        line.outputs = fb::Value{{"answer", "a" + std::to_string(i)}};
        line.scores = {{0, "exact_match", exactMatch(i), *exactMatch(i) == 1.0, ""},
                       {0, "similarity", similarity(i), std::nullopt, ""}};
    }
    return line;
}

/// The lines in the order a stable sort by `key` gives them: missing keys last either way.
std::vector<qint64> expectedOrder(std::optional<double> (*key)(int), bool descending)
{
    std::vector<qint64> lines(kLines);
    for (int i = 0; i < kLines; ++i) {
        lines[std::size_t(i)] = i;
    }
    std::stable_sort(lines.begin(), lines.end(), [&](qint64 a, qint64 b) {
        const auto ka = key(int(a));
        const auto kb = key(int(b));
        if (!ka || !kb) {
            return ka.has_value() && !kb.has_value();
        }
        return descending ? *ka > *kb : *ka < *kb;
    });
    return lines;
}

std::vector<qint64> failedFirst()
{
    std::vector<qint64> lines;
    for (bool failed : {true, false}) {
        for (int i = 0; i < kLines; ++i) {
            if (isFailed(i) == failed) {
                lines.push_back(i);
            }
        }
    }
    return lines;
}

int failedCount()
{
    int n = 0;
    for (int i = 0; i < kLines; ++i) {
        n += isFailed(i);
    }
    return n;
}

int columnNamed(const QAbstractItemModel *model, const QString &name)
{
    for (int c = 0; c < model->columnCount(); ++c) {
        if (model->headerData(c, Qt::Horizontal).toString() == name) {
            return c;
        }
    }
    return -1;
}

/// The line numbers the table shows, top to bottom (all rows).
std::vector<qint64> shownLines(const QTableView *table)
{
    const QAbstractItemModel *model = table->model();
    const int column = columnNamed(model, QStringLiteral("Line"));
    std::vector<qint64> lines;
    for (int row = 0; row < model->rowCount(); ++row) {
        lines.push_back(model->index(row, column).data().toString().toLongLong());
    }
    return lines;
}

void clickHeader(QTableView *table, int column)
{
    table->scrollTo(table->model()->index(0, column));
    QHeaderView *header = table->horizontalHeader();
    const int x = header->sectionViewportPosition(column) + header->sectionSize(column) / 2;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
}

} // namespace

class TestRunResults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void opensWithFailedLinesFirst();
    void headerClickSortsByScore();
    void headerClickSortsByText();
    void textSortRefusedOnBigRuns();
    void failedOnlyChosenWithKeyboard();
    void scoreThresholdFilter();
    void rowsPastFirstPageGetTheirText();
    void activatingRowShowsItsNodes();
    void missingStoreFails();

private:
    // Opens the test run in a fresh view and waits for its rows.
    void openView();

    QTemporaryDir m_dir;
    QString m_store;
    fb::RunId m_run;
    std::unique_ptr<RunResultsView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestRunResults::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_store = m_dir.filePath(QStringLiteral("experiments.sqlite"));
    auto store = fb::ExperimentStore::open(m_store.toStdString());
    QVERIFY2(store, store ? "" : store.error().message.c_str());
    auto flow = store->internFlow("h", "classification", "flows/classification", "{}");
    QVERIFY(flow);
    fb::RunSpec spec;
    spec.name = "results";
    spec.flowId = *flow;
    spec.totalLines = kLines;
    auto run = store->createRun(spec);
    QVERIFY(run);
    m_run = *run;
    auto writer = fb::StoreWriter::open(m_store.toStdString());
    QVERIFY(writer);
    for (int i = kLines - 1; i >= 0; --i) {
        (*writer)->submit(makeLine(m_run, i));
    }
    QVERIFY((*writer)->flush());
}

void TestRunResults::init()
{
    // Every warning fails the test, except the offscreen platform's note about size hints.
    QTest::failOnWarning(QRegularExpression(
        QStringLiteral("^(?!This plugin does not support propagateSizeHints).*")));
}

void TestRunResults::cleanup()
{
    m_tester.reset();
    m_view.reset();
}

void TestRunResults::openView()
{
    m_view = std::make_unique<RunResultsView>();
    m_view->resize(1400, 700);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    // Fatal: any broken model rule aborts the test where it happens.
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_view->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QString error;
    QVERIFY2(m_view->openRun(m_store, m_run, &error), qPrintable(error));
    QTRY_VERIFY(m_view->model()->isLoaded());
    QTRY_VERIFY(m_view->model()->hasScoreKeys());
}

void TestRunResults::opensWithFailedLinesFirst()
{
    openView();
    QTableView *table = m_view->table();
    const QAbstractItemModel *model = table->model();
    QCOMPARE(model->rowCount(), kLines);
    QCOMPARE(shownLines(table), failedFirst());
    const int status = columnNamed(model, QStringLiteral("Status"));
    for (int row = 0; row < model->rowCount(); ++row) {
        const bool failed = isFailed(int(failedFirst()[std::size_t(row)]));
        QCOMPARE(model->index(row, status).data().toString(),
                 failed ? QStringLiteral("Failed") : QStringLiteral("Completed"));
    }
    QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), status);
    QCOMPARE(m_view->statusLabel()->text(),
             QStringLiteral("%1 lines · %2 failed").arg(kLines).arg(failedCount()));

    // The text columns arrive from the store a page at a time.
    const int question = columnNamed(model, QStringLiteral("question"));
    const int answer = columnNamed(model, QStringLiteral("answer"));
    const int error = columnNamed(model, QStringLiteral("Error"));
    QVERIFY(question > 0 && answer > 0 && error > 0);
    QTRY_COMPARE(model->index(0, question).data().toString(), QStringLiteral("q5"));
    QCOMPARE(model->index(0, error).data().toString(),
             QStringLiteral("node 'answer': HTTP 500 #5"));
    QCOMPARE(model->index(0, answer).data().toString(), QString());
    const int firstPassed = failedCount();
    QTRY_COMPARE(model->index(firstPassed, answer).data().toString(), QStringLiteral("a0"));
    QCOMPARE(model->index(firstPassed, answer).data(Qt::ToolTipRole).toString(),
             QStringLiteral("a0"));
    const int latency = columnNamed(model, QStringLiteral("Latency"));
    QCOMPARE(model->index(firstPassed + 1, latency).data().toString(), QStringLiteral("53 ms"));
}

void TestRunResults::headerClickSortsByScore()
{
    openView();
    QTableView *table = m_view->table();
    const QAbstractItemModel *model = table->model();
    const int column = columnNamed(model, QStringLiteral("similarity"));
    QVERIFY(column > 0);

    // First click: best scores first; lines without a score (the failed ones) last.
    QSignalSpy ordered(m_view->model(), &RunResultsModel::orderChanged);
    clickHeader(table, column);
    QVERIFY(ordered.wait(5000));
    QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), column);
    QCOMPARE(table->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    QCOMPARE(shownLines(table), expectedOrder(&similarity, true));
    double previous = 2;
    for (int row = 0; row < kLines - failedCount(); ++row) {
        const double shown = model->index(row, column).data().toDouble();
        QVERIFY2(shown <= previous, qPrintable(QString::number(row)));
        previous = shown;
    }
    QCOMPARE(model->index(kLines - 1, column).data().toString(), QString());

    // Second click: the other way; still missing scores last.
    clickHeader(table, column);
    QVERIFY(ordered.wait(5000));
    QCOMPARE(table->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
    QCOMPARE(shownLines(table), expectedOrder(&similarity, false));

    // And the status column puts the failed lines first again.
    clickHeader(table, columnNamed(model, QStringLiteral("Status")));
    QVERIFY(ordered.wait(5000));
    QCOMPARE(shownLines(table), failedFirst());
}

void TestRunResults::headerClickSortsByText()
{
    openView();
    QTableView *table = m_view->table();
    const int column = columnNamed(table->model(), QStringLiteral("question"));
    QSignalSpy ordered(m_view->model(), &RunResultsModel::orderChanged);
    clickHeader(table, column);
    QVERIFY(ordered.wait(5000));
    // "q0" < "q1" < "q10" < "q100" < "q101" …: by the text, not the number in it.
    std::vector<qint64> expected(kLines);
    for (int i = 0; i < kLines; ++i) {
        expected[std::size_t(i)] = i;
    }
    std::stable_sort(expected.begin(), expected.end(), [](qint64 a, qint64 b) {
        return "q" + std::to_string(a) < "q" + std::to_string(b);
    });
    QCOMPARE(shownLines(table), expected);
}

void TestRunResults::textSortRefusedOnBigRuns()
{
    openView();
    QTableView *table = m_view->table();
    m_view->model()->setTextSortLimit(kLines - 1);
    const int status = columnNamed(table->model(), QStringLiteral("Status"));
    QSignalSpy refused(m_view->model(), &RunResultsModel::sortRefused);
    clickHeader(table, columnNamed(table->model(), QStringLiteral("question")));
    QCOMPARE(refused.count(), 1);
    // The order and the header stay as they were, and the user is told why.
    QVERIFY(!m_view->model()->isSortPending());
    QCOMPARE(table->horizontalHeader()->sortIndicatorSection(), status);
    QCOMPARE(table->horizontalHeader()->sortIndicatorOrder(), Qt::AscendingOrder);
    QCOMPARE(shownLines(table), failedFirst());
    auto *message = m_view->findChild<QLabel *>(QStringLiteral("resultsMessage"));
    QVERIFY(message && message->isVisible());
    QVERIFY(message->text().contains(QString::number(kLines - 1)));
    // A number column still sorts: the slowest lines first.
    QSignalSpy ordered(m_view->model(), &RunResultsModel::orderChanged);
    clickHeader(table, columnNamed(table->model(), QStringLiteral("Latency")));
    QVERIFY(ordered.wait(5000));
    QVERIFY(!message->isVisible());
    QCOMPARE(shownLines(table), expectedOrder(&latency, true));
}

void TestRunResults::failedOnlyChosenWithKeyboard()
{
    openView();
    QTableView *table = m_view->table();
    QComboBox *filter = m_view->filterCombo();
    QCOMPARE(filter->currentText(), QStringLiteral("All lines"));
    filter->setFocus();
    QTest::keyClick(filter, Qt::Key_Down);
    QCOMPARE(filter->currentText(), QStringLiteral("Failed only"));

    std::vector<qint64> failed;
    for (int i = 0; i < kLines; ++i) {
        if (isFailed(i)) {
            failed.push_back(i);
        }
    }
    QCOMPARE(shownLines(table), failed);
    const int status = columnNamed(table->model(), QStringLiteral("Status"));
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        QCOMPARE(table->model()->index(row, status).data().toString(), QStringLiteral("Failed"));
    }
    QCOMPARE(m_view->statusLabel()->text(), QStringLiteral("%1 shown of %2 lines · %3 failed")
                                                .arg(failedCount())
                                                .arg(kLines)
                                                .arg(failedCount()));

    // Back to all lines with the key that came.
    QTest::keyClick(filter, Qt::Key_Up);
    QCOMPARE(table->model()->rowCount(), kLines);
}

void TestRunResults::scoreThresholdFilter()
{
    openView();
    QTableView *table = m_view->table();
    QComboBox *filter = m_view->filterCombo();
    filter->setFocus();
    // All lines, Failed only, exact_match passed, exact_match not passed, similarity …
    for (int i = 0; i < 4; ++i) {
        QTest::keyClick(filter, Qt::Key_Down);
    }
    QCOMPARE(filter->currentText(), QStringLiteral("similarity: passed (≥ threshold)"));
    QVERIFY(m_view->thresholdBox()->isEnabled());
    m_view->thresholdBox()->setFocus();
    m_view->thresholdBox()->selectAll();
    QTest::keyClicks(m_view->thresholdBox(), QStringLiteral("0.9"));
    QTRY_COMPARE(m_view->model()->filterThreshold(), 0.9);

    std::vector<qint64> expected;
    for (qint64 i : failedFirst()) { // the order shown: failed first (none pass), then by line
        if (similarity(int(i)) && *similarity(int(i)) >= 0.9) {
            expected.push_back(i);
        }
    }
    QVERIFY(!expected.empty());
    QCOMPARE(shownLines(table), expected);

    QTest::keyClick(filter, Qt::Key_Down); // similarity: not passed
    std::vector<qint64> below;
    for (qint64 i : failedFirst()) {
        if (similarity(int(i)) && *similarity(int(i)) < 0.9) {
            below.push_back(i);
        }
    }
    QCOMPARE(shownLines(table), below);
}

void TestRunResults::rowsPastFirstPageGetTheirText()
{
    openView();
    QTableView *table = m_view->table();
    const QAbstractItemModel *model = table->model();
    const int question = columnNamed(model, QStringLiteral("question"));
    const std::vector<qint64> order = failedFirst();
    // Rows on both sides of the first page boundary, and the last row.
    for (int row : {RunResultsModel::kPageSize - 1, RunResultsModel::kPageSize, kLines - 1}) {
        table->scrollTo(model->index(row, question));
        const QString expected = QStringLiteral("q%1").arg(order[std::size_t(row)]);
        QTRY_COMPARE(model->index(row, question).data().toString(), expected);
    }
}

void TestRunResults::activatingRowShowsItsNodes()
{
    openView();
    QTableView *table = m_view->table();
    const QAbstractItemModel *model = table->model();
    TraceModel *trace = m_view->traceModel();
    QAbstractItemModelTester traceTester(trace,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy shown(m_view.get(), &RunResultsView::detailShown);

    // Enter on a completed line.
    const int row = failedCount() + 7;
    const qint64 line = failedFirst()[std::size_t(row)];
    table->setFocus();
    const QRect cell = table->visualRect(model->index(row, 0));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(table->currentIndex().row(), row);
    QTest::keyClick(table, Qt::Key_Return);
    QVERIFY(shown.wait(5000));
    QCOMPARE(shown.last().first().toLongLong(), line);
    QCOMPARE(m_view->detailLineIndex(), line);
    QCOMPARE(trace->rowCount(), 2);
    const int answer = trace->rowOf(QStringLiteral("answer"));
    QVERIFY(answer >= 0);
    QCOMPARE(trace->index(answer, TraceModel::OutputColumn).data().toString(),
             QStringLiteral("a%1").arg(line));
    QCOMPARE(trace->index(answer, TraceModel::StatusColumn).data().toString(),
             QStringLiteral("Completed"));
    QCOMPARE(trace->index(answer, TraceModel::VariantColumn).data().toString(),
             QStringLiteral("variant_1"));
    const int judge = trace->rowOf(QStringLiteral("judge"));
    QCOMPARE(trace->index(judge, TraceModel::OutputColumn).data().toString(),
             QStringLiteral("{\"ok\":%1}").arg(line % 2 == 0 ? "true" : "false"));
    QVERIFY(m_view->detailText()->toPlainText().contains(QStringLiteral("\"q%1\"").arg(line)));

    // Double-click on a failed line: its error where the output would be.
    const int failedRow = 2;
    const qint64 failedLine = failedFirst()[std::size_t(failedRow)];
    QVERIFY(isFailed(int(failedLine)));
    // As a mouse does it: a click, then the double-click.
    const QPoint failedCell = table->visualRect(model->index(failedRow, 0)).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, failedCell);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, failedCell);
    QVERIFY(shown.wait(5000));
    QCOMPARE(m_view->detailLineIndex(), failedLine);
    const int failedAnswer = trace->rowOf(QStringLiteral("answer"));
    QCOMPARE(trace->index(failedAnswer, TraceModel::StatusColumn).data().toString(),
             QStringLiteral("Failed"));
    QCOMPARE(trace->index(failedAnswer, TraceModel::OutputColumn).data().toString(),
             QStringLiteral("HTTP 500 #%1").arg(failedLine));
    QVERIFY(m_view->detailText()->toPlainText().contains(
        QStringLiteral("Error: node 'answer': HTTP 500 #%1").arg(failedLine)));
}

void TestRunResults::missingStoreFails()
{
    RunResultsView view;
    QString error;
    QVERIFY(!view.openRun(m_dir.filePath(QStringLiteral("nothing.sqlite")), m_run, &error));
    QVERIFY(error.contains(QStringLiteral("nothing.sqlite")));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("nothing.sqlite"))));
    QCOMPARE(view.model()->rowCount(), 0);
}

QTEST_MAIN(TestRunResults)
#include "tst_ui_runresults.moc"
