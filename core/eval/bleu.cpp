#include <core/eval/bleu.h>

#include <core/eval/evaltext_p.h>

#include <cassert>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace fb {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// First rule of mteval-v13a: these ASCII symbols become separate tokens. Apostrophe, hyphen,
// period and comma are not in the set; the last two get their own digit-aware rules.
bool isSplitSymbol(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u >= 0x7B && u <= 0x7E) || (u >= 0x5B && u <= 0x60) || (u >= 0x20 && u <= 0x26)
           || (u >= 0x28 && u <= 0x2B) || (u >= 0x3A && u <= 0x40) || u == 0x2F;
}

void replaceAll(std::string &s, std::string_view from, std::string_view to)
{
    std::size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
        s.replace(pos, from.size(), to);
        pos += to.size();
    }
}

using NgramCounts = std::unordered_map<std::string, std::int64_t>;

// All n-grams (n = 1..4) of the tokens, keyed by their space-joined text (tokens hold no spaces).
NgramCounts ngrams(const std::vector<std::string> &tokens)
{
    NgramCounts counts;
    for (std::size_t n = 1; n <= 4; ++n) {
        for (std::size_t i = 0; i + n <= tokens.size(); ++i) {
            std::string key = tokens[i];
            for (std::size_t k = 1; k < n; ++k) {
                key += ' ';
                key += tokens[i + k];
            }
            ++counts[key];
        }
    }
    return counts;
}

std::size_t orderOf(const std::string &key)
{
    std::size_t n = 1;
    for (char c : key) {
        n += c == ' ' ? 1 : 0;
    }
    return n;
}

std::vector<std::string> tokens(const std::string &text, const Bleu::Options &options)
{
    std::string s = options.lowercase ? EvalText::toLower(text) : text;
    if (options.tokenizer == Bleu::Tokenizer::Mteval13a) {
        s = Bleu::tokenize13a(s);
    }
    return EvalText::split(s);
}

struct SentenceStats
{
    std::array<std::int64_t, 4> counts{};
    std::array<std::int64_t, 4> totals{};
    std::int64_t hypLength = 0;
    std::int64_t refLength = 0;
};

SentenceStats statistics(const std::string &hypothesis, const std::vector<std::string> &references,
                         const Bleu::Options &options)
{
    SentenceStats st;
    const std::vector<std::string> hyp = tokens(hypothesis, options);
    st.hypLength = std::int64_t(hyp.size());
    NgramCounts maxRef;
    std::int64_t closestDiff = -1;
    for (const std::string &reference : references) {
        const std::vector<std::string> ref = tokens(reference, options);
        const auto len = std::int64_t(ref.size());
        const std::int64_t diff = std::llabs(len - st.hypLength);
        if (closestDiff < 0 || diff < closestDiff || (diff == closestDiff && len < st.refLength)) {
            closestDiff = diff;
            st.refLength = len;
        }
        for (const auto &[gram, count] : ngrams(ref)) {
            std::int64_t &m = maxRef[gram];
            m = std::max(m, count);
        }
    }
    for (const auto &[gram, count] : ngrams(hyp)) {
        const std::size_t n = orderOf(gram);
        st.totals[n - 1] += count;
        const auto it = maxRef.find(gram);
        if (it != maxRef.end()) {
            st.counts[n - 1] += std::min(count, it->second);
        }
    }
    return st;
}

} // namespace

std::string Bleu::tokenize13a(std::string_view line)
{
    std::string s(line);
    replaceAll(s, "<skipped>", "");
    replaceAll(s, "-\n", "");
    replaceAll(s, "\n", " ");
    if (s.find('&') != std::string::npos) {
        replaceAll(s, "&quot;", "\"");
        replaceAll(s, "&amp;", "&");
        replaceAll(s, "&lt;", "<");
        replaceAll(s, "&gt;", ">");
    }
    s = " " + s + " ";

    // The four regex substitutions of the reference tokenizer, each a left-to-right scan with
    // non-overlapping matches, as Python's re.sub does. Working on bytes gives the same result
    // for UTF-8: the classes only name ASCII bytes, and "[^0-9]" matching a lead or trailing
    // byte of a multi-byte character inserts the space at the same character boundary.
    std::string out;
    for (char c : s) {
        if (isSplitSymbol(c)) {
            out += ' ';
            out += c;
            out += ' ';
        } else {
            out += c;
        }
    }
    s.swap(out);
    out.clear();
    for (std::size_t i = 0; i < s.size();) {
        if (i + 1 < s.size() && !isDigit(s[i]) && (s[i + 1] == '.' || s[i + 1] == ',')) {
            out += s[i];
            out += ' ';
            out += s[i + 1];
            out += ' ';
            i += 2;
        } else {
            out += s[i++];
        }
    }
    s.swap(out);
    out.clear();
    for (std::size_t i = 0; i < s.size();) {
        if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && !isDigit(s[i + 1])) {
            out += ' ';
            out += s[i];
            out += ' ';
            out += s[i + 1];
            i += 2;
        } else {
            out += s[i++];
        }
    }
    s.swap(out);
    out.clear();
    for (std::size_t i = 0; i < s.size();) {
        if (i + 1 < s.size() && isDigit(s[i]) && s[i + 1] == '-') {
            out += s[i];
            out += " - ";
            i += 2;
        } else {
            out += s[i++];
        }
    }
    std::string joined;
    for (const std::string &token : EvalText::split(out)) {
        joined += (joined.empty() ? "" : " ") + token;
    }
    return joined;
}

