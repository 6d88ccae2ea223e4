#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace fb::ui {

/// Where connection secrets (API keys) live: the OS keychain through QtKeychain (service
/// "Flowbench"), or — when no keychain service exists (headless Linux, CI) — a fallback file
/// readable only by the user (0600) under the config folder, which is NOT encrypted and the UI
/// says so. The first keychain failure switches to the fallback for the rest of the session;
/// FLOWBENCH_SECRET_STORE=file forces it. Asynchronous: callbacks run later on the GUI thread.
class SecretStore final : public QObject
{
    Q_OBJECT

public:
    enum class Backend { Keychain, File };
    Q_ENUM(Backend)

    using WriteCallback = std::function<void(bool ok, const QString &error)>;
    using ReadCallback = std::function<void(std::optional<QString> secret, const QString &error)>;

    /// `fallbackFile` defaults to `<AppConfigLocation>/secrets.json`.
    explicit SecretStore(QObject *parent = nullptr, const QString &fallbackFile = {});

    void write(const QString &key, const QString &secret, WriteCallback done);
    /// Reads a secret; nullopt (and no error) when none is stored under `key`.
    void read(const QString &key, ReadCallback done);
    void remove(const QString &key, WriteCallback done);

    [[nodiscard]] Backend backend() const { return m_backend; }
    /// Asks the keychain, once, whether it answers at all (a read of a key that is never
    /// written), so the UI can say where secrets will go before the first save. backendChanged()
    /// follows when the answer is in; until then describe() says the store is being checked.
    void probe();
    /// True once the backend is known: the fallback file, or a keychain that has answered.
    [[nodiscard]] bool isBackendKnown() const { return m_backend == Backend::File || m_keychainAnswered; }
    [[nodiscard]] QString fallbackFile() const { return m_fallbackFile; }
    /// A sentence for the UI naming where secrets go.
    [[nodiscard]] QString describe() const;
    /// Use the fallback file from now on (tests, or after a keychain failure).
    void useFallback(const QString &reason);

Q_SIGNALS:
    void backendChanged(fb::ui::SecretStore::Backend backend, const QString &reason);

private:
    bool fileWrite(const QString &key, const std::optional<QString> &secret, QString *error);
    [[nodiscard]] std::optional<QString> fileRead(const QString &key) const;

    Backend m_backend = Backend::Keychain;
    bool m_keychainAnswered = false;
    bool m_probing = false;
    QString m_fallbackFile;
    QString m_fallbackReason;
};

} // namespace fb::ui
