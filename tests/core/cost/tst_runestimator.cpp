// RunEstimator: prompts rendered per row and counted with the tokenizer, completion and cost
// ranges, sampling, variant cross-products, and the wall-time formula.

#include <core/common/fileio.h>
#include <core/cost/costcalculator.h>
#include <core/cost/pricetable.h>
#include <core/data/datasetreader.h>
#include <core/estimate/runestimator.h>
#include <core/exec/pythonrunner.h>
#include <core/flow/flowloader.h>
#include <core/llm/connectionstore.h>
#include <core/token/tokenizer.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <regex>

using namespace fb;

namespace {

const std::filesystem::path kFlowDir = FB_SOURCE_DIR "/flows/classification";

std::string trimmed(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    const auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

/// OpenAI's published rule for gpt-3.5-turbo / gpt-4 / gpt-4o chat requests: 3 tokens per
/// message, the role and content tokens, and 3 that prime the reply.
std::int64_t openAiChatTokens(const Tokenizer &tok,
                              const std::vector<std::pair<std::string, std::string>> &messages)
{
    std::int64_t n = 3;
    for (const auto &[role, content] : messages) {
        n += 3 + std::int64_t(tok.count(role)) + std::int64_t(tok.count(content));
    }
    return n;
}

/// The system text of a classification template: everything between "# system:" and the
/// first user turn or loop, trimmed (built from the file, not through the template engine).
std::string systemText(const std::string &file)
{
    auto text = readFile(kFlowDir / file);
    if (!text) {
        qFatal("%s", text.error().message.c_str());
    }
    const auto start = text->find("# system:") + std::string("# system:").size();
    auto end = std::min(text->find("{% for", start), text->find("# user:", start));
    return trimmed(text->substr(start, end - start));
}

std::vector<std::string> dataTexts()
{
    std::vector<std::string> out;
    auto reader = DatasetReader::open(kFlowDir / "data.jsonl");
    for (;;) {
        auto row = reader->next();
        if (!row || !row->has_value()) {
            break;
        }
        out.push_back((**row).row["text"].get<std::string>());
    }
    return out;
}

/// What preprocess.py does to these rows (no control characters, no row over 1500 chars):
/// collapse whitespace runs to one space and trim.
std::string collapsed(const std::string &s)
{
    return trimmed(std::regex_replace(s, std::regex("\\s+"), " "));
}

/// Prompt tokens of one classification row for each variant, computed independently.
std::int64_t expectedRowTokens(const std::string &variant, const std::string &text)
{
    const Tokenizer *tok = Tokenizer::forEncoding("o200k_base");
    std::vector<std::pair<std::string, std::string>> messages;
    if (variant == "variant_0") {
        messages = {{"system", systemText("classify.jinja2")}, {"user", text}};
    } else {
        messages = {{"system", systemText("classify_few_shot.jinja2")}};
        auto flow = FlowLoader::load(kFlowDir);
        for (const auto &ex : *flow->input("examples")->defaultValue) {
            messages.push_back({"user", ex["text"].get<std::string>()});
            messages.push_back({"assistant", ex["category"].get<std::string>()});
        }
        messages.push_back({"user", text});
    }
    return openAiChatTokens(*tok, messages);
}

Flow classificationFlow()
{
    auto flow = FlowLoader::load(kFlowDir);
    if (!flow) {
        qFatal("%s", flow.error().message.c_str());
    }
    return *flow;
}

ColumnMapping textMapping()
{
    auto m = ColumnMapping::parse({"text=${data.text}"});
    if (!m) {
        qFatal("%s", m.error().message.c_str());
    }
    return *m;
}

PriceTable prices()
{
    auto p = PriceTable::builtin();
    if (!p) {
        qFatal("%s", p.error().message.c_str());
    }
    return *p;
}

const NodeEstimate *nodeOf(const SelectionEstimate &s, const std::string &name)
{
    for (const auto &n : s.nodes) {
        if (n.node == name) {
            return &n;
        }
    }
    return nullptr;
}

bool hasNote(const RunEstimate &e, const std::string &fragment)
{
    for (const auto &n : e.notes) {
        if (n.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

/// A one-node chat flow written to `dir`, with `rows` rows of data.
void writeSmallFlow(const std::filesystem::path &dir, const std::string &nodeInputs,
                    const std::string &connection, const std::vector<std::string> &rows)
{
    std::filesystem::create_directories(dir);
    const std::string yaml = "inputs:\n  q:\n    type: string\n"
                             "outputs:\n  a:\n    type: string\n    reference: ${ask.output}\n"
                             "nodes:\n- name: ask\n  type: llm\n  source:\n    type: code\n"
                             "    path: ask.jinja2\n  inputs:\n"
                             + nodeInputs + "    q: ${inputs.q}\n  connection: " + connection
                             + "\n  api: chat\n";
    QVERIFY(writeFileAtomically(dir / "flow.dag.yaml", yaml));
    QVERIFY(writeFileAtomically(dir / "ask.jinja2", "# user:\n{{q}}\n"));
    std::string data;
    for (const auto &r : rows) {
        data += Value({{"q", r}}).dump() + "\n";
    }
    QVERIFY(writeFileAtomically(dir / "data.jsonl", data));
}

} // namespace

class TestRunEstimator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wallTime_data()
    {
        QTest::addColumn<qlonglong>("calls");
        QTest::addColumn<double>("tokens");
        QTest::addColumn<double>("latency");
        QTest::addColumn<int>("concurrency");
        QTest::addColumn<double>("rpm");
        QTest::addColumn<double>("tpm");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<QString>("bound");
        QTest::newRow("concurrency-bound")
            << 100ll << 5000.0 << 2.0 << 10 << 0.0 << 0.0 << 20.0 << "concurrency";
        QTest::newRow("rpm-bound") << 600ll << 1000.0 << 0.5 << 64 << 60.0 << 0.0 << 600.0 << "rpm";
        QTest::newRow("rpm-not-binding")
            << 60ll << 1000.0 << 10.0 << 1 << 600.0 << 0.0 << 600.0 << "concurrency";
        QTest::newRow("tpm-bound")
            << 100ll << 1e6 << 1.0 << 16 << 1000.0 << 100000.0 << 600.0 << "tpm";
        QTest::newRow("all-three-rpm-wins")
            << 1200ll << 2e5 << 1.0 << 4 << 100.0 << 30000.0 << 720.0 << "rpm";
        QTest::newRow("concurrency-below-one-is-one")
            << 5ll << 0.0 << 3.0 << 0 << 0.0 << 0.0 << 15.0 << "concurrency";
        QTest::newRow("no-calls") << 0ll << 0.0 << 1.0 << 8 << 60.0 << 1000.0 << 0.0
                                  << "concurrency";
    }
    void wallTime()
    {
        QFETCH(qlonglong, calls);
        QFETCH(double, tokens);
        QFETCH(double, latency);
        QFETCH(int, concurrency);
        QFETCH(double, rpm);
        QFETCH(double, tpm);
        QFETCH(double, seconds);
        QFETCH(QString, bound);
        const WallTime w = RunEstimator::wallTime(calls, tokens, latency, concurrency, rpm, tpm);
        QVERIFY2(std::abs(w.seconds - seconds) < 1e-9, qPrintable(QString::number(w.seconds)));
        QCOMPARE(QString::fromStdString(w.bound), bound);
        QCOMPARE(w.seconds, std::max({w.concurrencyS, w.rpmS, w.tpmS}));
    }

    void variantCrossProduct()
    {
        QCOMPARE(RunEstimator::allVariantSelections(classificationFlow()),
                 (std::vector<VariantSelection>{{{"classify", "variant_0"}},
                                                {{"classify", "variant_1"}}}));
        auto flow = FlowLoader::loadFromString(
            "inputs: {}\noutputs: {}\nnodes:\n- name: a\n  use_variants: true\n"
            "- name: b\n  use_variants: true\n"
            "node_variants:\n"
            "  a:\n    default_variant_id: v0\n    variants:\n"
            "      v0: {node: {type: python, source: {type: code, path: x.py}}}\n"
            "      v1: {node: {type: python, source: {type: code, path: x.py}}}\n"
            "  b:\n    default_variant_id: w0\n    variants:\n"
            "      w0: {node: {type: python, source: {type: code, path: x.py}}}\n"
            "      w1: {node: {type: python, source: {type: code, path: x.py}}}\n"
            "      w2: {node: {type: python, source: {type: code, path: x.py}}}\n",
            "/tmp/x/flow.dag.yaml");
        QVERIFY2(flow, flow ? "" : flow.error().message.c_str());
        const auto all = RunEstimator::allVariantSelections(*flow);
        QCOMPARE(all.size(), std::size_t(6));
        QCOMPARE(all.front(), (VariantSelection{{"a", "v0"}, {"b", "w0"}}));
        QCOMPARE(all[1], (VariantSelection{{"a", "v0"}, {"b", "w1"}}));
        QCOMPARE(all.back(), (VariantSelection{{"a", "v1"}, {"b", "w2"}}));
        auto plain = FlowLoader::loadFromString("inputs: {}\noutputs: {}\nnodes: []\n",
                                                "/tmp/y/flow.dag.yaml");
        QCOMPARE(RunEstimator::allVariantSelections(*plain),
                 std::vector<VariantSelection>{VariantSelection{}});
    }

    void classification_data()
    {
        QTest::addColumn<bool>("runPython");
        QTest::addColumn<double>("pastMean"); // < 0: none
        QTest::newRow("python-passed-through") << false << -1.0;
        QTest::newRow("python-run") << true << -1.0;
        QTest::newRow("past-completion-mean") << false << 3.0;
    }
    void classification()
    {
        QFETCH(bool, runPython);
        QFETCH(double, pastMean);
        const Flow flow = classificationFlow();
        const RunEstimator estimator(prices());
        PythonRunner python;
        EstimateOptions options;
        if (runPython) {
            options.pythonNodes = PythonNodeMode::Run;
            options.python = &python;
        }
        if (pastMean >= 0) {
            options.meanCompletionTokens = pastMean;
        }
        auto est = estimator.estimate(flow, kFlowDir / "data.jsonl", textMapping(),
                                      RunEstimator::allVariantSelections(flow), options);
        QVERIFY2(est, est ? "" : est.error().message.c_str());
        const auto texts = dataTexts();
        QCOMPARE(est->totalRows, std::int64_t(texts.size()));
        QCOMPARE(est->sampledRows, est->totalRows);
        QVERIFY(!est->sampled);
        QCOMPARE(est->selections.size(), std::size_t(2));
        QCOMPARE(est->latencySource, std::string("assumed"));

        const PriceTable table = prices();
        double costLow = 0;
        double costHigh = 0;
        for (const auto &sel : est->selections) {
            const std::string variant = sel.variants.at("classify");
            const NodeEstimate *n = nodeOf(sel, "classify");
            QVERIFY(n);
            QCOMPARE(sel.nodes.size(), std::size_t(1)); // one llm node per line
            QCOMPARE(n->variantId, variant);
            const std::string model = variant == "variant_0" ? "gpt-4o-mini" : "gpt-4o";
            QCOMPARE(n->model, model);
            QCOMPARE(n->pricedAs, model);
            QCOMPARE(n->encoding, std::string("o200k_base"));
            QCOMPARE(n->counting, runPython ? TokenCounting::Exact : TokenCounting::Partial);

            std::int64_t expected = 0;
            std::int64_t maxRow = 0;
            for (const auto &t : texts) {
                // Not run, preprocess passes the text through; the chat parser trims it.
                const auto rowTokens
                    = expectedRowTokens(variant, runPython ? collapsed(t) : trimmed(t));
                expected += rowTokens;
                maxRow = std::max(maxRow, rowTokens);
            }
            QCOMPARE(std::llround(n->promptTokens), expected);
            QCOMPARE(n->maxPromptTokens, maxRow);
            QCOMPARE(n->calls, std::int64_t(texts.size()));
            QCOMPARE(n->maxTokens, std::optional<std::int64_t>(10));
            QCOMPARE(n->completionTokensHigh, 10.0 * double(texts.size()));
            QCOMPARE(n->completionHighSource, CompletionSource::MaxTokens);
            const double lowPerCall = pastMean >= 0 ? pastMean : 2.5;
            QCOMPARE(n->completionTokensLow, lowPerCall * double(texts.size()));
            QCOMPARE(n->completionLowSource, pastMean >= 0 ? CompletionSource::PastRuns
                                                           : CompletionSource::MaxTokensFraction);

            const auto price = table.find(model);
            const double low = (double(expected) * price->input
                                + std::round(lowPerCall * double(texts.size())) * price->output)
                               / 1e6;
            const double high
                = (double(expected) * price->input + 10.0 * double(texts.size()) * price->output)
                  / 1e6;
            QVERIFY2(std::abs(*n->costLowUsd - low) < 1e-12, qPrintable(QString::number(low)));
            QVERIFY(std::abs(*n->costHighUsd - high) < 1e-12);
            costLow += low;
            costHigh += high;
            QCOMPARE(sel.failedRows, std::int64_t(0));
            // 40 calls at 1 s over 16 lines in flight.
            QCOMPARE(sel.wallTimeHigh.seconds, double(texts.size()) / 16.0);
        }
        QVERIFY(std::abs(est->costLowUsd - costLow) < 1e-12);
        QVERIFY(std::abs(est->costHighUsd - costHigh) < 1e-12);
        QVERIFY(est->costComplete);
        QCOMPARE(est->calls, std::int64_t(2 * texts.size()));
        QCOMPARE(est->wallTimeHigh.seconds, 2.0 * double(texts.size()) / 16.0);
        QCOMPARE(hasNote(*est, "python node 'preprocess' was not run"), !runPython);
        QVERIFY(!hasNote(*est, "parse_category")); // it feeds no prompt
        QVERIFY(hasNote(*est, pastMean >= 0 ? "mean of past runs" : "x max_tokens"));

        const Value json = est->toJson();
        QCOMPARE(json["selections"].size(), std::size_t(2));
        QCOMPARE(json["sampled"].get<bool>(), false);
        QCOMPARE(json["selections"][0]["nodes"][0]["prompt_tokens_counting"].get<std::string>(),
                 std::string(runPython ? "exact" : "partial"));
        QCOMPARE(json["calls"].get<std::int64_t>(), est->calls);
    }

    void pastRunsByNode()
    {
        const Flow flow = classificationFlow();
        const RunEstimator estimator(prices());
        EstimateOptions options;
        options.pastByNode["classify.variant_1"] = PastCallStats{4.0, 0.5, 10};
        options.pastByNode["classify"] = PastCallStats{2.0, std::nullopt, 10};
        options.pastByNode["other"] = PastCallStats{99.0, std::nullopt, 1};
        options.pastSource = "run r1";
        options.concurrency = 4;
        auto est = estimator.estimate(flow, kFlowDir / "data.jsonl", textMapping(),
                                      RunEstimator::allVariantSelections(flow), options);
        QVERIFY2(est, est ? "" : est.error().message.c_str());
        const double rows = double(est->totalRows);
        const NodeEstimate *v0 = nodeOf(est->selections[0], "classify");
        const NodeEstimate *v1 = nodeOf(est->selections[1], "classify");
        QCOMPARE(v0->completionTokensLow, 2.0 * rows); // node-level figure
        QCOMPARE(v1->completionTokensLow, 4.0 * rows); // the variant's own figure wins
        QCOMPARE(v0->completionLowSource, CompletionSource::PastRuns);
        QVERIFY(hasNote(*est, "(variant_0): low completion tokens = mean of past runs of other "
                              "variants of the node (run r1)"));
        QVERIFY(hasNote(*est, "(variant_1): low completion tokens = mean of past runs (run r1)"));
        // Latency from the past figures that have one: 80 calls x 0.5 s / 4.
        QCOMPARE(est->latencySource, std::string("past runs"));
        QCOMPARE(est->latencySeconds, 0.5);
        QCOMPARE(est->wallTimeLow.seconds, 2 * rows * 0.5 / 4);
        // A past mean above max_tokens is capped by it.
        options.pastByNode["classify.variant_1"].meanCompletionTokens = 50;
        auto capped = estimator.estimate(flow, kFlowDir / "data.jsonl", textMapping(),
                                         {{{"classify", "variant_1"}}}, options);
        QVERIFY(capped);
        QCOMPARE(capped->completionTokensLow, 10.0 * rows);
    }

    void sampling()
    {
        const Flow flow = classificationFlow();
        const RunEstimator estimator(prices());
        EstimateOptions full;
        auto all = estimator.estimate(flow, kFlowDir / "data.jsonl", textMapping(), {}, full);
        QVERIFY(all);
        EstimateOptions options;
        options.sampleRows = 10;
        auto est = estimator.estimate(flow, kFlowDir / "data.jsonl", textMapping(), {}, options);
        QVERIFY2(est, est ? "" : est.error().message.c_str());
        QVERIFY(est->sampled);
        QCOMPARE(est->sampledRows, std::int64_t(10));
        QCOMPARE(est->totalRows, all->totalRows);
        QVERIFY(hasNote(*est, "sampled 10 of 40 rows"));
        QCOMPARE(est->toJson()["sampled"].get<bool>(), true);
        // Extrapolated to every row: the call count is exact, tokens close to the full count.
        QCOMPARE(est->calls, all->calls);
        const double ratio = est->promptTokens / all->promptTokens;
        QVERIFY2(ratio > 0.85 && ratio < 1.15, qPrintable(QString::number(ratio)));
        // The same data gives the same sample.
        auto again = estimator.estimate(flow, kFlowDir / "data.jsonl", textMapping(), {}, options);
        QCOMPARE(again->promptTokens, est->promptTokens);
        // Only the default variant without a selection.
        QCOMPARE(est->selections.size(), std::size_t(1));
        QCOMPARE(est->selections[0].variants.at("classify"), std::string("variant_0"));
    }

    void smallFlows_data()
    {
        QTest::addColumn<QString>("nodeInputs");
        QTest::addColumn<QString>("connectionYaml"); // empty: no connections given
        QTest::addColumn<QString>("pricing");        // override JSON, or empty
        QTest::addColumn<bool>("simulated");
        QTest::addColumn<qlonglong>("tokensPerRow");
        QTest::addColumn<QString>("counting"); // exact, estimated
        QTest::addColumn<QString>("encoding"); // empty: no known tokenizer
        QTest::addColumn<QString>("pricedAs"); // empty: no price
        QTest::addColumn<qlonglong>("highPerRow");
        // [{"role": "user", "content": "hello"}]: 3 per message + 1 (user) + 1 (hello) + 3 that
        // prime the reply = 8, OpenAI's published rule.
        QTest::newRow("hand-computed-gpt-4o") << "    model: gpt-4o\n    max_tokens: 50\n"
                                              << QString() << QString() << false << 8ll << "exact"
                                              << "o200k_base"
                                              << "gpt-4o" << 50ll;
        QTest::newRow("o-series-rule-unpublished")
            << "    model: o3-mini\n    max_tokens: 200\n"
            << QString() << QString() << false << 8ll << "estimated"
            << "o200k_base"
            << "o3-mini" << 200ll;
        QTest::newRow("no-max-tokens-assumed-cap")
            << "    model: gpt-4o-mini\n"
            << QString() << QString() << false << 8ll << "exact"
            << "o200k_base"
            << "gpt-4o-mini" << 1024ll;
        QTest::newRow("azure-deployment-mapped")
            << "    deployment_name: prod-mini\n    max_tokens: 5\n"
            << "name: conn\ntype: azure_open_ai\napi_key: k\napi_base: https://x.invalid\n"
            << R"({"deployments": {"prod-mini": "gpt-4o-mini"}})" << false << 8ll << "exact"
            << "o200k_base"
            << "gpt-4o-mini" << 5ll;
        // No tokenizer: the tokenizer's estimate, 8 cl100k tokens x 1.25 rounded up.
        QTest::newRow("unknown-model-estimated-unpriced")
            << "    model: my-local-llama\n    max_tokens: 20\n"
            << QString() << QString() << false << 10ll << "estimated" << QString() << QString()
            << 20ll;
        QTest::newRow("simulator") << "    model: gpt-4o\n    max_tokens: 7\n"
                                   << QString() << QString() << true << 8ll << "exact"
                                   << "o200k_base"
                                   << "flowbench-sim:*" << 7ll;
    }
    void smallFlows()
    {
        QFETCH(QString, nodeInputs);
        QFETCH(QString, connectionYaml);
        QFETCH(QString, pricing);
        QFETCH(bool, simulated);
        QFETCH(qlonglong, tokensPerRow);
        QFETCH(QString, counting);
        QFETCH(QString, encoding);
        QFETCH(QString, pricedAs);
        QFETCH(qlonglong, highPerRow);
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / "f";
        writeSmallFlow(dir, nodeInputs.toStdString(), "conn", {"hello", "hello", "hello"});
        auto flow = FlowLoader::load(dir);
        QVERIFY2(flow, flow ? "" : flow.error().message.c_str());
        ConnectionStore connections;
        if (!connectionYaml.isEmpty()) {
            QVERIFY(writeFileAtomically(dir / "conn.yaml", connectionYaml.toStdString()));
            QVERIFY(connections.loadFile(dir / "conn.yaml"));
        }
        PriceTable table = prices();
        if (!pricing.isEmpty()) {
            QVERIFY(table.mergeJson(pricing.toStdString(), "override.json"));
        }
        const RunEstimator estimator(table, &connections);
        EstimateOptions options;
        options.simulated = simulated;
        auto est = estimator.estimate(*flow, dir / "data.jsonl", ColumnMapping(), {}, options);
        QVERIFY2(est, est ? "" : est.error().message.c_str());
        QCOMPARE(est->selections.size(), std::size_t(1));
        const NodeEstimate *n = nodeOf(est->selections[0], "ask");
        QVERIFY(n);
        QCOMPARE(n->calls, std::int64_t(3));
        QCOMPARE(QString(tokenCountingName(n->counting)), counting);
        QCOMPARE(QString::fromStdString(n->encoding), encoding);
        QCOMPARE(n->promptTokens, 3.0 * double(tokensPerRow));
        QCOMPARE(hasNote(*est, "ESTIMATED"), counting == "estimated");
        QCOMPARE(QString::fromStdString(n->pricedAs), pricedAs);
        QCOMPARE(n->completionTokensHigh, 3.0 * double(highPerRow));
        QCOMPARE(n->completionHighSource, highPerRow == 1024 ? CompletionSource::AssumedMaxTokens
                                                             : CompletionSource::MaxTokens);
        QCOMPARE(n->completionTokensLow, 0.25 * 3.0 * double(highPerRow));
        QCOMPARE(n->simulated, simulated);
        QCOMPARE(est->simulated, simulated);
        if (pricedAs.isEmpty()) {
            QVERIFY(!n->costLowUsd && !n->costHighUsd);
            QVERIFY(!est->costComplete);
            QCOMPARE(est->selections[0].unpricedModels, std::vector<std::string>{"my-local-llama"});
            QVERIFY(hasNote(*est, "no price for model 'my-local-llama'"));
        } else {
            const auto price = table.find(pricedAs.toStdString());
            const double high
                = (n->promptTokens * price->input + 3.0 * double(highPerRow) * price->output) / 1e6;
            QVERIFY(std::abs(*n->costHighUsd - high) < 1e-12);
            QVERIFY(est->costComplete);
        }
    }

    void chainedLlmNodes()
    {
        // b's prompt contains a's answer: counted as a's expected completion tokens.
        QTemporaryDir tmp;
        const std::filesystem::path dir = tmp.path().toStdString();
        QVERIFY(writeFileAtomically(
            dir / "flow.dag.yaml",
            "inputs:\n  q:\n    type: string\noutputs:\n  o:\n    type: string\n"
            "    reference: ${b.output}\nnodes:\n"
            "- name: a\n  type: llm\n  source: {type: code, path: a.jinja2}\n"
            "  inputs: {model: gpt-4o, max_tokens: 40, q: '${inputs.q}'}\n"
            "  connection: c\n  api: chat\n"
            "- name: b\n  type: llm\n  source: {type: code, path: b.jinja2}\n"
            "  inputs: {model: gpt-4o, max_tokens: 8, prev: '${a.output}'}\n"
            "  connection: c\n  api: chat\n"));
        QVERIFY(writeFileAtomically(dir / "a.jinja2", "# user:\n{{q}}\n"));
        QVERIFY(writeFileAtomically(dir / "b.jinja2", "# user:\nhello{{prev}}\n"));
        QVERIFY(writeFileAtomically(dir / "data.jsonl", "{\"q\": \"hello\"}\n"));
        auto flow = FlowLoader::load(dir);
        QVERIFY2(flow, flow ? "" : flow.error().message.c_str());
        const RunEstimator estimator(prices());
        auto est = estimator.estimate(*flow, dir / "data.jsonl", ColumnMapping(), {}, {});
        QVERIFY2(est, est ? "" : est.error().message.c_str());
        const auto &sel = est->selections[0];
        QCOMPARE(sel.calls, std::int64_t(2));
        const NodeEstimate *a = nodeOf(sel, "a");
        const NodeEstimate *b = nodeOf(sel, "b");
        QVERIFY(a && b);
        QCOMPARE(a->counting, TokenCounting::Exact);
        QCOMPARE(a->promptTokens, 8.0);
        QCOMPARE(b->counting, TokenCounting::Partial);
        QCOMPARE(b->promptTokens, 8.0 + 0.25 * 40); // "hello" + a's expected answer
        QVERIFY(hasNote(*est, "llm node 'a' feeds another llm node"));
    }

    void failures_data()
    {
        QTest::addColumn<QStringList>("mapping");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown-column")
            << QStringList{"text=${data.nope}"} << QString() << "no column 'nope'";
        QTest::newRow("unknown-variant") << QStringList{"text=${data.text}"} << "variant_9"
                                         << "variant_9";
        QTest::newRow("unknown-input-mapped")
            << QStringList{"txt=${data.text}"} << QString() << "txt";
    }
    void failures()
    {
        QFETCH(QStringList, mapping);
        QFETCH(QString, variant);
        QFETCH(QString, error);
        std::vector<std::string> pairs;
        for (const auto &m : mapping) {
            pairs.push_back(m.toStdString());
        }
        auto parsed = ColumnMapping::parse(pairs);
        QVERIFY(parsed);
        std::vector<VariantSelection> selections;
        if (!variant.isEmpty()) {
            selections.push_back({{"classify", variant.toStdString()}});
        }
        const RunEstimator estimator(prices());
        auto est = estimator.estimate(classificationFlow(), kFlowDir / "data.jsonl", *parsed,
                                      selections, {});
        QVERIFY(!est);
        QVERIFY2(QString::fromStdString(est.error().message).contains(error),
                 est.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRunEstimator)
#include "tst_runestimator.moc"
