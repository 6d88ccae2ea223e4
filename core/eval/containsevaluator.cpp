#include <core/eval/containsevaluator.h>

#include <core/eval/evaloptions_p.h>
#include <core/eval/evaltext_p.h>

namespace fb {

ContainsEvaluator::ContainsEvaluator(Options options)
    : m_options(std::move(options))
{
    if (m_options.caseInsensitive) {
        for (std::string &v : m_options.values) {
            v = EvalText::toLower(v);
        }
    }
}

Result<std::unique_ptr<Evaluator>> ContainsEvaluator::create(const Value &options)
{
    const EvalOptions o(options, "contains");
    if (auto ok = o.checkKeys({"values", "mode", "case_insensitive"}); !ok) {
        return ok.error();
    }
    Options opts;
    auto values = o.stringList("values");
    if (!values) {
        return values.error();
    }
    if (o.has("values") && values->empty()) {
        return o.error("values", "must not be an empty list");
    }
    opts.values = std::move(*values);
    const auto mode = o.string("mode", "any");
    if (!mode) {
        return mode.error();
    }
    if (*mode == "any") {
        opts.mode = Mode::Any;
    } else if (*mode == "all") {
        opts.mode = Mode::All;
    } else {
        return o.error("mode", "must be \"any\" or \"all\", not \"" + *mode + "\"");
    }
    const auto ci = o.boolean("case_insensitive", false);
    if (!ci) {
        return ci.error();
    }
    opts.caseInsensitive = *ci;
    return std::unique_ptr<Evaluator>(new ContainsEvaluator(std::move(opts)));
}

Result<EvalScore> ContainsEvaluator::evaluate(const EvalInput &input) const
{
    std::vector<std::string> fromReference;
    const std::vector<std::string> *values = &m_options.values;
    if (values->empty()) {
        fromReference.push_back(m_options.caseInsensitive ? EvalText::toLower(input.reference)
                                                          : input.reference);
        values = &fromReference;
    }
    const std::string haystack
        = m_options.caseInsensitive ? EvalText::toLower(input.output) : input.output;
    std::size_t found = 0;
    std::string missing;
    for (const std::string &v : *values) {
        if (haystack.find(v) != std::string::npos) {
            ++found;
        } else if (missing.empty()) {
            missing = v;
        }
    }
    const bool passed = m_options.mode == Mode::Any ? found > 0 : found == values->size();
    std::string detail
        = std::to_string(found) + " of " + std::to_string(values->size()) + " value(s) found";
    if (!missing.empty()) {
        detail += "; missing \"" + missing + "\"";
    }
    return EvalScore{double(found) / double(values->size()), passed, detail};
}

} // namespace fb
