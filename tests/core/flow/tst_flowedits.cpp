// The flow-edit rules the editor and the validator share: node names, rename with reference
// rewrite, dependencies and cycles (through variants and activate conditions).

#include "flowtestutil.h"

#include <core/flow/flowedits.h>
#include <core/flow/flowloader.h>

#include <QMap>
#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

/// prep <- classify (variants; only variant_1 reads lonely) <- parse (activate on ${prep})
/// <- report (also holds a dangling ${ghost.output} and a malformed ${stale.outputs}); gated is
/// activated by lonely; node_variants has an entry 'orphan' without a node.
const QByteArray kFlow = yamlLines({
    "inputs:",
    "  text:",
    "    type: string",
    "outputs:",
    "  category:",
    "    type: string",
    "    reference: ${parse.output}",
    "  raw:",
    "    type: string",
    "    reference: ${classify.output.text}",
    "  constant:",
    "    type: string",
    "    reference: plain text",
    "nodes:",
    "- name: prep",
    "  type: python",
    "  source: {type: code, path: prep.py}",
    "  inputs:",
    "    x: ${inputs.text}",
    "- name: classify",
    "  use_variants: true",
    "- name: parse",
    "  type: python",
    "  source: {type: code, path: parse.py}",
    "  inputs:",
    "    answer: ${classify.output}",
    "    typo: ${prep.outputs}",
    "    lookalike: ${prepared.output}",
    "  activate:",
    "    when: ${prep}",
    "    is: true",
    "- name: report",
    "  type: python",
    "  source: {type: code, path: report.py}",
    "  inputs:",
    "    x: ${parse.output}",
    "    y: ${ghost.output}",
    "    z: ${stale.outputs}",
    "- name: lonely",
    "  type: python",
    "  source: {type: code, path: lonely.py}",
    "  inputs:",
    "    x: 1",
    "- name: gated",
    "  type: python",
    "  source: {type: code, path: gated.py}",
    "  inputs:",
    "    x: 2",
    "  activate:",
    "    when: ${lonely.output}",
    "    is: true",
    "node_variants:",
    "  classify:",
    "    default_variant_id: variant_0",
    "    variants:",
    "      variant_0:",
    "        node:",
    "          type: python",
    "          source: {type: code, path: classify0.py}",
    "          inputs:",
    "            text: ${prep.output}",
    "      variant_1:",
    "        node:",
    "          type: python",
    "          source: {type: code, path: classify1.py}",
    "          inputs:",
    "            text: ${prep.output.clean}",
    "            hint: ${lonely.output}",
    "  orphan:",
    "    default_variant_id: variant_0",
    "    variants:",
    "      variant_0:",
    "        node:",
    "          type: python",
    "          source: {type: code, path: orphan.py}",
    "          inputs:",
    "            x: ${inputs.text}",
});

/// a and b read each other; c reads a.
const QByteArray kCyclicFlow = yamlLines({
    "nodes:",
    "- name: a",
    "  type: python",
    "  source: {type: code, path: a.py}",
    "  inputs: {x: '${b.output}'}",
    "- name: b",
    "  type: python",
    "  source: {type: code, path: b.py}",
    "  inputs: {x: '${a.output}'}",
    "- name: c",
    "  type: python",
    "  source: {type: code, path: c.py}",
    "  inputs: {x: '${a.output}'}",
});

Flow loadFixture(const QByteArray &yaml)
{
    auto flow = FlowLoader::loadFromString(yaml.toStdString(), "/tmp/edits/flow.dag.yaml");
    if (!flow) {
        qFatal("fixture does not load: %s", flow.error().message.c_str());
    }
    return *flow;
}

Flow fixture(const QString &name) { return loadFixture(name == "cyclic" ? kCyclicFlow : kFlow); }

QString valueText(const Value &value)
{
    return value.is_string() ? fromStd(value.get<std::string>()) : js(value);
}

