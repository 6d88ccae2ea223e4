#include <core/report/ratingagreement.h>

#include <core/report/runscores.h>
#include <core/report/storedevaluatorspecs_p.h>
#include <core/store/experimentstore.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <map>

namespace fb {

namespace {

/// The [min, max] of a judge's "scale" in its spec, if it has a valid one.
std::optional<std::pair<double, double>> specScale(const Value &spec)
{
    if (!spec.is_object() || !spec.contains("scale") || !spec["scale"].is_array()
        || spec["scale"].size() != 2 || !spec["scale"][0].is_number()
        || !spec["scale"][1].is_number()) {
        return std::nullopt;
    }
    return std::pair{spec["scale"][0].get<double>(), spec["scale"][1].get<double>()};
}

} // namespace

Value PairAgreement::kappaJson(const KappaResult &k)
{
    return Value{
        {"kappa", k.kappa ? Value(*k.kappa) : Value()}, {"observed_agreement", k.observedAgreement},
        {"expected_agreement", k.expectedAgreement},    {"items", k.items},
        {"raters_per_item", k.ratersPerItem},           {"categories", k.categories}};
}

Result<PairAgreement> PairAgreement::between(std::string first, std::string second,
                                             const std::vector<std::optional<std::string>> &a,
                                             const std::vector<std::optional<std::string>> &b)
{
    PairAgreement p;
    p.first = std::move(first);
    p.second = std::move(second);
    std::vector<std::string> x;
    std::vector<std::string> y;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i] && b[i]) {
            x.push_back(*a[i]);
            y.push_back(*b[i]);
        }
    }
    p.sharedLines = x.size();
    if (!x.empty()) {
        auto kappa = Agreement::cohensKappa(x, y);
        if (!kappa) {
            return kappa.error();
        }
        p.kappa = *kappa;
    }
    return p;
}

std::vector<std::optional<std::string>> RatingTable::column(std::size_t rater) const
{
    std::vector<std::optional<std::string>> c;
    c.reserve(labels.size());
    for (const auto &row : labels) {
        c.push_back(row[rater]);
    }
    return c;
}

std::vector<std::vector<std::string>> RatingTable::completeRows() const
{
    std::vector<std::vector<std::string>> complete;
    for (const auto &row : labels) {
        if (std::all_of(row.begin(), row.end(), [](const auto &l) { return l.has_value(); })) {
            std::vector<std::string> item;
            for (const auto &l : row) {
                item.push_back(*l);
            }
            complete.push_back(std::move(item));
        }
    }
    return complete;
}

Value PairAgreement::toJson() const
{
    return Value{{"first", first},
                 {"second", second},
                 {"shared_lines", sharedLines},
                 {"cohen", kappa ? PairAgreement::kappaJson(*kappa) : Value()}};
}

std::string RatingAgreement::label(double score)
{
    char buf[32];
    if (std::isfinite(score) && score == std::trunc(score) && std::fabs(score) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", score);
        // -0 is 0.
        return std::string(buf) == "-0" ? "0" : buf;
    }
    std::snprintf(buf, sizeof buf, "%.15g", score);
    return buf;
}

RatingTable RatingAgreement::tabulate(const std::vector<Rating> &ratings)
{
    // Last rating with a score per (line, rater): later ratings correct earlier ones.
    std::map<std::int64_t, std::map<std::string, std::string>> byLine;
    std::vector<std::string> raters;
    for (const Rating &r : ratings) {
        if (!r.score) {
            continue;
        }
        byLine[r.lineIndex][r.rater] = label(*r.score);
        raters.push_back(r.rater);
    }
    std::sort(raters.begin(), raters.end());
    raters.erase(std::unique(raters.begin(), raters.end()), raters.end());

    RatingTable t;
    t.raters = raters;
    for (const auto &[line, labels] : byLine) {
        t.lines.push_back(line);
        std::vector<std::optional<std::string>> row(raters.size());
        for (std::size_t k = 0; k < raters.size(); ++k) {
            const auto it = labels.find(raters[k]);
            if (it != labels.end()) {
                row[k] = it->second;
            }
        }
        t.labels.push_back(std::move(row));
    }
    return t;
}

