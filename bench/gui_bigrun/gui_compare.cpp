// bench_gui_compare: Evaluate's compare view on two 100,000-line runs. Two modes:
//   --build-store PATH [--lines N]   writes runs "compare-a" and "compare-b" of N lines each
//                                    (default 100,000) through core's StoreWriter; b answers
//                                    differently on ~12 % of the lines and fails ~1 % of them
//   --store PATH [--screenshot FILE] opens both in a CompareView (offscreen) and prints
//     compare_100k_ms      compare() -> verdicts shown and the first screen of rows painted
//                          with their outputs (the acceptance figure: ≤ 2000)
//     compare_filter_ms    "Regressions" picked -> its first screen painted
//     compare_peak_rss_mb  VmHWM of this process
// then failures=.

#include <bench/gui_bigrun/benchsupport.h>
#include <ui/app/theme.h>
#include <ui/evaluate/compareview.h>

#include <core/report/compareset.h>
#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A classification line of variant `v` (0 or 1): the same question, an answer that differs
// between the variants on ~12 % of the lines, exact_match against a fixed label.
fb::LineRecord makeLine(fb::RunId run, std::int64_t i, int v)
{
    const std::uint64_t seed = std::uint64_t(i) * 7919;
    fb::LineRecord line;
    line.runId = run;
    line.lineIndex = i;
    line.inputs = fb::Value{{"question", "Customer #" + std::to_string(100000 + i)
                                             + " asks which team should answer first."}};
    const std::string truth = "team_" + std::to_string(mix(seed) % 12);
    const bool changed = v == 1 && mix(seed + 1) % 8 == 0;
    const bool failed = v == 1 && mix(seed + 2) % 100 == 0;
    const bool wrongBase = mix(seed + 3) % 4 == 0;
    std::string answer = wrongBase ? "team_" + std::to_string((mix(seed) + 1) % 12) : truth;
    if (changed) {
        answer = mix(seed + 4) % 2 ? truth : "team_" + std::to_string((mix(seed) + 5) % 12);
    }
    line.durationMs = 300 + double(mix(seed + 5) % 2000) + (v == 1 ? 25 : 0);
    line.startedAtMs = 1760000000000 + i * 3;
    line.promptTokens = 90;
    line.completionTokens = 6;
    line.costUsd = 90 * 0.15e-6 + 6 * 0.6e-6 * (v == 1 ? 1.5 : 1.0);
    if (failed) {
        line.status = "Failed";
        line.error = "node 'classify': HTTP 500 from the provider after 3 attempts";
        line.outputs = fb::Value::object();
        return line;
    }
    line.status = "Completed";
    line.outputs = fb::Value{{"category", answer}};
    const bool exact = answer == truth;
    line.scores = {{0, "exact_match", exact ? 1.0 : 0.0, exact, ""}};
    return line;
}

int buildStore(const std::string &path, std::int64_t lines)
{
    QElapsedTimer clock;
    clock.start();
    fb::RunId runs[2];
    {
        auto store = fb::ExperimentStore::open(path);
        if (!store) {
            std::fprintf(stderr, "%s\n", store.error().message.c_str());
            return 1;
        }
        auto flow = store->internFlow("bench-gui-compare", "classification",
                                      "flows/classification", "{}");
        if (!flow) {
            std::fprintf(stderr, "%s\n", flow.error().message.c_str());
            return 1;
        }
        for (int v = 0; v < 2; ++v) {
            fb::RunSpec spec;
            spec.name = v == 0 ? "compare-a" : "compare-b";
            spec.flowId = *flow;
            spec.totalLines = lines;
            spec.variants = fb::Value{{"classify", "variant_" + std::to_string(v)}};
            auto id = store->createRun(spec);
            if (!id) {
                std::fprintf(stderr, "%s\n", id.error().message.c_str());
                return 1;
            }
            runs[v] = *id;
        }
    }
    auto writer = fb::StoreWriter::open(path);
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().message.c_str());
        return 1;
    }
    for (int v = 0; v < 2; ++v) {
        for (std::int64_t i = 0; i < lines; ++i) {
            (*writer)->submit(makeLine(runs[v], i, v));
        }
    }
    if (auto flushed = (*writer)->flush(); !flushed) {
        std::fprintf(stderr, "%s\n", flushed.error().message.c_str());
        return 1;
    }
    auto store = fb::ExperimentStore::open(path);
    for (const fb::RunId run : runs) {
        if (!store || !store->setRunStatus(run, fb::RunState::Completed)) {
            return 1;
        }
    }
    std::printf("run_a=%lld\nrun_b=%lld\nbuild_s=%.1f\n", static_cast<long long>(runs[0].value),
                static_cast<long long>(runs[1].value), double(clock.elapsed()) / 1000.0);
    return 0;
}

