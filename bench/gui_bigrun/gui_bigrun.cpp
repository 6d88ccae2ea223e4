// bench_gui_bigrun: the Evaluate results table on a 1,000,000-line run. Two modes:
//   --build-store PATH [--lines N]   writes a run of N lines (default 1,000,000) through core's
//                                    StoreWriter and prints run_id= and build_s=
//   --store PATH --run ID [--screenshot FILE]
//                                    opens the run in a RunResultsView (offscreen) and prints
//     first_rows_ms        open -> the first screen of rows painted with their text (≤ 1000)
//     sort_ms              header click on a score column -> sorted rows painted (≤ 1000)
//     scroll_max_stall_ms  longest gap of a 5 ms GUI timer while scrolling 2,000 screens with
//                          PageDown and 200 scrollbar jumps across the run (≤ 50)
//     peak_rss_mb          VmHWM of this process with the run open (≤ 300)
// and a few figures that explain them (keys_ms, scores_ms, resort_ms, …), the charts' figures
// (chart_1m_ms ≤ 200 and others: chartbench.h), then failures=.

#include <bench/gui_bigrun/chartbench.h>

#include <bench/gui_bigrun/benchsupport.h>
#include <ui/app/theme.h>
#include <ui/evaluate/runresultsmodel.h>
#include <ui/evaluate/runresultsview.h>

#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <time.h>

