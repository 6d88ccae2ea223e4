#pragma once

#include <core/common/diagnostic.h>
#include <core/common/result.h>
#include <core/data/datarow.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fb {

namespace data {
class RowSource;
}

/// How a DatasetReader reads.
struct DatasetReaderOptions
{
    OnBadRow onBadRow = OnBadRow::Stop;
    /// Bytes read from the file at a time (the size of the reader's one buffer).
    std::size_t chunkBytes = 1 << 20;
    /// A single row (a JSONL line, a JSON array element, a CSV record) longer than this is a
    /// fatal error; it bounds the buffer when a file is not what its extension says.
    std::size_t maxRowBytes = 64u << 20;
    /// Check rows without keeping them: next() yields DataRows whose `row` is null, and finds
    /// the same bad rows as a full read, faster (JSON Lines are validated without building
    /// values). For counting a dataset before a run.
    bool countOnly = false;
};

/// Streams the rows of a batch-run dataset, one at a time, in bounded memory.
///
/// A dataset is a `.jsonl` file (one object per line, blank lines ignored), a `.json` file
/// (a top-level array of objects, scanned element by element), a `.csv` or `.tsv` file
/// (RFC 4180; the header row names the columns; cells are strings; LF or CRLF), or a folder
/// of such files, read one after another in byte order of their names (hidden files,
/// sub-folders, FIFOs and devices are ignored). A UTF-8 byte-order mark is skipped. Data files
/// must be regular files: a FIFO or a device given as the dataset is refused before it is
/// opened (it could be read only once, or never end).
///
/// Memory: one buffer of `chunkBytes`, grown only while a single row is larger, whatever the
/// size of the dataset.
///
/// Failure: every error message starts "file:line[:column]: ". A bad row (malformed JSON,
/// not an object, invalid UTF-8 — reported with its byte offset in the file —, a CSV record
/// with the wrong number of fields or a stray quote) stops the reader or is recorded in
/// skipped(), as OnBadRow says. Structural errors (an unterminated quote or array, a broken
/// header, a row above maxRowBytes, I/O) always stop it. A dataset that yields no row fails
/// with "data is empty", as promptflow does. Once failed, next() keeps returning the error.
///
/// Thread-safety: none; use one reader from one thread at a time (it may move between threads).
class DatasetReader final
{
public:
    /// Checks `path` (exists; a folder or a regular file; a known extension; a folder holding at
    /// least one data file is not required — an empty folder fails on the first next() with "data
    /// is empty").
    [[nodiscard]] static Result<DatasetReader> open(const std::filesystem::path &path,
                                                    DatasetReaderOptions options = {});

    DatasetReader(DatasetReader &&other) noexcept;
    DatasetReader &operator=(DatasetReader &&other) noexcept;
    ~DatasetReader();

    /// The next row, or std::nullopt after the last one.
    [[nodiscard]] Result<std::optional<DataRow>> next();

    /// Bad rows passed over under OnBadRow::Skip, in reading order.
    [[nodiscard]] const std::vector<Diagnostic> &skipped() const;
    /// The data files of the dataset, in reading order.
    [[nodiscard]] const std::vector<std::filesystem::path> &files() const;
    /// Rows yielded so far.
    [[nodiscard]] std::int64_t rowCount() const;
    /// The largest size the read buffer reached, in bytes (a check on the memory bound).
    [[nodiscard]] std::size_t peakBufferBytes() const;

    /// True when `path` has an extension this reader understands (case-insensitive).
    [[nodiscard]] static bool isDataFile(const std::filesystem::path &path);
    /// The files a folder dataset consists of, sorted by name: regular, non-hidden files
    /// (any extension; the reader rejects unknown ones). The error names the folder.
    [[nodiscard]] static Result<std::vector<std::filesystem::path>>
    listFolder(const std::filesystem::path &folder);

private:
    struct Private;
    explicit DatasetReader(std::unique_ptr<Private> d);

    std::unique_ptr<Private> d;
};

} // namespace fb
