#include <core/report/ratingsummary.h>

#include <set>

namespace fb {

std::map<std::int64_t, std::vector<RaterOnLine>>
RatingSummary::byLine(const std::vector<Rating> &ratings)
{
    std::map<std::int64_t, std::map<std::string, RaterOnLine>> lines;
    for (const Rating &r : ratings) {
        RaterOnLine &said = lines[r.lineIndex][r.rater];
        said.rater = r.rater;
        if (r.score) {
            switch (r.kind) {
            case RatingKind::PassFail:
                said.passed = *r.score == 1.0;
                break;
            case RatingKind::Stars:
                said.stars = *r.score;
                break;
            case RatingKind::Score:
                said.score = *r.score;
                break;
            case RatingKind::Comment:
                break;
            }
        }
        if (!r.comment.empty()) {
            said.comments.push_back(r.comment);
        }
    }
    std::map<std::int64_t, std::vector<RaterOnLine>> out;
    for (auto &[line, byRater] : lines) {
        auto &list = out[line];
        for (auto &[rater, said] : byRater) {
            list.push_back(std::move(said));
        }
    }
    return out;
}

RatingSummary RatingSummary::of(const std::vector<Rating> &ratings)
{
    RatingSummary s;
    std::set<std::string> raters;
    double starSum = 0.0;
    for (const auto &[line, said] : byLine(ratings)) {
        ++s.ratedLines;
        for (const RaterOnLine &r : said) {
            raters.insert(r.rater);
            if (r.passed) {
                ++(*r.passed ? s.passes : s.fails);
            }
            if (r.stars) {
                ++s.starRatings;
                starSum += *r.stars;
            }
            s.comments += r.comments.size();
        }
    }
    s.starsMean = s.starRatings == 0 ? 0.0 : starSum / double(s.starRatings);
    s.raters.assign(raters.begin(), raters.end());
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
