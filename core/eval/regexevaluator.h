#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>
#include <core/eval/linearregex.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace fb {

/// "regex": the output matches a regular expression, in time linear in the output (RE2, see
/// LinearRegex: Perl syntax without backreferences or lookaround; UTF-8).
/// JSON options: pattern (when absent, each row's reference is the pattern), case_insensitive
/// (false), full_match (false: the pattern may match anywhere), max_memory_mb (8, at most
/// 1024: the memory one compiled pattern may use; a larger pattern is refused). A fixed pattern
/// that is invalid or unsupported (e.g. a backreference) fails `create`, naming the pattern and
/// RE2's reason; an invalid pattern taken from a reference fails that row's `evaluate`.
/// Score is 1 or 0. Thread-safe (the compiled pattern is const).
class RegexEvaluator final : public Evaluator
{
public:
    static constexpr double kMaxMemoryMbLimit = 1024;

    struct Options
    {
        std::optional<std::string> pattern;
        bool caseInsensitive = false;
        bool fullMatch = false;
        std::int64_t maxMemoryBytes = LinearRegex::kDefaultMaxMemoryBytes;
    };

    /// Compiles the pattern; fails with InvalidArgument when RE2 cannot compile it.
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(Options options);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> create(const Value &options);

    [[nodiscard]] std::string type() const override { return "regex"; }
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

private:
    RegexEvaluator(Options options, std::optional<LinearRegex> compiled);

    Options m_options;
    std::optional<LinearRegex> m_compiled;
};

} // namespace fb
