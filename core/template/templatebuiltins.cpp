#include <algorithm>
#include <cerrno>
#include <cmath>
#include <core/template/pyformat_p.h>
#include <core/template/templatebuiltins_p.h>
#include <core/template/templaterenderer_p.h>
#include <core/template/unicodetext_p.h>
#include <cstdlib>
#include <random>
#include <unordered_map>

namespace fb::jinja {

// ---- CallArgs ---------------------------------------------------------------------------------

namespace {

std::string callableName(const CallArgs &args)
{
    std::string s = args.what;
    if (args.name != nullptr) {
        s += " '" + *args.name + "'";
    }
    return s;
}

} // namespace

void CallArgs::bind(std::initializer_list<std::string_view> names, const TemplateValue **out) const
{
    const std::size_t n = names.size();
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = nullptr;
    }
    if (positional.size() > n) {
        raiseError(callableName(*this) + " takes at most " + std::to_string(n) + " argument(s) ("
                   + std::to_string(positional.size()) + " given)");
    }
    for (std::size_t i = 0; i < positional.size(); ++i) {
        out[i] = &positional[i];
    }
    for (const auto &kw : keywords) {
        std::size_t index = 0;
        bool found = false;
        for (std::string_view name : names) {
            if (name == kw.first) {
                found = true;
                break;
            }
            ++index;
        }
        if (!found) {
            raiseError(callableName(*this) + " got an unexpected keyword argument '" + kw.first
                       + "'");
        }
        if (out[index] != nullptr) {
            raiseError(callableName(*this) + " got multiple values for argument '" + kw.first
                       + "'");
        }
        out[index] = &kw.second;
    }
}

void CallArgs::expectNone() const
{
    if (!positional.empty() || !keywords.empty()) {
        raiseError(callableName(*this) + " takes no arguments");
    }
}

namespace {

using TV = TemplateValue;

// ---- small helpers ----------------------------------------------------------------------------

std::string strOf(const TV &v) { return py::str(v); }

bool boolArg(const TV *v, bool fallback) { return v == nullptr ? fallback : py::truthy(*v); }

std::int64_t intArg(const TV *v, std::int64_t fallback, const char *what)
{
    if (v == nullptr || v->isNone()) {
        return fallback;
    }
    if (v->isIntegral()) {
        return v->intValue();
    }
    if (v->isUndefined()) {
        py::failUndefined(*v);
    }
    raiseError(std::string("'") + py::typeName(*v) + "' object cannot be interpreted as an integer"
               + (what[0] ? std::string(" (") + what + ")" : std::string()));
}

std::string stringArg(const TV *v, std::string fallback)
{
    return v == nullptr ? std::move(fallback) : strOf(*v);
}

TV lowerIfString(const TV &v)
{
    if (v.isStr()) {
        return TV::string(UnicodeText::lower(v.str()));
    }
    return v;
}

TV withSafe(TV v, bool safe)
{
    v.setSafe(safe);
    return v;
}

std::vector<TV> sortValues(std::vector<TV> items, const std::vector<TV> &keys, bool reverse)
{
    std::vector<std::size_t> order(items.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        // Python's sorted(reverse=True) keeps equal elements in their original order.
        return reverse ? py::compare(keys[b], keys[a], "<") == -1
                       : py::compare(keys[a], keys[b], "<") == -1;
    });
    std::vector<TV> out;
    out.reserve(items.size());
    for (std::size_t i : order) {
        out.push_back(std::move(items[i]));
    }
    return out;
}

/// Python str.split(sep, maxsplit) / rsplit.
std::vector<TV> splitString(const std::string &s, const TV *sep, std::int64_t maxsplit,
                            bool fromRight)
{
    std::vector<std::string> parts;
    if (sep == nullptr || sep->isNone()) {
        // Whitespace split: runs of whitespace, no empty strings.
        std::vector<std::pair<std::size_t, std::size_t>> words;
        std::size_t pos = 0;
        std::size_t wordStart = std::string::npos;
        while (pos < s.size()) {
            std::size_t p = pos;
            const char32_t cp = UnicodeText::decode(s, p);
            if (UnicodeText::isSpace(cp)) {
                if (wordStart != std::string::npos) {
                    words.emplace_back(wordStart, pos);
                    wordStart = std::string::npos;
                }
            } else if (wordStart == std::string::npos) {
                wordStart = pos;
            }
            pos = p;
        }
        if (wordStart != std::string::npos) {
            words.emplace_back(wordStart, s.size());
        }
        if (maxsplit < 0 || static_cast<std::size_t>(maxsplit) + 1 >= words.size()) {
            for (const auto &w : words) {
                parts.push_back(s.substr(w.first, w.second - w.first));
            }
        } else if (!fromRight) {
            for (std::int64_t i = 0; i < maxsplit; ++i) {
                parts.push_back(s.substr(words[static_cast<std::size_t>(i)].first,
                                         words[static_cast<std::size_t>(i)].second
                                             - words[static_cast<std::size_t>(i)].first));
            }
            std::string rest = s.substr(words[static_cast<std::size_t>(maxsplit)].first);
            parts.push_back(std::string(UnicodeText::strip(rest, false, true)));
        } else {
            const std::size_t keep = words.size() - static_cast<std::size_t>(maxsplit);
            std::string head = s.substr(0, words[keep - 1].second);
            parts.push_back(std::string(UnicodeText::strip(head, true, false)));
            for (std::size_t i = keep; i < words.size(); ++i) {
                parts.push_back(s.substr(words[i].first, words[i].second - words[i].first));
            }
        }
    } else {
        if (!sep->isStr()) {
            raiseError("must be str or None, not " + py::typeName(*sep));
        }
        const std::string &d = sep->str();
        if (d.empty()) {
            raiseError("empty separator");
        }
        if (!fromRight) {
            std::size_t start = 0;
            std::int64_t splits = 0;
            while (maxsplit < 0 || splits < maxsplit) {
                const std::size_t at = s.find(d, start);
                if (at == std::string::npos) {
                    break;
                }
                parts.push_back(s.substr(start, at - start));
                start = at + d.size();
                ++splits;
            }
            parts.push_back(s.substr(start));
        } else {
            std::size_t end = s.size();
            std::int64_t splits = 0;
            std::vector<std::string> rev;
            while (maxsplit < 0 || splits < maxsplit) {
                if (end < d.size()) {
                    break;
                }
                const std::size_t at = s.rfind(d, end - d.size());
                if (at == std::string::npos) {
                    break;
                }
                rev.push_back(s.substr(at + d.size(), end - at - d.size()));
                end = at;
                ++splits;
            }
            rev.push_back(s.substr(0, end));
            parts.assign(rev.rbegin(), rev.rend());
        }
    }
    std::vector<TV> out;
    out.reserve(parts.size());
    for (std::string &p : parts) {
        out.push_back(TV::string(std::move(p)));
    }
    return out;
}

std::string replaceAll(const std::string &s, const std::string &from, const std::string &to,
                       std::int64_t count)
{
    std::string out;
    if (from.empty()) {
        // Python inserts `to` before every character and at the end.
        std::int64_t done = 0;
        std::size_t pos = 0;
        while (pos <= s.size()) {
            if (count < 0 || done < count) {
                out += to;
                ++done;
            }
            if (pos == s.size()) {
                break;
            }
            const std::size_t start = pos;
            UnicodeText::decode(s, pos);
            out.append(s, start, pos - start);
        }
        return out;
    }
    std::size_t start = 0;
    std::int64_t done = 0;
    while (count < 0 || done < count) {
        const std::size_t at = s.find(from, start);
        if (at == std::string::npos) {
            break;
        }
        out.append(s, start, at - start);
        out += to;
        start = at + from.size();
        ++done;
    }
    out.append(s, start, std::string::npos);
    return out;
}

std::vector<std::string> splitLines(const std::string &s, bool keepEnds)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t p = pos;
        const char32_t cp = UnicodeText::decode(s, p);
        const bool isBreak = cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x1C
                             || cp == 0x1D || cp == 0x1E || cp == 0x85 || cp == 0x2028
                             || cp == 0x2029;
        if (!isBreak) {
            pos = p;
            continue;
        }
        std::size_t end = p;
        if (cp == '\r' && end < s.size() && s[end] == '\n') {
            ++end;
        }
        lines.push_back(s.substr(start, (keepEnds ? end : pos) - start));
        start = end;
        pos = end;
    }
    if (start < s.size()) {
        lines.push_back(s.substr(start));
    }
    return lines;
}

bool isCasedAll(const std::string &s, bool wantUpper)
{
    bool cased = false;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char32_t cp = UnicodeText::decode(s, pos);
        const bool up = UnicodeText::isUpper(cp);
        const bool lo = UnicodeText::isLower(cp);
        if (wantUpper ? lo : up) {
            return false;
        }
        if (up || lo) {
            cased = true;
        }
    }
    return cased;
}

std::string pyTitle(const std::string &s)
{
    // Python str.title(): a letter after a non-letter starts a word.
    std::string out;
    bool prevCased = false;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char32_t cp = UnicodeText::decode(s, pos);
        const bool cased = UnicodeText::isUpper(cp) || UnicodeText::isLower(cp);
        if (cased) {
            if (prevCased) {
                UnicodeText::appendLower(out, cp);
            } else {
                UnicodeText::appendUpper(out, cp);
            }
        } else {
            UnicodeText::append(out, cp);
        }
        prevCased = cased;
    }
    return out;
}

std::string jinjaTitle(const std::string &s)
{
    // Jinja2's title: split on runs of [-\s({\[<]; each piece gets its first character upper
    // cased and the rest lower cased.
    auto isSep = [](char32_t cp) {
        return cp == '-' || cp == '(' || cp == '{' || cp == '[' || cp == '<'
               || UnicodeText::isSpace(cp);
    };
    std::string out;
    bool atStart = true;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t start = pos;
        const char32_t cp = UnicodeText::decode(s, pos);
        if (isSep(cp)) {
            out.append(s, start, pos - start);
            atStart = true;
            continue;
        }
        if (atStart) {
            UnicodeText::appendUpper(out, cp);
            atStart = false;
        } else {
            UnicodeText::appendLower(out, cp);
        }
    }
    return out;
}

