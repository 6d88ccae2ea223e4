// The charts of Evaluate mode driven as a user drives them, on a store written here with known
// figures: pick a chart with the keyboard or the mouse, wait for it, and check what is drawn —
// bar heights and interval whiskers, histogram bins and the p50/p95/p99 markers at the values
// worked out by hand, costs, the Pareto front, a trend — then export PNG and SVG through the
// real save dialog and read the files back.

#include <ui/app/theme.h>
#include <ui/evaluate/runchartsview.h>

#include <core/store/experimentstore.h>

#include <tests/common/savedialog.h>
#include <tests/core/report/reportfixture.h>

#include <QAbstractItemView>
#include <QApplication>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QValueAxis>
#include <QXmlStreamReader>

#include <set>

using fb::ui::RunChartsView;

namespace {

/// Two runs of one flow, 10 lines each:
///   variant_0: durations 10, 20, ..., 100 ms; 0.002 USD a line; exact_match passes lines 0-4;
///              one LLM call a line with TTFT 5·(i+1) ms and TPOT 2 ms
///   variant_1: durations 110, ..., 200 ms; 0.001 USD a line; passes lines 0-7
struct Store
{
    QTemporaryDir dir;
    fb::RunId a;
    fb::RunId b;

    std::string path() const { return dir.filePath(QStringLiteral("store.sqlite")).toStdString(); }

    bool write()
    {
        a = fb::test::createRun(path(), "variant_0", 10);
        b = fb::test::createRun(path(), "variant_1", 10);
        if (!a.isValid() || !b.isValid()) {
            return false;
        }
        std::vector<fb::LineRecord> lines;
        for (int i = 0; i < 10; ++i) {
            for (const auto &[run, ms, passed, cost] :
                 {std::tuple{a, 10.0 * (i + 1), i < 5, 0.002},
                  std::tuple{b, 110.0 + 10.0 * i, i < 8, 0.001}}) {
                fb::LineRecord l = fb::test::completedLine(run, i, "x", ms);
                l.costUsd = cost;
                fb::ScoreRecord s;
                s.evaluator = "exact_match";
                s.passed = passed;
                s.score = passed ? 1.0 : 0.0;
                l.scores.push_back(s);
                fb::LlmCallRecord call;
                call.node = "classify";
                call.ttftMs = 5.0 * (i + 1);
                call.tpotMs = 2.0;
                call.latencyMs = ms - 1;
                l.llmCalls.push_back(call);
                lines.push_back(std::move(l));
            }
        }
        return fb::test::writeLines(path(), std::move(lines));
    }
};

template <typename T> T *series(QChart *chart, const QString &name)
{
    for (QAbstractSeries *s : chart->series()) {
        if (s->objectName() == name) {
            return qobject_cast<T *>(s);
        }
    }
    return nullptr;
}

QValueAxis *valueAxis(QChart *chart, Qt::Orientation orientation)
{
    const auto axes = chart->axes(orientation);
    for (QAbstractAxis *axis : axes) {
        if (auto *v = qobject_cast<QValueAxis *>(axis)) {
            return v;
        }
    }
    return nullptr;
}

} // namespace

class TestRunCharts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void qualityBarsWithIntervals();
    void latencyPickedWithKeyboardMarksPercentiles();
    void ttftAndTpot();
    void costPerRunAndPer1k();
    void qualityVsCostPickedWithMouse();
    void trendOfCost();
    void staleResultIsDropped();
    void refreshReadsNewLines();
    void darkPaletteRedraws();
    void exportPngAndSvgThroughDialog();

private:
    /// Picks `chart` in the chart combo with the keyboard (Home, then Down), as a user does,
    /// and waits for the figures; checks "Computing…" shows meanwhile.
    bool pick(RunChartsView::Chart chart);
    [[nodiscard]] QChart *chart() const { return m_view->chartView()->chart(); }

    std::unique_ptr<Store> m_store;
    std::unique_ptr<RunChartsView> m_view;
};

void TestRunCharts::initTestCase() { fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Light); }

