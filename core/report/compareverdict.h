#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/store/storeids.h>
#include <core/store/storetypes.h>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fb {

struct RunComparison;

/// What a verdict is about; fixes the effect's unit.
enum class VerdictMetric {
    PassRate, ///< an evaluator with pass/fail verdicts; effect in percentage points
    Score,    ///< an evaluator with scores only; effect = mean score difference
    Latency,  ///< line duration; effect in ms
    Cost,     ///< line cost; effect in USD per 1,000 lines
};

/// Which way a candidate moved against the baseline on one metric.
enum class VerdictDirection {
    Better,                  ///< significant after Holm, in the good direction
    Worse,                   ///< significant after Holm, in the bad direction
    NoSignificantDifference, ///< tested; Holm-adjusted p >= alpha (or no difference at all)
    NotTested,               ///< no paired values to test (nothing shared, nothing priced)
};

/// One candidate against the baseline on one metric: structured, no prose, so that every
/// front end words (and translates) it itself.
struct MetricVerdict
{
    RunId candidateId;
    std::string candidate; ///< the candidate run's name
    std::string metric;    ///< the evaluator's name, or "latency" / "cost"
    VerdictMetric kind = VerdictMetric::Score;
    VerdictDirection direction = VerdictDirection::NotTested;
    bool higherIsBetter = true; ///< false for latency and cost (and evaluators so configured)
    /// candidate − baseline in the kind's unit: percentage points of pass rate, score points,
    /// ms, or USD per 1,000 lines. nullopt when not tested.
    std::optional<double> effect;
    std::optional<double> pValue;         ///< raw, of `test`
    std::optional<double> adjustedPValue; ///< Holm over every test of the set
    std::string test;                     ///< "McNemar", "paired bootstrap", "paired normal", ""
    std::size_t pairs = 0;                ///< paired lines the test used

    [[nodiscard]] Value toJson() const;
};

/// Why two runs' numbers may not be comparable.
enum class ComparabilityIssue {
    DatasetVersion,    ///< different dataset versions (content fingerprints), or one has none
    EvaluatorSettings, ///< an evaluator both runs have, configured differently
    ColumnMapping,     ///< inputs mapped from different columns
    SimulatedAndReal,  ///< one run's answers came from flowbench-sim, the other's did not
};

/// One comparability warning: the baseline and the runs that differ from it on `issue`.
struct ComparabilityWarning
{
    ComparabilityIssue issue = ComparabilityIssue::DatasetVersion;
    std::vector<std::string> runs;       ///< the baseline's name first, then each differing run's
    std::vector<std::string> evaluators; ///< EvaluatorSettings: the differing evaluators

    [[nodiscard]] Value toJson() const;
};

/// How verdicts are decided.
struct CompareVerdictOptions
{
    double alpha = 0.05; ///< family-wise error rate, in (0, 1)
    /// Evaluators whose lower scores are better (none of the built-in ones).
    std::set<std::string> lowerIsBetter;
};

/// Verdicts of a compare view: one baseline against N candidates, on each evaluator the two
/// runs share, on latency and on cost, with the p-values corrected for all those comparisons
/// at once (Holm over every test of the set: all candidates × all metrics that were tested), so
/// that twenty candidates × five metrics do not make five "significant" flukes.
///
/// Per metric: an evaluator with paired verdicts is judged on McNemar's test and its pass-rate
/// difference (pp); one with scores only on the paired bootstrap (or its normal approximation)
/// and the mean score difference; latency on the paired test of line durations and its mean
/// (ms); cost on the paired test of line costs and its mean × 1,000 (USD per 1,000 lines). A
/// direction is Better or Worse when the Holm-adjusted p < alpha and the effect is not zero
/// (latency and cost: lower is better).
///
/// The paired bootstrap's p-value is at least 1 / (1 + resamples) (≈ 0.0005 for the default
/// 2,000), so with m tests a bootstrap-tested metric cannot reach an adjusted p below
/// m / (1 + resamples): past ~100 tests at alpha 0.05, raise StatsOptions::bootstrap.resamples.
///
/// A plain value; computing it touches no store. Thread-safe as a value.
class CompareVerdict
{
public:
    /// Verdicts from the baseline's comparisons (RunComparison::compare(baseline, candidate)
    /// for each candidate), in the given order, metrics per candidate in the comparison's
    /// evaluator order, then latency, then cost. Fails with InvalidArgument when the
    /// comparisons do not share one baseline, a candidate repeats, or alpha is not in (0, 1).
    /// No comparisons give an empty set.
    [[nodiscard]] static Result<CompareVerdict> judge(const std::vector<RunComparison> &comparisons,
                                                      const CompareVerdictOptions &options = {});

    /// What makes runs not comparable, each against the first (the baseline): different dataset
    /// versions, evaluator settings (per evaluator name both runs have — `parameters
    /// ["evaluators"]`, named as the batch names them), column mappings, or one simulated run
    /// among real ones. Different flow versions and variants are not warned about: they are what
    /// a comparison compares. One warning per issue, naming the baseline and the differing runs.
    [[nodiscard]] static std::vector<ComparabilityWarning>
    comparability(const std::vector<RunSummary> &runs);

    [[nodiscard]] const std::string &baseline() const { return m_baseline; }
    [[nodiscard]] RunId baselineId() const { return m_baselineId; }
    [[nodiscard]] double alpha() const { return m_alpha; }
    /// Tests the Holm correction counted (verdicts other than NotTested).
    [[nodiscard]] std::size_t testCount() const { return m_testCount; }
    [[nodiscard]] const std::vector<MetricVerdict> &verdicts() const { return m_verdicts; }
    /// The verdict of `candidate` (a run name) on `metric`, or nullptr.
    [[nodiscard]] const MetricVerdict *verdict(const std::string &candidate,
                                               const std::string &metric) const;

    /// `{"baseline", "alpha", "correction": "holm", "tests", "verdicts": [...]}`.
    [[nodiscard]] Value toJson() const;

    /// Stable tokens for JSON and front ends: "better", "worse", "no_significant_difference",
    /// "not_tested"; "pass_rate", "score", "latency", "cost"; "dataset_version",
    /// "evaluator_settings", "column_mapping", "simulated_and_real".
    [[nodiscard]] static const char *directionName(VerdictDirection direction);
    [[nodiscard]] static const char *metricName(VerdictMetric kind);
    [[nodiscard]] static const char *issueName(ComparabilityIssue issue);

private:
    std::string m_baseline;
    RunId m_baselineId;
    double m_alpha = 0.05;
    std::size_t m_testCount = 0;
    std::vector<MetricVerdict> m_verdicts;
};

} // namespace fb
