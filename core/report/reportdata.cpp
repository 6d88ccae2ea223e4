#include <core/report/reportdata.h>

#include <core/store/experimentstore.h>

#include <algorithm>

namespace fb {

Result<ReportData> ReportData::collect(ExperimentStore &store, const std::vector<RunId> &runs,
                                       const StatsOptions &options)
{
    if (runs.empty()) {
        return fail(ErrorCode::InvalidArgument, "a report needs at least one run");
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        for (std::size_t j = i + 1; j < runs.size(); ++j) {
            if (runs[i] == runs[j]) {
                return fail(ErrorCode::InvalidArgument,
                            "run #" + std::to_string(runs[i].value) + " is listed twice");
            }
        }
    }
    ReportData data;
    for (RunId run : runs) {
        auto scores = RunScores::load(store, run, options.pageSize);
        if (!scores) {
            return scores.error();
        }
        LineFigures figures;
        auto stats = RunStatistics::compute(store, run, *scores, options, &figures);
        if (!stats) {
            return stats.error();
        }
        data.scores.push_back(std::move(*scores));
        data.lines.push_back(std::move(figures));
        data.statistics.push_back(std::move(*stats));
    }
    for (const auto &[i, j] : RunComparison::reportPairs(runs.size())) {
        auto c = RunComparison::compare(data.statistics[i].run, data.lines[i], data.scores[i],
                                        data.statistics[j].run, data.lines[j], data.scores[j],
                                        options);
        if (!c) {
            return c.error();
        }
        data.comparisons.push_back(std::move(*c));
    }
    for (RunId run : runs) {
        auto ratings = store.ratings(run);
        if (!ratings) {
            return ratings.error();
        }
        Review review;
        review.ratings = RatingSummary::of(*ratings);
        for (const auto &[kind, into] : {std::pair{RatingKind::PassFail, &review.passFail},
                                         std::pair{RatingKind::Stars, &review.stars}}) {
            RatingAgreementOptions agreementOptions;
            agreementOptions.kind = kind;
            auto agreement = RatingAgreement::compute(*ratings, nullptr, agreementOptions);
            if (!agreement) {
                return agreement.error();
            }
            *into = std::move(*agreement);
        }
        data.reviews.push_back(std::move(review));
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        for (std::size_t j = i + 1; j < runs.size(); ++j) {
            auto preferences = store.preferences(runs[i], runs[j]);
            if (!preferences) {
                return preferences.error();
            }
            if (preferences->empty()) {
                continue;
            }
            auto summary = PreferenceSummary::compute(runs[i], runs[j], *preferences);
            if (!summary) {
                return summary.error();
            }
            const bool iIsA = summary->runA == runs[i];
            summary->nameA = data.statistics[iIsA ? i : j].run.name;
            summary->nameB = data.statistics[iIsA ? j : i].run.name;
            data.preferences.push_back(std::move(*summary));
        }
    }
    return data;
}

bool ReportData::anyReview() const
{
    return !preferences.empty()
           || std::any_of(reviews.begin(), reviews.end(),
                          [](const Review &r) { return !r.ratings.empty(); });
}

std::vector<std::string> ReportData::evaluatorNames() const
{
    std::vector<std::string> names;
    for (const auto &s : statistics) {
        for (const auto &e : s.evaluators) {
            if (std::find(names.begin(), names.end(), e.name) == names.end()) {
                names.push_back(e.name);
            }
        }
    }
    return names;
}

bool ReportData::anySimulated() const
{
    return std::any_of(statistics.begin(), statistics.end(),
                       [](const RunStatistics &s) { return s.isSimulated(); });
}

} // namespace fb