void TestRunCharts::init()
{
    // Every warning fails the test, except the offscreen platform's notes on what it lacks.
    QTest::failOnWarning(QRegularExpression(
        QStringLiteral("^(?!This plugin does not support (propagateSizeHints|raise|grabbing)).*")));
    m_store = std::make_unique<Store>();
    QVERIFY(m_store->dir.isValid());
    QVERIFY(m_store->write());
    m_view = std::make_unique<RunChartsView>();
    m_view->resize(1280, 800);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QSignalSpy ready(m_view.get(), &RunChartsView::chartReady);
    m_view->setStorePath(QString::fromStdString(m_store->path()));
    m_view->setRuns({m_store->a, m_store->b});
    QVERIFY(m_view->isComputing());
    QVERIFY(ready.wait(10000));
    QVERIFY(!m_view->isComputing());
}

void TestRunCharts::cleanup()
{
    m_view.reset();
    m_store.reset();
}

bool TestRunCharts::pick(RunChartsView::Chart chart)
{
    auto *combo = m_view->findChild<QComboBox *>(QStringLiteral("chartKind"));
    auto *status = m_view->findChild<QLabel *>(QStringLiteral("chartStatus"));
    if (!combo || !status) {
        return false;
    }
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home); // Quality: computed by init(), shown from the cache
    QSignalSpy ready(m_view.get(), &RunChartsView::chartReady);
    for (int i = 0; i < int(chart); ++i) {
        QTest::keyClick(combo, Qt::Key_Down);
    }
    if (m_view->chart() != chart) {
        return false;
    }
    if (!m_view->isComputing()) {
        return true; // shown from the cache at once
    }
    // A chart not computed before says so until its figures arrive.
    if (status->text() != QStringLiteral("Computing…")) {
        qWarning("status while computing: %s", qPrintable(status->text()));
        return false;
    }
    return ready.wait(10000) && !m_view->isComputing() && m_view->chart() == chart;
}

