#include "flowtestutil.h"

#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowwriter.h>

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <sys/stat.h>

using namespace fb;
using namespace fb::test;

class TestFlowLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void promptflowLayoutIsKept_data();
    void promptflowLayoutIsKept();
    void webClassificationModel();
    void legacyAndExtras();
    void additionalIncludes();
    void positions_data();
    void positions();
    void badInput_data();
    void badInput();
    void loadErrors();
    void scalarRoundTrip_data();
    void scalarRoundTrip();
    void referenceParsing_data();
    void referenceParsing();
    void saveIsAtomicAndComplete();
    void longScalars();
    void hostileYaml_data();
    void hostileYaml();
    void yamlWithinLimits();
    void quotesThatDoClose_data();
    void quotesThatDoClose();
    void flowFileKinds_data();
    void flowFileKinds();
};

void TestFlowLoader::roundTrip_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("outputs");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("variantNodes");

    QTest::newRow("web-classification") << "web-classification" << 1 << 2 << 5 << 1;
    QTest::newRow("chat-basic") << "chat-basic" << 2 << 1 << 1 << 0;
    QTest::newRow("conditional") << "conditional" << 2 << 1 << 4 << 0;
    QTest::newRow("eval-accuracy") << "eval-accuracy" << 2 << 1 << 2 << 0;
    QTest::newRow("with-includes") << "with-includes/flow" << 1 << 1 << 2 << 0;
    QTest::newRow("legacy-and-extras") << "legacy-and-extras" << 8 << 1 << 1 << 0;
}

void TestFlowLoader::roundTrip()
{
    QFETCH(QString, folder);
    QFETCH(int, inputs);
    QFETCH(int, outputs);
    QFETCH(int, nodes);
    QFETCH(int, variantNodes);

    const auto first = FlowLoader::load(toPath(flowDataDir() + "/" + folder));
    QVERIFY2(first.has_value(), first ? "" : first.error().message.c_str());
    QCOMPARE(int(first->inputs.size()), inputs);
    QCOMPARE(int(first->outputs.size()), outputs);
    QCOMPARE(int(first->nodes.size()), nodes);
    QCOMPARE(int(first->nodeVariants.size()), variantNodes);

    // load -> save -> load gives an equal flow ...
    const std::string yaml1 = FlowWriter::toYaml(*first);
    const auto second = FlowLoader::loadFromString(yaml1, first->file);
    QVERIFY2(second.has_value(), second ? "" : second.error().message.c_str());
    QCOMPARE(fromStd(FlowHasher::canonicalForm(*second)),
             fromStd(FlowHasher::canonicalForm(*first)));

    // ... and save -> load -> save is byte-identical.
    const std::string yaml2 = FlowWriter::toYaml(*second);
    QCOMPARE(fromStd(yaml2), fromStd(yaml1));

    // Through a real file too.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const auto file = toPath(tmp.filePath("flow.dag.yaml"));
    const auto saved = FlowWriter::save(*first, file);
    QVERIFY2(saved.has_value(), saved ? "" : saved.error().message.c_str());
    const auto third = FlowLoader::load(toPath(tmp.path()));
    QVERIFY2(third.has_value(), third ? "" : third.error().message.c_str());
    QCOMPARE(fromStd(FlowHasher::canonicalForm(*third)),
             fromStd(FlowHasher::canonicalForm(*first)));
    QCOMPARE(readAll(tmp.filePath("flow.dag.yaml")), QByteArray::fromStdString(yaml1));
}

void TestFlowLoader::promptflowLayoutIsKept_data()
{
    QTest::addColumn<QString>("folder");
    // Fixtures written in promptflow's own layout come back byte for byte.
    QTest::newRow("web-classification") << "web-classification";
    QTest::newRow("conditional") << "conditional";
    QTest::newRow("with-includes") << "with-includes/flow";
}

void TestFlowLoader::promptflowLayoutIsKept()
{
    QFETCH(QString, folder);
    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/" + folder));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    QCOMPARE(fromStd(FlowWriter::toYaml(*flow)),
             QString::fromUtf8(readAll(flowDataDir() + "/" + folder + "/flow.dag.yaml")));
}

void TestFlowLoader::webClassificationModel()
{
    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/web-classification"));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());

    QCOMPARE(fromStd(flow->schema),
             "https://azuremlschemas.azureedge.net/promptflow/latest/Flow.schema.json");
    QCOMPARE(fromStd(flow->environment.value("python_requirements_txt", "")), "requirements.txt");
    QCOMPARE(fromStd(flow->file.filename().string()), "flow.dag.yaml");
    QVERIFY(!flow->isChatFlow());

    const FlowInput *url = flow->input("url");
    QVERIFY(url);
    QCOMPARE(url->type, ValueType::String);
    QVERIFY(url->defaultValue.has_value());
    QVERIFY(url->defaultValue->is_string());

    const FlowOutput *category = flow->output("category");
    QVERIFY(category);
    QCOMPARE(fromStd(category->reference), "${convert_to_dict.output.category}");

    const Node *stub = flow->node("summarize_text_content");
    QVERIFY(stub);
    QVERIFY(stub->useVariants);
    QVERIFY(stub->inputs.empty());

    const Node *classify = flow->node("classify_with_llm");
    QVERIFY(classify);
    QCOMPARE(classify->type, NodeType::Llm);
    QCOMPARE(fromStd(classify->source.type), "code");
    QCOMPARE(fromStd(classify->source.path), "classify_with_llm.jinja2");
    QCOMPARE(fromStd(classify->connection), "open_ai_connection");
    QCOMPARE(fromStd(classify->api), "chat");
    QStringList names;
    for (const auto &in : classify->inputs) {
        names << fromStd(in.name);
    }
    QCOMPARE(names, QStringList({"deployment_name", "model", "max_tokens", "temperature", "url",
                                 "text_content", "examples"}));
    QVERIFY(classify->input("max_tokens")->value.is_number_integer());
    QVERIFY(classify->input("temperature")->value.is_number_float());

    const NodeVariants *nv = flow->variantsOf("summarize_text_content");
    QVERIFY(nv);
    QCOMPARE(fromStd(nv->defaultVariantId), "variant_0");
    QCOMPARE(int(nv->variants.size()), 2);
    const Variant *v1 = nv->variant("variant_1");
    QVERIFY(v1);
    QCOMPARE(fromStd(v1->description), "Longer summary, warmer sampling");
    QCOMPARE(fromStd(v1->node.name), "summarize_text_content");
    QCOMPARE(v1->node.type, NodeType::Llm);
    QCOMPARE(fromStd(v1->node.source.path), "summarize_text_content__variant_1.jinja2");
    QCOMPARE(v1->node.input("max_tokens")->value.get<int>(), 256);
}

