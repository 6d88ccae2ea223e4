#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>
#include <core/eval/jsonschema.h>

#include <memory>

namespace fb {

/// "json_schema": the output is JSON and valid against `schema` (see JsonSchema for the
/// supported keywords). JSON options: schema (required), strip_code_fence (false).
/// Score is 1 or 0; on failure detail names the JSON pointer of the first violation.
/// Thread-safe.
class JsonSchemaEvaluator final : public Evaluator
{
public:
    JsonSchemaEvaluator(JsonSchema schema, bool stripCodeFence);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    [[nodiscard]] std::string type() const override { return "json_schema"; }
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

private:
    JsonSchema m_schema;
    bool m_stripCodeFence;
};

} // namespace fb