// Whether every visible cell of the rows table shows its text (no "…" placeholder).
bool screenLoaded(QTableView *table)
{
    const int first = table->rowAt(0);
    if (first < 0) {
        return table->model()->rowCount() == 0;
    }
    int last = table->rowAt(table->viewport()->height() - 1);
    last = last < 0 ? table->model()->rowCount() - 1 : last;
    for (int r = first; r <= last; ++r) {
        for (int c = 1; c < table->model()->columnCount(); ++c) {
            if (table->model()->index(r, c).data().toString() == QStringLiteral("…")) {
                return false;
            }
        }
    }
    return true;
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
        const QString lines = option(QStringLiteral("--lines"));
        return buildStore(option(QStringLiteral("--build-store")).toStdString(),
                          lines.isEmpty() ? 100000 : lines.toLongLong());
    }
    QApplication app(argc, argv);
    const QString storePath = option(QStringLiteral("--store"));
    if (storePath.isEmpty()) {
        std::fprintf(stderr, "usage: bench_gui_compare --build-store PATH [--lines N]\n"
                             "       bench_gui_compare --store PATH [--screenshot FILE]\n");
        return 2;
    }
    std::vector<fb::RunId> runs;
    {
        auto store = fb::ExperimentStore::open(storePath.toStdString());
        if (!store) {
            std::fprintf(stderr, "%s\n", store.error().message.c_str());
            return 1;
        }
        auto a = store->findRunByName("compare-a");
        auto b = store->findRunByName("compare-b");
        if (!a || !b) {
            std::fprintf(stderr, "the store has no compare-a and compare-b runs\n");
            return 1;
        }
        runs = {a->id, b->id};
        std::printf("compare_lines=%lld\n", static_cast<long long>(a->completedLines + a->failedLines));
    }
    fb::ui::Theme::apply(fb::ui::AppSettings::Theme::Light);
    int failures = 0;
    fb::ui::CompareView view;
    view.resize(1280, 800);
    view.setStorePath(storePath);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) {
        std::fprintf(stderr, "the window was not exposed\n");
        return 1;
    }
    QTest::qWait(50);
    QTableView *table = view.rowsTable();
    auto *verdicts = view.findChild<QLabel *>(QStringLiteral("compareVerdicts"));

    QSignalSpy ready(&view, &fb::ui::CompareView::ready);
    QElapsedTimer clock;
    clock.start();
    QString error;
    if (!view.compare(runs, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    if (!fb::bench::waitFor([&] { return !ready.isEmpty() && screenLoaded(table); }, 60000)) {
        std::fprintf(stderr, "the comparison never showed\n");
        return 1;
    }
    table->viewport()->repaint();
    const double compareMs = double(clock.nsecsElapsed()) / 1e6;
    std::printf("compare_rows=%d\n", table->model()->rowCount());
    const auto &set = *view.compareSet();
    const auto counts = set.flagCounts();
    std::printf("compare_differ=%zu\ncompare_regressions=%zu\ncompare_improvements=%zu\ncompare_failed_in_any=%zu\n", counts[0],
                counts[1], counts[2], counts[3]);
    failures += table->model()->rowCount() <= 0 || verdicts->text().isEmpty();
    for (const auto &v : set.verdict().verdicts()) {
        std::printf("compare_verdict_%s=%s\n", v.metric.c_str(),
                    fb::CompareVerdict::directionName(v.direction));
    }

    auto *filter = view.findChild<QComboBox *>(QStringLiteral("compareFilter"));
    clock.restart();
    filter->setCurrentIndex(int(fb::ui::CompareView::Filter::Regressions));
    if (!fb::bench::waitFor([&] { return screenLoaded(table); }, 30000)) {
        std::fprintf(stderr, "the regressions never showed\n");
        return 1;
    }
    table->viewport()->repaint();
    std::printf("compare_filter_ms=%.0f\n", double(clock.nsecsElapsed()) / 1e6);
    failures += table->model()->rowCount() != int(counts[1]);

    if (const QString shot = option(QStringLiteral("--screenshot")); !shot.isEmpty()) {
        table->setCurrentIndex(table->model()->index(0, 2));
        QTest::qWait(500);
        view.grab().save(shot);
    }
    const double rss = fb::bench::procStatusMb("VmHWM:");
    std::printf("compare_peak_rss_mb=%.1f\n", rss);
    std::printf("compare_100k_ms=%.0f\n", compareMs);
    failures += compareMs > 2000;
    std::printf("failures=%d\n", failures);
    return failures == 0 ? 0 : 1;
}