void TestFlowLoader::legacyAndExtras()
{
    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/legacy-and-extras"));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());

    QCOMPARE(fromStd(flow->id), "template_standard_flow");
    QCOMPARE(fromStd(flow->name), "Legacy flow with extras");
    QCOMPARE(fromStd(flow->language), "python");
    QCOMPARE(fromStd(flow->messageFormat), "basic");

    // Scalars keep their YAML types; quoted text stays text.
    QCOMPARE(js(*flow->input("text")->defaultValue), js(Value("1")));
    QCOMPARE(js(*flow->input("count")->defaultValue), js(Value(3)));
    QVERIFY(flow->input("count")->defaultValue->is_number_integer());
    QVERIFY(flow->input("ratio")->defaultValue->is_number_float());
    QCOMPARE(flow->input("ratio")->defaultValue->get<double>(), 1.5);
    QCOMPARE(js(*flow->input("flag")->defaultValue), js(Value("true")));
    QCOMPARE(js(*flow->input("tags")->defaultValue), QString(R"(["a","b","3"])"));
    const Value &options = *flow->input("options")->defaultValue;
    QCOMPARE(fromStd(options.dump()),
             R"({"depth":2,"mode":"fast","nested":{"on":"yes","at":"2024-01-01"}})");
    QCOMPARE(int(flow->input("mood")->enumValues.size()), 2);
    QVERIFY(flow->input("nothing")->defaultValue.has_value());
    QVERIFY(flow->input("nothing")->defaultValue->is_null());
    QCOMPARE(fromStd(flow->input("text")->extra.dump()), R"({"x-widget":"textarea"})");
    QCOMPARE(fromStd(flow->output("result")->extra.dump()), R"({"x-display":"json"})");

    const Node *echo = flow->node("echo");
    QVERIFY(echo);
    QCOMPARE(fromStd(echo->input("text")->value.get<std::string>()), "${flow.text}");
    const auto ref = Reference::parse(echo->input("text")->value.get<std::string>());
    QVERIFY(ref.has_value());
    QCOMPARE(ref->kind, Reference::Kind::FlowInput);
    QCOMPARE(fromStd(ref->name), "text");
    QCOMPARE(js(echo->input("literal_int")->value), js(Value(42)));
    QCOMPARE(js(echo->input("literal_str")->value), js(Value("42")));
    QVERIFY(echo->input("literal_null")->value.is_null());
    QVERIFY(echo->input("literal_float")->value.is_number_float());
    QCOMPARE(echo->input("literal_float")->value.get<double>(), 1e-5);
    QCOMPARE(fromStd(echo->input("literal_list")->value.dump()),
             R"([1,"two",3.0,["nested","yes"]])");
    QCOMPARE(fromStd(echo->input("multi")->value.get<std::string>()), "line one\nline \"two\"\n");
    QCOMPARE(fromStd(echo->input("colon")->value.get<std::string>()), "a: b # not a comment");
    QVERIFY(echo->enableCache);
    QCOMPARE(fromStd(echo->source.extra.dump()), R"({"x-hash":"abc"})");
    // Legacy provider/module are kept, in file order, after which unknown keys follow.
    QCOMPARE(
        fromStd(echo->extra.dump()),
        R"({"provider":"AzureOpenAI","module":"promptflow.tools.aoai","x-retry":{"attempts":3,"on":[429,503]}})");

    QCOMPARE(fromStd(flow->environmentVariables.dump()),
             R"({"PF_WORKER_COUNT":"2","OPENAI_API_KEY":"${my_conn.api_key}"})");
    QCOMPARE(fromStd(flow->extra.dump()),
             R"({"x-owner":"team-search","x-notes":["first",{"second":2,"third":null}]})");

    // Unknown keys are written after the known ones, in their original order.
    const std::string yaml = FlowWriter::toYaml(*flow);
    const auto nodesAt = yaml.find("\nnodes:");
    const auto ownerAt = yaml.find("\nx-owner:");
    const auto notesAt = yaml.find("\nx-notes:");
    QVERIFY(nodesAt != std::string::npos);
    QVERIFY(ownerAt > nodesAt);
    QVERIFY(notesAt > ownerAt);

    // The legacy 'reduce' key reads as aggregation (and is written as 'aggregation').
    const auto eval = FlowLoader::load(toPath(flowDataDir() + "/eval-accuracy"));
    QVERIFY2(eval.has_value(), eval ? "" : eval.error().message.c_str());
    QVERIFY(eval->node("calculate_accuracy")->aggregation);
    QVERIFY(!eval->node("grade")->aggregation);
    QVERIFY(eval->output("grade")->evaluationOnly);
    const std::string evalYaml = FlowWriter::toYaml(*eval);
    QVERIFY(evalYaml.find("  aggregation: true\n") != std::string::npos);
    QVERIFY(evalYaml.find("  reduce:") == std::string::npos);
}

void TestFlowLoader::additionalIncludes()
{
    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/with-includes/flow"));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    QCOMPARE(int(flow->additionalIncludes.size()), 2);

    namespace fs = std::filesystem;
    const fs::path code = flow->resolvePath("text_utils.py");
    QVERIFY(fs::exists(code));
    QCOMPARE(fs::canonical(code),
             fs::canonical(toPath(flowDataDir() + "/with-includes/shared/text_utils.py")));
    const fs::path prompt = flow->resolvePath("shared_prompts/greet.jinja2");
    QVERIFY(fs::exists(prompt));
    QCOMPARE(fs::canonical(prompt),
             fs::canonical(toPath(flowDataDir() + "/with-includes/shared_prompts/greet.jinja2")));
    // A file of the flow folder itself wins, and unknown names resolve inside the folder.
    QCOMPARE(flow->resolvePath("flow.dag.yaml"), flow->dir / "flow.dag.yaml");
    QCOMPARE(flow->resolvePath("missing.py"), flow->dir / "missing.py");

    // The last include with a given name wins.
    QTemporaryDir tmp;
    QVERIFY(writeTree(tmp.path(), {{"a/util.py", "a"}, {"b/util.py", "b"}, {"flow/x", "x"}}));
    Flow built;
    built.dir = toPath(tmp.filePath("flow"));
    built.additionalIncludes = {"../a/util.py", "../b/util.py"};
    QCOMPARE(fs::canonical(built.resolvePath("util.py")),
             fs::canonical(toPath(tmp.filePath("b/util.py"))));
    built.additionalIncludes = {"../b/util.py", "../a/util.py"};
    QCOMPARE(fs::canonical(built.resolvePath("util.py")),
             fs::canonical(toPath(tmp.filePath("a/util.py"))));
}

