#include <core/eval/judgescoreparser.h>

#include <core/common/value.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

namespace fb {

namespace {

constexpr std::size_t kQuoteBytes = 200;
constexpr double kEpsilon = 1e-9;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isAlpha(char c)
{
    // Bytes of multi-byte UTF-8 sequences count as letters: they belong to words.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || static_cast<unsigned char>(c) >= 0x80;
}

bool isAlnum(char c) { return isDigit(c) || isAlpha(c); }

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

/// Case-insensitive "does `word` start at `pos`".
bool startsWithWord(std::string_view s, std::size_t pos, std::string_view word)
{
    if (pos + word.size() > s.size()) {
        return false;
    }
    for (std::size_t k = 0; k < word.size(); ++k) {
        if (lower(s[pos + k]) != word[k]) {
            return false;
        }
    }
    return true;
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && isSpace(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && isSpace(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

std::string formatNumber(double x)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof(buf), x);
    return std::string(buf, r.ptr);
}

/// A number found in the reply, with the maximum it is given out of ("4/5", "4 out of 5").
struct NumberToken
{
    double value = 0.0;
    std::optional<double> outOf;
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// Reads an unsigned decimal (digits, optional .digits) at `pos`.
std::optional<std::pair<double, std::size_t>> readDecimal(std::string_view s, std::size_t pos)
{
    std::size_t j = pos;
    while (j < s.size() && isDigit(s[j])) {
        ++j;
    }
    if (j == pos) {
        return std::nullopt;
    }
    if (j + 1 < s.size() && s[j] == '.' && isDigit(s[j + 1])) {
        ++j;
        while (j < s.size() && isDigit(s[j])) {
            ++j;
        }
    }
    double value = 0.0;
    const auto r = std::from_chars(s.data() + pos, s.data() + j, value);
    if (r.ec != std::errc() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return std::make_pair(value, j);
}

/// Reads a signed number at `pos` and an optional "/ D" or "out of D" after it.
std::optional<NumberToken> readNumber(std::string_view s, std::size_t pos)
{
    bool negative = false;
    std::size_t j = pos;
    if (j < s.size() && (s[j] == '-' || s[j] == '+')) {
        negative = s[j] == '-';
        ++j;
    }
    const auto number = readDecimal(s, j);
    if (!number) {
        return std::nullopt;
    }
    NumberToken token;
    token.value = negative ? -number->first : number->first;
    token.begin = pos;
    token.end = number->second;
    std::size_t k = token.end;
    while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) {
        ++k;
    }
    std::size_t afterSeparator = std::string_view::npos;
    if (k < s.size() && s[k] == '/') {
        afterSeparator = k + 1;
    } else if (startsWithWord(s, k, "out of")) {
        afterSeparator = k + 6;
    }
    if (afterSeparator != std::string_view::npos) {
        k = afterSeparator;
        while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) {
            ++k;
        }
        if (const auto max = readDecimal(s, k)) {
            token.outOf = max->first;
            token.end = max->second;
        }
    }
    return token;
}

/// A "score"/"rating" label followed by its number.
struct LabelMatch
{
    NumberToken number;
    bool atLineStart = false; ///< only markup or final/overall before it, and ':' or '='
    std::size_t lineBegin = 0;
    std::size_t lineEnd = 0;
};

bool isMarkup(char c)
{
    return c == '*' || c == '_' || c == '"' || c == '\'' || c == '`' || c == '#' || c == '>'
           || c == '-' || c == '|' || c == '(' || c == ')' || c == '[' || c == ']' || isSpace(c);
}

/// True when [lineBegin, label) holds only markup and the words final/overall.
bool onlyMarkupBefore(std::string_view s, std::size_t lineBegin, std::size_t label)
{
    std::string words;
    for (std::size_t k = lineBegin; k < label; ++k) {
        if (!isMarkup(s[k])) {
            words.push_back(lower(s[k]));
        }
    }
    return words.empty() || words == "final" || words == "overall" || words == "finaloverall";
}

std::vector<LabelMatch> findLabels(std::string_view s)
{
    std::vector<LabelMatch> out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        std::size_t labelLength = 0;
        if (startsWithWord(s, i, "score")) {
            labelLength = 5;
        } else if (startsWithWord(s, i, "rating")) {
            labelLength = 6;
        }
        if (labelLength == 0 || (i > 0 && isAlnum(s[i - 1]))) {
            continue;
        }
        std::size_t j = i + labelLength;
        if (j < s.size() && isAlnum(s[j])) {
            continue; // "scores", "scored", "ratings"
        }
        const auto skipMarkup = [&] {
            while (j < s.size() && isMarkup(s[j]) && s[j] != '-') {
                ++j;
            }
        };
        skipMarkup();
        bool strong = false;
        if (j < s.size() && (s[j] == ':' || s[j] == '=')) {
            strong = true;
            ++j;
        } else {
            bool weak = false;
            for (std::string_view word : {"is", "of", "was"}) {
                if (startsWithWord(s, j, word)
                    && (j + word.size() >= s.size() || !isAlnum(s[j + word.size()]))) {
                    j += word.size();
                    weak = true;
                    break;
                }
            }
            if (!weak) {
                continue;
            }
        }
        skipMarkup();
        const auto number = readNumber(s, j);
        if (!number) {
            continue;
        }
        LabelMatch m;
        m.number = *number;
        m.lineBegin = s.rfind('\n', i);
        m.lineBegin = m.lineBegin == std::string_view::npos ? 0 : m.lineBegin + 1;
        m.lineEnd = s.find('\n', number->end);
        m.lineEnd = m.lineEnd == std::string_view::npos ? s.size() : m.lineEnd;
        m.atLineStart = strong && onlyMarkupBefore(s, m.lineBegin, i);
        out.push_back(m);
    }
    return out;
}

/// The last free-standing number ("4", "4/5", "4 out of 5"; not "gpt4", "4th", "1.2.3").
std::optional<NumberToken> lastNumber(std::string_view s)
{
    std::optional<NumberToken> last;
    std::size_t i = 0;
    while (i < s.size()) {
        const bool signStart
            = (s[i] == '-' || s[i] == '+') && i + 1 < s.size() && isDigit(s[i + 1]);
        if (!isDigit(s[i]) && !signStart) {
            ++i;
            continue;
        }
        const bool glued = i > 0 && (isAlnum(s[i - 1]) || s[i - 1] == '.');
        const auto token = readNumber(s, i);
        if (!token) {
            ++i;
            continue;
        }
        const std::size_t end = token->end;
        const bool gluedAfter
            = end < s.size()
              && (isAlpha(s[end]) || (s[end] == '.' && end + 1 < s.size() && isDigit(s[end + 1])));
        if (!glued && !gluedAfter) {
            last = token;
        }
        i = std::max(end, i + 1);
    }
    return last;
}

std::optional<NumberToken> numberFromJson(const Value &v)
{
    if (v.is_number()) {
        const double x = v.get<double>();
        if (!std::isfinite(x)) {
            return std::nullopt;
        }
        NumberToken t;
        t.value = x;
        return t;
    }
    if (v.is_string()) {
        const std::string_view text = trimmed(v.get_ref<const std::string &>());
        auto t = readNumber(text, 0);
        if (t && t->end == text.size()) {
            return t;
        }
    }
    return std::nullopt;
}

/// Parses `candidate` as a JSON object and reads its score and reasoning.
std::optional<JudgeVerdict> verdictFromJson(std::string_view candidate,
                                            std::optional<NumberToken> &number)
{
    const Value j = Value::parse(candidate, nullptr, false);
    if (!j.is_object()) {
        return std::nullopt;
    }
    std::optional<NumberToken> found;
    std::string reasoning;
    for (const auto &[key, value] : j.items()) {
        std::string k;
        for (const char c : key) {
            k.push_back(lower(c));
        }
        if (!found && (k == "score" || k == "rating")) {
            found = numberFromJson(value);
        } else if (reasoning.empty() && value.is_string()
                   && (k == "reasoning" || k == "explanation" || k == "reason" || k == "rationale"
                       || k == "justification")) {
            reasoning = value.get<std::string>();
        }
    }
    if (!found) {
        return std::nullopt;
    }
    number = found;
    JudgeVerdict v;
    v.score = found->value;
    v.reasoning = std::move(reasoning);
    return v;
}

std::optional<JudgeVerdict> findJson(std::string_view reply, std::optional<NumberToken> &number)
{
    const std::string_view whole = trimmed(reply);
    if (auto v = verdictFromJson(whole, number)) {
        return v;
    }
    if (const auto fence = reply.find("```"); fence != std::string_view::npos) {
        std::size_t begin = reply.find('\n', fence);
        const std::size_t end
            = begin == std::string_view::npos ? begin : reply.find("```", begin + 1);
        if (end != std::string_view::npos) {
            if (auto v = verdictFromJson(reply.substr(begin + 1, end - begin - 1), number)) {
                return v;
            }
        }
    }
    const std::size_t open = reply.find('{');
    const std::size_t close = reply.rfind('}');
    if (open != std::string_view::npos && close != std::string_view::npos && open < close) {
        return verdictFromJson(reply.substr(open, close - open + 1), number);
    }
    return std::nullopt;
}

Error failure(std::string_view what, std::string_view reply)
{
    std::string quote = JudgeScoreParser::truncate(trimmed(reply), kQuoteBytes);
    for (char &c : quote) {
        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
    }
    return Error(ErrorCode::Provider, std::string(what) + "; the judge replied: \"" + quote + "\"");
}

} // namespace

std::string JudgeScoreParser::truncate(std::string_view text, std::size_t max)
{
    if (text.size() <= max) {
        return std::string(text);
    }
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
        --cut; // do not split a UTF-8 sequence
    }
    return std::string(text.substr(0, cut)) + "...";
}

