#include <core/report/runscores.h>

#include <core/store/experimentstore.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace fb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// A per-line value of an evaluation run output, read as a score or a verdict.
struct Reading
{
    bool recognized = false;
    std::optional<double> score;
    std::optional<bool> verdict;
};

std::string lowered(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        out.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

Reading readValue(const Value &v)
{
    Reading r;
    if (v.is_boolean()) {
        r.recognized = true;
        r.verdict = v.get<bool>();
    } else if (v.is_number()) {
        const double d = v.get<double>();
        r.recognized = std::isfinite(d);
        if (r.recognized) {
            r.score = d;
        }
    } else if (v.is_string()) {
        const auto &s = v.get_ref<const std::string &>();
        std::size_t b = s.find_first_not_of(" \t\r\n");
        std::size_t e = s.find_last_not_of(" \t\r\n");
        if (b == std::string::npos) {
            return r;
        }
        const std::string t = lowered(std::string_view(s).substr(b, e - b + 1));
        static const std::set<std::string> yes{"true", "pass", "passed", "correct", "yes"};
        static const std::set<std::string> no{"false", "fail", "failed", "incorrect", "no"};
        if (yes.count(t)) {
            r.recognized = true;
            r.verdict = true;
        } else if (no.count(t)) {
            r.recognized = true;
            r.verdict = false;
        } else {
            char *end = nullptr;
            const double d = std::strtod(t.c_str(), &end);
            if (end && *end == '\0' && std::isfinite(d)) {
                r.recognized = true;
                r.score = d;
            }
        }
    }
    return r;
}

/// A column under construction, also remembering whether every value was usable.
struct Building
{
    EvaluatorColumn column;
    bool usable = true;
};

void append(EvaluatorColumn &c, std::int64_t line, std::optional<double> score,
            std::optional<bool> verdict)
{
    if (!c.lineIndexes.empty() && c.lineIndexes.back() == line) {
        // Same line twice (should not happen): the later value wins.
        c.scoreCount -= std::isnan(c.scores.back()) ? 0 : 1;
        c.verdictCount -= c.verdicts.back() < 0 ? 0 : 1;
        c.lineIndexes.pop_back();
        c.scores.pop_back();
        c.verdicts.pop_back();
    }
    c.lineIndexes.push_back(line);
    c.scores.push_back(score ? *score : kNaN);
    c.verdicts.push_back(verdict ? (*verdict ? 1 : 0) : -1);
    c.scoreCount += score ? 1 : 0;
    c.verdictCount += verdict ? 1 : 0;
}

} // namespace

std::size_t EvaluatorColumn::find(std::int64_t lineIndex) const
{
    auto it = std::lower_bound(lineIndexes.begin(), lineIndexes.end(), lineIndex);
    if (it == lineIndexes.end() || *it != lineIndex) {
        return npos;
    }
    return std::size_t(it - lineIndexes.begin());
}

const EvaluatorColumn *RunScores::column(std::string_view name) const
{
    for (const auto &c : m_columns) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

Result<RunScores> RunScores::load(ExperimentStore &store, RunId run, std::int64_t pageSize)
{
    if (auto summary = store.run(run); !summary) {
        return summary.error();
    }
    pageSize = std::max<std::int64_t>(pageSize, 1);
    RunScores result;
    std::map<std::string, EvaluatorColumn> byName;

    // Built-in evaluators, stored with the lines (ordered by line, then evaluator).
    {
        auto scores = store.scores(run);
        if (!scores) {
            return scores.error();
        }
        for (const auto &s : *scores) {
            std::optional<double> score;
            if (s.score && std::isfinite(*s.score)) {
                score = *s.score;
            }
            auto &c = byName[s.evaluator];
            c.name = s.evaluator;
            append(c, s.lineIndex, score, s.passed);
        }
    }

    // Evaluation runs of this run.
    auto all = store.runs();
    if (!all) {
        return all.error();
    }
    std::vector<const RunSummary *> evalRuns;
    for (const auto &r : *all) {
        if (r.baseRunId && *r.baseRunId == run) {
            evalRuns.push_back(&r);
        }
    }
    std::sort(evalRuns.begin(), evalRuns.end(),
              [](const RunSummary *a, const RunSummary *b) { return a->id < b->id; });
    result.m_prefixed = evalRuns.size() > 1;
    std::vector<std::map<std::string, Building>> perEval(evalRuns.size());
    for (std::size_t e = 0; e < evalRuns.size(); ++e) {
        result.m_evaluationRunIds.push_back(evalRuns[e]->id);
        result.m_evaluationRunNames.push_back(evalRuns[e]->name);
        auto &keys = perEval[e];
        for (std::int64_t after = -1;;) {
            auto page = store.linesAfter(evalRuns[e]->id, after, pageSize);
            if (!page) {
                return page.error();
            }
            for (const auto &line : *page) {
                if (!line.outputs.is_object()) {
                    continue;
                }
                for (const auto &[key, value] : line.outputs.items()) {
                    auto &b = keys[key];
                    if (!b.usable || value.is_null()) {
                        continue;
                    }
                    const Reading reading = readValue(value);
                    if (!reading.recognized) {
                        b.usable = false;
                        b.column = {};
                        continue;
                    }
                    append(b.column, line.lineIndex, reading.score, reading.verdict);
                }
            }
            if (std::int64_t(page->size()) < pageSize) {
                break;
            }
            after = page->back().lineIndex;
        }
        for (const auto &[key, b] : keys) {
            if (b.usable && byName.count(key)) {
                result.m_prefixed = true;
            }
        }
    }
    for (std::size_t e = 0; e < evalRuns.size(); ++e) {
        for (auto &[key, b] : perEval[e]) {
            if (!b.usable || b.column.lineIndexes.empty()) {
                continue;
            }
            EvaluatorColumn c = std::move(b.column);
            c.name = result.m_prefixed ? evalRuns[e]->name + "." + key : key;
            c.source = evalRuns[e]->name;
            byName[c.name] = std::move(c);
        }
    }
    for (auto &[name, c] : byName) {
        result.m_columns.push_back(std::move(c));
    }
    return result;
}

} // namespace fb
