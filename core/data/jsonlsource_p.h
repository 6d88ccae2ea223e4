#pragma once

#include <core/data/rowsource_p.h>

namespace fb::data {

/// JSON Lines: one object per line; blank lines are ignored.
class JsonlSource final : public RowSource
{
public:
    [[nodiscard]] SourceStep next() override;

private:
    std::int64_t m_line = 0;
};

} // namespace fb::data
