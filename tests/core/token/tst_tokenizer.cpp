#include <core/token/tokenizer.h>

#include <QProcess>
#include <QString>
#include <QTest>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace fb;

namespace {

/// One string of tests/core/token/fixtures/tokens.jsonl.gz with js-tiktoken's ids for it.
struct Fixture
{
    std::string category;
    bool special = false;
    std::string text;
    std::map<std::string, std::vector<std::uint32_t>> ids; ///< by encoding name
};

/// Reads a gzip file whole; empty on error.
std::string gunzipFile(const std::string &path)
{
    std::string out;
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) {
        return out;
    }
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(f, buf, sizeof buf)) > 0) {
        out.append(buf, std::size_t(n));
    }
    gzclose(f);
    return out;
}

QString printable(const std::string &text)
{
    const QString s = QString::fromUtf8(text.data(), qsizetype(text.size()));
    return s.size() > 120 ? s.left(120) + QStringLiteral("...") : s;
}

QString idList(const std::vector<std::uint32_t> &ids)
{
    QStringList parts;
    for (const auto id : ids) {
        parts << QString::number(id);
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TokenizerTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void concurrentFirstUse();
    void initTestCase();
    void fixtures_data();
    void fixtures();
    void roundTrip_data();
    void roundTrip();
    void specialTokens_data();
    void specialTokens();
    void encodingForModel_data();
    void encodingForModel();
    void unknownEncoding();
    void decodeSkipsUnknownIds();
    void vocabularySize_data();
    void vocabularySize();
    void cliTokens_data();
    void cliTokens();

private:
    std::vector<Fixture> m_fixtures;
};

void TokenizerTest::concurrentFirstUse()
{
    // Runs before anything else has loaded an encoding: several threads race to load it.
    const std::string text = "Concurrent first use: zażółć gęślą jaźń, 你好, 🚀 12345";
    constexpr int kThreads = 4;
    std::vector<const Tokenizer *> seen(kThreads, nullptr);
    std::vector<std::vector<std::uint32_t>> ids(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            seen[std::size_t(i)] = Tokenizer::forEncoding("o200k_base");
            if (seen[std::size_t(i)]) {
                ids[std::size_t(i)] = seen[std::size_t(i)]->encode(text);
            }
        });
    }
    for (auto &t : threads) {
        t.join();
    }
    QVERIFY(seen[0] != nullptr);
    for (int i = 1; i < kThreads; ++i) {
        QCOMPARE(seen[std::size_t(i)], seen[0]);
        QCOMPARE(ids[std::size_t(i)], ids[0]);
    }
    QCOMPARE(seen[0]->decode(ids[0]), text);
}

void TokenizerTest::initTestCase()
{
    const std::string path = FB_SOURCE_DIR "/tests/core/token/fixtures/tokens.jsonl.gz";
    const std::string text = gunzipFile(path);
    QVERIFY2(!text.empty(), qPrintable(QStringLiteral("cannot read %1").arg(path.c_str())));
    std::size_t pos = 0;
    bool header = true;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::string line = text.substr(pos, nl - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        if (line.empty()) {
            continue;
        }
        const auto j = nlohmann::json::parse(line, nullptr, false);
        QVERIFY2(!j.is_discarded() && j.is_object(), line.c_str());
        if (header) {
            header = false;
            continue;
        }
        Fixture f;
        f.category = j.value("category", "");
        f.special = j.value("special", false);
        f.text = j.value("text", "");
        for (const char *encoding : {"cl100k_base", "o200k_base"}) {
            QVERIFY(j.contains(encoding) && j[encoding].is_array());
            f.ids[encoding] = j[encoding].get<std::vector<std::uint32_t>>();
        }
        m_fixtures.push_back(std::move(f));
    }
    QVERIFY2(m_fixtures.size() >= 5000, "expected at least 5,000 fixture strings");
}

