#include <core/eval/evaluatorregistry.h>

#include <core/eval/containsevaluator.h>
#include <core/eval/embeddingsimilarityevaluator.h>
#include <core/eval/exactmatchevaluator.h>
#include <core/eval/jsonschemaevaluator.h>
#include <core/eval/jsonvalidevaluator.h>
#include <core/eval/llmjudgeevaluator.h>
#include <core/eval/numericevaluator.h>
#include <core/eval/regexevaluator.h>
#include <core/eval/textmetricevaluator.h>
#include <core/eval/thresholdevaluator.h>

namespace fb {

EvaluatorRegistry EvaluatorRegistry::withBuiltins()
{
    EvaluatorRegistry r;
    r.registerFactory("exact_match", [](const Value &o) { return ExactMatchEvaluator::create(o); });
    r.registerFactory("contains", [](const Value &o) { return ContainsEvaluator::create(o); });
    r.registerFactory("regex", [](const Value &o) { return RegexEvaluator::create(o); });
    r.registerFactory("json_valid", [](const Value &o) { return JsonValidEvaluator::create(o); });
    r.registerFactory("json_schema", [](const Value &o) { return JsonSchemaEvaluator::create(o); });
    r.registerFactory("numeric", [](const Value &o) { return NumericEvaluator::create(o); });
    r.registerFactory("bleu", [](const Value &o) { return TextMetricEvaluator::createBleu(o); });
    r.registerFactory("rouge_l",
                      [](const Value &o) { return TextMetricEvaluator::createRougeL(o); });
    r.registerFactory("latency",
                      [](const Value &o) { return ThresholdEvaluator::createLatency(o); });
    r.registerFactory("cost", [](const Value &o) { return ThresholdEvaluator::createCost(o); });
    r.registerFactory("embedding_similarity",
                      [](const Value &o) { return EmbeddingSimilarityEvaluator::create(o); });
    r.registerFactory("llm_judge",
                      [](const Value &o) { return LlmJudgeEvaluator::createJudge(o); });
    r.registerFactory("groundedness",
                      [](const Value &o) { return LlmJudgeEvaluator::createGroundedness(o); });
    return r;
}

void EvaluatorRegistry::registerFactory(const std::string &name, Factory factory)
{
    m_factories[name] = std::move(factory);
}

std::vector<std::string> EvaluatorRegistry::names() const
{
    std::vector<std::string> out;
    for (const auto &entry : m_factories) {
        out.push_back(entry.first);
    }
    return out;
}

Result<std::unique_ptr<Evaluator>> EvaluatorRegistry::create(const Value &spec) const
{
    if (!spec.is_object()) {
        return Error(ErrorCode::InvalidArgument,
                     "an evaluator spec must be a JSON object like {\"type\": \"exact_match\"}");
    }
    const auto type = spec.find("type");
    if (type == spec.end() || !type->is_string()) {
        return Error(ErrorCode::InvalidArgument,
                     "an evaluator spec needs a string \"type\" naming the evaluator");
    }
    return create(type->get<std::string>(), spec);
}

Result<std::unique_ptr<Evaluator>> EvaluatorRegistry::create(const std::string &name,
                                                             const Value &options) const
{
    const auto it = m_factories.find(name);
    if (it == m_factories.end()) {
        std::string known;
        for (const auto &entry : m_factories) {
            known += (known.empty() ? "" : ", ") + entry.first;
        }
        return Error(ErrorCode::InvalidArgument,
                     "unknown evaluator '" + name + "' (known: " + known + ")");
    }
    return it->second(options);
}

} // namespace fb