void TestFlowLoader::positions_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("element");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    QTest::newRow("input") << "web-classification"
                           << "input:url" << 5 << 3;
    QTest::newRow("input-default-key") << "web-classification"
                                       << "inputkey:url:default" << 7 << 5;
    QTest::newRow("output") << "web-classification"
                            << "output:evidence" << 12 << 3;
    QTest::newRow("node") << "web-classification"
                          << "node:classify_with_llm" << 31 << 3;
    QTest::newRow("node-name-key") << "web-classification"
                                   << "nodekey:classify_with_llm:name" << 31 << 3;
    QTest::newRow("node-source-path") << "web-classification"
                                      << "nodekey:classify_with_llm:source.path" << 35 << 5;
    QTest::newRow("node-input") << "web-classification"
                                << "nodeinput:classify_with_llm:url" << 41 << 5;
    QTest::newRow("node-variants") << "web-classification"
                                   << "variants:summarize_text_content" << 54 << 3;
    QTest::newRow("variant") << "web-classification"
                             << "variant:summarize_text_content:variant_1" << 71 << 7;
    QTest::newRow("variant-node") << "web-classification"
                                  << "variantnode:summarize_text_content:variant_1" << 73 << 11;
    QTest::newRow("indented-sequence-node") << "chat-basic"
                                            << "node:chat" << 19 << 5;
    QTest::newRow("node-input-after-comment") << "chat-basic"
                                              << "nodeinput:chat:max_tokens" << 26 << 7;
    QTest::newRow("activate") << "conditional"
                              << "activate:answer_with_llm" << 31 << 3;
    QTest::newRow("activate-when") << "conditional"
                                   << "activatekey:answer_with_llm:when" << 32 << 5;
    QTest::newRow("aggregation-from-reduce") << "eval-accuracy"
                                             << "nodekey:calculate_accuracy:aggregation" << 30 << 3;
    QTest::newRow("top-level-key") << "legacy-and-extras"
                                   << "top:x-owner" << 5 << 1;
    QTest::newRow("include-entry") << "with-includes/flow"
                                   << "top:additional_includes.1" << 3 << 3;
}

void TestFlowLoader::positions()
{
    QFETCH(QString, folder);
    QFETCH(QString, element);
    QFETCH(int, line);
    QFETCH(int, column);

    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/" + folder));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    const QStringList parts = element.split(':');
    const std::string a = parts.value(1).toStdString();
    const std::string b = parts.value(2).toStdString();
    SourcePos pos{-1, -1};
    const QString kind = parts[0];
    if (kind == "input") {
        pos = flow->input(a)->pos;
    } else if (kind == "inputkey") {
        pos = keyPosition(flow->input(a)->keyPos, b, {-1, -1});
    } else if (kind == "output") {
        pos = flow->output(a)->pos;
    } else if (kind == "node") {
        pos = flow->node(a)->pos;
    } else if (kind == "nodekey") {
        pos = keyPosition(flow->node(a)->keyPos, b, {-1, -1});
    } else if (kind == "nodeinput") {
        pos = flow->node(a)->input(b)->pos;
    } else if (kind == "variants") {
        pos = flow->variantsOf(a)->pos;
    } else if (kind == "variant") {
        pos = flow->variantsOf(a)->variant(b)->pos;
    } else if (kind == "variantnode") {
        pos = flow->variantsOf(a)->variant(b)->node.pos;
    } else if (kind == "activate") {
        pos = flow->node(a)->activate->pos;
    } else if (kind == "activatekey") {
        pos = keyPosition(flow->node(a)->activate->keyPos, b, {-1, -1});
    } else if (kind == "top") {
        pos = keyPosition(flow->keyPos, a, {-1, -1});
    }
    QCOMPARE(pos.line, line);
    QCOMPARE(pos.column, column);
}

