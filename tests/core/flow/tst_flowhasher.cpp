#include "flowtestutil.h"

#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowwriter.h>

#include <QTemporaryDir>
#include <QTest>

using namespace fb;
using namespace fb::test;

namespace {

/// Content hash of the flow folder `dir`, or an empty string after a failed QVERIFY.
std::string hashOf(const QString &dir, std::string *canonical = nullptr)
{
    const auto flow = FlowLoader::load(toPath(dir));
    if (!flow) {
        qWarning("%s", flow.error().message.c_str());
        return {};
    }
    if (canonical) {
        *canonical = FlowHasher::canonicalForm(*flow);
    }
    const auto hash = FlowHasher::contentHash(*flow);
    if (!hash) {
        qWarning("%s", hash.error().message.c_str());
        return {};
    }
    return *hash;
}

bool replaceInFile(const QString &path, const QByteArray &from, const QByteArray &to)
{
    QByteArray content = readAll(path);
    if (!content.contains(from)) {
        return false;
    }
    content.replace(from, to);
    return writeTree(QFileInfo(path).absolutePath(), {{QFileInfo(path).fileName(), content}});
}

} // namespace

class TestFlowHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameFlowSameHash_data();
    void sameFlowSameHash();
    void equivalentYaml_data();
    void equivalentYaml();
    void changesChangeHash_data();
    void changesChangeHash();
    void missingFileFails();
    void canonicalFormShape();
};

void TestFlowHasher::sameFlowSameHash_data()
{
    QTest::addColumn<QString>("folder");
    QTest::newRow("web-classification") << "web-classification";
    QTest::newRow("chat-basic") << "chat-basic";
    QTest::newRow("conditional") << "conditional";
    QTest::newRow("eval-accuracy") << "eval-accuracy";
    QTest::newRow("with-includes") << "with-includes/flow";
    QTest::newRow("legacy-and-extras") << "legacy-and-extras";
}

void TestFlowHasher::sameFlowSameHash()
{
    QFETCH(QString, folder);
    std::string canonical1;
    std::string canonical2;
    const std::string first = hashOf(flowDataDir() + "/" + folder, &canonical1);
    const std::string second = hashOf(flowDataDir() + "/" + folder, &canonical2);
    QCOMPARE(int(first.size()), 64);
    QCOMPARE(fromStd(second), fromStd(first));
    QCOMPARE(fromStd(canonical2), fromStd(canonical1));

    // The folder's location is not part of the flow; a saved copy hashes the same.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString copy = tmp.filePath("somewhere/else");
    QVERIFY(copyTree(flowDataDir() + "/" + folder.section('/', 0, 0), copy));
    const QString copiedFlow = copy + (folder.contains('/') ? "/" + folder.section('/', 1) : "");
    QCOMPARE(fromStd(hashOf(copiedFlow)), fromStd(first));

    const auto flow = FlowLoader::load(toPath(copiedFlow));
    QVERIFY(flow.has_value());
    QVERIFY(FlowWriter::save(*flow).has_value());
    QCOMPARE(fromStd(hashOf(copiedFlow)), fromStd(first));
}

