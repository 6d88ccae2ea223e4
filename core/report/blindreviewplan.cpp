#include <core/report/blindreviewplan.h>

#include <core/store/experimentstore.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <unordered_set>

namespace fb {

namespace {

std::uint64_t fnv1a(const std::string &text, std::uint64_t hash = 14695981039346656037ULL)
{
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

/// SplitMix64: one well-mixed 64-bit value from another (a line's coin toss).
std::uint64_t splitmix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

} // namespace

BlindReviewPlan BlindReviewPlan::make(RunId first, RunId second, const std::string &rater,
                                      std::vector<std::int64_t> commonLines,
                                      const std::vector<std::int64_t> &judged)
{
    const RunId a = std::min(first, second);
    const RunId b = std::max(first, second);
    BlindReviewPlan plan;
    plan.m_seed = fnv1a(rater + '\x1f' + std::to_string(a.value) + '\x1f'
                        + std::to_string(b.value));
    std::sort(commonLines.begin(), commonLines.end());
    commonLines.erase(std::unique(commonLines.begin(), commonLines.end()), commonLines.end());
    plan.m_commonLines = commonLines.size();

    // Shuffle every common line first, then drop the judged ones: the order of what is left
    // does not depend on how far the rater got.
    std::mt19937_64 rng(plan.m_seed);
    std::shuffle(commonLines.begin(), commonLines.end(), rng);
    const std::unordered_set<std::int64_t> done(judged.begin(), judged.end());
    for (const std::int64_t line : commonLines) {
        if (done.count(line) != 0) {
            ++plan.m_judgedBefore;
            continue;
        }
        const bool aLeft = (splitmix64(plan.m_seed ^ std::uint64_t(line)) & 1U) == 0;
        plan.m_items.push_back({line, aLeft ? a : b, aLeft ? b : a});
    }
    return plan;
}

Result<BlindReviewPlan> BlindReviewPlan::load(ExperimentStore &store, RunId first, RunId second,
                                              const std::string &rater)
{
    if (first == second) {
        return fail(ErrorCode::InvalidArgument, "a blind review compares two different runs");
    }
    if (rater.empty()) {
        return fail(ErrorCode::InvalidArgument, "a blind review needs the rater's name");
    }
    std::vector<std::vector<std::int64_t>> completed;
    for (const RunId run : {first, second}) {
        if (auto known = store.run(run); !known) {
            return known.error();
        }
        auto keys = store.lineKeys(run);
        if (!keys) {
            return keys.error();
        }
        std::vector<std::int64_t> lines;
        for (std::size_t i = 0; i < keys->size(); ++i) {
            if (keys->status[i] == LineStatus::Completed) {
                lines.push_back(keys->lineIndex[i]);
            }
        }
        completed.push_back(std::move(lines)); // ascending, as lineKeys gives them
    }
    std::vector<std::int64_t> common;
    std::set_intersection(completed[0].begin(), completed[0].end(), completed[1].begin(),
                          completed[1].end(), std::back_inserter(common));
    auto preferences = store.preferences(first, second);
    if (!preferences) {
        return preferences.error();
    }
    std::vector<std::int64_t> judged;
    for (const Preference &p : *preferences) {
        if (p.rater == rater) {
            judged.push_back(p.lineIndex);
        }
    }
    return make(first, second, rater, std::move(common), judged);
}

} // namespace fb
