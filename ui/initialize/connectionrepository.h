#pragma once

#include <core/llm/connection.h>

#include <QList>
#include <QString>

namespace fb::ui {

/// The workspace's connections as promptflow connection YAML files (`<dir>/<name>.yaml`),
/// written WITHOUT secrets: `api_key` is promptflow's `"<user-input>"` placeholder and the key
/// itself lives in the SecretStore under secretKey(). Reading keeps every field but api_key.
/// Stateless apart from the folder; GUI thread (small files).
class ConnectionRepository
{
public:
    explicit ConnectionRepository(QString dir = {});

    [[nodiscard]] QString dir() const { return m_dir; }
    /// Connections in the folder, sorted by name; files that do not parse are reported in
    /// `errors` ("file: message") and skipped.
    [[nodiscard]] QList<fb::Connection> list(QStringList *errors = nullptr) const;
    /// Writes (or replaces) `<name>.yaml`. Secrets in `connection` are ignored.
    bool save(const fb::Connection &connection, QString *error) const;
    bool remove(const QString &name, QString *error) const;
    [[nodiscard]] QString fileFor(const QString &name) const;

    /// The YAML text save() writes, without secrets.
    [[nodiscard]] static QByteArray toYaml(const fb::Connection &connection);
    /// True for names promptflow accepts as a connection name (letters, digits, '_', '-').
    [[nodiscard]] static bool isValidName(const QString &name);
    /// The key of a connection's secret in the SecretStore.
    [[nodiscard]] static QString secretKey(const QString &workspaceRoot, const QString &name);

private:
    QString m_dir;
};

} // namespace fb::ui
