#include <core/eval/jsonvalidevaluator.h>

#include <core/eval/evaloptions_p.h>
#include <core/eval/evaltext_p.h>

namespace fb {

JsonValidEvaluator::JsonValidEvaluator(bool stripCodeFence)
    : m_stripCodeFence(stripCodeFence)
{
}

Result<std::unique_ptr<Evaluator>> JsonValidEvaluator::create(const Value &options)
{
    const EvalOptions o(options, "json_valid");
    if (auto ok = o.checkKeys({"strip_code_fence"}); !ok) {
        return ok.error();
    }
    const auto strip = o.boolean("strip_code_fence", false);
    if (!strip) {
        return strip.error();
    }
    return std::unique_ptr<Evaluator>(new JsonValidEvaluator(*strip));
}

Result<Value> JsonValidEvaluator::parse(const std::string &text, bool stripCodeFence)
{
    std::string body = text;
    if (stripCodeFence) {
        const std::string trimmed = EvalText::trim(text);
        if (trimmed.rfind("```", 0) == 0 && trimmed.size() >= 6
            && trimmed.compare(trimmed.size() - 3, 3, "```") == 0) {
            const std::size_t firstNewline = trimmed.find('\n');
            if (firstNewline != std::string::npos && firstNewline < trimmed.size() - 3) {
                body = trimmed.substr(firstNewline + 1, trimmed.size() - 3 - firstNewline - 1);
            }
        }
    }
    try {
        return Value::parse(body);
    } catch (const Value::exception &e) {
        // nlohmann's message carries the line/column of the first bad byte.
        return Error(ErrorCode::Parse, std::string("not valid JSON: ") + e.what());
    }
}

Result<EvalScore> JsonValidEvaluator::evaluate(const EvalInput &input) const
{
    const auto parsed = parse(input.output, m_stripCodeFence);
    if (!parsed) {
        return EvalScore{0.0, false, parsed.error().message};
    }
    return EvalScore{1.0, true, "output is valid JSON (" + std::string(parsed->type_name()) + ")"};
}

} // namespace fb