std::string centerString(const std::string &s, std::int64_t width, const std::string &fill,
                         char mode)
{
    const auto len = static_cast<std::int64_t>(UnicodeText::length(s));
    if (width <= len) {
        return s;
    }
    const std::int64_t marg = width - len;
    std::int64_t left = 0;
    if (mode == 'c') {
        left = marg / 2 + (marg & width & 1);
    } else if (mode == 'r') {
        left = marg;
    }
    const std::int64_t right = marg - left;
    std::string out;
    for (std::int64_t i = 0; i < left; ++i) {
        out += fill;
    }
    out += s;
    for (std::int64_t i = 0; i < right; ++i) {
        out += fill;
    }
    return out;
}

bool parsePyFloat(std::string_view text, double &out)
{
    std::string_view s = UnicodeText::strip(text, true, true);
    std::string cleaned;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '_') {
            if (i == 0 || i + 1 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i - 1]))
                || !std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
                return false;
            }
            continue;
        }
        cleaned.push_back(c);
    }
    if (cleaned.empty()) {
        return false;
    }
    std::string lowered;
    for (char c : cleaned) {
        lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    std::string_view body = lowered;
    double sign = 1.0;
    if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
        sign = body[0] == '-' ? -1.0 : 1.0;
        body.remove_prefix(1);
    }
    if (body == "inf" || body == "infinity") {
        out = sign * HUGE_VAL;
        return true;
    }
    if (body == "nan") {
        out = std::nan("");
        return true;
    }
    for (char c : body) {
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '+'
              || c == '-')) {
            return false;
        }
    }
    if (body.empty() || body.find_first_of("0123456789") == std::string_view::npos) {
        return false;
    }
    char *end = nullptr;
    errno = 0;
    const double v = std::strtod(cleaned.c_str(), &end);
    if (end != cleaned.c_str() + cleaned.size()) {
        return false;
    }
    out = v;
    return true;
}

bool parsePyInt(std::string_view text, int base, std::int64_t &out)
{
    std::string_view s = UnicodeText::strip(text, true, true);
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.size() > 1 && s[0] == '0') {
        const char p = static_cast<char>(std::tolower(static_cast<unsigned char>(s[1])));
        const int prefixBase = p == 'x' ? 16 : (p == 'o' ? 8 : (p == 'b' ? 2 : 0));
        if (prefixBase != 0 && (base == 0 || base == prefixBase)) {
            base = prefixBase;
            s.remove_prefix(2);
            if (!s.empty() && s[0] == '_') {
                s.remove_prefix(1);
            }
        }
    }
    if (base == 0) {
        base = 10;
        if (s.size() > 1 && s[0] == '0' && s.find_first_not_of("0_") != std::string_view::npos) {
            return false;
        }
    }
    if (s.empty()) {
        return false;
    }
    std::string digits;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '_') {
            if (i == 0 || i + 1 >= s.size() || s[i + 1] == '_') {
                return false;
            }
            continue;
        }
        const int d = std::isdigit(static_cast<unsigned char>(c))
                          ? c - '0'
                          : (std::isalpha(static_cast<unsigned char>(c))
                                 ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                 : 99);
        if (d >= base) {
            return false;
        }
        digits.push_back(c);
    }
    errno = 0;
    const unsigned long long v = std::strtoull(digits.c_str(), nullptr, base);
    if (errno == ERANGE
        || v > static_cast<unsigned long long>(INT64_MAX) + (negative ? 1ULL : 0ULL)) {
        raiseError("integer value out of range (template integers are 64-bit)");
    }
    out = negative ? static_cast<std::int64_t>(0ULL - v) : static_cast<std::int64_t>(v);
    return true;
}

TV itemsOf(const TV &value)
{
    std::vector<TV> out;
    if (value.kind() == ValKind::JsonObject) {
        for (const auto &entry : value.json().get_ref<const Value::object_t &>()) {
            out.push_back(TV::list({TV::borrowed(&entry.first), TV::fromJson(entry.second)}, true));
        }
    } else if (value.kind() == ValKind::Dict) {
        for (const auto &entry : value.dictObject().items) {
            out.push_back(TV::list({entry.first, entry.second}, true));
        }
    }
    return TV::list(std::move(out));
}

std::string urlQuote(const std::string &s, bool forQuery)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~'
            || (c == '/' && !forQuery)) {
            out.push_back(static_cast<char>(c));
        } else if (c == ' ' && forQuery) {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

std::string unescapeHtml(const std::string &s)
{
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s[i] != '&') {
            out.push_back(s[i++]);
            continue;
        }
        const std::size_t semi = s.find(';', i);
        if (semi == std::string::npos || semi - i > 10) {
            out.push_back(s[i++]);
            continue;
        }
        const std::string entity = s.substr(i + 1, semi - i - 1);
        char32_t cp = 0;
        if (entity == "amp") {
            cp = '&';
        } else if (entity == "lt") {
            cp = '<';
        } else if (entity == "gt") {
            cp = '>';
        } else if (entity == "quot") {
            cp = '"';
        } else if (entity == "apos") {
            cp = '\'';
        } else if (entity == "nbsp") {
            cp = 0xA0;
        } else if (entity.size() > 1 && entity[0] == '#') {
            const bool hexForm = entity[1] == 'x' || entity[1] == 'X';
            cp = static_cast<char32_t>(
                std::strtoul(entity.c_str() + (hexForm ? 2 : 1), nullptr, hexForm ? 16 : 10));
        }
        if (cp == 0) {
            out.push_back(s[i++]);
            continue;
        }
        UnicodeText::append(out, cp);
        i = semi + 1;
    }
    return out;
}

// ---- filters ----------------------------------------------------------------------------------

TV fAbs(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.isFloat()) {
        return TV::real(std::fabs(v.floatValue()));
    }
    if (v.isIntegral()) {
        const std::int64_t i = v.intValue();
        if (i == INT64_MIN) {
            raiseError("integer overflow (template integers are 64-bit)");
        }
        return TV::integer(i < 0 ? -i : i);
    }
    if (v.isUndefined()) {
        py::failUndefined(v);
    }
    raiseError("bad operand type for abs(): '" + py::typeName(v) + "'");
}

TV fAttr(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"name"}, a);
    if (a[0] == nullptr) {
        raiseError("attr() missing required argument 'name'");
    }
    const std::string name = strOf(*a[0]);
    if (v.isUndefined()) {
        py::failUndefined(v);
    }
    if (v.kind() == ValKind::Namespace || v.kind() == ValKind::Loop || v.kind() == ValKind::Range
        || TemplateBuiltins::hasMethod(v, name) || name.rfind("__", 0) == 0) {
        return r.getAttr(v, name);
    }
    return TV::undefinedWith(name, py::objectTypeRepr(v), false);
}

TV fBatch(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"linecount", "fill_with"}, a);
    const std::int64_t n = intArg(a[0], 0, "");
    if (n <= 0) {
        raiseError("batch() needs a positive line count");
    }
    std::vector<TV> out;
    std::vector<TV> tmp;
    for (TV &item : py::toList(v)) {
        if (static_cast<std::int64_t>(tmp.size()) == n) {
            out.push_back(TV::list(std::move(tmp)));
            tmp.clear();
        }
        tmp.push_back(std::move(item));
    }
    if (!tmp.empty()) {
        if (a[1] != nullptr && !a[1]->isNone()) {
            while (static_cast<std::int64_t>(tmp.size()) < n) {
                tmp.push_back(*a[1]);
            }
        }
        out.push_back(TV::list(std::move(tmp)));
    }
    return TV::list(std::move(out));
}

TV fCapitalize(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return TV::string(UnicodeText::capitalize(strOf(v)));
}

TV fCenter(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"width"}, a);
    const std::int64_t width = intArg(a[0], 80, "");
    r.checkSize(static_cast<std::size_t>(std::max<std::int64_t>(0, width)));
    return TV::string(centerString(strOf(v), width, " ", 'c'));
}

TV fLength(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return TV::integer(static_cast<std::int64_t>(py::length(v)));
}

TV fDefault(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"default_value", "boolean"}, a);
    if (v.isUndefined() || (boolArg(a[1], false) && !py::truthy(v))) {
        return a[0] != nullptr ? *a[0] : TV::string(std::string());
    }
    return v;
}

TV fDictsort(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[3];
    args.bind({"case_sensitive", "by", "reverse"}, a);
    const bool caseSensitive = boolArg(a[0], false);
    const std::string by = stringArg(a[1], "key");
    const bool reverse = boolArg(a[2], false);
    if (by != "key" && by != "value") {
        raiseError("You can only sort by either \"key\" or \"value\"");
    }
    if (!v.isMapping()) {
        raiseError("'" + py::typeName(v) + "' object has no attribute 'items'");
    }
    const TV itemList = itemsOf(v);
    std::vector<TV> items = itemList.listObject().items;
    std::vector<TV> keys;
    keys.reserve(items.size());
    const std::size_t pos = by == "key" ? 0 : 1;
    for (const TV &item : items) {
        const TV &k = item.listObject().items[pos];
        keys.push_back(caseSensitive ? k : lowerIfString(k));
    }
    return TV::list(sortValues(std::move(items), keys, reverse));
}

TV fEscape(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.isSafe() && v.isStr()) {
        return v;
    }
    return withSafe(TV::string(TemplateBuiltins::escapeHtml(strOf(v))), true);
}

TV fForceEscape(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return withSafe(TV::string(TemplateBuiltins::escapeHtml(strOf(v))), true);
}