void TestFlowHasher::equivalentYaml_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");

    const QByteArray base = yamlLines({
        "inputs:",
        "  question:",
        "    type: string",
        "    default: hi",
        "outputs:",
        "  answer:",
        "    type: string",
        "    reference: ${echo.output}",
        "nodes:",
        "- name: echo",
        "  type: python",
        "  source:",
        "    type: code",
        "    path: echo.py",
        "  inputs:",
        "    text: ${inputs.question}",
        "    times: 2",
        "  aggregation: false",
    });
    QTest::newRow("comments-and-blank-lines") << base
                                              << yamlLines({
                                                     "# leading comment",
                                                     "inputs:   # trailing comment",
                                                     "",
                                                     "  question:",
                                                     "    type: string",
                                                     "    default: hi   # greeting",
                                                     "",
                                                     "outputs:",
                                                     "  answer:",
                                                     "    type: string",
                                                     "    reference: ${echo.output}",
                                                     "nodes:",
                                                     "  # the only node",
                                                     "  - name: echo",
                                                     "    type: python",
                                                     "    source:",
                                                     "      type: code",
                                                     "      path: echo.py",
                                                     "    inputs:",
                                                     "      text: ${inputs.question}",
                                                     "      times: 2",
                                                     "    aggregation: false",
                                                 });
    QTest::newRow("known-keys-reordered") << base
                                          << yamlLines({
                                                 "nodes:",
                                                 "- inputs:",
                                                 "    text: ${inputs.question}",
                                                 "    times: 2",
                                                 "  source:",
                                                 "    path: echo.py",
                                                 "    type: code",
                                                 "  type: python",
                                                 "  name: echo",
                                                 "outputs:",
                                                 "  answer:",
                                                 "    reference: ${echo.output}",
                                                 "    type: string",
                                                 "inputs:",
                                                 "  question:",
                                                 "    default: hi",
                                                 "    type: string",
                                             });
    QTest::newRow("flow-style")
        << base
        << yamlLines({
               "inputs: {question: {type: string, default: hi}}",
               "outputs: {answer: {type: string, reference: '${echo.output}'}}",
               "nodes: [{name: echo, type: python, source: {type: code, path: echo.py},",
               "         inputs: {text: '${inputs.question}', times: 2}}]",
           });
    QTest::newRow("quoting-style") << base
                                   << yamlLines({
                                          "\"inputs\":",
                                          "  'question':",
                                          "    type: \"string\"",
                                          "    default: 'hi'",
                                          "outputs:",
                                          "  answer:",
                                          "    type: string",
                                          "    reference: \"${echo.output}\"",
                                          "nodes:",
                                          "- name: \"echo\"",
                                          "  type: python",
                                          "  source:",
                                          "    type: code",
                                          "    path: 'echo.py'",
                                          "  inputs:",
                                          "    text: '${inputs.question}'",
                                          "    times: 0x2",
                                          "  aggregation: False",
                                      });
    QTest::newRow("legacy-reduce-key")
        << yamlLines({"nodes:", "- name: a", "  type: python",
                      "  source: {type: code, path: echo.py}", "  aggregation: true"})
        << yamlLines({"nodes:", "- name: a", "  type: python",
                      "  source: {type: code, path: echo.py}", "  reduce: true"});
    QTest::newRow("crlf-line-ends") << base << QByteArray(base).replace("\n", "\r\n");
}

void TestFlowHasher::equivalentYaml()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QByteArray code = "from promptflow import tool\n\n@tool\ndef echo(text, times):\n"
                            "    return text * times\n";
    QVERIFY(writeTree(tmp.path(), {{"a/flow.dag.yaml", a},
                                   {"a/echo.py", code},
                                   {"b/flow.dag.yaml", b},
                                   {"b/echo.py", code}}));
    std::string canonicalA;
    std::string canonicalB;
    const std::string hashA = hashOf(tmp.filePath("a"), &canonicalA);
    const std::string hashB = hashOf(tmp.filePath("b"), &canonicalB);
    QVERIFY(!hashA.empty());
    QCOMPARE(fromStd(canonicalB), fromStd(canonicalA));
    QCOMPARE(fromStd(hashB), fromStd(hashA));
}

void TestFlowHasher::changesChangeHash_data()
{
    QTest::addColumn<QString>("file"); // inside a copy of web-classification
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<bool>("changes");

    // YAML semantics.
    QTest::newRow("input-default") << "flow.dag.yaml" << QByteArray("wireless-controller-blue")
                                   << QByteArray("wireless-controller-red") << true;
    QTest::newRow("input-type") << "flow.dag.yaml" << QByteArray("  url:\n    type: string")
                                << QByteArray("  url:\n    type: file_path") << true;
    QTest::newRow("output-reference")
        << "flow.dag.yaml" << QByteArray("${convert_to_dict.output.evidence}")
        << QByteArray("${convert_to_dict.output.category}") << true;
    QTest::newRow("node-literal-int") << "flow.dag.yaml" << QByteArray("    max_tokens: 128\n")
                                      << QByteArray("    max_tokens: 129\n") << true;
    QTest::newRow("int-to-string") << "flow.dag.yaml" << QByteArray("    max_tokens: 128\n")
                                   << QByteArray("    max_tokens: \"128\"\n") << true;
    QTest::newRow("connection") << "flow.dag.yaml" << QByteArray("  connection: open_ai_connection")
                                << QByteArray("  connection: azure_connection") << true;
    QTest::newRow("default-variant")
        << "flow.dag.yaml" << QByteArray("default_variant_id: variant_0")
        << QByteArray("default_variant_id: variant_1") << true;
    QTest::newRow("variant-param") << "flow.dag.yaml" << QByteArray("    temperature: 0.3")
                                   << QByteArray("    temperature: 0.4") << true;
    QTest::newRow("unknown-key-added") << "flow.dag.yaml" << QByteArray("\ninputs:\n")
                                       << QByteArray("\nx-team: search\ninputs:\n") << true;
    QTest::newRow("activate-added")
        << "flow.dag.yaml" << QByteArray("    input_str: ${classify_with_llm.output}\n")
        << QByteArray("    input_str: ${classify_with_llm.output}\n  activate:\n"
                      "    when: ${inputs.url}\n    is: x\n")
        << true;
    QTest::newRow("node-renamed") << "flow.dag.yaml" << QByteArray("- name: prepare_examples")
                                  << QByteArray("- name: prepare_examples2") << true;
    // Referenced files, byte for byte.
    QTest::newRow("template-byte") << "classify_with_llm.jinja2" << QByteArray("Movie, App")
                                   << QByteArray("Movie; App") << true;
    QTest::newRow("template-trailing-newline")
        << "classify_with_llm.jinja2" << QByteArray("OUTPUT:\n") << QByteArray("OUTPUT:") << true;
    QTest::newRow("variant-template-byte")
        << "summarize_text_content__variant_1.jinja2" << QByteArray("keywords")
        << QByteArray("keyword") << true;
    QTest::newRow("code-byte") << "convert_to_dict.py" << QByteArray("\"None\", \"evidence\"")
                               << QByteArray("\"none\", \"evidence\"") << true;
    // Neither the YAML layout nor a file that no node names changes the hash.
    QTest::newRow("yaml-comment-only") << "flow.dag.yaml" << QByteArray("\ninputs:\n")
                                       << QByteArray("\n# a comment\ninputs:   # here\n") << false;
    QTest::newRow("unreferenced-file")
        << "requirements.txt" << QByteArray("bs4") << QByteArray("beautifulsoup4") << false;
}

