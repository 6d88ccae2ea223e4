#include <core/report/runcomparison.h>

#include <core/eval/descriptivestats.h>
#include <core/report/linefigures.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>

namespace fb {

namespace {

Value optionalJson(const std::optional<double> &v)
{
    return v && std::isfinite(*v) ? Value(*v) : Value();
}

/// The paired test of mean(candidate − baseline): the paired bootstrap up to
/// options.maxBootstrapSize pairs, above that the normal approximation (mean ± z·se, p from
/// the normal distribution), which the bootstrap matches at that size for a fraction of its
/// cost.
Result<PairedDifference> pairedDifference(const std::vector<double> &candidate,
                                          const std::vector<double> &baseline,
                                          const StatsOptions &options)
{
    PairedDifference r;
    r.n = candidate.size();
    if (candidate.size() <= options.maxBootstrapSize) {
        auto boot = PairedTests::pairedBootstrap(candidate, baseline, options.bootstrap);
        if (!boot) {
            return boot.error();
        }
        r.meanDifference = boot->meanDifference;
        r.pValue = boot->pValue;
        r.method = "bootstrap";
        return r;
    }
    std::vector<double> diffs(candidate.size());
    for (std::size_t k = 0; k < diffs.size(); ++k) {
        diffs[k] = candidate[k] - baseline[k];
    }
    auto ci = RunStatistics::meanInterval(diffs, options);
    if (!ci) {
        return ci.error();
    }
    r.meanDifference = (*ci)->interval;
    const double mean = r.meanDifference.estimate;
    const double se = DescriptiveStats::sampleStdDev(diffs) / std::sqrt(double(diffs.size()));
    if (se > 0) {
        r.pValue = std::erfc(std::fabs(mean / se) / std::sqrt(2.0));
    } else {
        r.pValue = mean == 0.0 ? 1.0 : 0.0;
    }
    r.method = "normal";
    return r;
}

Result<EvaluatorComparison> compareColumns(const EvaluatorColumn &base, const EvaluatorColumn &cand,
                                           const StatsOptions &options)
{
    EvaluatorComparison e;
    e.name = base.name;
    std::vector<double> baseScores;
    std::vector<double> candScores;
    std::vector<bool> baseVerdicts;
    std::vector<bool> candVerdicts;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < base.lineIndexes.size() && j < cand.lineIndexes.size()) {
        if (base.lineIndexes[i] < cand.lineIndexes[j]) {
            ++i;
        } else if (cand.lineIndexes[j] < base.lineIndexes[i]) {
            ++j;
        } else {
            if (!std::isnan(base.scores[i]) && !std::isnan(cand.scores[j])) {
                baseScores.push_back(base.scores[i]);
                candScores.push_back(cand.scores[j]);
            }
            if (base.verdicts[i] >= 0 && cand.verdicts[j] >= 0) {
                baseVerdicts.push_back(base.verdicts[i] == 1);
                candVerdicts.push_back(cand.verdicts[j] == 1);
            }
            ++i;
            ++j;
        }
    }

    e.pairedScores = baseScores.size();
    if (!baseScores.empty()) {
        e.baselineMean = DescriptiveStats::mean(baseScores);
        e.candidateMean = DescriptiveStats::mean(candScores);
        auto difference = pairedDifference(candScores, baseScores, options);
        if (!difference) {
            return difference.error();
        }
        e.bootstrap = PairedBootstrapResult{difference->meanDifference, difference->pValue};
        e.differenceMethod = difference->method;
        auto wilcoxon = PairedTests::wilcoxon(candScores, baseScores);
        if (wilcoxon) {
            e.wilcoxon = *wilcoxon;
        }
        if (auto d = PairedTests::cohensD(candScores, baseScores); d) {
            e.cohensD = *d;
        }
        if (auto delta = PairedTests::cliffsDelta(candScores, baseScores); delta) {
            e.cliffsDelta = *delta;
        }
        if (auto wtl = PairedTests::winTieLoss(candScores, baseScores, 1e-12); wtl) {
            e.winTieLoss = *wtl;
        }
    }
    e.pairedVerdicts = baseVerdicts.size();
    if (!baseVerdicts.empty()) {
        e.baselinePassRate = DescriptiveStats::passRate(baseVerdicts);
        e.candidatePassRate = DescriptiveStats::passRate(candVerdicts);
        auto m = PairedTests::mcnemar(baseVerdicts, candVerdicts);
        if (!m) {
            return m.error();
        }
        e.mcnemar = *m;
        if (baseScores.empty()) {
            for (std::size_t k = 0; k < baseVerdicts.size(); ++k) {
                if (candVerdicts[k] == baseVerdicts[k]) {
                    ++e.winTieLoss.ties;
                } else if (candVerdicts[k]) {
                    ++e.winTieLoss.wins;
                } else {
                    ++e.winTieLoss.losses;
                }
            }
        }
    }
    return e;
}

} // namespace

std::string PairedDifference::testName() const
{
    return method == "normal" ? "paired normal" : "paired bootstrap";
}

