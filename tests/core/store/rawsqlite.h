#pragma once

// Test-only access to a store file behind the API's back: scalar queries and raw edits.

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace fb::test {

class RawSqlite final
{
public:
    explicit RawSqlite(const std::string &path)
    {
        if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            sqlite3_close(m_db);
            m_db = nullptr;
        }
        if (m_db) {
            sqlite3_busy_timeout(m_db, 5000);
        }
    }
    RawSqlite(const RawSqlite &) = delete;
    RawSqlite &operator=(const RawSqlite &) = delete;
    ~RawSqlite() { sqlite3_close(m_db); }

    [[nodiscard]] bool isOpen() const { return m_db != nullptr; }

    /// The first column of the first row as text; "<error: ...>" on failure.
    [[nodiscard]] std::string text(const std::string &sql) const
    {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            return "<error: " + std::string(sqlite3_errmsg(m_db)) + ">";
        }
        std::string out;
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0));
            out = t ? t : "";
        } else if (rc != SQLITE_DONE) {
            out = "<error: " + std::string(sqlite3_errmsg(m_db)) + ">";
        }
        sqlite3_finalize(stmt);
        return out;
    }

    [[nodiscard]] std::int64_t integer(const std::string &sql) const
    {
        const std::string t = text(sql);
        return t.empty() || t[0] == '<' ? -1 : std::stoll(t);
    }

    bool exec(const std::string &sql)
    {
        return sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    }

private:
    sqlite3 *m_db = nullptr;
};

} // namespace fb::test
