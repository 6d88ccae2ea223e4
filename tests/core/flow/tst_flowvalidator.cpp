#include "flowtestutil.h"

#include <core/flow/flowhasher.h>
#include <core/flow/flowloader.h>
#include <core/flow/flowvalidator.h>

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <time.h>
#include <sys/stat.h>

using namespace fb;
using namespace fb::test;

namespace {

/// A valid flow of one llm node; rows edit or extend it. Line numbers are those shown.
QStringList base()
{
    return {
        "inputs:",                          // 1
        "  question:",                      // 2
        "    type: string",                 // 3
        "outputs:",                         // 4
        "  answer:",                        // 5
        "    type: string",                 // 6
        "    reference: ${answer.output}",  // 7
        "nodes:",                           // 8
        "- name: answer",                   // 9
        "  type: llm",                      // 10
        "  source:",                        // 11
        "    type: code",                   // 12
        "    path: prompt.jinja2",          // 13
        "  inputs:",                        // 14
        "    question: ${inputs.question}", // 15
        "  connection: openai",             // 16
        "  api: chat",                      // 17
    };
}

/// `lines` with line `number` (1-based) replaced.
QStringList withLine(QStringList lines, int number, const QString &text)
{
    lines[number - 1] = text;
    return lines;
}

/// A python node of five lines whose single input `x` is `value`.
QStringList pyNode(const QString &name, const QString &value)
{
    return {"- name: " + name, "  type: python", "  source: {type: code, path: tool.py}",
            "  inputs:", "    x: " + value};
}

struct Expected
{
    bool error = true;
    QString file; // empty: the flow file
    int line = 0;
    int column = 0; // 0: not checked
    QString fragment;
};

/// "E 12:5 fragment", "W 12 fragment" or "E bad.jinja2:3 fragment".
Expected parseExpected(const QString &text)
{
    static const QRegularExpression re(R"(^([EW]) (?:([^\s:]+\.[^\s:]+):)?(\d+)(?::(\d+))? (.+)$)");
    const auto m = re.match(text);
    Q_ASSERT(m.hasMatch());
    Expected e;
    e.error = m.captured(1) == "E";
    e.file = m.captured(2);
    e.line = m.captured(3).toInt();
    e.column = m.captured(4).isEmpty() ? 0 : m.captured(4).toInt();
    e.fragment = m.captured(5);
    return e;
}

const QByteArray kPrompt = "# system:\nBe brief.\n# user:\n{{question}}\n";
const QByteArray kTool = "from promptflow import tool\n\n\n@tool\ndef tool_fn(x=None):\n"
                         "    return x\n";

} // namespace

class TestFlowValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void diagnostics_data();
    void diagnostics();
    void fixturesAreValid_data();
    void fixturesAreValid();
    void codeBuiltFlow();
    void sourceFileKinds_data();
    void sourceFileKinds();
    void largeFlow_data();
    void largeFlow();
    void manyCycles();
};

