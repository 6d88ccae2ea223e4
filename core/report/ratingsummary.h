#pragma once

#include <core/common/value.h>
#include <core/store/storetypes.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// What one rater said of one line: their last pass/fail, last stars and last bare score (a
/// later rating of a kind corrects an earlier one), and every comment in order.
struct RaterOnLine
{
    std::string rater;
    std::optional<bool> passed;
    std::optional<double> stars;
    std::optional<double> score; ///< a rating of no stated kind (stores before schema v4)
    std::vector<std::string> comments;
};

/// What the human ratings of one run say, counted over each rater's last rating of a kind on
/// a line (a later pass/fail or star rating corrects an earlier one; comments all count).
struct RatingSummary
{
    std::size_t passes = 0;
    std::size_t fails = 0;
    std::size_t starRatings = 0;
    double starsMean = 0.0; ///< over starRatings; 0 when there are none
    std::size_t comments = 0;
    std::vector<std::string> raters; ///< everyone who rated, in name order
    std::size_t ratedLines = 0;      ///< lines with any rating

    [[nodiscard]] static RatingSummary of(const std::vector<Rating> &ratings);
    /// Ratings (in insertion order) per line, then per rater in name order.
    [[nodiscard]] static std::map<std::int64_t, std::vector<RaterOnLine>>
    byLine(const std::vector<Rating> &ratings);
    /// passes / (passes + fails); nullopt without pass/fail ratings.
    [[nodiscard]] std::optional<double> passRate() const;
    [[nodiscard]] bool empty() const { return raters.empty(); }
    [[nodiscard]] Value toJson() const;
};

} // namespace fb
