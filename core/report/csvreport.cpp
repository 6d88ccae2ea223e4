#include <core/report/csvreport.h>

#include <core/common/fileio.h>
#include <core/report/ratingsummary.h>
#include <core/report/reportformat_p.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <set>

namespace fb {

namespace {

std::string numberText(double v)
{
    if (!std::isfinite(v)) {
        return {};
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string optionalText(const std::optional<double> &v)
{
    return v ? numberText(*v) : std::string();
}

/// Keys in first-seen order, without duplicates.
class KeyList
{
public:
    void add(const std::string &key)
    {
        if (m_seen.insert(key).second) {
            m_keys.push_back(key);
        }
    }
    [[nodiscard]] const std::vector<std::string> &keys() const { return m_keys; }

private:
    std::set<std::string> m_seen;
    std::vector<std::string> m_keys;
};

void writeRow(std::ostream &out, const std::vector<std::string> &fields, bool neutralize)
{
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) {
            out << ',';
        }
        out << CsvReport::cell(fields[i], neutralize);
    }
    out << "\r\n";
}

/// A plain decimal number ("-1.5", "+2e3"): what a spreadsheet reads as a value, not a formula.
bool isPlainNumber(std::string_view s)
{
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
        ++i;
    }
    bool digits = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        ++i;
        digits = true;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            ++i;
            digits = true;
        }
    }
    if (!digits) {
        return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            ++i;
        }
        if (i == start) {
            return false;
        }
    }
    return i == s.size();
}

} // namespace

std::string CsvReport::cell(std::string_view field, bool neutralize)
{
    if (neutralize && !field.empty()
        && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos
        && !isPlainNumber(field)) {
        std::string text;
        text.reserve(field.size() + 1);
        text += '\'';
        text += field;
        return quote(text);
    }
    return quote(field);
}

std::string CsvReport::quote(std::string_view field)
{
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        return std::string(field);
    }
    std::string out;
    out.reserve(field.size() + 2);
    out += '"';
    for (char c : field) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
    return out;
}

