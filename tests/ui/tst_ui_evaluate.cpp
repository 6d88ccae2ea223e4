// Evaluate mode driven as a user drives it: click the Evaluate mode, tick a second variant and
// an evaluator, press Start Experiment, watch the progress reach every line; cancel another
// experiment half way, select it in the runs list, press Resume and get exactly N lines per run
// — checked on what the window shows and on the real SQLite store the runs went to (against
// the real simulator process).

#include <ui/app/languagemanager.h>
#include <ui/app/mainwindow.h>
#include <ui/app/uiresources.h>
#include <ui/evaluate/runresultsview.h>
#include <ui/evaluate/runsmodel.h>

#include <core/bundle/runbundle.h>
#include <core/report/runcomparison.h>
#include <core/store/experimentstore.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QCompleter>
#include <QAbstractItemView>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <set>

#include <curl/curl.h>

#include "../common/filetree.h"
#include "../common/savedialog.h"

using fb::ui::MainWindow;

namespace {

using fb::test::copyTree;
using fb::test::readAll;

constexpr int kRows = 40; // lines of flows/classification/data.jsonl


/// A shown 1280×800 main window on a workspace in a temporary folder with the classification
/// sample (two variants of `classify`, 40 labelled rows) open, in Evaluate mode.
struct Workbench
{
    QTemporaryDir dir;
    fb::ui::LanguageManager language;
    MainWindow window{&language};
    QString flow;

    bool open()
    {
        QString error;
        if (!window.openWorkspace(dir.filePath(QStringLiteral("ws")), &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        flow = dir.filePath(QStringLiteral("ws/classification"));
        if (!copyTree(QStringLiteral(FB_SOURCE_DIR "/flows/classification"), flow)) {
            return false;
        }
        window.setWindowState(Qt::WindowNoState);
        window.resize(1280, 800);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) {
            return false;
        }
        window.resize(1280, 800);
        if (!window.openFlow(flow, &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        // The mode bar's third button, as a user clicks it.
        auto *mode = window.findChild<QToolButton *>(QStringLiteral("modeButton2"));
        if (!mode) {
            return false;
        }
        QTest::mouseClick(mode, Qt::LeftButton);
        return window.mode() == MainWindow::Mode::Evaluate;
    }

    template<typename T>
    T *find(const QString &name) const
    {
        return window.findChild<T *>(name);
    }

    QString storePath() const { return dir.filePath(QStringLiteral("ws/.flowbench/experiments.sqlite")); }

    void tick(const QString &checkbox) const
    {
        auto *box = find<QCheckBox>(checkbox);
        QVERIFY2(box, qPrintable(checkbox));
        QVERIFY(box->isVisible());
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    }

    /// The runs table's text in a column for the run named `name` (as shown).
    QString runCell(const QString &name, int column) const
    {
        auto *view = find<QTableView>(QStringLiteral("runsTable"));
        for (int r = 0; view && r < view->model()->rowCount(); ++r) {
            if (view->model()->index(r, 0).data().toString() == name) {
                return view->model()->index(r, column).data().toString();
            }
        }
        return {};
    }
};


/// Clicks Export Report… and answers the save dialog, which opens in the workspace folder, by
/// typing `fileName` and clicking Save.
bool saveReportAs(Workbench &wb, const QString &fileName)
{
    auto *exportButton = wb.find<QPushButton>(QStringLiteral("exportReport"));
    if (!exportButton || !exportButton->isEnabled()) {
        qWarning("Export Report is not enabled");
        return false;
    }
    return fb::test::saveThroughDialog(exportButton, fileName);
}

} // namespace

class TestEvaluate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FLOWBENCH_SECRET_STORE", "file");
        qputenv("FLOWBENCH_SIM", FLOWBENCH_SIM_EXECUTABLE);
        QCoreApplication::setOrganizationName(QStringLiteral("FlowbenchTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_evaluate"));
        fb::ui::initResources();
    }

    void cleanupTestCase() { curl_global_cleanup(); }

    void init()
    {
        // Every warning fails the test, except the offscreen platform's notes on what it lacks
        // (size hints; raise() and keyboard grabs, which the file dialog's completer asks for).
        QTest::failOnWarning(QRegularExpression(QStringLiteral(
            "^(?!This plugin does not support (propagateSizeHints|raise|grabbing)).*")));
        QSettings().clear();
    }