void TestFlowValidator::diagnostics_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("files"); // "relative/path=content" (relative to the flow)
    QTest::addColumn<QStringList>("expected");

    const auto row = [](const char *name, const QStringList &lines, const QStringList &files,
                        const QStringList &expected) {
        QTest::newRow(name) << yamlLines(lines) << files << expected;
    };
    const QStringList b = base();

    // References.
    row("valid-minimal", b, {}, {});
    row("legacy-flow-reference", withLine(b, 15, "    question: ${flow.question}"), {}, {});
    row("unknown-input-reference", withLine(b, 15, "    question: ${inputs.q2}"), {},
        {"E 15:5 node 'answer': input 'question' references unknown input 'q2'"});
    row("unknown-node-reference", b + pyNode("post", "${answr.output}"), {},
        {"E 22:5 node 'post': input 'x' references unknown node 'answr'"});
    row("malformed-reference", b + pyNode("post", "${answer.outputs}"), {},
        {"E 22:5 malformed reference '${answer.outputs}'"});
    row("output-key-reference", withLine(b, 7, "    reference: ${answer.output.text}"), {}, {});
    row("output-literal", withLine(b, 7, "    reference: a constant"), {}, {});
    row("output-unknown-node", withLine(b, 7, "    reference: ${nosuch.output}"), {},
        {"E 7:5 output 'answer': references unknown node 'nosuch'"});
    row("output-unknown-input", withLine(b, 7, "    reference: ${inputs.nosuch}"), {},
        {"E 7:5 output 'answer': references unknown input 'nosuch'"});
    row("output-missing-reference", withLine(b, 7, "    description: no reference"), {},
        {"E 5:3 output 'answer': missing 'reference'"});

    // Cycles.
    row("cycle-two-nodes", b + pyNode("a", "${b.output}") + pyNode("b", "${a}"), {},
        {"E 18:3 node 'a' is part of a cycle: a -> b -> a"});
    row("cycle-self", b + pyNode("a", "${a.output}"), {}, {"E 18:3 cycle: a -> a"});
    row("cycle-through-activate",
        b + pyNode("a", "${c.output}") + pyNode("b", "${a.output}")
            + QStringList{"- name: c", "  type: python", "  source: {type: code, path: tool.py}",
                          "  inputs: {}", "  activate:", "    when: ${b.output}", "    is: true"},
        {}, {"E 18:3 cycle: a -> b -> c -> a"});
    row("two-separate-cycles",
        b + pyNode("a", "${a.output}") + pyNode("b", "${c.output}") + pyNode("c", "${b.output}"),
        {}, {"E 18:3 cycle: a -> a", "E 23:3 cycle: b -> c -> b"});

    // Duplicate and reserved names.
    row("duplicate-node-name", b + pyNode("answer", "1"), {},
        {"E 18:3 duplicate node name 'answer' (first defined at line 9)"});
    row("duplicate-input-name",
        QStringList{"inputs:", "  x:", "    type: string", "  x:", "    type: int", "nodes:"}
            + pyNode("p", "${inputs.x}"),
        {}, {"E 4:3 duplicate input name 'x' (first defined at line 2)"});
    row("duplicate-output-name",
        QStringList{"outputs:", "  o:", "    type: string", "    reference: ${p.output}",
                    "  o:", "    type: string", "    reference: ${p.output}", "nodes:"}
            + pyNode("p", "1"),
        {}, {"E 5:3 duplicate output name 'o' (first defined at line 2)"});
    row("reserved-node-name", b + pyNode("inputs", "1"), {},
        {"E 18:3 node name 'inputs' is reserved"});

    // Files.
    row("missing-template-file", withLine(b, 13, "    path: missing.jinja2"), {},
        {"E 13:5 node 'answer': template file 'missing.jinja2' not found"});
    row("missing-code-file",
        b
            + QStringList{"- name: post", "  type: python", "  source:", "    type: code",
                          "    path: nope.py", "  inputs: {}"},
        {}, {"E 22:5 node 'post': code file 'nope.py' not found"});
    row("python-source-not-py",
        b
            + QStringList{"- name: post", "  type: python", "  source:", "    type: code",
                          "    path: tool.txt", "  inputs: {}"},
        {"tool.txt=print(1)"}, {"E 22:5 python node source 'tool.txt' is not a .py file"});
    row("template-parse-error", withLine(b, 13, "    path: bad.jinja2"),
        {"bad.jinja2=# user:\n{{question}}\n{% frobnicate %}\n"},
        {"E bad.jinja2:3 unknown tag 'frobnicate'"});
    row("template-shared-parse-error-reported-once",
        withLine(b, 13, "    path: bad.jinja2")
            + QStringList{"- name: again", "  type: prompt", "  source:", "    type: code",
                          "    path: bad.jinja2", "  inputs:", "    question: x"},
        {"bad.jinja2=hello {{ question\n"}, {"E bad.jinja2:1 (template of node 'answer')"});
    row("additional-include-missing",
        QStringList{"additional_includes:", "- ../shared/lib.py", "- ../nowhere"} + b,
        {"../shared/lib.py=x = 1"}, {"E 3:3 additional include '../nowhere' not found"});
    row("source-found-through-include",
        QStringList{"additional_includes:", "- ../shared"}
            + withLine(b, 13, "    path: shared/prompts/p.jinja2"),
        {"../shared/prompts/p.jinja2=# user:\n{{question}}\n"}, {});

    // Template variables.
    row("template-variable-is-api-parameter", withLine(b, 13, "    path: t.jinja2"),
        {"t.jinja2=# user:\n{{question}} at {{temperature}}\n"},
        {"E 13:5 template variable 'temperature' clashes with the LLM API parameter"});
    row("template-variable-without-input", withLine(b, 13, "    path: t.jinja2"),
        {"t.jinja2=# user:\n{{question}} {{context}}\n"},
        {"W 14:3 node 'answer': template variable 'context' has no node input"});
    row("completion-parameter-in-chat-template",
        withLine(withLine(b, 13, "    path: t.jinja2"), 15, "    echo: ${inputs.question}"),
        {"t.jinja2=# user:\n{{echo}}\n"}, {});
    row("chat-parameter-in-completion-template",
        withLine(
            withLine(withLine(b, 13, "    path: t.jinja2"), 15, "    seed: ${inputs.question}"), 17,
            "  api: completion"),
        {"t.jinja2={{seed}}\n"}, {});
    row("prompt-node-variable-without-input",
        b
            + QStringList{"- name: p", "  type: prompt", "  source: {type: code, path: t.jinja2}",
                          "  inputs: {}"},
        {"t.jinja2=Hi {{name}}\n"},
        {"W 21:3 node 'p': template variable 'name' has no node input"});

    // Literal types.
    row("default-int-mismatch",
        QStringList{"inputs:", "  n:", "    type: int", "    default: abc", "nodes:"}
            + pyNode("p", "1"),
        {}, {"E 4:5 input 'n': default is the text \"abc\", not a valid int"});
    row("default-bool-mismatch",
        QStringList{"inputs:", "  f:", "    type: bool", "    default: maybe", "nodes:"}
            + pyNode("p", "1"),
        {}, {"E 4:5 input 'f': default is the text \"maybe\", not a valid bool"});
    row("default-list-mismatch",
        QStringList{"inputs:", "  l:", "    type: list", "    default: not json", "nodes:"}
            + pyNode("p", "1"),
        {}, {"E 4:5 input 'l': default is the text \"not json\", not a valid list"});
    row("default-object-is-list",
        QStringList{"inputs:", "  o:", "    type: object", "    default: [1]", "nodes:"}
            + pyNode("p", "1"),
        {}, {"E 4:5 input 'o': default is a list, not a valid object"});
    row("defaults-that-fit",
        QStringList{"inputs:",
                    "  a:",
                    "    type: int",
                    "    default: '42'",
                    "  b:",
                    "    type: double",
                    "    default: '1e3'",
                    "  c:",
                    "    type: bool",
                    "    default: 'TRUE'",
                    "  d:",
                    "    type: list",
                    "    default: '[1, 2]'",
                    "  e:",
                    "    type: object",
                    "    default: '{\"a\": 1}'",
                    "  f:",
                    "    type: object",
                    "    default: {a: 1}",
                    "  g:",
                    "    type: int",
                    "    default: 3.0",
                    "  h:",
                    "    type: double",
                    "    default: 2",
                    "  i:",
                    "    type: string",
                    "    default:",
                    "nodes:"}
            + pyNode("p", "1"),
        {}, {});
    row("default-not-in-enum",
        QStringList{"inputs:", "  mood:", "    type: string", "    enum: [happy, sad]",
                    "    default: meh", "nodes:"}
            + pyNode("p", "1"),
        {}, {"E 5:5 input 'mood': default is not one of the values listed in 'enum'"});
    row("bad-input-type-name", withLine(b, 3, "    type: strng"), {},
        {"E 3:5 input 'question': unknown type 'strng'"});
    row("bad-output-type-name", withLine(b, 6, "    type: text"), {},
        {"E 6:5 output 'answer': unknown type 'text'"});
    row("llm-parameter-type",
        b.mid(0, 15)
            + QStringList{"    temperature: hot", "    max_tokens: '256'", "    top_p: 1",
                          "    seed: 1.5", "    logit_bias: {}"}
            + b.mid(15),
        {},
        {"E 16:5 input 'temperature' is the text \"hot\", expected a number",
         "E 19:5 input 'seed' is a number, expected an integer"});

    // Activate.
    row("activate-ok", b + QStringList{"  activate:", "    when: ${inputs.question}", "    is: x"},
        {}, {});
    row("activate-missing-is", b + QStringList{"  activate:", "    when: ${inputs.question}"}, {},
        {"E 18:3 node 'answer': activate is missing 'is'"});
    row("activate-missing-when", b + QStringList{"  activate:", "    is: x"}, {},
        {"E 18:3 node 'answer': activate is missing 'when'"});
    row("activate-when-literal", b + QStringList{"  activate:", "    when: yes", "    is: yes"}, {},
        {"E 19:5 activate.when must be a reference"});
    row("activate-when-unknown-node",
        b + QStringList{"  activate:", "    when: ${ghost.output}", "    is: 1"}, {},
        {"E 19:5 node 'answer': activate.when references unknown node 'ghost'"});

    // Variants.
    const QStringList stub = {"- name: v", "  use_variants: true"}; // lines 18-19
    const auto variant = [](const QString &id, const QString &type, const QString &path) {
        return QStringList{"      " + id + ":", "        node:", "          type: " + type,
                           "          source: {type: code, path: " + path + "}",
                           "          inputs: {}"};
    };
    row("variants-ok",
        b + stub
            + QStringList{"node_variants:", "  v:", "    default_variant_id: variant_0",
                          "    variants:"}
            + variant("variant_0", "python", "tool.py") + variant("variant_1", "python", "tool.py"),
        {}, {});
    row("stub-without-node-variants", b + stub, {},
        {"E 19:3 node 'v': use_variants is set but node_variants has no entry 'v'"});
    row("node-variants-for-unknown-node",
        b + QStringList{"node_variants:", "  ghost:", "    default_variant_id: v0", "    variants:"}
            + variant("v0", "python", "tool.py"),
        {}, {"E 19:3 node_variants 'ghost': there is no node 'ghost' in 'nodes'"});
    row("node-variants-for-plain-node",
        b
            + QStringList{"node_variants:", "  answer:", "    default_variant_id: v0",
                          "    variants:"}
            + variant("v0", "python", "tool.py"),
        {}, {"W 19:3 node_variants 'answer': unused: node 'answer' does not set use_variants"});
    row("default-variant-missing",
        b + stub + QStringList{"node_variants:", "  v:", "    variants:"}
            + variant("v0", "python", "tool.py"),
        {}, {"E 21:3 node_variants 'v': missing 'default_variant_id'"});
    row("default-variant-unknown",
        b + stub
            + QStringList{"node_variants:", "  v:", "    default_variant_id: variant_9",
                          "    variants:"}
            + variant("variant_0", "python", "tool.py"),
        {}, {"E 22:5 default_variant_id 'variant_9' is not one of the variants (variant_0)"});
    row("variant-id-invalid",
        b + stub
            + QStringList{"node_variants:", "  v:", "    default_variant_id: variant-0",
                          "    variants:"}
            + variant("variant-0", "python", "tool.py") + variant("1st", "python", "tool.py"),
        {},
        {"E 24:7 variant id 'variant-0' must be letters, digits and '_'",
         "E 29:7 variant id '1st' must be letters"});
    row("variant-types-differ",
        b + stub
            + QStringList{"node_variants:", "  v:", "    default_variant_id: variant_0",
                          "    variants:"}
            + variant("variant_0", "python", "tool.py")
            + variant("variant_1", "prompt", "prompt.jinja2"),
        {},
        {"E 31:11 node 'v' variant 'variant_1': is a prompt node but variant 'variant_0' is a "
         "python node",
         "W 33:11 node 'v' variant 'variant_1': template variable 'question' has no node input"});
    row("variant-body-errors",
        b + stub
            + QStringList{"node_variants:", "  v:", "    default_variant_id: variant_0",
                          "    variants:", "      variant_0:", "        node:",
                          "          type: python", "          source:", "            type: code",
                          "            path: gone.py",
                          "          inputs:", "            x: ${inputs.nope}"},
        {},
        {"E 29:13 node 'v' variant 'variant_0': code file 'gone.py' not found",
         "E 31:13 node 'v' variant 'variant_0': input 'x' references unknown input 'nope'"});

    // Aggregation.
    const QStringList aggregation
        = {"- name: acc", "  type: python",          "  source: {type: code, path: tool.py}",
           "  inputs:",   "    x: ${answer.output}", "  aggregation: true"}; // 18-23
    row("aggregation-ok", b + aggregation, {}, {});
    row("aggregation-referenced-by-per-line-node",
        b + aggregation + pyNode("post", "${acc.output}"), {},
        {"E 28:5 node 'post': input 'x' per-line node references aggregation node 'acc'"});
    row("output-references-aggregation",
        withLine(b + aggregation, 7, "    reference: ${acc.output}"), {},
        {"E 7:5 output 'answer': references aggregation node 'acc'"});

    // Node and source types, LLM settings.
    row("unknown-node-type", b + QStringList{"- name: cs", "  type: csharp", "  inputs: {}"}, {},
        {"E 19:3 node 'cs': unknown node type 'csharp'"});
    row("unknown-source-type",
        b
            + QStringList{"- name: p", "  type: python", "  source:", "    type: script",
                          "    path: tool.py"},
        {}, {"E 21:5 node 'p': unknown source type 'script'"});
    row("missing-source", b + QStringList{"- name: p", "  type: python", "  inputs: {}"}, {},
        {"E 18:3 node 'p': missing 'source'"});
    row("package-without-tool",
        b
            + QStringList{"- name: p", "  type: python", "  source:", "    type: package",
                          "  inputs: {}"},
        {}, {"E 20:3 node 'p': source type package needs 'source.tool'"});
    row("llm-without-connection", withLine(b, 16, "  comment: no connection"), {},
        {"E 9:3 node 'answer': llm node needs 'connection'"});
    row("llm-without-api", withLine(b, 17, "  comment: no api"), {},
        {"E 9:3 node 'answer': llm node needs 'api'"});
    row("llm-api-invalid", withLine(b, 17, "  api: embeddings"), {},
        {"E 17:3 node 'answer': 'api' is 'embeddings', expected chat or completion"});
    const QStringList custom = {"- name: c",
                                "  type: custom_llm",
                                "  source:",
                                "    type: package_with_prompt",
                                "    tool: promptflow.tools.llm.llm",
                                "    path: prompt.jinja2",
                                "  inputs:",
                                "    api: chat",
                                "    question: ${inputs.question}"}; // 18-26
    row("custom-llm-ok", b + custom + QStringList{"    connection: openai"}, {}, {});
    row("custom-llm-without-connection", b + custom, {},
        {"E 24:3 node 'c': custom_llm node needs the input 'connection'"});
    row("custom-llm-bad-api",
        withLine(b + custom + QStringList{"    connection: openai"}, 25, "    api: chatty"), {},
        {"E 25:5 node 'c': 'api' is 'chatty', expected chat or completion"});

    // Chat flows.
    const QStringList chatFlow = {
        "inputs:",    "  question:",      "    type: string",           "    is_chat_input: true",
        "  history:", "    type: list",   "    is_chat_history: true",  "outputs:",
        "  answer:",  "    type: string", "    reference: ${p.output}", "    is_chat_output: true",
        "nodes:"}; // 1-13
    row("chat-ok", chatFlow + pyNode("p", "${inputs.question}"), {}, {});
    row("chat-two-chat-inputs",
        withLine(withLine(chatFlow, 7, "    is_chat_input: true"), 6, "    type: string")
            + pyNode("p", "${inputs.question}"),
        {},
        {"E 7:5 a chat flow has one chat input, but 'question' and 'history' both set "
         "is_chat_input"});
    row("chat-two-chat-outputs",
        chatFlow.mid(0, 12)
            + QStringList{"  again:", "    type: string", "    reference: ${p.output}",
                          "    is_chat_output: true", "nodes:"}
            + pyNode("p", "${inputs.question}"),
        {}, {"E 16:5 a chat flow has one chat output, but 'answer' and 'again'"});
    row("chat-without-chat-output",
        withLine(chatFlow, 12, "    description: plain") + pyNode("p", "${inputs.question}"), {},
        {"W 8:1 chat flow has no output with is_chat_output: true"});
    row("chat-history-not-list",
        withLine(chatFlow, 6, "    type: string") + pyNode("p", "${inputs.question}"), {},
        {"E 6:5 input 'history': a chat history input must have type list"});

    // Many problems at once, each at its own place.
    row("many-problems-at-once",
        {
            "inputs:",                               // 1
            "  q:",                                  // 2
            "    type: integer",                     // 3  unknown type
            "outputs:",                              // 4
            "  a:",                                  // 5
            "    type: string",                      // 6
            "    reference: ${missing.output}",      // 7  unknown node
            "nodes:",                                // 8
            "- name: first",                         // 9
            "  type: llm",                           // 10 no connection, no api
            "  source:",                             // 11
            "    type: code",                        // 12
            "    path: nowhere.jinja2",              // 13 missing template
            "  inputs:",                             // 14
            "    question: ${inputs.x}",             // 15 unknown input
            "    max_tokens: lots",                  // 16 not an integer
            "- name: second",                        // 17
            "  type: python",                        // 18
            "  source: {type: code, path: tool.py}", // 19
            "  inputs:",                             // 20
            "    x: ${second.output}",               // 21 cycle
            "  activate:",                           // 22 no 'is'
            "    when: ${first.output}",             // 23
        },
        {},
        {"E 3:5 unknown type 'integer'", "E 7:5 references unknown node 'missing'",
         "E 9:3 llm node needs 'connection'", "E 9:3 llm node needs 'api'",
         "E 13:5 template file 'nowhere.jinja2' not found", "E 15:5 references unknown input 'x'",
         "E 16:5 input 'max_tokens' is the text", "E 17:3 cycle: second -> second",
         "E 22:3 activate is missing 'is'"});
}