/// Every name and reference-bearing field of `flow`, keyed by position so that a rename does
/// not move it: "nodes[2].answer", "nodes[2].@activate" (activate.when),
/// "node_variants[0].variant_1.hint", "outputs.raw", plus the name lists "@nodes",
/// "@node_variants" and "@variant_nodes". In kFlow nodes are 0 prep, 1 classify, 2 parse,
/// 3 report, 4 lonely, 5 gated; node_variants are 0 classify, 1 orphan.
QMap<QString, QString> dump(const Flow &flow)
{
    QMap<QString, QString> fields;
    const auto addNode = [&](const QString &prefix, const Node &node) {
        for (const auto &in : node.inputs) {
            fields.insert(prefix + "." + fromStd(in.name), valueText(in.value));
        }
        if (node.activate) {
            fields.insert(prefix + ".@activate", fromStd(node.activate->when));
        }
    };
    QStringList nodes;
    for (std::size_t i = 0; i < flow.nodes.size(); ++i) {
        nodes << fromStd(flow.nodes[i].name);
        addNode(QStringLiteral("nodes[%1]").arg(i), flow.nodes[i]);
    }
    QStringList entries;
    QStringList variantNodes;
    for (std::size_t i = 0; i < flow.nodeVariants.size(); ++i) {
        const NodeVariants &nv = flow.nodeVariants[i];
        entries << fromStd(nv.nodeName);
        for (const auto &variant : nv.variants) {
            variantNodes << fromStd(variant.node.name);
            addNode(QStringLiteral("node_variants[%1].").arg(i) + fromStd(variant.id),
                    variant.node);
        }
    }
    for (const auto &out : flow.outputs) {
        fields.insert("outputs." + fromStd(out.name), fromStd(out.reference));
    }
    fields.insert("@nodes", nodes.join(','));
    fields.insert("@node_variants", entries.join(','));
    fields.insert("@variant_nodes", variantNodes.join(','));
    return fields;
}

/// "key=value" lines as a map (the value may contain '=').
QMap<QString, QString> changes(const QStringList &lines)
{
    QMap<QString, QString> map;
    for (const QString &line : lines) {
        const qsizetype eq = line.indexOf('=');
        map.insert(line.left(eq), line.mid(eq + 1));
    }
    return map;
}

/// Lines "key: before -> after" for every field that differs, for a readable failure.
QString diff(const QMap<QString, QString> &actual, const QMap<QString, QString> &expected)
{
    QStringList lines;
    QStringList keys = actual.keys() + expected.keys();
    keys.removeDuplicates();
    for (const QString &key : keys) {
        if (actual.value(key, "<none>") != expected.value(key, "<none>")) {
            lines << key + ": got " + actual.value(key, "<none>") + ", expected "
                         + expected.value(key, "<none>");
        }
    }
    return lines.join("; ");
}

} // namespace

class TestFlowEdits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nodeNames_data();
    void nodeNames();
    void nameAvailable_data();
    void nameAvailable();
    void renamedReference_data();
    void renamedReference();
    void renameRewrites_data();
    void renameRewrites();
    void renameRefuses_data();
    void renameRefuses();
    void applyRenameRoundTrips_data();
    void applyRenameRoundTrips();
    void dependenciesOf_data();
    void dependenciesOf();
    void dependsOn_data();
    void dependsOn();
    void wouldCreateCycle_data();
    void wouldCreateCycle();
};

void TestFlowEdits::nodeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("identifier");
    QTest::addColumn<bool>("reserved");
    QTest::addColumn<bool>("referenceable");
    QTest::addColumn<bool>("valid");

    const auto row = [](const char *tag, const QString &name, bool identifier, bool reserved,
                        bool referenceable, bool valid) {
        QTest::newRow(tag) << name << identifier << reserved << referenceable << valid;
    };
    row("letters", "classify", true, false, true, true);
    row("underscore-first", "_tmp", true, false, true, true);
    row("digits-inside", "step2_b", true, false, true, true);
    row("single-letter", "a", true, false, true, true);
    row("upper-case", "Parse", true, false, true, true);
    row("digit-first", "2nd", false, false, true, false);
    row("hyphen", "my-node", false, false, true, false);
    row("non-ascii", "caf\u00e9", false, false, true, false);
    row("space", "a b", false, false, false, false);
    row("tab", "a\tb", false, false, false, false);
    row("newline", "a\nb", false, false, false, false);
    row("dot", "a.b", false, false, false, false);
    row("dot-output", "a.output", false, false, false, false);
    row("dollar", "a$", false, false, false, false);
    row("open-brace", "a{", false, false, false, false);
    row("close-brace", "a}", false, false, false, false);
    row("empty", "", false, false, false, false);
    row("reserved-inputs", "inputs", true, true, false, false);
    row("reserved-flow", "flow", true, true, false, false);
    row("reserved-is-case-sensitive", "Inputs", true, false, true, true);
    row("reserved-as-prefix", "inputs2", true, false, true, true);
}

void TestFlowEdits::nodeNames()
{
    QFETCH(QString, name);
    QFETCH(bool, identifier);
    QFETCH(bool, reserved);
    QFETCH(bool, referenceable);
    QFETCH(bool, valid);
    const std::string n = name.toStdString();
    QCOMPARE(FlowEdits::isIdentifier(n), identifier);
    QCOMPARE(FlowEdits::isReservedNodeName(n), reserved);
    QCOMPARE(FlowEdits::isReferenceableName(n), referenceable);
    QCOMPARE(FlowEdits::isValidNodeName(n), valid);
}

