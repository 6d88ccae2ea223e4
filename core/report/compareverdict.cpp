#include <core/report/compareverdict.h>

#include <core/eval/multiplecomparisons.h>
#include <core/report/runcomparison.h>
#include <core/report/storedevaluatorspecs_p.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace fb {

namespace {

Value optionalJson(const std::optional<double> &v)
{
    return v && std::isfinite(*v) ? Value(*v) : Value();
}

/// A JSON value with its objects' keys sorted: settings written in a different key order are
/// the same settings.
std::string canonical(const Value &v)
{
    return nlohmann::json::parse(v.dump(), nullptr, false).dump();
}

/// A run's evaluator specs by name, each in canonical form.
std::map<std::string, std::string> evaluatorSettings(const RunSummary &run)
{
    std::map<std::string, std::string> out;
    for (const auto &[name, spec] : StoredEvaluatorSpecs::of(run)) {
        out[name] = canonical(spec);
    }
    return out;
}

bool isSimulated(const RunSummary &run)
{
    return run.parameters.is_object() && run.parameters.contains("simulator")
           && run.parameters["simulator"].is_boolean() && run.parameters["simulator"].get<bool>();
}

} // namespace

Value MetricVerdict::toJson() const
{
    return Value{{"candidate", candidate},
                 {"metric", metric},
                 {"kind", CompareVerdict::metricName(kind)},
                 {"direction", CompareVerdict::directionName(direction)},
                 {"higher_is_better", higherIsBetter},
                 {"effect", optionalJson(effect)},
                 {"p_value", optionalJson(pValue)},
                 {"adjusted_p_value", optionalJson(adjustedPValue)},
                 {"test", test},
                 {"pairs", pairs}};
}

Value ComparabilityWarning::toJson() const
{
    Value o{{"issue", CompareVerdict::issueName(issue)}, {"runs", runs}};
    if (!evaluators.empty()) {
        o["evaluators"] = evaluators;
    }
    return o;
}

Result<CompareVerdict> CompareVerdict::judge(const std::vector<RunComparison> &comparisons,
                                             const CompareVerdictOptions &options)
{
    if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
        return fail(ErrorCode::InvalidArgument, "alpha must be between 0 and 1");
    }
    CompareVerdict set;
    set.m_alpha = options.alpha;
    if (comparisons.empty()) {
        return set;
    }
    set.m_baseline = comparisons.front().baseline.name;
    set.m_baselineId = comparisons.front().baseline.id;
    for (std::size_t i = 0; i < comparisons.size(); ++i) {
        const RunComparison &c = comparisons[i];
        if (c.baseline.id != set.m_baselineId) {
            return fail(ErrorCode::InvalidArgument,
                        "verdicts compare one baseline with candidates: '" + c.baseline.name
                            + "' is not the baseline '" + set.m_baseline + "'");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (comparisons[j].candidate.id == c.candidate.id) {
                return fail(ErrorCode::InvalidArgument,
                            "run '" + c.candidate.name + "' is compared twice");
            }
        }
    }

    for (const RunComparison &c : comparisons) {
        MetricVerdict base;
        base.candidateId = c.candidate.id;
        base.candidate = c.candidate.name;
        for (const EvaluatorComparison &e : c.evaluators) {
            MetricVerdict v = base;
            v.metric = e.name;
            v.higherIsBetter = options.lowerIsBetter.count(e.name) == 0;
            if (e.mcnemar && e.pairedVerdicts > 0) {
                // From the discordant counts, so that whole percentages come out exact:
                // pass rate difference = (c - b) / n.
                v.kind = VerdictMetric::PassRate;
                v.effect = 100.0 * (double(e.mcnemar->onlyB) - double(e.mcnemar->onlyA))
                           / double(e.pairedVerdicts);
                v.pValue = e.mcnemar->pValue;
                v.pairs = e.pairedVerdicts;
            } else if (e.bootstrap && e.pairedScores > 0) {
                v.kind = VerdictMetric::Score;
                v.effect = e.bootstrap->meanDifference.estimate;
                v.pValue = e.bootstrap->pValue;
                v.pairs = e.pairedScores;
            }
            v.test = v.pValue ? e.testName() : std::string();
            set.m_verdicts.push_back(std::move(v));
        }

        MetricVerdict latency = base;
        latency.metric = "latency";
        latency.kind = VerdictMetric::Latency;
        latency.higherIsBetter = false;
        if (c.latencyDifference) {
            latency.effect = c.latencyDifference->meanDifference.estimate;
            latency.pValue = c.latencyDifference->pValue;
            latency.test = c.latencyDifference->testName();
            latency.pairs = c.latencyDifference->n;
        }
        set.m_verdicts.push_back(std::move(latency));

        MetricVerdict cost = base;
        cost.metric = "cost";
        cost.kind = VerdictMetric::Cost;
        cost.higherIsBetter = false;
        if (c.costDifference) {
            cost.effect = c.costDifference->meanDifference.estimate * 1000.0;
            cost.pValue = c.costDifference->pValue;
            cost.test = c.costDifference->testName();
            cost.pairs = c.costDifference->n;
        }
        set.m_verdicts.push_back(std::move(cost));
    }

    std::vector<double> raw;
    raw.reserve(set.m_verdicts.size());
    for (const auto &v : set.m_verdicts) {
        raw.push_back(v.pValue ? *v.pValue : std::nan(""));
    }
    auto adjusted = MultipleComparisons::holm(raw);
    if (!adjusted) {
        return adjusted.error();
    }
    for (std::size_t i = 0; i < set.m_verdicts.size(); ++i) {
        MetricVerdict &v = set.m_verdicts[i];
        if (!v.pValue) {
            v.direction = VerdictDirection::NotTested;
            continue;
        }
        ++set.m_testCount;
        v.adjustedPValue = (*adjusted)[i];
        const double effect = v.effect.value_or(0.0);
        if (*v.adjustedPValue < options.alpha && effect != 0.0) {
            const bool up = effect > 0.0;
            v.direction
                = up == v.higherIsBetter ? VerdictDirection::Better : VerdictDirection::Worse;
        } else {
            v.direction = VerdictDirection::NoSignificantDifference;
        }
    }
    return set;
}

