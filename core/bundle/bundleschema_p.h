#pragma once

#include <core/common/result.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

class SqliteConnection;

/// What makes a SQLite file a run bundle besides the store's own schema: its application id,
/// the bundle tables, the store tables copied per run, and the rule for stored file paths.
class BundleSchema final
{
public:
    /// `PRAGMA application_id` of a bundle: "FBb1". An experiment store has 0.
    static constexpr std::uint32_t kApplicationId = 0x46426231;

    /// Sets the application id and creates the bundle tables (the store schema must exist).
    [[nodiscard]] static Result<void> create(SqliteConnection &conn);

    /// The store tables that hold a run's own rows, parents first: lines before their node
    /// results and scores. Each has a `run_id` column.
    [[nodiscard]] static const std::vector<std::string> &runTables();

    /// The columns of `schema.table` in table order (PRAGMA table_info).
    [[nodiscard]] static Result<std::vector<std::string>>
    columns(SqliteConnection &conn, const std::string &schema, const std::string &table);

    /// Why `path` may not name a file inside a flow folder, or nullopt when it may: it must be
    /// relative, non-empty, at most `maxBytes` long, in '/'-separated components none of which
    /// is empty, "." or "..", with no NUL, backslash or control character.
    [[nodiscard]] static std::optional<std::string> pathProblem(std::string_view path,
                                                                std::uint64_t maxBytes);
};

} // namespace fb
