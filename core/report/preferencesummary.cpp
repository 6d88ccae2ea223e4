#include <core/report/preferencesummary.h>

#include <core/eval/pairedtests.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace fb {

namespace {

/// The judge's label of one line: the run with the better result, or "tie"; nullopt when
/// either run lacks a result there.
std::optional<std::string> judgeLabel(const EvaluatorColumn &a, const EvaluatorColumn &b,
                                      std::int64_t line)
{
    const std::size_t i = a.find(line);
    const std::size_t j = b.find(line);
    if (i == EvaluatorColumn::npos || j == EvaluatorColumn::npos) {
        return std::nullopt;
    }
    double x = a.scores[i];
    double y = b.scores[j];
    if (std::isnan(x) || std::isnan(y)) {
        // Verdicts only: a pass beats a fail.
        if (a.verdicts[i] < 0 || b.verdicts[j] < 0) {
            return std::nullopt;
        }
        x = a.verdicts[i];
        y = b.verdicts[j];
    }
    if (x > y) {
        return "a";
    }
    if (y > x) {
        return "b";
    }
    return "tie";
}

} // namespace

Value PreferenceTally::toJson() const
{
    return Value{{"a", a}, {"b", b}, {"ties", ties}, {"left", left}};
}

std::string PreferenceSummary::label(const Preference &preference)
{
    if (!preference.preferred) {
        return "tie";
    }
    return *preference.preferred == std::min(preference.runA, preference.runB) ? "a" : "b";
}

Result<PreferenceSummary> PreferenceSummary::compute(RunId runA, RunId runB,
                                                     const std::vector<Preference> &preferences,
                                                     const std::string &judge,
                                                     const EvaluatorColumn *judgeA,
                                                     const EvaluatorColumn *judgeB)
{
    PreferenceSummary s;
    s.runA = std::min(runA, runB);
    s.runB = std::max(runA, runB);

    // Last choice per (line, rater): later choices correct earlier ones.
    std::map<std::int64_t, std::map<std::string, const Preference *>> byLine;
    for (const Preference &p : preferences) {
        if (std::min(p.runA, p.runB) != s.runA || std::max(p.runA, p.runB) != s.runB) {
            return fail(ErrorCode::InvalidArgument,
                        "a preference between runs " + std::to_string(p.runA.value) + " and "
                            + std::to_string(p.runB.value) + " is not of the pair compared");
        }
        byLine[p.lineIndex][p.rater] = &p;
    }

    std::map<std::string, PreferenceTally> perRater;
    for (const auto &[line, choices] : byLine) {
        s.lines.push_back(line);
        for (const auto &[rater, p] : choices) {
            PreferenceTally &t = perRater[rater];
            for (PreferenceTally *tally : {&t, &s.overall}) {
                const std::string l = label(*p);
                if (l == "tie") {
                    ++tally->ties;
                    continue;
                }
                ++(l == "a" ? tally->a : tally->b);
                if (*p->preferred == p->leftRun) {
                    ++tally->left;
                }
            }
        }
    }
    for (const auto &[rater, tally] : perRater) {
        s.raters.push_back({rater, tally});
        s.table.raters.push_back(rater);
    }
    s.signTestP = PairedTests::signTest(s.overall.a, s.overall.b);
    if (s.overall.decided() > 0) {
        s.leftShare = double(s.overall.left) / double(s.overall.decided());
    }

    for (const auto &[line, choices] : byLine) {
        s.table.lines.push_back(line);
        std::vector<std::optional<std::string>> row(s.table.raters.size());
        for (std::size_t k = 0; k < s.table.raters.size(); ++k) {
            const auto it = choices.find(s.table.raters[k]);
            if (it != choices.end()) {
                row[k] = label(*it->second);
            }
        }
        s.table.labels.push_back(std::move(row));
    }

    const std::size_t raterCount = s.table.raters.size();
    for (std::size_t a = 0; a < raterCount; ++a) {
        for (std::size_t b = a + 1; b < raterCount; ++b) {
            auto p = PairAgreement::between(s.table.raters[a], s.table.raters[b],
                                            s.table.column(a), s.table.column(b));
            if (!p) {
                return p.error();
            }
            s.pairs.push_back(std::move(*p));
        }
    }
    if (raterCount >= 2) {
        const auto complete = s.table.completeRows();
        s.fleissLines = complete.size();
        if (!complete.empty()) {
            auto fleiss = Agreement::fleissKappa(complete);
            if (!fleiss) {
                return fleiss.error();
            }
            s.fleiss = *fleiss;
        }
    }

    if (judge.empty()) {
        return s;
    }
    if (!judgeA || !judgeB) {
        return fail(ErrorCode::InvalidArgument,
                    "no results of the judge '" + judge + "' were given for both runs");
    }
    s.judge = judge;
    std::vector<std::optional<std::string>> judged;
    judged.reserve(s.table.lines.size());
    for (const std::int64_t line : s.table.lines) {
        judged.push_back(judgeLabel(*judgeA, *judgeB, line));
    }
    for (std::size_t a = 0; a < raterCount; ++a) {
        auto p = PairAgreement::between(s.table.raters[a], judge, s.table.column(a), judged);
        if (!p) {
            return p.error();
        }
        s.judgePairs.push_back(std::move(*p));
    }
    return s;
}

