#include <ui/evaluate/verdictwording.h>

#include <core/report/compareverdict.h>

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace fb::ui {

namespace {

QString signedNumber(double value, int decimals)
{
    const QString digits = QLocale().toString(std::fabs(value), 'f', decimals);
    if (value > 0) {
        return QStringLiteral("+") + digits;
    }
    if (value < 0) {
        return QChar(0x2212) + digits; // −
    }
    return digits;
}

} // namespace

QString VerdictWording::metricName(const fb::MetricVerdict &verdict)
{
    switch (verdict.kind) {
    case fb::VerdictMetric::Latency:
        return tr("latency");
    case fb::VerdictMetric::Cost:
        return tr("cost");
    case fb::VerdictMetric::PassRate:
    case fb::VerdictMetric::Score:
        break;
    }
    return QString::fromStdString(verdict.metric);
}

QString VerdictWording::effect(const fb::MetricVerdict &verdict)
{
    if (!verdict.effect || !std::isfinite(*verdict.effect)) {
        return {};
    }
    const double e = *verdict.effect;
    switch (verdict.kind) {
    case fb::VerdictMetric::PassRate:
        //: percentage points of pass rate
        return tr("%1 pp").arg(signedNumber(e, 1));
    case fb::VerdictMetric::Score:
        return signedNumber(e, 3);
    case fb::VerdictMetric::Latency:
        return tr("%1 ms").arg(signedNumber(e, std::fabs(e) < 10 ? 1 : 0));
    case fb::VerdictMetric::Cost:
        //: a cost difference in US dollars per 1,000 dataset lines
        return tr("%1 USD / 1k lines").arg(signedNumber(e, std::fabs(e) < 0.1 ? 4 : 2));
    }
    return {};
}

QString VerdictWording::pValue(const std::optional<double> &p)
{
    if (!p || !std::isfinite(*p)) {
        return {};
    }
    if (*p < 0.001) {
        return tr("p < 0.001");
    }
    return tr("p = %1").arg(QLocale().toString(*p, 'g', 2));
}

QString VerdictWording::direction(const fb::MetricVerdict &verdict)
{
    switch (verdict.direction) {
    case fb::VerdictDirection::Better:
        return tr("better");
    case fb::VerdictDirection::Worse:
        return tr("worse");
    case fb::VerdictDirection::NoSignificantDifference:
        return tr("no significant difference");
    case fb::VerdictDirection::NotTested:
        break;
    }
    return tr("not tested");
}

QString VerdictWording::sentence(const fb::MetricVerdict &verdict)
{
    const QString name = QString::fromStdString(verdict.candidate);
    const QString metric = metricName(verdict);
    const QString p = pValue(verdict.adjustedPValue);
    const QString fx = effect(verdict);
    switch (verdict.direction) {
    case fb::VerdictDirection::Better:
        //: %1 run, %2 metric, %3 effect with its unit, %4 "p = 0.003"
        return tr("%1 is better on %2, %3, %4").arg(name, metric, fx, p);
    case fb::VerdictDirection::Worse:
        return tr("%1 is worse on %2, %3, %4").arg(name, metric, fx, p);
    case fb::VerdictDirection::NoSignificantDifference:
        if (fx.isEmpty()) {
            return tr("%1: no significant difference in %2").arg(name, metric);
        }
        return tr("%1: no significant difference in %2 (%3, %4)").arg(name, metric, fx, p);
    case fb::VerdictDirection::NotTested:
        break;
    }
    return tr("%1: %2 not tested (no paired lines)").arg(name, metric);
}

QString VerdictWording::warning(const fb::ComparabilityWarning &warning)
{
    QStringList others;
    for (std::size_t i = 1; i < warning.runs.size(); ++i) {
        others << QString::fromStdString(warning.runs[i]);
    }
    const QString baseline
        = warning.runs.empty() ? QString() : QString::fromStdString(warning.runs.front());
    const QString runs = others.join(QStringLiteral(", "));
    switch (warning.issue) {
    case fb::ComparabilityIssue::DatasetVersion:
        return tr("Not comparable: %1 used another dataset version than the baseline %2.")
            .arg(runs, baseline);
    case fb::ComparabilityIssue::EvaluatorSettings: {
        QStringList evaluators;
        for (const auto &e : warning.evaluators) {
            evaluators << QString::fromStdString(e);
        }
        return tr("Not comparable: %1 configured %2 differently from the baseline %3.")
            .arg(runs, evaluators.join(QStringLiteral(", ")), baseline);
    }
    case fb::ComparabilityIssue::ColumnMapping:
        return tr("Not comparable: %1 mapped its inputs from other columns than the baseline %2.")
            .arg(runs, baseline);
    case fb::ComparabilityIssue::SimulatedAndReal:
        return tr("Not comparable: the answers of %1 and of the baseline %2 come from different "
                  "sources (LLM simulator and a real model).")
            .arg(runs, baseline);
    }
    return {};
}

} // namespace fb::ui
