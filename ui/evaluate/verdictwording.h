#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace fb {
struct ComparabilityWarning;
struct MetricVerdict;
}

namespace fb::ui {

/// The compare view's verdicts and warnings in words, in the current language: "variant_1 is
/// better on exact_match, +27.5 pp, p = 0.003"; "variant_1: no significant difference in
/// latency (+12 ms, p = 0.41)". p-values shown are Holm-adjusted. Stateless.
class VerdictWording
{
    Q_DECLARE_TR_FUNCTIONS(VerdictWording)

public:
    /// One sentence for one candidate on one metric.
    [[nodiscard]] static QString sentence(const fb::MetricVerdict &verdict);
    /// The metric's name as shown ("latency" and "cost" translated; evaluators as named).
    [[nodiscard]] static QString metricName(const fb::MetricVerdict &verdict);
    /// The effect in its unit with a sign: "+27.5 pp", "−0.120", "+35 ms", "+$0.0120 / 1k lines".
    [[nodiscard]] static QString effect(const fb::MetricVerdict &verdict);
    /// "p = 0.003", "p < 0.001"; empty for none.
    [[nodiscard]] static QString pValue(const std::optional<double> &p);
    /// "better", "worse", "no significant difference", "not tested".
    [[nodiscard]] static QString direction(const fb::MetricVerdict &verdict);
    /// One comparability warning as a sentence.
    [[nodiscard]] static QString warning(const fb::ComparabilityWarning &warning);
};

} // namespace fb::ui
