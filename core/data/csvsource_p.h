#pragma once

#include <core/data/rowsource_p.h>

#include <string>
#include <vector>

namespace fb::data {

/// CSV or TSV after RFC 4180: the first record is the header (column names), every later
/// record one row of string cells. Quoted fields may hold separators, doubled quotes and line
/// breaks; records end in LF or CRLF; blank lines are ignored.
class CsvSource final : public RowSource
{
public:
    explicit CsvSource(char separator)
        : m_separator(separator)
    {
    }
    [[nodiscard]] SourceStep next() override;

private:
    enum class Parse { Record, Blank, NeedMore, BadQuote, Unterminated };

    /// Parses one record at the start of the window into m_fields.
    Parse parseRecord(std::string_view w, bool atEnd);

    char m_separator;
    std::int64_t m_line = 1;
    bool m_haveHeader = false;
    std::vector<std::string> m_columns;
    std::vector<std::string> m_fields;
    std::size_t m_fieldCount = 0;
    // Set by parseRecord:
    std::size_t m_consumed = 0;    // bytes of the record incl. its line break
    std::int64_t m_newlines = 0;   // line breaks inside the record incl. the final one
    std::size_t m_errorOffset = 0; // window offset of a BadQuote / Unterminated
};

} // namespace fb::data