TV fFilesizeformat(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"binary"}, a);
    const bool binary = boolArg(a[0], false);
    double bytes = 0;
    if (v.isNumber()) {
        bytes = v.floatValue();
    } else if (!v.isStr() || !parsePyFloat(v.str(), bytes)) {
        raiseError("could not convert " + py::typeName(v) + " to float");
    }
    const double base = binary ? 1024.0 : 1000.0;
    static const char *dec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    static const char *bin[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    if (bytes == 1) {
        return TV::string("1 Byte");
    }
    if (bytes < base) {
        return TV::string(std::to_string(static_cast<std::int64_t>(bytes)) + " Bytes");
    }
    double unit = base;
    const char *prefix = binary ? bin[0] : dec[0];
    for (int i = 0; i < 8; ++i) {
        unit = std::pow(base, i + 2);
        prefix = binary ? bin[i] : dec[i];
        if (bytes < unit) {
            break;
        }
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f %s", base * bytes / unit, prefix);
    return TV::string(buf);
}

TV fFirst(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.kind() == ValKind::JsonArray && !v.json().empty()) {
        return TV::fromJson(v.json().front());
    }
    std::vector<TV> items = py::toList(v);
    if (items.empty()) {
        return TV::undefinedHint("No first item, sequence was empty.");
    }
    return items.front();
}

TV fLast(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.isUndefined()) {
        raiseError("'Undefined' object is not reversible");
    }
    std::vector<TV> items = py::toList(v);
    if (items.empty()) {
        return TV::undefinedHint("No last item, sequence was empty.");
    }
    return items.back();
}

TV fFloat(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"default"}, a);
    if (v.isUndefined()) {
        py::failUndefined(v);
    }
    if (v.isNumber()) {
        return TV::real(v.floatValue());
    }
    double f = 0;
    if (v.isStr() && parsePyFloat(v.str(), f)) {
        return TV::real(f);
    }
    return a[0] != nullptr ? *a[0] : TV::real(0.0);
}

TV fInt(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"default", "base"}, a);
    const TV fallback = a[0] != nullptr ? *a[0] : TV::integer(0);
    if (v.isUndefined()) {
        py::failUndefined(v);
    }
    if (v.isIntegral()) {
        return TV::integer(v.intValue());
    }
    if (v.isFloat()) {
        const double f = v.floatValue();
        if (std::isnan(f)) {
            return fallback;
        }
        if (std::isinf(f) || std::fabs(f) >= 9.2e18) {
            raiseError("cannot convert float infinity or huge value to a 64-bit integer");
        }
        return TV::integer(static_cast<std::int64_t>(std::trunc(f)));
    }
    if (v.isStr()) {
        const std::int64_t base = intArg(a[1], 10, "");
        std::int64_t i = 0;
        if (parsePyInt(v.str(), static_cast<int>(base), i)) {
            return TV::integer(i);
        }
        double f = 0;
        if (parsePyFloat(v.str(), f) && !std::isnan(f)) {
            if (std::isinf(f) || std::fabs(f) >= 9.2e18) {
                raiseError("cannot convert float infinity or huge value to a 64-bit integer");
            }
            return TV::integer(static_cast<std::int64_t>(std::trunc(f)));
        }
    }
    return fallback;
}

TV fFormat(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    if (!args.positional.empty() && !args.keywords.empty()) {
        raiseError("can't handle positional and keyword arguments at the same time");
    }
    TV params;
    if (!args.keywords.empty()) {
        auto dict = std::make_shared<DictObject>();
        for (const auto &kw : args.keywords) {
            dict->set(TV::string(kw.first), kw.second);
        }
        params = TV::dict(std::move(dict));
    } else {
        params = TV::list(args.positional, true);
    }
    std::string out = PyFormat::percent(strOf(v), params);
    r.checkSize(out.size());
    return TV::string(std::move(out));
}

TV fGroupby(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[3];
    args.bind({"attribute", "default", "case_sensitive"}, a);
    if (a[0] == nullptr) {
        raiseError("groupby() missing required argument 'attribute'");
    }
    const bool caseSensitive = boolArg(a[2], false);
    std::vector<TV> items = py::toList(v);
    std::vector<TV> keys;
    std::vector<TV> rawKeys;
    for (const TV &item : items) {
        TV k = r.getPath(item, *a[0]);
        if (k.isUndefined() && a[1] != nullptr) {
            k = *a[1];
        }
        rawKeys.push_back(k);
        keys.push_back(caseSensitive ? k : lowerIfString(k));
    }
    std::vector<std::size_t> order(items.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return py::compare(keys[x], keys[y], "<") == -1;
    });
    std::vector<TV> groups;
    std::size_t i = 0;
    while (i < order.size()) {
        std::vector<TV> members;
        const TV &key = keys[order[i]];
        const TV grouper = rawKeys[order[i]];
        std::size_t j = i;
        while (j < order.size() && py::equals(keys[order[j]], key)) {
            members.push_back(items[order[j]]);
            ++j;
        }
        TV group = TV::list({grouper, TV::list(std::move(members))}, true);
        group.listObject().groupTuple = true;
        groups.push_back(std::move(group));
        i = j;
    }
    return TV::list(std::move(groups));
}

TV fIndent(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[3];
    args.bind({"width", "first", "blank"}, a);
    std::string indention;
    if (a[0] != nullptr && a[0]->isStr()) {
        indention = a[0]->str();
    } else {
        const std::int64_t w = intArg(a[0], 4, "");
        r.checkSize(static_cast<std::size_t>(std::max<std::int64_t>(0, w)));
        indention.assign(static_cast<std::size_t>(std::max<std::int64_t>(0, w)), ' ');
    }
    const bool first = boolArg(a[1], false);
    const bool blank = boolArg(a[2], false);
    std::string s = strOf(v) + "\n";
    std::vector<std::string> lines = splitLines(s, false);
    std::string out;
    if (blank) {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i > 0) {
                out += "\n" + indention;
            }
            out += lines[i];
        }
    } else {
        out = lines.empty() ? std::string() : lines[0];
        for (std::size_t i = 1; i < lines.size(); ++i) {
            out += "\n";
            if (!lines[i].empty()) {
                out += indention;
            }
            out += lines[i];
        }
    }
    if (first) {
        out = indention + out;
    }
    r.checkSize(out.size());
    TV result = TV::string(std::move(out));
    result.setSafe(v.isSafe());
    return result;
}

TV fItems(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.isUndefined()) {
        return TV::list({});
    }
    if (!v.isMapping()) {
        raiseError("Can only get item pairs from a mapping.");
    }
    return itemsOf(v);
}

TV fJoin(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"d", "attribute"}, a);
    const std::string sep = a[0] != nullptr ? strOf(*a[0]) : std::string();
    std::string out;
    bool first = true;
    py::forEach(v, [&](const TV &item) {
        if (!first) {
            out += sep;
        }
        first = false;
        if (a[1] != nullptr && !a[1]->isNone()) {
            py::appendStr(out, r.getPath(item, *a[1]));
        } else {
            py::appendStr(out, item);
        }
        r.checkSize(out.size());
        return true;
    });
    return TV::string(std::move(out));
}

TV fList(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return TV::list(py::toList(v));
}

TV fLower(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return TV::string(UnicodeText::lower(strOf(v)));
}

TV fUpper(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return TV::string(UnicodeText::upper(strOf(v)));
}

TV fMap(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    std::vector<TV> out;
    if (!py::truthy(v)) {
        return TV::list({});
    }
    std::vector<TV> items = py::toList(v);
    const TV *attribute = nullptr;
    const TV *fallback = nullptr;
    for (const auto &kw : args.keywords) {
        if (kw.first == "attribute") {
            attribute = &kw.second;
        } else if (kw.first == "default") {
            fallback = &kw.second;
        }
    }
    if (args.positional.empty() && attribute != nullptr) {
        for (const auto &kw : args.keywords) {
            if (kw.first != "attribute" && kw.first != "default") {
                raiseError("Unexpected keyword argument '" + kw.first + "'");
            }
        }
        for (const TV &item : items) {
            TV value = r.getPath(item, *attribute);
            if (fallback != nullptr && value.isUndefined()) {
                value = *fallback;
            }
            out.push_back(std::move(value));
        }
        return TV::list(std::move(out));
    }
    if (args.positional.empty()) {
        raiseError("map requires a filter argument");
    }
    const std::string name = strOf(args.positional[0]);
    std::vector<TV> rest(args.positional.begin() + 1, args.positional.end());
    auto keywords = args.keywords;
    for (const TV &item : items) {
        CallArgs &inner = r.acquireArgs();
        inner.what = "filter";
        inner.name = &name;
        inner.positional = rest;
        inner.keywords = keywords;
        try {
            out.push_back(r.callFilter(name, item, inner));
        } catch (...) {
            r.releaseArgs();
            throw;
        }
        r.releaseArgs();
    }
    return TV::list(std::move(out));
}

TV minMax(TemplateRenderer &r, const TV &v, CallArgs &args, bool wantMax)
{
    const TV *a[2];
    args.bind({"case_sensitive", "attribute"}, a);
    const bool caseSensitive = boolArg(a[0], false);
    std::vector<TV> items = py::toList(v);
    if (items.empty()) {
        return TV::undefinedHint("No aggregated item, sequence was empty.");
    }
    auto keyOf = [&](const TV &item) {
        TV k = (a[1] != nullptr && !a[1]->isNone()) ? r.getPath(item, *a[1]) : item;
        return caseSensitive ? k : lowerIfString(k);
    };
    std::size_t best = 0;
    TV bestKey = keyOf(items[0]);
    for (std::size_t i = 1; i < items.size(); ++i) {
        TV k = keyOf(items[i]);
        const int c = py::compare(k, bestKey, wantMax ? ">" : "<");
        if ((wantMax && c == 1) || (!wantMax && c == -1)) {
            best = i;
            bestKey = k;
        }
    }
    return items[best];
}

TV fMax(TemplateRenderer &r, const TV &v, CallArgs &args) { return minMax(r, v, args, true); }

