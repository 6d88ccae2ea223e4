#pragma once

#include <core/llm/connection.h>

#include <QObject>
#include <QPointer>

#include <functional>
#include <vector>

namespace fb::ui {

class SecretStore;

/// Gathers a workspace's connections with their secrets for a run: reads the YAML files
/// (ConnectionRepository) and each connection's API key from the SecretStore, then calls back
/// on the GUI thread with the complete list. Deletes itself when done.
class ConnectionResolver final : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(std::vector<fb::Connection> connections)>;

    /// Starts resolving; `done` runs later unless `context` is destroyed first.
    static void resolve(const QString &workspaceRoot, const QString &connectionsDir,
                        SecretStore *secrets, QObject *context, Callback done);

private:
    ConnectionResolver(QObject *parent);
    void next();

    QString m_root;
    SecretStore *m_secrets = nullptr;
    QPointer<QObject> m_context;
    Callback m_done;
    std::vector<fb::Connection> m_connections;
    size_t m_index = 0;
};

} // namespace fb::ui
