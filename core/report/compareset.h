#pragma once

#include <core/common/result.h>
#include <core/report/compareverdict.h>
#include <core/report/linefigures.h>
#include <core/report/runcomparison.h>
#include <core/report/runscores.h>
#include <core/store/storeids.h>
#include <core/store/storetypes.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;

/// One run of a compare set as loaded: its summary, per-line figures and scores (numbers only).
struct CompareSetRun
{
    RunSummary summary;
    LineFigures lines;
    RunScores scores;
};

/// What a compare view shows of 2–20 runs over one dataset: the first run is the baseline;
/// the runs' lines aligned by dataset line index (the union of every run's stored lines); per
/// aligned row which runs differ from the baseline, regress or improve on a focus evaluator,
/// or failed; the baseline's paired comparison with each candidate, and the verdicts over all
/// of them with Holm's correction (CompareVerdict).
///
/// A row *differs* when some candidate has the line with another status than the baseline's,
/// or both completed with different outputs (output hashes). On the focus evaluator a
/// candidate *regresses* on a row when the baseline passed and it did not (verdicts), scored
/// lower (scores only), or when the baseline completed the line and the candidate failed it;
/// it *improves* in the opposite cases. Without a focus evaluator only failures count. A row is
/// a regression (improvement) when any candidate regresses (improves) on it.
///
/// Memory: the runs' LineFigures and RunScores plus 4 bytes per row and run. Loading reads each
/// run once (two passes: figures, scores). A plain value; thread-safe as a value.
class CompareSet
{
public:
    static constexpr std::uint32_t npos = 0xffffffffu;
    static constexpr std::size_t kMaxRuns = 20;

    enum RowFlag : std::uint8_t {
        Differs = 1,
        Regression = 2,
        Improvement = 4,
        FailedInAny = 8,
    };

    /// Loads `runs` (the first is the baseline; 2 to kMaxRuns distinct runs) and compares them.
    /// `cancel`, when set, makes a long load stop with Cancelled between runs. Fails with the
    /// store's error, or InvalidArgument for too few, too many or repeated runs.
    [[nodiscard]] static Result<CompareSet> load(ExperimentStore &store,
                                                 const std::vector<RunId> &runs,
                                                 const StatsOptions &options = {},
                                                 const std::atomic<bool> *cancel = nullptr);
    /// The same over runs already loaded (touches no store).
    [[nodiscard]] static Result<CompareSet> build(std::vector<CompareSetRun> runs,
                                                  const StatsOptions &options = {});
    /// The same runs with run `index` as the baseline (the others keep their order).
    [[nodiscard]] Result<CompareSet> withBaseline(std::size_t index) const;

    [[nodiscard]] std::size_t runCount() const { return m_runs.size(); }
    [[nodiscard]] const CompareSetRun &run(std::size_t i) const { return m_runs[i]; }
    /// Baseline vs run i + 1, for every candidate.
    [[nodiscard]] const std::vector<RunComparison> &comparisons() const { return m_comparisons; }
    [[nodiscard]] const CompareVerdict &verdict() const { return m_verdict; }
    [[nodiscard]] const std::vector<ComparabilityWarning> &warnings() const { return m_warnings; }
    /// Evaluator names every run has, in name order (candidates for the focus).
    [[nodiscard]] const std::vector<std::string> &sharedEvaluators() const { return m_shared; }

    /// The evaluator regressions and improvements are judged on: one of sharedEvaluators() or
    /// "" (failures only). build() picks the first shared evaluator. Recomputes the flags.
    void setFocusEvaluator(const std::string &name);
    [[nodiscard]] const std::string &focusEvaluator() const { return m_focus; }

    [[nodiscard]] std::size_t rowCount() const { return m_rowLines.size(); }
    [[nodiscard]] std::int64_t lineIndex(std::size_t row) const { return m_rowLines[row]; }
    /// Position of row's line in run(i).lines, or npos when that run has no such line.
    [[nodiscard]] std::uint32_t position(std::size_t row, std::size_t i) const
    {
        return m_positions[i][row];
    }
    [[nodiscard]] std::uint8_t flags(std::size_t row) const { return m_flags[row]; }
    /// Run i's own flags on row against the baseline (the baseline: only FailedInAny).
    [[nodiscard]] std::uint8_t cellFlags(std::size_t row, std::size_t i) const;
    /// The focus evaluator's score of run i on row (NaN: none); its verdict (-1 none, 0, 1).
    [[nodiscard]] double score(std::size_t row, std::size_t i) const;
    [[nodiscard]] signed char passed(std::size_t row, std::size_t i) const;
    /// Rows (ascending) whose flags include any of `mask`; every row for 0.
    [[nodiscard]] std::vector<std::uint32_t> rows(std::uint8_t mask) const;
    /// Rows counted per flag: {differs, regressions, improvements, failedInAny}.
    [[nodiscard]] std::array<std::size_t, 4> flagCounts() const;

private:
    void align();
    void computeFlags();

    std::vector<CompareSetRun> m_runs;
    StatsOptions m_options;
    std::vector<RunComparison> m_comparisons;
    CompareVerdict m_verdict;
    std::vector<ComparabilityWarning> m_warnings;
    std::vector<std::string> m_shared;
    std::string m_focus;
    std::vector<std::int64_t> m_rowLines;
    std::vector<std::vector<std::uint32_t>> m_positions; ///< [run][row]
    /// [run][row]: position in the focus column, or npos.
    std::vector<std::vector<std::uint32_t>> m_focusPositions;
    /// [run]: the focus column's position in the run's RunScores (indexes, so copies hold).
    std::vector<std::size_t> m_focusColumns;
    std::vector<bool> m_higherIsBetter;                  ///< [run], on the focus evaluator
    std::vector<std::uint8_t> m_flags;
};

} // namespace fb
