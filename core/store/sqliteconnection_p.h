#pragma once

#include <core/common/result.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace fb {

/// A prepared statement, finalized on destruction. Used by one thread only.
/// Text bound with bindText() is not copied: it must stay alive until the next step()/reset().
class SqliteStatement final
{
public:
    SqliteStatement() = default;
    explicit SqliteStatement(sqlite3_stmt *stmt)
        : m_stmt(stmt)
    {
    }
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    ~SqliteStatement();

    void reset();
    void bindInt64(int index, std::int64_t value);
    void bindDouble(int index, double value);
    void bindText(int index, std::string_view text);
    void bindNull(int index);
    /// Binds bytes as a BLOB; like bindText, not copied.
    void bindBlob(int index, std::string_view bytes);
    void bindOptionalInt64(int index, std::optional<std::int64_t> value);
    void bindOptionalDouble(int index, std::optional<double> value);

    /// sqlite3_step's result code (SQLITE_ROW, SQLITE_DONE or an error).
    [[nodiscard]] int step();

    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] std::int64_t int64At(int column) const;
    [[nodiscard]] double doubleAt(int column) const;
    [[nodiscard]] std::string textAt(int column) const;
    /// The column's text without a copy; valid until the next step(), reset() or column call.
    [[nodiscard]] std::string_view textViewAt(int column) const;
    /// The column's bytes as a BLOB (text is returned as its bytes).
    [[nodiscard]] std::string blobAt(int column) const;
    [[nodiscard]] std::optional<std::int64_t> optionalInt64At(int column) const;
    [[nodiscard]] std::optional<double> optionalDoubleAt(int column) const;

private:
    sqlite3_stmt *m_stmt = nullptr;
};

/// One sqlite3 connection configured for the store (WAL, synchronous=NORMAL, busy_timeout 5 s,
/// foreign keys on), or a read-only one over an immutable file (a run bundle). Paths are passed
/// to SQLite as `file:` URIs (so ATTACH may name a URI with `mode=ro`); any path works, the
/// characters URIs reserve are escaped. Closed on destruction. Used by one thread at a time.
class SqliteConnection final
{
public:
    SqliteConnection() = default;
    SqliteConnection(SqliteConnection &&other) noexcept;
    SqliteConnection &operator=(SqliteConnection &&other) noexcept;
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;
    ~SqliteConnection();

    /// Opens (creating if missing) and applies the pragmas; errors name the path.
    [[nodiscard]] static Result<SqliteConnection> open(const std::string &path);
    /// Opens an existing file read-only and immutable (`mode=ro&immutable=1`): no lock, no
    /// journal, no WAL, nothing written beside or into it; any write fails with SQLITE_READONLY.
    /// For files nobody changes while they are open (a run bundle). Errors name the path.
    [[nodiscard]] static Result<SqliteConnection> openReadOnly(const std::string &path);
    /// The `file:` URI for `path` with `query` appended after a '?' when not empty (e.g.
    /// "mode=ro&immutable=1"): what `ATTACH ?1 AS name` takes on a connection of this class.
    [[nodiscard]] static std::string uri(const std::string &path, std::string_view query = {});

    [[nodiscard]] Result<void> exec(const char *sql);
    [[nodiscard]] Result<SqliteStatement> prepare(std::string_view sql);
    /// An error for the last failed call: "<path>: <context>: <sqlite message>".
    [[nodiscard]] Error error(std::string_view context) const;
    [[nodiscard]] std::int64_t lastInsertRowId() const;
    /// Rows changed by the last INSERT/UPDATE/DELETE.
    [[nodiscard]] int changes() const;
    [[nodiscard]] const std::string &path() const { return m_path; }
    /// Opened by openReadOnly().
    [[nodiscard]] bool isReadOnly() const { return m_readOnly; }
    /// The raw handle, for the few sqlite3 calls this wrapper does not cover (WAL hooks and
    /// checkpoints); it stays owned by the connection.
    [[nodiscard]] sqlite3 *handle() const { return m_db; }

private:
    sqlite3 *m_db = nullptr;
    std::string m_path;
    bool m_readOnly = false;
};

} // namespace fb
