#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/report/ratingagreement.h>
#include <core/store/storeids.h>
#include <core/store/storetypes.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;
struct EvaluatorColumn;

/// Counts of blind A/B choices.
struct PreferenceTally
{
    std::size_t a = 0;    ///< choices of run A
    std::size_t b = 0;    ///< choices of run B
    std::size_t ties = 0;
    std::size_t left = 0; ///< choices (not ties) of the output shown on the left

    [[nodiscard]] std::size_t decided() const { return a + b; }
    [[nodiscard]] std::size_t total() const { return a + b + ties; }
    [[nodiscard]] Value toJson() const;
};

/// One rater's choices.
struct RaterPreferences
{
    std::string rater;
    PreferenceTally tally;
};

/// What the raters of a blind A/B review of two runs chose, and how far they agree.
///
/// The unit is a (line, rater) choice; a rater who chose more than once on a line counts at
/// their last choice (preferences come in insertion order: a correction wins). Each choice is
/// a label "a", "b" or "tie". The overall tally counts every rater's choices; the sign test
/// (PairedTests::signTest, exact binomial on A's wins against B's, ties left out) asks whether
/// the raters prefer one run more often than chance. Position bias: of the decided choices,
/// the share that went to the output shown on the left (0.5 when there is none).
///
/// Agreement, on those labels as nominal categories: Cohen's kappa for each pair of raters
/// over the lines both judged, Fleiss' kappa over the lines every rater judged (two raters or
/// more), and each rater against an LLM judge: the judge "prefers" the run whose result on
/// the line is better — the higher score, or a pass over a fail when the evaluator gives
/// verdicts only — and calls equal results a tie; a line without the judge's result in both
/// runs is left out of that pair.
///
/// A plain value. compute() touches no store; load() reads the runs' preferences and, with a
/// judge, both runs' scores (not thread-safe: uses the caller's store).
struct PreferenceSummary
{
    RunId runA; ///< the smaller id of the two
    RunId runB;
    std::string nameA;
    std::string nameB;
    std::vector<std::int64_t> lines; ///< lines with any choice, ascending
    PreferenceTally overall;
    std::vector<RaterPreferences> raters; ///< in rater name order
    double signTestP = 1.0;
    double leftShare = 0.5; ///< overall.left / overall.decided(), 0.5 when none

    RatingTable table; ///< labels "a", "b", "tie" per line and rater
    std::vector<PairAgreement> pairs;
    std::size_t fleissLines = 0;
    std::optional<KappaResult> fleiss;
    std::string judge;
    std::vector<PairAgreement> judgePairs; ///< each rater against the judge

    /// The label of a preference: "a", "b" or "tie".
    [[nodiscard]] static std::string label(const Preference &preference);
    /// From preferences already read (all between runA and runB) and, for a judge, its
    /// results in each run (both null without one). Fails with InvalidArgument when a
    /// preference is of another pair, or a judge is named and a column is missing.
    [[nodiscard]] static Result<PreferenceSummary>
    compute(RunId runA, RunId runB, const std::vector<Preference> &preferences,
            const std::string &judge = {}, const EvaluatorColumn *judgeA = nullptr,
            const EvaluatorColumn *judgeB = nullptr);
    /// Reads the two runs (NotFound for an unknown one), their preferences, and with `judge`
    /// its results in both runs (NotFound when either run has none, naming what it has).
    [[nodiscard]] static Result<PreferenceSummary>
    load(ExperimentStore &store, RunId first, RunId second, const std::string &judge = {});

    [[nodiscard]] Value toJson() const;
};

} // namespace fb