Result<PreferenceSummary> PreferenceSummary::load(ExperimentStore &store, RunId first,
                                                  RunId second, const std::string &judge)
{
    auto runA = store.run(std::min(first, second));
    if (!runA) {
        return runA.error();
    }
    auto runB = store.run(std::max(first, second));
    if (!runB) {
        return runB.error();
    }
    auto preferences = store.preferences(first, second);
    if (!preferences) {
        return preferences.error();
    }
    Result<PreferenceSummary> summary = fail(ErrorCode::Internal, "unreachable");
    if (judge.empty()) {
        summary = compute(first, second, *preferences);
    } else {
        auto scoresA = RunScores::load(store, runA->id);
        if (!scoresA) {
            return scoresA.error();
        }
        auto scoresB = RunScores::load(store, runB->id);
        if (!scoresB) {
            return scoresB.error();
        }
        for (const auto &[scores, run] : {std::pair{&*scoresA, &*runA}, {&*scoresB, &*runB}}) {
            if (scores->column(judge) == nullptr) {
                std::string names;
                for (const auto &c : scores->columns()) {
                    names += (names.empty() ? "" : ", ") + c.name;
                }
                return fail(ErrorCode::NotFound,
                            "run '" + run->name + "' has no results of the evaluator '" + judge
                                + "'" + (names.empty() ? "" : " (it has: " + names + ")"));
            }
        }
        summary = compute(first, second, *preferences, judge, scoresA->column(judge),
                          scoresB->column(judge));
    }
    if (summary) {
        summary->nameA = runA->name;
        summary->nameB = runB->name;
    }
    return summary;
}

Value PreferenceSummary::toJson() const
{
    Value o = Value::object();
    o["run_a"] = Value{{"id", runA.value}, {"name", nameA}};
    o["run_b"] = Value{{"id", runB.value}, {"name", nameB}};
    o["lines"] = lines.size();
    o["overall"] = overall.toJson();
    o["sign_test_p"] = signTestP;
    o["left_share"] = leftShare;
    o["raters"] = Value::array();
    for (const auto &r : raters) {
        Value v = r.tally.toJson();
        v["rater"] = r.rater;
        o["raters"].push_back(std::move(v));
    }
    o["pairs"] = Value::array();
    for (const auto &p : pairs) {
        o["pairs"].push_back(p.toJson());
    }
    o["fleiss"] = Value{{"lines", fleissLines},
                        {"result", fleiss ? PairAgreement::kappaJson(*fleiss) : Value()}};
    if (!judge.empty()) {
        Value j{{"evaluator", judge}, {"pairs", Value::array()}};
        for (const auto &p : judgePairs) {
            j["pairs"].push_back(p.toJson());
        }
        o["judge"] = std::move(j);
    }
    return o;
}

} // namespace fb
