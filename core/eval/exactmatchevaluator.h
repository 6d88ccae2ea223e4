#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>

namespace fb {

/// "exact_match": the output equals the reference, after optional normalisation.
/// JSON options: case_insensitive (false), trim (false), normalize_whitespace (false; collapses
/// each whitespace run to one space and implies trim). Score is 1 or 0. Thread-safe.
class ExactMatchEvaluator final : public Evaluator
{
public:
    struct Options
    {
        bool caseInsensitive = false;
        bool trim = false;
        bool normalizeWhitespace = false;
    };

    explicit ExactMatchEvaluator(Options options);
    /// Builds from JSON options; fails with InvalidArgument on unknown keys or wrong types.
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    [[nodiscard]] std::string type() const override { return "exact_match"; }
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

    /// The text as compared, after this evaluator's normalisation.
    [[nodiscard]] std::string normalize(const std::string &text) const;

private:
    Options m_options;
};

} // namespace fb
