#pragma once

#include <core/common/result.h>

#include <filesystem>
#include <string>

namespace fb {

/// A content version id for a dataset: same bytes, same id.
///
/// For a file: the SHA-256 of its bytes (as `sha256sum` prints it). For a folder: the SHA-256
/// over its data files (those DatasetReader::listFolder lists, in that order), each as its
/// name, a NUL, its length in decimal, a NUL, then its bytes — so renaming, reordering or
/// splitting files changes the id. Streamed: memory does not grow with the data.
/// Stateless and thread-safe.
class DatasetFingerprint final
{
public:
    /// 64 lower-case hex digits; the error names the file that could not be read.
    [[nodiscard]] static Result<std::string> compute(const std::filesystem::path &path);
};

} // namespace fb
