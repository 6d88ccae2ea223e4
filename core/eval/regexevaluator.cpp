#include <core/eval/regexevaluator.h>

#include <core/eval/evaloptions_p.h>

namespace fb {

namespace {

Result<LinearRegex> compile(const std::string &pattern, const RegexEvaluator::Options &options)
{
    LinearRegex::Options o;
    o.caseInsensitive = options.caseInsensitive;
    o.maxMemoryBytes = options.maxMemoryBytes;
    return LinearRegex::compile(pattern, o);
}

} // namespace

RegexEvaluator::RegexEvaluator(Options options, std::optional<LinearRegex> compiled)
    : m_options(std::move(options))
    , m_compiled(std::move(compiled))
{
}

Result<std::unique_ptr<Evaluator>> RegexEvaluator::create(Options options)
{
    std::optional<LinearRegex> compiled;
    if (options.pattern) {
        auto re = compile(*options.pattern, options);
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
    if (auto ok = o.checkKeys({"pattern", "case_insensitive", "full_match", "max_memory_mb"});
        !ok) {
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
    const auto memoryMb
        = o.number("max_memory_mb", double(LinearRegex::kDefaultMaxMemoryBytes) / (1 << 20));
    if (!ci) {
        return ci.error();
    }
    if (!full) {
        return full.error();
    }
    if (!memoryMb) {
        return memoryMb.error();
    }
    if (!(*memoryMb > 0 && *memoryMb <= kMaxMemoryMbLimit)) {
        return o.error("max_memory_mb",
                       "must be more than 0 and at most " + std::to_string(int(kMaxMemoryMbLimit)));
    }
    opts.caseInsensitive = *ci;
    opts.fullMatch = *full;
    opts.maxMemoryBytes = std::int64_t(*memoryMb * (1 << 20));
    return create(std::move(opts));
}

Result<EvalScore> RegexEvaluator::evaluate(const EvalInput &input) const
{
    std::optional<LinearRegex> perRow;
    const LinearRegex *re = m_compiled ? &*m_compiled : nullptr;
    if (!re) {
        auto compiled = compile(input.reference, m_options);
        if (!compiled) {
            return compiled.error();
        }
        perRow = std::move(*compiled);
        re = &*perRow;
    }
    const bool matched
        = m_options.fullMatch ? re->fullMatch(input.output) : re->search(input.output);
    return EvalScore{matched ? 1.0 : 0.0, matched,
                     std::string(matched ? "output matches " : "output does not match ") + "/"
                         + re->pattern() + "/"};
}

} // namespace fb
