// SseParser against the WHATWG event-stream rules and real provider streams, fed whole,
// split at every byte boundary, split at every pair of boundaries, and byte by byte.

#include <core/llm/sseparser.h>

#include <QtTest>

#include <string>
#include <vector>

using fb::SseParser;

namespace {

/// Readable form of events so a failing comparison shows what differs.
QString render(const std::vector<SseParser::Event> &events)
{
    QString out;
    for (const auto &e : events) {
        QString data = QString::fromStdString(e.data);
        data.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
        data.replace(QLatin1Char('\r'), QStringLiteral("\\r"));
        out += QStringLiteral("[%1|%2|%3]\n")
                   .arg(QString::fromStdString(e.type), QString::fromStdString(e.id), data);
    }
    return out;
}

std::vector<SseParser::Event> parseInPieces(const std::string &stream,
                                            const std::vector<std::size_t> &cuts)
{
    SseParser parser;
    std::vector<SseParser::Event> events;
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        parser.feed(std::string_view(stream).substr(from, cut - from), events);
        from = cut;
    }
    parser.feed(std::string_view(stream).substr(from), events);
    return events;
}

const char *const kOpenAi
    = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
      "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Zażółć\"},"
      "\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" 日本\"},"
      "\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"
      "\n\n"
      "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
      "\"completion_tokens\":2,\"total_tokens\":11}}\n\n"
      "data: [DONE]\n\n";

const char *const kAnthropic
    = "event: message_start\r\n"
      "data: {\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":"
      "{\"input_tokens\":12,\"output_tokens\":1}}}\r\n\r\n"
      "event: content_block_start\r\n"
      "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
      "\"text\":\"\"}}\r\n\r\n"
      "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n"
      "event: content_block_delta\r\n"
      "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
      "\"text\":\"Hello ✓\"}}\r\n\r\n"
      "event: message_delta\r\n"
      "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":"
      "{\"output_tokens\":3}}\r\n\r\n"
      "event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";

const char *const kLlamaCpp
    = "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"Hi\"}}],"
      "\"model\":\"gpt-3.5-turbo\"}\n\n"
      "data: {\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"usage\":"
      "{\"completion_tokens\":1,\"prompt_tokens\":4},\"timings\":{\"prompt_ms\":1.5,"
      "\"predicted_ms\":2.25}}\n\n"
      "data: [DONE]\n\n";

} // namespace

class TestSseParser : public QObject
{
    Q_OBJECT

private:
    void addRows()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("expected");