void TestFlowLoader::badInput_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("fragment");

    const auto row
        = [](const char *name, const QStringList &lines, const char *where, const char *fragment) {
              QTest::newRow(name) << yamlLines(lines) << QString(where) << QString(fragment);
          };
    const QStringList node = {"nodes:", "- name: classify", "  type: python",
                              "  source: {type: code, path: classify.py}"};

    // YAML itself.
    row("yaml-unclosed-flow-sequence", {"inputs:", "  x: [1, 2", "nodes: []"}, "3:6",
        "YAML syntax error");
    row("yaml-bad-indentation", {"inputs:", "  x:", "    type: string", "   default: 1"}, "4:4",
        "YAML syntax error");
    row("yaml-tab-indentation", {"inputs:", "\tq: 1"}, "2:3", "YAML syntax error");
    row("yaml-text-after-quoted-scalar", {"name: \"abc\" extra", "inputs: {}"}, "1:13",
        "YAML syntax error");
    row("yaml-unclosed-flow-mapping", {"x-meta: {b: 1", "inputs: {}"}, "2:7", "YAML syntax error");
    row("yaml-two-colons", {"inputs: a: b"}, "1:10", "YAML syntax error");
    QTest::newRow("empty-file") << QByteArray() << "1:1"
                                << "the flow file is empty";
    row("comment-only", {"# nothing here"}, "1:1", "the flow file is empty");
    row("top-level-list", {"- a", "- b"}, "1:1", "the top level must be a mapping");
    row("top-level-scalar", {"hello"}, "1:1", "the top level must be a mapping");
    row("top-level-duplicate-key", {"inputs: {}", "inputs: {}"}, "2:1", "duplicate key 'inputs'");
    row("complex-key", {"? [a, b]", ": 1"}, "1:3", "keys must be plain text");
    row("unknown-key-duplicate-inside", {"x-meta:", "  a: 1", "  a: 2"}, "3:3",
        "duplicate key 'a'");
    // Inputs and outputs.
    row("inputs-not-mapping", {"inputs: [a, b]"}, "1:1", "'inputs' must be a mapping");
    row("input-not-mapping", {"inputs:", "  q: string"}, "2:3",
        "input 'q' must be a mapping with at least 'type'");
    row("input-missing-type", {"inputs:", "  q:", "    default: 1"}, "2:3",
        "input 'q': missing 'type'");
    row("input-type-list", {"inputs:", "  q:", "    type: [string]"}, "3:5",
        "input 'q': 'type' must be a string");
    row("input-type-empty", {"inputs:", "  q:", "    type:"}, "3:5",
        "input 'q': 'type' must not be empty");
    row("input-enum-not-list", {"inputs:", "  q:", "    type: string", "    enum: a"}, "4:5",
        "input 'q': 'enum' must be a list");
    row("input-chat-flag-not-bool",
        {"inputs:", "  q:", "    type: string", "    is_chat_input: maybe"}, "4:5",
        "input 'q': 'is_chat_input' must be true or false");
    row("input-duplicate-field", {"inputs:", "  q:", "    type: string", "    type: int"}, "4:5",
        "input 'q': duplicate key 'type'");
    row("input-description-mapping",
        {"inputs:", "  q:", "    type: string", "    description: {a: 1}"}, "4:5",
        "input 'q': 'description' must be a string");
    row("outputs-not-mapping", {"outputs: 3"}, "1:1", "'outputs' must be a mapping");
    row("output-not-mapping", {"outputs:", "  a: ${x.output}"}, "2:3",
        "output 'a' must be a mapping");
    row("output-reference-mapping",
        {"outputs:", "  a:", "    type: string", "    reference: {node: x}"}, "4:5",
        "output 'a': 'reference' must be a string");
    row("output-evaluation-only-not-bool",
        {"outputs:", "  a:", "    type: string", "    evaluation_only: 3"}, "4:5",
        "output 'a': 'evaluation_only' must be true or false");
    // Nodes.
    row("nodes-not-list", {"nodes:", "  a: 1"}, "1:1", "'nodes' must be a list");
    row("node-not-mapping", {"nodes:", "- just a name"}, "2:3", "node #1 must be a mapping");
    row("node-missing-name",
        {"nodes:", "- name: ok", "  type: python", "- type: python", "  inputs: {}"}, "4:3",
        "node #2 is missing 'name'");
    row("node-empty-name", {"nodes:", "- name: ''", "  type: python"}, "2:3",
        "node #1: 'name' must not be empty");
    row("node-name-list", {"nodes:", "- name: [a]"}, "2:3", "node #1: 'name' must be a string");
    row("node-missing-type", {"nodes:", "- name: classify", "  inputs: {}"}, "2:3",
        "node 'classify': missing 'type'");
    row("node-type-mapping", {"nodes:", "- name: classify", "  type: {llm: 1}"}, "3:3",
        "node 'classify': 'type' must be a string");
    row("node-inputs-not-mapping",
        {"inputs:", "  question:", "    type: string", "outputs:", "  answer:", "    type: string",
         "    reference: ${classify.output}", "nodes:", "  - name: classify", "    type: python",
         "    source: {type: code, path: classify.py}", "    inputs: 3"},
        "12:5", "node 'classify': 'inputs' must be a mapping");
    row("node-inputs-duplicate", node + QStringList{"  inputs:", "    a: 1", "    a: 2"}, "7:5",
        "node 'classify': inputs: duplicate key 'a'");
    row("node-source-not-mapping", {"nodes:", "- name: x", "  type: python", "  source: x.py"},
        "4:3", "node 'x': 'source' must be a mapping");
    row("node-source-path-list",
        {"nodes:", "- name: x", "  type: python", "  source:", "    type: code",
         "    path: [a.py, b.py]"},
        "6:5", "node 'x': 'source.path' must be a string");
    row("node-connection-list", node + QStringList{"  connection: [a]"}, "5:3",
        "node 'classify': 'connection' must be a string");
    row("node-aggregation-not-bool", node + QStringList{"  aggregation: sometimes"}, "5:3",
        "node 'classify': 'aggregation' must be true or false");
    row("node-reduce-not-bool", node + QStringList{"  reduce: 2"}, "5:3",
        "node 'classify': 'reduce' must be true or false");
    row("node-reduce-and-aggregation", node + QStringList{"  aggregation: true", "  reduce: true"},
        "6:3", "both 'aggregation' and its legacy alias 'reduce' are set");
    row("node-activate-not-mapping", node + QStringList{"  activate: ${a.output}"}, "5:3",
        "node 'classify': 'activate' must be a mapping");
    row("node-activate-when-mapping",
        node + QStringList{"  activate:", "    when: {a: 1}", "    is: 1"}, "6:5",
        "node 'classify': 'activate.when' must be a string");
    row("node-use-variants-not-bool", {"nodes:", "- name: x", "  use_variants: 'maybe'"}, "3:3",
        "node 'x': 'use_variants' must be true or false");
    row("node-enable-cache-list", node + QStringList{"  enable_cache: []"}, "5:3",
        "node 'classify': 'enable_cache' must be true or false");
    // Variants.
    row("node-variants-not-mapping", {"node_variants: [a]"}, "1:1",
        "'node_variants' must be a mapping");
    row("node-variants-entry-not-mapping", {"node_variants:", "  x: variant_0"}, "2:3",
        "node_variants 'x' must be a mapping");
    row("node-variants-missing-variants",
        {"node_variants:", "  x:", "    default_variant_id: variant_0"}, "2:3",
        "node_variants 'x': missing 'variants'");
    row("node-variants-variants-list",
        {"node_variants:", "  x:", "    default_variant_id: variant_0", "    variants: [a]"}, "4:5",
        "node_variants 'x': 'variants' must be a mapping");
    row("variant-not-mapping", {"node_variants:", "  x:", "    variants:", "      variant_0: llm"},
        "4:7", "node_variants 'x': variant 'variant_0': must be a mapping with 'node'");
    row("variant-missing-node",
        {"node_variants:", "  x:", "    variants:", "      variant_0:",
         "        description: no node"},
        "4:7", "node_variants 'x': variant 'variant_0': missing 'node'");
    row("variant-node-missing-type",
        {"node_variants:", "  x:", "    variants:", "      variant_0:", "        node:",
         "          inputs: {}"},
        "6:11", "node_variants 'x' variant 'variant_0': missing 'type'");
    row("variant-node-inputs-list",
        {"node_variants:", "  x:", "    variants:", "      variant_0:", "        node:",
         "          type: llm", "          inputs: [a]"},
        "7:11", "node_variants 'x' variant 'variant_0': 'inputs' must be a mapping");
    row("variant-duplicate-id",
        {"node_variants:", "  x:", "    variants:", "      variant_0: {node: {type: llm}}",
         "      variant_0: {node: {type: llm}}"},
        "5:7", "duplicate key 'variant_0'");
    // Other top-level keys.
    row("environment-not-mapping", {"environment: python3"}, "1:1",
        "'environment' must be a mapping");
    row("environment-variables-list", {"environment_variables: [A=1]"}, "1:1",
        "'environment_variables' must be a mapping");
    row("additional-includes-not-list", {"additional_includes: ../shared"}, "1:1",
        "'additional_includes' must be a list of paths");
    row("additional-includes-entry-mapping", {"additional_includes:", "- {a: 1}"}, "2:3",
        "'additional_includes' entries must be paths");
    row("schema-mapping", {"$schema: {a: 1}"}, "1:1", "'$schema' must be a string");
    // A quoted scalar without its closing quote would take in the rest of the file
    // (yaml-cpp accepts that, and the flow read as valid with its later keys gone).
    row("unclosed-double-quote",
        {"inputs:", "  q:", "    type: string", "    default: \"abc", "outputs: {}", "nodes: []"},
        "4:14", "unclosed double quote: the quoted text starting here has no closing \"");
    row("unclosed-single-quote", {"inputs:", "  q:", "    type: string", "    default: 'it''s"},
        "4:14", "unclosed single quote");
    row("unclosed-quote-escaped-at-end", {"name: \"abc\\\""}, "1:7", "unclosed double quote");
    row("unclosed-quoted-key", {"inputs: {}", "\"nodes: []"}, "2:1", "unclosed double quote");
    row("unclosed-quote-after-anchor", {"x-meta: &a \"abc", "nodes: []"}, "1:9",
        "unclosed double quote");
    row("unclosed-quote-after-tag", {"x-meta: !!str 'abc", "nodes: []"}, "1:9",
        "unclosed single quote");
    row("unclosed-quote-in-flow", {"x-meta: [a, \"b]", "nodes: []"}, "1:13",
        "unclosed double quote");
    QTest::newRow("unclosed-quote-after-bom")
        << QByteArray("\xEF\xBB\xBFinputs: {}\nname: \"x\n") << "2:7"
        << "unclosed double quote";
    // Aliases.
    row("recursive-alias-sequence", {"x-meta: &a [1, *a]"}, "1:16",
        "the alias *a is inside the node it names (a recursive alias)");
    row("recursive-alias-mapping",
        {"inputs:", "  q: &self", "    type: string", "    default: *self"}, "4:14",
        "the alias *self is inside the node it names");
    row("recursive-alias-nested", {"x-meta: &outer", "  a: {b: [*outer]}"}, "2:11",
        "recursive alias");
}

