#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>
#include <string>
#include <vector>

namespace fb {

/// "contains": the output contains any (or all) of a list of strings.
/// JSON options: values (string or list; when absent the row's reference is the one value),
/// mode ("any" default, or "all"), case_insensitive (false).
/// Score is the fraction of values found; passed is any-found / all-found. An empty value is
/// contained in every text. Thread-safe.
class ContainsEvaluator final : public Evaluator
{
public:
    enum class Mode { Any, All };
    struct Options
    {
        std::vector<std::string> values; ///< empty: use the reference
        Mode mode = Mode::Any;
        bool caseInsensitive = false;
    };

    explicit ContainsEvaluator(Options options);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    [[nodiscard]] std::string type() const override { return "contains"; }
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

private:
    Options m_options;
};

} // namespace fb
