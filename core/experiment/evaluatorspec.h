#pragma once

#include <core/batch/batchrunner.h>
#include <core/common/result.h>
#include <core/common/value.h>

#include <string>
#include <vector>

namespace fb {

class EvaluatorRegistry;

/// The CLI's `--evaluator SPEC` for built-in evaluators run with every line:
/// a JSON object (`{"type":"rouge_l","reference":"answer","threshold":0.4}`) or the short form
/// `TYPE[:KEY=VALUE,...]` (`exact_match:reference=label,output=category`), where a VALUE that
/// parses as JSON (numbers, true/false, arrays) is taken as such, else as text.
/// Batch keys, not passed to the evaluator: `name` (default: the type, numbered when
/// repeated), `output` (flow output; default the first), `reference`, `question` and `context`
/// (dataset columns). Stateless.
class EvaluatorSpec
{
public:
    /// Parses one spec into its JSON object form; errors quote the spec.
    [[nodiscard]] static Result<Value> parse(const std::string &text);
    /// Builds the evaluators of a run from JSON specs (as stored in the run's parameters);
    /// errors name the spec and the offending key.
    [[nodiscard]] static Result<std::vector<BatchEvaluator>>
    build(const Value &specs, const EvaluatorRegistry &registry);
};

} // namespace fb
