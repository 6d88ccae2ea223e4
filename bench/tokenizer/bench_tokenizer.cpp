// bench_tokenizer: single-thread throughput of fb::Tokenizer on a deterministic mixed corpus.
//
//   bench_tokenizer [--mb N] [--write-corpus FILE]
//
// The corpus is a list of documents (English prose, source code, Polish, Chinese, emoji and
// numbers, whitespace-heavy text) built from a fixed seed, ~N MB in total (default 4). Each
// encoding encodes every document, repeated until at least 2 s of CPU time have passed; the
// best pass counts. --write-corpus writes the documents (JSON array) for js-tiktoken to run on the
// same input (bench/tokenizer/run.sh). Times are CPU time of the benchmark thread
// (CLOCK_THREAD_CPUTIME_ID), so figures hold on a shared, busy machine. Prints name=value lines.
#include <core/token/tokenizer.h>

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Rng
{
    std::uint64_t s = 0x2545F4914F6CDD1DULL;
    std::uint32_t next()
    {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return std::uint32_t(s >> 16);
    }
    std::size_t below(std::size_t n) { return next() % n; }
};

const char *const kEnglish[]
    = {"the",      "of",       "and",        "to",        "in",         "is",      "that",
       "for",      "it",       "as",         "was",       "with",       "be",      "by",
       "on",       "not",      "he",         "this",      "are",        "or",      "his",
       "from",     "at",       "which",      "but",       "have",       "an",      "they",
       "model",    "prompt",   "evaluation", "tokenizer", "throughput", "latency", "variant",
       "dataset",  "language", "benchmark",  "however",   "important",  "results", "Flowbench",
       "OpenAI's", "we're",    "don't",      "it's",      "Microsoft",  "Azure",   "GPT-4o"};
const char *const kPolish[]
    = {"zażółć", "gęślą",   "jaźń",    "się",       "że",        "który",  "przez",
       "może",   "również", "będzie",  "Kraków",    "Łódź",      "dzięki", "rozwiązanie",
       "wyniki", "modelu",  "tokenów", "szczęście", "ćwiczenie", "źródło"};
const char *const kChinese[]
    = {"我们", "模型", "评估", "数据", "的",   "是", "在", "一个", "提示", "结果",
       "使用", "可以", "中文", "测试", "性能", "，", "。", "：",   "、"};
const char *const kCode[] = {
    "for (std::size_t i = 0; i < n; ++i) {\n        total += values[i];\n    }\n",
    "def evaluate(row, *, threshold=0.5):\n    return {\"score\": float(row['x']) > threshold}\n",
    "const result = await fetch(`${base}/v1/chat/completions`, { method: 'POST' });\n",
    "    if (!ok) {\n        return fail(ErrorCode::Parse, \"line \" + std::to_string(n));\n    "
    "}\n",
    "{\"role\": \"user\", \"content\": \"Summarise the following text.\", \"name\": null}\n",
    "SELECT run_id, COUNT(*) AS n FROM lines WHERE status = 'failed' GROUP BY run_id;\n",
    "#include <vector>\n#include <string>\n\nnamespace fb {\n",
    "  - name: classify\n    type: llm\n    source:\n      type: code\n      path: a.jinja2\n"};
const char *const kEmoji[] = {"🚀", "👍🏽", "❤️", "🇵🇱", "😀", "👨‍👩‍👧", "✨"};

void words(Rng &rng, std::string &out, const char *const *list, std::size_t count, std::size_t n,
           const char *sep)
{
    for (std::size_t i = 0; i < n; ++i) {
        out += list[rng.below(count)];
        const std::size_t r = rng.below(100);
        if (r < 6) {
            out += ". ";
        } else if (r < 10) {
            out += ", ";
        } else {
            out += sep;
        }
    }
}

