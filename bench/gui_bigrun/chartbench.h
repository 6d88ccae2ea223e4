#pragma once

#include <QString>

namespace fb {
struct RunId;
} // namespace fb

/// The charts of Evaluate mode (RunChartsView, offscreen, 1280×800) on the bench's run. Prints
///   chart_1m_ms         setRuns -> the latency histogram painted (target ≤ 200)
///   chart_1m_cpu_ms     CPU time of all threads meanwhile
///   chart_1m_read_ms    of which the store's read of the durations, timed alone
///   chart_1m_cached_ms  back to the latency chart from another one (figures kept)
///   chart_1m_ttft_ms    setRuns -> the TTFT histogram painted (reads every LLM call)
/// Returns the number of missed targets.
int benchCharts(const QString &storePath, fb::RunId run);