void TestRunCharts::qualityBarsWithIntervals()
{
    // Quality is the first chart: shown after setRuns.
    QCOMPARE(m_view->chart(), RunChartsView::Chart::Quality);
    auto *bars = series<QBarSeries>(chart(), QStringLiteral("bars"));
    QVERIFY(bars);
    QCOMPARE(bars->count(), 1);
    QBarSet *set = bars->barSets().constFirst();
    QCOMPARE(set->count(), 2);
    QCOMPARE(set->at(0), 50.0);
    QCOMPARE(set->at(1), 80.0);
    auto *categories = qobject_cast<QBarCategoryAxis *>(chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(categories);
    QCOMPARE(categories->categories(), (QStringList{"variant_0", "variant_1"}));
    QValueAxis *y = valueAxis(chart(), Qt::Vertical);
    QVERIFY(y);
    QCOMPARE(y->min(), 0.0);
    QCOMPARE(y->max(), 100.0);
    QCOMPARE(y->titleText(), QStringLiteral("Pass rate (%)"));
    // Whiskers: at each bar's x, around its value, inside [0, 100].
    for (const auto &[name, x, value] :
         {std::tuple{"variant_0", 0.0, 50.0}, std::tuple{"variant_1", 1.0, 80.0}}) {
        auto *ci = series<QLineSeries>(chart(), QStringLiteral("ci:") + QLatin1String(name));
        QVERIFY2(ci, name);
        double low = 1e9;
        double high = -1e9;
        for (const QPointF &p : ci->points()) {
            QVERIFY(std::abs(p.x() - x) < 0.2);
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
        QVERIFY(low < value && value < high);
        QVERIFY(low >= 0 && high <= 100);
    }
    auto *evaluator = m_view->findChild<QComboBox *>(QStringLiteral("chartEvaluator"));
    QVERIFY(evaluator && evaluator->isVisible());
    QCOMPARE(evaluator->currentText(), QStringLiteral("exact_match"));
    QVERIFY(!m_view->findChild<QComboBox *>(QStringLiteral("chartMetric"))->isVisible());
}

void TestRunCharts::latencyPickedWithKeyboardMarksPercentiles()
{
    QVERIFY(pick(RunChartsView::Chart::Latency));
    QCOMPARE(chart()->title(), QStringLiteral("Line latency"));
    auto *area = series<QAreaSeries>(chart(), QStringLiteral("histogram:variant_0"));
    QVERIFY(area);
    // 40 bins, two points each (a step outline).
    QCOMPARE(area->upperSeries()->count(), 80);
    // Binned: 9 of the 10 lines; the slowest is above p99.5 (99.55 ms), as the note says.
    double total = 0;
    for (int i = 0; i < 80; i += 2) {
        total += area->upperSeries()->at(i).y();
    }
    QCOMPARE(total, 9.0);
    // Percentiles of 10..100 (numpy linear): p50 55, p95 95.5, p99 99.1; of 110..200: +100.
    const struct
    {
        const char *name;
        double value;
    } marks[] = {{"p50:variant_0", 55},  {"p95:variant_0", 95.5},  {"p99:variant_0", 99.1},
                 {"p50:variant_1", 155}, {"p95:variant_1", 195.5}, {"p99:variant_1", 199.1}};
    for (const auto &m : marks) {
        auto *line = series<QLineSeries>(chart(), QString::fromLatin1(m.name));
        QVERIFY2(line, m.name);
        QCOMPARE(line->count(), 2);
        QVERIFY2(std::abs(line->at(0).x() - m.value) < 1e-3, m.name);
        QCOMPARE(line->at(0).x(), line->at(1).x()); // vertical
    }
    // Labelled: "p95 95.5 ms" on the first run's marker.
    auto *label = series<QScatterSeries>(chart(), QStringLiteral("label:p95:variant_0"));
    QVERIFY(label);
    QVERIFY2(label->pointLabelsFormat().contains(QStringLiteral("p95 95.5 ms")),
             qPrintable(label->pointLabelsFormat()));
    // The x axis spans 0 .. p99.5 of the slower run (199.55), with nice numbers.
    QValueAxis *x = valueAxis(chart(), Qt::Horizontal);
    QVERIFY(x);
    QCOMPARE(x->min(), 0.0);
    QVERIFY2(x->max() >= 199.55 * 1.08 && x->max() <= 250, qPrintable(QString::number(x->max())));
    QCOMPARE(x->titleText(), QStringLiteral("Line latency (ms)"));
    QCOMPARE(valueAxis(chart(), Qt::Vertical)->titleText(), QStringLiteral("Lines"));
    QVERIFY(!m_view->findChild<QComboBox *>(QStringLiteral("chartEvaluator"))->isVisible());
    // Each run's 10th value (100 and 200 ms) is above its p99.5: the note says so.
    auto *note = m_view->findChild<QLabel *>(QStringLiteral("chartNote"));
    QVERIFY(note && note->isVisible());
    QVERIFY2(note->text().contains(QStringLiteral("variant_0: 1 of 10 values are above p99.5")),
             qPrintable(note->text()));
}

void TestRunCharts::ttftAndTpot()
{
    QVERIFY(pick(RunChartsView::Chart::Ttft));
    QCOMPARE(valueAxis(chart(), Qt::Horizontal)->titleText(),
             QStringLiteral("Time to first token (ms)"));
    // TTFT 5..50: p50 27.5.
    auto *p50 = series<QLineSeries>(chart(), QStringLiteral("p50:variant_0"));
    QVERIFY(p50);
    QCOMPARE(p50->at(0).x(), 27.5);
    QVERIFY(pick(RunChartsView::Chart::Tpot));
    auto *p99 = series<QLineSeries>(chart(), QStringLiteral("p99:variant_1"));
    QVERIFY(p99);
    QCOMPARE(p99->at(0).x(), 2.0);
}

void TestRunCharts::costPerRunAndPer1k()
{
    QVERIFY(pick(RunChartsView::Chart::Cost));
    auto *bars = series<QBarSeries>(chart(), QStringLiteral("bars"));
    QVERIFY(bars);
    QBarSet *perLine = bars->barSets().constFirst();
    QVERIFY(std::abs(perLine->at(0) - 2.0) < 1e-6);
    QVERIFY(std::abs(perLine->at(1) - 1.0) < 1e-6);
    auto *total = series<QScatterSeries>(chart(), QStringLiteral("total"));
    QVERIFY(total);
    QCOMPARE(total->count(), 2);
    QVERIFY(std::abs(total->at(0).y() - 0.02) < 1e-8);
    QVERIFY(std::abs(total->at(1).y() - 0.01) < 1e-8);
    // Two value axes, each with its title.
    QStringList titles;
    for (QAbstractAxis *axis : chart()->axes(Qt::Vertical)) {
        titles << axis->titleText();
    }
    QCOMPARE(titles, (QStringList{"Cost per 1,000 lines (USD)", "Total cost (USD)"}));
}

void TestRunCharts::qualityVsCostPickedWithMouse()
{
    auto *combo = m_view->findChild<QComboBox *>(QStringLiteral("chartKind"));
    QVERIFY(combo);
    QSignalSpy ready(m_view.get(), &RunChartsView::chartReady);
    // Open the list and click the entry, as with a mouse.
    QTest::mouseClick(combo, Qt::LeftButton);
    QAbstractItemView *list = combo->view();
    QTRY_VERIFY(list->isVisible());
    const QModelIndex entry = list->model()->index(int(RunChartsView::Chart::QualityVsCost), 0);
    QCOMPARE(entry.data().toString(), QStringLiteral("Quality vs cost"));
    list->scrollTo(entry);
    const QPoint at = list->visualRect(entry).center();
    QTest::mouseMove(list->viewport(), at);
    // The combo ignores a release within a double-click interval of opening (the opening
    // click's own release), as it does for a user.
    QTest::qWait(QApplication::doubleClickInterval() + 100);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QTRY_COMPARE(m_view->chart(), RunChartsView::Chart::QualityVsCost);
    QVERIFY(ready.wait(10000));
    QVERIFY(!m_view->isComputing());
    // variant_1 (80 % at 1.00 USD/1k) dominates variant_0 (50 % at 2.00): the front is it alone.
    auto *front = series<QLineSeries>(chart(), QStringLiteral("front"));
    QVERIFY(front);
    QCOMPARE(front->count(), 1);
    QVERIFY(std::abs(front->at(0).x() - 1.0) < 1e-6);
    QCOMPARE(front->at(0).y(), 80.0);
    auto *a = series<QScatterSeries>(chart(), QStringLiteral("run:variant_0"));
    QVERIFY(a);
    QVERIFY(std::abs(a->at(0).x() - 2.0) < 1e-6);
    QCOMPARE(a->at(0).y(), 50.0);
    QCOMPARE(valueAxis(chart(), Qt::Horizontal)->titleText(),
             QStringLiteral("Cost per 1,000 lines (USD)"));
    QVERIFY(valueAxis(chart(), Qt::Horizontal)->max() >= 2.0);
    QVERIFY(m_view->findChild<QComboBox *>(QStringLiteral("chartEvaluator"))->isVisible());
}

void TestRunCharts::trendOfCost()
{
    QVERIFY(pick(RunChartsView::Chart::Trend));
    auto *metric = m_view->findChild<QComboBox *>(QStringLiteral("chartMetric"));
    QVERIFY(metric && metric->isVisible());
    // Quality first: the pass rates 50 % then 80 %, oldest first.
    auto *trend = series<QLineSeries>(chart(), QStringLiteral("trend"));
    QVERIFY(trend);
    QCOMPARE(trend->count(), 2);
    QCOMPARE(trend->at(0).y(), 50.0);
    QCOMPARE(trend->at(1).y(), 80.0);
    QSignalSpy ready(m_view.get(), &RunChartsView::chartReady);
    metric->setFocus();
    QTest::keyClick(metric, Qt::Key_End); // Cost per 1,000 lines
    QVERIFY(ready.wait(10000));
    QVERIFY(!m_view->findChild<QComboBox *>(QStringLiteral("chartEvaluator"))->isVisible());
    trend = series<QLineSeries>(chart(), QStringLiteral("trend"));
    QVERIFY(trend);
    QVERIFY(std::abs(trend->at(0).y() - 2.0) < 1e-6);
    QVERIFY(std::abs(trend->at(1).y() - 1.0) < 1e-6);
    QCOMPARE(valueAxis(chart(), Qt::Vertical)->titleText(),
             QStringLiteral("Cost per 1,000 lines (USD)"));
}

void TestRunCharts::staleResultIsDropped()
{
    QVERIFY(pick(RunChartsView::Chart::Latency));
    QSignalSpy ready(m_view.get(), &RunChartsView::chartReady);
    // Two selections in a row: only the second one's figures may be drawn.
    m_view->setRuns({m_store->a});
    m_view->setRuns({m_store->b});
    QVERIFY(ready.wait(10000));
    QTest::qWait(200); // time for a stale result to arrive, were it not dropped
    QCOMPARE(ready.count(), 1);
    QVERIFY(series<QAreaSeries>(chart(), QStringLiteral("histogram:variant_1")));
    QVERIFY(!series<QAreaSeries>(chart(), QStringLiteral("histogram:variant_0")));
}

void TestRunCharts::refreshReadsNewLines()
{
    QVERIFY(pick(RunChartsView::Chart::Latency));
    // An 11th line of variant_0 (30 ms) arrives; refresh() shows it (setRuns with the same
    // runs keeps the figures).
    QVERIFY(fb::test::writeLines(m_store->path(),
                                 {fb::test::completedLine(m_store->a, 10, "x", 30.0)}));
    QSignalSpy ready(m_view.get(), &RunChartsView::chartReady);
    m_view->refresh();
    QVERIFY(m_view->isComputing());
    QVERIFY(ready.wait(10000));
    auto *area = series<QAreaSeries>(chart(), QStringLiteral("histogram:variant_0"));
    QVERIFY(area);
    double total = 0;
    for (int i = 0; i < area->upperSeries()->count(); i += 2) {
        total += area->upperSeries()->at(i).y();
    }
    QCOMPARE(total, 10.0); // 11 lines, the slowest above p99.5
    // p50 of 10, 20, 30, 30, 40, ..., 100: 50.
    QCOMPARE(series<QLineSeries>(chart(), QStringLiteral("p50:variant_0"))->at(0).x(), 50.0);
}

void TestRunCharts::darkPaletteRedraws()
{
    QCOMPARE(chart()->theme(), QChart::ChartThemeLight);
    fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Dark);
    QTRY_COMPARE(chart()->theme(), QChart::ChartThemeDark);
    // Still the same figures.
    QVERIFY(series<QBarSeries>(chart(), QStringLiteral("bars")));
    fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Light);
    QTRY_COMPARE(chart()->theme(), QChart::ChartThemeLight);
}

