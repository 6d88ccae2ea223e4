#pragma once

#include <core/exec/linetypes.h>

#include <string>
#include <string_view>

namespace fb {

/// Receives a line's progress as it happens. Called on core's worker and I/O threads, one
/// call at a time per line; implementations must be quick and must not block.
class LineObserver
{
public:
    virtual ~LineObserver() = default;
    virtual void nodeStarted(const std::string &node) {}
    /// A streamed chunk of an llm node's output, in order.
    virtual void nodeDelta(const std::string &node, std::string_view delta) {}
    virtual void nodeFinished(const NodeTrace &trace) {}
};

} // namespace fb