Result<void> CsvReport::writeLines(ExperimentStore &store, const std::vector<RunId> &runs,
                                   std::ostream &out, std::int64_t pageSize,
                                   bool neutralizeFormulas)
{
    const auto row = [&out, neutralizeFormulas](const std::vector<std::string> &fields) {
        writeRow(out, fields, neutralizeFormulas);
    };
    pageSize = std::max<std::int64_t>(pageSize, 1);
    KeyList inputs;
    KeyList outputs;
    KeyList evaluators;
    std::vector<RunScores> scores;
    std::vector<std::string> names;
    for (RunId run : runs) {
        auto summary = store.run(run);
        if (!summary) {
            return summary.error();
        }
        names.push_back(summary->name);
        auto s = RunScores::load(store, run, pageSize);
        if (!s) {
            return s.error();
        }
        for (const auto &c : s->columns()) {
            evaluators.add(c.name);
        }
        scores.push_back(std::move(*s));
        for (std::int64_t after = -1;;) {
            auto page = store.linesAfter(run, after, pageSize);
            if (!page) {
                return page.error();
            }
            for (const auto &l : *page) {
                if (l.inputs.is_object()) {
                    for (const auto &[k, v] : l.inputs.items()) {
                        inputs.add(k);
                    }
                }
                if (l.outputs.is_object()) {
                    for (const auto &[k, v] : l.outputs.items()) {
                        outputs.add(k);
                    }
                }
            }
            if (std::int64_t(page->size()) < pageSize) {
                break;
            }
            after = page->back().lineIndex;
        }
    }

    // Human ratings per run and line, as "rater: pass, 4 stars, \"comment\"; rater: …" (each
    // rater's last pass/fail and last stars; every comment). A column only when any run has one.
    std::vector<std::map<std::int64_t, std::string>> ratingText(runs.size());
    bool anyRating = false;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        auto ratings = store.ratings(runs[r]);
        if (!ratings) {
            return ratings.error();
        }
        for (const auto &[line, said] : RatingSummary::byLine(*ratings)) {
            std::string text;
            for (const RaterOnLine &who : said) {
                std::vector<std::string> notes;
                if (who.passed) {
                    notes.push_back(*who.passed ? "pass" : "fail");
                }
                if (who.stars) {
                    notes.push_back(numberText(*who.stars) + " stars");
                }
                if (who.score) {
                    notes.push_back(numberText(*who.score));
                }
                for (const auto &c : who.comments) {
                    notes.push_back("\"" + c + "\"");
                }
                std::string joined;
                for (const auto &n : notes) {
                    joined += (joined.empty() ? "" : ", ") + n;
                }
                text += (text.empty() ? "" : "; ") + who.rater + ": " + joined;
            }
            ratingText[r][line] = text;
            anyRating = true;
        }
    }

    std::vector<std::string> header{"run", "line", "status"};
    for (const auto &k : inputs.keys()) {
        header.push_back("input." + k);
    }
    for (const auto &k : outputs.keys()) {
        header.push_back("output." + k);
    }
    for (const auto &k : evaluators.keys()) {
        header.push_back("score." + k);
    }
    for (const char *k :
         {"latency_ms", "queue_ms", "prompt_tokens", "completion_tokens", "cost_usd", "error"}) {
        header.emplace_back(k);
    }
    if (anyRating) {
        header.emplace_back("human_ratings");
    }
    row(header);

    std::vector<std::string> fields;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        // Evaluator columns of this run in header order (nullptr where the run lacks one).
        std::vector<const EvaluatorColumn *> columns;
        for (const auto &k : evaluators.keys()) {
            columns.push_back(scores[r].column(k));
        }
        std::vector<std::size_t> cursor(columns.size(), 0);
        for (std::int64_t after = -1;;) {
            auto page = store.linesAfter(runs[r], after, pageSize);
            if (!page) {
                return page.error();
            }
            for (const auto &l : *page) {
                fields.clear();
                fields.push_back(names[r]);
                fields.push_back(std::to_string(l.lineIndex));
                fields.push_back(l.status);
                for (const auto &k : inputs.keys()) {
                    const auto it = l.inputs.is_object() ? l.inputs.find(k) : l.inputs.end();
                    fields.push_back(l.inputs.is_object() && it != l.inputs.end()
                                         ? ReportFormat::valueText(*it)
                                         : std::string());
                }
                for (const auto &k : outputs.keys()) {
                    const auto it = l.outputs.is_object() ? l.outputs.find(k) : l.outputs.end();
                    fields.push_back(l.outputs.is_object() && it != l.outputs.end()
                                         ? ReportFormat::valueText(*it)
                                         : std::string());
                }
                for (std::size_t c = 0; c < columns.size(); ++c) {
                    std::string cell;
                    if (const EvaluatorColumn *col = columns[c]) {
                        // Lines and score columns are both in index order: advance a cursor.
                        auto &pos = cursor[c];
                        while (pos < col->lineIndexes.size()
                               && col->lineIndexes[pos] < l.lineIndex) {
                            ++pos;
                        }
                        if (pos < col->lineIndexes.size() && col->lineIndexes[pos] == l.lineIndex) {
                            if (!std::isnan(col->scores[pos])) {
                                cell = numberText(col->scores[pos]);
                            } else if (col->verdicts[pos] >= 0) {
                                cell = col->verdicts[pos] ? "true" : "false";
                            }
                        }
                    }
                    fields.push_back(std::move(cell));
                }
                fields.push_back(optionalText(l.durationMs));
                fields.push_back(optionalText(l.queueMs));
                fields.push_back(std::to_string(l.promptTokens));
                fields.push_back(std::to_string(l.completionTokens));
                fields.push_back(optionalText(l.costUsd));
                fields.push_back(l.error);
                if (anyRating) {
                    const auto it = ratingText[r].find(l.lineIndex);
                    fields.push_back(it == ratingText[r].end() ? std::string() : it->second);
                }
                row(fields);
            }
            if (std::int64_t(page->size()) < pageSize) {
                break;
            }
            after = page->back().lineIndex;
        }
    }
    if (!out) {
        return fail(ErrorCode::Io, "writing the lines CSV failed");
    }
    return {};
}

