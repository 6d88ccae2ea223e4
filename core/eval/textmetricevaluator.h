#pragma once

#include <core/common/value.h>
#include <core/eval/bleu.h>
#include <core/eval/evaluator.h>

#include <memory>

namespace fb {

/// "bleu" and "rouge_l": a text-overlap metric of the output against the reference, with a
/// pass threshold. Score is sentence BLEU / 100 (sacrebleu defaults: 13a, exp smoothing,
/// effective order) or the ROUGE-L F-measure, both in [0, 1]; passed is score >= threshold.
/// JSON options: threshold (0.5, in [0, 1]); bleu also takes lowercase (false) and
/// tokenize ("13a" or "none"). Thread-safe.
class TextMetricEvaluator final : public Evaluator
{
public:
    enum class Metric { Bleu, RougeL };

    TextMetricEvaluator(Metric metric, double threshold, Bleu::Options bleuOptions = {});
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> createBleu(const Value &options);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> createRougeL(const Value &options);

    [[nodiscard]] std::string type() const override;
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

private:
    Metric m_metric;
    double m_threshold;
    Bleu::Options m_bleu;
};

} // namespace fb