void TestFlowLoader::badInput()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, where);
    QFETCH(QString, fragment);

    const auto flow = FlowLoader::loadFromString(yaml.toStdString(), "flows/bad/flow.dag.yaml");
    QVERIFY(!flow.has_value());
    QCOMPARE(flow.error().code, ErrorCode::Parse);
    const QString message = fromStd(flow.error().message);
    const QString prefix = "flows/bad/flow.dag.yaml:" + where + ": ";
    QVERIFY2(message.startsWith(prefix), qPrintable(message));
    QVERIFY2(message.contains(fragment), qPrintable(message));
}

void TestFlowLoader::loadErrors()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());

    const auto missing = FlowLoader::load(toPath(tmp.filePath("nope")));
    QVERIFY(!missing.has_value());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(fromStd(missing.error().message).contains("nope"));

    QVERIFY(QDir().mkpath(tmp.filePath("empty-folder")));
    const auto noFlow = FlowLoader::load(toPath(tmp.filePath("empty-folder")));
    QVERIFY(!noFlow.has_value());
    QCOMPARE(noFlow.error().code, ErrorCode::NotFound);
    QVERIFY(fromStd(noFlow.error().message).contains("no flow.dag.yaml"));

    // A file path works as well as its folder, and errors name that file.
    QVERIFY(writeTree(tmp.path(), {{"f/my.yaml", "inputs:\n  q: 1\n"}}));
    const auto bad = FlowLoader::load(toPath(tmp.filePath("f/my.yaml")));
    QVERIFY(!bad.has_value());
    QVERIFY2(fromStd(bad.error().message).startsWith(tmp.filePath("f/my.yaml") + ":2:3: "),
             bad.error().message.c_str());
}

void TestFlowLoader::scalarRoundTrip_data()
{
    QTest::addColumn<QString>("json"); // the value, as JSON

    for (const char *text : {"true",
                             "false",
                             "True",
                             "yes",
                             "No",
                             "off",
                             "ON",
                             "y",
                             "n",
                             "null",
                             "Null",
                             "~",
                             "",
                             " ",
                             " lead",
                             "trail ",
                             "1",
                             "-1",
                             "+1",
                             "1.5",
                             ".5",
                             "-.5",
                             "1e3",
                             "0x1F",
                             "0o17",
                             "1_000",
                             "2024-01-01",
                             "12:30",
                             ".inf",
                             "-.inf",
                             ".nan",
                             ".NaN",
                             "-",
                             "- a",
                             "?",
                             "? x",
                             ":",
                             "a:",
                             "a: b",
                             "a #b",
                             "#x",
                             "@at",
                             "`tick",
                             "%pct",
                             "*star",
                             "&amp",
                             "!bang",
                             "|pipe",
                             ">gt",
                             "[x",
                             "]x",
                             "{x",
                             "}x",
                             ",x",
                             "'single'",
                             "\"double\"",
                             "<<",
                             "=",
                             "line\nbreak",
                             "tab\there",
                             "back\\slash",
                             "bell\x07",
                             "unicode \xc3\xbc \xe5\xad\x97",
                             "${inputs.x}",
                             "${node.output.key}",
                             "https://example.com/a?b=c#frag",
                             "C:\\path\\file.txt",
                             "trailing newline\n"}) {
        QTest::newRow(qPrintable("string:" + QString(text).toUtf8().toPercentEncoding()))
            << fromStd(Value(std::string(text)).dump());
    }
    for (const char *json : {"0",
                             "42",
                             "-7",
                             "9223372036854775807",
                             "-9223372036854775808",
                             "18446744073709551615",
                             "0.1",
                             "1.0",
                             "-2.5",
                             "1e-05",
                             "1e+300",
                             "3.141592653589793",
                             "true",
                             "false",
                             "null",
                             "[]",
                             "{}",
                             "[1,[2,[3,{}]],{\"a\":[]}]",
                             "{\"b\":1,\"a\":{\"z\":null,\"y\":[]}}",
                             "[\"true\",\"1\",null,\"\"]"}) {
        QTest::newRow(json) << QString(json);
    }
}