std::vector<std::string> makeCorpus(std::size_t bytes)
{
    Rng rng;
    std::vector<std::string> docs;
    std::size_t total = 0;
    while (total < bytes) {
        std::string d;
        const std::size_t kind = rng.below(100);
        const std::size_t n = 100 + rng.below(900);
        if (kind < 50) {
            words(rng, d, kEnglish, std::size(kEnglish), n, " ");
        } else if (kind < 70) {
            for (std::size_t i = 0; i < n / 20; ++i) {
                d += kCode[rng.below(std::size(kCode))];
            }
        } else if (kind < 80) {
            words(rng, d, kPolish, std::size(kPolish), n, " ");
        } else if (kind < 90) {
            words(rng, d, kChinese, std::size(kChinese), n, "");
        } else if (kind < 95) {
            for (std::size_t i = 0; i < n / 4; ++i) {
                d += kEmoji[rng.below(std::size(kEmoji))];
                d += ' ';
                d += std::to_string(rng.next() % 100000);
                d += rng.below(4) == 0 ? "\n" : " ";
            }
        } else {
            for (std::size_t i = 0; i < n / 4; ++i) {
                d += std::string(rng.below(12), ' ');
                d += kEnglish[rng.below(std::size(kEnglish))];
                d += rng.below(3) == 0 ? "\n\n" : "\t";
            }
        }
        total += d.size();
        docs.push_back(std::move(d));
    }
    return docs;
}

void writeJsonString(std::FILE *f, const std::string &s)
{
    std::fputc('"', f);
    for (const unsigned char c : s) {
        if (c == '"' || c == '\\') {
            std::fprintf(f, "\\%c", c);
        } else if (c < 0x20) {
            std::fprintf(f, "\\u%04x", c);
        } else {
            std::fputc(c, f);
        }
    }
    std::fputc('"', f);
}

struct Figures
{
    double mbPerS = 0;
    std::size_t tokens = 0;
};

template <typename F> Figures measure(const std::vector<std::string> &docs, std::size_t bytes, F f)
{
    Figures best;
    const double start = threadCpuSeconds();
    int passes = 0;
    while (passes < 2 || threadCpuSeconds() - start < 2.0) {
        const double t0 = threadCpuSeconds();
        std::size_t tokens = 0;
        for (const auto &d : docs) {
            tokens += f(d);
        }
        const double s = threadCpuSeconds() - t0;
        best.mbPerS = std::max(best.mbPerS, double(bytes) / 1e6 / s);
        best.tokens = tokens;
        ++passes;
    }
    return best;
}

} // namespace

int main(int argc, char **argv)
{
    double mb = 4;
    const char *corpusFile = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--mb" && i + 1 < argc) {
            mb = std::atof(argv[++i]);
        } else if (a == "--write-corpus" && i + 1 < argc) {
            corpusFile = argv[++i];
        } else {
            std::fprintf(stderr, "usage: bench_tokenizer [--mb N] [--write-corpus FILE]\n");
            return 2;
        }
    }
    const auto docs = makeCorpus(std::size_t(mb * 1e6));
    std::size_t bytes = 0;
    for (const auto &d : docs) {
        bytes += d.size();
    }
    if (corpusFile) {
        std::FILE *f = std::fopen(corpusFile, "wb");
        if (!f) {
            std::perror(corpusFile);
            return 1;
        }
        std::fputc('[', f);
        for (std::size_t i = 0; i < docs.size(); ++i) {
            if (i) {
                std::fputc(',', f);
            }
            writeJsonString(f, docs[i]);
        }
        std::fputs("]\n", f);
        std::fclose(f);
    }
    std::printf("corpus_mb=%.2f\ncorpus_documents=%zu\n", double(bytes) / 1e6, docs.size());
    for (const char *name : {"cl100k_base", "o200k_base"}) {
        const double t0 = threadCpuSeconds();
        const fb::Tokenizer *tok = fb::Tokenizer::forEncoding(name);
        const double loadMs = (threadCpuSeconds() - t0) * 1000;
        if (!tok) {
            std::fprintf(stderr, "cannot load %s\n", name);
            return 1;
        }
        const std::string prefix = std::string(name).substr(0, std::string(name).find('_'));
        const Figures enc
            = measure(docs, bytes, [tok](const std::string &d) { return tok->encode(d).size(); });
        const Figures cnt
            = measure(docs, bytes, [tok](const std::string &d) { return tok->count(d); });
        std::printf("%s_load_ms=%.1f\n%s_tokens=%zu\n%s_mb_s=%.2f\n%s_count_mb_s=%.2f\n",
                    prefix.c_str(), loadMs, prefix.c_str(), enc.tokens, prefix.c_str(), enc.mbPerS,
                    prefix.c_str(), cnt.mbPerS);
        std::fflush(stdout);
    }
    return 0;
}