void TestFlowValidator::diagnostics()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, files);
    QFETCH(QStringList, expected);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QMap<QString, QByteArray> tree{
        {"flow/flow.dag.yaml", yaml}, {"flow/prompt.jinja2", kPrompt}, {"flow/tool.py", kTool}};
    for (const QString &file : files) {
        tree.insert("flow/" + file.section('=', 0, 0), file.section('=', 1).toUtf8());
    }
    QVERIFY(writeTree(tmp.path(), tree));

    const auto flow = FlowLoader::load(toPath(tmp.filePath("flow")));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    const std::vector<Diagnostic> diagnostics = FlowValidator::validate(*flow);

    QString all;
    for (const auto &d : diagnostics) {
        all += "\n  " + fromStd(d.toString());
    }
    const std::string flowFile = flow->file.string();
    std::vector<bool> used(diagnostics.size(), false);
    for (const QString &text : expected) {
        const Expected e = parseExpected(text);
        bool found = false;
        for (std::size_t i = 0; i < diagnostics.size() && !found; ++i) {
            const Diagnostic &d = diagnostics[i];
            const bool fileOk
                = e.file.isEmpty() ? d.file == flowFile : fromStd(d.file).endsWith("/" + e.file);
            if (!used[i] && fileOk && d.line == e.line && (e.column == 0 || d.column == e.column)
                && (d.severity == Diagnostic::Severity::Error) == e.error
                && fromStd(d.message).contains(e.fragment)) {
                used[i] = true;
                found = true;
            }
        }
        QVERIFY2(found, qPrintable("expected '" + text + "' among:" + all));
    }
    QVERIFY2(std::all_of(used.begin(), used.end(), [](bool u) { return u; }),
             qPrintable("unexpected diagnostics among:" + all));
    QCOMPARE(hasErrors(diagnostics),
             std::any_of(expected.begin(), expected.end(),
                         [](const QString &t) { return t.startsWith('E'); }));
}

