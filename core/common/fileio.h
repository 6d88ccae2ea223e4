#pragma once

#include <core/common/result.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>

namespace fb {

/// No size limit for readFile and the checks below.
inline constexpr std::uint64_t kNoFileSizeLimit = std::numeric_limits<std::uint64_t>::max();

/// What readFile accepts.
struct ReadFileLimits
{
    /// Refuse anything but a regular file (symbolic links followed) before opening it: opening
    /// a FIFO waits for a writer, and a device such as /dev/zero never ends. Turn off only
    /// where a pipe is meant (e.g. a file argument given as /dev/stdin).
    bool regularOnly = true;
    /// Refuse a file larger than this: before reading when its size is known, and while
    /// reading (a file that grows, a pipe).
    std::uint64_t maxBytes = kNoFileSizeLimit;
};

/// Reads a whole file within `limits`; the error names the path and the OS reason, what the
/// path is instead of a regular file, or the file's size and the limit.
[[nodiscard]] Result<std::string> readFile(const std::filesystem::path &path,
                                           const ReadFileLimits &limits = {});

/// Checks, without opening it, that `path` is a regular file (symbolic links followed) of at
/// most `maxBytes`, and returns its size. Errors: NotFound when it does not exist; otherwise
/// InvalidArgument naming the path and what it is ("a FIFO (named pipe)", "a directory",
/// "a character device", ...) or its size and the limit.
[[nodiscard]] Result<std::uint64_t> checkRegularFile(const std::filesystem::path &path,
                                                     std::uint64_t maxBytes = kNoFileSizeLimit);

/// Opens for reading a file checkRegularFile accepts, and checks the opened descriptor again,
/// so a FIFO swapped in between is refused rather than waited for. The caller owns the
/// descriptor (O_CLOEXEC; blocking reads).
[[nodiscard]] Result<int> openRegularFile(const std::filesystem::path &path,
                                          std::uint64_t maxBytes = kNoFileSizeLimit);

/// "12 bytes", "2047 bytes", "2 KiB", "34.5 KiB", "16 MiB", "1.5 GiB": a size for messages.
[[nodiscard]] std::string describeByteSize(std::uint64_t bytes);
/// "20.5 MiB, larger than the limit of 16 MiB"; both in bytes when they would read alike.
[[nodiscard]] std::string describeSizeOverLimit(std::uint64_t size, std::uint64_t limit);

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
