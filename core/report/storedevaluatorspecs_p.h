#pragma once

#include <core/common/value.h>
#include <core/store/storetypes.h>

#include <string>
#include <utility>
#include <vector>

namespace fb {

/// The built-in evaluator specs a run was made with (its parameters ["evaluators"], as the
/// experiment layer stores them), each under the name the batch gave it: the spec's "name",
/// else its "type", numbered from the second unnamed spec of that type on ("rouge_l",
/// "rouge_l_2"). That is EvaluatorSpec::build's rule, repeated here because report does not
/// depend on the experiment layer. Stateless; thread-safe.
class StoredEvaluatorSpecs
{
public:
    /// (name, spec) in spec order; specs that are not objects with a string "type" are skipped.
    [[nodiscard]] static std::vector<std::pair<std::string, Value>> of(const RunSummary &run);
    /// The spec named `name`, or null.
    [[nodiscard]] static Value find(const RunSummary &run, const std::string &name);
};

} // namespace fb
