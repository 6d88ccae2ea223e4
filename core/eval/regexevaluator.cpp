#include <core/eval/regexevaluator.h>

#include <core/eval/evaloptions_p.h>

namespace fb {

namespace {

Result<std::regex> compile(const std::string &pattern, bool caseInsensitive)
{
    auto flags = std::regex::ECMAScript;
    if (caseInsensitive) {
        flags |= std::regex::icase;
    }
    try {
        return std::regex(pattern, flags);
    } catch (const std::regex_error &e) {
        return Error(ErrorCode::InvalidArgument,
                     "invalid regular expression \"" + pattern + "\": " + e.what());
    }
}

} // namespace

RegexEvaluator::RegexEvaluator(Options options, std::optional<std::regex> compiled)
    : m_options(std::move(options))
    , m_compiled(std::move(compiled))
{
}

Result<std::unique_ptr<Evaluator>> RegexEvaluator::create(Options options)
{
    std::optional<std::regex> compiled;
    if (options.pattern) {
        auto re = compile(*options.pattern, options.caseInsensitive);
        if (!re) {
            return Error(ErrorCode::InvalidArgument, "evaluator 'regex': " + re.error().message);
        }
        compiled = std::move(*re);
    }
    return std::unique_ptr<Evaluator>(new RegexEvaluator(std::move(options), std::move(compiled)));
}

Result<std::unique_ptr<Evaluator>> RegexEvaluator::create(const Value &options)
{
    const EvalOptions o(options, "regex");
    if (auto ok = o.checkKeys({"pattern", "case_insensitive", "full_match"}); !ok) {
        return ok.error();
    }
    Options opts;
    if (o.has("pattern")) {
        auto p = o.string("pattern", {});
        if (!p) {
            return p.error();
        }
        opts.pattern = *p;
    }
    const auto ci = o.boolean("case_insensitive", false);
    const auto full = o.boolean("full_match", false);
    if (!ci) {
        return ci.error();
    }
    if (!full) {
        return full.error();
    }
    opts.caseInsensitive = *ci;
    opts.fullMatch = *full;
    return create(std::move(opts));
}

Result<EvalScore> RegexEvaluator::evaluate(const EvalInput &input) const
{
    std::optional<std::regex> perRow;
    const std::regex *re = m_compiled ? &*m_compiled : nullptr;
    const std::string &pattern = m_options.pattern ? *m_options.pattern : input.reference;
    if (!re) {
        auto compiled = compile(input.reference, m_options.caseInsensitive);
        if (!compiled) {
            return compiled.error();
        }
        perRow = std::move(*compiled);
        re = &*perRow;
    }
    bool matched = false;
    try {
        matched = m_options.fullMatch ? std::regex_match(input.output, *re)
                                      : std::regex_search(input.output, *re);
    } catch (const std::regex_error &e) {
        // libstdc++ reports runaway backtracking as an exception; the row cannot be judged.
        return Error(ErrorCode::Internal,
                     "regular expression \"" + pattern + "\" failed while matching: " + e.what());
    }
    return EvalScore{matched ? 1.0 : 0.0, matched,
                     std::string(matched ? "output matches " : "output does not match ") + "/"
                         + pattern + "/"};
}

} // namespace fb
