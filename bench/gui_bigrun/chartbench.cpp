#include <bench/gui_bigrun/chartbench.h>

#include <ui/evaluate/runchartsview.h>

#include <core/store/experimentstore.h>

#include <QChartView>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cstdio>

#include <time.h>

namespace {

double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

using Chart = fb::ui::RunChartsView::Chart;

/// Shows `chart` of `run` in a fresh view and returns ms from setRuns to the chart painted, or
/// -1 when it never came.
double timeChart(const QString &storePath, fb::RunId run, Chart chart, double *cpuMs,
                 double *cachedMs)
{
    fb::ui::RunChartsView view;
    view.resize(1280, 800);
    view.setChart(chart);
    view.setStorePath(storePath);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) {
        return -1;
    }
    QSignalSpy ready(&view, &fb::ui::RunChartsView::chartReady);
    QElapsedTimer clock;
    clock.start();
    const double cpuStart = processCpuMs();
    view.setRuns({run});
    if (!ready.wait(60000) || view.isComputing()) {
        return -1;
    }
    view.chartView()->viewport()->repaint();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    if (cpuMs) {
        *cpuMs = processCpuMs() - cpuStart;
    }
    if (cachedMs) {
        view.setChart(chart == Chart::Cost ? Chart::Quality : Chart::Cost);
        ready.wait(60000);
        clock.restart();
        view.setChart(chart);
        view.chartView()->viewport()->repaint();
        *cachedMs = view.isComputing() ? -1 : double(clock.nsecsElapsed()) / 1e6;
    }
    return ms;
}

} // namespace

int benchCharts(const QString &storePath, fb::RunId run)
{
    double cpuMs = 0;
    double cachedMs = 0;
    const double ms = timeChart(storePath, run, Chart::Latency, &cpuMs, &cachedMs);
    // The store's part of it: the chart's read of the durations alone, on two connections.
    double readMs = -1;
    if (auto store = fb::ExperimentStore::open(storePath.toStdString())) {
        QElapsedTimer clock;
        clock.start();
        if (auto durations = store->completedLineDurations(run, 2)) {
            readMs = double(clock.nsecsElapsed()) / 1e6;
        }
    }
    const double ttftMs = timeChart(storePath, run, Chart::Ttft, nullptr, nullptr);
    std::printf("chart_1m_cpu_ms=%.0f\n", cpuMs);
    std::printf("chart_1m_read_ms=%.0f\n", readMs);
    std::printf("chart_1m_cached_ms=%.1f\n", cachedMs);
    std::printf("chart_1m_ttft_ms=%.0f\n", ttftMs);
    std::printf("chart_1m_ms=%.0f\n", ms);
    std::fflush(stdout);
    return ms < 0 || ms > 200 ? 1 : 0;
}
