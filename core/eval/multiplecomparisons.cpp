#include <core/eval/multiplecomparisons.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace fb {

Result<std::vector<double>> MultipleComparisons::holm(const std::vector<double> &pValues)
{
    std::vector<std::size_t> order;
    order.reserve(pValues.size());
    for (std::size_t i = 0; i < pValues.size(); ++i) {
        const double p = pValues[i];
        if (std::isnan(p)) {
            continue;
        }
        if (!(p >= 0.0 && p <= 1.0)) {
            char value[32];
            std::snprintf(value, sizeof value, "%g", p);
            return fail(ErrorCode::InvalidArgument,
                        "p-value " + std::to_string(i) + " is " + value + ", not in [0, 1]");
        }
        order.push_back(i);
    }
    // Stable, so tied p-values keep their input order; the running maximum gives them the
    // same adjusted value either way.
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return pValues[a] < pValues[b]; });

    std::vector<double> adjusted(pValues.size(), std::nan(""));
    const std::size_t m = order.size();
    double runningMax = 0.0;
    for (std::size_t j = 0; j < m; ++j) {
        const double step = std::min(1.0, double(m - j) * pValues[order[j]]);
        runningMax = std::max(runningMax, step);
        adjusted[order[j]] = runningMax;
    }
    return adjusted;
}

} // namespace fb
