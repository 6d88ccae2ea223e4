#pragma once

#include <core/common/diagnostic.h>
#include <core/common/result.h>
#include <core/data/datarow.h>
#include <core/data/datasetreader.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace fb {

/// The type of a dataset column, inferred from the values seen in it.
enum class ColumnType {
    Int,    ///< only integers
    Double, ///< numbers, at least one not an integer
    Bool,
    String,
    List,   ///< JSON arrays
    Object, ///< JSON objects
    Mixed,  ///< more than one of the above
};

/// "int", "double", "bool", "string", "list", "object", "mixed".
[[nodiscard]] const char *columnTypeName(ColumnType type);

/// A preview of a dataset for a GUI table: its first rows, its columns and their types.
struct DatasetInfo
{
    struct Column
    {
        std::string name;
        ColumnType type = ColumnType::String;
        /// Rows of the preview in which the column is missing or null.
        std::int64_t missing = 0;
    };

    std::vector<DataRow> rows;
    /// Every key seen in the preview rows, in order of first appearance.
    std::vector<Column> columns;
    /// The data files of the dataset.
    std::vector<std::filesystem::path> files;
    /// Bad rows passed over while reading the preview (with OnBadRow::Skip).
    std::vector<Diagnostic> skipped;
    /// True when the preview holds every row of the dataset.
    bool complete = false;

    /// Reads up to `maxRows` rows of `path` and infers the column types from them (nulls and
    /// missing keys are ignored; a column seen only as null is String). CSV/TSV cells are
    /// strings, so their columns are String. Fails as DatasetReader does, including
    /// "data is empty". Reads at most `maxRows` rows plus one look-ahead.
    [[nodiscard]] static Result<DatasetInfo> preview(const std::filesystem::path &path,
                                                     std::size_t maxRows,
                                                     DatasetReaderOptions options = {});

    /// Infers the columns of `rows` (as preview() does); exposed for callers holding rows.
    [[nodiscard]] static std::vector<Column> inferColumns(const std::vector<DataRow> &rows);
};

} // namespace fb
