#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fb::detail {

/// Lines of the object keys of a JSON text, by key path (e.g. {"models", "gpt-4o", "input"}),
/// so that errors found after parsing can name file:line:field (nlohmann keeps no positions).
/// Expects text that already parsed; array elements are not indexed (their keys carry the
/// array's own path). Stateless.
class JsonKeyLines
{
public:
    using Path = std::vector<std::string>;

    explicit JsonKeyLines(std::string_view text);

    /// 1-based line of the key at `path`; the nearest enclosing key's line when that key is
    /// absent; 0 when nothing matches.
    [[nodiscard]] int line(const Path &path) const;

private:
    std::map<Path, int> m_lines;
};

/// 1-based line and column of a byte offset in `text`.
struct TextPosition
{
    int line = 1;
    int column = 1;
};
[[nodiscard]] TextPosition positionOfOffset(std::string_view text, std::size_t offset);

} // namespace fb::detail