void TokenizerTest::fixtures_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QString>("category");
    std::vector<std::string> categories;
    for (const auto &f : m_fixtures) {
        if (std::find(categories.begin(), categories.end(), f.category) == categories.end()) {
            categories.push_back(f.category);
        }
    }
    for (const char *encoding : {"cl100k_base", "o200k_base"}) {
        for (const auto &c : categories) {
            QTest::newRow(qPrintable(QStringLiteral("%1-%2").arg(encoding, c.c_str())))
                << QString::fromLatin1(encoding) << QString::fromStdString(c);
        }
    }
}

void TokenizerTest::fixtures()
{
    QFETCH(QString, encoding);
    QFETCH(QString, category);
    const Tokenizer *tok = Tokenizer::forEncoding(encoding.toStdString());
    QVERIFY(tok != nullptr);
    QCOMPARE(QString::fromStdString(tok->name()), encoding);
    int checked = 0;
    for (std::size_t i = 0; i < m_fixtures.size(); ++i) {
        const Fixture &f = m_fixtures[i];
        if (QString::fromStdString(f.category) != category) {
            continue;
        }
        const auto &expected = f.ids.at(encoding.toStdString());
        const auto ids = tok->encode(f.text, f.special);
        if (ids != expected) {
            QFAIL(qPrintable(QStringLiteral("fixture %1 (special=%2) '%3'\n   got: %4\n  want: %5")
                                 .arg(i)
                                 .arg(f.special)
                                 .arg(printable(f.text), idList(ids), idList(expected))));
        }
        QCOMPARE(tok->count(f.text, f.special), expected.size());
        QCOMPARE(tok->decode(ids), f.text);
        ++checked;
    }
    QVERIFY(checked > 0);
}

void TokenizerTest::roundTrip_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<int>("seed");
    for (const char *encoding : {"cl100k_base", "o200k_base"}) {
        for (int seed : {1, 2, 3}) {
            QTest::newRow(qPrintable(QStringLiteral("%1-random-bytes-%2").arg(encoding).arg(seed)))
                << QString::fromLatin1(encoding) << seed;
        }
    }
}

void TokenizerTest::roundTrip()
{
    // Arbitrary bytes, mostly invalid UTF-8: still encoded, and decoded back byte for byte.
    QFETCH(QString, encoding);
    QFETCH(int, seed);
    const Tokenizer *tok = Tokenizer::forEncoding(encoding.toStdString());
    QVERIFY(tok != nullptr);
    std::mt19937 rng{std::uint32_t(seed)};
    for (int i = 0; i < 300; ++i) {
        std::string s(rng() % 300, '\0');
        for (auto &c : s) {
            const auto r = rng();
            // A mix of ASCII, UTF-8 lead/continuation bytes and whitespace.
            c = char((r % 4 == 0)   ? (0x80 + r % 0x80)
                     : (r % 4 == 1) ? (0xC0 + r % 0x40)
                                    : (0x09 + r % 0x77));
        }
        const auto ids = tok->encode(s);
        QCOMPARE(tok->decode(ids), s);
        QCOMPARE(tok->count(s), ids.size());
        for (const auto id : ids) {
            QVERIFY(id < tok->vocabularySize() + 20);
        }
    }
}

void TokenizerTest::specialTokens_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QString>("special");
    QTest::newRow("cl100k-endoftext") << "cl100k_base"
                                      << "<|endoftext|>";
    QTest::newRow("cl100k-fim_prefix") << "cl100k_base"
                                       << "<|fim_prefix|>";
    QTest::newRow("cl100k-fim_middle") << "cl100k_base"
                                       << "<|fim_middle|>";
    QTest::newRow("cl100k-fim_suffix") << "cl100k_base"
                                       << "<|fim_suffix|>";
    QTest::newRow("cl100k-endofprompt") << "cl100k_base"
                                        << "<|endofprompt|>";
    QTest::newRow("o200k-endoftext") << "o200k_base"
                                     << "<|endoftext|>";
    QTest::newRow("o200k-endofprompt") << "o200k_base"
                                       << "<|endofprompt|>";
}