void TestFlowHasher::changesChangeHash()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(bool, changes);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath("flow");
    QVERIFY(copyTree(flowDataDir() + "/web-classification", dir));
    const std::string before = hashOf(dir);
    QVERIFY(!before.empty());
    QVERIFY(replaceInFile(dir + "/" + file, from, to));
    const std::string after = hashOf(dir);
    QVERIFY(!after.empty());
    QCOMPARE(after != before, changes);
}

void TestFlowHasher::missingFileFails()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath("flow");
    QVERIFY(copyTree(flowDataDir() + "/web-classification", dir));
    QVERIFY(QFile::remove(dir + "/summarize_text_content__variant_1.jinja2"));
    const auto flow = FlowLoader::load(toPath(dir));
    QVERIFY(flow.has_value());
    // The canonical form needs no files ...
    QVERIFY(!FlowHasher::canonicalForm(*flow).empty());
    // ... the content hash does, and says which one is missing.
    const auto hash = FlowHasher::contentHash(*flow);
    QVERIFY(!hash.has_value());
    QCOMPARE(hash.error().code, ErrorCode::NotFound);
    QVERIFY2(fromStd(hash.error().message).contains("summarize_text_content__variant_1.jinja2"),
             hash.error().message.c_str());
    QVERIFY2(fromStd(hash.error().message).contains("summarize_text_content"),
             hash.error().message.c_str());
}

void TestFlowHasher::canonicalFormShape()
{
    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/web-classification"));
    QVERIFY(flow.has_value());
    const std::string canonical = FlowHasher::canonicalForm(*flow);
    const Value doc = Value::parse(canonical, nullptr, false);
    QVERIFY(doc.is_object());
    // Positions and the folder never enter the canonical form.
    QVERIFY(canonical.find(flowDataDir().toStdString()) == std::string::npos);
    QVERIFY(canonical.find("\"line\"") == std::string::npos);
    QCOMPARE(int(doc["nodes"].size()), 5);
    QCOMPARE(fromStd(doc["nodes"][1]["name"].get<std::string>()), "summarize_text_content");
    QCOMPARE(int(doc["node_variants"][0]["variants"].size()), 2);
    // Written a piece at a time, the text is still the compact dump of the document it holds,
    // and the hash is the one runs already stored carry.
    QCOMPARE(fromStd(doc.dump()), fromStd(canonical));
    const auto hash = FlowHasher::contentHash(*flow);
    QVERIFY(hash.has_value());
    QCOMPARE(fromStd(*hash),
             QStringLiteral("342991c117d25ce2857499650ef599e3b6e479b4c296737ba7c71a53ef2486e6"));
    const std::string empty = FlowHasher::canonicalForm(Flow{});
    QCOMPARE(fromStd(Value::parse(empty).dump()), fromStd(empty));
    QVERIFY(Value::parse(empty)["nodes"] == Value::array());

    // Built in code, with no positions, the same flow has the same canonical form.
    Flow copy = *flow;
    copy.dir = "/elsewhere";
    copy.file = "/elsewhere/flow.dag.yaml";
    copy.keyPos.clear();
    for (auto &node : copy.nodes) {
        node.pos = {};
        node.keyPos.clear();
    }
    QCOMPARE(fromStd(FlowHasher::canonicalForm(copy)), fromStd(canonical));
}

QTEST_GUILESS_MAIN(TestFlowHasher)
#include "tst_flowhasher.moc"
