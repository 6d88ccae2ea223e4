#pragma once

#include <core/common/result.h>

#include <vector>

namespace fb {

/// Corrections of p-values for many comparisons made at once (e.g. every candidate run against
/// the baseline on every metric), so that "significant" keeps its meaning across the whole set.
/// Stateless; thread-safe.
class MultipleComparisons
{
public:
    /// Holm–Bonferroni step-down adjusted p-values, in input order, as statsmodels'
    /// multipletests(method="holm") gives them: with the m p-values sorted ascending,
    /// p_(0) <= ... <= p_(m-1), adjusted_(i) = max over j <= i of min(1, (m - j) p_(j))
    /// (j 0-based; the running maximum keeps the adjusted values in the order of the raw ones).
    /// Rejecting "adjusted < alpha" controls the family-wise error rate at alpha.
    ///
    /// NaN stands for "no test" (absent): it is passed through as NaN and not counted in m.
    /// Ties get equal adjusted values (whatever their input order). An empty list gives an
    /// empty list. Fails with InvalidArgument, naming the index, for a value outside [0, 1]
    /// (including ±infinity).
    [[nodiscard]] static Result<std::vector<double>> holm(const std::vector<double> &pValues);
};

} // namespace fb
