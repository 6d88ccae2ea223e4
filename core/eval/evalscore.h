#pragma once

#include <optional>
#include <string>

namespace fb {

/// The verdict of one evaluator on one row.
/// `score` is in [0, 1] for every built-in evaluator (BLEU is reported as sacrebleu's value / 100);
/// `passed` is the evaluator's pass/fail decision; `detail` says why, in words a reviewer can read.
struct EvalScore
{
    double score = 0.0;
    bool passed = false;
    std::string detail;
};

/// What an evaluator looks at for one row: the flow's output, the expected/reference text from
/// the dataset, and the measured latency and cost of the run when known.
struct EvalInput
{
    std::string output;
    std::string reference;
    std::string question; ///< the row's question/prompt, for judges (may be empty)
    std::string context;  ///< grounding context, for groundedness (may be empty)
    std::optional<double> latencyMs;
    std::optional<double> costUsd;
};

} // namespace fb
