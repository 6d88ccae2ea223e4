#include <core/report/jsonreport.h>

#include <core/common/fileio.h>
#include <core/report/reportdata.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace fb {

namespace {

Value optionalJson(const std::optional<double> &v)
{
    return v && std::isfinite(*v) ? Value(*v) : Value();
}

Result<Value> linesOf(ExperimentStore &store, const RunStatistics &stats, const RunScores &scores,
                      std::int64_t maxLines, std::int64_t pageSize)
{
    Value out = Value::array();
    std::int64_t taken = 0;
    for (std::int64_t after = -1; maxLines < 0 || taken < maxLines;) {
        const std::int64_t want = maxLines < 0 ? pageSize : std::min(pageSize, maxLines - taken);
        auto page = store.linesAfter(stats.run.id, after, want);
        if (!page) {
            return page.error();
        }
        for (auto &l : *page) {
            Value lineScores = Value::object();
            for (const auto &c : scores.columns()) {
                const std::size_t pos = c.find(l.lineIndex);
                if (pos == EvaluatorColumn::npos) {
                    continue;
                }
                lineScores[c.name] = Value{
                    {"score", std::isnan(c.scores[pos]) ? Value() : Value(c.scores[pos])},
                    {"passed", c.verdicts[pos] < 0 ? Value() : Value(c.verdicts[pos] == 1)}};
            }
            out.push_back(Value{{"line", l.lineIndex},
                                {"status", l.status},
                                {"inputs", std::move(l.inputs)},
                                {"outputs", std::move(l.outputs)},
                                {"scores", std::move(lineScores)},
                                {"latency_ms", optionalJson(l.durationMs)},
                                {"queue_ms", optionalJson(l.queueMs)},
                                {"prompt_tokens", l.promptTokens},
                                {"completion_tokens", l.completionTokens},
                                {"cost_usd", optionalJson(l.costUsd)},
                                {"error", l.error}});
            ++taken;
        }
        if (std::int64_t(page->size()) < want) {
            break;
        }
        after = page->back().lineIndex;
    }
    return out;
}

} // namespace

Result<Value> JsonReport::build(ExperimentStore &store, const std::vector<RunId> &runs,
                                const JsonReportOptions &options)
{
    auto data = ReportData::collect(store, runs, options.stats);
    if (!data) {
        return data.error();
    }
    return build(store, *data, options);
}

Result<Value> JsonReport::build(ExperimentStore &store, const ReportData &data,
                                const JsonReportOptions &options)
{
    Value doc = Value::object();
    doc["format"] = "flowbench-report";
    doc["version"] = 1;
    doc["generated_at_ms"]
        = options.generatedAtMs.value_or(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
    doc["simulated"] = data.anySimulated();
    doc["statistics"] = Value{{"confidence", options.stats.bootstrap.confidence},
                              {"bootstrap_resamples", options.stats.bootstrap.resamples},
                              {"bootstrap_seed", options.stats.bootstrap.seed},
                              {"max_bootstrap_size", options.stats.maxBootstrapSize}};
    doc["runs"] = Value::array();
    for (const auto &s : data.statistics) {
        doc["runs"].push_back(s.toJson());
    }
    doc["human_review"] = Value{{"runs", Value::array()}, {"preferences", Value::array()}};
    for (std::size_t i = 0; i < data.reviews.size(); ++i) {
        const auto &review = data.reviews[i];
        doc["human_review"]["runs"].push_back(Value{{"run", data.statistics[i].run.name},
                                                     {"ratings", review.ratings.toJson()},
                                                     {"pass_fail", review.passFail.toJson()},
                                                     {"stars", review.stars.toJson()}});
    }
    for (const auto &p : data.preferences) {
        doc["human_review"]["preferences"].push_back(p.toJson());
    }
    doc["comparisons"] = Value::array();
    for (const auto &c : data.comparisons) {
        doc["comparisons"].push_back(c.toJson());
    }
    if (options.maxLines != 0) {
        doc["lines"] = Value::object();
        const std::int64_t pageSize = std::max<std::int64_t>(options.stats.pageSize, 1);
        for (std::size_t i = 0; i < data.statistics.size(); ++i) {
            auto lines
                = linesOf(store, data.statistics[i], data.scores[i], options.maxLines, pageSize);
            if (!lines) {
                return lines.error();
            }
            doc["lines"][data.statistics[i].run.name] = std::move(*lines);
        }
    }
    return doc;
}

Result<void> JsonReport::write(ExperimentStore &store, const std::vector<RunId> &runs,
                               const std::string &path, const JsonReportOptions &options)
{
    auto doc = build(store, runs, options);
    if (!doc) {
        return doc.error();
    }
    return writeFileAtomically(path,
                               doc->dump(2, ' ', false, Value::error_handler_t::replace) + "\n");
}

} // namespace fb
