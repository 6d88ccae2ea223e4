#!/usr/bin/env python3
"""Independent reference for the pinned bootstrap values in tst_evalstats.cpp.

Re-implements, from their specifications and not from core/eval/*.cpp:
  * std::mt19937_64 ([rand.predef]: w=64, n=312, m=156, r=31, a=0xB5026F5AA96619E9, u=29,
    d=0x5555555555555555, s=17, b=0x71D67FFFEDA60000, t=37, c=0xFFF7EEE000000000, l=43,
    f=6364136223846793005); checked against the standard's 10000th output for the default
    seed, 9981545732273789042;
  * the index draw documented in bootstrap.h: reject draws above the largest multiple of n
    (minus one) that fits in 64 bits, then take draw % n;
  * numpy's default "linear" percentile (h = (n - 1) q / 100);
  * the paired-bootstrap p-value documented in pairedtests.h:
    (1 + #{|m* - m| >= |m|}) / (1 + resamples).
Standard library only. Run: python3 tests/core/eval/bootstrap_reference.py
"""

import math

MASK = (1 << 64) - 1


class MT19937_64:
    def __init__(self, seed):
        self.mt = [seed & MASK]
        for i in range(1, 312):
            prev = self.mt[-1]
            self.mt.append((6364136223846793005 * (prev ^ (prev >> 62)) + i) & MASK)
        self.index = 312

    def _twist(self):
        mt = self.mt
        for i in range(312):
            y = (mt[i] & 0xFFFFFFFF80000000) | (mt[(i + 1) % 312] & 0x7FFFFFFF)
            v = mt[(i + 156) % 312] ^ (y >> 1)
            if y & 1:
                v ^= 0xB5026F5AA96619E9
            mt[i] = v
        self.index = 0

    def __call__(self):
        if self.index >= 312:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK


def resampled_means(values, resamples, seed):
    rng = MT19937_64(seed)
    n = len(values)
    limit = MASK - (MASK % n + 1) % n
    means = []
    for _ in range(resamples):
        total = 0.0
        for _ in range(n):
            draw = rng()
            while draw > limit:
                draw = rng()
            total += values[draw % n]
        means.append(total / n)
    return means


def percentile(sorted_values, q):
    h = (len(sorted_values) - 1) * (q / 100.0)
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    t = h - lo
    a, b = sorted_values[lo], sorted_values[hi]
    return b - (b - a) * (1.0 - t) if t >= 0.5 else a + (b - a) * t


def interval(means, confidence=0.95):
    s = sorted(means)
    return (percentile(s, 100.0 * (1.0 - confidence) / 2.0),
            percentile(s, 100.0 * (1.0 + confidence) / 2.0))


def main():
    rng = MT19937_64(5489)
    for _ in range(9999):
        rng()
    assert rng() == 9981545732273789042, "mt19937_64 reference is wrong"

    seed, resamples = 20240601, 2000  # BootstrapOptions defaults
    values = [0.577216, 0.693147, 0.301030, 0.367879, 0.141421,
              0.271828, 0.314159, 0.828427, 0.107143, 0.955000]
    lower, upper = interval(resampled_means(values, resamples, seed))
    print(f"meanInterval: lower {lower!r} upper {upper!r}")

    d = [3 - 1, 1 - 2, 2 - 1, 0 - 1, 4 - 1, 2 - 0, 1 - 2, 3 - 1]
    means = resampled_means(d, resamples, seed)
    observed = sum(d) / len(d)
    extreme = sum(1 for m in means if abs(m - observed) >= abs(observed))
    lower, upper = interval(means)
    print(f"pairedBootstrap: observed {observed!r} extreme {extreme} "
          f"p {(extreme + 1) / (resamples + 1)!r} lower {lower!r} upper {upper!r}")


if __name__ == "__main__":
    main()