Value PairedDifference::toJson() const
{
    return Value{{"n", n},
                 {"test", testName()},
                 {"estimate", meanDifference.estimate},
                 {"ci_low", meanDifference.lower},
                 {"ci_high", meanDifference.upper},
                 {"p_value", pValue},
                 {"method", method}};
}

std::optional<double> EvaluatorComparison::pValue() const
{
    if (mcnemar) {
        return mcnemar->pValue;
    }
    if (bootstrap) {
        return bootstrap->pValue;
    }
    return std::nullopt;
}

std::string EvaluatorComparison::testName() const
{
    if (mcnemar) {
        return "McNemar";
    }
    if (bootstrap) {
        return differenceMethod == "normal" ? "paired normal" : "paired bootstrap";
    }
    return {};
}

std::optional<double> EvaluatorComparison::effect() const
{
    if (baselinePassRate && candidatePassRate) {
        return *candidatePassRate - *baselinePassRate;
    }
    return cohensD;
}

std::string EvaluatorComparison::effectName() const
{
    if (baselinePassRate && candidatePassRate) {
        return "\xCE\x94 pass rate";
    }
    return cohensD ? "Cohen's d" : "";
}

Value EvaluatorComparison::toJson() const
{
    Value o = Value::object();
    o["name"] = name;
    o["test"] = testName();
    o["p_value"] = optionalJson(pValue());
    o["effect"] = optionalJson(effect());
    o["effect_name"] = effectName();
    o["paired_scores"] = pairedScores;
    o["baseline_mean"] = optionalJson(baselineMean);
    o["candidate_mean"] = optionalJson(candidateMean);
    if (bootstrap) {
        o["mean_difference"] = Value{{"estimate", bootstrap->meanDifference.estimate},
                                     {"ci_low", bootstrap->meanDifference.lower},
                                     {"ci_high", bootstrap->meanDifference.upper},
                                     {"p_value", bootstrap->pValue},
                                     {"method", differenceMethod}};
    }
    if (wilcoxon) {
        o["wilcoxon"] = Value{{"n", wilcoxon->n},
                              {"statistic", wilcoxon->statistic},
                              {"exact", wilcoxon->exact},
                              {"p_value", wilcoxon->pValue}};
    }
    o["cohens_d"] = optionalJson(cohensD);
    o["cliffs_delta"] = optionalJson(cliffsDelta);
    o["paired_verdicts"] = pairedVerdicts;
    o["baseline_pass_rate"] = optionalJson(baselinePassRate);
    o["candidate_pass_rate"] = optionalJson(candidatePassRate);
    if (mcnemar) {
        o["mcnemar"] = Value{{"baseline_only", mcnemar->onlyA},
                             {"candidate_only", mcnemar->onlyB},
                             {"exact", mcnemar->exact},
                             {"statistic", mcnemar->statistic},
                             {"p_value", mcnemar->pValue}};
    }
    o["wins"] = winTieLoss.wins;
    o["ties"] = winTieLoss.ties;
    o["losses"] = winTieLoss.losses;
    return o;
}

Result<RunComparison> RunComparison::compare(ExperimentStore &store, RunId baseline,
                                             RunId candidate, const StatsOptions &options)
{
    if (baseline == candidate) {
        return fail(ErrorCode::InvalidArgument, "cannot compare a run with itself");
    }
    auto base = store.run(baseline);
    if (!base) {
        return base.error();
    }
    auto cand = store.run(candidate);
    if (!cand) {
        return cand.error();
    }
    auto baseScores = RunScores::load(store, baseline, options.pageSize);
    if (!baseScores) {
        return baseScores.error();
    }
    auto candScores = RunScores::load(store, candidate, options.pageSize);
    if (!candScores) {
        return candScores.error();
    }
    auto baseLines = LineFigures::load(store, baseline, options.pageSize);
    if (!baseLines) {
        return baseLines.error();
    }
    auto candLines = LineFigures::load(store, candidate, options.pageSize);
    if (!candLines) {
        return candLines.error();
    }
    return compare(*base, *baseLines, *baseScores, *cand, *candLines, *candScores, options);
}

