#pragma once

#include <core/common/diagnostic.h>
#include <core/common/value.h>
#include <core/data/bufferedfile_p.h>

#include <cstdint>
#include <memory>
#include <string>

namespace fb::data {

/// What a RowSource produced on one call of next().
struct SourceStep
{
    enum class Kind {
        Row,    ///< `row` and `line` are set
        BadRow, ///< `diagnostic` says why; the source can go on
        End,    ///< no more rows in this file
        Fatal,  ///< `diagnostic` says why; the file cannot be read further
    };
    Kind kind = Kind::End;
    Value row;
    std::int64_t line = 0;
    Diagnostic diagnostic;
};

/// Turns the bytes of one data file into rows, one at a time. One subclass per format.
class RowSource
{
public:
    virtual ~RowSource() = default;
    [[nodiscard]] virtual SourceStep next() = 0;
    [[nodiscard]] std::size_t bufferCapacity() const { return m_file.capacity(); }

    enum class Format { JsonLines, JsonArray, Csv, Tsv };

    /// The source for `path` in `format`; the error names the file.
    [[nodiscard]] static Result<std::unique_ptr<RowSource>>
    open(const std::filesystem::path &path, const std::string &displayName, Format format,
         std::size_t chunkBytes, std::size_t maxRowBytes, bool countOnly = false);

protected:
    SourceStep bad(std::int64_t line, int column, std::string message) const;
    SourceStep fatal(std::int64_t line, int column, std::string message) const;
    /// A Fatal step for an I/O error from the BufferedFile.
    static SourceStep fatalIo(const Error &error);
    /// The "row is longer than N bytes" fatal step.
    SourceStep tooLong(std::int64_t line) const;
    /// BadRow for invalid UTF-8 at window()[offset] when the row starts at window()[rowStart].
    SourceStep badUtf8(std::int64_t line, std::size_t rowStart, std::size_t offset) const;

    BufferedFile m_file;
    std::string m_name;
    std::size_t m_maxRowBytes = 0;
    bool m_countOnly = false; ///< a source may leave Row steps' `row` null (see countOnly)
};

/// Parses `text` as one JSON value into `out`. On failure returns false and sets `message` to
/// the parser's reason and `errorByte` to the 0-based offset in `text` where it stopped.
[[nodiscard]] bool parseJson(std::string_view text, Value &out, std::string &message,
                             std::size_t &errorByte);

/// A name for a JSON value's type in messages: "an array", "a string", ...
[[nodiscard]] std::string describeJsonType(const Value &value);

} // namespace fb::data
