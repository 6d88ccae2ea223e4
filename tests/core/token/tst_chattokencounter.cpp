#include <core/token/chattokencounter.h>
#include <core/token/tokenizer.h>

#include <QString>
#include <QTest>

#include <cmath>

using namespace fb;

namespace {

ChatMessage message(std::string role, std::string content, std::string name = {})
{
    ChatMessage m;
    m.role = std::move(role);
    m.content = std::move(content);
    m.name = std::move(name);
    return m;
}

/// The example conversation of OpenAI's cookbook "How to count tokens with tiktoken".
ChatMessages cookbookExample()
{
    return {
        message("system", "You are a helpful, pattern-following assistant that translates "
                          "corporate jargon into plain English."),
        message("system", "New synergies will help drive top-line growth.", "example_user"),
        message("system", "Things working well together will increase revenue.",
                "example_assistant"),
        message("system",
                "Let's circle back when we have more bandwidth to touch base on opportunities "
                "for increased leverage.",
                "example_user"),
        message("system", "Let's talk later when we're less busy about how to do better.",
                "example_assistant"),
        message("user", "This late pivot means we don't have time to boil the ocean for the "
                        "client deliverable."),
    };
}

} // namespace

class ChatTokenCounterTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cookbookExample_data();
    void cookbookExample();
    void unpublishedFamilies_data();
    void unpublishedFamilies();
    void unknownTokenizerIsEstimated_data();
    void unknownTokenizerIsEstimated();
    void ruleParts_data();
    void ruleParts();
    void toolMessagesAreNotExact();
    void countText();
};

void ChatTokenCounterTest::cookbookExample_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<qlonglong>("tokens");
    // The prompt_tokens the OpenAI API reported for the example, as published in the cookbook.
    QTest::newRow("gpt-3.5-turbo") << "gpt-3.5-turbo" << 129LL;
    QTest::newRow("gpt-3.5-turbo-0613") << "gpt-3.5-turbo-0613" << 129LL;
    QTest::newRow("gpt-4-0613") << "gpt-4-0613" << 129LL;
    QTest::newRow("gpt-4") << "gpt-4" << 129LL;
    QTest::newRow("gpt-4o") << "gpt-4o" << 124LL;
    QTest::newRow("gpt-4o-mini") << "gpt-4o-mini" << 124LL;
    QTest::newRow("gpt-3.5-turbo-0301") << "gpt-3.5-turbo-0301" << 127LL;
    QTest::newRow("azure-spelling") << "gpt-35-turbo" << 129LL;
    QTest::newRow("simulator-prefix") << "flowbench-sim:gpt-4o-mini" << 124LL;
}

void ChatTokenCounterTest::cookbookExample()
{
    QFETCH(QString, model);
    QFETCH(qlonglong, tokens);
    const ChatTokenCounter counter(model.toStdString());
    const ChatTokenCount c = counter.count(::cookbookExample());
    QCOMPARE(qlonglong(c.tokens), tokens);
    QVERIFY(c.exact);
    QVERIFY(counter.knowsTokenizer());
}

void ChatTokenCounterTest::unpublishedFamilies_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("gpt-4.1") << "gpt-4.1";
    QTest::newRow("gpt-5") << "gpt-5";
    QTest::newRow("o3-mini") << "o3-mini";
}

void ChatTokenCounterTest::unpublishedFamilies()
{
    // Same rule on the model's own encoding (o200k_base, as gpt-4o), but not labelled exact.
    QFETCH(QString, model);
    const ChatTokenCounter counter(model.toStdString());
    const ChatTokenCount c = counter.count(::cookbookExample());
    QCOMPARE(c.tokens, ChatTokenCounter("gpt-4o").count(::cookbookExample()).tokens);
    QVERIFY(!c.exact);
    QCOMPARE(counter.encoding(), std::string("o200k_base"));
    QVERIFY(counter.knowsTokenizer());
}

void ChatTokenCounterTest::unknownTokenizerIsEstimated_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("claude") << "claude-3-5-sonnet-20241022";
    QTest::newRow("llama") << "llama-3.1-8b-instruct";
    QTest::newRow("empty") << "";
}

