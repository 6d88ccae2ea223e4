#include <core/eval/agreement.h>

#include <map>

namespace fb {

namespace {

// Sums stay exact 64-bit integers up to this many ratings: its square is below 2^63.
constexpr std::int64_t kMaxRatings = 3'000'000'000;

template <typename Label>
Result<KappaResult> cohenFromLabels(const std::vector<Label> &a, const std::vector<Label> &b)
{
    if (a.size() != b.size()) {
        return fail(ErrorCode::InvalidArgument,
                    "Cohen's kappa needs the same items from both raters (got "
                        + std::to_string(a.size()) + " and " + std::to_string(b.size())
                        + " labels)");
    }
    if (a.empty()) {
        return fail(ErrorCode::InvalidArgument, "Cohen's kappa needs at least one item");
    }
    std::map<Label, std::size_t> index;
    for (const auto *labels : {&a, &b}) {
        for (const auto &label : *labels) {
            index.emplace(label, 0);
        }
    }
    std::size_t k = 0;
    for (auto &[label, i] : index) {
        i = k++;
    }
    std::vector<std::vector<std::int64_t>> table(k, std::vector<std::int64_t>(k, 0));
    for (std::size_t i = 0; i < a.size(); ++i) {
        ++table[index[a[i]]][index[b[i]]];
    }
    return Agreement::cohensKappaFromTable(table);
}

} // namespace

Result<KappaResult> Agreement::cohensKappa(const std::vector<std::string> &a,
                                           const std::vector<std::string> &b)
{
    return cohenFromLabels(a, b);
}

Result<KappaResult> Agreement::cohensKappa(const std::vector<std::int64_t> &a,
                                           const std::vector<std::int64_t> &b)
{
    return cohenFromLabels(a, b);
}

Result<KappaResult>
Agreement::cohensKappaFromTable(const std::vector<std::vector<std::int64_t>> &table)
{
    const std::size_t k = table.size();
    if (k == 0) {
        return fail(ErrorCode::InvalidArgument, "Cohen's kappa needs a non-empty table");
    }
    std::vector<std::int64_t> rows(k, 0);
    std::vector<std::int64_t> columns(k, 0);
    std::int64_t total = 0;
    std::int64_t agreeing = 0;
    for (std::size_t i = 0; i < k; ++i) {
        if (table[i].size() != k) {
            return fail(ErrorCode::InvalidArgument, "Cohen's kappa needs a square table: row "
                                                        + std::to_string(i) + " has "
                                                        + std::to_string(table[i].size())
                                                        + " cells, expected " + std::to_string(k));
        }
        for (std::size_t j = 0; j < k; ++j) {
            const std::int64_t n = table[i][j];
            if (n < 0 || n > kMaxRatings - total) {
                return fail(ErrorCode::InvalidArgument,
                            "Cohen's kappa: cell (" + std::to_string(i) + ", " + std::to_string(j)
                                + ") is negative or the table holds more than 3,000,000,000 "
                                  "items");
            }
            total += n;
            rows[i] += n;
            columns[j] += n;
            agreeing += i == j ? n : 0;
        }
    }
    if (total == 0) {
        return fail(ErrorCode::InvalidArgument, "Cohen's kappa needs at least one item");
    }
    // With N items, A of them agreeing and S = sum_k rows_k columns_k: p_o = A / N,
    // p_e = S / N^2 and kappa = (N A - S) / (N^2 - S), all in exact integers but the division.
    std::int64_t chance = 0;
    for (std::size_t i = 0; i < k; ++i) {
        chance += rows[i] * columns[i];
    }
    const std::int64_t squared = total * total;
    KappaResult r;
    r.items = std::size_t(total);
    r.ratersPerItem = 2;
    r.categories = k;
    r.observedAgreement = double(agreeing) / double(total);
    r.expectedAgreement = double(chance) / double(squared);
    if (squared != chance) {
        r.kappa = double(total * agreeing - chance) / double(squared - chance);
    }
    return r;
}

Result<KappaResult> Agreement::fleissKappa(const std::vector<std::vector<std::string>> &itemLabels)
{
    std::map<std::string, std::size_t> index;
    for (const auto &item : itemLabels) {
        for (const auto &label : item) {
            index.emplace(label, 0);
        }
    }
    std::size_t k = 0;
    for (auto &[label, i] : index) {
        i = k++;
    }
    std::vector<std::vector<std::int64_t>> counts(itemLabels.size(),
                                                  std::vector<std::int64_t>(k, 0));
    for (std::size_t i = 0; i < itemLabels.size(); ++i) {
        for (const auto &label : itemLabels[i]) {
            ++counts[i][index[label]];
        }
    }
    return fleissKappaFromCounts(counts);
}

Result<KappaResult>
Agreement::fleissKappaFromCounts(const std::vector<std::vector<std::int64_t>> &counts)
{
    if (counts.empty()) {
        return fail(ErrorCode::InvalidArgument, "Fleiss' kappa needs at least one item");
    }
    const std::size_t k = counts.front().size();
    std::vector<std::int64_t> perCategory(k, 0);
    std::int64_t n = -1;
    std::int64_t total = 0;
    std::int64_t sumOfSquares = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i].size() != k) {
            return fail(ErrorCode::InvalidArgument, "Fleiss' kappa: item " + std::to_string(i)
                                                        + " has " + std::to_string(counts[i].size())
                                                        + " categories, expected "
                                                        + std::to_string(k));
        }
        std::int64_t ratings = 0;
        for (std::size_t j = 0; j < k; ++j) {
            const std::int64_t c = counts[i][j];
            if (c < 0 || c > kMaxRatings - total - ratings) {
                return fail(ErrorCode::InvalidArgument,
                            "Fleiss' kappa: item " + std::to_string(i)
                                + " has a negative count, or there are more than "
                                  "3,000,000,000 ratings");
            }
            ratings += c;
            perCategory[j] += c;
            sumOfSquares += c * c;
        }
        if (n < 0) {
            n = ratings;
        } else if (ratings != n) {
            return fail(ErrorCode::InvalidArgument,
                        "Fleiss' kappa needs the same number of ratings on every item: item "
                            + std::to_string(i) + " has " + std::to_string(ratings)
                            + ", item 0 has " + std::to_string(n));
        }
        total += ratings;
    }
    if (n < 2) {
        return fail(ErrorCode::InvalidArgument,
                    "Fleiss' kappa needs at least two ratings per item (got " + std::to_string(n)
                        + ")");
    }
    // With T = N n ratings, A = sum_ij n_ij^2 - T and C = sum_j (column total)^2:
    // P-bar = A / (T (n - 1)), P-bar_e = C / T^2, and
    // kappa = (P-bar - P-bar_e) / (1 - P-bar_e) = (A T - C (n - 1)) / ((n - 1) (T^2 - C)).
    // A T reaches n T^2, past 64 bits for large runs: long double keeps it exact far longer.
    std::int64_t chance = 0;
    for (std::int64_t c : perCategory) {
        chance += c * c;
    }
    const std::int64_t a = sumOfSquares - total;
    const std::int64_t squared = total * total;
    KappaResult r;
    r.items = counts.size();
    r.ratersPerItem = std::size_t(n);
    r.categories = k;
    r.observedAgreement = double(a) / (double(total) * double(n - 1));
    r.expectedAgreement = double(chance) / double(squared);
    if (squared != chance) {
        const long double numerator
            = (long double)a * (long double)total - (long double)chance * (long double)(n - 1);
        const long double denominator = (long double)(n - 1) * (long double)(squared - chance);
        r.kappa = double(numerator / denominator);
    }
    return r;
}

} // namespace fb
