// JSON Schema subset: each row is (schema, instance) → valid, or the pointer of the first
// violation and the failing keyword.
#include <core/eval/jsonschema.h>
#include <core/eval/jsonschemaevaluator.h>

#include <QElapsedTimer>
#include <QTest>

using namespace fb;

namespace {

Value json(const QString &text) { return Value::parse(text.toStdString(), nullptr, false); }

} // namespace

class TestJsonSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validate_data();
    void validate();
    void badSchema_data();
    void badSchema();
    void evaluatorDetail();
    void hostilePatterns();
};

void TestJsonSchema::validate_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("instance");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("pointer");       // instance pointer of the first violation
    QTest::addColumn<QString>("schemaPointer"); // schema pointer of the failing keyword

    const QString person = R"({"type":"object","required":["name","age"],
        "properties":{"name":{"type":"string","minLength":1},"age":{"type":"integer","minimum":0},
        "tags":{"type":"array","items":{"type":"string"},"maxItems":3}},
        "additionalProperties":false})";
    QTest::newRow("person-ok") << person << R"({"name":"Ada","age":36,"tags":["x"]})" << true << ""
                               << "";
    QTest::newRow("person-missing-required") << person << R"({"name":"Ada"})" << false << ""
                                             << "/required";
    QTest::newRow("person-wrong-type")
        << person << R"({"name":"Ada","age":"36"})" << false << "/age"
        << "/properties/age/type";
    QTest::newRow("person-float-age") << person << R"({"name":"Ada","age":36.5})" << false << "/age"
                                      << "/properties/age/type";
    QTest::newRow("person-integral-float-is-integer")
        << person << R"({"name":"Ada","age":36.0})" << true << ""
        << "";
    QTest::newRow("person-negative") << person << R"({"name":"Ada","age":-1})" << false << "/age"
                                     << "/properties/age/minimum";
    QTest::newRow("person-empty-name") << person << R"({"name":"","age":1})" << false << "/name"
                                       << "/properties/name/minLength";
    QTest::newRow("person-additional") << person << R"({"name":"A","age":1,"x":2})" << false << "/x"
                                       << "/additionalProperties";
    QTest::newRow("person-item-type")
        << person << R"({"name":"A","age":1,"tags":["a",2]})" << false << "/tags/1"
        << "/properties/tags/items/type";
    QTest::newRow("person-max-items")
        << person << R"({"name":"A","age":1,"tags":["a","b","c","d"]})" << false << "/tags"
        << "/properties/tags/maxItems";
    QTest::newRow("root-type") << person << R"([1,2])" << false << ""
                               << "/type";
    QTest::newRow("type-list") << R"({"type":["string","null"]})"
                               << "null" << true << ""
                               << "";
    QTest::newRow("type-list-fail") << R"({"type":["string","null"]})"
                                    << "3" << false << ""
                                    << "/type";
    QTest::newRow("number-accepts-integer") << R"({"type":"number"})"
                                            << "3" << true << ""
                                            << "";
    QTest::newRow("enum-ok") << R"({"enum":["red","green",1]})"
                             << "1.0" << true << ""
                             << "";
    QTest::newRow("enum-fail") << R"({"enum":["red","green"]})"
                               << R"("blue")" << false << ""
                               << "/enum";
    QTest::newRow("const-object-key-order") << R"({"const":{"a":1,"b":[1,2]}})"
                                            << R"({"b":[1,2],"a":1})" << true << ""
                                            << "";
    QTest::newRow("const-fail") << R"({"const":42})"
                                << "43" << false << ""
                                << "/const";
    QTest::newRow("exclusive-minimum") << R"({"exclusiveMinimum":0})"
                                       << "0" << false << ""
                                       << "/exclusiveMinimum";
    QTest::newRow("exclusive-maximum-ok") << R"({"exclusiveMaximum":10})"
                                          << "9.99" << true << ""
                                          << "";
    QTest::newRow("maximum") << R"({"maximum":10})"
                             << "10.5" << false << ""
                             << "/maximum";
    QTest::newRow("draft4-exclusive-bool") << R"({"minimum":5,"exclusiveMinimum":true})"
                                           << "5" << false << ""
                                           << "/minimum";
    QTest::newRow("multiple-of") << R"({"multipleOf":0.1})"
                                 << "0.3" << true << ""
                                 << "";
    QTest::newRow("max-length-unicode")
        << R"({"maxLength":4})" << QString::fromUtf8("\"日本語!\"") << true << ""
        << "";
    QTest::newRow("max-length-fail") << R"({"maxLength":2})"
                                     << R"("abc")" << false << ""
                                     << "/maxLength";
    QTest::newRow("pattern-unanchored") << R"({"pattern":"\\d{3}"})"
                                        << R"("ab123c")" << true << ""
                                        << "";
    QTest::newRow("pattern-fail") << R"({"pattern":"^[a-z]+$"})"
                                  << R"("abc1")" << false << ""
                                  << "/pattern";
    QTest::newRow("min-items") << R"({"minItems":2})"
                               << "[1]" << false << ""
                               << "/minItems";
    QTest::newRow("unique-items") << R"({"uniqueItems":true})"
                                  << "[1,2,1.0]" << false << ""
                                  << "/uniqueItems";
    QTest::newRow("prefix-items")
        << R"({"prefixItems":[{"type":"string"},{"type":"integer"}],"items":false})"
        << R"(["a",1])" << true << ""
        << "";
    QTest::newRow("prefix-items-extra") << R"({"prefixItems":[{"type":"string"}],"items":false})"
                                        << R"(["a",1])" << false << "/1"
                                        << "/items";
    QTest::newRow("draft7-tuple")
        << R"({"items":[{"type":"string"}],"additionalItems":{"type":"integer"}})"
        << R"(["a",1,"b"])" << false << "/2"
        << "/additionalItems/type";
    QTest::newRow("additional-schema")
        << R"({"properties":{"a":{}},"additionalProperties":{"type":"boolean"}})"
        << R"({"a":1,"b":"no"})" << false << "/b"
        << "/additionalProperties/type";
    QTest::newRow("pattern-properties")
        << R"({"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false})"
        << R"({"x-a":"1","x-b":2})" << false << "/x-b"
        << "/patternProperties/^x-/type";
    QTest::newRow("pointer-escaping") << R"({"additionalProperties":{"type":"integer"}})"
                                      << R"({"a/b~c":"x"})" << false << "/a~1b~0c"
                                      << "/additionalProperties/type";
    QTest::newRow("anyOf-ok") << R"({"anyOf":[{"type":"string"},{"type":"integer"}]})"
                              << "5" << true << ""
                              << "";
    QTest::newRow("anyOf-fail") << R"({"anyOf":[{"type":"string"},{"type":"integer"}]})"
                                << "5.5" << false << ""
                                << "/anyOf";
    QTest::newRow("oneOf-both") << R"({"oneOf":[{"type":"number"},{"type":"integer"}]})"
                                << "5" << false << ""
                                << "/oneOf";
    QTest::newRow("oneOf-one") << R"({"oneOf":[{"type":"number"},{"type":"integer"}]})"
                               << "5.5" << true << ""
                               << "";
    QTest::newRow("allOf-fail") << R"({"allOf":[{"minimum":1},{"maximum":3}]})"
                                << "4" << false << ""
                                << "/allOf/1/maximum";
    QTest::newRow("not") << R"({"not":{"type":"null"}})"
                         << "null" << false << ""
                         << "/not";
    QTest::newRow("if-then-else")
        << R"({"if":{"properties":{"k":{"const":"n"}}},"then":{"required":["v"]},"else":{"required":["s"]}})"
        << R"({"k":"n"})" << false << ""
        << "/then/required";
    QTest::newRow("ref-defs")
        << R"({"$defs":{"pos":{"type":"integer","minimum":1}},"properties":{"n":{"$ref":"#/$defs/pos"}}})"
        << R"({"n":0})" << false << "/n"
        << "/$defs/pos/minimum";
    QTest::newRow("ref-recursive-tree")
        << R"({"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#"}}}})"
        << R"({"kids":[{"kids":[]},{"kids":[{"kids":5}]}]})" << false << "/kids/1/kids/0/kids"
        << "/properties/kids/type";
    QTest::newRow("false-schema") << "false"
                                  << "1" << false << ""
                                  << "";
    QTest::newRow("true-schema") << "true"
                                 << R"({"anything":[1]})" << true << ""
                                 << "";
    QTest::newRow("contains") << R"({"contains":{"const":3}})"
                              << "[1,2]" << false << ""
                              << "/contains";
    QTest::newRow("unknown-keywords-ignored") << R"({"format":"email","title":"x"})"
                                              << R"("nope")" << true << ""
                                              << "";
}

