#include <core/eval/jsonschemaevaluator.h>

#include <core/eval/evaloptions_p.h>
#include <core/eval/jsonvalidevaluator.h>

namespace fb {

JsonSchemaEvaluator::JsonSchemaEvaluator(JsonSchema schema, bool stripCodeFence)
    : m_schema(std::move(schema))
    , m_stripCodeFence(stripCodeFence)
{
}

Result<std::unique_ptr<Evaluator>> JsonSchemaEvaluator::create(const Value &options)
{
    const EvalOptions o(options, "json_schema");
    if (auto ok = o.checkKeys({"schema", "strip_code_fence"}); !ok) {
        return ok.error();
    }
    if (!o.has("schema")) {
        return o.error("schema", "is required");
    }
    const auto strip = o.boolean("strip_code_fence", false);
    if (!strip) {
        return strip.error();
    }
    auto schema = JsonSchema::compile(Value(o.raw("schema")));
    if (!schema) {
        return Error(ErrorCode::InvalidArgument,
                     "evaluator 'json_schema': " + schema.error().message);
    }
    return std::unique_ptr<Evaluator>(new JsonSchemaEvaluator(std::move(*schema), *strip));
}

Result<EvalScore> JsonSchemaEvaluator::evaluate(const EvalInput &input) const
{
    const auto parsed = JsonValidEvaluator::parse(input.output, m_stripCodeFence);
    if (!parsed) {
        return EvalScore{0.0, false, parsed.error().message};
    }
    if (const auto violation = m_schema.validate(*parsed)) {
        return EvalScore{0.0, false, violation->message};
    }
    return EvalScore{1.0, true, "output is valid against the schema"};
}

} // namespace fb