void TestFlowValidator::fixturesAreValid_data()
{
    QTest::addColumn<QString>("folder");
    QTest::newRow("web-classification") << "web-classification";
    QTest::newRow("chat-basic") << "chat-basic";
    QTest::newRow("conditional") << "conditional";
    QTest::newRow("eval-accuracy") << "eval-accuracy";
    QTest::newRow("with-includes") << "with-includes/flow";
    QTest::newRow("legacy-and-extras") << "legacy-and-extras";
}

void TestFlowValidator::fixturesAreValid()
{
    QFETCH(QString, folder);
    const auto flow = FlowLoader::load(toPath(flowDataDir() + "/" + folder));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    QString all;
    for (const auto &d : FlowValidator::validate(*flow)) {
        all += "\n  " + fromStd(d.toString());
    }
    QVERIFY2(all.isEmpty(), qPrintable(all));
}

void TestFlowValidator::codeBuiltFlow()
{
    // A flow built in code has no positions: diagnostics still name the file and the problem.
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QVERIFY(writeTree(tmp.path(), {{"tool.py", kTool}}));
    Flow flow;
    flow.dir = toPath(tmp.path());
    Node a;
    a.name = "a";
    a.type = NodeType::Python;
    a.source.type = "code";
    a.source.path = "tool.py";
    a.inputs.push_back(NodeInput{"x", "${inputs.missing}", {}});
    Activate activate;
    activate.hasIs = false;
    a.activate = activate;
    flow.nodes.push_back(a);

    const auto diagnostics = FlowValidator::validate(flow);
    QCOMPARE(int(diagnostics.size()), 3);
    for (const auto &d : diagnostics) {
        QCOMPARE(fromStd(d.file), tmp.filePath("flow.dag.yaml"));
        QCOMPARE(d.line, 0);
    }
    QVERIFY(fromStd(diagnostics[0].message).contains("references unknown input 'missing'")
            || fromStd(diagnostics[1].message).contains("references unknown input 'missing'")
            || fromStd(diagnostics[2].message).contains("references unknown input 'missing'"));
}

