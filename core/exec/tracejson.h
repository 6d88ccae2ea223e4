#pragma once

#include <core/common/value.h>
#include <core/exec/linetypes.h>

namespace fb {

/// JSON forms of traces, for `--json` output, the store and reports. Stable field names
/// (snake_case, promptflow-like): status, inputs, outputs, error, duration_ms, nodes[...].
class TraceJson
{
public:
    [[nodiscard]] static Value node(const NodeTrace &trace);
    [[nodiscard]] static Value line(const LineResult &line);
    [[nodiscard]] static Value aggregation(const AggregationResult &result);
};

} // namespace fb
