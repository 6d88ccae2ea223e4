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

/// The name of a temporary sibling of `path` ("<path>.tmp-<pid>") for a file written by a
/// stream and then committed with commitFile().
[[nodiscard]] std::filesystem::path temporarySibling(const std::filesystem::path &path);
/// Syncs the finished `temporary` to disk and renames it over `path` (atomic on one file
/// system); on failure removes `temporary` and names the file and the OS reason.
[[nodiscard]] Result<void> commitFile(const std::filesystem::path &temporary,
                                      const std::filesystem::path &path);

} // namespace fb