        QTest::newRow("openai-chat-stream")
            << QByteArray(kOpenAi)
            << QStringLiteral(
                   "[message||{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":"
                   "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                   "\"finish_reason\":null}]}]\n"
                   "[message||{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                   "\"Zażółć\"},\"finish_reason\":null}]}]\n"
                   "[message||{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                   "\" 日本\"},\"finish_reason\":null}]}]\n"
                   "[message||{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},"
                   "\"finish_reason\":\"stop\"}]}]\n"
                   "[message||{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
                   "\"completion_tokens\":2,\"total_tokens\":11}}]\n"
                   "[message||[DONE]]\n");
        QTest::newRow("anthropic-crlf-stream")
            << QByteArray(kAnthropic)
            << QStringLiteral(
                   "[message_start||{\"type\":\"message_start\",\"message\":{\"model\":"
                   "\"claude\",\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}]\n"
                   "[content_block_start||{\"type\":\"content_block_start\",\"index\":0,"
                   "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}]\n"
                   "[ping||{\"type\": \"ping\"}]\n"
                   "[content_block_delta||{\"type\":\"content_block_delta\",\"index\":0,"
                   "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello ✓\"}}]\n"
                   "[message_delta||{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                   "\"end_turn\"},\"usage\":{\"output_tokens\":3}}]\n"
                   "[message_stop||{\"type\":\"message_stop\"}]\n");
        QTest::newRow("llamacpp-stream")
            << QByteArray(kLlamaCpp)
            << QStringLiteral(
                   "[message||{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":"
                   "{\"content\":\"Hi\"}}],\"model\":\"gpt-3.5-turbo\"}]\n"
                   "[message||{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":"
                   "{}}],\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":4},\"timings\":"
                   "{\"prompt_ms\":1.5,\"predicted_ms\":2.25}}]\n"
                   "[message||[DONE]]\n");
        QTest::newRow("cr-line-ends") << QByteArray("data: a\rdata: b\r\rdata: c\r\r")
                                      << QStringLiteral("[message||a\\nb]\n[message||c]\n");
        QTest::newRow("mixed-line-ends") << QByteArray("data: a\r\ndata: b\n\rdata: c\r\n\n")
                                         << QStringLiteral("[message||a\\nb]\n[message||c]\n");
        QTest::newRow("lf-cr-is-two-line-ends")
            << QByteArray("data: x\n\r") << QStringLiteral("[message||x]\n");
        QTest::newRow("comments-ignored")
            << QByteArray(": keep-alive\n:\ndata: one\n: inside\n\n: trailing\n")
            << QStringLiteral("[message||one]\n");
        QTest::newRow("multi-line-data") << QByteArray("data: first\ndata:second\ndata:  third\n\n")
                                         << QStringLiteral("[message||first\\nsecond\\n third]\n");
        QTest::newRow("empty-data-lines") << QByteArray("data:\n\ndata\ndata\n\n")
                                          << QStringLiteral("[message||]\n[message||\\n]\n");
        QTest::newRow("event-without-data-not-dispatched")
            << QByteArray("event: lonely\n\ndata: x\n\n") << QStringLiteral("[message||x]\n");
        QTest::newRow("event-type-resets-after-dispatch")
            << QByteArray("event: a\ndata: 1\n\ndata: 2\n\n")
            << QStringLiteral("[a||1]\n[message||2]\n");
        QTest::newRow("id-persists-across-events")
            << QByteArray("id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")
            << QStringLiteral("[message|7|a]\n[message|7|b]\n[message||c]\n");
        QTest::newRow("id-with-nul-ignored")
            << QByteArray("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 32)
            << QStringLiteral("[message|1|a]\n[message|1|b]\n");
        QTest::newRow("bom-stripped") << QByteArray("\xEF\xBB\xBF"
                                                    "data: bom\n\n")
                                      << QStringLiteral("[message||bom]\n");
        QTest::newRow("bom-only-at-start") << QByteArray("\xEF\xBB\xBF"
                                                         "data: a\n\n\xEF\xBB\xBF"
                                                         "data: b\n\n")
                                           << QStringLiteral("[message||a]\n");
        QTest::newRow("partial-bom-is-data") << QByteArray("\xEF\xBB"
                                                           "data: a\n\ndata: b\n\n")
                                             << QStringLiteral("[message||b]\n");
        QTest::newRow("unterminated-last-event-dropped")
            << QByteArray("data: done\n\ndata: pending\n") << QStringLiteral("[message||done]\n");
        QTest::newRow("retry-and-unknown-fields-ignored")
            << QByteArray("retry: 1000\nfoo: bar\ndata: x\n\n") << QStringLiteral("[message||x]\n");
        QTest::newRow("colon-in-value-kept") << QByteArray("data: {\"a\": \"b:c\"}\n\n")
                                             << QStringLiteral("[message||{\"a\": \"b:c\"}]\n");
        QTest::newRow("empty-stream") << QByteArray() << QString();
    }