TV fMin(TemplateRenderer &r, const TV &v, CallArgs &args) { return minMax(r, v, args, false); }

TV fPprint(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return TV::string(py::repr(v));
}

TV selectOrReject(TemplateRenderer &r, const TV &v, CallArgs &args, bool select, bool lookupAttr)
{
    if (!py::truthy(v)) {
        return TV::list({});
    }
    std::size_t off = 0;
    TV attr;
    if (lookupAttr) {
        if (args.positional.empty()) {
            raiseError("Missing parameter for attribute name");
        }
        attr = args.positional[0];
        off = 1;
    }
    std::string testName;
    bool haveTest = args.positional.size() > off;
    if (haveTest) {
        testName = strOf(args.positional[off]);
    }
    std::vector<TV> testArgs;
    if (haveTest) {
        testArgs.assign(args.positional.begin() + static_cast<std::ptrdiff_t>(off + 1),
                        args.positional.end());
    }
    std::vector<TV> out;
    for (const TV &item : py::toList(v)) {
        TV subject = lookupAttr ? r.getPath(item, attr) : item;
        bool result = false;
        if (haveTest) {
            CallArgs &inner = r.acquireArgs();
            inner.what = "test";
            inner.name = &testName;
            inner.positional = testArgs;
            inner.keywords = args.keywords;
            try {
                result = r.callTest(testName, subject, inner);
            } catch (...) {
                r.releaseArgs();
                throw;
            }
            r.releaseArgs();
        } else {
            result = py::truthy(subject);
        }
        if (result == select) {
            out.push_back(item);
        }
    }
    return TV::list(std::move(out));
}

TV fSelect(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    return selectOrReject(r, v, args, true, false);
}
TV fReject(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    return selectOrReject(r, v, args, false, false);
}
TV fSelectattr(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    return selectOrReject(r, v, args, true, true);
}
TV fRejectattr(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    return selectOrReject(r, v, args, false, true);
}

TV fReplace(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[3];
    args.bind({"old", "new", "count"}, a);
    if (a[0] == nullptr || a[1] == nullptr) {
        raiseError("replace() needs the old and the new text");
    }
    const std::int64_t count = intArg(a[2], -1, "");
    std::string out = replaceAll(strOf(v), strOf(*a[0]), strOf(*a[1]), count);
    r.checkSize(out.size());
    return TV::string(std::move(out));
}

TV fReverse(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.isStr()) {
        std::vector<TV> chars = py::toList(v);
        std::string out;
        out.reserve(v.str().size());
        for (auto it = chars.rbegin(); it != chars.rend(); ++it) {
            out += it->str();
        }
        return TV::string(std::move(out));
    }
    if (!py::isIterable(v) || v.isUndefined()) {
        raiseError("argument must be iterable");
    }
    std::vector<TV> items = py::toList(v);
    std::reverse(items.begin(), items.end());
    return TV::list(std::move(items));
}

double pyRound(double x, std::int64_t ndigits)
{
    if (!std::isfinite(x)) {
        return x;
    }
    if (ndigits >= 0) {
        if (ndigits > 300) {
            return x;
        }
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(ndigits), x);
        return std::strtod(buf, nullptr);
    }
    const double p = std::pow(10.0, static_cast<double>(-ndigits));
    return std::nearbyint(x / p) * p;
}

TV fRound(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"precision", "method"}, a);
    const std::string method = stringArg(a[1], "common");
    if (method != "common" && method != "ceil" && method != "floor") {
        raiseError("method must be common, ceil or floor");
    }
    const std::int64_t precision = intArg(a[0], 0, "");
    if (!v.isNumber()) {
        if (v.isUndefined()) {
            py::failUndefined(v);
        }
        raiseError("type " + py::typeName(v) + " doesn't define __round__ method");
    }
    if (method == "common") {
        if (v.isIntegral()) {
            if (precision >= 0) {
                return TV::integer(v.intValue());
            }
            return TV::integer(static_cast<std::int64_t>(pyRound(v.floatValue(), precision)));
        }
        return TV::real(pyRound(v.floatValue(), precision));
    }
    const double p = std::pow(10.0, static_cast<double>(precision));
    const double scaled = v.floatValue() * p;
    return TV::real((method == "ceil" ? std::ceil(scaled) : std::floor(scaled)) / p);
}

TV fSafe(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return withSafe(v.isStr() ? v : TV::string(strOf(v)), true);
}

TV fSlice(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"slices", "fill_with"}, a);
    const std::int64_t slices = intArg(a[0], 0, "");
    if (slices <= 0) {
        raiseError("slice() needs a positive number of slices");
    }
    std::vector<TV> seq = py::toList(v);
    const auto length = static_cast<std::int64_t>(seq.size());
    const std::int64_t perSlice = length / slices;
    const std::int64_t withExtra = length % slices;
    std::int64_t offset = 0;
    std::vector<TV> out;
    for (std::int64_t n = 0; n < slices; ++n) {
        const std::int64_t start = offset + n * perSlice;
        if (n < withExtra) {
            ++offset;
        }
        const std::int64_t end = offset + (n + 1) * perSlice;
        std::vector<TV> tmp(seq.begin() + start, seq.begin() + end);
        if (a[1] != nullptr && !a[1]->isNone() && n >= withExtra) {
            tmp.push_back(*a[1]);
        }
        out.push_back(TV::list(std::move(tmp)));
    }
    return TV::list(std::move(out));
}

TV fSort(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[3];
    args.bind({"reverse", "case_sensitive", "attribute"}, a);
    const bool reverse = boolArg(a[0], false);
    const bool caseSensitive = boolArg(a[1], false);
    std::vector<TV> items = py::toList(v);
    std::vector<std::string> attrs;
    if (a[2] != nullptr && !a[2]->isNone()) {
        if (a[2]->isStr()) {
            const std::string &s = a[2]->str();
            std::size_t start = 0;
            while (true) {
                const std::size_t comma = s.find(',', start);
                attrs.push_back(s.substr(start, comma == std::string::npos ? std::string::npos
                                                                           : comma - start));
                if (comma == std::string::npos) {
                    break;
                }
                start = comma + 1;
            }
        } else {
            attrs.push_back(strOf(*a[2]));
        }
    }
    std::vector<TV> keys;
    keys.reserve(items.size());
    for (const TV &item : items) {
        std::vector<TV> parts;
        if (attrs.empty()) {
            parts.push_back(caseSensitive ? item : lowerIfString(item));
        } else {
            for (const std::string &attr : attrs) {
                TV k = r.getPath(item, a[2]->isStr() ? TV::string(attr) : *a[2]);
                parts.push_back(caseSensitive ? k : lowerIfString(k));
            }
        }
        keys.push_back(TV::list(std::move(parts)));
    }
    return TV::list(sortValues(std::move(items), keys, reverse));
}

TV fString(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.isStr()) {
        return v;
    }
    return TV::string(strOf(v));
}

TV fStriptags(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    std::string s = strOf(v);
    std::string stripped;
    std::size_t i = 0;
    while (i < s.size()) {
        if (s.compare(i, 4, "<!--") == 0) {
            const std::size_t end = s.find("-->", i + 4);
            if (end == std::string::npos) {
                stripped.append(s, i, std::string::npos);
                break;
            }
            i = end + 3;
            continue;
        }
        if (s[i] == '<') {
            const std::size_t end = s.find('>', i + 1);
            if (end == std::string::npos) {
                stripped.append(s, i, std::string::npos);
                break;
            }
            i = end + 1;
            continue;
        }
        stripped.push_back(s[i++]);
    }
    std::vector<TV> words = splitString(stripped, nullptr, -1, false);
    std::string joined;
    for (std::size_t k = 0; k < words.size(); ++k) {
        if (k > 0) {
            joined.push_back(' ');
        }
        joined += words[k].str();
    }
    return TV::string(unescapeHtml(joined));
}

TV fSum(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"attribute", "start"}, a);
    TV total = a[1] != nullptr ? *a[1] : TV::integer(0);
    if (total.isStr()) {
        raiseError("sum() can't sum strings [use ''.join(seq) instead]");
    }
    py::forEach(v, [&](const TV &item) {
        const TV value = (a[0] != nullptr && !a[0]->isNone()) ? r.getPath(item, *a[0]) : item;
        total = r.binary(BinaryOp::Add, total, value);
        return true;
    });
    return total;
}

TV fTitle(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return TV::string(jinjaTitle(strOf(v)));
}

TV fTrim(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"chars"}, a);
    const std::string s = strOf(v);
    if (a[0] == nullptr || a[0]->isNone()) {
        return TV::string(std::string(UnicodeText::strip(s, true, true)));
    }
    return TV::string(std::string(UnicodeText::stripChars(s, strOf(*a[0]), true, true)));
}

TV fTruncate(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[4];
    args.bind({"length", "killwords", "end", "leeway"}, a);
    const std::string s = strOf(v);
    const std::int64_t length = intArg(a[0], 255, "");
    const bool killwords = boolArg(a[1], false);
    const std::string end = stringArg(a[2], "...");
    const std::int64_t leeway = intArg(a[3], 5, "");
    const auto endLen = static_cast<std::int64_t>(UnicodeText::length(end));
    if (length < endLen) {
        raiseError("expected length >= " + std::to_string(endLen) + ", got "
                   + std::to_string(length));
    }
    if (leeway < 0) {
        raiseError("expected leeway >= 0, got " + std::to_string(leeway));
    }
    if (static_cast<std::int64_t>(UnicodeText::length(s)) <= length + leeway) {
        return TV::string(s);
    }
    std::string head
        = s.substr(0, UnicodeText::offsetOf(s, static_cast<std::size_t>(length - endLen)));
    if (killwords) {
        return TV::string(head + end);
    }
    const std::size_t space = head.rfind(' ');
    if (space != std::string::npos) {
        head.resize(space);
    }
    return TV::string(head + end);
}

