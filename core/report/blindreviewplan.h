#pragma once

#include <core/common/result.h>
#include <core/store/storeids.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;

/// One line of a blind A/B review: which run's output goes on the left.
struct BlindReviewItem
{
    std::int64_t lineIndex = 0;
    RunId left;
    RunId right;
};

/// The order in which one rater sees the lines of a blind A/B review of two runs, and which
/// output is shown on which side.
///
/// The lines are those both runs completed. Their order is a shuffle and each line's sides a
/// coin toss, both drawn from a seed of the rater's name and the two run ids: the same rater
/// gets the same order and sides every time (a review can stop and go on), another rater
/// another order (so neither order nor side tells which run is which). Lines the rater has
/// already judged are left out. A plain value; load() reads the store (the caller's thread).
class BlindReviewPlan
{
public:
    /// The plan for `rater` over `commonLines` (both runs completed them; any order) with the
    /// lines in `judged` already done. The pair may come in either order.
    [[nodiscard]] static BlindReviewPlan make(RunId first, RunId second, const std::string &rater,
                                              std::vector<std::int64_t> commonLines,
                                              const std::vector<std::int64_t> &judged);
    /// Reads the two runs' completed lines and the rater's preferences between them.
    /// Fails with the store's error (NotFound for an unknown run), or InvalidArgument when the
    /// runs are the same or the rater is empty.
    [[nodiscard]] static Result<BlindReviewPlan> load(ExperimentStore &store, RunId first,
                                                      RunId second, const std::string &rater);

    /// The lines still to judge, in the order to show them.
    [[nodiscard]] const std::vector<BlindReviewItem> &items() const { return m_items; }
    /// Lines both runs completed.
    [[nodiscard]] std::size_t commonLines() const { return m_commonLines; }
    /// Of those, lines the rater had judged already.
    [[nodiscard]] std::size_t judgedBefore() const { return m_judgedBefore; }
    /// The seed the order and sides come from (FNV-1a of the rater and the run ids).
    [[nodiscard]] std::uint64_t seed() const { return m_seed; }

private:
    std::vector<BlindReviewItem> m_items;
    std::size_t m_commonLines = 0;
    std::size_t m_judgedBefore = 0;
    std::uint64_t m_seed = 0;
};

} // namespace fb