void TestFlowEdits::nameAvailable_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason"); // a fragment of the error; empty: available

    const auto row = [](const char *tag, const QString &name, const QString &reason) {
        QTest::newRow(tag) << name << reason;
    };

    row("free", "clean", "");
    row("free-like-a-flow-input", "text", "");
    row("free-named-only-by-malformed-reference", "stale", "");
    row("taken-by-node", "prep", "already a node 'prep'");
    row("taken-by-variant-stub", "classify", "already a node 'classify'");
    row("taken-by-node-variants-entry", "orphan", "node_variants already has");
    row("named-by-dangling-reference", "ghost", "a reference already names");
    row("named-by-lookalike-reference", "prepared", "a reference already names");
    row("reserved-inputs", "inputs", "'inputs' is reserved");
    row("reserved-flow", "flow", "'flow' is reserved");
    row("invalid-space", "bad name", "is not valid");
    row("invalid-hyphen", "my-node", "is not valid");
    row("invalid-digit-first", "1st", "is not valid");
    row("empty", "", "cannot be empty");
}

void TestFlowEdits::nameAvailable()
{
    QFETCH(QString, name);
    QFETCH(QString, reason);
    const Flow flow = fixture("main");
    const auto checked = FlowEdits::checkNameAvailable(flow, name.toStdString());
    QCOMPARE(FlowEdits::isNameAvailable(flow, name.toStdString()), reason.isEmpty());
    QCOMPARE(checked.has_value(), reason.isEmpty());
    if (!checked) {
        QCOMPARE(int(checked.error().code), int(ErrorCode::InvalidArgument));
        QVERIFY2(fromStd(checked.error().message).contains(reason),
                 checked.error().message.c_str());
    }
}

void TestFlowEdits::renamedReference_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // empty: not a reference to 'prep'

    const auto row = [](const char *tag, const QString &text, const QString &expected) {
        QTest::newRow(tag) << text << expected;
    };

    row("bare", "${prep}", "${renamed}");
    row("output", "${prep.output}", "${renamed.output}");
    row("output-key", "${prep.output.text}", "${renamed.output.text}");
    row("output-nested-key", "${prep.output.a.b}", "${renamed.output.a.b}");
    row("longer-node-name", "${prepared.output}", "");
    row("shorter-node-name", "${pre.output}", "");
    row("flow-input-of-that-name", "${inputs.prep}", "");
    row("malformed-outputs", "${prep.outputs}", "");
    row("text-around", "see ${prep.output}", "");
    row("literal", "prep", "");
    row("empty", "", "");
}

void TestFlowEdits::renamedReference()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto renamed = FlowEdits::renamedReference(text.toStdString(), "prep", "renamed");
    QCOMPARE(renamed.has_value(), !expected.isEmpty());
    if (renamed) {
        QCOMPARE(fromStd(*renamed), expected);
    }
}

void TestFlowEdits::renameRewrites_data()
{
    QTest::addColumn<QString>("oldName");
    QTest::addColumn<QString>("newName");
    QTest::addColumn<QStringList>("changed"); // "field=value"; every other field stays

    const auto row
        = [](const char *tag, const QString &oldName, const QString &newName,
             const QStringList &changed) { QTest::newRow(tag) << oldName << newName << changed; };

    row("inputs-activate-and-variants", "prep", "clean",
        QStringList{"@nodes=clean,classify,parse,report,lonely,gated",
                    "node_variants[0].variant_0.text=${clean.output}",
                    "node_variants[0].variant_1.text=${clean.output.clean}",
                    "nodes[2].@activate=${clean}"});
    row("variant-stub-and-outputs", "classify", "triage",
        QStringList{"@nodes=prep,triage,parse,report,lonely,gated", "@node_variants=triage,orphan",
                    "@variant_nodes=triage,triage,orphan", "nodes[2].answer=${triage.output}",
                    "outputs.raw=${triage.output.text}"});
    row("read-only-by-a-variant-and-an-activate", "lonely", "alone",
        QStringList{"@nodes=prep,classify,parse,report,alone,gated",
                    "node_variants[0].variant_1.hint=${alone.output}",
                    "nodes[5].@activate=${alone.output}"});
    row("flow-output-and-downstream", "parse", "parsed",
        QStringList{"@nodes=prep,classify,parsed,report,lonely,gated",
                    "nodes[3].x=${parsed.output}", "outputs.category=${parsed.output}"});
    row("unreferenced-node", "report", "summary",
        QStringList{"@nodes=prep,classify,parse,summary,lonely,gated"});
    row("same-name", "prep", "prep", QStringList{});
}

