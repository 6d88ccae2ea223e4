#pragma once

#include <core/common/result.h>
#include <core/flow/flow.h>

#include <filesystem>
#include <string>

namespace fb {

/// Writes flow.dag.yaml in promptflow's layout (keys in promptflow's usual order, unknown
/// keys after the known ones, in their original order), so that promptflow still loads it
/// and FlowLoader reads back an equal Flow. Thread-safe.
class FlowWriter
{
public:
    [[nodiscard]] static std::string toYaml(const Flow &flow);
    /// Writes atomically (temporary file + rename) to `file` (default: flow.file).
    [[nodiscard]] static Result<void> save(const Flow &flow, const std::filesystem::path &file = {});
};

} // namespace fb
