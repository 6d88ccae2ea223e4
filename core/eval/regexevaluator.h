#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>

namespace fb {

/// "regex": the output matches an ECMAScript regular expression (std::regex).
/// JSON options: pattern (when absent, each row's reference is the pattern), case_insensitive
/// (false), full_match (false: the pattern may match anywhere). An invalid fixed pattern fails
/// `create`; an invalid pattern taken from a reference fails that row's `evaluate`.
/// Matching works on UTF-8 bytes. Score is 1 or 0. Thread-safe (the compiled regex is const).
class RegexEvaluator final : public Evaluator
{
public:
    struct Options
    {
        std::optional<std::string> pattern;
        bool caseInsensitive = false;
        bool fullMatch = false;
    };

    /// Compiles the pattern; fails with InvalidArgument when it is not a valid regex.
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(Options options);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    [[nodiscard]] std::string type() const override { return "regex"; }
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

private:
    RegexEvaluator(Options options, std::optional<std::regex> compiled);

    Options m_options;
    std::optional<std::regex> m_compiled;
};

} // namespace fb
