#pragma once
// Builds experiment stores with known lines, scores and LLM calls for the report tests.

#include <core/store/experimentstore.h>
#include <core/store/storewriter.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace fb::test {

/// Creates a run (with a flow and a dataset) in the store at `path`; returns 0 on failure.
inline RunId createRun(const std::string &path, const std::string &name, std::int64_t totalLines,
                       const Value &variants = Value::object(), bool simulator = false,
                       std::optional<RunId> baseRun = std::nullopt)
{
    auto store = ExperimentStore::open(path);
    if (!store) {
        return {};
    }
    auto flow = store->internFlow("hash-classify", "classify", "flows/classify", "{}");
    auto data = store->internDataset("fp-data", "data.jsonl", totalLines);
    if (!flow || !data) {
        return {};
    }
    RunSpec spec;
    spec.name = name;
    spec.flowId = *flow;
    spec.datasetId = *data;
    spec.variants = variants;
    spec.parameters["simulator"] = simulator;
    spec.baseRunId = baseRun;
    spec.totalLines = totalLines;
    auto run = store->createRun(spec);
    return run ? *run : RunId{};
}

/// Writes lines through a StoreWriter and waits until they are committed.
inline bool writeLines(const std::string &path, std::vector<LineRecord> lines)
{
    auto writer = StoreWriter::open(path);
    if (!writer) {
        return false;
    }
    for (auto &l : lines) {
        (*writer)->submit(std::move(l));
    }
    return bool((*writer)->flush());
}

/// A completed line with one output and the given duration.
inline LineRecord completedLine(RunId run, std::int64_t index, const std::string &answer,
                                double durationMs)
{
    LineRecord l;
    l.runId = run;
    l.lineIndex = index;
    l.status = "Completed";
    l.inputs = Value{{"text", "row " + std::to_string(index)}};
    l.outputs = Value{{"category", answer}};
    l.durationMs = durationMs;
    l.startedAtMs = 1'700'000'000'000 + index * 100;
    return l;
}

/// Lines of three 20-line runs for the verdict tests (tst_compareverdict, tst_statscli):
/// exact_match passes on lines 0-9 (a), 0-15 (b), all (c); durations a = the list below,
/// b = a + the differences below, c = a - 40 ms; cost 0.002 USD a line (a, b), 0.001 (c).
/// compareverdict_reference.py has the figures these give.
inline bool writeVerdictLines(const std::string &path, RunId a, RunId b, RunId c)
{
    const double baseMs[] = {120, 95,  210, 150, 180, 99,  130, 160, 140, 175,
                             88,  230, 145, 160, 122, 118, 199, 140, 105, 133};
    const double bDelta[]
        = {15, -30, 40, -10, 25, -45, 5, 30, -20, 10, -15, 35, 20, -25, 0, 45, -35, 10, -5, 25};
    struct Spec
    {
        RunId run;
        double ms;
        bool passed;
        double cost;
    };
    std::vector<LineRecord> lines;
    for (int i = 0; i < 20; ++i) {
        for (const Spec &s :
             {Spec{a, baseMs[i], i < 10, 0.002}, Spec{b, baseMs[i] + bDelta[i], i < 16, 0.002},
              Spec{c, baseMs[i] - 40, true, 0.001}}) {
            LineRecord l = completedLine(s.run, i, "x", s.ms);
            l.costUsd = s.cost;
            ScoreRecord score;
            score.evaluator = "exact_match";
            score.passed = s.passed;
            score.score = s.passed ? 1.0 : 0.0;
            l.scores.push_back(score);
            lines.push_back(std::move(l));
        }
    }
    return writeLines(path, std::move(lines));
}

/// Pass (1) / fail (0) ratings of lines 0-9 by ana, bo and cy, and an llm_judge verdict stored
/// with each line but line 4 (tst_ratingagreement, tst_statscli; agreement_reference.py's
/// store_cases() has the figures). ana rates line 2 twice (1, then 0); bo adds a comment-only
/// rating to line 0; cy skips lines 6 and 7.
inline bool writeRatedLines(const std::string &path, RunId run)
{
    const int ana[] = {1, 1, 0, 1, 0, 1, 1, 0, 1, 1};
    const int bo[] = {1, 0, 0, 1, 0, 1, 1, 1, 1, 1};
    const int cy[] = {1, 1, 0, 1, 1, 1, -1, -1, 1, 0};
    const int judge[] = {1, 1, 0, 0, -1, 1, 1, 0, 1, 1};
    {
        auto store = ExperimentStore::open(path);
        if (!store) {
            return false;
        }
        auto add = [&](std::int64_t line, const char *rater, std::optional<double> score,
                       const char *comment) {
            Rating r;
            r.runId = run;
            r.lineIndex = line;
            r.rater = rater;
            r.score = score;
            r.comment = comment;
            return bool(store->addRating(r));
        };
        bool ok = add(2, "ana", 1.0, "");
        for (std::int64_t i = 0; i < 10; ++i) {
            ok = ok && add(i, "ana", ana[i], "") && add(i, "bo", bo[i], "");
            ok = ok && (cy[i] < 0 || add(i, "cy", cy[i], ""));
        }
        if (!ok || !add(0, "bo", std::nullopt, "unsure now")) {
            return false;
        }
    }
    std::vector<LineRecord> lines;
    for (int i = 0; i < 10; ++i) {
        LineRecord l = completedLine(run, i, "x", 10);
        if (judge[i] >= 0) {
            ScoreRecord s;
            s.evaluator = "llm_judge";
            s.passed = judge[i] == 1;
            s.score = judge[i] == 1 ? 0.75 : 0.25;
            l.scores.push_back(s);
        }
        lines.push_back(std::move(l));
    }
    return writeLines(path, std::move(lines));
}

/// numpy's default ("linear") percentile, written out independently of DescriptiveStats.
inline double numpyPercentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    const double h = (double(v.size()) - 1.0) * q / 100.0;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - double(lo)) * (v[hi] - v[lo]);
}

} // namespace fb::test