TV fUnique(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[2];
    args.bind({"case_sensitive", "attribute"}, a);
    const bool caseSensitive = boolArg(a[0], false);
    std::unordered_multimap<std::size_t, TV> seen;
    std::vector<TV> out;
    py::forEach(v, [&](const TV &item) {
        TV key = (a[1] != nullptr && !a[1]->isNone()) ? r.getPath(item, *a[1]) : item;
        if (!caseSensitive) {
            key = lowerIfString(key);
        }
        const std::size_t h = py::hash(key);
        auto range = seen.equal_range(h);
        for (auto it = range.first; it != range.second; ++it) {
            if (py::equals(it->second, key)) {
                return true;
            }
        }
        seen.emplace(h, key);
        out.push_back(item);
        return true;
    });
    return TV::list(std::move(out));
}

TV fUrlencode(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    if (v.isStr() || !py::isIterable(v)) {
        return TV::string(urlQuote(strOf(v), false));
    }
    const TV itemList = v.isMapping() ? itemsOf(v) : TV::list(py::toList(v));
    const std::vector<TV> &pairs = itemList.listObject().items;
    std::string out;
    for (const TV &pair : pairs) {
        std::vector<TV> kv = py::toList(pair);
        if (kv.size() != 2) {
            raiseError("urlencode needs (key, value) pairs");
        }
        if (!out.empty()) {
            out.push_back('&');
        }
        out += urlQuote(strOf(kv[0]), true) + "=" + urlQuote(strOf(kv[1]), true);
    }
    return TV::string(std::move(out));
}

TV fWordcount(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    const std::string s = strOf(v);
    std::int64_t count = 0;
    bool inWord = false;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const bool w = UnicodeText::isWordChar(UnicodeText::decode(s, pos));
        if (w && !inWord) {
            ++count;
        }
        inWord = w;
    }
    return TV::integer(count);
}

TV fWordwrap(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[4];
    args.bind({"width", "break_long_words", "wrapstring", "break_on_hyphens"}, a);
    const auto width = static_cast<std::size_t>(std::max<std::int64_t>(1, intArg(a[0], 79, "")));
    const bool breakLong = boolArg(a[1], true);
    const std::string wrap = (a[2] != nullptr && py::truthy(*a[2])) ? strOf(*a[2]) : "\n";
    std::string out;
    bool firstParagraph = true;
    for (const std::string &para : splitLines(strOf(v), false)) {
        if (!firstParagraph) {
            out += wrap;
        }
        firstParagraph = false;
        std::vector<std::string> lines;
        std::string line;
        for (const TV &wordValue : splitString(para, nullptr, -1, false)) {
            std::string word = wordValue.str();
            while (true) {
                const std::size_t lineLen = UnicodeText::length(line);
                const std::size_t wordLen = UnicodeText::length(word);
                const std::size_t needed = lineLen == 0 ? wordLen : lineLen + 1 + wordLen;
                if (needed <= width) {
                    line += (lineLen == 0 ? "" : " ") + word;
                    break;
                }
                if (lineLen > 0) {
                    lines.push_back(line);
                    line.clear();
                    continue;
                }
                if (!breakLong) {
                    line = word;
                    break;
                }
                const std::size_t cut = UnicodeText::offsetOf(word, width);
                lines.push_back(word.substr(0, cut));
                word = word.substr(cut);
                if (word.empty()) {
                    break;
                }
            }
        }
        if (!line.empty()) {
            lines.push_back(line);
        }
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i > 0) {
                out += wrap;
            }
            out += lines[i];
        }
    }
    return TV::string(std::move(out));
}

TV fXmlattr(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"autospace"}, a);
    if (!v.isMapping()) {
        raiseError("xmlattr needs a mapping");
    }
    std::string out;
    const TV pairs = itemsOf(v);
    for (const TV &pair : pairs.listObject().items) {
        const TV &key = pair.listObject().items[0];
        const TV &value = pair.listObject().items[1];
        if (value.isNone() || value.isUndefined()) {
            continue;
        }
        if (!out.empty()) {
            out.push_back(' ');
        }
        out += TemplateBuiltins::escapeHtml(strOf(key)) + "=\""
               + TemplateBuiltins::escapeHtml(strOf(value)) + "\"";
    }
    if (boolArg(a[0], true) && !out.empty()) {
        out.insert(out.begin(), ' ');
    }
    return TV::string(std::move(out));
}

TV fTojson(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"indent"}, a);
    std::string indent;
    const std::string *indentPtr = nullptr;
    if (a[0] != nullptr && !a[0]->isNone()) {
        if (a[0]->isStr()) {
            indent = a[0]->str();
        } else {
            const std::int64_t n = intArg(a[0], 0, "");
            indent.assign(static_cast<std::size_t>(std::max<std::int64_t>(0, n)), ' ');
        }
        indentPtr = &indent;
    }
    std::string out = py::toJsonHtmlSafe(v, indentPtr);
    r.checkSize(out.size());
    return withSafe(TV::string(std::move(out)), true);
}

TV fRandom(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    std::vector<TV> items = py::toList(v);
    if (items.empty()) {
        return TV::undefinedHint("No random item, sequence was empty.");
    }
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(rng)];
}

// ---- tests ----------------------------------------------------------------------------------

bool tOdd(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    args.expectNone();
    return py::equals(r.binary(BinaryOp::Mod, v, TV::integer(2)), TV::integer(1));
}

bool tEven(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    args.expectNone();
    return py::equals(r.binary(BinaryOp::Mod, v, TV::integer(2)), TV::integer(0));
}

bool tDivisibleby(TemplateRenderer &r, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"num"}, a);
    if (a[0] == nullptr) {
        raiseError("divisibleby() missing required argument 'num'");
    }
    return py::equals(r.binary(BinaryOp::Mod, v, *a[0]), TV::integer(0));
}

bool tDefined(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return !v.isUndefined();
}

bool tUndefined(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isUndefined();
}

bool tNone(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isNone();
}

bool tBoolean(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isBool();
}

bool tFalse(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isBool() && !v.boolValue();
}

bool tTrue(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isBool() && v.boolValue();
}

bool tInteger(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isInt();
}

bool tFloat(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isFloat();
}

bool tLower(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return isCasedAll(strOf(v), false);
}

bool tUpper(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return isCasedAll(strOf(v), true);
}

bool tString(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isStr();
}

bool tMapping(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isMapping();
}

bool tNumber(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isNumber();
}

bool tSequence(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isStr() || v.isSequence() || v.isMapping() || v.isUndefined();
}

bool tIterable(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return py::isIterable(v);
}

bool tCallable(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.kind() == ValKind::Callable || v.kind() == ValKind::Loop || v.isUndefined();
}

bool tSameas(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"other"}, a);
    if (a[0] == nullptr) {
        raiseError("sameas() missing required argument 'other'");
    }
    const TV &o = *a[0];
    if (v.kind() != o.kind()) {
        return false;
    }
    switch (v.kind()) {
    case ValKind::None:
        return true;
    case ValKind::Bool:
        return v.boolValue() == o.boolValue();
    case ValKind::Int:
        // CPython caches small integers, so `is` holds for them.
        return v.intValue() == o.intValue() && v.intValue() >= -5 && v.intValue() <= 256;
    case ValKind::Str:
        return &v.str() == &o.str();
    case ValKind::JsonArray:
    case ValKind::JsonObject:
        return &v.json() == &o.json();
    case ValKind::Undefined:
        return false;
    default:
        return v.heap() == o.heap() && v.heap() != nullptr;
    }
}

bool tEscaped(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isSafe();
}

bool tIn(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"seq"}, a);
    if (a[0] == nullptr) {
        raiseError("in() missing required argument 'seq'");
    }
    return py::contains(*a[0], v);
}

template <CompareOp Op> bool tCompare(TemplateRenderer &, const TV &v, CallArgs &args)
{
    const TV *a[1];
    args.bind({"other"}, a);
    if (a[0] == nullptr) {
        raiseError("comparison test needs a value to compare with");
    }
    const TV &o = *a[0];
    switch (Op) {
    case CompareOp::Eq:
        return py::equals(v, o);
    case CompareOp::Ne:
        return !py::equals(v, o);
    case CompareOp::Lt:
        return py::compare(v, o, "<") == -1;
    case CompareOp::Le: {
        const int c = py::compare(v, o, "<=");
        return c == -1 || c == 0;
    }
    case CompareOp::Gt:
        return py::compare(v, o, ">") == 1;
    case CompareOp::Ge: {
        const int c = py::compare(v, o, ">=");
        return c == 1 || c == 0;
    }
    default:
        return false;
    }
}

bool tFilter(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isStr() && TemplateBuiltins::filter(v.str()) != nullptr;
}

bool tTest(TemplateRenderer &, const TV &v, CallArgs &args)
{
    args.expectNone();
    return v.isStr() && TemplateBuiltins::test(v.str()) != nullptr;
}

struct FilterEntry
{
    std::string_view name;
    FilterFn fn;
};

constexpr FilterEntry kFilters[] = {
    {"abs", fAbs},
    {"attr", fAttr},
    {"batch", fBatch},
    {"capitalize", fCapitalize},
    {"center", fCenter},
    {"count", fLength},
    {"d", fDefault},
    {"default", fDefault},
    {"dictsort", fDictsort},
    {"e", fEscape},
    {"escape", fEscape},
    {"filesizeformat", fFilesizeformat},
    {"first", fFirst},
    {"float", fFloat},
    {"forceescape", fForceEscape},
    {"format", fFormat},
    {"groupby", fGroupby},
    {"indent", fIndent},
    {"int", fInt},
    {"items", fItems},
    {"join", fJoin},
    {"last", fLast},
    {"length", fLength},
    {"list", fList},
    {"lower", fLower},
    {"map", fMap},
    {"max", fMax},
    {"min", fMin},
    {"pprint", fPprint},
    {"random", fRandom},
    {"reject", fReject},
    {"rejectattr", fRejectattr},
    {"replace", fReplace},
    {"reverse", fReverse},
    {"round", fRound},
    {"safe", fSafe},
    {"select", fSelect},
    {"selectattr", fSelectattr},
    {"slice", fSlice},
    {"sort", fSort},
    {"string", fString},
    {"striptags", fStriptags},
    {"sum", fSum},
    {"title", fTitle},
    {"tojson", fTojson},
    {"trim", fTrim},
    {"truncate", fTruncate},
    {"unique", fUnique},
    {"upper", fUpper},
    {"urlencode", fUrlencode},
    {"wordcount", fWordcount},
    {"wordwrap", fWordwrap},
    {"xmlattr", fXmlattr},
};

