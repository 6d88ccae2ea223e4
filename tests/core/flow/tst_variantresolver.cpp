#include "flowtestutil.h"

#include <core/flow/flowloader.h>
#include <core/flow/variantresolver.h>

#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

/// Two variant nodes (summarize: 3 variants, default variant_0; tone: 2, default formal)
/// and one plain node that consumes both.
const QByteArray kFlow = yamlLines({
    "inputs:",
    "  text:",
    "    type: string",
    "outputs:",
    "  out:",
    "    type: string",
    "    reference: ${combine.output}",
    "nodes:",
    "- name: summarize",
    "  use_variants: true",
    "- name: tone",
    "  use_variants: true",
    "- name: combine",
    "  type: python",
    "  source: {type: code, path: combine.py}",
    "  inputs:",
    "    summary: ${summarize.output}",
    "    tone: ${tone.output}",
    "node_variants:",
    "  summarize:",
    "    default_variant_id: variant_0",
    "    variants:",
    "      variant_0:",
    "        node:",
    "          type: llm",
    "          source: {type: code, path: summarize_0.jinja2}",
    "          inputs: {temperature: 0.2, text: '${inputs.text}'}",
    "          connection: openai",
    "          api: chat",
    "      variant_1:",
    "        node:",
    "          type: llm",
    "          source: {type: code, path: summarize_1.jinja2}",
    "          inputs: {temperature: 0.9, text: '${inputs.text}'}",
    "          connection: openai",
    "          api: chat",
    "      short_and_sweet:",
    "        node:",
    "          type: llm",
    "          source: {type: code, path: summarize_short.jinja2}",
    "          inputs: {max_tokens: 20, text: '${inputs.text}'}",
    "          connection: openai",
    "          api: completion",
    "          aggregation: false",
    "        description: a named variant",
    "  tone:",
    "    default_variant_id: formal",
    "    variants:",
    "      formal:",
    "        node: {type: prompt, source: {type: code, path: formal.jinja2}, inputs: {}}",
    "      casual:",
    "        node: {type: prompt, source: {type: code, path: casual.jinja2}, inputs: {}}",
});

Flow loadFixture()
{
    auto flow = FlowLoader::loadFromString(kFlow.toStdString(), "variants/flow.dag.yaml");
    if (!flow) {
        qFatal("%s", flow.error().message.c_str());
    }
    return *flow;
}

} // namespace

class TestVariantResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolve_data();
    void resolve();
    void resolveKeepsTheRest();
    void brokenFlows_data();
    void brokenFlows();
    void parseSelection_data();
    void parseSelection();
    void crossProduct_data();
    void crossProduct();
};

void TestVariantResolver::resolve_data()
{
    QTest::addColumn<QString>("selection"); // CLI form
    QTest::addColumn<QString>("summarizePath");
    QTest::addColumn<QString>("tonePath");
    QTest::addColumn<QString>("error"); // fragment; empty = success

    QTest::newRow("defaults") << ""
                              << "summarize_0.jinja2"
                              << "formal.jinja2"
                              << "";
    QTest::newRow("one-selected") << "${summarize.variant_1}"
                                  << "summarize_1.jinja2"
                                  << "formal.jinja2"
                                  << "";
    QTest::newRow("named-variant") << "${summarize.short_and_sweet}"
                                   << "summarize_short.jinja2"
                                   << "formal.jinja2"
                                   << "";
    QTest::newRow("both-selected") << "${summarize.variant_1},${tone.casual}"
                                   << "summarize_1.jinja2"
                                   << "casual.jinja2"
                                   << "";
    QTest::newRow("default-named-explicitly") << "${tone.formal}"
                                              << "summarize_0.jinja2"
                                              << "formal.jinja2"
                                              << "";
    QTest::newRow("unknown-variant-id")
        << "${summarize.variant_7}"
        << ""
        << ""
        << "node 'summarize' has no variant 'variant_7' (variants: variant_0, variant_1, "
           "short_and_sweet)";
    QTest::newRow("unknown-node") << "${summary.variant_0}"
                                  << ""
                                  << ""
                                  << "names node 'summary', which the flow does not have";
    QTest::newRow("node-without-variants") << "${combine.variant_0}"
                                           << ""
                                           << ""
                                           << "node 'combine', which has no variants";
}