void TestJsonSchema::validate()
{
    QFETCH(QString, schema);
    QFETCH(QString, instance);
    QFETCH(bool, valid);
    QFETCH(QString, pointer);
    QFETCH(QString, schemaPointer);
    const Value s = json(schema);
    const Value i = json(instance);
    QVERIFY(!s.is_discarded());
    QVERIFY(!i.is_discarded());
    const auto compiled = JsonSchema::compile(s);
    QVERIFY2(compiled.has_value(), compiled ? "" : compiled.error().message.c_str());
    const auto violation = compiled->validate(i);
    QCOMPARE(!violation.has_value(), valid);
    if (violation) {
        QCOMPARE(QString::fromStdString(violation->instancePointer), pointer);
        QCOMPARE(QString::fromStdString(violation->schemaPointer), schemaPointer);
        QVERIFY(!violation->message.empty());
    }
}

void TestJsonSchema::badSchema_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown-type") << R"({"type":"text"})"
                                  << "/type";
    QTest::newRow("bad-regex") << R"({"properties":{"a":{"pattern":"(unclosed"}}})"
                               << "/properties/a/pattern";
    QTest::newRow("negative-min-length") << R"({"minLength":-1})"
                                         << "/minLength";
    QTest::newRow("required-not-array") << R"({"required":"a"})"
                                        << "/required";
    QTest::newRow("empty-anyOf") << R"({"anyOf":[]})"
                                 << "/anyOf";
    QTest::newRow("unresolvable-ref") << R"({"$ref":"#/$defs/missing"})"
                                      << "/$ref";
    QTest::newRow("remote-ref") << R"({"$ref":"http://example.com/s.json"})"
                                << "/$ref";
    QTest::newRow("not-a-schema") << "42"
                                  << "(root)";
    QTest::newRow("bad-subschema") << R"({"items":{"type":5}})"
                                   << "/items/type";
    QTest::newRow("backreference-pattern") << R"({"pattern":"(a)\\1"})"
                                           << "/pattern";
    QTest::newRow("lookahead-pattern-property") << R"js({"patternProperties":{"^x(?=y)":true}})js"
                                                << "no backreferences, lookahead";
}

