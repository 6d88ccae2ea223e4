// RetryPolicy: which statuses retry, exponential backoff with full jitter and its cap, and
// server-requested waits from retry-after-ms / retry-after (seconds or an HTTP date).

#include <core/llm/retrypolicy.h>

#include <QtTest>

#include <optional>

using fb::RetryPolicy;

namespace {

/// "Sun, 06 Nov 1994 08:49:37 GMT" as a time_t.
constexpr std::time_t kRfcExample = 784111777;

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryableStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retryable");
        for (const int s : {408, 429, 500, 502, 503, 504}) {
            QTest::newRow(qPrintable(QString::number(s))) << s << true;
        }
        for (const int s : {200, 400, 401, 403, 404, 409, 413, 422, 501, 505}) {
            QTest::newRow(qPrintable(QString::number(s))) << s << false;
        }
    }
    void retryableStatus()
    {
        QFETCH(int, status);
        QFETCH(bool, retryable);
        QCOMPARE(RetryPolicy::isRetryableStatus(status), retryable);
    }

    void serverDelay_data()
    {
        QTest::addColumn<QString>("retryAfterMs");
        QTest::addColumn<QString>("retryAfter");
        QTest::addColumn<double>("expected"); // < 0: no server delay

        QTest::newRow("ms-header") << "300"
                                   << "" << 300.0;
        QTest::newRow("ms-header-wins") << "250"
                                        << "9" << 250.0;
        QTest::newRow("ms-header-padded") << " 40 \r"
                                          << "" << 40.0;
        QTest::newRow("ms-header-fraction") << "12.5"
                                            << "" << 12.5;
        QTest::newRow("seconds") << ""
                                 << "2" << 2000.0;
        QTest::newRow("seconds-fraction") << ""
                                          << "1.5" << 1500.0;
        QTest::newRow("bad-ms-falls-back") << "soon"
                                           << "1" << 1000.0;
        QTest::newRow("negative-ms-falls-back") << "-5"
                                                << "3" << 3000.0;
        QTest::newRow("imf-fixdate") << ""
                                     << "Sun, 06 Nov 1994 08:49:37 GMT" << 5000.0;
        QTest::newRow("rfc850-date") << ""
                                     << "Sunday, 06-Nov-94 08:49:37 GMT" << 5000.0;
        QTest::newRow("asctime-date") << ""
                                      << "Sun Nov  6 08:49:37 1994" << 5000.0;
        QTest::newRow("date-in-past") << ""
                                      << "Sun, 06 Nov 1994 08:49:00 GMT" << 0.0;
        QTest::newRow("garbage") << ""
                                 << "whenever" << -1.0;
        QTest::newRow("absent") << ""
                                << "" << -1.0;
    }
    void serverDelay()
    {
        QFETCH(QString, retryAfterMs);
        QFETCH(QString, retryAfter);
        QFETCH(double, expected);
        const auto now = std::chrono::system_clock::from_time_t(kRfcExample - 5);
        const std::string ms = retryAfterMs.toStdString();
        const std::string s = retryAfter.toStdString();
        const std::optional<double> got = RetryPolicy::serverDelayMs(ms, s, now);
        if (expected < 0) {
            QVERIFY(!got.has_value());
        } else {
            QVERIFY(got.has_value());
            QCOMPARE(*got, expected);
        }
    }

    void delay_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<double>("unit");
        QTest::addColumn<double>("server"); // < 0: none
        QTest::addColumn<double>("expected");

        // base 500 ms, cap 30 s, server waits capped at 120 s
        QTest::newRow("first-retry-half-jitter") << 0 << 0.5 << -1.0 << 250.0;
        QTest::newRow("first-retry-full") << 0 << 1.0 << -1.0 << 500.0;
        QTest::newRow("fourth-retry-full") << 3 << 1.0 << -1.0 << 4000.0;
        QTest::newRow("zero-jitter") << 5 << 0.0 << -1.0 << 0.0;
        QTest::newRow("capped") << 10 << 1.0 << -1.0 << 30000.0;
        QTest::newRow("huge-retry-number-capped") << 500 << 0.5 << -1.0 << 15000.0;
        QTest::newRow("server-wait-raises") << 0 << 0.0 << 2000.0 << 2000.0;
        QTest::newRow("backoff-longer-than-server") << 2 << 1.0 << 100.0 << 2000.0;
        QTest::newRow("server-wait-capped") << 0 << 0.1 << 500000.0 << 120000.0;
    }
    void delay()
    {
        QFETCH(int, retry);
        QFETCH(double, unit);
        QFETCH(double, server);
        QFETCH(double, expected);
        const RetryPolicy policy(8, 500, 30000, 120000);
        const auto serverMs = server < 0 ? std::nullopt : std::optional<double>(server);
        QCOMPARE(policy.delayMs(retry, unit, serverMs), expected);
    }

    void maxAttemptsAtLeastOne()
    {
        QCOMPARE(RetryPolicy(0, 1, 1, 1).maxAttempts(), 1);
        QCOMPARE(RetryPolicy(5, 1, 1, 1).maxAttempts(), 5);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