void TokenizerTest::specialTokens()
{
    QFETCH(QString, encoding);
    QFETCH(QString, special);
    const Tokenizer *tok = Tokenizer::forEncoding(encoding.toStdString());
    QVERIFY(tok != nullptr);
    const std::string s = special.toStdString();
    const auto asSpecial = tok->encode(s, true);
    QCOMPARE(asSpecial.size(), std::size_t(1));
    QVERIFY(asSpecial[0] >= tok->vocabularySize() - 20);
    QCOMPARE(tok->decode(asSpecial), s);
    const auto asText = tok->encode(s, false);
    QVERIFY(asText.size() > 1);
    QCOMPARE(tok->decode(asText), s);
    // Between ordinary text, with and without.
    const std::string mixed = "before " + s + " after";
    const auto ids = tok->encode(mixed, true);
    QCOMPARE(std::count(ids.begin(), ids.end(), asSpecial[0]), 1);
    QCOMPARE(tok->decode(ids), mixed);
    QCOMPARE(tok->count(mixed, true), ids.size());
    const auto plain = tok->encode(mixed);
    QCOMPARE(std::count(plain.begin(), plain.end(), asSpecial[0]), 0);
    QCOMPARE(tok->decode(plain), mixed);
}

void TokenizerTest::encodingForModel_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("encoding");
    QTest::newRow("gpt-4o") << "gpt-4o"
                            << "o200k_base";
    QTest::newRow("gpt-4o-mini-snapshot") << "gpt-4o-mini-2024-07-18"
                                          << "o200k_base";
    QTest::newRow("chatgpt-4o-latest") << "chatgpt-4o-latest"
                                       << "o200k_base";
    QTest::newRow("o1") << "o1"
                        << "o200k_base";
    QTest::newRow("o1-mini") << "o1-mini"
                             << "o200k_base";
    QTest::newRow("o3-mini") << "o3-mini-2025-01-31"
                             << "o200k_base";
    QTest::newRow("o4-mini") << "o4-mini"
                             << "o200k_base";
    QTest::newRow("gpt-4.1-nano") << "gpt-4.1-nano"
                                  << "o200k_base";
    QTest::newRow("gpt-4.5-preview") << "gpt-4.5-preview"
                                     << "o200k_base";
    QTest::newRow("gpt-5") << "gpt-5"
                           << "o200k_base";
    QTest::newRow("gpt-5-mini") << "GPT-5-Mini"
                                << "o200k_base";
    QTest::newRow("gpt-4") << "gpt-4"
                           << "cl100k_base";
    QTest::newRow("gpt-4-0613") << "gpt-4-0613"
                                << "cl100k_base";
    QTest::newRow("gpt-4-turbo") << "gpt-4-turbo-2024-04-09"
                                 << "cl100k_base";
    QTest::newRow("gpt-4-32k") << "gpt-4-32k"
                               << "cl100k_base";
    QTest::newRow("gpt-3.5-turbo") << "gpt-3.5-turbo"
                                   << "cl100k_base";
    QTest::newRow("azure-gpt-35-turbo") << "gpt-35-turbo-16k"
                                        << "cl100k_base";
    QTest::newRow("text-embedding-3-small") << "text-embedding-3-small"
                                            << "cl100k_base";
    QTest::newRow("ada-002") << "text-embedding-ada-002"
                             << "cl100k_base";
    QTest::newRow("sim-prefix") << "flowbench-sim:gpt-4o-mini"
                                << "o200k_base";
    QTest::newRow("azure-prefix") << "azure/gpt-4"
                                  << "cl100k_base";
    QTest::newRow("fine-tune") << "ft:gpt-4o-mini-2024-07-18:org::abc"
                               << "o200k_base";
    QTest::newRow("claude") << "claude-3-5-sonnet-20241022"
                            << "";
    QTest::newRow("llama") << "llama-3.1-8b-instruct"
                           << "";
    QTest::newRow("o1-lookalike") << "o100"
                                  << "";
    QTest::newRow("gpt-40-lookalike") << "gpt-40"
                                      << "";
    QTest::newRow("empty") << ""
                           << "";
}

void TokenizerTest::encodingForModel()
{
    QFETCH(QString, model);
    QFETCH(QString, encoding);
    QCOMPARE(QString::fromStdString(Tokenizer::encodingForModel(model.toStdString())), encoding);
}