private Q_SLOTS:
    void whole_data() { addRows(); }
    void whole()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, expected);
        QCOMPARE(render(parseInPieces(stream.toStdString(), {})), expected);
    }

    void everySplitPoint_data() { addRows(); }
    void everySplitPoint()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, expected);
        const std::string s = stream.toStdString();
        for (std::size_t cut = 0; cut <= s.size(); ++cut) {
            const QString got = render(parseInPieces(s, {cut}));
            if (got != expected) {
                QFAIL(qPrintable(QStringLiteral("split at byte %1 of %2:\n%3\nexpected:\n%4")
                                     .arg(cut)
                                     .arg(s.size())
                                     .arg(got, expected)));
            }
        }
    }

    void everyPairOfSplitPoints_data() { addRows(); }
    void everyPairOfSplitPoints()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, expected);
        const std::string s = stream.toStdString();
        // Two cuts catch a CRLF or a UTF-8 sequence split across three feeds.
        const std::size_t n = std::min<std::size_t>(s.size(), 160);
        for (std::size_t a = 0; a <= n; ++a) {
            for (std::size_t b = a; b <= n; ++b) {
                if (render(parseInPieces(s, {a, b})) != expected) {
                    QFAIL(qPrintable(QStringLiteral("split at bytes %1 and %2").arg(a).arg(b)));
                }
            }
        }
    }

    void oneByteAtATime_data() { addRows(); }
    void oneByteAtATime()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, expected);
        const std::string s = stream.toStdString();
        std::vector<std::size_t> cuts;
        for (std::size_t i = 1; i < s.size(); ++i) {
            cuts.push_back(i);
        }
        QCOMPARE(render(parseInPieces(s, cuts)), expected);
    }

    void lineCap_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<int>("pieceBytes");
        QTest::addColumn<bool>("overflows");
        QTest::addColumn<QString>("expected");

        // Cap 16 bytes: "data: " + 10 bytes is a full line of 16.
        QTest::newRow("line-at-cap") << "data: 0123456789\n\n"
                                     << 0 << false << "[message||0123456789]\n";
        QTest::newRow("line-over-cap-whole") << "data: 0123456789A\n\n" << 0 << true << "";
        QTest::newRow("line-over-cap-bytewise") << "data: 0123456789A\n\n" << 1 << true << "";
        QTest::newRow("line-without-end") << "data: 0123456789ABCDEF" << 3 << true << "";
        QTest::newRow("events-before-are-kept")
            << "data: ok\n\ndata: 0123456789ABCDEF\n\ndata: later\n\n"
            << 0 << true << "[message||ok]\n";
        QTest::newRow("joined-data-over-cap") << "data: 01234\ndata: 56789\ndata: ABCDE\n\n"
                                              << 0 << true << "";
        QTest::newRow("joined-data-at-cap") << "data: 0123\ndata: 4567\ndata: 89A\n\n"
                                            << 0 << false << "[message||0123\\n4567\\n89A]\n";
    }

    /// A line or an event's data past the cap stops the parser instead of growing it.
    void lineCap()
    {
        QFETCH(QString, stream);
        QFETCH(int, pieceBytes);
        QFETCH(bool, overflows);
        QFETCH(QString, expected);

        SseParser parser(16);
        std::vector<SseParser::Event> events;
        const std::string s = stream.toStdString();
        const std::size_t step = pieceBytes > 0 ? std::size_t(pieceBytes) : s.size();
        for (std::size_t at = 0; at < s.size(); at += step) {
            parser.feed(std::string_view(s).substr(at, step), events);
        }
        QCOMPARE(parser.overflowed(), overflows);
        QCOMPARE(render(events), expected);
        parser.reset();
        QVERIFY(!parser.overflowed());
        parser.feed("data: again\n\n", events);
        QVERIFY(render(events).endsWith(QStringLiteral("[message||again]\n")));
    }

    void resetStartsOver()
    {
        SseParser parser;
        std::vector<SseParser::Event> events;
        parser.feed("id: 5\ndata: half", events);
        QVERIFY(events.empty());
        parser.reset();
        parser.feed("\xEF\xBB\xBF"
                    "data: new\n\n",
                    events);
        QCOMPARE(render(events), QStringLiteral("[message||new]\n"));
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
