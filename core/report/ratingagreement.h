#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/eval/agreement.h>
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

/// How a judge's result on a line becomes a label comparable with the human ratings.
enum class JudgeLabels {
    Auto,    ///< Verdict when every rating is 0 or 1 (fail/pass) and the judge has verdicts,
             ///< else Scale
    Verdict, ///< the judge's pass/fail: passed = "1", failed = "0" (humans rate fail 0, pass 1)
    Scale,   ///< the judge's score s in [0, 1] put back on its scale: min + s (max - min)
};

/// What RatingAgreement computes.
struct RatingAgreementOptions
{
    /// The evaluator whose results are compared with each rater: a built-in evaluator stored
    /// with the lines (e.g. "llm_judge") or an evaluation run's output (as RunScores names it).
    /// Empty: no judge.
    std::string judge;
    JudgeLabels judgeLabels = JudgeLabels::Auto;
    /// The judge's scale for JudgeLabels::Scale. Default: the "scale" of the judge's spec in
    /// the run's parameters ["evaluators"], else llm_judge's default [1, 5].
    std::optional<double> judgeScaleMin;
    std::optional<double> judgeScaleMax;
    /// Only ratings of this kind count (pass/fail verdicts and stars are different questions);
    /// nullopt: every rating with a score, whatever its kind.
    std::optional<RatingKind> kind;
};

/// A run's human ratings laid out as items (rated lines) × raters.
struct RatingTable
{
    std::vector<std::int64_t> lines; ///< ascending line indexes rated by anyone
    std::vector<std::string> raters; ///< in name order
    /// labels[item][rater]: the rater's label of that line (RatingAgreement::label of the
    /// score), or nullopt when the rater did not rate it.
    std::vector<std::vector<std::optional<std::string>>> labels;

    /// labels[*][rater]: one rater's labels, line by line.
    [[nodiscard]] std::vector<std::optional<std::string>> column(std::size_t rater) const;
    /// The label rows of the lines every rater labelled.
    [[nodiscard]] std::vector<std::vector<std::string>> completeRows() const;
};

/// Cohen's kappa of two raters (or a rater and the judge) over the lines both labelled.
struct PairAgreement
{
    std::string first;
    std::string second;
    std::size_t sharedLines = 0;
    std::optional<KappaResult> kappa; ///< nullopt when no line was labelled by both

    /// Cohen's kappa of two label columns (same length) over the entries both have.
    [[nodiscard]] static Result<PairAgreement>
    between(std::string first, std::string second,
            const std::vector<std::optional<std::string>> &a,
            const std::vector<std::optional<std::string>> &b);
    [[nodiscard]] Value toJson() const;
    /// {"kappa", "observed_agreement", …} of one result.
    [[nodiscard]] static Value kappaJson(const KappaResult &kappa);
};

/// Agreement between the human raters of a run (Cohen's kappa per pair of raters, Fleiss'
/// kappa over all of them) and between each rater and an LLM judge (Cohen's kappa), on
/// nominal labels (see Agreement: a 1–5 scale counts as five unrelated categories).
///
/// How ratings become labels (tabulate): a rating without a score (a comment only) is not a
/// label; a rater who rated a line more than once is taken at their last rating (ratings come
/// in insertion order, so a correction wins); the label is the score written as a number
/// (4 and 4.0 both "4"; 0.5 "0.5"). Fleiss' kappa needs the same number of ratings on every
/// item, so it is computed over the lines every rater rated, and only with two raters or more.
///
/// The judge (options.judge) is read from the run's scores. Its label for a line is its
/// verdict ("1" passed, "0" failed) or its score put back on the judge's scale and written as
/// a rating is (JudgeLabels); a line without a judge result is left out of that pair.
///
/// A plain value. compute() touches no store; load() reads the run, its ratings and its
/// scores (RunScores: numbers only) and is not thread-safe (uses the caller's store).
struct RatingAgreement
{
    RatingTable table;
    std::vector<PairAgreement> pairs; ///< every pair of raters, in rater order
    std::size_t fleissLines = 0;      ///< lines rated by every rater
    /// Over those lines; nullopt for fewer than two raters or no such line.
    std::optional<KappaResult> fleiss;

    std::optional<RatingKind> kind;              ///< options.kind
    std::string judge;                           ///< options.judge
    JudgeLabels judgeLabels = JudgeLabels::Auto; ///< resolved: Verdict or Scale
    std::optional<double> judgeScaleMin;         ///< the scale used (Scale only)
    std::optional<double> judgeScaleMax;
    std::vector<PairAgreement> judgePairs; ///< each rater against the judge

    /// A rating score as a label: integral values without a fraction ("4"), others with up to
    /// 15 significant digits ("0.5"), which also turns a judge's score put back on its scale
    /// (7.000000000000001) into the reply it was ("7").
    [[nodiscard]] static std::string label(double score);
    [[nodiscard]] static RatingTable tabulate(const std::vector<Rating> &ratings);

    /// From ratings already read and the judge's column (nullptr when options.judge is empty).
    /// Fails with InvalidArgument when a judge is named but `judgeColumn` is null, or for a
    /// scale with min >= max.
    [[nodiscard]] static Result<RatingAgreement> compute(const std::vector<Rating> &ratings,
                                                         const EvaluatorColumn *judgeColumn,
                                                         const RatingAgreementOptions &options);
    /// Reads run `run`'s ratings, and the judge's results and scale when options.judge is set.
    /// Fails with the store's error (NotFound for an unknown run), NotFound when the run has
    /// no results from the judge (the message lists the evaluators it has), or as compute().
    [[nodiscard]] static Result<RatingAgreement> load(ExperimentStore &store, RunId run,
                                                      const RatingAgreementOptions &options = {});

    /// "auto", "verdict" or "scale".
    [[nodiscard]] static const char *judgeLabelsName(JudgeLabels labels);
    [[nodiscard]] Value toJson() const;
};

} // namespace fb