void ChatTokenCounterTest::unknownTokenizerIsEstimated()
{
    QFETCH(QString, model);
    const ChatTokenCounter counter(model.toStdString());
    QVERIFY(!counter.knowsTokenizer());
    QCOMPARE(counter.encoding(), std::string("cl100k_base"));
    const ChatTokenCount c = counter.count(::cookbookExample());
    QVERIFY(!c.exact);
    const auto cl100k = ChatTokenCounter("gpt-4").count(::cookbookExample()).tokens;
    QCOMPARE(c.tokens, std::int64_t(std::ceil(double(cl100k) * ChatTokenCounter::kEstimateFactor)));
    QVERIFY(c.tokens > cl100k);
}

void ChatTokenCounterTest::ruleParts_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("perMessage");
    QTest::addColumn<int>("perName");
    QTest::newRow("gpt-4o") << "gpt-4o" << 3 << 1;
    QTest::newRow("gpt-4") << "gpt-4" << 3 << 1;
    QTest::newRow("gpt-3.5-turbo-0301") << "gpt-3.5-turbo-0301" << 4 << -1;
}

void ChatTokenCounterTest::ruleParts()
{
    // Each part of the rule on its own, against the tokenizer's counts.
    QFETCH(QString, model);
    QFETCH(int, perMessage);
    QFETCH(int, perName);
    const ChatTokenCounter counter(model.toStdString());
    const Tokenizer *tok = Tokenizer::forEncoding(counter.encoding());
    QVERIFY(tok != nullptr);
    const auto n = [&](const char *s) { return std::int64_t(tok->count(s)); };

    QCOMPARE(counter.count({}).tokens, std::int64_t(3)); // the reply priming alone
    const ChatMessages one{message("user", "Hello there, how are you?")};
    QCOMPARE(counter.count(one).tokens,
             3 + perMessage + n("user") + n("Hello there, how are you?"));
    const ChatMessages named{message("user", "Hello there, how are you?", "alice_1")};
    QCOMPARE(counter.count(named).tokens,
             3 + perMessage + n("user") + n("Hello there, how are you?") + n("alice_1") + perName);
    // Special-token text in content is ordinary text to the provider.
    const ChatMessages special{message("user", "<|endoftext|>")};
    QCOMPARE(counter.count(special).tokens, 3 + perMessage + n("user") + n("<|endoftext|>"));
    QVERIFY(n("<|endoftext|>") > 1);
}

void ChatTokenCounterTest::toolMessagesAreNotExact()
{
    const ChatTokenCounter counter("gpt-4o");
    ChatMessages messages{message("user", "What is the weather in Paris?")};
    const ChatTokenCount plain = counter.count(messages);
    QVERIFY(plain.exact);

    ChatMessage call = message("assistant", "");
    call.toolCalls = Value::parse(
        R"([{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Paris\"}"}}])");
    messages.push_back(call);
    ChatMessage result = message("tool", "{\"temp_c\": 18}");
    result.toolCallId = "call_1";
    messages.push_back(result);
    const ChatTokenCount withTools = counter.count(messages);
    QVERIFY(!withTools.exact);
    QVERIFY(withTools.tokens > plain.tokens + 20);
}

void ChatTokenCounterTest::countText()
{
    const std::string text = "Zażółć gęślą jaźń — 你好世界 🚀";
    const ChatTokenCount exact = ChatTokenCounter("gpt-4o").countText(text);
    QVERIFY(exact.exact);
    QCOMPARE(exact.tokens, std::int64_t(Tokenizer::forEncoding("o200k_base")->count(text)));
    const ChatTokenCount estimated = ChatTokenCounter("claude-sonnet-4").countText(text);
    QVERIFY(!estimated.exact);
    QCOMPARE(estimated.tokens,
             std::int64_t(std::ceil(double(Tokenizer::forEncoding("cl100k_base")->count(text))
                                    * ChatTokenCounter::kEstimateFactor)));
}

QTEST_GUILESS_MAIN(ChatTokenCounterTest)
#include "tst_chattokencounter.moc"
