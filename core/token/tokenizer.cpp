#include <core/token/tokenizer.h>

#include <core/token/bytepairencoder_p.h>
#include <core/token/cl100kpretokenizer_p.h>
#include <core/token/embeddedranks_p.h>
#include <core/token/o200kpretokenizer_p.h>

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <mutex>

namespace fb {

using token_detail::BytePairEncoder;

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; });
    return out;
}

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.substr(0, prefix.size()) == prefix;
}

/// `s` is `family` or `family` followed by '-' (a snapshot or variant suffix) or ':'.
bool isFamily(std::string_view s, std::string_view family)
{
    return startsWith(s, family)
           && (s.size() == family.size() || s[family.size()] == '-' || s[family.size()] == ':');
}

} // namespace

Tokenizer::Tokenizer(std::string name, Pattern pattern, std::unique_ptr<BytePairEncoder> bpe,
                     std::vector<SpecialToken> specials)
    : m_name(std::move(name))
    , m_pattern(pattern)
    , m_bpe(std::move(bpe))
    , m_specials(std::move(specials))
{
}

Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> Tokenizer::load(std::string_view name)
{
    auto text = token_detail::EmbeddedRanks::load(name);
    if (!text) {
        std::fprintf(stderr, "flowbench: %s\n", text.error().message.c_str());
        return nullptr;
    }
    auto bpe = BytePairEncoder::fromTiktoken(*text);
    if (!bpe) {
        // The data is compiled in and checked by the tests; this is a broken build.
        std::fprintf(stderr, "flowbench: %s: %s\n", std::string(name).c_str(),
                     bpe.error().message.c_str());
        return nullptr;
    }
    auto encoder = std::make_unique<BytePairEncoder>(std::move(*bpe));
    if (name == "cl100k_base") {
        return std::unique_ptr<Tokenizer>(new Tokenizer(std::string(name), Pattern::Cl100k,
                                                        std::move(encoder),
                                                        {{"<|endoftext|>", 100257},
                                                         {"<|fim_prefix|>", 100258},
                                                         {"<|fim_middle|>", 100259},
                                                         {"<|fim_suffix|>", 100260},
                                                         {"<|endofprompt|>", 100276}}));
    }
    return std::unique_ptr<Tokenizer>(
        new Tokenizer(std::string(name), Pattern::O200k, std::move(encoder),
                      {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}));
}

const Tokenizer *Tokenizer::forEncoding(std::string_view name)
{
    struct Slot
    {
        std::once_flag once;
        std::unique_ptr<Tokenizer> tokenizer;
    };
    static Slot cl100k;
    static Slot o200k;
    Slot *slot = name == "cl100k_base" ? &cl100k : name == "o200k_base" ? &o200k : nullptr;
    if (!slot) {
        return nullptr;
    }
    std::call_once(slot->once, [slot, name] { slot->tokenizer = load(name); });
    return slot->tokenizer.get();
}

std::string Tokenizer::encodingForModel(std::string_view model)
{
    std::string m = lower(model);
    for (const std::string_view prefix : {"flowbench-sim:", "azure/", "openai/", "ft:"}) {
        if (startsWith(m, prefix)) {
            m.erase(0, prefix.size());
        }
    }
    std::string_view s = m;
    for (const std::string_view family :
         {"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4"}) {
        if (isFamily(s, family)) {
            return "o200k_base";
        }
    }
    for (const std::string_view family : {"gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3-small",
                                          "text-embedding-3-large", "text-embedding-ada-002"}) {
        if (isFamily(s, family)) {
            return "cl100k_base";
        }
    }
    return {};
}

template <typename PreTokenizer, typename Sink>
void Tokenizer::runOrdinary(std::string_view text, Sink &sink) const
{
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = PreTokenizer::nextPiece(text, pos);
        assert(end > pos && end <= text.size());
        sink(text.substr(pos, end - pos));
        pos = end;
    }
}

template <typename Sink>
void Tokenizer::run(std::string_view text, bool allowSpecial, Sink &sink) const
{
    const auto ordinary = [this, &sink](std::string_view part) {
        if (m_pattern == Pattern::Cl100k) {
            runOrdinary<token_detail::Cl100kPreTokenizer>(part, sink);
        } else {
            runOrdinary<token_detail::O200kPreTokenizer>(part, sink);
        }
    };
    if (!allowSpecial) {
        ordinary(text);
        return;
    }
    // Split at special-token text, leftmost first; every special token starts with "<|".
    std::size_t start = 0;
    std::size_t search = 0;
    while (true) {
        const std::size_t at = text.find("<|", search);
        if (at == std::string_view::npos) {
            break;
        }
        const SpecialToken *found = nullptr;
        for (const auto &special : m_specials) {
            if (text.substr(at, special.text.size()) == special.text) {
                found = &special;
                break;
            }
        }
        if (!found) {
            search = at + 1;
            continue;
        }
        ordinary(text.substr(start, at - start));
        sink.special(found->id);
        start = search = at + found->text.size();
    }
    ordinary(text.substr(start));
}

namespace {

struct EncodeSink
{
    const BytePairEncoder &bpe;
    std::vector<std::uint32_t> &out;
    void operator()(std::string_view piece) { bpe.encode(piece, out); }
    void special(std::uint32_t id) { out.push_back(id); }
};

struct CountSink
{
    const BytePairEncoder &bpe;
    std::size_t n = 0;
    void operator()(std::string_view piece) { n += bpe.count(piece); }
    void special(std::uint32_t) { ++n; }
};

} // namespace

std::vector<std::uint32_t> Tokenizer::encode(std::string_view text, bool allowSpecial) const
{
    std::vector<std::uint32_t> out;
    out.reserve(text.size() / 3 + 4);
    EncodeSink sink{*m_bpe, out};
    run(text, allowSpecial, sink);
    return out;
}

std::size_t Tokenizer::count(std::string_view text, bool allowSpecial) const
{
    CountSink sink{*m_bpe, 0};
    run(text, allowSpecial, sink);
    return sink.n;
}

std::string Tokenizer::decode(const std::vector<std::uint32_t> &ids) const
{
    std::string out;
    for (const std::uint32_t id : ids) {
        const std::string_view bytes = m_bpe->bytesOf(id);
        if (!bytes.empty()) {
            out += bytes;
            continue;
        }
        for (const auto &special : m_specials) {
            if (special.id == id) {
                out += special.text;
                break;
            }
        }
    }
    return out;
}

std::size_t Tokenizer::vocabularySize() const { return m_bpe->size() + m_specials.size(); }

} // namespace fb