void TestFlowValidator::sourceFileKinds_data()
{
    QTest::addColumn<QString>("file"); // prompt.jinja2 (line 13) or tool.py (line 20)
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("template-fifo") << "prompt.jinja2"
                                   << "fifo"
                                   << "prompt.jinja2: is a FIFO (named pipe), not a regular file";
    QTest::newRow("template-dev-zero") << "prompt.jinja2"
                                       << "zero"
                                       << "prompt.jinja2: is a character device";
    QTest::newRow("template-directory") << "prompt.jinja2"
                                        << "dir"
                                        << "prompt.jinja2: is a directory";
    QTest::newRow("template-too-large")
        << "prompt.jinja2"
        << "large"
        << "prompt.jinja2: the file is 16777217 bytes, larger than the limit of 16777216 bytes";
    QTest::newRow("code-too-large") << "tool.py"
                                    << "large"
                                    << "tool.py: the file is 16777217 bytes, larger than the limit "
                                       "of 16777216 bytes";
    QTest::newRow("code-fifo") << "tool.py"
                               << "fifo"
                               << "code file 'tool.py': ";
    QTest::newRow("code-dev-zero") << "tool.py"
                                   << "zero"
                                   << "tool.py: is a character device, not a regular file";
}

void TestFlowValidator::sourceFileKinds()
{
    // A template or code file that is a FIFO or a device is reported at its source.path, and
    // neither validation nor the content hash waits on it or reads it without end.
    QFETCH(QString, file);
    QFETCH(QString, kind);
    QFETCH(QString, fragment);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QStringList lines = base() + pyNode("py", "${inputs.question}");
    QMap<QString, QByteArray> tree{{"flow/flow.dag.yaml", yamlLines(lines)}};
    for (const QString &name : {QStringLiteral("prompt.jinja2"), QStringLiteral("tool.py")}) {
        if (name != file) {
            tree.insert("flow/" + name, name.endsWith(".py") ? kTool : kPrompt);
        } else if (kind == "large") {
            tree.insert("flow/" + name, QByteArray(16 * 1024 * 1024 + 1, ' '));
        }
    }
    QVERIFY(writeTree(tmp.path(), tree));
    const std::filesystem::path path = toPath(tmp.filePath("flow/" + file));
    if (kind == "fifo") {
        QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    } else if (kind == "zero") {
        std::filesystem::create_symlink("/dev/zero", path);
    } else if (kind == "dir") {
        std::filesystem::create_directory(path);
    }

    QElapsedTimer timer;
    timer.start();
    const auto flow = FlowLoader::load(toPath(tmp.filePath("flow")));
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    const auto diagnostics = FlowValidator::validate(*flow);
    const auto hash = FlowHasher::contentHash(*flow);
    QVERIFY(timer.elapsed() < 5000);

    QCOMPARE(int(diagnostics.size()), 1);
    const Diagnostic &d = diagnostics.front();
    QCOMPARE(d.severity, Diagnostic::Severity::Error);
    QCOMPARE(fromStd(d.file), tmp.filePath("flow/flow.dag.yaml"));
    QCOMPARE(d.line, file == "tool.py" ? 20 : 13);
    QVERIFY2(fromStd(d.message).contains(fragment), d.message.c_str());
    QVERIFY2(fromStd(d.message).contains(fromStd(path.string())), d.message.c_str());
    if (kind != "dir") {
        QVERIFY(!hash.has_value());
        QVERIFY2(fromStd(hash.error().message).contains(fromStd(path.string())),
                 hash.error().message.c_str());
    }
}