struct TestEntry
{
    std::string_view name;
    TestFn fn;
};

constexpr TestEntry kTests[] = {
    {"odd", tOdd},
    {"even", tEven},
    {"divisibleby", tDivisibleby},
    {"defined", tDefined},
    {"undefined", tUndefined},
    {"none", tNone},
    {"boolean", tBoolean},
    {"false", tFalse},
    {"true", tTrue},
    {"integer", tInteger},
    {"float", tFloat},
    {"lower", tLower},
    {"upper", tUpper},
    {"string", tString},
    {"mapping", tMapping},
    {"number", tNumber},
    {"sequence", tSequence},
    {"iterable", tIterable},
    {"callable", tCallable},
    {"sameas", tSameas},
    {"escaped", tEscaped},
    {"in", tIn},
    {"==", tCompare<CompareOp::Eq>},
    {"eq", tCompare<CompareOp::Eq>},
    {"equalto", tCompare<CompareOp::Eq>},
    {"!=", tCompare<CompareOp::Ne>},
    {"ne", tCompare<CompareOp::Ne>},
    {">", tCompare<CompareOp::Gt>},
    {"gt", tCompare<CompareOp::Gt>},
    {"greaterthan", tCompare<CompareOp::Gt>},
    {">=", tCompare<CompareOp::Ge>},
    {"ge", tCompare<CompareOp::Ge>},
    {"<", tCompare<CompareOp::Lt>},
    {"lt", tCompare<CompareOp::Lt>},
    {"lessthan", tCompare<CompareOp::Lt>},
    {"<=", tCompare<CompareOp::Le>},
    {"le", tCompare<CompareOp::Le>},
    {"filter", tFilter},
    {"test", tTest},
};

// ---- globals --------------------------------------------------------------------------------

class GlobalFunction final : public CallableObject
{
public:
    using Fn = TV (*)(TemplateRenderer &, CallArgs &);
    GlobalFunction(std::string name, Fn fn)
        : m_name(std::move(name))
        , m_fn(fn)
    {
    }
    [[nodiscard]] std::string repr() const override
    {
        if (m_name == "range" || m_name == "dict") {
            return "<class '" + m_name + "'>";
        }
        return "<function " + m_name + ">";
    }
    [[nodiscard]] std::string typeName() const override
    {
        return (m_name == "range" || m_name == "dict") ? "type" : "function";
    }
    TV call(TemplateRenderer &r, CallArgs &args) override
    {
        args.what = "function";
        args.name = &m_name;
        return m_fn(r, args);
    }

private:
    std::string m_name;
    Fn m_fn;
};

