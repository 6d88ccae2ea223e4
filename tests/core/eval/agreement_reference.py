#!/usr/bin/env python3
"""Independent reference for the pinned values in tst_agreement.cpp and the Holm cases.

Written from the textbook definitions, not from core/eval/*.cpp, with exact rationals
(fractions.Fraction); standard library only. Run: python3 tests/core/eval/agreement_reference.py

Cohen (1960): p_o = sum_k n_kk / N, p_e = sum_k (row_k / N)(col_k / N),
kappa = (p_o - p_e) / (1 - p_e).
Fleiss (1971): P_i = (sum_j n_ij^2 - n) / (n (n - 1)), P-bar = mean P_i,
p_j = (sum_i n_ij) / (N n), P-bar_e = sum_j p_j^2, kappa = (P-bar - P-bar_e) / (1 - P-bar_e).
Holm (1979), adjusted as statsmodels' multipletests(method="holm"): sort ascending,
adjusted_(i) = max_{j <= i} min(1, (m - j) p_(j)).
"""

from fractions import Fraction as F


def cohen(table):
    n = sum(sum(r) for r in table)
    k = len(table)
    po = F(sum(table[i][i] for i in range(k)), n)
    rows = [sum(table[i]) for i in range(k)]
    cols = [sum(table[i][j] for i in range(k)) for j in range(k)]
    pe = sum(F(rows[i], n) * F(cols[i], n) for i in range(k))
    return po, pe, (po - pe) / (1 - pe)


def fleiss(counts):
    big_n = len(counts)
    n = sum(counts[0])
    assert all(sum(r) == n for r in counts)
    p_i = [F(sum(c * c for c in r) - n, n * (n - 1)) for r in counts]
    p_bar = sum(p_i) / big_n
    k = len(counts[0])
    p_j = [F(sum(r[j] for r in counts), big_n * n) for j in range(k)]
    pe = sum(p * p for p in p_j)
    return p_bar, pe, (p_bar - pe) / (1 - pe)


def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    out = [None] * m
    running = F(0)
    for j, i in enumerate(order):
        running = max(running, min(F(1), (m - j) * ps[i]))
        out[i] = running
    return out


def show(name, values):
    print(name + ": " + ", ".join(f"{v} = {float(v)!r}" for v in values))


def main():
    # Wikipedia, "Fleiss' kappa", worked example: 10 items, 14 raters, 5 categories.
    wikipedia = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    show("fleiss wikipedia (P-bar, P-bar_e, kappa)", fleiss(wikipedia))
    # Three raters, four items, labels a/b/c (tst_agreement: fleissFromLabels).
    labels = [["a", "a", "b"], ["b", "b", "b"], ["a", "c", "c"], ["c", "a", "b"]]
    cats = sorted({x for item in labels for x in item})
    show("fleiss labels", fleiss([[item.count(c) for c in cats] for item in labels]))

    # Cohen 2x2 (Wikipedia, "Cohen's kappa", first example): 20 yes/yes, 5 yes/no,
    # 10 no/yes, 15 no/no.
    show("cohen 2x2 (p_o, p_e, kappa)", cohen([[20, 5], [10, 15]]))
    # Cohen 3x3 of a 1-3 scale (tst_agreement: cohenThreeCategories).
    show("cohen 3x3", cohen([[10, 2, 1], [3, 8, 4], [0, 2, 5]]))
    # Worse than chance: the raters swap the two labels on 8 of 10 items.
    show("cohen negative", cohen([[1, 4], [4, 1]]))

    show("holm worked", holm([F(1, 100), F(4, 100), F(3, 100), F(5, 1000)]))
    show("holm ties", holm([F(2, 100), F(1, 100), F(2, 100), F(4, 100)]))
    show("holm capped", holm([F(6, 10), F(7, 10), F(1, 100)]))
    show("holm verdicts", holm([F(3, 100), F(41, 100), F(2, 10), F(4, 1000), F(1, 1000)]))
    store_cases()


def store_cases():
    """The ratings tst_ratingagreement writes to a store, aligned as RatingAgreement does."""
    def cohen_labels(x, y):
        cats = sorted(set(x) | set(y))
        table = [[sum(1 for a, b in zip(x, y) if a == ci and b == cj) for cj in cats]
                 for ci in cats]
        return cohen(table)

    def shared(x, y):
        pairs = [(a, b) for a, b in zip(x, y) if a is not None and b is not None]
        return [a for a, _ in pairs], [b for _, b in pairs]

    # Pass/fail (1/0) on lines 0..9; None = not rated. ana's line 2 is her correction (1 -> 0).
    ana = [1, 1, 0, 1, 0, 1, 1, 0, 1, 1]
    bo = [1, 0, 0, 1, 0, 1, 1, 1, 1, 1]
    cy = [1, 1, 0, 1, 1, 1, None, None, 1, 0]
    judge = [1, 1, 0, 0, None, 1, 1, 0, 1, 1]  # passed; no result on line 4
    for name, x, y in [("ana-bo", ana, bo), ("ana-cy", ana, cy), ("bo-cy", bo, cy),
                       ("ana-judge", ana, judge), ("bo-judge", bo, judge),
                       ("cy-judge", cy, judge)]:
        a, b = shared(x, y)
        show(f"store pass/fail {name} ({len(a)} lines)", cohen_labels(a, b))
    complete = [i for i in range(10) if None not in (ana[i], bo[i], cy[i])]
    counts = [[[ana[i], bo[i], cy[i]].count(c) for c in (0, 1)] for i in complete]
    show(f"store pass/fail fleiss ({len(complete)} lines)", fleiss(counts))

    # A 1-5 scale on lines 0..5; the judge's replies n, stored as (n - 1) / 4.
    ana5 = [5, 4, 3, 4, 2, 1]
    bo5 = [5, 3, 3, 4, 2, 2]
    judge5 = [5, 4, 2, 4, 2, 1]
    for name, x, y in [("ana-bo", ana5, bo5), ("ana-judge", ana5, judge5),
                       ("bo-judge", bo5, judge5)]:
        show(f"store 1-5 {name}", cohen_labels(x, y))


if __name__ == "__main__":
    main()
