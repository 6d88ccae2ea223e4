#pragma once

#include <core/exec/linetypes.h>
#include <core/exec/preparedflow.h>

#include <string>

namespace fb {

/// Human-readable text of a line's result for a terminal: outputs, then a per-node trace
/// table (status, duration, TTFT, TPOT, tokens, attempts, model). Stateless.
class TracePrinter
{
public:
    [[nodiscard]] static std::string summary(const PreparedFlow &flow, const LineResult &line,
                                             bool simulated);
    [[nodiscard]] static std::string aggregation(const AggregationResult &result);
};

} // namespace fb
