#pragma once

#include <core/batch/batchrunner.h>
#include <core/store/storetypes.h>

#include <map>
#include <string>
#include <vector>

namespace fb {

/// One run of a finished (or cancelled) experiment, as stored.
struct ExperimentRunOutcome
{
    RunId id;
    std::string name;
    Value variants = Value::object();
    std::int64_t completedLines = 0;
    std::int64_t failedLines = 0;
    std::map<std::string, double> metrics;
    std::string aggregationError; ///< why its aggregation nodes failed, if they did
};

/// What ExperimentPlan::execute() did: the final state shared by its runs, each run's counts
/// and metrics, and the batch's counters.
struct ExperimentOutcome
{
    RunState state = RunState::NotStarted;
    std::string experimentName; ///< empty for a single run
    std::vector<ExperimentRunOutcome> runs;
    BatchResult batch;
    double storeWriteS = 0;
    double storeWriteCpuS = 0;
    bool simulated = false;
};

} // namespace fb