namespace {

/// CPU time of this process in seconds: unlike wall time, hardly moved by a busy machine.
double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

/// The shape of bench/validate_scale/gen_flow.py: node i (from 1) reads the flow input and
/// node i-1 (a chain as deep as the flow), every fourth node also node i/2; every tenth node
/// is a prompt node. `ghostAt` (when > 0) makes that node read a node that does not exist,
/// `loop` makes node 1 read the last node, closing a cycle through all of them. The line of
/// the ghost reference goes to `ghostLine`.
QByteArray largeFlowYaml(int count, int ghostAt, bool loop, int *ghostLine)
{
    QByteArray yaml = "inputs:\n  text:\n    type: string\n    default: hello\noutputs:\n"
                      "  result:\n    type: string\n    reference: ${n"
                      + QByteArray::number(count) + ".output}\nnodes:\n";
    int line = 9;
    const auto add = [&](const QByteArray &text) {
        yaml += text + '\n';
        ++line;
    };
    for (int i = 1; i <= count; ++i) {
        const QByteArray n = QByteArray::number(i);
        const bool prompt = i % 10 == 0;
        add("- name: n" + n);
        add(prompt ? "  type: prompt" : "  type: python");
        add("  source:");
        add("    type: code");
        add(prompt ? "    path: prompt.jinja2" : "    path: node.py");
        add("  inputs:");
        add("    text: ${inputs.text}");
        if (i > 1) {
            add("    prev: ${n" + QByteArray::number(i - 1) + ".output}");
        }
        if (i % 4 == 0 && !prompt) {
            add("    other: ${n" + QByteArray::number(i / 2) + ".output}");
        }
        if (i == 1 && loop) {
            add("    loop: ${n" + QByteArray::number(count) + ".output}");
        }
        if (i == ghostAt) {
            add("    ghost: ${nowhere.output}");
            *ghostLine = line;
        }
    }
    return yaml;
}

} // namespace

