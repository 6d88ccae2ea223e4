#pragma once

#include <core/common/result.h>
#include <core/report/linefigures.h>
#include <core/report/preferencesummary.h>
#include <core/report/ratingagreement.h>
#include <core/report/ratingsummary.h>
#include <core/report/runcomparison.h>
#include <core/report/runscores.h>
#include <core/report/runstatistics.h>
#include <core/store/storeids.h>

#include <vector>

namespace fb {

class ExperimentStore;

/// What every report shows about a list of runs: each run's scores and statistics, and the
/// comparisons RunComparison::reportPairs picks (all pairs up to four runs, else the first run
/// against each other). Computed once, with one pass over each run's lines, and shared by the
/// HTML, JSON and CLI outputs.
struct ReportData
{
    std::vector<RunStatistics> statistics; ///< in the order the runs were given
    std::vector<RunScores> scores;         ///< same order
    std::vector<LineFigures> lines;        ///< same order
    std::vector<RunComparison> comparisons;

    /// A run's human review: its ratings counted, and its raters' agreement on pass/fail and
    /// on stars (each empty of raters when nobody rated that way).
    struct Review
    {
        RatingSummary ratings;
        RatingAgreement passFail;
        RatingAgreement stars;
    };
    std::vector<Review> reviews; ///< same order as the runs
    /// Blind A/B reviews between any two of the runs that have preferences (pairs in run order).
    std::vector<PreferenceSummary> preferences;
    /// Whether any run has a rating or any pair a preference.
    [[nodiscard]] bool anyReview() const;

    /// Fails on an empty or duplicated run list, or with the first statistics/comparison
    /// error. Not thread-safe (uses the caller's store).
    [[nodiscard]] static Result<ReportData> collect(ExperimentStore &store,
                                                    const std::vector<RunId> &runs,
                                                    const StatsOptions &options = {});

    /// Evaluator names over all runs, in first-seen order.
    [[nodiscard]] std::vector<std::string> evaluatorNames() const;
    /// Whether any run was made against the simulator.
    [[nodiscard]] bool anySimulated() const;
};

} // namespace fb