void TestVariantResolver::resolve()
{
    QFETCH(QString, selection);
    QFETCH(QString, summarizePath);
    QFETCH(QString, tonePath);
    QFETCH(QString, error);

    const Flow flow = loadFixture();
    const auto parsed = VariantResolver::parseSelection(selection.toStdString());
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
    const auto resolved = VariantResolver::resolve(flow, *parsed);
    if (!error.isEmpty()) {
        QVERIFY(!resolved.has_value());
        QVERIFY2(fromStd(resolved.error().message).contains(error),
                 resolved.error().message.c_str());
        return;
    }
    QVERIFY2(resolved.has_value(), resolved ? "" : resolved.error().message.c_str());
    const Node *summarize = resolved->node("summarize");
    const Node *tone = resolved->node("tone");
    QVERIFY(summarize && tone);
    QVERIFY(!summarize->useVariants);
    QVERIFY(!tone->useVariants);
    QCOMPARE(fromStd(summarize->source.path), summarizePath);
    QCOMPARE(fromStd(tone->source.path), tonePath);
    QCOMPARE(summarize->type, NodeType::Llm);
    QCOMPARE(tone->type, NodeType::Prompt);
    QVERIFY(resolved->nodeVariants.empty());
}

void TestVariantResolver::resolveKeepsTheRest()
{
    const Flow flow = loadFixture();
    const auto resolved = VariantResolver::resolve(flow, {{"summarize", "short_and_sweet"}});
    QVERIFY(resolved.has_value());
    // Node order and names are those of the stubs; the variant's whole node is taken.
    QCOMPARE(int(resolved->nodes.size()), 3);
    QCOMPARE(fromStd(resolved->nodes[0].name), "summarize");
    QCOMPARE(fromStd(resolved->nodes[1].name), "tone");
    QCOMPARE(fromStd(resolved->nodes[2].name), "combine");
    const Node &summarize = resolved->nodes[0];
    QCOMPARE(fromStd(summarize.api), "completion");
    QCOMPARE(fromStd(summarize.connection), "openai");
    QCOMPARE(js(summarize.input("max_tokens")->value), "20");
    // The variant's position is kept, so later errors point into node_variants.
    QCOMPARE(summarize.pos.line, 39);
    // Everything else is untouched.
    QCOMPARE(fromStd(resolved->nodes[2].source.path), "combine.py");
    QCOMPARE(int(resolved->inputs.size()), 1);
    QCOMPARE(fromStd(resolved->outputs[0].reference), "${combine.output}");
    // The original flow still has its stubs.
    QVERIFY(flow.node("summarize")->useVariants);
    QCOMPARE(int(flow.nodeVariants.size()), 2);
}

void TestVariantResolver::brokenFlows_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("selection");
    QTest::addColumn<QString>("error");

    QTest::newRow("stub-without-node-variants")
        << yamlLines({"nodes:", "- name: a", "  use_variants: true"}) << ""
        << "node 'a' sets use_variants but node_variants has no entry for it";
    QTest::newRow("no-default-and-no-selection")
        << yamlLines({"nodes:", "- name: a", "  use_variants: true", "node_variants:", "  a:",
                      "    variants:", "      v0: {node: {type: prompt}}"})
        << ""
        << "node 'a' has no default_variant_id and no variant was selected";
    QTest::newRow("default-not-a-variant")
        << yamlLines({"nodes:", "- name: a", "  use_variants: true",
                      "node_variants:", "  a:", "    default_variant_id: v9",
                      "    variants:", "      v0: {node: {type: prompt}}"})
        << ""
        << "node 'a' has no variant 'v9' (variants: v0)";
    QTest::newRow("no-default-but-selected-ok")
        << yamlLines({"nodes:", "- name: a", "  use_variants: true", "node_variants:", "  a:",
                      "    variants:", "      v0: {node: {type: prompt}}"})
        << "${a.v0}"
        << "";
}

void TestVariantResolver::brokenFlows()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, selection);
    QFETCH(QString, error);

    const auto flow = FlowLoader::loadFromString(yaml.toStdString(), "x/flow.dag.yaml");
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    const auto parsed = VariantResolver::parseSelection(selection.toStdString());
    QVERIFY(parsed.has_value());
    const auto resolved = VariantResolver::resolve(*flow, *parsed);
    if (error.isEmpty()) {
        QVERIFY2(resolved.has_value(), resolved ? "" : resolved.error().message.c_str());
        QCOMPARE(resolved->nodes[0].type, NodeType::Prompt);
        return;
    }
    QVERIFY(!resolved.has_value());
    QVERIFY2(fromStd(resolved.error().message).contains(error), resolved.error().message.c_str());
}

