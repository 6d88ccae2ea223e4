#include <core/report/runstatistics.h>

#include <core/eval/descriptivestats.h>
#include <core/report/linefigures.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace fb {

namespace {

/// z with P(|Z| <= z) = confidence, by bisection on erf (monotone; 80 steps is exact to
/// double precision).
double twoSidedZ(double confidence)
{
    double lo = 0.0;
    double hi = 40.0;
    for (int i = 0; i < 80; ++i) {
        const double mid = (lo + hi) / 2.0;
        if (std::erf(mid / std::sqrt(2.0)) < confidence) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return (lo + hi) / 2.0;
}

Value optionalJson(const std::optional<double> &v)
{
    return v && std::isfinite(*v) ? Value(*v) : Value();
}

Value intervalJson(const std::optional<MeanInterval> &m)
{
    if (!m) {
        return Value();
    }
    return Value{{"n", m->n},
                 {"mean", m->interval.estimate},
                 {"ci_low", m->interval.lower},
                 {"ci_high", m->interval.upper},
                 {"confidence", m->interval.confidence},
                 {"method", m->method}};
}

std::string reasonOf(const std::string &error)
{
    std::string reason = error.empty() ? std::string("(no error message)") : error;
    if (reason.size() > 300) {
        reason.resize(300);
        reason += "...";
    }
    return reason;
}

} // namespace

Distribution Distribution::of(std::vector<double> values)
{
    values.erase(
        std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
        values.end());
    Distribution d;
    if (values.empty()) {
        return d;
    }
    std::sort(values.begin(), values.end());
    d.count = values.size();
    d.mean = DescriptiveStats::mean(values);
    d.min = values.front();
    d.max = values.back();
    d.p25 = DescriptiveStats::percentileSorted(values, 25);
    d.p50 = DescriptiveStats::percentileSorted(values, 50);
    d.p75 = DescriptiveStats::percentileSorted(values, 75);
    d.p90 = DescriptiveStats::percentileSorted(values, 90);
    d.p95 = DescriptiveStats::percentileSorted(values, 95);
    d.p99 = DescriptiveStats::percentileSorted(values, 99);
    return d;
}

Value Distribution::toJson() const
{
    if (count == 0) {
        return Value{{"count", 0}};
    }
    return Value{{"count", count}, {"mean", mean}, {"min", min}, {"p25", p25}, {"p50", p50},
                 {"p75", p75},     {"p90", p90},   {"p95", p95}, {"p99", p99}, {"max", max}};
}

Value EvaluatorStatistics::toJson() const
{
    return Value{{"name", name},
                 {"source", source.empty() ? Value("built-in") : Value(source)},
                 {"score", intervalJson(meanScore)},
                 {"pass_rate", intervalJson(passRate)}};
}

bool RunStatistics::isSimulated() const
{
    const auto it = run.parameters.find("simulator");
    return it != run.parameters.end() && it->is_boolean() && it->get<bool>();
}

const EvaluatorStatistics *RunStatistics::evaluator(const std::string &name) const
{
    for (const auto &e : evaluators) {
        if (e.name == name) {
            return &e;
        }
    }
    return nullptr;
}

Result<std::optional<MeanInterval>> RunStatistics::meanInterval(const std::vector<double> &values,
                                                                const StatsOptions &options)
{
    if (auto ok = Bootstrap::checkOptions(options.bootstrap); !ok) {
        return ok.error();
    }
    if (values.empty()) {
        return std::optional<MeanInterval>();
    }
    MeanInterval m;
    m.n = values.size();
    if (values.size() <= options.maxBootstrapSize) {
        auto ci = Bootstrap::meanInterval(values, options.bootstrap);
        if (!ci) {
            return ci.error();
        }
        m.interval = *ci;
        m.method = "bootstrap";
    } else {
        const double mean = DescriptiveStats::mean(values);
        const double sd = DescriptiveStats::sampleStdDev(values);
        const double half
            = twoSidedZ(options.bootstrap.confidence) * sd / std::sqrt(double(values.size()));
        m.interval.estimate = mean;
        m.interval.lower = mean - half;
        m.interval.upper = mean + half;
        m.interval.confidence = options.bootstrap.confidence;
        m.method = "normal";
    }
    return std::optional<MeanInterval>(m);
}

Result<RunStatistics> RunStatistics::compute(ExperimentStore &store, RunId run,
                                             const StatsOptions &options)
{
    auto scores = RunScores::load(store, run, options.pageSize);
    if (!scores) {
        return scores.error();
    }
    return compute(store, run, *scores, options);
}

Result<RunStatistics> RunStatistics::compute(ExperimentStore &store, RunId run,
                                             const RunScores &scores, const StatsOptions &options,
                                             LineFigures *figures)
{
    if (auto ok = Bootstrap::checkOptions(options.bootstrap); !ok) {
        return ok.error();
    }
    auto summary = store.run(run);
    if (!summary) {
        return summary.error();
    }
    RunStatistics s;
    s.run = std::move(*summary);
    s.linesTotal = s.run.totalLines;
    s.evaluationRuns = scores.evaluationRunNames();

    // Lines, page by page: numbers only.
    std::vector<double> durations;
    std::vector<double> queue;
    std::optional<std::int64_t> firstStart;
    std::optional<double> lastEnd;
    std::unordered_map<std::string, std::size_t> reasonIndex;
    const std::int64_t pageSize = std::max<std::int64_t>(options.pageSize, 1);
    for (std::int64_t after = -1;;) {
        auto page = store.linesAfter(run, after, pageSize);
        if (!page) {
            return page.error();
        }
        for (const auto &line : *page) {
            if (figures) {
                figures->append(line);
            }
            ++s.linesStored;
            if (line.status == kLineCompleted) {
                ++s.linesCompleted;
                if (line.durationMs) {
                    durations.push_back(*line.durationMs);
                }
            } else if (line.status == kLineFailed) {
                ++s.linesFailed;
                const std::string reason = reasonOf(line.error);
                auto it = reasonIndex.find(reason);
                if (it == reasonIndex.end() && s.failures.size() < options.maxFailureReasons) {
                    it = reasonIndex.emplace(reason, s.failures.size()).first;
                    s.failures.push_back(FailureReason{reason, 0, {}});
                }
                if (it == reasonIndex.end()) {
                    ++s.otherFailures;
                } else {
                    auto &f = s.failures[it->second];
                    ++f.count;
                    if (f.exampleLines.size() < 5) {
                        f.exampleLines.push_back(line.lineIndex);
                    }
                }
            } else {
                ++s.linesOther;
            }
            if (line.queueMs) {
                queue.push_back(*line.queueMs);
            }
            if (line.startedAtMs) {
                firstStart
                    = firstStart ? std::min(*firstStart, *line.startedAtMs) : *line.startedAtMs;
                const double end = double(*line.startedAtMs) + line.durationMs.value_or(0.0);
                lastEnd = lastEnd ? std::max(*lastEnd, end) : end;
            }
            s.promptTokens += line.promptTokens;
            s.completionTokens += line.completionTokens;
            if (line.costUsd) {
                s.costUsd += *line.costUsd;
                ++s.linesWithCost;
            } else {
                ++s.linesWithoutCost;
            }
        }
        if (std::int64_t(page->size()) < pageSize) {
            break;
        }
        after = page->back().lineIndex;
    }
    std::stable_sort(
        s.failures.begin(), s.failures.end(),
        [](const FailureReason &a, const FailureReason &b) { return a.count > b.count; });
    s.lineLatencyMs = Distribution::of(std::move(durations));
    s.queueMs = Distribution::of(std::move(queue));
    if (s.linesStored > 0) {
        s.promptTokensPerLine = double(s.promptTokens) / double(s.linesStored);
        s.completionTokensPerLine = double(s.completionTokens) / double(s.linesStored);
    }
    if (s.linesWithCost > 0) {
        s.costPerLineUsd = s.costUsd / double(s.linesWithCost);
    }

    // LLM calls.
    {
        auto calls = store.llmCalls(run);
        if (!calls) {
            return calls.error();
        }
        std::vector<double> latency;
        std::vector<double> ttft;
        std::vector<double> tpot;
        latency.reserve(calls->size());
        for (const auto &c : *calls) {
            ++s.llmCalls;
            if (c.latencyMs) {
                latency.push_back(*c.latencyMs);
            }
            if (c.ttftMs) {
                ttft.push_back(*c.ttftMs);
            }
            if (c.tpotMs) {
                tpot.push_back(*c.tpotMs);
            }
            if (c.attempts > 1) {
                ++s.retriedCalls;
                s.extraAttempts += c.attempts - 1;
            }
            s.rateLimitedCalls += c.httpStatus == 429 ? 1 : 0;
            s.cacheHits += c.cacheHit ? 1 : 0;
        }
        s.callLatencyMs = Distribution::of(std::move(latency));
        s.ttftMs = Distribution::of(std::move(ttft));
        s.tpotMs = Distribution::of(std::move(tpot));
    }

    // Throughput.
    if (firstStart && lastEnd && *lastEnd > double(*firstStart)) {
        s.wallSeconds = (*lastEnd - double(*firstStart)) / 1000.0;
    } else if (s.run.startedAtMs && s.run.finishedAtMs
               && *s.run.finishedAtMs > *s.run.startedAtMs) {
        s.wallSeconds = double(*s.run.finishedAtMs - *s.run.startedAtMs) / 1000.0;
    }
    if (s.wallSeconds) {
        s.linesPerSecond = double(s.linesCompleted + s.linesFailed) / *s.wallSeconds;
        s.callsPerSecond = double(s.llmCalls) / *s.wallSeconds;
    }

    // Evaluators.
    for (const auto &column : scores.columns()) {
        EvaluatorStatistics e;
        e.name = column.name;
        e.source = column.source;
        std::vector<double> values;
        values.reserve(std::max(column.scoreCount, column.verdictCount));
        for (double v : column.scores) {
            if (!std::isnan(v)) {
                values.push_back(v);
            }
        }
        auto score = meanInterval(values, options);
        if (!score) {
            return score.error();
        }
        e.meanScore = *score;
        values.clear();
        for (signed char v : column.verdicts) {
            if (v >= 0) {
                values.push_back(double(v));
            }
        }
        auto pass = meanInterval(values, options);
        if (!pass) {
            return pass.error();
        }
        e.passRate = *pass;
        s.evaluators.push_back(std::move(e));
    }

    // Metrics: the run's, then its evaluation runs' (named like their evaluators).
    auto own = store.metrics(run);
    if (!own) {
        return own.error();
    }
    s.metrics = std::move(*own);
    for (std::size_t i = 0; i < scores.evaluationRunIds().size(); ++i) {
        auto evalMetrics = store.metrics(scores.evaluationRunIds()[i]);
        if (!evalMetrics) {
            return evalMetrics.error();
        }
        for (const auto &[name, value] : *evalMetrics) {
            const bool prefix = scores.prefixesEvaluationRuns() || s.metrics.count(name);
            s.metrics[prefix ? scores.evaluationRunNames()[i] + "." + name : name] = value;
        }
    }
    return s;
}

Value RunStatistics::toJson() const
{
    Value o = Value::object();
    o["run"] = run.name;
    o["run_id"] = run.id.value;
    o["flow"] = run.flowName;
    o["variants"] = run.variants;
    o["status"] = runStateName(run.status);
    o["simulated"] = isSimulated();
    o["experiment_id"] = run.experimentId ? Value(run.experimentId->value) : Value();
    o["evaluation_runs"] = evaluationRuns;
    o["lines"] = Value{{"total", linesTotal},
                       {"stored", linesStored},
                       {"completed", linesCompleted},
                       {"failed", linesFailed},
                       {"other", linesOther}};
    o["evaluators"] = Value::array();
    for (const auto &e : evaluators) {
        o["evaluators"].push_back(e.toJson());
    }
    o["metrics"] = Value::object();
    for (const auto &[name, value] : metrics) {
        o["metrics"][name] = std::isfinite(value) ? Value(value) : Value();
    }
    o["latency_ms"] = Value{{"line", lineLatencyMs.toJson()},
                            {"llm_call", callLatencyMs.toJson()},
                            {"ttft", ttftMs.toJson()},
                            {"tpot", tpotMs.toJson()},
                            {"queue", queueMs.toJson()}};
    o["throughput"] = Value{{"wall_s", optionalJson(wallSeconds)},
                            {"lines_per_s", optionalJson(linesPerSecond)},
                            {"calls_per_s", optionalJson(callsPerSecond)}};
    o["tokens"] = Value{{"llm_calls", llmCalls},
                        {"prompt", promptTokens},
                        {"completion", completionTokens},
                        {"prompt_per_line", promptTokensPerLine},
                        {"completion_per_line", completionTokensPerLine}};
    o["cost_usd"] = Value{{"total", costUsd},
                          {"per_line", optionalJson(costPerLineUsd)},
                          {"lines_with_price", linesWithCost},
                          {"lines_without_price", linesWithoutCost}};
    o["calls"] = Value{{"retried", retriedCalls},
                       {"extra_attempts", extraAttempts},
                       {"rate_limited", rateLimitedCalls},
                       {"cache_hits", cacheHits}};
    o["failures"] = Value::array();
    for (const auto &f : failures) {
        o["failures"].push_back(
            Value{{"message", f.message}, {"count", f.count}, {"example_lines", f.exampleLines}});
    }
    o["other_failures"] = otherFailures;
    return o;
}

} // namespace fb
