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
