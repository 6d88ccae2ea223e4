#include <core/store/sqliteconnection_p.h>

#include <sqlite3.h>

#include <utility>

namespace fb {

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
{
}

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(m_stmt); }

void SqliteStatement::reset()
{
    // No sqlite3_clear_bindings: every caller binds all parameters before each step.
    sqlite3_reset(m_stmt);
}

void SqliteStatement::bindInt64(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bindDouble(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void SqliteStatement::bindText(int index, std::string_view text)
{
    // SQLITE_STATIC: the writer binds thousands of strings per batch; callers keep them alive.
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::bindNull(int index) { sqlite3_bind_null(m_stmt, index); }

void SqliteStatement::bindBlob(int index, std::string_view bytes)
{
    // A zero-length blob needs a non-null pointer or SQLite binds NULL.
    sqlite3_bind_blob64(m_stmt, index, bytes.empty() ? "" : bytes.data(),
                        static_cast<sqlite3_uint64>(bytes.size()), SQLITE_STATIC);
}

void SqliteStatement::bindOptionalInt64(int index, std::optional<std::int64_t> value)
{
    if (value) {
        bindInt64(index, *value);
    } else {
        bindNull(index);
    }
}

void SqliteStatement::bindOptionalDouble(int index, std::optional<double> value)
{
    if (value) {
        bindDouble(index, *value);
    } else {
        bindNull(index);
    }
}

int SqliteStatement::step() { return sqlite3_step(m_stmt); }

bool SqliteStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::int64At(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteStatement::doubleAt(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string SqliteStatement::textAt(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (text == nullptr) {
        return {};
    }
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::string SqliteStatement::blobAt(int column) const
{
    const auto *bytes = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    if (bytes == nullptr) {
        return {};
    }
    return std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::optional<std::int64_t> SqliteStatement::optionalInt64At(int column) const
{
    if (isNull(column)) {
        return std::nullopt;
    }
    return int64At(column);
}

std::string_view SqliteStatement::textViewAt(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (text == nullptr) {
        return {};
    }
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

std::optional<double> SqliteStatement::optionalDoubleAt(int column) const
{
    if (isNull(column)) {
        return std::nullopt;
    }
    return doubleAt(column);
}

SqliteConnection::SqliteConnection(SqliteConnection &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_path(std::move(other.m_path))
    , m_readOnly(other.m_readOnly)
{
}

SqliteConnection &SqliteConnection::operator=(SqliteConnection &&other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
        m_readOnly = other.m_readOnly;
    }
    return *this;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(m_db); }

std::string SqliteConnection::uri(const std::string &path, std::string_view query)
{
    // RFC 3986 as SQLite reads it: '%', '?' and '#' end or escape the path, so they are
    // escaped; an absolute path gets an empty authority ("file:///abs") so that a path starting
    // with "//" is not taken for a host name.
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = path.starts_with('/') ? "file://" : "file:";
    for (const char c : path) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '%' || c == '?' || c == '#' || byte < 0x20) {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        } else {
            out += c;
        }
    }
    if (!query.empty()) {
        out += '?';
        out += query;
    }
    return out;
}

Result<SqliteConnection> SqliteConnection::openReadOnly(const std::string &path)
{
    SqliteConnection conn;
    conn.m_path = path;
    conn.m_readOnly = true;
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    const int rc
        = sqlite3_open_v2(uri(path, "mode=ro&immutable=1").c_str(), &conn.m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        return fail(ErrorCode::Io,
                    path + ": cannot open read-only: "
                        + (conn.m_db ? sqlite3_errmsg(conn.m_db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(conn.m_db, 1);
    // The first statement reads the header: a file that is not SQLite fails here.
    char *message = nullptr;
    const int pragmaRc
        = sqlite3_exec(conn.m_db, "PRAGMA schema_version;", nullptr, nullptr, &message);
    if (pragmaRc != SQLITE_OK) {
        std::string reason = message ? message : sqlite3_errstr(pragmaRc);
        sqlite3_free(message);
        return fail((pragmaRc & 0xff) == SQLITE_NOTADB ? ErrorCode::Parse : ErrorCode::Io,
                    path + ": cannot read as SQLite: " + reason);
    }
    return conn;
}

Result<SqliteConnection> SqliteConnection::open(const std::string &path)
{
    SqliteConnection conn;
    conn.m_path = path;
    const int flags
        = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(uri(path).c_str(), &conn.m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        return fail(ErrorCode::Io,
                    path + ": cannot open experiment store: "
                        + (conn.m_db ? sqlite3_errmsg(conn.m_db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(conn.m_db, 1);
    sqlite3_busy_timeout(conn.m_db, 5000);
    // The first statement reads the header: a file that is not SQLite fails here.
    char *message = nullptr;
    const int pragmaRc = sqlite3_exec(conn.m_db,
                                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                      "PRAGMA foreign_keys=ON;",
                                      nullptr, nullptr, &message);
    if (pragmaRc != SQLITE_OK) {
        std::string reason = message ? message : sqlite3_errstr(pragmaRc);
        sqlite3_free(message);
        if ((pragmaRc & 0xff) == SQLITE_NOTADB) {
            return fail(ErrorCode::Parse,
                        path + ": not a Flowbench experiment store (" + reason + ")");
        }
        return fail(ErrorCode::Io, path + ": cannot open experiment store: " + reason);
    }
    return conn;
}

Result<void> SqliteConnection::exec(const char *sql)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string reason = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return fail(ErrorCode::Io, m_path + ": " + reason);
    }
    return {};
}

Result<SqliteStatement> SqliteConnection::prepare(std::string_view sql)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return error("prepare");
    }
    return SqliteStatement(stmt);
}

Error SqliteConnection::error(std::string_view context) const
{
    const int code = sqlite3_errcode(m_db) & 0xff;
    const ErrorCode ec = code == SQLITE_CONSTRAINT  ? ErrorCode::InvalidArgument
                         : code == SQLITE_INTERRUPT ? ErrorCode::Cancelled
                                                    : ErrorCode::Io;
    return Error(ec, m_path + ": " + std::string(context) + ": " + sqlite3_errmsg(m_db));
}

std::int64_t SqliteConnection::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }

int SqliteConnection::changes() const { return sqlite3_changes(m_db); }

} // namespace fb
