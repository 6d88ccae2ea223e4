#pragma once

#include <core/common/result.h>

#include <string>
#include <string_view>

namespace fb {

/// What a judge's reply says: the score on the judge's scale and the reasoning around it.
struct JudgeVerdict
{
    double score = 0.0;    ///< on the rubric's scale, e.g. 4 on 1-5
    std::string reasoning; ///< the reply without its score line (or a JSON reason field)
};

/// Reads the score out of an LLM judge's free-text reply. Tried in this order, the first that
/// finds a number wins:
///  1. a JSON object (the whole reply, a ```json fence, or the outermost {...}) with a numeric
///     (or numeric string) "score" or "rating"; its "reasoning"/"explanation"/"reason"/
///     "rationale" becomes the reasoning;
///  2. the last line that starts with a label — "Score: 4", "**Score:** 4", "Final score = 4/5",
///     "# Rating: 3.5" (score or rating, optionally after final/overall, with ':' or '=');
///  3. the last label anywhere in the text ("... so my score is 4", "a rating of 2");
///  4. the last number in the reply ("I'd give it 4 out of 5").
/// A fraction ("4/5", "4 out of 5") must be out of the scale's maximum. Failures (Provider,
/// quoting the reply, truncated): empty reply, no number found, a fraction over another
/// maximum, a score outside [min, max]. Stateless and thread-safe.
class JudgeScoreParser
{
public:
    [[nodiscard]] static Result<JudgeVerdict> parse(std::string_view reply, double scaleMin,
                                                    double scaleMax);

    /// `text` cut to at most `max` bytes (on a UTF-8 boundary) with "..." appended when cut.
    [[nodiscard]] static std::string truncate(std::string_view text, std::size_t max);
};

} // namespace fb