void TestFlowValidator::largeFlow_data()
{
    QTest::addColumn<bool>("broken");
    QTest::newRow("valid") << false;
    QTest::newRow("unknown-node-and-cycle") << true;
}

void TestFlowValidator::largeFlow()
{
    // 50,000 nodes: every lookup by name used to search the node list (15-24 s here, and
    // 3 minutes for 200,000 nodes); the cycle check recursed once per node of the chain.
    QFETCH(bool, broken);
    constexpr int kNodes = 50000;
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    int ghostLine = 0;
    QVERIFY(writeTree(
        tmp.path(),
        {{"flow/flow.dag.yaml", largeFlowYaml(kNodes, broken ? 25000 : 0, broken, &ghostLine)},
         {"flow/prompt.jinja2", "system:\nEcho.\nuser:\n{{text}} {{prev}}\n"},
         {"flow/node.py", kTool}}));

    double start = cpuSeconds();
    const auto flow = FlowLoader::load(toPath(tmp.filePath("flow")));
    const double loadSeconds = cpuSeconds() - start;
    QVERIFY2(flow.has_value(), flow ? "" : flow.error().message.c_str());
    QCOMPARE(int(flow->nodes.size()), kNodes);
    QCOMPARE(fromStd(flow->nodes.back().name), QStringLiteral("n50000"));

    start = cpuSeconds();
    const auto diagnostics = FlowValidator::validate(*flow);
    const double validateSeconds = cpuSeconds() - start;

    if (!broken) {
        QString all;
        for (const auto &d : diagnostics) {
            all += "\n  " + fromStd(d.toString());
        }
        QVERIFY2(diagnostics.empty(), qPrintable(all));
        QVERIFY(FlowHasher::contentHash(*flow).has_value());
    } else {
        QCOMPARE(int(diagnostics.size()), 2);
        // Flow-file diagnostics come in line order: the cycle at node n1, then the ghost.
        const Diagnostic &cycle = diagnostics[0];
        QCOMPARE(cycle.line, 10);
        const QString text = fromStd(cycle.message);
        QVERIFY2(text.startsWith("node 'n1' is part of a cycle: n1 -> n2 -> n3 -> "),
                 qPrintable(text.left(200)));
        // 50,001 names, the middle left out.
        QVERIFY2(text.contains(" -> n20 -> ... (49961 more nodes) -> n49982 -> "),
                 qPrintable(text));
        QVERIFY2(text.endsWith(" -> n49999 -> n50000 -> n1"), qPrintable(text.right(200)));
        const Diagnostic &ghost = diagnostics[1];
        QCOMPARE(ghost.line, ghostLine);
        QCOMPARE(fromStd(ghost.message),
                 QStringLiteral("node 'n25000': input 'ghost' references unknown node 'nowhere'"));
    }
    // Linear: ~0.1 s of CPU to validate here (the loader ~1 s); quadratic lookups took
    // seconds. CPU time, so a busy machine does not make this fail.
    QVERIFY2(validateSeconds < 3.0, qPrintable(QString::number(validateSeconds) + " s"));
    QVERIFY2(loadSeconds < 20.0, qPrintable(QString::number(loadSeconds) + " s"));
}