Result<void> CsvReport::writeMetrics(const std::vector<RunStatistics> &statistics,
                                     std::ostream &out, bool neutralizeFormulas)
{
    const auto row = [&out, neutralizeFormulas](const std::vector<std::string> &fields) {
        writeRow(out, fields, neutralizeFormulas);
    };
    row({"run", "metric", "value", "ci_low", "ci_high", "n"});
    for (const auto &s : statistics) {
        const std::string &run = s.run.name;
        auto plain = [&](const std::string &name, double value, std::int64_t n) {
            row({run, name, numberText(value), "", "", std::to_string(n)});
        };
        auto interval = [&](const std::string &name, const std::optional<MeanInterval> &m) {
            if (m) {
                row({run, name, numberText(m->interval.estimate),
                               numberText(m->interval.lower), numberText(m->interval.upper),
                               std::to_string(m->n)});
            }
        };
        auto distribution = [&](const std::string &name, const Distribution &d) {
            if (d.count == 0) {
                return;
            }
            const auto n = std::int64_t(d.count);
            plain(name + ".mean", d.mean, n);
            plain(name + ".p50", d.p50, n);
            plain(name + ".p90", d.p90, n);
            plain(name + ".p95", d.p95, n);
            plain(name + ".p99", d.p99, n);
            plain(name + ".max", d.max, n);
        };
        for (const auto &e : s.evaluators) {
            interval(e.name + ".mean_score", e.meanScore);
            interval(e.name + ".pass_rate", e.passRate);
        }
        plain("lines.total", double(s.linesTotal), s.linesTotal);
        plain("lines.completed", double(s.linesCompleted), s.linesStored);
        plain("lines.failed", double(s.linesFailed), s.linesStored);
        distribution("latency_ms.line", s.lineLatencyMs);
        distribution("latency_ms.llm_call", s.callLatencyMs);
        distribution("latency_ms.ttft", s.ttftMs);
        distribution("latency_ms.tpot", s.tpotMs);
        distribution("latency_ms.queue", s.queueMs);
        if (s.wallSeconds) {
            plain("throughput.wall_s", *s.wallSeconds, s.linesCompleted + s.linesFailed);
        }
        if (s.linesPerSecond) {
            plain("throughput.lines_per_s", *s.linesPerSecond, s.linesCompleted + s.linesFailed);
        }
        if (s.callsPerSecond) {
            plain("throughput.calls_per_s", *s.callsPerSecond, s.llmCalls);
        }
        plain("tokens.prompt", double(s.promptTokens), s.linesStored);
        plain("tokens.completion", double(s.completionTokens), s.linesStored);
        plain("tokens.prompt_per_line", s.promptTokensPerLine, s.linesStored);
        plain("tokens.completion_per_line", s.completionTokensPerLine, s.linesStored);
        if (s.linesWithCost > 0) {
            plain("cost_usd.total", s.costUsd, s.linesWithCost);
            plain("cost_usd.per_line", s.costPerLineUsd.value_or(NAN), s.linesWithCost);
        }
        plain("cost_usd.lines_without_price", double(s.linesWithoutCost), s.linesStored);
        plain("llm_calls.count", double(s.llmCalls), s.llmCalls);
        plain("llm_calls.retried", double(s.retriedCalls), s.llmCalls);
        plain("llm_calls.rate_limited", double(s.rateLimitedCalls), s.llmCalls);
        plain("llm_calls.cache_hits", double(s.cacheHits), s.llmCalls);
        for (const auto &[name, value] : s.metrics) {
            row({run, "metric." + name, numberText(value), "", "", ""});
        }
    }
    if (!out) {
        return fail(ErrorCode::Io, "writing the metrics CSV failed");
    }
    return {};
}

std::string CsvReport::metricsPath(const std::string &linesPath)
{
    const std::string suffix = ".csv";
    if (linesPath.size() > suffix.size()
        && linesPath.compare(linesPath.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return linesPath.substr(0, linesPath.size() - suffix.size()) + ".metrics.csv";
    }
    return linesPath + ".metrics.csv";
}

Result<void> CsvReport::write(ExperimentStore &store, const std::vector<RunId> &runs,
                              const std::string &linesPath, const StatsOptions &options,
                              bool neutralizeFormulas)
{
    std::vector<RunStatistics> statistics;
    for (RunId run : runs) {
        auto s = RunStatistics::compute(store, run, options);
        if (!s) {
            return s.error();
        }
        statistics.push_back(std::move(*s));
    }
    // Both files go to temporary siblings first; an export that stops half way (an error, a
    // kill, a full disk) leaves the reports that were there untouched.
    const std::string metrics = metricsPath(linesPath);
    // A report replaces a file or takes a free name; anything else there (a folder, a FIFO, a
    // device) is refused before either file is touched, so the pair is never half replaced.
    for (const std::string &target : {linesPath, metrics}) {
        std::error_code ec;
        const auto status = std::filesystem::symlink_status(target, ec);
        if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
            return fail(ErrorCode::Io, target + ": not a regular file; the report is not written");
        }
    }
    const auto linesTmp = temporarySibling(linesPath);
    const auto metricsTmp = temporarySibling(metrics);
    const auto discard = [&] {
        std::error_code ec;
        std::filesystem::remove(linesTmp, ec);
        std::filesystem::remove(metricsTmp, ec);
    };
    {
        std::ofstream file(linesTmp, std::ios::binary | std::ios::trunc);
        if (!file) {
            discard();
            return fail(ErrorCode::Io, linesPath + ": cannot open for writing");
        }
        if (auto ok = writeLines(store, runs, file, options.pageSize, neutralizeFormulas); !ok) {
            file.close();
            discard();
            return Error(ok.error().code, linesPath + ": " + ok.error().message);
        }
        file.close();
        if (!file) {
            discard();
            return fail(ErrorCode::Io, linesPath + ": write failed");
        }
    }
    {
        std::ofstream file(metricsTmp, std::ios::binary | std::ios::trunc);
        if (!file) {
            discard();
            return fail(ErrorCode::Io, metrics + ": cannot open for writing");
        }
        if (auto ok = writeMetrics(statistics, file, neutralizeFormulas); !ok) {
            file.close();
            discard();
            return Error(ok.error().code, metrics + ": " + ok.error().message);
        }
        file.close();
        if (!file) {
            discard();
            return fail(ErrorCode::Io, metrics + ": write failed");
        }
    }
    if (auto ok = commitFile(linesTmp, linesPath); !ok) {
        discard();
        return ok;
    }
    return commitFile(metricsTmp, metrics);
}

} // namespace fb
