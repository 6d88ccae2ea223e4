#include <core/report/ratingsummary.h>

#include <map>
#include <set>
#include <utility>

namespace fb {

RatingSummary RatingSummary::of(const std::vector<Rating> &ratings)
{
    std::map<std::pair<std::int64_t, std::string>, double> verdicts;
    std::map<std::pair<std::int64_t, std::string>, double> stars;
    std::set<std::string> raters;
    std::set<std::int64_t> lines;
    RatingSummary s;
    for (const Rating &r : ratings) {
        const auto key = std::pair{r.lineIndex, r.rater};
        if (r.kind == RatingKind::PassFail && r.score) {
            verdicts[key] = *r.score;
        } else if (r.kind == RatingKind::Stars && r.score) {
            stars[key] = *r.score;
        }
        s.comments += r.comment.empty() ? 0 : 1;
        raters.insert(r.rater);
        lines.insert(r.lineIndex);
    }
    for (const auto &[key, v] : verdicts) {
        ++(v == 1.0 ? s.passes : s.fails);
    }
    double sum = 0.0;
    for (const auto &[key, v] : stars) {
        sum += v;
    }
    s.starRatings = stars.size();
    s.starsMean = stars.empty() ? 0.0 : sum / double(stars.size());
    s.raters.assign(raters.begin(), raters.end());
    s.ratedLines = lines.size();
    return s;
}

std::optional<double> RatingSummary::passRate() const
{
    if (passes + fails == 0) {
        return std::nullopt;
    }
    return double(passes) / double(passes + fails);
}

Value RatingSummary::toJson() const
{
    const auto rate = passRate();
    return Value{{"passes", passes},
                 {"fails", fails},
                 {"pass_rate", rate ? Value(*rate) : Value()},
                 {"star_ratings", starRatings},
                 {"stars_mean", starRatings > 0 ? Value(starsMean) : Value()},
                 {"comments", comments},
                 {"raters", raters},
                 {"rated_lines", ratedLines}};
}

} // namespace fb
