#pragma once

#include <core/common/result.h>
#include <core/report/runstatistics.h>
#include <core/store/storeids.h>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

class ExperimentStore;

/// CSV exports of runs (RFC 4180: comma-separated, CRLF line ends, a field is quoted when it
/// holds a comma, a quote, CR or LF, with quotes doubled; UTF-8 without a byte-order mark).
///
/// Lines CSV, one row per stored line of each run: `run, line, status, input.K…, output.K…,
/// score.E…, latency_ms, queue_ms, prompt_tokens, completion_tokens, cost_usd, error`. The
/// input/output/score columns are the union over the runs (a first pass over the lines finds
/// them; empty where a line has none). Strings are written as they are, other JSON values as
/// compact JSON; a score cell holds the score, else "true"/"false" for a verdict.
///
/// Metrics CSV: `run, metric, value, ci_low, ci_high, n` for every figure of RunStatistics
/// (quality with intervals, line counts, latency percentiles, throughput, tokens, cost,
/// retries) and every stored metric (`metric.NAME`).
///
/// Formula neutralisation (on by default): a cell that a spreadsheet would run as a formula —
/// text starting with = + - @ TAB or CR — gets a leading apostrophe, which spreadsheets show as
/// text; plain numbers (-1.5, +2e3) are left alone. Model outputs and dataset values are
/// untrusted text, so a report opened in a spreadsheet must not execute them.
///
/// Files are written atomically: to a temporary sibling, synced, then renamed over the target,
/// so an interrupted export never leaves a partial file or empties an existing one.
///
/// Lines are streamed page by page; memory does not grow with the run. Not thread-safe
/// (uses the caller's store).
class CsvReport
{
public:
    /// One field, quoted when RFC 4180 requires it.
    [[nodiscard]] static std::string quote(std::string_view field);
    /// One cell: neutralised when it would run as a formula (and `neutralize`), then quoted.
    [[nodiscard]] static std::string cell(std::string_view field, bool neutralize = true);

    [[nodiscard]] static Result<void> writeLines(ExperimentStore &store,
                                                 const std::vector<RunId> &runs, std::ostream &out,
                                                 std::int64_t pageSize = 10000,
                                                 bool neutralizeFormulas = true);
    [[nodiscard]] static Result<void> writeMetrics(const std::vector<RunStatistics> &statistics,
                                                   std::ostream &out,
                                                   bool neutralizeFormulas = true);

    /// The metrics file that goes with a lines file: "out.csv" → "out.metrics.csv" (the
    /// suffix is appended when the name does not end in ".csv").
    [[nodiscard]] static std::string metricsPath(const std::string &linesPath);
    /// Writes the lines CSV to `linesPath` and the metrics CSV to metricsPath(linesPath); Io
    /// errors name the file.
    [[nodiscard]] static Result<void> write(ExperimentStore &store, const std::vector<RunId> &runs,
                                            const std::string &linesPath,
                                            const StatsOptions &options = {},
                                            bool neutralizeFormulas = true);
};

} // namespace fb