Result<JudgeVerdict> JudgeScoreParser::parse(std::string_view reply, double scaleMin,
                                             double scaleMax)
{
    if (trimmed(reply).empty()) {
        return Error(ErrorCode::Provider, "the judge returned an empty reply");
    }
    std::optional<NumberToken> number;
    std::optional<JudgeVerdict> verdict = findJson(reply, number);
    if (!verdict) {
        const std::vector<LabelMatch> labels = findLabels(reply);
        const LabelMatch *chosen = nullptr;
        for (const LabelMatch &m : labels) {
            if (m.atLineStart) {
                chosen = &m;
            }
        }
        if (chosen) {
            // The score line is not reasoning: keep the text around it.
            std::string rest(reply.substr(0, chosen->lineBegin));
            rest.append(reply.substr(chosen->lineEnd));
            verdict = JudgeVerdict{chosen->number.value, std::string(trimmed(rest))};
        } else if (!labels.empty()) {
            chosen = &labels.back();
            verdict = JudgeVerdict{chosen->number.value, std::string(trimmed(reply))};
        }
        if (chosen) {
            number = chosen->number;
        }
    }
    if (!verdict) {
        if (const auto last = lastNumber(reply)) {
            number = last;
            verdict = JudgeVerdict{last->value, std::string(trimmed(reply))};
        }
    }
    if (!verdict || !number) {
        return failure("no score found in the judge's reply", reply);
    }
    const std::string scale = "[" + formatNumber(scaleMin) + ", " + formatNumber(scaleMax) + "]";
    if (number->outOf && std::abs(*number->outOf - scaleMax) > kEpsilon) {
        return failure("the judge scored " + formatNumber(number->value) + " out of "
                           + formatNumber(*number->outOf) + ", but the scale is " + scale,
                       reply);
    }
    if (verdict->score < scaleMin - kEpsilon || verdict->score > scaleMax + kEpsilon) {
        return failure("the judge's score " + formatNumber(verdict->score)
                           + " is outside the scale " + scale,
                       reply);
    }
    verdict->score = std::clamp(verdict->score, scaleMin, scaleMax);
    return std::move(*verdict);
}

} // namespace fb
