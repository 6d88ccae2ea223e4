#include <core/eval/rougel.h>

#include <core/eval/evaltext_p.h>

namespace fb {

std::vector<std::string> RougeL::tokenize(std::string_view text)
{
    // Lower-case first (as Python's str.lower()), then keep only [a-z0-9] runs. Lower-casing
    // matters for the few non-ASCII capitals that do not map into a-z, so ASCII-only is enough.
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        char l = (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
            current += l;
        } else if (!current.empty()) {
            out.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) {
        out.push_back(std::move(current));
    }
    return out;
}

std::size_t RougeL::lcsLength(const std::vector<std::string> &a, const std::vector<std::string> &b)
{
    std::vector<std::size_t> prev(b.size() + 1, 0);
    std::vector<std::size_t> row(b.size() + 1, 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            row[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], row[j - 1]);
        }
        prev.swap(row);
    }
    return prev[b.size()];
}

RougeScore RougeL::score(std::string_view target, std::string_view prediction)
{
    const std::vector<std::string> t = tokenize(target);
    const std::vector<std::string> p = tokenize(prediction);
    RougeScore s;
    if (t.empty() || p.empty()) {
        return s;
    }
    const double lcs = double(lcsLength(t, p));
    s.precision = lcs / double(p.size());
    s.recall = lcs / double(t.size());
    s.fmeasure = s.precision + s.recall > 0
                     ? 2.0 * s.precision * s.recall / (s.precision + s.recall)
                     : 0.0;
    return s;
}

} // namespace fb