TV gRange(TemplateRenderer &, CallArgs &args)
{
    if (!args.keywords.empty()) {
        raiseError("range() takes no keyword arguments");
    }
    const auto &p = args.positional;
    if (p.empty() || p.size() > 3) {
        raiseError("range expected at most 3 arguments, got " + std::to_string(p.size()));
    }
    for (const TV &v : p) {
        if (!v.isIntegral()) {
            if (v.isUndefined()) {
                py::failUndefined(v);
            }
            raiseError("'" + py::typeName(v) + "' object cannot be interpreted as an integer");
        }
    }
    std::int64_t start = 0;
    std::int64_t stop = 0;
    std::int64_t step = 1;
    if (p.size() == 1) {
        stop = p[0].intValue();
    } else {
        start = p[0].intValue();
        stop = p[1].intValue();
        if (p.size() == 3) {
            step = p[2].intValue();
        }
    }
    if (step == 0) {
        raiseError("range() arg 3 must not be zero");
    }
    RangeObject r;
    r.start = start;
    r.stop = stop;
    r.step = step;
    // Jinja2's sandbox refuses ranges longer than MAX_RANGE.
    if (r.size() > 100000) {
        raiseError("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
    }
    return TV::range(start, stop, step);
}

TV gDict(TemplateRenderer &, CallArgs &args)
{
    auto dict = std::make_shared<DictObject>();
    if (args.positional.size() > 1) {
        raiseError("dict expected at most 1 argument, got "
                   + std::to_string(args.positional.size()));
    }
    if (args.positional.size() == 1) {
        const TV &src = args.positional[0];
        if (src.isMapping()) {
            py::forEach(src, [&](const TV &key) {
                dict->set(key, py::getItem(src, key));
                return true;
            });
        } else {
            for (const TV &pair : py::toList(src)) {
                std::vector<TV> kv = py::toList(pair);
                if (kv.size() != 2) {
                    raiseError("dictionary update sequence element has length "
                               + std::to_string(kv.size()) + "; 2 is required");
                }
                dict->set(kv[0], kv[1]);
            }
        }
    }
    for (const auto &kw : args.keywords) {
        dict->set(TV::string(kw.first), kw.second);
    }
    return TV::dict(std::move(dict));
}

TV gNamespace(TemplateRenderer &, CallArgs &args)
{
    auto ns = std::make_shared<NamespaceObject>();
    if (args.positional.size() > 1) {
        raiseError("namespace() takes at most one positional argument");
    }
    auto put = [&](std::string key, TV value) {
        if (TV *slot = ns->find(key)) {
            *slot = std::move(value);
        } else {
            ns->attrs.emplace_back(std::move(key), std::move(value));
        }
    };
    if (args.positional.size() == 1) {
        const TV &src = args.positional[0];
        if (!src.isMapping()) {
            raiseError("namespace() needs a mapping");
        }
        py::forEach(src, [&](const TV &key) {
            put(strOf(key), py::getItem(src, key));
            return true;
        });
    }
    for (const auto &kw : args.keywords) {
        put(kw.first, kw.second);
    }
    return TV::ns(std::move(ns));
}

class JoinerObject final : public CallableObject
{
public:
    explicit JoinerObject(std::string sep)
        : m_sep(std::move(sep))
    {
    }
    [[nodiscard]] std::string repr() const override { return "<jinja2.utils.Joiner object>"; }
    [[nodiscard]] std::string typeName() const override { return "Joiner"; }
    TV call(TemplateRenderer &, CallArgs &args) override
    {
        args.expectNone();
        if (!m_used) {
            m_used = true;
            return TV::string(std::string());
        }
        return TV::string(m_sep);
    }

private:
    std::string m_sep;
    bool m_used = false;
};

TV gJoiner(TemplateRenderer &, CallArgs &args)
{
    const TV *a[1];
    args.bind({"sep"}, a);
    return TV::callable(std::make_shared<JoinerObject>(stringArg(a[0], ", ")));
}

TV gUnsupported(TemplateRenderer &, CallArgs &args)
{
    raiseError(*args.name + "() is not supported in Flowbench templates");
}

// ---- methods --------------------------------------------------------------------------------

constexpr std::string_view kDictMethods[]
    = {"items",   "keys",       "values", "get",   "copy",    "pop",
       "popitem", "setdefault", "update", "clear", "fromkeys"};
constexpr std::string_view kStrMethods[]
    = {"upper",      "lower",        "strip",        "lstrip",     "rstrip",     "split",
       "rsplit",     "splitlines",   "startswith",   "endswith",   "replace",    "title",
       "capitalize", "format",       "join",         "find",       "rfind",      "index",
       "rindex",     "count",        "isdigit",      "isalpha",    "isalnum",    "isspace",
       "isupper",    "islower",      "isdecimal",    "isnumeric",  "istitle",    "center",
       "ljust",      "rjust",        "zfill",        "partition",  "rpartition", "casefold",
       "swapcase",   "removeprefix", "removesuffix", "format_map", "expandtabs"};
constexpr std::string_view kListMethods[]
    = {"index", "count",  "copy",    "append", "extend", "insert",
       "pop",   "remove", "reverse", "sort",   "clear"};

template <std::size_t N> bool inList(const std::string_view (&list)[N], std::string_view name)
{
    for (std::string_view m : list) {
        if (m == name) {
            return true;
        }
    }
    return false;
}

class BoundMethod final : public CallableObject
{
public:
    BoundMethod(TV self, std::string name)
        : m_self(std::move(self))
        , m_name(std::move(name))
    {
    }
    [[nodiscard]] std::string repr() const override
    {
        return "<built-in method " + m_name + " of " + py::typeName(m_self) + " object>";
    }
    TV call(TemplateRenderer &r, CallArgs &args) override
    {
        return TemplateBuiltins::callMethod(r, m_self, m_name, args);
    }

private:
    TV m_self;
    std::string m_name;
};

[[noreturn]] void immutableInput(std::string_view name)
{
    raiseError("cannot call '" + std::string(name)
               + "' on a value that is a template input (inputs are read-only)");
}

TV dictMethod(TemplateRenderer &, const TV &self, std::string_view name, CallArgs &args)
{
    if (name == "items") {
        args.expectNone();
        TV items = itemsOf(self);
        items.listObject().view = "dict_items";
        return items;
    }
    if (name == "keys" || name == "values") {
        args.expectNone();
        std::vector<TV> out;
        const TV pairs = itemsOf(self);
        for (const TV &pair : pairs.listObject().items) {
            out.push_back(pair.listObject().items[name == "keys" ? 0 : 1]);
        }
        TV list = TV::list(std::move(out));
        list.listObject().view = name == "keys" ? "dict_keys" : "dict_values";
        return list;
    }
    if (name == "get") {
        if (args.positional.empty() || args.positional.size() > 2 || !args.keywords.empty()) {
            raiseError("get expected 1 or 2 arguments");
        }
        TV v = py::getItem(self, args.positional[0]);
        if (v.isUndefined()) {
            return args.positional.size() == 2 ? args.positional[1] : TV::none();
        }
        return v;
    }
    if (name == "copy") {
        args.expectNone();
        auto dict = std::make_shared<DictObject>();
        const TV pairs = itemsOf(self);
        for (const TV &pair : pairs.listObject().items) {
            dict->set(pair.listObject().items[0], pair.listObject().items[1]);
        }
        return TV::dict(std::move(dict));
    }
    if (self.kind() != ValKind::Dict) {
        immutableInput(name);
    }
    DictObject &d = self.dictObject();
    if (name == "update") {
        if (args.positional.size() > 1) {
            raiseError("update expected at most 1 argument");
        }
        if (args.positional.size() == 1) {
            const TV &src = args.positional[0];
            py::forEach(src, [&](const TV &key) {
                d.set(key, py::getItem(src, key));
                return true;
            });
        }
        for (const auto &kw : args.keywords) {
            d.set(TV::string(kw.first), kw.second);
        }
        return TV::none();
    }
    if (name == "pop" || name == "setdefault") {
        if (args.positional.empty() || args.positional.size() > 2) {
            raiseError(std::string(name) + " expected 1 or 2 arguments");
        }
        const TV &key = args.positional[0];
        for (auto it = d.items.begin(); it != d.items.end(); ++it) {
            if (py::equals(it->first, key)) {
                TV value = it->second;
                if (name == "pop") {
                    d.items.erase(it);
                }
                return value;
            }
        }
        if (name == "setdefault") {
            TV value = args.positional.size() == 2 ? args.positional[1] : TV::none();
            d.set(key, value);
            return value;
        }
        if (args.positional.size() == 2) {
            return args.positional[1];
        }
        raiseError("KeyError: " + py::repr(key));
    }
    if (name == "clear") {
        args.expectNone();
        d.items.clear();
        return TV::none();
    }
    raiseError("dict." + std::string(name) + "() is not supported in Flowbench templates");
}

std::int64_t normalizeBound(const TV *v, std::int64_t len, std::int64_t fallback)
{
    if (v == nullptr || v->isNone()) {
        return fallback;
    }
    std::int64_t i = intArg(v, fallback, "");
    if (i < 0) {
        i = std::max<std::int64_t>(0, i + len);
    }
    return std::min(i, len);
}

TV strMethod(TemplateRenderer &r, const TV &self, std::string_view name, CallArgs &args)
{
    const std::string &s = self.str();
    if (name == "upper" || name == "lower" || name == "casefold" || name == "title"
        || name == "capitalize" || name == "swapcase") {
        args.expectNone();
        if (name == "upper") {
            return TV::string(UnicodeText::upper(s));
        }
        if (name == "title") {
            return TV::string(pyTitle(s));
        }
        if (name == "capitalize") {
            return TV::string(UnicodeText::capitalize(s));
        }
        if (name == "swapcase") {
            return TV::string(UnicodeText::swapCase(s));
        }
        return TV::string(UnicodeText::lower(s));
    }
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        const TV *a[1];
        args.bind({"chars"}, a);
        const bool left = name != "rstrip";
        const bool right = name != "lstrip";
        if (a[0] == nullptr || a[0]->isNone()) {
            return TV::string(std::string(UnicodeText::strip(s, left, right)));
        }
        return TV::string(std::string(UnicodeText::stripChars(s, strOf(*a[0]), left, right)));
    }
    if (name == "split" || name == "rsplit") {
        const TV *a[2];
        args.bind({"sep", "maxsplit"}, a);
        return TV::list(splitString(s, a[0], intArg(a[1], -1, ""), name == "rsplit"));
    }
    if (name == "splitlines") {
        const TV *a[1];
        args.bind({"keepends"}, a);
        std::vector<TV> out;
        for (std::string &line : splitLines(s, boolArg(a[0], false))) {
            out.push_back(TV::string(std::move(line)));
        }
        return TV::list(std::move(out));
    }
    if (name == "startswith" || name == "endswith") {
        if (args.positional.empty()) {
            raiseError(std::string(name) + "() takes at least 1 argument (0 given)");
        }
        const TV &what = args.positional[0];
        std::vector<TV> options = what.isStr() ? std::vector<TV>{what} : py::toList(what);
        for (const TV &option : options) {
            const std::string o = strOf(option);
            const bool hit
                = name == "startswith"
                      ? s.compare(0, o.size(), o) == 0
                      : (s.size() >= o.size() && s.compare(s.size() - o.size(), o.size(), o) == 0);
            if (hit) {
                return TV::boolean(true);
            }
        }
        return TV::boolean(false);
    }
    if (name == "replace") {
        const TV *a[3];
        args.bind({"old", "new", "count"}, a);
        if (a[0] == nullptr || a[1] == nullptr) {
            raiseError("replace expected at least 2 arguments");
        }
        std::string out = replaceAll(s, strOf(*a[0]), strOf(*a[1]), intArg(a[2], -1, ""));
        r.checkSize(out.size());
        return TV::string(std::move(out));
    }
    if (name == "format") {
        std::string out = PyFormat::format(s, args.positional, args.keywords);
        r.checkSize(out.size());
        return TV::string(std::move(out));
    }
    if (name == "format_map") {
        if (args.positional.size() != 1) {
            raiseError("format_map() takes exactly one argument");
        }
        std::vector<std::pair<std::string, TV>> keywords;
        const TV &m = args.positional[0];
        py::forEach(m, [&](const TV &key) {
            keywords.emplace_back(strOf(key), py::getItem(m, key));
            return true;
        });
        return TV::string(PyFormat::format(s, {}, keywords));
    }
    if (name == "join") {
        if (args.positional.size() != 1) {
            raiseError("join() takes exactly one argument");
        }
        std::string out;
        bool first = true;
        py::forEach(args.positional[0], [&](const TV &item) {
            if (!item.isStr()) {
                raiseError("sequence item: expected str instance, " + py::typeName(item)
                           + " found");
            }
            if (!first) {
                out += s;
            }
            first = false;
            out += item.str();
            r.checkSize(out.size());
            return true;
        });
        return TV::string(std::move(out));
    }
    if (name == "find" || name == "rfind" || name == "index" || name == "rindex"
        || name == "count") {
        if (args.positional.empty() || args.positional.size() > 3) {
            raiseError(std::string(name) + "() takes 1 to 3 arguments");
        }
        const std::string sub = strOf(args.positional[0]);
        const bool ascii = UnicodeText::isAscii(s);
        const auto len = static_cast<std::int64_t>(ascii ? s.size() : UnicodeText::length(s));
        const std::int64_t start
            = normalizeBound(args.positional.size() > 1 ? &args.positional[1] : nullptr, len, 0);
        const std::int64_t end
            = normalizeBound(args.positional.size() > 2 ? &args.positional[2] : nullptr, len, len);
        const std::size_t bStart = ascii
                                       ? static_cast<std::size_t>(start)
                                       : UnicodeText::offsetOf(s, static_cast<std::size_t>(start));
        const std::size_t bEnd = ascii ? static_cast<std::size_t>(end)
                                       : UnicodeText::offsetOf(s, static_cast<std::size_t>(end));
        const std::string window = bEnd > bStart ? s.substr(bStart, bEnd - bStart) : std::string();
        if (name == "count") {
            if (start > end) {
                return TV::integer(0);
            }
            if (sub.empty()) {
                return TV::integer(static_cast<std::int64_t>(UnicodeText::length(window)) + 1);
            }
            std::int64_t n = 0;
            std::size_t at = 0;
            while ((at = window.find(sub, at)) != std::string::npos) {
                ++n;
                at += sub.size();
            }
            return TV::integer(n);
        }
        const bool reverse = name == "rfind" || name == "rindex";
        std::size_t at = std::string::npos;
        if (start <= end) {
            at = reverse ? window.rfind(sub) : window.find(sub);
        }
        if (at == std::string::npos) {
            if (name == "index" || name == "rindex") {
                raiseError("substring not found");
            }
            return TV::integer(-1);
        }
        const std::size_t byteIndex = bStart + at;
        return TV::integer(static_cast<std::int64_t>(
            ascii ? byteIndex : UnicodeText::length(std::string_view(s).substr(0, byteIndex))));
    }
    if (name == "isdigit" || name == "isdecimal" || name == "isnumeric" || name == "isalpha"
        || name == "isalnum" || name == "isspace") {
        args.expectNone();
        if (s.empty()) {
            return TV::boolean(false);
        }
        std::size_t pos = 0;
        while (pos < s.size()) {
            const char32_t cp = UnicodeText::decode(s, pos);
            bool ok = false;
            if (name == "isalpha") {
                ok = UnicodeText::isAlpha(cp);
            } else if (name == "isalnum") {
                ok = UnicodeText::isAlpha(cp) || UnicodeText::isDigit(cp);
            } else if (name == "isspace") {
                ok = UnicodeText::isSpace(cp);
            } else {
                ok = UnicodeText::isDigit(cp);
            }
            if (!ok) {
                return TV::boolean(false);
            }
        }
        return TV::boolean(true);
    }
    if (name == "isupper" || name == "islower") {
        args.expectNone();
        return TV::boolean(isCasedAll(s, name == "isupper"));
    }
    if (name == "istitle") {
        args.expectNone();
        return TV::boolean(pyTitle(s) == s && isCasedAll(UnicodeText::upper(s), true));
    }
    if (name == "center" || name == "ljust" || name == "rjust") {
        if (args.positional.empty() || args.positional.size() > 2) {
            raiseError(std::string(name) + "() takes 1 or 2 arguments");
        }
        const std::int64_t width = intArg(&args.positional[0], 0, "");
        r.checkSize(static_cast<std::size_t>(std::max<std::int64_t>(0, width)));
        const std::string fill = args.positional.size() == 2 ? strOf(args.positional[1]) : " ";
        if (UnicodeText::length(fill) != 1) {
            raiseError("The fill character must be exactly one character long");
        }
        const char mode = name == "center" ? 'c' : (name == "ljust" ? 'l' : 'r');
        return TV::string(centerString(s, width, fill, mode));
    }
    if (name == "zfill") {
        if (args.positional.size() != 1) {
            raiseError("zfill() takes exactly one argument");
        }
        const std::int64_t width = intArg(&args.positional[0], 0, "");
        r.checkSize(static_cast<std::size_t>(std::max<std::int64_t>(0, width)));
        const auto len = static_cast<std::int64_t>(UnicodeText::length(s));
        if (width <= len) {
            return self;
        }
        std::string out = s;
        const std::size_t at = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
        out.insert(at, static_cast<std::size_t>(width - len), '0');
        return TV::string(std::move(out));
    }
    if (name == "partition" || name == "rpartition") {
        if (args.positional.size() != 1) {
            raiseError(std::string(name) + "() takes exactly one argument");
        }
        const std::string sep = strOf(args.positional[0]);
        if (sep.empty()) {
            raiseError("empty separator");
        }
        const std::size_t at = name == "partition" ? s.find(sep) : s.rfind(sep);
        if (at == std::string::npos) {
            if (name == "partition") {
                return TV::list({self, TV::string(""), TV::string("")}, true);
            }
            return TV::list({TV::string(""), TV::string(""), self}, true);
        }
        return TV::list(
            {TV::string(s.substr(0, at)), TV::string(sep), TV::string(s.substr(at + sep.size()))},
            true);
    }
    if (name == "removeprefix" || name == "removesuffix") {
        if (args.positional.size() != 1) {
            raiseError(std::string(name) + "() takes exactly one argument");
        }
        const std::string affix = strOf(args.positional[0]);
        if (name == "removeprefix" && s.compare(0, affix.size(), affix) == 0) {
            return TV::string(s.substr(affix.size()));
        }
        if (name == "removesuffix" && !affix.empty() && s.size() >= affix.size()
            && s.compare(s.size() - affix.size(), affix.size(), affix) == 0) {
            return TV::string(s.substr(0, s.size() - affix.size()));
        }
        return self;
    }
    if (name == "expandtabs") {
        const TV *a[1];
        args.bind({"tabsize"}, a);
        const std::int64_t tab = intArg(a[0], 8, "");
        std::string out;
        std::int64_t col = 0;
        std::size_t pos = 0;
        while (pos < s.size()) {
            const std::size_t start = pos;
            const char32_t cp = UnicodeText::decode(s, pos);
            if (cp == '\t') {
                const std::int64_t spaces = tab > 0 ? tab - (col % tab) : 0;
                out.append(static_cast<std::size_t>(spaces), ' ');
                col += spaces;
            } else {
                out.append(s, start, pos - start);
                col = (cp == '\n' || cp == '\r') ? 0 : col + 1;
            }
        }
        return TV::string(std::move(out));
    }
    raiseError("str." + std::string(name) + "() is not supported in Flowbench templates");
}