void TestRunCharts::exportPngAndSvgThroughDialog()
{
    QVERIFY(pick(RunChartsView::Chart::Latency));
    QTemporaryDir out;
    // A folder in it, so the dialog has something to list (the helper types once it is listed).
    QVERIFY(QDir(out.path()).mkdir(QStringLiteral("older")));
    m_view->setExportFolder(out.path());
    auto *png = m_view->findChild<QPushButton *>(QStringLiteral("exportChartPng"));
    auto *svg = m_view->findChild<QPushButton *>(QStringLiteral("exportChartSvg"));
    QVERIFY(png && png->isEnabled() && svg && svg->isEnabled());

    QVERIFY(fb::test::saveThroughDialog(png, QStringLiteral("latency")));
    const QString pngPath = out.filePath(QStringLiteral("latency.png"));
    QTRY_VERIFY(QFile::exists(pngPath));
    const QImage image(pngPath);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 600 && image.height() > 300);
    // Not blank: the histogram, the axes and the text give many colours.
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3) {
            colours.insert(image.pixel(x, y));
        }
    }
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));

    QVERIFY(fb::test::saveThroughDialog(svg, QStringLiteral("latency")));
    const QString svgPath = out.filePath(QStringLiteral("latency.svg"));
    QTRY_VERIFY(QFile::exists(svgPath));
    QFile file(svgPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray xml = file.readAll();
    QXmlStreamReader reader(xml);
    QString text;
    while (!reader.atEnd()) {
        if (reader.readNext() == QXmlStreamReader::Characters) {
            text += reader.text();
        }
    }
    QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
    QVERIFY2(text.contains(QStringLiteral("Line latency (ms)")), qPrintable(text.left(500)));
    QVERIFY(text.contains(QStringLiteral("Lines")));
    QVERIFY(text.contains(QStringLiteral("p50 55.0 ms")));
}

QTEST_MAIN(TestRunCharts)
#include "tst_ui_runcharts.moc"
