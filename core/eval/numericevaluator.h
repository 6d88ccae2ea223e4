#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>
#include <optional>
#include <string_view>

namespace fb {

/// "numeric": the first number in the output is within tolerance of the expected number.
/// JSON options: expected (number; when absent, the first number in the row's reference),
/// abs_tol (0), rel_tol (0, relative to |expected|). Passes when
/// |actual - expected| <= max(abs_tol, rel_tol * |expected|); with both 0 it needs equality.
/// Score is 1 or 0. A reference with no number fails `evaluate`; an output with no number
/// scores 0. Thread-safe.
class NumericEvaluator final : public Evaluator
{
public:
    struct Options
    {
        std::optional<double> expected;
        double absTol = 0.0;
        double relTol = 0.0;
    };

    explicit NumericEvaluator(Options options);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    [[nodiscard]] std::string type() const override { return "numeric"; }
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

    /// The first decimal number in `text`: optional sign (when not glued to a word, so the "-"
    /// in "gpt-4" is not a sign), digits with optional "," thousands groups of three, optional
    /// fraction and exponent ("-1,234.5e3", ".5"). Locale-independent.
    [[nodiscard]] static std::optional<double> firstNumber(std::string_view text);

private:
    Options m_options;
};

} // namespace fb
