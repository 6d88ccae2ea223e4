#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/report/runstatistics.h>
#include <core/store/storeids.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;
struct ReportData;

/// What a JSON report holds.
struct JsonReportOptions
{
    StatsOptions stats;
    std::int64_t maxLines = 0;                 ///< lines of each run included (0 = none, -1 = all)
    std::optional<std::int64_t> generatedAtMs; ///< default now
};

/// A JSON document about runs: `{"format": "flowbench-report", "version": 1, "generated_at",
/// "runs": [RunStatistics::toJson()…], "comparisons": [RunComparison::toJson()…],
/// "lines": {RUN: [{line, status, inputs, outputs, scores: {EVALUATOR: {score, passed}},
/// latency_ms, queue_ms, prompt_tokens, completion_tokens, cost_usd, error}…]}}` ("lines" only
/// when maxLines != 0). Comparisons follow RunComparison::reportPairs. Not thread-safe.
class JsonReport
{
public:
    [[nodiscard]] static Result<Value> build(ExperimentStore &store, const std::vector<RunId> &runs,
                                             const JsonReportOptions &options = {});
    /// Same, from statistics already collected for those runs.
    [[nodiscard]] static Result<Value> build(ExperimentStore &store, const ReportData &data,
                                             const JsonReportOptions &options);
    /// Builds and writes the document (indented) to `path`.
    [[nodiscard]] static Result<void> write(ExperimentStore &store, const std::vector<RunId> &runs,
                                            const std::string &path,
                                            const JsonReportOptions &options = {});
};

} // namespace fb
