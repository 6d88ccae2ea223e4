#pragma once

#include <core/common/value.h>
#include <core/eval/evaluator.h>

#include <memory>

namespace fb {

/// "latency" and "cost": pass when the row's measured latency (ms) or cost (USD) is at most a
/// threshold. JSON options: max_ms (latency) or max_usd (cost), required and >= 0.
/// Score is 1 or 0. A row without the measurement fails `evaluate`. Thread-safe.
class ThresholdEvaluator final : public Evaluator
{
public:
    enum class Metric { Latency, Cost };

    ThresholdEvaluator(Metric metric, double threshold);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> createLatency(const Value &options);
    [[nodiscard]] static Result<std::unique_ptr<Evaluator>> createCost(const Value &options);

    [[nodiscard]] std::string type() const override;
    [[nodiscard]] Result<EvalScore> evaluate(const EvalInput &input) const override;

private:
    Metric m_metric;
    double m_threshold;
};

} // namespace fb