BleuScore Bleu::fromStatistics(std::array<std::int64_t, 4> counts,
                               std::array<std::int64_t, 4> totals, std::int64_t hypLength,
                               std::int64_t refLength, const Options &options, bool effectiveOrder)
{
    BleuScore r;
    r.counts = counts;
    r.totals = totals;
    r.hypLength = hypLength;
    r.refLength = refLength;
    if (hypLength < refLength) {
        r.brevityPenalty
            = hypLength > 0 ? std::exp(1.0 - double(refLength) / double(hypLength)) : 0.0;
    } else {
        r.brevityPenalty = 1.0;
    }
    bool anyMatch = false;
    for (std::int64_t c : counts) {
        anyMatch = anyMatch || c != 0;
    }
    if (!anyMatch) {
        return r; // sacrebleu stops early: no match at any order scores 0
    }
    double smoothValue = options.smoothValue;
    if (smoothValue < 0) {
        smoothValue = options.smoothing == Smoothing::AddK ? 1.0 : 0.1;
    }
    std::array<double, 4> correct{};
    std::array<double, 4> total{};
    for (std::size_t i = 0; i < 4; ++i) {
        correct[i] = double(counts[i]);
        total[i] = double(totals[i]);
    }
    double smoothMteval = 1.0;
    std::size_t order = 4;
    for (std::size_t n = 1; n <= 4; ++n) {
        if (options.smoothing == Smoothing::AddK && n > 1) {
            correct[n - 1] += smoothValue;
            total[n - 1] += smoothValue;
        }
        if (total[n - 1] == 0) {
            break;
        }
        if (effectiveOrder) {
            order = n;
        }
        if (correct[n - 1] == 0) {
            if (options.smoothing == Smoothing::Exp) {
                smoothMteval *= 2;
                r.precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
            } else if (options.smoothing == Smoothing::Floor) {
                r.precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
            }
        } else {
            r.precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
        }
    }
    double logSum = 0.0;
    for (std::size_t i = 0; i < order; ++i) {
        // sacrebleu's my_log: log(0) is a huge negative number, so the score becomes 0.
        logSum += r.precisions[i] == 0.0 ? -9999999999.0 : std::log(r.precisions[i]);
    }
    r.score = r.brevityPenalty * std::exp(logSum / double(order));
    return r;
}

BleuScore Bleu::sentence(const std::string &hypothesis, const std::vector<std::string> &references,
                         const Options &options)
{
    const SentenceStats st = statistics(hypothesis, references, options);
    return fromStatistics(st.counts, st.totals, st.hypLength, st.refLength, options, true);
}

BleuScore Bleu::corpus(const std::vector<std::string> &hypotheses,
                       const std::vector<std::vector<std::string>> &references,
                       const Options &options)
{
    assert(hypotheses.size() == references.size());
    SentenceStats sum;
    for (std::size_t i = 0; i < hypotheses.size() && i < references.size(); ++i) {
        const SentenceStats st = statistics(hypotheses[i], references[i], options);
        for (std::size_t n = 0; n < 4; ++n) {
            sum.counts[n] += st.counts[n];
            sum.totals[n] += st.totals[n];
        }
        sum.hypLength += st.hypLength;
        sum.refLength += st.refLength;
    }
    return fromStatistics(sum.counts, sum.totals, sum.hypLength, sum.refLength, options, false);
}

BleuScore Bleu::sentence(const std::string &hypothesis, const std::vector<std::string> &references)
{
    return sentence(hypothesis, references, Options());
}

BleuScore Bleu::corpus(const std::vector<std::string> &hypotheses,
                       const std::vector<std::vector<std::string>> &references)
{
    return corpus(hypotheses, references, Options());
}

} // namespace fb
