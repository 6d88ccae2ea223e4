#include <ui/initialize/connectionresolver.h>

#include <ui/initialize/connectionrepository.h>
#include <ui/initialize/secretstore.h>

namespace fb::ui {

ConnectionResolver::ConnectionResolver(QObject *parent)
    : QObject(parent)
{
}

void ConnectionResolver::resolve(const QString &workspaceRoot, const QString &connectionsDir,
                                 SecretStore *secrets, QObject *context, Callback done)
{
    auto *r = new ConnectionResolver(secrets);
    r->m_root = workspaceRoot;
    r->m_secrets = secrets;
    r->m_context = context;
    r->m_done = std::move(done);
    const auto list = ConnectionRepository(connectionsDir).list();
    r->m_connections.assign(list.begin(), list.end());
    r->next();
}

void ConnectionResolver::next()
{
    if (m_index >= m_connections.size()) {
        if (m_context) {
            m_done(std::move(m_connections));
        }
        deleteLater();
        return;
    }
    const fb::Connection &c = m_connections[m_index];
    const QString key = ConnectionRepository::secretKey(m_root, QString::fromStdString(c.name));
    m_secrets->read(key, [this](std::optional<QString> secret, const QString &) {
        if (secret && !secret->isEmpty()) {
            m_connections[m_index].secrets["api_key"] = secret->toStdString();
        }
        ++m_index;
        next();
    });
}

} // namespace fb::ui
