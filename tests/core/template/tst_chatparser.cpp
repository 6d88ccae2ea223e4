#include <QtTest/QtTest>
#include <core/template/chatparser.h>

using fb::ChatParser;
using fb::Value;

class TestChatParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void errors_data();
    void errors();
    void toolCalls();
};

/// Messages are written as "role|name|toolCallId|content" joined by "\n--\n".
static QString describe(const fb::ChatMessages &messages)
{
    QStringList parts;
    for (const fb::ChatMessage &m : messages) {
        QString s
            = QString::fromStdString(m.role + "|" + m.name + "|" + m.toolCallId + "|" + m.content);
        if (!m.toolCalls.is_null()) {
            s += QString::fromStdString("|calls=" + m.toolCalls.dump());
        }
        parts << s;
    }
    return parts.join("\n--\n");
}

void TestChatParser::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const char *text, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(text) << QString::fromUtf8(expected);
    };
    row("plain-roles", "system:\nBe brief.\nuser:\nHi\n", "system|||Be brief.\n--\nuser|||Hi");
    row("hash-roles", "# system:\nA\n\n# user:\nB\n\n# assistant:\nC",
        "system|||A\n--\nuser|||B\n--\nassistant|||C");
    row("case-insensitive", "SYSTEM:\nA\nUser:\nB\n#AssisTant:\nC\n",
        "system|||A\n--\nuser|||B\n--\nassistant|||C");
    row("spaces-around", "  #  system  :  \nA\n\t user :\nB\n", "system|||A\n--\nuser|||B");
    row("content-trimmed", "user:\n\n   Hello there  \n\n", "user|||Hello there");
    row("leading-blank-lines", "\n\n  \nsystem:\nA\n", "system|||A");
    row("markdown-heading-not-role", "# system:\n# Example\nText\n## Details\nuser:\nQ\n",
        "system|||# Example\nText\n## Details\n--\nuser|||Q");
    row("role-word-inside-line", "user:\nthe user: said hi\nsystem: prompt\n",
        "user|||the user: said hi\nsystem: prompt");
    row("role-needs-line-end", "user:\nsystem: do this\n", "user|||system: do this");
    row("role-at-end-without-newline", "user:\nA\nassistant:", "user|||A\nassistant:");
    row("empty-message", "user:\nassistant:\nX\n", "user|||\n--\nassistant|||X");
    row("name-and-content", "# function:\n## name:\nget_weather\n## content:\n{\"t\": 20}\n",
        "function|get_weather||{\"t\": 20}");
    row("name-without-hashes", "user:\nname:\nbob\ncontent:\nhello\n", "user|bob||hello");
    row("name-optional-for-user", "user:\n## name:\nalice\n## content:\nHi\n", "user|alice||Hi");
    row("tool-call-id", "# tool:\n## tool_call_id:\ncall_1\n## content:\n42\n", "tool||call_1|42");
    row("all-roles",
        "system:\ns\nuser:\nu\nassistant:\na\nfunction:\nname:\nf\ncontent:\nr\ntool:\ntool_call_"
        "id:\nid\ncontent:\nt\n",
        "system|||s\n--\nuser|||u\n--\nassistant|||a\n--\nfunction|f||r\n--\ntool||id|t");
    row("crlf-lines", "system:\r\nA\r\nuser:\r\nB\r\n", "system|||A\n--\nuser|||B");
    row("unicode-content", "user:\nzażółć 日本\n", "user|||zażółć 日本");
}

void TestChatParser::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto messages = ChatParser::parse(text.toStdString(), "prompts/chat.jinja2");
    QVERIFY2(messages.has_value(), messages ? "" : messages.error().message.c_str());
    QCOMPARE(describe(*messages), expected);
}

void TestChatParser::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text-before-first-role")
        << "Hello\nsystem:\nA\n"
        << "prompts/chat.jinja2: the chat prompt has text before its first role line ('Hello'); "
           "start it with a line such as 'system:' or '# user:'";
    QTest::newRow("heading-before-role")
        << "# Example\nuser:\nA\n"
        << "prompts/chat.jinja2: the chat prompt has text before its first role line ('# "
           "Example'); start it with a line such as 'system:' or '# user:'";
    QTest::newRow("no-role")
        << "just text"
        << "prompts/chat.jinja2: the chat prompt has text before its first role line ('just "
           "text'); start it with a line such as 'system:' or '# user:'";
    QTest::newRow("empty")
        << "  \n"
        << "prompts/chat.jinja2: the chat prompt has no role line such as 'system:' or '# user:'";
    QTest::newRow("function-needs-name")
        << "function:\nresult\n"
        << "prompts/chat.jinja2: a function message needs '## name:' followed by the function name "
           "on the next line, then '## content:'";
    QTest::newRow("tool-needs-id")
        << "tool:\nresult\n"
        << "prompts/chat.jinja2: a tool message needs '## tool_call_id:' followed by the id on the "
           "next line, then '## content:'";
    QTest::newRow("unknown-role-is-text")
        << "bot:\nhi\n"
        << "prompts/chat.jinja2: the chat prompt has text before its first role line ('bot:'); "
           "start it with a line such as 'system:' or '# user:'";
}

void TestChatParser::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto messages = ChatParser::parse(text.toStdString(), "prompts/chat.jinja2");
    QVERIFY(!messages.has_value());
    QCOMPARE(QString::fromStdString(messages.error().message), expected);
}

void TestChatParser::toolCalls()
{
    const std::string text = "# assistant:\n## tool_calls:\n[{'id': 'call_1', 'type': 'function', "
                             "'function': {'name': 'get', "
                             "'arguments': '{\"city\": \"Paris\"}'}}]\n\n# tool:\n## "
                             "tool_call_id:\ncall_1\n## content:\nsunny\n";
    auto messages = ChatParser::parse(text, "t.jinja2");
    QVERIFY(messages);
    QCOMPARE(messages->size(), std::size_t(2));
    const fb::ChatMessage &a = (*messages)[0];
    QCOMPARE(QString::fromStdString(a.role), QString("assistant"));
    QVERIFY(a.toolCalls.is_array());
    QCOMPARE(a.toolCalls.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(a.toolCalls[0]["function"]["arguments"].get<std::string>()),
             QString("{\"city\": \"Paris\"}"));
    QVERIFY(a.content.empty());
    QCOMPARE(QString::fromStdString((*messages)[1].toolCallId), QString("call_1"));

    // JSON spelling with nested arrays also parses (promptflow's literal_eval would not).
    auto json = ChatParser::parse("assistant:\ntool_calls:\n[{\"id\": \"c\", \"type\": "
                                  "\"function\", \"function\": {\"name\": \"f\", "
                                  "\"arguments\": \"{}\"}, \"extra\": [1, true, null]}]\n",
                                  "t.jinja2");
    QVERIFY(json);
    QCOMPARE((*json)[0].toolCalls[0]["extra"], Value::parse("[1, true, null]"));

    // Not a list: stays plain content.
    auto plain = ChatParser::parse("assistant:\ntool_calls:\nnone yet\n", "t.jinja2");
    QVERIFY(plain);
    QVERIFY((*plain)[0].toolCalls.is_null());
    QCOMPARE(QString::fromStdString((*plain)[0].content), QString("tool_calls:\nnone yet"));
}

QTEST_GUILESS_MAIN(TestChatParser)
#include "tst_chatparser.moc"