void TokenizerTest::unknownEncoding()
{
    QVERIFY(Tokenizer::forEncoding("p50k_base") == nullptr);
    QVERIFY(Tokenizer::forEncoding("") == nullptr);
    QVERIFY(Tokenizer::forEncoding("cl100k_base") == Tokenizer::forEncoding("cl100k_base"));
    QVERIFY(Tokenizer::forEncoding("cl100k_base") != Tokenizer::forEncoding("o200k_base"));
}

void TokenizerTest::decodeSkipsUnknownIds()
{
    const Tokenizer *tok = Tokenizer::forEncoding("cl100k_base");
    QVERIFY(tok != nullptr);
    auto ids = tok->encode("hello world");
    QCOMPARE(ids.size(), std::size_t(2));
    ids.insert(ids.begin() + 1, 100256); // the gap below the special tokens
    ids.push_back(4000000000U);
    QCOMPARE(tok->decode(ids), std::string("hello world"));
}

void TokenizerTest::vocabularySize_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<qulonglong>("size");
    // tiktoken: cl100k_base has 100,256 mergeable ranks and 5 special tokens, o200k_base
    // 199,998 and 2.
    QTest::newRow("cl100k") << "cl100k_base" << qulonglong(100261);
    QTest::newRow("o200k") << "o200k_base" << qulonglong(200000);
}

void TokenizerTest::vocabularySize()
{
    QFETCH(QString, encoding);
    QFETCH(qulonglong, size);
    const Tokenizer *tok = Tokenizer::forEncoding(encoding.toStdString());
    QVERIFY(tok != nullptr);
    QCOMPARE(qulonglong(tok->vocabularySize()), size);
}

void TokenizerTest::cliTokens_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<bool>("ids");
    QTest::addColumn<bool>("special");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("count-cl100k") << QStringList{"--encoding", "cl100k_base"} << "cl100k_base"
                                  << false << false << 0;
    QTest::newRow("ids-o200k") << QStringList{"--encoding", "o200k_base", "--ids"} << "o200k_base"
                               << true << false << 0;
    QTest::newRow("ids-model") << QStringList{"--model", "gpt-4", "--ids"} << "cl100k_base" << true
                               << false << 0;
    QTest::newRow("ids-special") << QStringList{"--model", "gpt-4o-mini", "--ids", "--special"}
                                 << "o200k_base" << true << true << 0;
    QTest::newRow("unknown-encoding")
        << QStringList{"--encoding", "p50k_base"} << "" << false << false << 2;
    QTest::newRow("unknown-model")
        << QStringList{"--model", "claude-3-opus"} << "" << false << false << 2;
    QTest::newRow("no-encoding") << QStringList{"--ids"} << "" << false << false << 2;
}

void TokenizerTest::cliTokens()
{
#ifndef FLOWBENCH_CLI_EXECUTABLE
    QSKIP("flowbench-cli is not built");
#else
    QFETCH(QStringList, args);
    QFETCH(QString, encoding);
    QFETCH(bool, ids);
    QFETCH(bool, special);
    QFETCH(int, exitCode);
    const std::string input
        = "Zażółć gęślą jaźń <|endoftext|> 你好，世界！ 🚀\n  def f(x):\n\treturn 42\n";
    QProcess cli;
    cli.start(QStringLiteral(FLOWBENCH_CLI_EXECUTABLE), QStringList{"tokens"} + args);
    QVERIFY(cli.waitForStarted());
    cli.write(input.data(), qint64(input.size()));
    cli.closeWriteChannel();
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), exitCode);
    if (exitCode != 0) {
        QVERIFY(!cli.readAllStandardError().isEmpty());
        return;
    }
    const Tokenizer *tok = Tokenizer::forEncoding(encoding.toStdString());
    QVERIFY(tok != nullptr);
    const QString expected
        = ids ? idList(tok->encode(input, special)) : QString::number(tok->count(input, special));
    QCOMPARE(QString::fromUtf8(cli.readAllStandardOutput()), expected + QLatin1Char('\n'));
#endif
}

QTEST_GUILESS_MAIN(TokenizerTest)
#include "tst_tokenizer.moc"
