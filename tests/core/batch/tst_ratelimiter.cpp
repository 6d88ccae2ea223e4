// RPM/TPM token buckets on a simulated clock: long-run rates are exact, bursts are bounded,
// token charges are corrected by actual usage, and 429s slow the rate down (refill and debt
// repayment at the reduced rate, pinned start times); RateGate passes a 429 on to its limiter.

#include <core/batch/rategate.h>
#include <core/batch/ratelimiter.h>

#include <QTest>

#include <atomic>
#include <cmath>

using namespace fb;
using Clock = RateLimiter::Clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

/// Simulates callers that send as soon as allowed: `calls` reservations of `tokens` each at
/// t0; returns the start time of the last one, in seconds after t0.
double lastStart(RateLimiter &limiter, Clock::time_point t0, int calls, std::int64_t tokens)
{
    Clock::time_point last = t0;
    for (int i = 0; i < calls; ++i) {
        last = std::max(last, limiter.reserve(tokens, t0));
    }
    return seconds(t0, last);
}

} // namespace

class TestRateLimiter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void longRunRateIsExact_data()
    {
        QTest::addColumn<double>("rpm");
        QTest::addColumn<double>("tpm");
        QTest::addColumn<int>("calls");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<double>("expectedSeconds"); // start of the last call
        // rpm 600 = 10/s with a 2 s burst (20): 1,000 calls -> the last starts at (1000-20)/10.
        QTest::newRow("rpm-only") << 600.0 << 0.0 << 1000 << 100 << 98.0;
        // tpm 60,000 = 1,000 tokens/s, burst 2,000: 500 calls x 100 tokens -> (50,000-2,000)/1,000.
        QTest::newRow("tpm-only") << 0.0 << 60000.0 << 500 << 100 << 48.0;
        // Both: tokens bind (1,000 x 100 = 100,000 tokens at 1,000/s) rather than requests.
        QTest::newRow("tpm-binds") << 6000.0 << 60000.0 << 1000 << 100 << 98.0;
        QTest::newRow("unlimited") << 0.0 << 0.0 << 1000 << 100 << 0.0;
    }

    void longRunRateIsExact()
    {
        QFETCH(double, rpm);
        QFETCH(double, tpm);
        QFETCH(int, calls);
        QFETCH(int, tokens);
        QFETCH(double, expectedSeconds);
        const auto t0 = Clock::now();
        RateLimiter limiter({rpm, tpm}, t0);
        const double last = lastStart(limiter, t0, calls, tokens);
        QVERIFY2(std::abs(last - expectedSeconds) < 0.01, qPrintable(QString::number(last)));
    }

    void startsAreSpacedEvenlyAfterTheBurst()
    {
        const auto t0 = Clock::now();
        RateLimiter limiter({60, 0}, t0); // 1 per second, burst 2
        std::vector<double> starts;
        for (int i = 0; i < 6; ++i) {
            starts.push_back(seconds(t0, limiter.reserve(0, t0)));
        }
        QCOMPARE(starts[0], 0.0);
        QCOMPARE(starts[1], 0.0);
        for (int i = 2; i < 6; ++i) {
            QVERIFY(std::abs(starts[std::size_t(i)] - double(i - 1)) < 1e-6);
        }
    }

    void idleTimeRefillsOnlyUpToTheBurst()
    {
        const auto t0 = Clock::now();
        RateLimiter limiter({60, 0}, t0);
        // An hour idle still allows only a 2-request burst.
        const auto later = t0 + std::chrono::hours(1);
        QCOMPARE(seconds(later, limiter.reserve(0, later)), 0.0);
        QCOMPARE(seconds(later, limiter.reserve(0, later)), 0.0);
        QVERIFY(std::abs(seconds(later, limiter.reserve(0, later)) - 1.0) < 1e-6);
    }

    void settleCorrectsTheTokenCharge()
    {
        const auto t0 = Clock::now();
        RateLimiter over({0, 600}, t0); // 10 tokens/s, burst 20
        RateLimiter exact({0, 600}, t0);
        (void)over.reserve(20, t0);
        (void)exact.reserve(20, t0);
        over.settle(20, 60); // the call really used 60 tokens: 40 more owed
        exact.settle(20, 20);
        QVERIFY(std::abs(seconds(t0, over.reserve(1, t0)) - 4.1) < 1e-6);
        QVERIFY(std::abs(seconds(t0, exact.reserve(1, t0)) - 0.1) < 1e-6);
    }

    void rateLimitedSlowsDownAndRecovers()
    {
        const auto t0 = Clock::now();
        RateLimiter limiter({600, 0}, t0);
        QCOMPARE(limiter.factor(), 1.0);
        limiter.rateLimited();
        QCOMPARE(limiter.factor(), 0.5);
        // At half rate the 100 calls after the burst take twice as long.
        const double last = lastStart(limiter, t0, 120, 0);
        QVERIFY2(std::abs(last - 20.0) < 0.01, qPrintable(QString::number(last)));
        for (int i = 0; i < 30; ++i) {
            limiter.succeeded();
        }
        QCOMPARE(limiter.factor(), 1.0);
        for (int i = 0; i < 10; ++i) {
            limiter.rateLimited();
        }
        QCOMPARE(limiter.factor(), 1.0 / 16.0);
    }

    void refillUnderBackoffIsExact()
    {
        // rpm 60: 1 request/s, burst 2. Worked by hand from the documented rules: the bucket
        // refills at limit * factor, a 429 halves the factor, a success adds 0.05, and a
        // reservation in debt waits debt / (limit * factor).
        const auto t0 = Clock::now();
        const auto at = [t0](double s) {
            return t0
                   + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
        };
        RateLimiter limiter({60, 0}, t0);
        QCOMPARE(seconds(t0, limiter.reserve(0, t0)), 0.0); // level 2 → 1
        QCOMPARE(seconds(t0, limiter.reserve(0, t0)), 0.0); // level 1 → 0
        limiter.rateLimited();
        QCOMPARE(limiter.factor(), 0.5);
        // 2 s at 0.5/s refill one request (at the full rate it would be two).
        QCOMPARE(seconds(t0, limiter.reserve(0, at(2))), 2.0); // level 1 → 0
        // The next one is a request in debt, repaid at 0.5/s: 2 s.
        QVERIFY(std::abs(seconds(t0, limiter.reserve(0, at(2))) - 4.0) < 1e-6); // level → -1
        // 2 s later the debt is repaid (-1 + 0.5 * 2 = 0); one more waits 2 s again.
        QVERIFY(std::abs(seconds(t0, limiter.reserve(0, at(4))) - 6.0) < 1e-6); // level → -1
        limiter.rateLimited();
        QCOMPARE(limiter.factor(), 0.25);
        // Debt 2 at 0.25/s: 8 s.
        QVERIFY(std::abs(seconds(t0, limiter.reserve(0, at(4))) - 12.0) < 1e-6); // level → -2
        limiter.succeeded();
        QVERIFY(std::abs(limiter.factor() - 0.30) < 1e-12);
        // Debt 3 at 0.3/s: 10 s.
        QVERIFY(std::abs(seconds(t0, limiter.reserve(0, at(4))) - 14.0) < 1e-6); // level → -3

        // The token bucket the same way: tpm 600 = 10 tokens/s, burst 20.
        RateLimiter tokens({0, 600}, t0);
        QCOMPARE(seconds(t0, tokens.reserve(20, t0)), 0.0); // level 20 → 0
        tokens.rateLimited();
        // 1 s at 5 tokens/s refills 5.
        QCOMPARE(seconds(t0, tokens.reserve(5, at(1))), 1.0);                   // level 5 → 0
        QVERIFY(std::abs(seconds(t0, tokens.reserve(10, at(1))) - 3.0) < 1e-6); // 10 at 5/s
    }

    void rateGatePassesBackoffToTheLimiter()
    {
        // RateGate uses the real clock: bound the wait by the time the test itself took. rpm 60
        // (1/s, burst 2): two calls start at once; after a 429 the third waits for one request
        // at 0.5/s, i.e. 2 s less what refilled meanwhile (at most `elapsed` seconds' worth at
        // the full rate, 2 * elapsed seconds of waiting). Without the backoff it would wait at
        // most 1 s.
        std::atomic<int> admitted{0};
        std::atomic<int> cancelled{0};
        RateGate gate({60, 0});
        const auto admit = [&](bool ok) { ++(ok ? admitted : cancelled); };
        const auto before = Clock::now();
        (void)gate.acquire("c", 0, admit);
        (void)gate.acquire("c", 0, admit);
        QCOMPARE(admitted.load(), 2);
        gate.settle("c", 0, 0, true);
        auto waiter = gate.acquire("c", 0, admit);
        const double elapsedMs
            = std::chrono::duration<double, std::milli>(Clock::now() - before).count();
        const double waitMs = gate.totalWaitMs();
        QVERIFY2(
            waitMs <= 2000.0 + 1e-6 && waitMs >= 2000.0 - 2 * elapsedMs - 1e-6,
            qPrintable(QStringLiteral("waited %1 ms, test took %2 ms").arg(waitMs).arg(elapsedMs)));
        QCOMPARE(admitted.load(), 2);
        waiter->cancel();
        QCOMPARE(cancelled.load(), 1);
        QCOMPARE(gate.admittedCount(), std::int64_t(3));
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