void TestVariantResolver::parseSelection_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // "node=id;node=id" in map order, or "!fragment"

    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("blank") << "   "
                           << "";
    QTest::newRow("one") << "${summarize.variant_1}"
                         << "summarize=variant_1";
    QTest::newRow("two-with-spaces") << " ${b.v_2} , ${a.variant_0} "
                                     << "a=variant_0;b=v_2";
    QTest::newRow("same-twice-same-id") << "${a.v1},${a.v1}"
                                        << "a=v1";
    QTest::newRow("same-node-two-ids") << "${a.v1},${a.v2}"
                                       << "!names node 'a' twice";
    QTest::newRow("no-braces") << "summarize.variant_1"
                               << "!bad variant selection";
    QTest::newRow("no-id") << "${summarize}"
                           << "!bad variant selection";
    QTest::newRow("id-starts-with-digit") << "${a.1st}"
                                          << "!bad variant selection";
    QTest::newRow("id-with-dash") << "${a.variant-1}"
                                  << "!bad variant selection";
    QTest::newRow("too-deep") << "${a.b.c}"
                              << "!bad variant selection";
    QTest::newRow("trailing-comma") << "${a.v1},"
                                    << "!empty entry";
    QTest::newRow("double-comma") << "${a.v1},,${b.v2}"
                                  << "!empty entry";
    QTest::newRow("garbage-after") << "${a.v1}x"
                                   << "!bad variant selection";
}

void TestVariantResolver::parseSelection()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);

    const auto parsed = VariantResolver::parseSelection(text.toStdString());
    if (expected.startsWith('!')) {
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(fromStd(parsed.error().message).contains(expected.mid(1)),
                 parsed.error().message.c_str());
        return;
    }
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
    QStringList pairs;
    for (const auto &[node, id] : *parsed) {
        pairs << fromStd(node) + "=" + fromStd(id);
    }
    QCOMPARE(pairs.join(';'), expected);
}

void TestVariantResolver::crossProduct_data()
{
    // choices as "node=id,id;node=id", all-variants flag, expected selections joined by ' | '
    // (each "node.id,node.id"; an empty selection is ""), or an error substring.
    QTest::addColumn<QString>("choices");
    QTest::addColumn<bool>("all");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nothing-chosen") << "" << false << "";
    QTest::newRow("one-node-two-ids") << "summarize=variant_1,variant_0" << false
                                      << "summarize.variant_1 | summarize.variant_0";
    QTest::newRow("duplicates-collapse") << "tone=casual,casual" << false << "tone.casual";
    QTest::newRow("all-variants")
        << "" << true
        << "summarize.variant_0,tone.formal | summarize.variant_0,tone.casual | "
           "summarize.variant_1,tone.formal | summarize.variant_1,tone.casual | "
           "summarize.short_and_sweet,tone.formal | summarize.short_and_sweet,tone.casual";
    QTest::newRow("all-but-one-fixed") << "tone=casual" << true
                                       << "summarize.variant_0,tone.casual | "
                                          "summarize.variant_1,tone.casual | "
                                          "summarize.short_and_sweet,tone.casual";
    QTest::newRow("two-by-two") << "summarize=variant_0,short_and_sweet;tone=formal,casual" << false
                                << "summarize.variant_0,tone.formal | summarize.variant_0,tone.casual | "
                                   "summarize.short_and_sweet,tone.formal | "
                                   "summarize.short_and_sweet,tone.casual";
    QTest::newRow("unknown-id") << "tone=loud" << false << "ERROR:has no variant 'loud' (it has: formal, casual)";
    QTest::newRow("node-without-variants") << "combine=variant_0" << false
                                           << "ERROR:node 'combine' has no variants";
}

void TestVariantResolver::crossProduct()
{
    QFETCH(QString, choices);
    QFETCH(bool, all);
    QFETCH(QString, expected);
    auto flow = FlowLoader::loadFromString(kFlow.toStdString(), "variants/flow.dag.yaml");
    QVERIFY(flow);
    std::map<std::string, std::vector<std::string>> parsed;
    for (const QString &part : choices.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QStringList kv = part.split(QLatin1Char('='));
        for (const QString &id : kv[1].split(QLatin1Char(','))) {
            parsed[kv[0].toStdString()].push_back(id.toStdString());
        }
    }
    auto product = VariantResolver::crossProduct(*flow, parsed, all);
    if (expected.startsWith(QStringLiteral("ERROR:"))) {
        QVERIFY(!product);
        QVERIFY2(QString::fromStdString(product.error().message).contains(expected.mid(6)),
                 product.error().message.c_str());
        return;
    }
    QVERIFY2(product, product ? "" : product.error().message.c_str());
    QStringList got;
    for (const auto &selection : *product) {
        QStringList parts;
        for (const auto &[node, id] : selection) {
            parts << QString::fromStdString(node + "." + id);
        }
        got << parts.join(QLatin1Char(','));
    }
    QCOMPARE(got.join(QStringLiteral(" | ")), expected);
}

QTEST_GUILESS_MAIN(TestVariantResolver)
#include "tst_variantresolver.moc"