void TestFlowValidator::manyCycles()
{
    // A chain n1 -> n2 -> ... -> nN (each reads the next) whose last node reads every other
    // node closes N-1 cycles of lengths 2..N: reporting each would cost N^2/2 names. At most
    // 100 are reported, then one line says the list stops.
    constexpr int kNodes = 20000;
    Flow flow;
    flow.dir = "/nonexistent";
    for (int i = 1; i <= kNodes; ++i) {
        Node node;
        node.name = "n" + std::to_string(i);
        node.type = NodeType::Python;
        node.source.type = "code";
        node.source.path = "tool.py";
        if (i < kNodes) {
            node.inputs.push_back(NodeInput{"next", "${n" + std::to_string(i + 1) + "}", {}});
        } else {
            for (int j = 1; j < kNodes; ++j) {
                node.inputs.push_back(
                    NodeInput{"x" + std::to_string(j), "${n" + std::to_string(j) + ".output}", {}});
            }
        }
        flow.nodes.push_back(std::move(node));
    }
    const double start = cpuSeconds();
    const auto diagnostics = FlowValidator::validate(flow);
    const double seconds = cpuSeconds() - start;
    int cycles = 0;
    int capped = 0;
    for (const auto &d : diagnostics) {
        const QString text = fromStd(d.message);
        cycles += text.contains("is part of a cycle: ") ? 1 : 0;
        capped += text.contains("only the first 100 cycles are listed") ? 1 : 0;
    }
    QCOMPARE(cycles, 100);
    QCOMPARE(capped, 1);
    QVERIFY2(seconds < 5.0, qPrintable(QString::number(seconds) + " s"));
}

QTEST_GUILESS_MAIN(TestFlowValidator)
#include "tst_flowvalidator.moc"
