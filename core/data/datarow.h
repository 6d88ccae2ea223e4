#pragma once

#include <core/common/value.h>

#include <cstdint>
#include <string>

namespace fb {

/// One row of a dataset, as DatasetReader yields it.
struct DataRow
{
    /// The row as a JSON object. CSV/TSV cells are strings, keyed by the header's column names.
    Value row;
    /// The file the row came from (for a folder: the folder path joined with the file name).
    std::string file;
    /// 1-based line in `file` where the row starts.
    std::int64_t line = 0;
    /// 0-based position over the whole dataset, counting only the rows yielded (skipped bad
    /// rows take no index), so a batch run's line numbers are dense.
    std::int64_t index = 0;
};

/// What a DatasetReader does with a row it cannot read (bad JSON, a non-object, invalid UTF-8,
/// a CSV row with the wrong number of fields).
enum class OnBadRow {
    Stop, ///< next() returns the error; the reader stays failed
    Skip, ///< the problem is recorded in skipped() and reading goes on
};

} // namespace fb
