#pragma once

#include <core/data/rowsource_p.h>

namespace fb::data {

/// A .json file holding one top-level array of objects, read element by element: a scanner
/// finds each element's extent (tracking strings and bracket depth) and only that slice is
/// parsed, so memory stays bounded by the largest row, not the file.
class JsonArraySource final : public RowSource
{
public:
    [[nodiscard]] SourceStep next() override;

private:
    enum class State { BeforeArray, FirstElement, BeforeElement, AfterElement, Done };

    /// Skips whitespace (counting lines); false at the end of the file. `error` is set on I/O
    /// failure.
    bool skipWhitespace(std::optional<SourceStep> &error);
    SourceStep readElement();
    /// 1-based column of window()[i] on the current line.
    [[nodiscard]] int columnAt(std::size_t i) const;
    /// Counts the newlines in window()[from, to) into m_line / m_lineStart.
    void countLines(std::size_t from, std::size_t to);

    State m_state = State::BeforeArray;
    std::int64_t m_line = 1;
    std::int64_t m_lineStart = 0; // file offset where line m_line starts
};

} // namespace fb::data
