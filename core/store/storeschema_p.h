#pragma once

#include <core/common/result.h>

namespace fb {

class SqliteConnection;

/// The store's schema and its migrations, keyed by `PRAGMA user_version`.
class StoreSchema final
{
public:
    /// The schema version this build writes.
    [[nodiscard]] static int latestVersion();
    /// Applies every missing migration, each in its own IMMEDIATE transaction (safe when two
    /// processes open the same new file). Fails, naming the file, on a newer schema version.
    [[nodiscard]] static Result<void> migrate(SqliteConnection &conn);
};

} // namespace fb
