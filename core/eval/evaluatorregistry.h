#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace fb {

/// Builds evaluators by name from JSON, e.g. `{"type": "rouge_l", "threshold": 0.4}`.
///
/// Built-in names: exact_match, contains, regex, json_valid, json_schema, numeric, bleu,
/// rouge_l, latency, cost, and the model-backed embedding_similarity, llm_judge, groundedness
/// (usesModel() true: score them with evaluateAsync) — see each evaluator class for its options.
/// Unknown names and unknown or ill-typed options fail with InvalidArgument and a message
/// naming the evaluator and the key. Registering is not thread-safe; `create` on a registry
/// that is no longer modified is.
class EvaluatorRegistry
{
public:
    using Factory = std::function<Result<std::unique_ptr<Evaluator>>(const Value &options)>;

    /// A registry holding every built-in evaluator.
    [[nodiscard]] static EvaluatorRegistry withBuiltins();

    /// Adds or replaces the factory for `name`.
    void registerFactory(const std::string &name, Factory factory);

    /// Registered names, sorted.
    [[nodiscard]] std::vector<std::string> names() const;

    /// Builds from a spec object whose "type" names the evaluator; the other keys are options.
    [[nodiscard]] Result<std::unique_ptr<Evaluator>> create(const Value &spec) const;
    /// Builds `name` with `options` (an object, or null for defaults).
    [[nodiscard]] Result<std::unique_ptr<Evaluator>> create(const std::string &name,
                                                            const Value &options) const;

private:
    std::map<std::string, Factory> m_factories;
};

} // namespace fb