void TestFlowLoader::scalarRoundTrip()
{
    QFETCH(QString, json);
    const Value value = Value::parse(json.toStdString());

    Flow flow;
    flow.file = "rt/flow.dag.yaml";
    FlowInput in;
    in.name = value.is_string() ? value.get<std::string>() : "k";
    if (in.name.empty()) {
        in.name = "k";
    }
    in.defaultValue = value;
    flow.inputs.push_back(in);
    Node node;
    node.name = "n";
    node.type = NodeType::Python;
    node.source.type = "code";
    node.source.path = "n.py";
    node.inputs.push_back(NodeInput{"v", value, {}});
    flow.nodes.push_back(node);
    flow.extra["x-value"] = value;

    const std::string yaml = FlowWriter::toYaml(flow);
    const auto back = FlowLoader::loadFromString(yaml, flow.file);
    QVERIFY2(back.has_value(), (back ? yaml : back.error().message + "\n" + yaml).c_str());
    QCOMPARE(int(back->inputs.size()), 1);
    QCOMPARE(fromStd(back->inputs[0].name), fromStd(in.name));
    QCOMPARE(fromStd(back->inputs[0].defaultValue->dump()), fromStd(value.dump()));
    // Integers may come back signed or unsigned; the kind must not change.
    const auto kind = [](const Value &v) {
        return v.is_number_integer() ? QString("integer") : QString(v.type_name());
    };
    QCOMPARE(kind(*back->inputs[0].defaultValue), kind(value));
    QCOMPARE(kind(back->nodes[0].inputs[0].value), kind(value));
    QCOMPARE(fromStd(back->nodes[0].inputs[0].value.dump()), fromStd(value.dump()));
    QCOMPARE(fromStd(back->extra["x-value"].dump()), fromStd(value.dump()));
    QCOMPARE(fromStd(FlowWriter::toYaml(*back)), fromStd(yaml));

    // Words that YAML 1.1 readers (PyYAML, older promptflow) take for booleans or null are
    // quoted even though YAML 1.2 would read them back as text.
    if (value.is_string()
        && QStringList({"yes", "No", "off", "ON", "y", "n", "~", "<<", "="})
               .contains(fromStd(value.get<std::string>()))) {
        QVERIFY2(yaml.find("v: \"" + value.get<std::string>() + "\"\n") != std::string::npos,
                 yaml.c_str());
    }
    // References stay plain scalars, as promptflow writes them.
    if (value.is_string() && value.get<std::string>().rfind("${", 0) == 0) {
        QVERIFY2(yaml.find("v: " + value.get<std::string>() + "\n") != std::string::npos,
                 yaml.c_str());
    }
}

void TestFlowLoader::referenceParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("isInput");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("key");

    QTest::newRow("input") << "${inputs.question}" << true << true << "question"
                           << "";
    QTest::newRow("legacy-flow-input") << "${flow.question}" << true << true << "question"
                                       << "";
    QTest::newRow("node") << "${classify}" << true << false << "classify"
                          << "";
    QTest::newRow("node-output") << "${classify.output}" << true << false << "classify"
                                 << "";
    QTest::newRow("node-output-key") << "${classify.output.category}" << true << false << "classify"
                                     << "category";
    QTest::newRow("node-output-deep-key") << "${a.output.b.c}" << true << false << "a"
                                          << "b.c";
    QTest::newRow("not-output") << "${classify.outputs}" << false << false << ""
                                << "";
    QTest::newRow("input-too-deep") << "${inputs.a.b}" << false << false << ""
                                    << "";
    QTest::newRow("inputs-alone") << "${inputs}" << false << false << ""
                                  << "";
    QTest::newRow("empty") << "${}" << false << false << ""
                           << "";
    QTest::newRow("spaces") << "${ inputs.x }" << false << false << ""
                            << "";
    QTest::newRow("empty-part") << "${a..output}" << false << false << ""
                                << "";
    QTest::newRow("literal") << "hello" << false << false << ""
                             << "";
    QTest::newRow("embedded") << "say ${inputs.x}" << false << false << ""
                              << "";
    QTest::newRow("unclosed") << "${inputs.x" << false << false << ""
                              << "";
}

void TestFlowLoader::referenceParsing()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(bool, isInput);
    QFETCH(QString, name);
    QFETCH(QString, key);

    const auto ref = Reference::parse(text.toStdString());
    QCOMPARE(ref.has_value(), valid);
    if (valid) {
        QCOMPARE(ref->kind == Reference::Kind::FlowInput, isInput);
        QCOMPARE(fromStd(ref->name), name);
        QCOMPARE(fromStd(ref->key), key);
        QVERIFY(Reference::looksLikeReference(Value(text.toStdString())));
    }
    QVERIFY(!Reference::looksLikeReference(Value(42)));
}

void TestFlowLoader::saveIsAtomicAndComplete()
{
    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/web-classification"));
    QVERIFY(flow.has_value());

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString target = tmp.filePath("flow.dag.yaml");
    QVERIFY(writeTree(tmp.path(), {{"flow.dag.yaml", "old content that must be replaced\n"}}));
    Flow copy = *flow;
    copy.file = toPath(target);
    const auto saved = FlowWriter::save(copy);
    QVERIFY2(saved.has_value(), saved ? "" : saved.error().message.c_str());
    QCOMPARE(readAll(target), QByteArray::fromStdString(FlowWriter::toYaml(*flow)));
    // Only the target is left: no temporary siblings.
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{"flow.dag.yaml"});

    Flow nowhere;
    const auto failed = FlowWriter::save(nowhere);
    QVERIFY(!failed.has_value());
    QCOMPARE(failed.error().code, ErrorCode::InvalidArgument);

    const auto unwritable = FlowWriter::save(*flow, toPath(tmp.filePath("no/such/dir/f.yaml")));
    QVERIFY(!unwritable.has_value());
    QCOMPARE(unwritable.error().code, ErrorCode::Io);
}