void TestFlowEdits::renameRewrites()
{
    QFETCH(QString, oldName);
    QFETCH(QString, newName);
    QFETCH(QStringList, changed);
    Flow flow = fixture("main");
    QMap<QString, QString> expected = dump(flow);
    const QMap<QString, QString> updates = changes(changed);
    for (auto it = updates.begin(); it != updates.end(); ++it) {
        QVERIFY2(expected.contains(it.key()), qPrintable("no field " + it.key()));
        expected.insert(it.key(), it.value());
    }
    const auto renamed = FlowEdits::renameNode(flow, oldName.toStdString(), newName.toStdString());
    QVERIFY2(renamed.has_value(), renamed ? "" : renamed.error().message.c_str());
    const QMap<QString, QString> actual = dump(flow);
    QVERIFY2(actual == expected, qPrintable(diff(actual, expected)));
}

void TestFlowEdits::renameRefuses_data()
{
    QTest::addColumn<QString>("oldName");
    QTest::addColumn<QString>("newName");
    QTest::addColumn<int>("code"); // an ErrorCode
    QTest::addColumn<QString>("reason");

    const auto row = [](const char *tag, const QString &oldName, const QString &newName,
                        ErrorCode code, const QString &reason) {
        QTest::newRow(tag) << oldName << newName << int(code) << reason;
    };
    const ErrorCode invalid = ErrorCode::InvalidArgument;
    row("clash-with-node", "prep", "parse", invalid, "already a node 'parse'");
    row("clash-with-variant-stub", "prep", "classify", invalid, "already a node 'classify'");
    row("clash-with-node-variants-entry", "prep", "orphan", invalid,
        "node_variants already has an entry 'orphan'");
    row("clash-with-dangling-reference", "lonely", "ghost", invalid,
        "a reference already names 'ghost'");
    row("invalid-space", "prep", "bad name", invalid, "is not valid");
    row("invalid-dot", "prep", "a.b", invalid, "is not valid");
    row("reserved", "prep", "inputs", invalid, "is reserved");
    row("empty", "prep", "", invalid, "cannot be empty");
    row("unknown-node", "nosuch", "fresh", ErrorCode::NotFound, "no node 'nosuch'");
    row("node-variants-entry-is-no-node", "orphan", "fresh", ErrorCode::NotFound,
        "no node 'orphan'");
}

void TestFlowEdits::renameRefuses()
{
    QFETCH(QString, oldName);
    QFETCH(QString, newName);
    QFETCH(int, code);
    QFETCH(QString, reason);
    Flow flow = fixture("main");
    const QMap<QString, QString> before = dump(flow);
    const auto renamed = FlowEdits::renameNode(flow, oldName.toStdString(), newName.toStdString());
    QVERIFY(!renamed.has_value());
    QCOMPARE(int(renamed.error().code), code);
    QVERIFY2(fromStd(renamed.error().message).contains(reason), renamed.error().message.c_str());
    const QMap<QString, QString> after = dump(flow);
    QVERIFY2(after == before, qPrintable(diff(after, before)));
}

void TestFlowEdits::applyRenameRoundTrips_data()
{
    QTest::addColumn<QString>("oldName");
    QTest::addColumn<QString>("newName");

    const auto row = [](const char *tag, const QString &oldName, const QString &newName) {
        QTest::newRow(tag) << oldName << newName;
    };
    // applyRename takes names the rules refuse: undoing a rename must restore a loaded one.
    row("to-a-valid-name", "classify", "triage");
    row("to-a-legacy-name", "prep", "my-prep");
    row("to-a-non-ascii-name", "lonely", "seul\u00e9");
}

void TestFlowEdits::applyRenameRoundTrips()
{
    QFETCH(QString, oldName);
    QFETCH(QString, newName);
    Flow flow = fixture("main");
    const QMap<QString, QString> before = dump(flow);
    const std::string oldStd = oldName.toStdString();
    const std::string newStd = newName.toStdString();
    QVERIFY(FlowEdits::applyRename(flow, oldStd, newStd));
    QVERIFY(flow.node(newStd));
    QVERIFY(!flow.node(oldStd));
    QVERIFY(!FlowEdits::isReferenced(flow, oldStd));
    QVERIFY(FlowEdits::isReferenced(flow, newStd));
    QVERIFY(FlowEdits::applyRename(flow, newStd, oldStd));
    const QMap<QString, QString> after = dump(flow);
    QVERIFY2(after == before, qPrintable(diff(after, before)));
    QVERIFY(!FlowEdits::applyRename(flow, "nosuch", "other"));
    QVERIFY2(dump(flow) == before, "a failed applyRename changed the flow");
}

