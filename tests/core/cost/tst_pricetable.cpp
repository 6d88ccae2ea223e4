// The price table (built in, loaded, overridden), model name matching and the cost of a call.

#include <core/common/fileio.h>
#include <core/cost/costcalculator.h>
#include <core/cost/pricetable.h>

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace fb;

namespace {

// Prices chosen for the arithmetic tests, independent of resources/pricing.json.
constexpr const char *kTestTable = R"({
  "version": 7,
  "as_of": "2026-01-02",
  "models": {
    "m1": {"provider": "openai", "input": 2.0, "cached_input": 1.0, "output": 8.0,
           "source": "test"},
    "nocache": {"input": 3.0, "output": 6.0},
    "claude-x": {"provider": "anthropic", "input": 3.0, "cached_input": 0.3,
                 "cache_write": 3.75, "output": 15.0, "aliases": ["claude-x-0"]},
    "flowbench-sim:*": {"input": 0.15, "cached_input": 0.075, "output": 0.6, "simulated": true}
  },
  "deployments": {"prod": "m1"}
})";

PriceTable testTable()
{
    auto t = PriceTable::parse(kTestTable, "test.json");
    if (!t) {
        qFatal("test table: %s", t.error().message.c_str());
    }
    return *t;
}

PriceTable builtinTable()
{
    auto t = PriceTable::builtin();
    if (!t) {
        qFatal("built-in table: %s", t.error().message.c_str());
    }
    return *t;
}

} // namespace

class TestPriceTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void callCost_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qlonglong>("prompt");
        QTest::addColumn<qlonglong>("completion");
        QTest::addColumn<qlonglong>("cached");
        QTest::addColumn<qlonglong>("cacheWrite");
        QTest::addColumn<double>("expected"); // USD; negative = unknown model
        // m1: input 2, cached 1, output 8 per 1M.
        QTest::newRow("plain") << "m1" << 1000ll << 500ll << 0ll << 0ll
                               << (1000 * 2.0 + 500 * 8.0) / 1e6;
        QTest::newRow("cached-at-cached-price")
            << "m1" << 1000ll << 500ll << 400ll << 0ll << (600 * 2.0 + 400 * 1.0 + 500 * 8.0) / 1e6;
        QTest::newRow("cached-above-prompt-clamped")
            << "m1" << 1000ll << 0ll << 5000ll << 0ll << (1000 * 1.0) / 1e6;
        QTest::newRow("negative-counts-are-zero") << "m1" << -5ll << -1ll << -3ll << 0ll << 0.0;
        QTest::newRow("million-output") << "m1" << 0ll << 1000000ll << 0ll << 0ll << 8.0;
        QTest::newRow("no-cache-discount-defaults-to-input")
            << "nocache" << 1000ll << 100ll << 1000ll << 0ll << (1000 * 3.0 + 100 * 6.0) / 1e6;
        QTest::newRow("anthropic-cache-read-and-write")
            << "claude-x" << 10000ll << 200ll << 6000ll << 3000ll
            << (1000 * 3.0 + 6000 * 0.3 + 3000 * 3.75 + 200 * 15.0) / 1e6;
        QTest::newRow("cache-write-clamped-to-uncached-rest")
            << "claude-x" << 100ll << 0ll << 60ll << 90ll << (60 * 0.3 + 40 * 3.75) / 1e6;
        // m1 has no cache_write price: writes are billed at the input price (CallCost's
        // documented fallback), not 1.25x input nor the cached price. By hand: 1000 plain x $2 +
        // 6000 hits x $1 + 3000 writes x $2 + 200 out x $8 = $15,600 per 1M = $0.0156.
        QTest::newRow("cache-write-without-price-at-input")
            << "m1" << 10000ll << 200ll << 6000ll << 3000ll << 0.0156;
        QTest::newRow("dated-suffix-priced-as-base")
            << "m1-2024-08-06" << 1000ll << 0ll << 0ll << 0ll << 1000 * 2.0 / 1e6;
        QTest::newRow("alias") << "claude-x-0" << 1000000ll << 0ll << 0ll << 0ll << 3.0;
        QTest::newRow("deployment-mapped")
            << "prod" << 0ll << 1000ll << 0ll << 0ll << 1000 * 8.0 / 1e6;
        QTest::newRow("simulator")
            << "flowbench-sim:anything" << 1000000ll << 1000000ll << 0ll << 0ll << 0.75;
        QTest::newRow("unknown-model") << "gpt-9-ultra" << 1000ll << 10ll << 0ll << 0ll << -1.0;
    }
    void callCost()
    {
        QFETCH(QString, model);
        QFETCH(qlonglong, prompt);
        QFETCH(qlonglong, completion);
        QFETCH(qlonglong, cached);
        QFETCH(qlonglong, cacheWrite);
        QFETCH(double, expected);
        const CostCalculator calc(testTable());
        const TokenUsage usage{prompt, completion, cached, cacheWrite};
        const auto cost = calc.cost(model.toStdString(), usage);
        if (expected < 0) {
            QVERIFY(!cost.has_value());
            QVERIFY(!calc.breakdown(model.toStdString(), usage).has_value());
            return;
        }
        QVERIFY2(cost.has_value(), qPrintable(model));
        QVERIFY2(std::abs(*cost - expected) < 1e-12,
                 qPrintable(QString("%1 != %2").arg(*cost, 0, 'g', 17).arg(expected, 0, 'g', 17)));
        const auto b = calc.breakdown(model.toStdString(), usage);
        QVERIFY(b.has_value());
        QVERIFY(std::abs(b->inputUsd + b->cachedInputUsd + b->cacheWriteUsd + b->outputUsd
                         - b->totalUsd)
                < 1e-15);
    }

    void cacheWriteFallbackPrice()
    {
        const CostCalculator calc(testTable());
        const auto m1 = calc.table().find("m1");
        QVERIFY(m1 && !m1->cacheWrite.has_value());
        // 3000 cache writes without a cache_write price: 3000 x $2 per 1M = $0.006 (input price).
        const auto b = calc.breakdown("m1", TokenUsage{10000, 200, 6000, 3000});
        QVERIFY(b.has_value());
        QVERIFY2(std::abs(b->cacheWriteUsd - 0.006) < 1e-15,
                 qPrintable(QString::number(b->cacheWriteUsd, 'g', 17)));
        QVERIFY(std::abs(b->inputUsd - 0.002) < 1e-15);
        QVERIFY(std::abs(b->cachedInputUsd - 0.006) < 1e-15);
        QVERIFY(std::abs(b->outputUsd - 0.0016) < 1e-15);
        QVERIFY(std::abs(b->totalUsd - 0.0156) < 1e-15);
        // With an explicit price the writes use it: claude-x, 3000 x $3.75 per 1M = $0.01125.
        const auto c = calc.breakdown("claude-x", TokenUsage{10000, 200, 6000, 3000});
        QVERIFY(c.has_value());
        QVERIFY(std::abs(c->cacheWriteUsd - 0.01125) < 1e-15);
    }

    void findBuiltin_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("entry"); // empty: no match
        QTest::newRow("exact") << "gpt-4o"
                               << "gpt-4o";
        QTest::newRow("openai-dated") << "gpt-4o-2024-08-06"
                                      << "gpt-4o";
        QTest::newRow("exact-snapshot-beats-stripping") << "gpt-4o-2024-05-13"
                                                        << "gpt-4o-2024-05-13";
        QTest::newRow("mini-dated") << "gpt-4o-mini-2024-07-18"
                                    << "gpt-4o-mini";
        QTest::newRow("gpt-4.1-dated") << "gpt-4.1-mini-2025-04-14"
                                       << "gpt-4.1-mini";
        QTest::newRow("o-series-dated") << "o3-mini-2025-01-31"
                                        << "o3-mini";
        QTest::newRow("mmdd-snapshot") << "gpt-3.5-turbo-0125"
                                       << "gpt-3.5-turbo";
        QTest::newRow("gpt-4-0613") << "gpt-4-0613"
                                    << "gpt-4";
        QTest::newRow("turbo-dated") << "gpt-4-turbo-2024-04-09"
                                     << "gpt-4-turbo";
        QTest::newRow("turbo-preview-alias") << "gpt-4-1106-preview"
                                             << "gpt-4-turbo";
        QTest::newRow("azure-spelling") << "gpt-35-turbo"
                                        << "gpt-3.5-turbo";
        QTest::newRow("anthropic-dated") << "claude-sonnet-4-20250514"
                                         << "claude-sonnet-4";
        QTest::newRow("anthropic-4-1-dated") << "claude-opus-4-1-20250805"
                                             << "claude-opus-4-1";
        QTest::newRow("anthropic-latest") << "claude-3-5-sonnet-latest"
                                          << "claude-3-5-sonnet";
        QTest::newRow("anthropic-alias") << "claude-sonnet-4-0"
                                         << "claude-sonnet-4";
        QTest::newRow("vertex-at-date") << "claude-3-5-sonnet@20240620"
                                        << "claude-3-5-sonnet";
        QTest::newRow("haiku-3-5-dated") << "claude-3-5-haiku-20241022"
                                         << "claude-3-5-haiku";
        QTest::newRow("case-insensitive") << "GPT-4o-Mini"
                                          << "gpt-4o-mini";
        QTest::newRow("provider-prefix") << "openai/gpt-4.1"
                                         << "gpt-4.1";
        QTest::newRow("embedding") << "text-embedding-3-small"
                                   << "text-embedding-3-small";
        QTest::newRow("simulator-openai") << "flowbench-sim:gpt-4o"
                                          << "flowbench-sim:*";
        QTest::newRow("simulator-anthropic") << "flowbench-sim:claude-3-5-haiku"
                                             << "flowbench-sim:*";
        QTest::newRow("simulator-prefix-alone") << "flowbench-sim:"
                                                << "";
        QTest::newRow("unknown") << "gpt-9-ultra"
                                 << "";
        QTest::newRow("no-prefix-guessing") << "gpt-4o-audio-preview"
                                            << "";
        QTest::newRow("empty") << ""
                               << "";
    }
    void findBuiltin()
    {
        QFETCH(QString, model);
        QFETCH(QString, entry);
        const PriceTable table = builtinTable();
        const auto price = table.find(model.toStdString());
        if (entry.isEmpty()) {
            QVERIFY2(!price, price ? price->model.c_str() : "");
            return;
        }
        QVERIFY2(price.has_value(), qPrintable(model));
        QCOMPARE(QString::fromStdString(price->model), entry);
    }

    void builtinTableContents_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("provider");
        for (const char *m : {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
                              "o1", "o3", "o3-mini", "o4-mini", "gpt-3.5-turbo", "gpt-4-turbo",
                              "text-embedding-3-small", "text-embedding-3-large"}) {
            QTest::newRow(m) << m << "openai";
        }
        for (const char *m : {"claude-3-5-sonnet", "claude-3-5-haiku", "claude-3-7-sonnet",
                              "claude-sonnet-4", "claude-opus-4", "claude-opus-4-1"}) {
            QTest::newRow(m) << m << "anthropic";
        }
    }
    void builtinTableContents()
    {
        QFETCH(QString, model);
        QFETCH(QString, provider);
        const PriceTable table = builtinTable();
        const auto price = table.find(model.toStdString());
        QVERIFY(price.has_value());
        QCOMPARE(QString::fromStdString(price->model), model);
        QCOMPARE(QString::fromStdString(price->provider), provider);
        QVERIFY(price->input > 0);
        QVERIFY(price->cachedInput > 0 && price->cachedInput <= price->input);
        QVERIFY(price->output >= 0);
        QVERIFY(!price->simulated);
        QVERIFY(!price->source.empty());
        if (provider == "anthropic") {
            QVERIFY2(price->cacheWrite.has_value(), "Anthropic entries carry cache-write prices");
            QVERIFY(price->cachedInput < price->input); // cache reads are discounted
        }
    }

    void builtinTableHeader()
    {
        const PriceTable table = builtinTable();
        QVERIFY(table.version() >= 1);
        const QString asOf = QString::fromStdString(table.asOf());
        QVERIFY2(QDate::fromString(asOf, Qt::ISODate).isValid(), qPrintable(asOf));
        QCOMPARE(table.origins().size(), std::size_t(1));
        // The built-in table equals the file in the source tree (the embedding is current).
        auto fromFile = PriceTable::load(FB_SOURCE_DIR "/resources/pricing.json");
        QVERIFY2(fromFile, fromFile ? "" : fromFile.error().message.c_str());
        QCOMPARE(fromFile->models().size(), table.models().size());
        QCOMPARE(fromFile->version(), table.version());
        QCOMPARE(fromFile->asOf(), table.asOf());
    }

    void simulatorPricedLikeGpt4oMini()
    {
        const PriceTable table = builtinTable();
        const auto sim = table.find("flowbench-sim:gpt-4o-mini");
        const auto mini = table.find("gpt-4o-mini");
        QVERIFY(sim && mini);
        QVERIFY(sim->simulated);
        QCOMPARE(sim->input, mini->input);
        QCOMPARE(sim->cachedInput, mini->cachedInput);
        QCOMPARE(sim->output, mini->output);
    }

    void overrides_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<double>("input");  // expected input price after the merge
        QTest::addColumn<double>("output"); // negative: as in the built-in entry
        QTest::newRow("add-model") << R"({"models": {"my-llama": {"input": 0.2, "output": 0.4}}})"
                                   << "my-llama"
                                   << "my-llama" << 0.2 << 0.4;
        QTest::newRow("replace-given-fields-only") << R"({"models": {"gpt-4o": {"input": 2.0}}})"
                                                   << "gpt-4o"
                                                   << "gpt-4o" << 2.0 << -1.0;
        QTest::newRow("replace-reaches-dated-names") << R"({"models": {"gpt-4o": {"input": 2.0}}})"
                                                     << "gpt-4o-2024-11-20"
                                                     << "gpt-4o" << 2.0 << -1.0;
        QTest::newRow("deployment-to-model") << R"({"deployments": {"prod-chat": "gpt-4o-mini"}})"
                                             << "prod-chat"
                                             << "gpt-4o-mini" << -1.0 << -1.0;
        QTest::newRow("deployment-to-dated-model")
            << R"({"deployments": {"chat-eu": "gpt-4o-2024-08-06"}})"
            << "chat-eu"
            << "gpt-4o" << -1.0 << -1.0;
        QTest::newRow("deployment-to-model-of-same-file")
            << R"({"models": {"ft-classifier": {"input": 3.0, "output": 12.0}},
                  "deployments": {"classifier": "ft-classifier"}})"
            << "classifier"
            << "ft-classifier" << 3.0 << 12.0;
        QTest::newRow("deployment-wins-over-model-name")
            << R"({"deployments": {"gpt-4o": "gpt-4o-mini"}})"
            << "gpt-4o"
            << "gpt-4o-mini" << -1.0 << -1.0;
    }
    void overrides()
    {
        QFETCH(QString, json);
        QFETCH(QString, model);
        QFETCH(QString, entry);
        QFETCH(double, input);
        QFETCH(double, output);
        const PriceTable base = builtinTable();
        PriceTable table = base;
        auto r = table.mergeJson(json.toStdString(), "flowbench.pricing.json");
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        const auto price = table.find(model.toStdString());
        QVERIFY(price.has_value());
        QCOMPARE(QString::fromStdString(price->model), entry);
        const auto before = base.find(entry.toStdString());
        QCOMPARE(price->input, input >= 0 ? input : before->input);
        QCOMPARE(price->output, output >= 0 ? output : before->output);
        QCOMPARE(table.origins().size(), std::size_t(2));
        QCOMPARE(table.version(), base.version());
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<bool>("complete"); // a whole table (parse) or an override (mergeJson)
        QTest::addColumn<QString>("error"); // a fragment of the message
        QTest::newRow("syntax-missing-comma")
            << "{\n  \"version\": 1,\n  \"as_of\": \"2026-01-01\"\n  \"models\": {}\n}" << true
            << "t.json:4:";
        QTest::newRow("syntax-truncated") << "{\n  \"models\": {\n"
                                          << false << "t.json:3:1: invalid JSON";
        QTest::newRow("not-an-object") << "[1, 2]" << true << "t.json:1: expected a JSON object";
        QTest::newRow("missing-version")
            << R"({"as_of": "2026-01-01", "models": {}})" << true << "t.json:1: version: missing";
        QTest::newRow("bad-as-of") << "{\n\"version\": 1,\n\"as_of\": \"Nov 2026\",\n"
                                      "\"models\": {}\n}"
                                   << true << "t.json:3: as_of: expected a date";
        QTest::newRow("price-is-string")
            << "{\"models\": {\n  \"m\": {\n    \"input\": \"2.5\",\n    \"output\": 1\n  }\n}}"
            << false << "t.json:3: models.m.input: expected a number >= 0";
        QTest::newRow("negative-price")
            << "{\"models\": {\n  \"m\": {\"input\": 1,\n         \"output\": -4}}}" << false
            << "t.json:3: models.m.output: expected a number >= 0";
        QTest::newRow("typo-in-field")
            << "{\"models\": {\n  \"m\": {\"input\": 1,\n\n   \"ouput\": 4}}}" << false
            << "t.json:4: models.m.ouput: unknown key";
        QTest::newRow("new-model-without-output")
            << "{\"models\": {\n\n  \"m\": {\"input\": 1}}}" << false
            << "t.json:3: models.m: missing 'output'";
        QTest::newRow("typo-top-level")
            << "{\n  \"model\": {}\n}" << false << "t.json:2: model: unknown key";
        QTest::newRow("currency") << "{\n  \"currency\": \"EUR\"\n}" << false
                                  << "t.json:2: currency: only \"USD\"";
        QTest::newRow("deployment-to-unknown-model")
            << "{\n  \"deployments\": {\n    \"prod\": \"gpt-9\"\n  }\n}" << false
            << "t.json:3: deployments.prod: unknown model 'gpt-9'";
        QTest::newRow("deployment-not-a-string")
            << "{\n  \"deployments\": {\n    \"prod\": 4\n  }\n}" << false
            << "t.json:3: deployments.prod: expected a model name";
        QTest::newRow("alias-taken")
            << "{\"models\": {\n  \"m\": {\"input\": 1, \"output\": 2,\n"
               "        \"aliases\": [\"gpt-4o\"]}}}"
            << false << "t.json:3: models.m.aliases: alias 'gpt-4o' already names";
    }
    void badFiles()
    {
        QFETCH(QString, json);
        QFETCH(bool, complete);
        QFETCH(QString, error);
        if (complete) {
            auto t = PriceTable::parse(json.toStdString(), "t.json");
            QVERIFY(!t);
            QVERIFY2(QString::fromStdString(t.error().message).contains(error),
                     t.error().message.c_str());
            QCOMPARE(t.error().code, ErrorCode::Parse);
            return;
        }
        PriceTable table = builtinTable();
        const auto before = table.find("gpt-4o");
        auto r = table.mergeJson(json.toStdString(), "t.json");
        QVERIFY(!r);
        QVERIFY2(QString::fromStdString(r.error().message).contains(error),
                 r.error().message.c_str());
        // A failed merge changes nothing.
        QCOMPARE(table.origins().size(), std::size_t(1));
        QCOMPARE(table.find("gpt-4o")->input, before->input);
        QVERIFY(!table.find("m") && !table.find("prod"));
    }

    void loadFromFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path root = dir.path().toStdString();

        auto missing = PriceTable::load(root / "nope.json");
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);

        // A file error names the file.
        QVERIFY(writeFileAtomically(root / "bad.json", "{\n \"version\": 1,\n \"as_of\": 3\n}"));
        auto bad = PriceTable::load(root / "bad.json");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find((root / "bad.json").string() + ":3: as_of")
                     != std::string::npos,
                 bad.error().message.c_str());

        QVERIFY(writeFileAtomically(root / "good.json", kTestTable));
        auto good = PriceTable::load(root / "good.json");
        QVERIFY2(good, good ? "" : good.error().message.c_str());
        QCOMPARE(good->version(), 7);
        QCOMPARE(good->asOf(), std::string("2026-01-02"));
        QCOMPARE(good->find("prod")->model, std::string("m1"));
    }

    void workspaceOverride()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path root = dir.path().toStdString();
        QVERIFY(!PriceTable::findWorkspaceOverride(root));
        auto plain = PriceTable::forWorkspace(root);
        QVERIFY(plain);
        QCOMPARE(plain->origins().size(), std::size_t(1));

        std::filesystem::create_directories(root / ".flowbench");
        QVERIFY(writeFileAtomically(root / ".flowbench/pricing.json",
                                    R"({"deployments": {"team-gpt": "gpt-4.1"}})"));
        QCOMPARE(PriceTable::findWorkspaceOverride(root)->string(),
                 (root / ".flowbench/pricing.json").string());
        auto ws = PriceTable::forWorkspace(root);
        QVERIFY2(ws, ws ? "" : ws.error().message.c_str());
        QCOMPARE(ws->find("team-gpt")->model, std::string("gpt-4.1"));

        // flowbench.pricing.json at the workspace root comes first.
        QVERIFY(writeFileAtomically(root / "flowbench.pricing.json",
                                    R"({"deployments": {"team-gpt": "gpt-4o-mini"}})"));
        auto ws2 = PriceTable::forWorkspace(root);
        QVERIFY(ws2);
        QCOMPARE(ws2->find("team-gpt")->model, std::string("gpt-4o-mini"));

        // A broken override is an error, not a silent fallback to the built-in prices.
        QVERIFY(writeFileAtomically(root / "flowbench.pricing.json", "{\n\"models\": 3}"));
        auto broken = PriceTable::forWorkspace(root);
        QVERIFY(!broken);
        QVERIFY2(broken.error().message.find("flowbench.pricing.json:2: models")
                     != std::string::npos,
                 broken.error().message.c_str());
    }

    void mapDeployment()
    {
        PriceTable table = builtinTable();
        QVERIFY(table.mapDeployment("eu-mini", "gpt-4o-mini-2024-07-18"));
        QCOMPARE(table.find("eu-mini")->model, std::string("gpt-4o-mini"));
        auto r = table.mapDeployment("x", "no-such-model");
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        QVERIFY(!table.find("x"));
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