TV listMethod(TemplateRenderer &, const TV &self, std::string_view name, CallArgs &args)
{
    if (name == "index" || name == "count") {
        if (args.positional.empty()) {
            raiseError(std::string(name) + "() takes at least 1 argument (0 given)");
        }
        std::vector<TV> items = py::toList(self);
        const TV &needle = args.positional[0];
        std::int64_t n = 0;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (py::equals(items[i], needle)) {
                if (name == "index") {
                    return TV::integer(static_cast<std::int64_t>(i));
                }
                ++n;
            }
        }
        if (name == "index") {
            raiseError(py::repr(needle) + " is not in list");
        }
        return TV::integer(n);
    }
    if (name == "copy") {
        args.expectNone();
        return TV::list(py::toList(self));
    }
    if (self.kind() != ValKind::List) {
        immutableInput(name);
    }
    ListObject &list = self.listObject();
    if (list.tuple) {
        raiseError("'tuple' object has no attribute '" + std::string(name) + "'");
    }
    auto &items = list.items;
    if (name == "append") {
        if (args.positional.size() != 1) {
            raiseError("append() takes exactly one argument");
        }
        items.push_back(args.positional[0]);
        return TV::none();
    }
    if (name == "extend") {
        if (args.positional.size() != 1) {
            raiseError("extend() takes exactly one argument");
        }
        for (TV &item : py::toList(args.positional[0])) {
            items.push_back(std::move(item));
        }
        return TV::none();
    }
    if (name == "insert") {
        if (args.positional.size() != 2) {
            raiseError("insert expected 2 arguments");
        }
        std::int64_t i = intArg(&args.positional[0], 0, "");
        const auto len = static_cast<std::int64_t>(items.size());
        if (i < 0) {
            i = std::max<std::int64_t>(0, i + len);
        }
        i = std::min(i, len);
        items.insert(items.begin() + i, args.positional[1]);
        return TV::none();
    }
    if (name == "pop") {
        if (items.empty()) {
            raiseError("pop from empty list");
        }
        std::int64_t i = args.positional.empty() ? -1 : intArg(&args.positional[0], -1, "");
        const auto len = static_cast<std::int64_t>(items.size());
        if (i < 0) {
            i += len;
        }
        if (i < 0 || i >= len) {
            raiseError("pop index out of range");
        }
        TV value = items[static_cast<std::size_t>(i)];
        items.erase(items.begin() + i);
        return value;
    }
    if (name == "remove") {
        if (args.positional.size() != 1) {
            raiseError("remove() takes exactly one argument");
        }
        for (auto it = items.begin(); it != items.end(); ++it) {
            if (py::equals(*it, args.positional[0])) {
                items.erase(it);
                return TV::none();
            }
        }
        raiseError("list.remove(x): x not in list");
    }
    if (name == "reverse") {
        args.expectNone();
        std::reverse(items.begin(), items.end());
        return TV::none();
    }
    if (name == "sort") {
        const TV *a[2];
        args.bind({"key", "reverse"}, a);
        if (a[0] != nullptr && !a[0]->isNone()) {
            raiseError("list.sort(key=...) is not supported; use the sort filter");
        }
        std::vector<TV> keys = items;
        items = sortValues(items, keys, boolArg(a[1], false));
        return TV::none();
    }
    if (name == "clear") {
        args.expectNone();
        items.clear();
        return TV::none();
    }
    raiseError("list." + std::string(name) + "() is not supported in Flowbench templates");
}

} // namespace

// ---- TemplateBuiltins ---------------------------------------------------------------------------

FilterFn TemplateBuiltins::filter(std::string_view name)
{
    for (const FilterEntry &e : kFilters) {
        if (e.name == name) {
            return e.fn;
        }
    }
    return nullptr;
}

TestFn TemplateBuiltins::test(std::string_view name)
{
    for (const TestEntry &e : kTests) {
        if (e.name == name) {
            return e.fn;
        }
    }
    return nullptr;
}

bool TemplateBuiltins::isGlobal(std::string_view name)
{
    return name == "range" || name == "dict" || name == "namespace" || name == "joiner"
           || name == "cycler" || name == "lipsum";
}

TemplateValue TemplateBuiltins::global(std::string_view name)
{
    static const TV range = TV::callable(std::make_shared<GlobalFunction>("range", gRange));
    static const TV dict = TV::callable(std::make_shared<GlobalFunction>("dict", gDict));
    static const TV ns = TV::callable(std::make_shared<GlobalFunction>("namespace", gNamespace));
    static const TV joiner = TV::callable(std::make_shared<GlobalFunction>("joiner", gJoiner));
    static const TV cycler = TV::callable(std::make_shared<GlobalFunction>("cycler", gUnsupported));
    static const TV lipsum = TV::callable(std::make_shared<GlobalFunction>("lipsum", gUnsupported));
    if (name == "range") {
        return range;
    }
    if (name == "dict") {
        return dict;
    }
    if (name == "namespace") {
        return ns;
    }
    if (name == "joiner") {
        return joiner;
    }
    if (name == "cycler") {
        return cycler;
    }
    if (name == "lipsum") {
        return lipsum;
    }
    return {};
}

bool TemplateBuiltins::hasMethod(const TemplateValue &self, std::string_view name)
{
    switch (self.kind()) {
    case ValKind::JsonObject:
    case ValKind::Dict:
        return inList(kDictMethods, name);
    case ValKind::Str:
        return inList(kStrMethods, name);
    case ValKind::JsonArray:
        return inList(kListMethods, name);
    case ValKind::List:
        if (self.listObject().tuple) {
            return name == "index" || name == "count";
        }
        return inList(kListMethods, name);
    case ValKind::Range:
        return name == "index" || name == "count";
    default:
        return false;
    }
}

TemplateValue TemplateBuiltins::boundMethod(const TemplateValue &self, const std::string &name)
{
    return TV::callable(std::make_shared<BoundMethod>(self, name));
}

TemplateValue TemplateBuiltins::callMethod(TemplateRenderer &renderer, const TemplateValue &self,
                                           std::string_view name, CallArgs &args)
{
    args.what = "method";
    switch (self.kind()) {
    case ValKind::JsonObject:
    case ValKind::Dict:
        return dictMethod(renderer, self, name, args);
    case ValKind::Str:
        return strMethod(renderer, self, name, args);
    case ValKind::JsonArray:
    case ValKind::List:
    case ValKind::Range:
        return listMethod(renderer, self, name, args);
    default:
        raiseError("'" + py::typeName(self) + "' object has no attribute '" + std::string(name)
                   + "'");
    }
}

std::string TemplateBuiltins::escapeHtml(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&#34;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

} // namespace fb::jinja