void TestFlowEdits::dependenciesOf_data()
{
    QTest::addColumn<QString>("flowName"); // "main" or "cyclic"
    QTest::addColumn<QString>("node");
    QTest::addColumn<QStringList>("expected");

    const auto row
        = [](const char *tag, const QString &flowName, const QString &node,
             const QStringList &expected) { QTest::newRow(tag) << flowName << node << expected; };

    row("reads-only-flow-inputs", "main", "prep", QStringList{});
    row("every-variant-counts", "main", "classify", QStringList{"prep", "lonely"});
    row("inputs-then-activate-each-once", "main", "parse", QStringList{"classify", "prep"});
    row("dangling-reference-ignored", "main", "report", QStringList{"parse"});
    row("activate-only", "main", "gated", QStringList{"lonely"});
    row("node-variants-entry-is-no-node", "main", "orphan", QStringList{});
    row("unknown-node", "main", "nosuch", QStringList{});
    row("on-a-cycle", "cyclic", "a", QStringList{"b"});
}

void TestFlowEdits::dependenciesOf()
{
    QFETCH(QString, flowName);
    QFETCH(QString, node);
    QFETCH(QStringList, expected);
    QStringList actual;
    for (const auto &name : FlowEdits::dependenciesOf(fixture(flowName), node.toStdString())) {
        actual << fromStd(name);
    }
    QCOMPARE(actual, expected);
}

void TestFlowEdits::dependsOn_data()
{
    QTest::addColumn<QString>("flowName"); // "main" or "cyclic"
    QTest::addColumn<QString>("node");
    QTest::addColumn<QString>("dependency");
    QTest::addColumn<bool>("expected");

    const auto row = [](const char *tag, const QString &flowName, const QString &node,
                        const QString &dependency, bool expected) {
        QTest::newRow(tag) << flowName << node << dependency << expected;
    };

    row("direct", "main", "report", "parse", true);
    row("transitive", "main", "report", "prep", true);
    row("through-variant-stub", "main", "parse", "prep", true);
    row("through-non-default-variant", "main", "report", "lonely", true);
    row("through-activate", "main", "gated", "lonely", true);
    row("reverse-direction", "main", "prep", "report", false);
    row("unrelated", "main", "gated", "prep", false);
    row("not-on-itself", "main", "prep", "prep", false);
    row("dangling-reference", "main", "report", "ghost", false);
    row("unknown-node", "main", "nosuch", "prep", false);
    row("on-itself-through-cycle", "cyclic", "a", "a", true);
    row("into-a-cycle", "cyclic", "c", "b", true);
    row("out-of-a-cycle-terminates", "cyclic", "a", "c", false);
}

void TestFlowEdits::dependsOn()
{
    QFETCH(QString, flowName);
    QFETCH(QString, node);
    QFETCH(QString, dependency);
    QFETCH(bool, expected);
    QCOMPARE(FlowEdits::dependsOn(fixture(flowName), node.toStdString(), dependency.toStdString()),
             expected);
}

void TestFlowEdits::wouldCreateCycle_data()
{
    QTest::addColumn<QString>("fromNode"); // the node whose output would be read
    QTest::addColumn<QString>("toNode");   // the node that would read it
    QTest::addColumn<bool>("expected");

    const auto row = [](const char *tag, const QString &fromNode, const QString &toNode,
                        bool expected) { QTest::newRow(tag) << fromNode << toNode << expected; };

    row("self", "lonely", "lonely", true);
    row("back-edge-direct", "parse", "prep", true);
    row("back-edge-transitive", "report", "prep", true);
    row("back-edge-into-variant-stub", "parse", "classify", true);
    row("back-edge-through-non-default-variant", "classify", "lonely", true);
    row("back-edge-through-activate", "gated", "lonely", true);
    row("forward-edge", "prep", "report", false);
    row("existing-edge-again", "prep", "parse", false);
    row("side-edge", "lonely", "prep", false);
    row("from-unknown-node", "ghost", "prep", false);
}

void TestFlowEdits::wouldCreateCycle()
{
    QFETCH(QString, fromNode);
    QFETCH(QString, toNode);
    QFETCH(bool, expected);
    QCOMPARE(
        FlowEdits::wouldCreateCycle(fixture("main"), fromNode.toStdString(), toNode.toStdString()),
        expected);
}

QTEST_GUILESS_MAIN(TestFlowEdits)
#include "tst_flowedits.moc"