std::vector<ComparabilityWarning> CompareVerdict::comparability(const std::vector<RunSummary> &runs)
{
    std::vector<ComparabilityWarning> warnings;
    if (runs.size() < 2) {
        return warnings;
    }
    const RunSummary &base = runs.front();
    const auto baseEvaluators = evaluatorSettings(base);
    const std::string baseMapping = canonical(base.columnMapping);

    ComparabilityWarning dataset{ComparabilityIssue::DatasetVersion, {base.name}, {}};
    ComparabilityWarning settings{ComparabilityIssue::EvaluatorSettings, {base.name}, {}};
    ComparabilityWarning mapping{ComparabilityIssue::ColumnMapping, {base.name}, {}};
    ComparabilityWarning simulated{ComparabilityIssue::SimulatedAndReal, {base.name}, {}};
    for (std::size_t i = 1; i < runs.size(); ++i) {
        const RunSummary &run = runs[i];
        if (run.datasetId != base.datasetId) {
            dataset.runs.push_back(run.name);
        }
        bool differs = false;
        for (const auto &[name, spec] : evaluatorSettings(run)) {
            const auto it = baseEvaluators.find(name);
            if (it != baseEvaluators.end() && it->second != spec) {
                differs = true;
                if (std::find(settings.evaluators.begin(), settings.evaluators.end(), name)
                    == settings.evaluators.end()) {
                    settings.evaluators.push_back(name);
                }
            }
        }
        if (differs) {
            settings.runs.push_back(run.name);
        }
        if (canonical(run.columnMapping) != baseMapping) {
            mapping.runs.push_back(run.name);
        }
        if (isSimulated(run) != isSimulated(base)) {
            simulated.runs.push_back(run.name);
        }
    }
    for (auto *w : {&dataset, &settings, &mapping, &simulated}) {
        if (w->runs.size() > 1) {
            warnings.push_back(std::move(*w));
        }
    }
    return warnings;
}

const MetricVerdict *CompareVerdict::verdict(const std::string &candidate,
                                             const std::string &metric) const
{
    for (const auto &v : m_verdicts) {
        if (v.candidate == candidate && v.metric == metric) {
            return &v;
        }
    }
    return nullptr;
}

Value CompareVerdict::toJson() const
{
    Value o{{"baseline", m_baseline},
            {"alpha", m_alpha},
            {"correction", "holm"},
            {"tests", m_testCount},
            {"verdicts", Value::array()}};
    for (const auto &v : m_verdicts) {
        o["verdicts"].push_back(v.toJson());
    }
    return o;
}

const char *CompareVerdict::directionName(VerdictDirection direction)
{
    switch (direction) {
    case VerdictDirection::Better:
        return "better";
    case VerdictDirection::Worse:
        return "worse";
    case VerdictDirection::NoSignificantDifference:
        return "no_significant_difference";
    case VerdictDirection::NotTested:
        return "not_tested";
    }
    return "not_tested";
}

const char *CompareVerdict::metricName(VerdictMetric kind)
{
    switch (kind) {
    case VerdictMetric::PassRate:
        return "pass_rate";
    case VerdictMetric::Score:
        return "score";
    case VerdictMetric::Latency:
        return "latency";
    case VerdictMetric::Cost:
        return "cost";
    }
    return "score";
}

const char *CompareVerdict::issueName(ComparabilityIssue issue)
{
    switch (issue) {
    case ComparabilityIssue::DatasetVersion:
        return "dataset_version";
    case ComparabilityIssue::EvaluatorSettings:
        return "evaluator_settings";
    case ComparabilityIssue::ColumnMapping:
        return "column_mapping";
    case ComparabilityIssue::SimulatedAndReal:
        return "simulated_and_real";
    }
    return "dataset_version";
}

} // namespace fb
