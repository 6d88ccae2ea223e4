#pragma once

#include <core/common/result.h>
#include <core/store/storeids.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

class ExperimentStore;

/// One evaluator's verdicts on the lines of one run, sorted by line index (one entry per line
/// that has a score or a verdict).
struct EvaluatorColumn
{
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::string name;   ///< "exact_match"; from an evaluation run `k` or "EVALRUN.k"
    std::string source; ///< empty for built-in evaluators, else the evaluation run's name
    std::vector<std::int64_t> lineIndexes; ///< ascending, unique
    std::vector<double> scores;            ///< NaN where the line has no score
    std::vector<signed char> verdicts;     ///< -1 no verdict, 0 failed, 1 passed
    std::size_t scoreCount = 0;            ///< entries with a score
    std::size_t verdictCount = 0;          ///< entries with a verdict

    /// The position of `lineIndex` in lineIndexes, or npos (binary search).
    [[nodiscard]] std::size_t find(std::int64_t lineIndex) const;
};

/// Every per-line evaluator result of a run, as numbers only: the built-in evaluators' scores
/// stored with the lines, and the outputs of the evaluation runs whose base is this run.
///
/// An evaluation run E (a run whose baseRunId is the run) contributes one evaluator per output
/// key k whose values are all numbers (a score), booleans or verdict words ("true"/"false",
/// "pass"/"fail", "passed"/"failed", "correct"/"incorrect", "yes"/"no", any case: a verdict)
/// or numeric strings (a score); a key with any other non-null value is not an evaluator. It
/// is named `k` when E is the run's only evaluation run and no built-in evaluator is called k,
/// else "E.k". Lines of E align with the base run's lines by line index.
///
/// Memory: numeric vectors only; evaluation-run lines are read in pages. Not thread-safe
/// (uses the caller's store).
class RunScores final
{
public:
    /// Fails with the store's error (NotFound for an unknown run).
    [[nodiscard]] static Result<RunScores> load(ExperimentStore &store, RunId run,
                                                std::int64_t pageSize = 10000);

    /// Columns in name order.
    [[nodiscard]] const std::vector<EvaluatorColumn> &columns() const { return m_columns; }
    /// The column called `name`, or nullptr.
    [[nodiscard]] const EvaluatorColumn *column(std::string_view name) const;
    /// The evaluation runs folded in, in id order.
    [[nodiscard]] const std::vector<RunId> &evaluationRunIds() const { return m_evaluationRunIds; }
    /// Their names, in the same order.
    [[nodiscard]] const std::vector<std::string> &evaluationRunNames() const
    {
        return m_evaluationRunNames;
    }
    /// Whether an evaluation run's keys and metrics are prefixed with its name (see above).
    [[nodiscard]] bool prefixesEvaluationRuns() const { return m_prefixed; }

private:
    std::vector<EvaluatorColumn> m_columns;
    std::vector<RunId> m_evaluationRunIds;
    std::vector<std::string> m_evaluationRunNames;
    bool m_prefixed = false;
};

} // namespace fb
