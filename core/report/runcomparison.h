#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/eval/pairedtests.h>
#include <core/report/runstatistics.h>
#include <core/store/storeids.h>
#include <core/store/storetypes.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fb {

class ExperimentStore;
class RunScores;
struct LineFigures;

/// One evaluator both runs have, compared line by line. Differences are candidate − baseline;
/// a "win" is a line where the candidate scores higher (or passes where the baseline fails).
struct EvaluatorComparison
{
    std::string name;

    std::size_t pairedScores = 0;       ///< lines where both runs have a score
    std::optional<double> baselineMean; ///< over those lines
    std::optional<double> candidateMean;
    std::optional<PairedBootstrapResult> bootstrap; ///< interval of the mean difference, p
    std::optional<WilcoxonResult> wilcoxon;
    std::optional<double> cohensD;     ///< paired d_z of the differences
    std::optional<double> cliffsDelta; ///< candidate over baseline
    std::string differenceMethod;      ///< "bootstrap" or "normal" (see StatsOptions)

    std::size_t pairedVerdicts = 0; ///< lines where both runs have a verdict
    std::optional<double> baselinePassRate;
    std::optional<double> candidatePassRate;
    std::optional<McNemarResult> mcnemar; ///< onlyA = baseline-only passes

    WinTieLoss winTieLoss; ///< on scores when paired scores exist, else on verdicts

    /// The headline test: McNemar when there are paired verdicts, else the paired bootstrap
    /// (or its normal approximation); nullopt when nothing is paired.
    [[nodiscard]] std::optional<double> pValue() const;
    /// "McNemar", "paired bootstrap", "paired normal" or "".
    [[nodiscard]] std::string testName() const;
    /// The headline effect: the pass-rate difference with verdicts, else Cohen's d_z.
    [[nodiscard]] std::optional<double> effect() const;
    /// "Δ pass rate" or "Cohen's d" (or "").
    [[nodiscard]] std::string effectName() const;
    [[nodiscard]] Value toJson() const;
};

/// A paired test of mean(candidate − baseline) over per-line figures (line latency, line cost):
/// the paired bootstrap up to StatsOptions::maxBootstrapSize pairs, else the normal
/// approximation, exactly as for an evaluator's scores.
struct PairedDifference
{
    std::size_t n = 0;                 ///< pairs
    ConfidenceInterval meanDifference; ///< estimate = mean of candidate − baseline
    double pValue = 1.0;               ///< two-sided (PairedTests::pairedBootstrap)
    std::string method;                ///< "bootstrap" or "normal"

    /// "paired bootstrap" or "paired normal".
    [[nodiscard]] std::string testName() const;
    [[nodiscard]] Value toJson() const;
};

/// Two runs over the same dataset compared on the lines both have (aligned by line index):
/// a paired test per shared evaluator with effect size and win/tie/loss, latency and cost on
/// the shared lines, and how many completed lines' outputs differ.
///
/// compare() reads both runs' lines page by page into LineFigures (numbers only) and merges
/// them on line index. Deterministic (seeded bootstrap). Not thread-safe (uses the caller's
/// store).
struct RunComparison
{
    RunSummary baseline;
    RunSummary candidate;

    std::int64_t sharedLines = 0;        ///< line indexes stored in both runs
    std::int64_t bothCompleted = 0;      ///< shared lines completed in both
    std::int64_t outputDifferences = 0;  ///< of those, lines whose outputs differ
    std::int64_t onlyBaselineFailed = 0; ///< shared lines failed in the baseline only
    std::int64_t onlyCandidateFailed = 0;

    std::vector<EvaluatorComparison> evaluators; ///< shared evaluators, by name

    Distribution baselineLatencyMs; ///< line durations on lines completed in both
    Distribution candidateLatencyMs;
    std::optional<double> meanLatencyDeltaMs; ///< mean of candidate − baseline, paired
    /// The paired test of line durations (ms) on the same lines; nullopt when there are none.
    std::optional<PairedDifference> latencyDifference;

    std::int64_t pricedLines = 0; ///< shared lines with a cost in both runs
    double baselineCostUsd = 0.0; ///< over those lines
    double candidateCostUsd = 0.0;
    /// The paired test of line cost (USD per line) on the priced lines; nullopt when none.
    std::optional<PairedDifference> costDifference;
    std::int64_t baselineTokens = 0; ///< prompt + completion over shared lines
    std::int64_t candidateTokens = 0;

    /// Fails with the store's error (NotFound for an unknown run) or InvalidArgument when both
    /// ids are the same run or the bootstrap options are bad.
    [[nodiscard]] static Result<RunComparison> compare(ExperimentStore &store, RunId baseline,
                                                       RunId candidate,
                                                       const StatsOptions &options = {});
    /// Same, from both runs' summaries, line figures and scores already loaded; touches no
    /// store.
    [[nodiscard]] static Result<RunComparison>
    compare(const RunSummary &baseline, const LineFigures &baselineLines,
            const RunScores &baselineScores, const RunSummary &candidate,
            const LineFigures &candidateLines, const RunScores &candidateScores,
            const StatsOptions &options);

    /// Which pairs of `runCount` runs (by position) a report compares: every pair when there
    /// are at most four runs, else the first run (the baseline) against each other run.
    [[nodiscard]] static std::vector<std::pair<std::size_t, std::size_t>>
    reportPairs(std::size_t runCount);

    [[nodiscard]] const EvaluatorComparison *evaluator(const std::string &name) const;
    [[nodiscard]] Value toJson() const;
};

} // namespace fb
