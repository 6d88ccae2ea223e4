#pragma once

#include <core/common/result.h>
#include <core/report/runstatistics.h>
#include <core/store/storeids.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;
struct ReportData;

/// What an HTML report shows.
struct HtmlReportOptions
{
    StatsOptions stats;
    std::int64_t maxRows = 200;      ///< side-by-side rows shown (the report says when capped)
    std::size_t maxCellBytes = 2000; ///< longer inputs/outputs are cut (and say so)
    std::string title;               ///< default "Flowbench report: FLOW"
    std::optional<std::int64_t> generatedAtMs; ///< ms since the epoch; default now
};

/// One self-contained HTML page about one or more runs (the runs of an experiment are its
/// variants): a header naming flow, dataset, variants and date (and "Simulated
/// (flowbench-sim)" when a run used the simulator); a summary table per run with 95 %
/// intervals; SVG charts (quality per evaluator with interval whiskers, line latency / LLM
/// latency / TTFT / TPOT box plots, quality vs cost); a significance table (all pairs up to
/// four runs, else the first run against each); stored metrics; failures with reasons; and the
/// first rows side by side with word-level differences from the first run marked.
///
/// The page opens offline: inline CSS and SVG only, no script, no external URL, every text
/// HTML-escaped. Light theme, print-friendly. Not thread-safe (uses the caller's store).
class HtmlReport
{
public:
    [[nodiscard]] static Result<std::string> render(ExperimentStore &store,
                                                    const std::vector<RunId> &runs,
                                                    const HtmlReportOptions &options = {});
    /// Same, from statistics already collected for those runs.
    [[nodiscard]] static Result<std::string> render(ExperimentStore &store, const ReportData &data,
                                                    const HtmlReportOptions &options);
    /// Renders and writes the page to `path` (Io error naming the file on failure).
    [[nodiscard]] static Result<void> write(ExperimentStore &store, const std::vector<RunId> &runs,
                                            const std::string &path,
                                            const HtmlReportOptions &options = {});
};

} // namespace fb