Result<RunComparison>
RunComparison::compare(const RunSummary &baseline, const LineFigures &baselineLines,
                       const RunScores &baselineScores, const RunSummary &candidate,
                       const LineFigures &candidateLines, const RunScores &candidateScores,
                       const StatsOptions &options)
{
    if (baseline.id == candidate.id) {
        return fail(ErrorCode::InvalidArgument, "cannot compare a run with itself");
    }
    if (auto ok = Bootstrap::checkOptions(options.bootstrap); !ok) {
        return ok.error();
    }
    RunComparison c;
    c.baseline = baseline;
    c.candidate = candidate;

    const LineFigures &x = baselineLines;
    const LineFigures &y = candidateLines;
    std::vector<double> baseLatency;
    std::vector<double> candLatency;
    std::vector<double> baseCost;
    std::vector<double> candCost;
    double deltaSum = 0.0;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < x.size() && j < y.size()) {
        if (x.lineIndexes[i] < y.lineIndexes[j]) {
            ++i;
            continue;
        }
        if (y.lineIndexes[j] < x.lineIndexes[i]) {
            ++j;
            continue;
        }
        ++c.sharedLines;
        const bool xDone = x.statuses[i] == LineFigures::Completed;
        const bool yDone = y.statuses[j] == LineFigures::Completed;
        if (xDone && yDone) {
            ++c.bothCompleted;
            if (x.outputHashes[i] != y.outputHashes[j]) {
                ++c.outputDifferences;
            }
            if (!std::isnan(x.durationsMs[i]) && !std::isnan(y.durationsMs[j])) {
                baseLatency.push_back(x.durationsMs[i]);
                candLatency.push_back(y.durationsMs[j]);
                deltaSum += y.durationsMs[j] - x.durationsMs[i];
            }
        }
        const bool xFailed = x.statuses[i] == LineFigures::Failed;
        const bool yFailed = y.statuses[j] == LineFigures::Failed;
        c.onlyBaselineFailed += (xFailed && !yFailed) ? 1 : 0;
        c.onlyCandidateFailed += (yFailed && !xFailed) ? 1 : 0;
        if (!std::isnan(x.costsUsd[i]) && !std::isnan(y.costsUsd[j])) {
            ++c.pricedLines;
            c.baselineCostUsd += x.costsUsd[i];
            c.candidateCostUsd += y.costsUsd[j];
            baseCost.push_back(x.costsUsd[i]);
            candCost.push_back(y.costsUsd[j]);
        }
        c.baselineTokens += x.tokens[i];
        c.candidateTokens += y.tokens[j];
        ++i;
        ++j;
    }
    if (!baseLatency.empty()) {
        c.meanLatencyDeltaMs = deltaSum / double(baseLatency.size());
        auto latency = pairedDifference(candLatency, baseLatency, options);
        if (!latency) {
            return latency.error();
        }
        c.latencyDifference = std::move(*latency);
    }
    if (!baseCost.empty()) {
        auto cost = pairedDifference(candCost, baseCost, options);
        if (!cost) {
            return cost.error();
        }
        c.costDifference = std::move(*cost);
    }
    c.baselineLatencyMs = Distribution::of(std::move(baseLatency));
    c.candidateLatencyMs = Distribution::of(std::move(candLatency));

    for (const auto &column : baselineScores.columns()) {
        const EvaluatorColumn *other = candidateScores.column(column.name);
        if (!other) {
            continue;
        }
        auto e = compareColumns(column, *other, options);
        if (!e) {
            return e.error();
        }
        if (e->pairedScores > 0 || e->pairedVerdicts > 0) {
            c.evaluators.push_back(std::move(*e));
        }
    }
    return c;
}

std::vector<std::pair<std::size_t, std::size_t>> RunComparison::reportPairs(std::size_t runCount)
{
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    if (runCount <= 4) {
        for (std::size_t i = 0; i < runCount; ++i) {
            for (std::size_t j = i + 1; j < runCount; ++j) {
                pairs.emplace_back(i, j);
            }
        }
    } else {
        for (std::size_t j = 1; j < runCount; ++j) {
            pairs.emplace_back(0, j);
        }
    }
    return pairs;
}

const EvaluatorComparison *RunComparison::evaluator(const std::string &name) const
{
    for (const auto &e : evaluators) {
        if (e.name == name) {
            return &e;
        }
    }
    return nullptr;
}

Value RunComparison::toJson() const
{
    Value o = Value::object();
    o["baseline"] = baseline.name;
    o["candidate"] = candidate.name;
    o["shared_lines"] = sharedLines;
    o["both_completed"] = bothCompleted;
    o["output_differences"] = outputDifferences;
    o["only_baseline_failed"] = onlyBaselineFailed;
    o["only_candidate_failed"] = onlyCandidateFailed;
    o["evaluators"] = Value::array();
    for (const auto &e : evaluators) {
        o["evaluators"].push_back(e.toJson());
    }
    o["latency_ms"] = Value{{"baseline", baselineLatencyMs.toJson()},
                            {"candidate", candidateLatencyMs.toJson()},
                            {"mean_delta", optionalJson(meanLatencyDeltaMs)}};
    if (latencyDifference) {
        o["latency_ms"]["test"] = latencyDifference->toJson();
    }
    o["cost_usd"] = Value{{"priced_lines", pricedLines},
                          {"baseline", baselineCostUsd},
                          {"candidate", candidateCostUsd},
                          {"delta", candidateCostUsd - baselineCostUsd}};
    if (costDifference) {
        o["cost_usd"]["test"] = costDifference->toJson();
    }
    o["tokens"] = Value{{"baseline", baselineTokens},
                        {"candidate", candidateTokens},
                        {"delta", candidateTokens - baselineTokens}};
    return o;
}

} // namespace fb