void TestFlowLoader::longScalars()
{
    // Long plain scalars (a pasted document, a huge number) must neither crash the scalar
    // resolver nor change type.
    const std::string digits(300000, '7');
    const std::string text = "word " + std::string(300000, 'x');
    const std::string yaml = "inputs:\n  n:\n    type: int\n    default: " + digits
                             + "\n  t:\n    type: string\n    default: " + text + "\n";
    const auto flow = FlowLoader::loadFromString(yaml, "long/flow.dag.yaml");
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    QVERIFY(flow->input("n")->defaultValue->is_number());
    QVERIFY(flow->input("t")->defaultValue->is_string());
    QCOMPARE(flow->input("t")->defaultValue->get<std::string>().size(), text.size());
    const auto back = FlowLoader::loadFromString(FlowWriter::toYaml(*flow), "long/flow.dag.yaml");
    QVERIFY(back.has_value());
    QCOMPARE(back->input("t")->defaultValue->get<std::string>(), text);
}

namespace {

/// "Billion laughs": `levels` anchors, each a list of `width` aliases of the one before;
/// under 1 KB of YAML that expands to width^levels nodes.
std::string laughs(int levels, int width)
{
    std::string yaml = "x-meta:\n  l0: &l0 lol\n";
    for (int i = 1; i <= levels; ++i) {
        yaml += "  l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
        for (int j = 0; j < width; ++j) {
            yaml += (j ? ", *l" : "*l") + std::to_string(i - 1);
        }
        yaml += "]\n";
    }
    return yaml + "nodes: []\n";
}

/// A mapping key whose value is `depth` sequences nested in flow style.
std::string nested(int depth)
{
    return "x-meta: " + std::string(std::size_t(depth), '[') + std::string(std::size_t(depth), ']')
           + "\nnodes: []\n";
}

} // namespace

void TestFlowLoader::hostileYaml_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("where"); // line:column, empty when any
    QTest::addColumn<QString>("fragment");
    // 9 levels of 9 aliases: 387,420,489 nodes from 561 bytes (it grew validate to 6 GB).
    QTest::newRow("billion-laughs") << QByteArray::fromStdString(laughs(9, 9)) << "8:12"
                                    << "aliases expand to more than 100000 YAML nodes, the limit "
                                       "on alias expansion";
    QTest::newRow("wide-laughs") << QByteArray::fromStdString(laughs(2, 400)) << "4:1252"
                                 << "the limit on alias expansion";
    // Sequences nested 100 deep under the root mapping are 101 levels.
    QTest::newRow("nested-101") << QByteArray::fromStdString(nested(100)) << "1:108"
                                << "YAML nested more than 100 levels deep (the limit)";
    QTest::newRow("nested-100k") << QByteArray::fromStdString(nested(100000)) << "1:108"
                                 << "nested more than 100 levels";
    // Depth counts what an alias expands to: 60 levels anchored, repeated 50 levels down.
    const std::string deepAnchor = "x-a: &deep " + std::string(59, '[') + std::string(59, ']')
                                   + "\nx-b: " + std::string(49, '[') + "*deep"
                                   + std::string(49, ']') + "\n";
    QTest::newRow("deep-through-alias") << QByteArray::fromStdString(deepAnchor) << "2:55"
                                        << "nested more than 100 levels";
}

void TestFlowLoader::hostileYaml()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, where);
    QFETCH(QString, fragment);
    QElapsedTimer timer;
    timer.start();
    const auto flow = FlowLoader::loadFromString(yaml.toStdString(), "flows/bad/flow.dag.yaml");
    QVERIFY(timer.elapsed() < 5000);
    QVERIFY(!flow.has_value());
    QCOMPARE(flow.error().code, ErrorCode::Parse);
    const QString message = fromStd(flow.error().message);
    QVERIFY2(message.startsWith("flows/bad/flow.dag.yaml:" + where + ": "), qPrintable(message));
    QVERIFY2(message.contains(fragment), qPrintable(message));
}

void TestFlowLoader::yamlWithinLimits()
{
    // Anchors and aliases within the limits load, expanded.
    const auto shared
        = FlowLoader::loadFromString(yamlLines({"x-defaults: &d {type: string, default: hi}",
                                                "inputs:", "  a: *d", "  b: *d", "nodes: []"})
                                         .toStdString(),
                                     "ok/flow.dag.yaml");
    QVERIFY2(shared.has_value(), shared ? "" : shared.error().message.c_str());
    QCOMPARE(js(*shared->input("b")->defaultValue), QStringLiteral("\"hi\""));

    // Each limit holds exactly at its value and refuses one more.
    FlowLoadLimits limits;
    // laughs(2, 9): l1 is 9 aliases of one scalar (+ the list: 10 nodes), l2 9 aliases of l1.
    limits.maxAliasNodes = 9 * 1 + 9 * 10;
    QVERIFY(FlowLoader::loadFromString(laughs(2, 9), "ok/flow.dag.yaml", limits).has_value());
    limits.maxAliasNodes -= 1;
    auto refused = FlowLoader::loadFromString(laughs(2, 9), "ok/flow.dag.yaml", limits);
    QVERIFY(!refused);
    QVERIFY2(fromStd(refused.error().message).contains("more than 98 YAML nodes"),
             refused.error().message.c_str());

    QVERIFY(FlowLoader::loadFromString(nested(99), "ok/flow.dag.yaml").has_value());
    limits = {};
    limits.maxDepth = 10;
    QVERIFY(FlowLoader::loadFromString(nested(9), "ok/flow.dag.yaml", limits).has_value());
    refused = FlowLoader::loadFromString(nested(10), "ok/flow.dag.yaml", limits);
    QVERIFY(!refused);
    QVERIFY2(fromStd(refused.error().message).contains("more than 10 levels"),
             refused.error().message.c_str());

    // Nodes: "x-meta: [a, b, c]" + "nodes: []" is 1 + 2 + 3 + 2 = 8 nodes.
    const std::string eight = "x-meta: [a, b, c]\nnodes: []\n";
    limits = {};
    limits.maxNodes = 8;
    QVERIFY(FlowLoader::loadFromString(eight, "ok/flow.dag.yaml", limits).has_value());
    limits.maxNodes = 7;
    refused = FlowLoader::loadFromString(eight, "ok/flow.dag.yaml", limits);
    QVERIFY(!refused);
    QVERIFY2(
        fromStd(refused.error().message).startsWith("ok/flow.dag.yaml:2:8: more than 7 YAML nodes"),
        refused.error().message.c_str());

    // Size: the text itself.
    limits = {};
    limits.maxFileBytes = eight.size();
    QVERIFY(FlowLoader::loadFromString(eight, "ok/flow.dag.yaml", limits).has_value());
    limits.maxFileBytes = eight.size() - 1;
    refused = FlowLoader::loadFromString(eight, "ok/flow.dag.yaml", limits);
    QVERIFY(!refused);
    QVERIFY2(fromStd(refused.error().message)
                 .startsWith("ok/flow.dag.yaml: the flow file is 28 bytes, larger than the limit "
                             "of 27 bytes"),
             refused.error().message.c_str());
}

