// Column mapping with promptflow's precedence rules: explicit mapping > default > same-named
// column.

#include <core/exec/columnmapping.h>
#include <core/flow/flowloader.h>

#include <QTest>

using namespace fb;

namespace {

Flow testFlow()
{
    auto flow
        = FlowLoader::loadFromString("inputs:\n"
                                     "  question:\n    type: string\n"
                                     "  context:\n    type: string\n    default: none\n"
                                     "  chat_history:\n    type: list\n    is_chat_history: true\n"
                                     "outputs: {}\nnodes: []\n",
                                     "/flows/t/flow.dag.yaml");
    return flow ? *flow : Flow{};
}

Value json(const char *text) { return Value::parse(text); }

} // namespace

class TestColumnMapping : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolve_data()
    {
        QTest::addColumn<QStringList>("mapping");
        QTest::addColumn<QString>("row");
        QTest::addColumn<QString>("baseOutputs"); // empty: no base line
        QTest::addColumn<QString>("expected");    // JSON inputs, or "drop", or "error:fragment"
        QTest::newRow("same-name-column")
            << QStringList{} << R"({"question":"q1","x":1})" << QString() << R"({"question":"q1"})";
        QTest::newRow("default-wins-over-column")
            << QStringList{} << R"({"question":"q","context":"from data"})" << QString()
            << R"({"question":"q"})";
        QTest::newRow("explicit-beats-default")
            << QStringList{"context=${data.context}"} << R"({"question":"q","context":"c"})"
            << QString() << R"({"question":"q","context":"c"})";
        QTest::newRow("renamed-column")
            << QStringList{"question=${data.prompt}"} << R"({"prompt":"p","question":"ignored"})"
            << QString() << R"({"question":"p"})";
        QTest::newRow("literal") << QStringList{"question=hello", "context=fixed"} << R"({})"
                                 << QString() << R"({"question":"hello","context":"fixed"})";
        QTest::newRow("run-outputs") << QStringList{"question=${run.outputs.answer}"} << R"({})"
                                     << R"({"answer":"A"})"
                                     << R"({"question":"A"})";
        QTest::newRow("run-outputs-missing-line-drops")
            << QStringList{"question=${run.outputs.answer}"} << R"({})" << QString() << "drop";
        QTest::newRow("missing-column-is-error")
            << QStringList{"question=${data.nope}"} << R"({"question":"q"})" << QString()
            << "error:data.jsonl:7: no column 'nope' for input 'question'";
        QTest::newRow("missing-base-output-is-error")
            << QStringList{"question=${run.outputs.nope}"} << R"({})"
            << R"({"answer":"A"})"
            << "error:has no output 'nope'";
        QTest::newRow("non-string-values-kept")
            << QStringList{} << R"({"question":[1,2]})" << QString() << R"({"question":[1,2]})";
    }

    void resolve()
    {
        QFETCH(QStringList, mapping);
        QFETCH(QString, row);
        QFETCH(QString, baseOutputs);
        QFETCH(QString, expected);
        std::vector<std::string> pairs;
        for (const auto &m : mapping) {
            pairs.push_back(m.toStdString());
        }
        auto parsed = ColumnMapping::parse(pairs);
        QVERIFY(parsed.has_value());
        const Flow flow = testFlow();
        QCOMPARE(flow.inputs.size(), std::size_t(3));
        const Value base = baseOutputs.isEmpty() ? Value() : json(baseOutputs.toUtf8().constData());
        Value inputs;
        auto outcome = parsed->resolve(flow, json(row.toUtf8().constData()),
                                       baseOutputs.isEmpty() ? nullptr : &base, nullptr,
                                       "data.jsonl:7", inputs);
        if (expected.startsWith(QLatin1String("error:"))) {
            QVERIFY(!outcome);
            QVERIFY2(QString::fromStdString(outcome.error().message).contains(expected.mid(6)),
                     outcome.error().message.c_str());
            return;
        }
        QVERIFY2(outcome.has_value(), outcome ? "" : outcome.error().message.c_str());
        if (expected == QLatin1String("drop")) {
            QCOMPARE(int(*outcome), int(ColumnMapping::LineOutcome::Drop));
            return;
        }
        QCOMPARE(int(*outcome), int(ColumnMapping::LineOutcome::Run));
        const Value want = json(expected.toUtf8().constData());
        QVERIFY2(inputs == want, (inputs.dump() + " != " + want.dump()).c_str());
    }

    void check_data()
    {
        QTest::addColumn<QStringList>("mapping");
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<bool>("baseRun");
        QTest::addColumn<QString>("expected"); // "ok", "warn:fragment" or "error:fragment"
        QTest::newRow("all-filled") << QStringList{} << QStringList{"question"} << false << "ok";
        QTest::newRow("default-shadows-column")
            << QStringList{} << QStringList{"question", "context"} << false
            << "warn:input 'context' is filled by its default";
        QTest::newRow("explicit-silences-warning")
            << QStringList{"context=${data.context}"} << QStringList{"question", "context"} << false
            << "ok";
        QTest::newRow("unfillable-input") << QStringList{} << QStringList{"other"} << false
                                          << "error:input 'question' has no default";
        QTest::newRow("unknown-input")
            << QStringList{"nope=${data.question}"} << QStringList{"question"} << false
            << "error:'nope', which is not an input";
        QTest::newRow("unknown-column")
            << QStringList{"question=${data.missing}"} << QStringList{"question"} << false
            << "error:the data has no column 'missing'";
        QTest::newRow("run-without-base") << QStringList{"question=${run.outputs.a}"}
                                          << QStringList{} << false << "error:no base run";
        QTest::newRow("run-with-base")
            << QStringList{"question=${run.outputs.a}"} << QStringList{} << true << "ok";
        QTest::newRow("bad-reference") << QStringList{"question=${flow.x}"} << QStringList{}
                                       << false << "error:is not ${data.COLUMN}";
    }

    void check()
    {
        QFETCH(QStringList, mapping);
        QFETCH(QStringList, columns);
        QFETCH(bool, baseRun);
        QFETCH(QString, expected);
        std::vector<std::string> pairs;
        for (const auto &m : mapping) {
            pairs.push_back(m.toStdString());
        }
        auto parsed = ColumnMapping::parse(pairs);
        if (!parsed) {
            QVERIFY(expected.startsWith(QLatin1String("error:")));
            QVERIFY2(QString::fromStdString(parsed.error().message).contains(expected.mid(6)),
                     parsed.error().message.c_str());
            return;
        }
        std::vector<std::string> cols;
        for (const auto &c : columns) {
            cols.push_back(c.toStdString());
        }
        auto result = parsed->check(testFlow(), cols, baseRun);
        if (expected.startsWith(QLatin1String("error:"))) {
            QVERIFY(!result);
            QVERIFY2(QString::fromStdString(result.error().message).contains(expected.mid(6)),
                     result.error().message.c_str());
        } else if (expected.startsWith(QLatin1String("warn:"))) {
            QVERIFY(result.has_value());
            QCOMPARE(result->size(), std::size_t(1));
            QVERIFY2(QString::fromStdString(result->front()).contains(expected.mid(5)),
                     result->front().c_str());
        } else {
            QVERIFY2(result.has_value(), result ? "" : result.error().message.c_str());
            QVERIFY(result->empty());
        }
    }

    void malformedPairIsRejected()
    {
        auto parsed = ColumnMapping::parse({"no-equals-sign"});
        QVERIFY(!parsed);
        QVERIFY(QString::fromStdString(parsed.error().message).contains("INPUT=VALUE"));
    }
};

QTEST_GUILESS_MAIN(TestColumnMapping)
#include "tst_columnmapping.moc"
