#pragma once

#include <core/common/result.h>
#include <core/exec/flowexecutor.h>
#include <core/store/experimentstore.h>

#include <map>
#include <memory>
#include <string>

namespace fb {

/// Runs a flow's aggregation nodes over a stored run's completed lines (their inputs and
/// node outputs, read back from the store) and stores every `log_metric` value as a metric of
/// the run. A flow without aggregation nodes does nothing. Stateless.
class RunAggregator
{
public:
    /// The metrics stored; fails with the aggregation node's error (metrics logged before
    /// the failure are still stored).
    [[nodiscard]] static Result<std::map<std::string, double>>
    aggregate(ExperimentStore &store, RunId run, const std::shared_ptr<const PreparedFlow> &flow,
              FlowExecutor &executor, const LineOptions &options = {});
};

} // namespace fb