    // Launch a two-variant experiment against the simulator and watch it reach 100 %.
    void twoVariantExperimentRunsEveryLine()
    {
        Workbench wb;
        QVERIFY(wb.open());
        auto *runsView = wb.find<QTableView>(QStringLiteral("runsTable"));
        QVERIFY(runsView);
        QAbstractItemModelTester tester(runsView->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *target = wb.find<QComboBox>(QStringLiteral("experimentTarget"));
        QVERIFY(target);
        QVERIFY(target->currentText().contains(QLatin1String("Simulator")));
        // variant_0 is ticked as the default; tick variant_1 too: a cross product of two.
        QVERIFY(wb.find<QCheckBox>(QStringLiteral("classify.variant_0"))->isChecked());
        wb.tick(QStringLiteral("classify.variant_1"));
        QVERIFY(wb.find<QCheckBox>(QStringLiteral("classify.variant_1"))->isChecked());
        wb.tick(QStringLiteral("evaluator_exact_match"));
        auto *reference = wb.find<QComboBox>(QStringLiteral("evaluatorReference_exact_match"));
        QVERIFY(reference);
        QCOMPARE(reference->currentText(), QStringLiteral("groundtruth"));
        auto *summary = wb.find<QLabel>(QStringLiteral("experimentSummary"));
        QVERIFY2(summary->text().contains(QLatin1String("80")), qPrintable(summary->text()));

        auto *start = wb.find<QPushButton>(QStringLiteral("startExperiment"));
        QVERIFY(start && start->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(!start->isEnabled());
        auto *progress = wb.find<QProgressBar>(QStringLiteral("experimentProgress"));
        QTRY_COMPARE_WITH_TIMEOUT(progress->maximum(), 2 * kRows, 30000);
        // Per-run bars for the cross product.
        QCOMPARE(wb.window.findChildren<QProgressBar *>(QStringLiteral("runProgress")).size(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 120000);
        QCOMPARE(progress->value(), 2 * kRows);
        auto *status = wb.find<QLabel>(QStringLiteral("experimentStatus"));
        QVERIFY2(status->text().startsWith(QLatin1String("Finished")), qPrintable(status->text()));
        QVERIFY2(status->text().contains(QLatin1String("SIMULATED")), qPrintable(status->text()));
        auto *stats = wb.find<QLabel>(QStringLiteral("experimentStats"));
        QVERIFY2(stats->text().startsWith(QStringLiteral("80 of 80 lines")), qPrintable(stats->text()));

        // The runs list shows both runs, completed, every line.
        QTRY_COMPARE(runsView->model()->rowCount(), 2);
        QString v0, v1;
        for (int r = 0; r < 2; ++r) {
            const QString name = runsView->model()->index(r, 0).data().toString();
            (name.endsWith(QLatin1String("/variant_0")) ? v0 : v1) = name;
        }
        QVERIFY(v0.endsWith(QLatin1String("/variant_0")) && v1.endsWith(QLatin1String("/variant_1")));
        QTRY_COMPARE(wb.runCell(v0, fb::ui::RunsModel::Status), QStringLiteral("Completed"));
        QCOMPARE(wb.runCell(v1, fb::ui::RunsModel::Status), QStringLiteral("Completed"));
        QCOMPARE(wb.runCell(v0, fb::ui::RunsModel::Lines), QStringLiteral("40 / 40"));
        QCOMPARE(wb.runCell(v1, fb::ui::RunsModel::Variants), QStringLiteral("variant_1"));

        // What ran is what the form said: the store holds both variants, every line, scored.
        auto store = fb::ExperimentStore::open(wb.storePath().toStdString());
        QVERIFY(store);
        auto runs = store->runs();
        QVERIFY(runs);
        QCOMPARE(runs->size(), std::size_t(2));
        std::set<std::string> variants;
        for (const auto &run : *runs) {
            variants.insert(run.variants.value("classify", std::string()));
            QCOMPARE(*store->lineCount(run.id), std::int64_t(kRows));
            QVERIFY(run.parameters.value("simulator", false));
            const auto evaluators = run.parameters.value("evaluators", fb::Value::array());
            QCOMPARE(evaluators.size(), std::size_t(1));
            QCOMPARE(evaluators[0].value("reference", std::string()), std::string("groundtruth"));
            QCOMPARE(std::int64_t(store->scores(run.id)->size()), run.completedLines);
        }
        QCOMPARE(variants, (std::set<std::string>{"variant_0", "variant_1"}));

        // The page fits the 1280-pixel window in every language, with runs and lines shown.
        for (const char *language : {"pl", "zh_CN", "en"}) {
            wb.language.apply(QString::fromLatin1(language));
            QCoreApplication::processEvents();
            QVERIFY2(wb.window.minimumSizeHint().width() <= 1280,
                     qPrintable(QStringLiteral("%1: the window needs %2 px")
                                    .arg(QLatin1String(language))
                                    .arg(wb.window.minimumSizeHint().width())));
        }

        // Click a run: its lines show below the list, failed lines first.
        const QRect v1Cell = runsView->visualRect(runsView->model()->index(
            v1 == runsView->model()->index(0, 0).data().toString() ? 0 : 1, 0));
        QTest::mouseClick(runsView->viewport(), Qt::LeftButton, {}, v1Cell.center());
        auto *results = wb.find<fb::ui::RunResultsView>(QStringLiteral("runResults"));
        QVERIFY(results);
        QTRY_COMPARE_WITH_TIMEOUT(results->table()->model()->rowCount(), kRows, 10000);
        QVERIFY(results->isVisible());

        // Export both runs: select them all in the list, Export Report…, type a file name.
        runsView->setFocus();
        QTest::keyClick(runsView, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(runsView->selectionModel()->selectedRows().size(), 2);
        const QString html = wb.dir.filePath(QStringLiteral("ws/report.html"));
        const QString csv = wb.dir.filePath(QStringLiteral("ws/lines.csv"));
        auto *open = wb.find<QPushButton>(QStringLiteral("openReport"));
        QVERIFY(!open->isEnabled());
        QVERIFY(saveReportAs(wb, QStringLiteral("report.html")));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Report written")), 30000);
        QVERIFY(open->isEnabled()); // an HTML report opens in the browser
        const QString page = QString::fromUtf8(readAll(html));
        QVERIFY(page.startsWith(QLatin1String("<!DOCTYPE html>")));
        QVERIFY(page.contains(v0) && page.contains(v1));
        QVERIFY(page.contains(QLatin1String("exact_match")));
        QVERIFY(page.contains(QLatin1String("Simulated (flowbench-sim).")));

        QVERIFY(saveReportAs(wb, QStringLiteral("lines.csv")));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QLatin1String("lines.metrics.csv")), 30000);
        QVERIFY(!open->isEnabled()); // a CSV file is not a page
        const QList<QByteArray> rows = readAll(csv).trimmed().split('\n');
        QCOMPARE(rows.size(), 1 + 2 * kRows); // header + every line of both runs
        QVERIFY(rows.first().contains("exact_match"));
        int fromV1 = 0;
        for (const QByteArray &row : rows) {
            fromV1 += row.contains(v1.toUtf8()) ? 1 : 0;
        }
        QCOMPARE(fromV1, kRows);
        const QByteArray metrics = readAll(wb.dir.filePath(QStringLiteral("ws/lines.metrics.csv")));
        QVERIFY(metrics.contains(v0.toUtf8()) && metrics.contains(v1.toUtf8()));

        // A run bundle of both, typed as its file name: core reads it back with both runs.
        QVERIFY(saveReportAs(wb, QStringLiteral("review.fbbundle")));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QLatin1String("Report written"))
                                     && status->text().contains(QLatin1String("review.fbbundle")),
                                 30000);
        auto bundle = fb::RunBundle::open(wb.dir.filePath(QStringLiteral("ws/review.fbbundle")).toStdString());
        QVERIFY2(bundle, bundle ? "" : bundle.error().message.c_str());
        std::set<std::string> bundled;
        for (const auto &r : bundle->manifest().runs) {
            bundled.insert(r.name);
        }
        QCOMPARE(bundled, (std::set<std::string>{v0.toStdString(), v1.toStdString()}));

        // Compare the two runs: the older (variant_0) is the baseline; the verdict is in words.
        auto *compare = wb.find<QPushButton>(QStringLiteral("compareRuns"));
        QVERIFY(compare && compare->isEnabled());
        QTest::mouseClick(compare, Qt::LeftButton);
        auto *compareView = wb.find<QWidget>(QStringLiteral("compareView"));
        QVERIFY(compareView);
        QTRY_VERIFY(compareView->isVisible());
        auto *verdicts = wb.find<QLabel>(QStringLiteral("compareVerdicts"));
        QTRY_VERIFY_WITH_TIMEOUT(!verdicts->text().isEmpty(), 20000);
        qInfo("%s", qPrintable(verdicts->text()));
        auto *compareSummary = wb.find<QLabel>(QStringLiteral("compareSummary"));
        QVERIFY2(compareSummary->text().startsWith(QStringLiteral("Baseline %1 · candidates: 1 ·").arg(v0)),
                 qPrintable(compareSummary->text()));
        auto *rowsTable = wb.find<QTableView>(QStringLiteral("compareRows"));
        QAbstractItemModelTester rowsTester(rowsTable->model(),
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(rowsTable->model()->rowCount(), kRows);
        QCOMPARE(rowsTable->model()->headerData(1, Qt::Horizontal).toString(),
                 QStringLiteral("%1 (baseline)").arg(v0));
        // The figures core computes on its own path: rows whose outputs differ, and the verdict.
        auto comparison = fb::RunComparison::compare(*store, store->findRunByName(v0.toStdString())->id,
                                                     store->findRunByName(v1.toStdString())->id);
        QVERIFY(comparison);
        const auto *exact = comparison->evaluator("exact_match");
        QVERIFY(exact && exact->mcnemar);
        // "Only rows that differ", picked with the keyboard.
        auto *filter = wb.find<QComboBox>(QStringLiteral("compareFilter"));
        filter->setFocus();
        QTest::keyClick(filter, Qt::Key_Down);
        QCOMPARE(filter->currentText(), QStringLiteral("Only rows that differ"));
        QCOMPARE(rowsTable->model()->rowCount(), int(comparison->outputDifferences));
        QVERIFY(comparison->outputDifferences > 0);
        // Regressions and improvements are the discordant pairs of the McNemar table.
        QTest::keyClick(filter, Qt::Key_Down);
        QCOMPARE(rowsTable->model()->rowCount(), int(exact->mcnemar->onlyA));
        QTest::keyClick(filter, Qt::Key_Down);
        QCOMPARE(filter->currentText(), QStringLiteral("Improvements"));
        QCOMPARE(rowsTable->model()->rowCount(), int(exact->mcnemar->onlyB));
        QVERIFY(exact->mcnemar->onlyB > 0);
        // Click the first improved row: both outputs show, the changed words marked.
        QTRY_VERIFY(rowsTable->model()->index(0, 2).data().toString() != QStringLiteral("…"));
        QTest::mouseClick(rowsTable->viewport(), Qt::LeftButton, {},
                          rowsTable->visualRect(rowsTable->model()->index(0, 2)).center());
        auto *detail = wb.find<QTextBrowser>(QStringLiteral("compareDetail"));
        QTRY_VERIFY_WITH_TIMEOUT(detail->toPlainText().contains(v1), 10000);
        QVERIFY(detail->toPlainText().contains(v0 + QStringLiteral(" (baseline)")));
        QVERIFY2(detail->toHtml().contains(QLatin1String("line-through")), qPrintable(detail->toHtml()));
        // The row's cell shows the run's outputs; the detail shows them whole.
        const QJsonObject shown
            = QJsonDocument::fromJson(rowsTable->model()->index(0, 2).data().toString().toUtf8())
                  .object();
        QVERIFY(!shown.value(QStringLiteral("category")).toString().isEmpty());
        QVERIFY2(detail->toPlainText().contains(shown.value(QStringLiteral("category")).toString()),
                 qPrintable(detail->toPlainText()));
        // The other run as the baseline: the improvements become regressions.
        auto *baseline = wb.find<QComboBox>(QStringLiteral("compareBaseline"));
        baseline->setFocus();
        QTest::keyClick(baseline, Qt::Key_Down);
        QTRY_VERIFY_WITH_TIMEOUT(compareSummary->text().startsWith(QStringLiteral("Baseline %1").arg(v1)),
                                 20000);
        QTest::keyClick(filter, Qt::Key_Up); // Regressions
        QCOMPARE(filter->currentText(), QStringLiteral("Regressions"));
        QCOMPARE(rowsTable->model()->rowCount(), int(exact->mcnemar->onlyB));

        // The Charts tab draws the selected runs: quality per run with its interval.
        auto *tabs = wb.find<QTabWidget>(QStringLiteral("evaluateViews"));
        QVERIFY(tabs);
        QTabBar *bar = tabs->tabBar();
        const int chartsTab = tabs->indexOf(wb.find<QWidget>(QStringLiteral("runCharts")));
        QCOMPARE(bar->tabText(chartsTab), QStringLiteral("Charts"));
        QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(chartsTab).center());
        auto *chartView = wb.find<QChartView>(QString());
        QTRY_VERIFY_WITH_TIMEOUT(chartView = [&]() -> QChartView * {
            for (auto *v : wb.window.findChildren<QChartView *>()) {
                if (v->isVisible() && v->chart()
                    && v->chart()->title().contains(QLatin1String("exact_match"))) {
                    return v;
                }
            }
            return nullptr;
        }(), 20000);
        QVERIFY2(chartView->chart()->title().startsWith(QLatin1String("Quality")),
                 qPrintable(chartView->chart()->title()));
    }

