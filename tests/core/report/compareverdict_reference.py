#!/usr/bin/env python3
"""Independent reference for the latency and cost tests pinned in tst_compareverdict.cpp.

Uses tests/core/eval/bootstrap_reference.py (std::mt19937_64, the documented index draw and
numpy's linear percentile re-implemented from their specifications) for the paired bootstrap
of candidate - baseline; McNemar's exact p and Holm's adjustment are worked with fractions.
Standard library only. Run: python3 tests/core/report/compareverdict_reference.py
"""

import os
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "eval"))
import bootstrap_reference as ref  # noqa: E402

SEED, RESAMPLES = 20240601, 2000  # BootstrapOptions defaults

# The 20 lines of verdictsFromStore: baseline durations, and the candidates' differences.
BASE_MS = [120, 95, 210, 150, 180, 99, 130, 160, 140, 175,
           88, 230, 145, 160, 122, 118, 199, 140, 105, 133]
B_DELTA_MS = [15, -30, 40, -10, 25, -45, 5, 30, -20, 10,
              -15, 35, 20, -25, 0, 45, -35, 10, -5, 25]


def paired(candidate, baseline):
    d = [c - b for c, b in zip(candidate, baseline)]
    means = ref.resampled_means(d, RESAMPLES, SEED)
    observed = sum(d) / len(d)
    extreme = sum(1 for m in means if abs(m - observed) >= abs(observed))
    lower, upper = ref.interval(means)
    return observed, extreme, (extreme + 1) / (RESAMPLES + 1), lower, upper


def mcnemar_exact(b, c):
    n, k = b + c, min(b, c)
    from math import comb
    return min(F(1), 2 * sum(F(comb(n, i), 2 ** n) for i in range(k + 1)))


def holm(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda i: ps[i])
    out, running = [None] * m, F(0)
    for j, i in enumerate(order):
        running = max(running, min(F(1), (m - j) * ps[i]))
        out[i] = running
    return out


def main():
    b_ms = [x + d for x, d in zip(BASE_MS, B_DELTA_MS)]
    obs, extreme, p, lo, hi = paired(b_ms, BASE_MS)
    print(f"B latency: mean {obs!r} extreme {extreme} p {p!r} ci [{lo!r}, {hi!r}]")

    # Cost: A 0.002 USD a line, B the same, C 0.001: constant differences.
    c_cost = paired([0.001] * 20, [0.002] * 20)
    print(f"C cost: mean {c_cost[0]!r} (x 1000 = {c_cost[0] * 1000!r}) p {c_cost[2]!r}")

    p_b_em = mcnemar_exact(0, 6)   # B passes 6 lines A fails, A none that B fails
    p_c_em = mcnemar_exact(0, 10)
    p_b_lat = F(extreme + 1, RESAMPLES + 1)
    p_c_lat = F(1, RESAMPLES + 1)  # every difference -40: only the +1 is left
    p_b_cost = F(1)                # every difference 0
    p_c_cost = F(1, RESAMPLES + 1)
    tests = [("B exact_match", p_b_em), ("B latency", p_b_lat), ("B cost", p_b_cost),
             ("C exact_match", p_c_em), ("C latency", p_c_lat), ("C cost", p_c_cost)]
    for (name, raw), adj in zip(tests, holm([t[1] for t in tests])):
        print(f"{name}: p {raw} = {float(raw)!r}, Holm {adj} = {float(adj)!r}")


if __name__ == "__main__":
    main()
