#include <ui/editor/linediff.h>

#include <algorithm>
#include <vector>

namespace fb::ui {

QList<LineDiff::Row> LineDiff::compare(const QStringList &left, const QStringList &right)
{
    const auto n = std::size_t(left.size());
    const auto m = std::size_t(right.size());
    // lcs[i][j]: length of the LCS of left[i..] and right[j..].
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            lcs[i][j] = left[qsizetype(i)] == right[qsizetype(j)]
                            ? lcs[i + 1][j + 1] + 1
                            : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    QList<Row> rows;
    QStringList removed;
    QStringList added;
    const auto flush = [&] {
        const qsizetype pairs = std::min(removed.size(), added.size());
        for (qsizetype k = 0; k < pairs; ++k) {
            rows.append({Row::Kind::Changed, removed[k], added[k]});
        }
        for (qsizetype k = pairs; k < removed.size(); ++k) {
            rows.append({Row::Kind::Removed, removed[k], {}});
        }
        for (qsizetype k = pairs; k < added.size(); ++k) {
            rows.append({Row::Kind::Added, {}, added[k]});
        }
        removed.clear();
        added.clear();
    };
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && left[qsizetype(i)] == right[qsizetype(j)]) {
            flush();
            rows.append({Row::Kind::Same, left[qsizetype(i)], right[qsizetype(j)]});
            ++i;
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            added.append(right[qsizetype(j++)]);
        } else {
            removed.append(left[qsizetype(i++)]);
        }
    }
    flush();
    return rows;
}

int LineDiff::differenceCount(const QList<Row> &rows)
{
    return int(std::count_if(rows.begin(), rows.end(),
                             [](const Row &r) { return r.kind != Row::Kind::Same; }));
}

} // namespace fb::ui
