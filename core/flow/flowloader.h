#pragma once

#include <core/common/result.h>
#include <core/flow/flow.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace fb {

/// Reads flow.dag.yaml (yaml-cpp). Accepts a flow folder or the YAML file itself.
/// Structural problems (YAML syntax, a field of the wrong kind, a missing required field)
/// fail with one Error whose message is "file:line:column: message"; semantic checks are
/// FlowValidator's job. Unknown keys at every level are kept in the `extra` members.
/// Thread-safe (no shared state).
class FlowLoader
{
public:
    [[nodiscard]] static Result<Flow> load(const std::filesystem::path &flowDirOrFile);

    /// Parses YAML text; `file` is the path used in messages and as Flow::file,
    /// and its parent becomes Flow::dir.
    [[nodiscard]] static Result<Flow> loadFromString(std::string_view yaml,
                                                     const std::filesystem::path &file);
};

} // namespace fb