void TestFlowLoader::quotesThatDoClose_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("name");
    QTest::newRow("escaped-backslash") << yamlLines({"name: \"a\\\\\""}) << "a\\";
    QTest::newRow("escaped-quote-inside")
        << yamlLines({"name: \"say \\\"hi\\\"\""}) << "say \"hi\"";
    QTest::newRow("doubled-single") << yamlLines({"name: 'it''s'"}) << "it's";
    QTest::newRow("other-quote-inside") << yamlLines({"name: \"it's\""}) << "it's";
    QTest::newRow("multi-line") << yamlLines({"name: \"a", "  b\""}) << "a b";
    QTest::newRow("block-scalar-with-quote") << yamlLines({"name: |", "  \"abc"}) << "\"abc\n";
    QTest::newRow("plain-with-quote") << yamlLines({"name: it's \"x"}) << "it's \"x";
    QTest::newRow("anchored") << yamlLines({"name: &n \"x\"", "id: *n"}) << "x";
    QTest::newRow("no-final-newline") << QByteArray("name: 'x'") << "x";
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBFname: \"x\"\n") << "x";
    // UTF-16: yaml-cpp's marks count characters there, not bytes.
    const QString utf16 = QStringLiteral("name: \"it's\"\nid: 'a \"b\" c'\n");
    QTest::newRow("utf-16le") << QByteArray("\xFF\xFE")
                                     + QByteArray(reinterpret_cast<const char *>(utf16.utf16()),
                                                  utf16.size() * 2)
                              << "it's";
}

void TestFlowLoader::quotesThatDoClose()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, name);
    const auto flow = FlowLoader::loadFromString(yaml.toStdString(), "ok/flow.dag.yaml");
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    QCOMPARE(fromStd(flow->name), name);
}

void TestFlowLoader::flowFileKinds_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("fifo") << "fifo"
                          << "flow.dag.yaml: is a FIFO (named pipe), not a regular file";
    QTest::newRow("fifo-given-as-file") << "fifo-file"
                                        << "flow.dag.yaml: is a FIFO (named pipe)";
    QTest::newRow("dev-zero") << "/dev/zero"
                              << "/dev/zero: is a character device, not a regular file";
    QTest::newRow("link-to-dev-zero") << "link"
                                      << "flow.dag.yaml: is a character device";
    QTest::newRow("directory") << "dir"
                               << "flow.dag.yaml: is a directory, not a regular file";
    // Refused by its size before it is read: 64 GiB of (sparse) nothing.
    QTest::newRow("huge-sparse") << "sparse"
                                 << "flow.dag.yaml: the file is 64 GiB, larger than the limit of "
                                    "64 MiB";
    // Over a limit of 1,000 bytes by one (and 1,000 bytes load).
    QTest::newRow("too-large") << "large"
                               << "flow.dag.yaml: the file is 1001 bytes, larger than the limit "
                                  "of 1000 bytes";
}

void TestFlowLoader::flowFileKinds()
{
    QFETCH(QString, kind);
    QFETCH(QString, fragment);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::filesystem::path dir = toPath(tmp.path());
    const std::filesystem::path file = dir / "flow.dag.yaml";
    std::filesystem::path given = dir;
    if (kind == "fifo" || kind == "fifo-file") {
        QCOMPARE(::mkfifo(file.c_str(), 0600), 0);
        given = kind == "fifo" ? dir : file;
    } else if (kind == "link") {
        std::filesystem::create_symlink("/dev/zero", file);
    } else if (kind == "dir") {
        std::filesystem::create_directory(file);
    } else if (kind == "sparse") {
        QVERIFY(writeTree(tmp.path(), {{"flow.dag.yaml", "nodes: []\n"}}));
        std::filesystem::resize_file(file, std::uintmax_t(64) << 30);
    } else if (kind == "large") {
        QVERIFY(writeTree(tmp.path(), {{"flow.dag.yaml", "nodes: []\n#" + QByteArray(990, 'x')}}));
    } else {
        given = kind.toStdString();
    }
    QElapsedTimer timer;
    timer.start();
    FlowLoadLimits limits;
    if (kind == "large") {
        limits.maxFileBytes = 1000;
    }
    const auto flow = FlowLoader::load(given, limits);
    QVERIFY(timer.elapsed() < 5000); // a FIFO is not waited for, /dev/zero not read
    QVERIFY(!flow.has_value());
    QCOMPARE(flow.error().code, ErrorCode::InvalidArgument);
    QVERIFY2(fromStd(flow.error().message).contains(fragment), flow.error().message.c_str());
    if (kind == "large") {
        // One byte less is within the limit.
        QVERIFY(writeTree(tmp.path(), {{"flow.dag.yaml", "nodes: []\n#" + QByteArray(989, 'x')}}));
        const auto fits = FlowLoader::load(given, limits);
        QVERIFY2(fits.has_value(), fits ? "" : fits.error().message.c_str());
    }
}

QTEST_GUILESS_MAIN(TestFlowLoader)
#include "tst_flowloader.moc"
