#include <core/eval/thresholdevaluator.h>

#include <core/eval/evaloptions_p.h>

#include <sstream>

namespace fb {

namespace {

Result<std::unique_ptr<Evaluator>> createWith(const Value &options,
                                              ThresholdEvaluator::Metric metric, const char *type,
                                              const char *key)
{
    const EvalOptions o(options, type);
    if (auto ok = o.checkKeys({key}); !ok) {
        return ok.error();
    }
    if (!o.has(key)) {
        return o.error(key, "is required");
    }
    const auto threshold = o.number(key, 0.0);
    if (!threshold) {
        return threshold.error();
    }
    if (*threshold < 0) {
        return o.error(key, "must not be negative");
    }
    return std::unique_ptr<Evaluator>(new ThresholdEvaluator(metric, *threshold));
}

std::string format(double x)
{
    std::ostringstream s;
    s.precision(12);
    s << x;
    return s.str();
}

} // namespace

ThresholdEvaluator::ThresholdEvaluator(Metric metric, double threshold)
    : m_metric(metric)
    , m_threshold(threshold)
{
}

Result<std::unique_ptr<Evaluator>> ThresholdEvaluator::createLatency(const Value &options)
{
    return createWith(options, Metric::Latency, "latency", "max_ms");
}

Result<std::unique_ptr<Evaluator>> ThresholdEvaluator::createCost(const Value &options)
{
    return createWith(options, Metric::Cost, "cost", "max_usd");
}

std::string ThresholdEvaluator::type() const
{
    return m_metric == Metric::Latency ? "latency" : "cost";
}

Result<EvalScore> ThresholdEvaluator::evaluate(const EvalInput &input) const
{
    const bool latency = m_metric == Metric::Latency;
    const std::optional<double> &measured = latency ? input.latencyMs : input.costUsd;
    if (!measured) {
        return Error(ErrorCode::InvalidArgument, std::string("evaluator '") + type()
                                                     + "': the row has no measured "
                                                     + (latency ? "latency" : "cost"));
    }
    const bool passed = *measured <= m_threshold;
    const std::string unit = latency ? " ms" : " USD";
    return EvalScore{passed ? 1.0 : 0.0, passed,
                     format(*measured) + unit + (passed ? " <= " : " > ") + format(m_threshold)
                         + unit};
}

} // namespace fb