namespace {

// splitmix64: the same store on every machine.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

double unit(std::uint64_t seed) { return double(mix(seed) >> 11) / double(1ULL << 53); }

const char *const kTopics[]
    = {"delivery times", "a refund",        "a damaged parcel", "an invoice",
       "the warranty",   "a login problem", "a price match",    "a missing item"};

// One line as a classification flow writes it: ~100 bytes of inputs, ~50 of outputs, two
// nodes, one LLM call, two scores; 2 % failed (no outputs, no scores, an error).
fb::LineRecord makeLine(fb::RunId run, std::int64_t i)
{
    const std::uint64_t seed = std::uint64_t(i) * 7919;
    fb::LineRecord line;
    line.runId = run;
    line.lineIndex = i;
    const bool failed = mix(seed) % 50 == 0;
    line.status = failed ? "Failed" : "Completed";
    const std::string topic = kTopics[mix(seed + 1) % 8];
    line.inputs
        = fb::Value{{"question", "Customer #" + std::to_string(100000 + i) + " writes about "
                                     + topic + ": which team should answer this request first?"},
                    {"channel", i % 3 == 0 ? "email" : "chat"}};
    const std::string label = "team_" + std::to_string(mix(seed + 2) % 12);
    const double latency = 200 + 2800 * unit(seed + 3);
    line.durationMs = latency;
    line.queueMs = 5 * unit(seed + 4);
    line.startedAtMs = 1760000000000 + i * 3;
    line.promptTokens = 80 + std::int64_t(mix(seed + 5) % 70);
    line.completionTokens = failed ? 0 : 5 + std::int64_t(mix(seed + 6) % 25);
    line.costUsd = double(line.promptTokens) * 0.15e-6 + double(line.completionTokens) * 0.6e-6;
    fb::NodeResultRecord prepare{"prepare", "", "Completed", fb::Value("Route: " + topic), "", 0.2};
    fb::NodeResultRecord classify{"classify",
                                  "variant_0",
                                  failed ? "Failed" : "Completed",
                                  failed ? fb::Value() : fb::Value(label),
                                  failed ? "HTTP 500 from the provider after 3 attempts" : "",
                                  latency - 1};
    line.nodes = {prepare, classify};
    fb::LlmCallRecord call;
    call.node = "classify";
    call.model = "gpt-4o-mini";
    call.promptTokens = line.promptTokens;
    call.completionTokens = line.completionTokens;
    call.ttftMs = latency * 0.4;
    call.tpotMs = 12.5;
    call.latencyMs = latency - 2;
    call.attempts = failed ? 3 : 1;
    call.httpStatus = failed ? 500 : 200;
    line.llmCalls = {call};
    if (failed) {
        line.error = "node 'classify': HTTP 500 from the provider after 3 attempts";
        line.outputs = fb::Value::object();
        return line;
    }
    line.outputs = fb::Value{{"category", label}, {"confidence", "high"}};
    const bool exact = mix(seed + 7) % 4 != 0;
    line.scores = {{0, "exact_match", exact ? 1.0 : 0.0, exact, ""},
                   {0, "similarity", std::round(1000 * unit(seed + 8)) / 1000, std::nullopt, ""}};
    return line;
}

int buildStore(const std::string &path, std::int64_t lines)
{
    QElapsedTimer clock;
    clock.start();
    fb::RunId run;
    {
        auto store = fb::ExperimentStore::open(path);
        if (!store) {
            std::fprintf(stderr, "%s\n", store.error().message.c_str());
            return 1;
        }
        auto flow
            = store->internFlow("bench-gui-bigrun", "classification", "flows/classification", "{}");
        if (!flow) {
            std::fprintf(stderr, "%s\n", flow.error().message.c_str());
            return 1;
        }
        fb::RunSpec spec;
        spec.name = "bigrun-" + std::to_string(lines);
        spec.flowId = *flow;
        spec.totalLines = lines;
        auto id = store->createRun(spec);
        if (!id) {
            std::fprintf(stderr, "%s\n", id.error().message.c_str());
            return 1;
        }
        run = *id;
        (void)store->setRunStatus(run, fb::RunState::Running);
    }
    {
        auto writer = fb::StoreWriter::open(path);
        if (!writer) {
            std::fprintf(stderr, "%s\n", writer.error().message.c_str());
            return 1;
        }
        for (std::int64_t i = 0; i < lines; ++i) {
            (*writer)->submit(makeLine(run, i));
        }
        if (auto flushed = (*writer)->flush(); !flushed) {
            std::fprintf(stderr, "%s\n", flushed.error().message.c_str());
            return 1;
        }
    }
    auto store = fb::ExperimentStore::open(path);
    if (!store || !store->setRunStatus(run, fb::RunState::Completed)) {
        return 1;
    }
    std::printf("run_id=%lld\nbuild_s=%.1f\n", static_cast<long long>(run.value),
                double(clock.elapsed()) / 1000.0);
    return 0;
}

// CPU time of the whole process (all threads) or of the calling thread, in ms.
double cpuMs(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// The rows on screen, first to last.
std::pair<int, int> visibleRows(QTableView *table)
{
    const int first = std::max(0, table->rowAt(0));
    int last = table->rowAt(table->viewport()->height() - 1);
    if (last < 0) {
        last = table->model()->rowCount() - 1;
    }
    return {first, last};
}

bool screenLoaded(QTableView *table, const fb::ui::RunResultsModel *model)
{
    const auto [first, last] = visibleRows(table);
    return model->isLoaded() && model->rowCount() > 0 && model->isRowLoaded(first)
           && model->isRowLoaded(last);
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 0; i < argc; ++i) {
        args.append(QString::fromLocal8Bit(argv[i]));
    }
    const auto option = [&](const QString &name) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args[at + 1] : QString();
    };
    if (!option(QStringLiteral("--build-store")).isEmpty()) {
        // No GUI here: the store is written before the measured process starts.
        const QString lines = option(QStringLiteral("--lines"));
        return buildStore(option(QStringLiteral("--build-store")).toStdString(),
                          lines.isEmpty() ? 1000000 : lines.toLongLong());
    }
    QApplication app(argc, argv);
    const QString store = option(QStringLiteral("--store"));
    const fb::RunId run{option(QStringLiteral("--run")).toLongLong()};
    if (store.isEmpty() || !run.isValid()) {
        std::fprintf(stderr, "usage: bench_gui_bigrun --build-store PATH [--lines N]\n"
                             "       bench_gui_bigrun --store PATH --run ID\n");
        return 2;
    }
    fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Light);
    int failures = 0;

    fb::ui::RunResultsView view;
    view.resize(1280, 800);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) {
        std::fprintf(stderr, "the window was not exposed\n");
        return 1;
    }
    QTest::qWait(50);
    QTableView *table = view.table();
    fb::ui::RunResultsModel *model = view.model();

    // First rows: open -> line keys in -> page of the first screen in -> painted.
    QElapsedTimer clock;
    clock.start();
    double cpuStart = cpuMs(CLOCK_PROCESS_CPUTIME_ID);
    qint64 keysMs = -1;
    qint64 scoresMs = -1;
    QElapsedTimer opened; // from the open, while `clock` times each step
    opened.start();
    QObject::connect(model, &fb::ui::RunResultsModel::loaded, [&] { keysMs = opened.elapsed(); });
    QObject::connect(model, &fb::ui::RunResultsModel::scoresLoaded,
                     [&] { scoresMs = opened.elapsed(); });
    QString error;
    if (!view.openRun(store, run, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    if (!fb::bench::waitFor([&] { return screenLoaded(table, model); }, 30000)) {
        std::fprintf(stderr, "the first rows never arrived\n");
        return 1;
    }
    table->viewport()->repaint();
    const double firstRowsMs = double(clock.nsecsElapsed()) / 1e6;
    const double firstRowsCpuMs = cpuMs(CLOCK_PROCESS_CPUTIME_ID) - cpuStart;
    std::printf("lines=%lld\nfailed=%lld\n", static_cast<long long>(model->lineCount()),
                static_cast<long long>(model->failedCount()));
    std::printf("keys_ms=%lld\n", static_cast<long long>(keysMs));
    // CPU time of all threads: on two idle cores the wall time is about this or less; much
    // more means the process waited for a CPU (other work on the machine).
    std::printf("first_rows_cpu_ms=%.0f\n", firstRowsCpuMs);
    std::fflush(stdout);
    failures += firstRowsMs > 1000;

    // Sort by a score through the header, at once (the score keys may still be loading).
    const int column = model->scoreColumn(QStringLiteral("similarity"));
    if (column < 0) {
        std::fprintf(stderr, "no similarity column\n");
        return 1;
    }
    QHeaderView *header = table->horizontalHeader();
    table->scrollTo(model->index(0, column));
    const auto clickHeader = [&] {
        const int x = header->sectionViewportPosition(column) + header->sectionSize(column) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    };
    const auto sortedBy = [&](Qt::SortOrder order) {
        return model->sortColumn() == column && model->sortOrder() == order
               && !model->isOrderPending() && screenLoaded(table, model);
    };
    clock.restart();
    cpuStart = cpuMs(CLOCK_PROCESS_CPUTIME_ID);
    clickHeader();
    if (!fb::bench::waitFor([&] { return sortedBy(Qt::DescendingOrder); }, 30000)) {
        std::fprintf(stderr, "the sort never finished\n");
        return 1;
    }
    table->viewport()->repaint();
    const double sortMs = double(clock.nsecsElapsed()) / 1e6;
    std::printf("scores_ms=%lld\n", static_cast<long long>(scoresMs));
    std::printf("sort_cpu_ms=%.0f\n", cpuMs(CLOCK_PROCESS_CPUTIME_ID) - cpuStart);
    failures += sortMs > 1000;
    // What the user sees must be sorted: best similarity first.
    double previous = 2;
    for (int row = 0; row < 50; ++row) {
        const double value = model->index(row, column).data().toDouble();
        if (value > previous) {
            std::fprintf(stderr, "row %d is out of order\n", row);
            ++failures;
            break;
        }
        previous = value;
    }
    // With the keys in memory: the same column the other way.
    clock.restart();
    clickHeader();
    if (!fb::bench::waitFor([&] { return sortedBy(Qt::AscendingOrder); }, 30000)) {
        std::fprintf(stderr, "the second sort never finished\n");
        return 1;
    }
    table->viewport()->repaint();
    std::printf("resort_ms=%.0f\n", double(clock.nsecsElapsed()) / 1e6);
    std::fflush(stdout);

    // Scrolling: a 5 ms timer measures the GUI thread's longest stall while a driver timer
    // presses PageDown 2,000 times, then moves the scrollbar in 200 jumps across the run.
    table->setFocus();
    table->setCurrentIndex(model->index(0, 0));
    QElapsedTimer since;
    qint64 longest = 0;
    double longestCpu = 0; // the GUI thread's CPU time in the longest gap
    double lastCpu = cpuMs(CLOCK_THREAD_CPUTIME_ID);
    QTimer beat;
    beat.setInterval(5);
    QObject::connect(&beat, &QTimer::timeout, [&] {
        const qint64 gap = since.restart();
        const double cpu = cpuMs(CLOCK_THREAD_CPUTIME_ID);
        if (gap > longest) {
            longest = gap;
            longestCpu = cpu - lastCpu;
        }
        lastCpu = cpu;
    });
    int pageDowns = 0;
    int jumps = 0;
    qint64 pageDownStall = 0;
    QScrollBar *bar = table->verticalScrollBar();
    QTimer driver;
    driver.setInterval(1);
    QEventLoop loop;
    QObject::connect(&driver, &QTimer::timeout, [&] {
        if (pageDowns < 2000) {
            QTest::keyClick(table, Qt::Key_PageDown);
            if (++pageDowns == 2000) {
                pageDownStall = longest;
            }
        } else if (jumps < 200) {
            // Odd jumps go far, even ones near: the page cache sees both.
            const qint64 span = bar->maximum();
            const qint64 to = jumps % 2 ? span * ((jumps * 37) % 200) / 200 : bar->value() + 500;
            bar->setValue(int(std::min(to, span)));
            ++jumps;
        } else {
            loop.quit();
        }
    });
    clock.restart();
    since.start();
    lastCpu = cpuMs(CLOCK_THREAD_CPUTIME_ID);
    beat.start();
    driver.start();
    loop.exec();
    driver.stop();
    const bool settled = fb::bench::waitFor([&] { return screenLoaded(table, model); }, 10000);
    beat.stop();
    failures += !settled;
    std::printf("scroll_pagedowns=%d\nscroll_jumps=%d\nscroll_wall_ms=%lld\n", pageDowns, jumps,
                static_cast<long long>(clock.elapsed()));
    std::printf("scroll_pagedown_max_stall_ms=%lld\n", static_cast<long long>(pageDownStall));
    // What the GUI thread itself ran in the longest gap; the rest of the gap it waited for a CPU.
    std::printf("scroll_max_stall_cpu_ms=%.1f\n", longestCpu);
    failures += longest > 50;

    const double rss = fb::bench::procStatusMb("VmHWM:");
    std::printf("rss_mb=%.1f\n", fb::bench::procStatusMb("VmRSS:"));
    failures += rss < 0 || rss > 300;
    // A picture of the view with a line's detail (--screenshot FILE), after the measuring.
    if (const QString shot = option(QStringLiteral("--screenshot")); !shot.isEmpty()) {
        table->scrollToTop();
        table->setCurrentIndex(model->index(0, 0));
        QSignalSpy shown(&view, &fb::ui::RunResultsView::detailShown);
        QTest::keyClick(table, Qt::Key_Return);
        shown.wait(10000);
        fb::bench::waitFor([&] { return screenLoaded(table, model); }, 10000);
        QTest::qWait(100);
        view.grab().save(shot);
    }
    failures += benchCharts(store, run); // chart_1m_ms= and what explains it

    // The four figures of the acceptance, last.
    std::printf("first_rows_ms=%.0f\n", firstRowsMs);
    std::printf("sort_ms=%.0f\n", sortMs);
    std::printf("scroll_max_stall_ms=%lld\n", static_cast<long long>(longest));
    std::printf("peak_rss_mb=%.1f\n", rss);
    std::printf("failures=%d\n", failures);
    return failures == 0 ? 0 : 1;
}
