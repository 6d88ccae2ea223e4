#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>
#include <string>

namespace fb {

/// "json_valid": the output parses as one JSON document (RFC 8259; surrounding whitespace is
/// allowed). JSON options: strip_code_fence (false; accepts output wrapped in a ``` fence, as
/// chat models often write it). Score is 1 or 0; detail gives the parser's message. Thread-safe.
class JsonValidEvaluator final : public Evaluator
{
public:
    explicit JsonValidEvaluator(bool stripCodeFence);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    [[nodiscard]] std::string type() const override { return "json_valid"; }
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

    /// Parses `text` (after removing a code fence when asked); the error says where it broke.
    [[nodiscard]] static Result<Value> parse(const std::string &text, bool stripCodeFence);

private:
    bool m_stripCodeFence;
};

} // namespace fb
