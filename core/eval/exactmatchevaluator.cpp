#include <core/eval/exactmatchevaluator.h>

#include <core/eval/evaloptions_p.h>
#include <core/eval/evaltext_p.h>

namespace fb {

ExactMatchEvaluator::ExactMatchEvaluator(Options options)
    : m_options(options)
{
}

Result<std::unique_ptr<Evaluator>> ExactMatchEvaluator::create(const Value &options)
{
    const EvalOptions o(options, "exact_match");
    if (auto ok = o.checkKeys({"case_insensitive", "trim", "normalize_whitespace"}); !ok) {
        return ok.error();
    }
    const auto ci = o.boolean("case_insensitive", false);
    const auto trim = o.boolean("trim", false);
    const auto ws = o.boolean("normalize_whitespace", false);
    for (const auto *r : {&ci, &trim, &ws}) {
        if (!*r) {
            return r->error();
        }
    }
    return std::unique_ptr<Evaluator>(new ExactMatchEvaluator(Options{*ci, *trim, *ws}));
}

std::string ExactMatchEvaluator::normalize(const std::string &text) const
{
    std::string s = text;
    if (m_options.normalizeWhitespace) {
        s = EvalText::trim(EvalText::collapseWhitespace(s));
    } else if (m_options.trim) {
        s = EvalText::trim(s);
    }
    if (m_options.caseInsensitive) {
        s = EvalText::toLower(s);
    }
    return s;
}

Result<EvalScore> ExactMatchEvaluator::evaluate(const EvalInput &input) const
{
    const bool same = normalize(input.output) == normalize(input.reference);
    return EvalScore{same ? 1.0 : 0.0, same,
                     same ? "output equals the reference" : "output differs from the reference"};
}

} // namespace fb
