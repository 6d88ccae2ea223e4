#pragma once

#include <core/common/result.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace fb {

/// Reads a whole file; the error names the path and the OS reason.
[[nodiscard]] Result<std::string> readFile(const std::filesystem::path &path);

/// Writes a file atomically: to a temporary sibling, fsync, then rename over the target,
/// so a crash never leaves a half-written file.
[[nodiscard]] Result<void> writeFileAtomically(const std::filesystem::path &path,
                                               std::string_view content);

} // namespace fb