void TestJsonSchema::badSchema()
{
    QFETCH(QString, schema);
    QFETCH(QString, mentions);
    const auto compiled = JsonSchema::compile(json(schema));
    QVERIFY(!compiled.has_value());
    QCOMPARE(compiled.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(QString::fromStdString(compiled.error().message).contains(mentions),
             compiled.error().message.c_str());
}

void TestJsonSchema::evaluatorDetail()
{
    const Value options = json(R"({"schema":{"type":"object","properties":{"items":{"type":"array",
        "items":{"type":"object","properties":{"qty":{"type":"integer"}}}}}}})");
    const auto evaluator = JsonSchemaEvaluator::create(options);
    QVERIFY(evaluator.has_value());
    const auto bad = (*evaluator)->evaluate({R"({"items":[{"qty":1},{"qty":"2"}]})", "", {}, {}});
    QVERIFY(bad.has_value());
    QVERIFY(!bad->passed);
    QCOMPARE(bad->score, 0.0);
    QVERIFY2(QString::fromStdString(bad->detail).startsWith("/items/1/qty:"), bad->detail.c_str());
    const auto good = (*evaluator)->evaluate({R"({"items":[{"qty":1}]})", "", {}, {}});
    QVERIFY(good.has_value() && good->passed && good->score == 1.0);
    const auto notJson = (*evaluator)->evaluate({"{items:", "", {}, {}});
    QVERIFY(notJson.has_value() && !notJson->passed);
    QVERIFY(QString::fromStdString(notJson->detail).contains("not valid JSON"));
    QVERIFY(!JsonSchemaEvaluator::create(json(R"({})")).has_value());
}

void TestJsonSchema::hostilePatterns()
{
    // The instance is a model's answer: a long string must not make a pattern backtrack or
    // recurse (std::regex overflowed the stack on ~100 KB).
    const auto compiled = JsonSchema::compile(json(R"({"type":"object",
        "properties":{"a":{"pattern":"^(a+)+$"}},"patternProperties":{"(x+x+)+y":false}})"));
    QVERIFY2(compiled.has_value(), compiled ? "" : compiled.error().message.c_str());
    const std::string big(1000 * 1000, 'a');
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!compiled->validate(Value{{"a", big}}).has_value());
    const auto violation = compiled->validate(Value{{"a", big + "!"}});
    QVERIFY(violation.has_value());
    QCOMPARE(QString::fromStdString(violation->schemaPointer), QString("/properties/a/pattern"));
    const auto key = compiled->validate(Value{{std::string(100 * 1000, 'x') + "y", 1}});
    QVERIFY(key.has_value());
    QVERIFY(!compiled->validate(Value{{std::string(100 * 1000, 'x'), 1}}).has_value());
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed()) + " ms"));
}

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "tst_jsonschema.moc"
