// JsonReader (the allocation-free reader for model answers) accepts exactly what a strict
// JSON parser accepts and decodes strings like one; appendJsonString writes JSON any
// parser reads back, even from invalid UTF-8.

#include <core/common/jsonreader.h>
#include <core/common/jsonvaluereader.h>
#include <core/llm/protocolutil_p.h>

#include <QtTest>

#include <cmath>

using fb::JsonReader;

namespace {

/// Walks a whole document with the reader, rendering it back compactly (strings decoded
/// and re-escaped), so the result can be compared with nlohmann's own dump.
bool walk(JsonReader &r, std::string &out)
{
    std::string scratch;
    switch (r.peek()) {
    case JsonReader::Kind::Object: {
        if (!r.beginObject()) {
            return false;
        }
        out.push_back('{');
        std::string_view key;
        bool first = true;
        while (r.nextMember(key)) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            fb::llmutil::appendJsonString(out, key);
            out.push_back(':');
            if (!walk(r, out)) {
                return false;
            }
        }
        out.push_back('}');
        return !r.failed();
    }
    case JsonReader::Kind::Array: {
        if (!r.beginArray()) {
            return false;
        }
        out.push_back('[');
        bool first = true;
        while (r.nextElement()) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            if (!walk(r, out)) {
                return false;
            }
        }
        out.push_back(']');
        return !r.failed();
    }
    case JsonReader::Kind::String: {
        std::string_view s;
        if (!r.readString(s, scratch)) {
            return false;
        }
        fb::llmutil::appendJsonString(out, s);
        return true;
    }
    default: {
        std::string_view raw;
        if (!r.rawValue(raw)) {
            return false;
        }
        out.append(raw);
        return true;
    }
    }
}

} // namespace

class TestJsonReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documents_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("valid");

        QTest::newRow("openai-chunk")
            << QByteArray(R"({"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},)"
                          R"("finish_reason":null}],"usage":null})")
            << true;
        QTest::newRow("whitespace-everywhere")
            << QByteArray(" {\n \"a\" :\t[ 1 , 2 ] , \"b\":{} }\r\n") << true;
        QTest::newRow("numbers") << QByteArray("[0,-1,3.25,1e5,2E-3,-0.5e+2,12345678901234]")
                                 << true;
        QTest::newRow("literals") << QByteArray("[true,false,null]") << true;
        QTest::newRow("escapes") << QByteArray(
            "[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\",\"\\u00e9\\u4e2d\",\"\\ud83d\\ude00\"]")
                                 << true;
        QTest::newRow("raw-utf8") << QByteArray("\"Zażółć 日本 😀\"") << true;
        QTest::newRow("empty-containers") << QByteArray("[{},[],\"\"]") << true;
        QTest::newRow("truncated-object") << QByteArray("{\"choices\":[{\"delta") << false;
        QTest::newRow("truncated-string") << QByteArray("\"abc") << false;
        QTest::newRow("trailing-comma-object") << QByteArray(R"({"a":1,})") << false;
        QTest::newRow("trailing-comma-array") << QByteArray("[1,]") << false;
        QTest::newRow("missing-comma") << QByteArray(R"({"a":1 "b":2})") << false;
        QTest::newRow("missing-colon") << QByteArray(R"({"a" 1})") << false;
        QTest::newRow("leading-zero") << QByteArray("[01]") << false;
        QTest::newRow("bare-fraction") << QByteArray("[1.]") << false;
        QTest::newRow("bad-exponent") << QByteArray("[1e]") << false;
        QTest::newRow("bad-literal") << QByteArray("[nul]") << false;
        QTest::newRow("bad-escape") << QByteArray(R"(["\x"])") << false;
        QTest::newRow("bad-unicode-escape") << QByteArray(R"(["\u12G4"])") << false;
        QTest::newRow("control-char-in-string") << QByteArray("[\"a\tb\"]") << false;
        QTest::newRow("unquoted-key") << QByteArray("{a:1}") << false;
        QTest::newRow("trailing-garbage") << QByteArray("{} x") << false;
        QTest::newRow("two-documents") << QByteArray("{}{}") << false;
        QTest::newRow("unbalanced") << QByteArray("[[1]") << false;
        QTest::newRow("empty") << QByteArray("") << false;
        // Deeper than 64 levels is refused on purpose (strict parsers allow it).
        QTest::newRow("too-deep-65") << QByteArray(65, '[') + QByteArray(65, ']') << false;
        QTest::newRow("too-deep-70") << QByteArray(70, '{') << false;
        QTest::newRow("deepest-allowed-64") << QByteArray(64, '[') + QByteArray(64, ']') << true;
    }

    void documents()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        const std::string text = json.toStdString();
        JsonReader r(text);
        std::string rendered;
        const bool ok = walk(r, rendered) && r.finish();
        QCOMPARE(ok, valid);
        // The reference: nlohmann in strict mode agrees on validity, and on the content.
        const fb::Value reference = fb::Value::parse(text, nullptr, false);
        if (!QByteArray(QTest::currentDataTag()).startsWith("too-deep")) {
            QCOMPARE(!reference.is_discarded(), valid);
        }
        if (valid) {
            QCOMPARE(QString::fromStdString(fb::Value::parse(rendered).dump()),
                     QString::fromStdString(reference.dump()));
        }
    }

    // JsonValueReader builds exactly the Value that Value::parse builds, or declines.
    void valueReader_data()
    {
        QTest::addColumn<QByteArray>("json");
        // Declined documents are those Value::parse rejects, plus the two it takes on purpose:
        // nesting past 64 levels, and numbers beyond double's range.
        QTest::addColumn<bool>("taken");

        QTest::newRow("row") << QByteArray(R"({"text":"Message 1","label":"billing","n":3})")
                             << true;
        QTest::newRow("key-order-kept") << QByteArray(R"({"z":1,"a":2,"m":{"y":[],"b":{}}})")
                                        << true;
        QTest::newRow("duplicate-keys-last-wins-first-place")
            << QByteArray(R"({"a":1,"b":2,"a":{"x":3},"c":4,"b":"last"})") << true;
        QTest::newRow("integer-kinds")
            << QByteArray("[0,-0,7,-7,9223372036854775807,-9223372036854775808,"
                          "18446744073709551615]")
            << true;
        QTest::newRow("integers-beyond-64-bits")
            << QByteArray("[18446744073709551616,-9223372036854775809,"
                          "123456789012345678901234567890]")
            << true;
        QTest::newRow("doubles")
            << QByteArray("[0.0,-0.0,3.25,1e5,2E-3,-0.5e+2,0.1,1.7976931348623157e308,5e-324]")
            << true;
        QTest::newRow("escapes-in-keys-and-values")
            << QByteArray("{\"a\\\"b\":\"\\u00e9\\n\",\"\\ud83d\\ude00\":[\"\\/\"]}") << true;
        QTest::newRow("raw-utf8") << QByteArray("{\"Zażółć\":\"日本 😀\"}") << true;
        QTest::newRow("literals-nested") << QByteArray(R"([true,false,null,[null,{"t":true}]])")
                                         << true;
        QTest::newRow("scalar-document") << QByteArray(" \"just a string\" ") << true;
        QTest::newRow("deepest-taken-64") << QByteArray(64, '[') + QByteArray(64, ']') << true;
        QTest::newRow("escaped-nul") << QByteArray("[\"a\\u0000b\"]") << true;
        QTest::newRow("exponent-forms") << QByteArray("[1E2,0e5,-0.0e-0,1e+2,2.5E-3]") << true;
        QTest::newRow("declined-lone-high-surrogate") << QByteArray("[\"\\ud800\"]") << false;
        QTest::newRow("declined-lone-low-surrogate") << QByteArray("[\"\\udc00x\"]") << false;
        QTest::newRow("declined-plus-sign") << QByteArray("[+1]") << false;
        QTest::newRow("declined-too-deep-65") << QByteArray(65, '[') + QByteArray(65, ']')
                                              << false;
        QTest::newRow("declined-overflow-double") << QByteArray("[1e400]") << false;
        QTest::newRow("declined-underflow-double") << QByteArray("[1e-400]") << false;
        QTest::newRow("declined-syntax") << QByteArray(R"({"a":1,})") << false;
        QTest::newRow("declined-truncated") << QByteArray("{\"a\":\"b") << false;
        QTest::newRow("declined-trailing") << QByteArray("{} {}") << false;
        QTest::newRow("declined-control-char") << QByteArray("[\"a\nb\"]") << false;
    }

    void valueReader()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, taken);
        const std::string text = json.toStdString();
        fb::Value value = fb::Value::array({1, 2}); // left alone when declined
        QCOMPARE(fb::JsonValueReader::read(text, value), taken);
        const fb::Value reference = fb::Value::parse(text, nullptr, false);
        if (!taken) {
            QCOMPARE(QString::fromStdString(value.dump()), QStringLiteral("[1,2]"));
            return;
        }
        QVERIFY(!reference.is_discarded());
        // dump() shows order and content; the walk below shows every value's exact type.
        QCOMPARE(QString::fromStdString(value.dump()), QString::fromStdString(reference.dump()));
        std::vector<std::pair<const fb::Value *, const fb::Value *>> stack{{&value, &reference}};
        while (!stack.empty()) {
            const auto [a, b] = stack.back();
            stack.pop_back();
            QCOMPARE(int(a->type()), int(b->type()));
            if (a->is_structured()) {
                QCOMPARE(a->size(), b->size());
                auto ia = a->begin();
                for (auto ib = b->begin(); ib != b->end(); ++ia, ++ib) {
                    stack.emplace_back(&*ia, &*ib);
                }
            } else if (a->is_number_float()) {
                QCOMPARE(a->get<double>(), b->get<double>());
                QCOMPARE(std::signbit(a->get<double>()), std::signbit(b->get<double>()));
            }
        }
    }

    void loneSurrogates()
    {
        // Lenient by default (a model answer stays readable), strict on request.
        const std::string text = "[\"a\\ud800b\",\"\\udc00\"]";
        JsonReader lenient(text);
        std::string scratch;
        std::string_view s;
        QVERIFY(lenient.beginArray());
        QVERIFY(lenient.nextElement());
        QVERIFY(lenient.readString(s, scratch));
        QCOMPARE(s, std::string_view("a\xEF\xBF\xBD" "b"));
        QVERIFY(lenient.nextElement());
        QVERIFY(lenient.readString(s, scratch));
        QCOMPARE(s, std::string_view("\xEF\xBF\xBD"));
        QVERIFY(!lenient.nextElement());
        QVERIFY(lenient.finish());

        JsonReader strict(text);
        strict.rejectLoneSurrogates();
        QVERIFY(strict.beginArray());
        QVERIFY(strict.nextElement());
        QVERIFY(!strict.readString(s, scratch));
        QVERIFY(strict.failed());
    }

    void skipAndRaw()
    {
        const std::string text = R"({"skip":{"x":[1,{"y":"z"}]},"raw":[{"a":1}],"n":-42.9})";
        JsonReader r(text);
        QVERIFY(r.beginObject());
        std::string_view key;
        QVERIFY(r.nextMember(key));
        QCOMPARE(key, std::string_view("skip"));
        QVERIFY(r.skipValue());
        QVERIFY(r.nextMember(key));
        std::string_view raw;
        QVERIFY(r.rawValue(raw));
        QCOMPARE(raw, std::string_view(R"([{"a":1}])"));
        QVERIFY(r.nextMember(key));
        std::int64_t n = 0;
        QVERIFY(r.readInt(n));
        QCOMPARE(n, std::int64_t(-42));
        QVERIFY(!r.nextMember(key));
        QVERIFY(r.finish());
    }

    void stringViewsAvoidCopies()
    {
        const std::string text = R"(["plain","esc\naped"])";
        JsonReader r(text);
        std::string scratch;
        std::string_view s;
        QVERIFY(r.beginArray());
        QVERIFY(r.nextElement());
        QVERIFY(r.readString(s, scratch));
        QCOMPARE(s, std::string_view("plain"));
        QVERIFY(s.data() >= text.data() && s.data() < text.data() + text.size());
        QVERIFY(r.nextElement());
        QVERIFY(r.readString(s, scratch));
        QCOMPARE(s, std::string_view("esc\naped"));
        QCOMPARE(s.data(), scratch.data());
    }

    void writeStrings_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("plain") << QByteArray("hello") << QByteArray("\"hello\"");
        QTest::newRow("quotes-backslash") << QByteArray("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("controls") << QByteArray("\n\r\t\b\f\x01\x1f", 7)
                                  << QByteArray(R"("\n\r\t\b\f\u0001\u001f")");
        QTest::newRow("nul") << QByteArray("a\0b", 3) << QByteArray(R"("a\u0000b")");
        QTest::newRow("utf8-kept")
            << QByteArray("Zażółć 日本 😀") << QByteArray("\"Zażółć 日本 😀\"");
        QTest::newRow("slash-not-escaped") << QByteArray("a/b") << QByteArray("\"a/b\"");
        QTest::newRow("invalid-lead-byte") << QByteArray("a\xff"
                                                         "b")
                                           << QByteArray("\"a\xEF\xBF\xBD"
                                                         "b\"");
        QTest::newRow("truncated-sequence")
            << QByteArray("a\xE6\x97") << QByteArray("\"a\xEF\xBF\xBD\xEF\xBF\xBD\"");
        QTest::newRow("overlong") << QByteArray("\xC0\xAF")
                                  << QByteArray("\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
        QTest::newRow("surrogate-encoded")
            << QByteArray("\xED\xA0\x80") << QByteArray("\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    }

    void writeStrings()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        std::string out;
        fb::llmutil::appendJsonString(out, std::string_view(input.constData(), input.size()));
        QCOMPARE(QByteArray::fromStdString(out), expected);
        QVERIFY(!fb::Value::parse(out, nullptr, false).is_discarded());
    }
};

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_jsonreader.moc"