Result<RatingAgreement> RatingAgreement::compute(const std::vector<Rating> &ratings,
                                                 const EvaluatorColumn *judgeColumn,
                                                 const RatingAgreementOptions &options)
{
    RatingAgreement r;
    r.kind = options.kind;
    if (options.kind) {
        std::vector<Rating> ofKind;
        std::copy_if(ratings.begin(), ratings.end(), std::back_inserter(ofKind),
                     [&](const Rating &rating) { return rating.kind == *options.kind; });
        r.table = tabulate(ofKind);
    } else {
        r.table = tabulate(ratings);
    }
    const RatingTable &t = r.table;
    const std::size_t raterCount = t.raters.size();
    auto column = [&](std::size_t rater) { return t.column(rater); };

    for (std::size_t a = 0; a < raterCount; ++a) {
        for (std::size_t b = a + 1; b < raterCount; ++b) {
            auto p = PairAgreement::between(t.raters[a], t.raters[b], column(a), column(b));
            if (!p) {
                return p.error();
            }
            r.pairs.push_back(std::move(*p));
        }
    }

    if (raterCount >= 2) {
        const std::vector<std::vector<std::string>> complete = t.completeRows();
        r.fleissLines = complete.size();
        if (!complete.empty()) {
            auto fleiss = Agreement::fleissKappa(complete);
            if (!fleiss) {
                return fleiss.error();
            }
            r.fleiss = *fleiss;
        }
    }

    if (options.judge.empty()) {
        return r;
    }
    if (!judgeColumn) {
        return fail(ErrorCode::InvalidArgument,
                    "no results of the judge '" + options.judge + "' were given");
    }
    r.judge = options.judge;
    r.judgeLabels = options.judgeLabels;
    if (r.judgeLabels == JudgeLabels::Auto) {
        bool binary = true;
        for (const auto &row : t.labels) {
            for (const auto &l : row) {
                binary = binary && (!l || *l == "0" || *l == "1");
            }
        }
        r.judgeLabels
            = binary && judgeColumn->verdictCount > 0 ? JudgeLabels::Verdict : JudgeLabels::Scale;
    }
    if (r.judgeLabels == JudgeLabels::Scale) {
        r.judgeScaleMin = options.judgeScaleMin.value_or(1.0);
        r.judgeScaleMax = options.judgeScaleMax.value_or(5.0);
        if (!(*r.judgeScaleMin < *r.judgeScaleMax)) {
            return fail(ErrorCode::InvalidArgument, "the judge's scale needs min < max");
        }
    }
    std::vector<std::optional<std::string>> judged(t.lines.size());
    for (std::size_t i = 0; i < t.lines.size(); ++i) {
        const std::size_t at = judgeColumn->find(t.lines[i]);
        if (at == EvaluatorColumn::npos) {
            continue;
        }
        if (r.judgeLabels == JudgeLabels::Verdict) {
            if (judgeColumn->verdicts[at] >= 0) {
                judged[i] = judgeColumn->verdicts[at] == 1 ? "1" : "0";
            }
        } else if (!std::isnan(judgeColumn->scores[at])) {
            const double lo = *r.judgeScaleMin;
            const double hi = *r.judgeScaleMax;
            // (n - min) / (max - min) and back is not always exact in doubles (on 0-25, 7 comes
            // back as 7.000000000000001); label()'s 15 significant digits give "7" again.
            judged[i] = label(lo + judgeColumn->scores[at] * (hi - lo));
        }
    }
    for (std::size_t a = 0; a < raterCount; ++a) {
        auto p = PairAgreement::between(t.raters[a], r.judge, column(a), judged);
        if (!p) {
            return p.error();
        }
        r.judgePairs.push_back(std::move(*p));
    }
    return r;
}

Result<RatingAgreement> RatingAgreement::load(ExperimentStore &store, RunId run,
                                              const RatingAgreementOptions &options)
{
    auto summary = store.run(run);
    if (!summary) {
        return summary.error();
    }
    auto ratings = store.ratings(run);
    if (!ratings) {
        return ratings.error();
    }
    if (options.judge.empty()) {
        return compute(*ratings, nullptr, options);
    }
    auto scores = RunScores::load(store, run);
    if (!scores) {
        return scores.error();
    }
    const EvaluatorColumn *judge = scores->column(options.judge);
    if (!judge) {
        std::string names;
        for (const auto &c : scores->columns()) {
            names += (names.empty() ? "" : ", ") + c.name;
        }
        return fail(ErrorCode::NotFound,
                    "run '" + summary->name + "' has no results from '" + options.judge + "' ("
                        + (names.empty() ? "it has no evaluator results" : "it has: " + names)
                        + ")");
    }
    RatingAgreementOptions resolved = options;
    if (const auto scale = specScale(StoredEvaluatorSpecs::find(*summary, options.judge))) {
        resolved.judgeScaleMin = options.judgeScaleMin.value_or(scale->first);
        resolved.judgeScaleMax = options.judgeScaleMax.value_or(scale->second);
    }
    return compute(*ratings, judge, resolved);
}

const char *RatingAgreement::judgeLabelsName(JudgeLabels labels)
{
    switch (labels) {
    case JudgeLabels::Auto:
        return "auto";
    case JudgeLabels::Verdict:
        return "verdict";
    case JudgeLabels::Scale:
        return "scale";
    }
    return "auto";
}

Value RatingAgreement::toJson() const
{
    Value o = Value::object();
    o["kind"] = kind ? Value(Rating::kindName(*kind)) : Value();
    o["raters"] = table.raters;
    o["rated_lines"] = table.lines.size();
    o["pairs"] = Value::array();
    for (const auto &p : pairs) {
        o["pairs"].push_back(p.toJson());
    }
    o["fleiss"] = Value{{"lines", fleissLines}, {"result", fleiss ? PairAgreement::kappaJson(*fleiss) : Value()}};
    if (!judge.empty()) {
        Value j{{"evaluator", judge}, {"labels", judgeLabelsName(judgeLabels)}};
        if (judgeScaleMin && judgeScaleMax) {
            j["scale"] = Value::array({*judgeScaleMin, *judgeScaleMax});
        }
        j["pairs"] = Value::array();
        for (const auto &p : judgePairs) {
            j["pairs"].push_back(p.toJson());
        }
        o["judge"] = std::move(j);
    }
    return o;
}

} // namespace fb