    // Cancel an experiment half way; Resume runs exactly the missing lines.
    void cancelledExperimentResumesToEveryLine()
    {
        Workbench wb;
        QVERIFY(wb.open());
        wb.tick(QStringLiteral("classify.variant_1"));
        // One line at a time, typed into the form, so the cancel lands half way.
        auto *concurrency = wb.find<QSpinBox>(QStringLiteral("experimentConcurrency"));
        QVERIFY(concurrency);
        concurrency->setFocus();
        QTest::keyClick(concurrency, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(concurrency, QStringLiteral("1"));
        QTest::keyClick(concurrency, Qt::Key_Tab);
        QCOMPARE(concurrency->value(), 1);

        auto *start = wb.find<QPushButton>(QStringLiteral("startExperiment"));
        auto *cancel = wb.find<QPushButton>(QStringLiteral("cancelExperiment"));
        auto *progress = wb.find<QProgressBar>(QStringLiteral("experimentProgress"));
        QTest::mouseClick(start, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(progress->maximum() == 2 * kRows && progress->value() >= 3, 60000);
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 60000);
        auto *status = wb.find<QLabel>(QStringLiteral("experimentStatus"));
        QVERIFY2(status->text().startsWith(QLatin1String("Cancelled")), qPrintable(status->text()));

        auto *runsView = wb.find<QTableView>(QStringLiteral("runsTable"));
        QTRY_COMPARE(runsView->model()->rowCount(), 2);
        QTRY_COMPARE(runsView->model()->index(0, fb::ui::RunsModel::Status).data().toString(),
                     QStringLiteral("Cancelled"));
        std::int64_t storedBefore = 0;
        {
            auto store = fb::ExperimentStore::open(wb.storePath().toStdString());
            QVERIFY(store);
            auto runs = store->runs();
            QVERIFY(runs);
            for (const auto &run : *runs) {
                QCOMPARE(run.status, fb::RunState::Cancelled);
                storedBefore += *store->lineCount(run.id);
            }
        }
        QVERIFY2(storedBefore >= 3 && storedBefore < 2 * kRows,
                 qPrintable(QString::number(storedBefore)));

        // Select the first run as a user does (click its row), then Resume.
        auto *resume = wb.find<QPushButton>(QStringLiteral("resumeRun"));
        QVERIFY(resume);
        runsView->clearSelection();
        QVERIFY(!resume->isEnabled());
        const QRect cell = runsView->visualRect(runsView->model()->index(0, 0));
        QTest::mouseClick(runsView->viewport(), Qt::LeftButton, {}, cell.center());
        QTRY_VERIFY(resume->isEnabled());
        QTest::mouseClick(resume, Qt::LeftButton);
        QVERIFY(!start->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 120000);
        QVERIFY2(status->text().startsWith(QLatin1String("Finished")), qPrintable(status->text()));
        QCOMPARE(progress->value(), 2 * kRows);

        // Both runs of the experiment resumed to exactly every line, none twice.
        auto store = fb::ExperimentStore::open(wb.storePath().toStdString());
        QVERIFY(store);
        auto runs = store->runs();
        QCOMPARE(runs->size(), std::size_t(2));
        for (const auto &run : *runs) {
            QCOMPARE(run.status, fb::RunState::Completed);
            QCOMPARE(*store->lineCount(run.id), std::int64_t(kRows));
            QCOMPARE(run.completedLines + run.failedLines, std::int64_t(kRows));
        }
        QTRY_COMPARE(runsView->model()->index(0, fb::ui::RunsModel::Status).data().toString(),
                     QStringLiteral("Completed"));
    }
};

QTEST_MAIN(TestEvaluate)
#include "tst_ui_evaluate.moc"
