#include <ui/initialize/secretstore.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace fb::ui {

namespace {

const QString kService = QStringLiteral("Flowbench");

bool keychainUnavailable(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
           || error == QKeychain::OtherError || error == QKeychain::AccessDenied;
}

} // namespace

SecretStore::SecretStore(QObject *parent, const QString &fallbackFile)
    : QObject(parent)
    , m_fallbackFile(fallbackFile)
{
    if (m_fallbackFile.isEmpty()) {
        m_fallbackFile = QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
                             .filePath(QStringLiteral("secrets.json"));
    }
    if (qEnvironmentVariable("FLOWBENCH_SECRET_STORE") == QLatin1String("file")) {
        m_backend = Backend::File;
        m_fallbackReason = tr("FLOWBENCH_SECRET_STORE=file");
    }
}

void SecretStore::probe()
{
    if (m_backend == Backend::File || m_keychainAnswered || m_probing) {
        return;
    }
    m_probing = true;
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(QStringLiteral("flowbench-keychain-probe"));
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *j) {
        m_probing = false;
        if (m_backend == Backend::File) {
            return;
        }
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound) {
            m_keychainAnswered = true;
            Q_EMIT backendChanged(m_backend, QString());
        } else {
            useFallback(j->errorString());
        }
    });
    job->start();
}

QString SecretStore::describe() const
{
    if (m_backend == Backend::Keychain) {
        return m_keychainAnswered ? tr("Secrets are kept in the system keychain.")
                                  : tr("Looking for a keychain service for secrets…");
    }
    return tr("Not encrypted — no keychain service found. Secrets are kept in %1, readable "
              "only by you.")
        .arg(QDir::toNativeSeparators(m_fallbackFile));
}

void SecretStore::useFallback(const QString &reason)
{
    if (m_backend == Backend::File) {
        return;
    }
    m_backend = Backend::File;
    m_fallbackReason = reason;
    Q_EMIT backendChanged(m_backend, reason);
}

void SecretStore::write(const QString &key, const QString &secret, WriteCallback done)
{
    if (m_backend == Backend::File) {
        QString error;
        const bool ok = fileWrite(key, secret, &error);
        // Callbacks are always asynchronous, whichever backend answers.
        QTimer::singleShot(0, this, [done, ok, error] { done(ok, error); });
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, key, secret, done](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError) {
            m_keychainAnswered = true;
            done(true, {});
        } else if (keychainUnavailable(j->error())) {
            useFallback(j->errorString());
            write(key, secret, done);
        } else {
            done(false, j->errorString());
        }
    });
    job->start();
}

void SecretStore::read(const QString &key, ReadCallback done)
{
    if (m_backend == Backend::File) {
        const auto value = fileRead(key);
        QTimer::singleShot(0, this, [done, value] { done(value, {}); });
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, done](QKeychain::Job *j) {
        auto *r = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (r->error() == QKeychain::NoError) {
            done(r->textData(), {});
        } else if (r->error() == QKeychain::EntryNotFound) {
            done(std::nullopt, {});
        } else if (keychainUnavailable(r->error())) {
            useFallback(r->errorString());
            read(key, done);
        } else {
            done(std::nullopt, r->errorString());
        }
    });
    job->start();
}

void SecretStore::remove(const QString &key, WriteCallback done)
{
    if (m_backend == Backend::File) {
        QString error;
        const bool ok = fileWrite(key, std::nullopt, &error);
        QTimer::singleShot(0, this, [done, ok, error] { done(ok, error); });
        return;
    }
    auto *job = new QKeychain::DeletePasswordJob(kService, this);
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key, done](QKeychain::Job *j) {
        if (j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound) {
            done(true, {});
        } else if (keychainUnavailable(j->error())) {
            useFallback(j->errorString());
            remove(key, done);
        } else {
            done(false, j->errorString());
        }
    });
    job->start();
}

std::optional<QString> SecretStore::fileRead(const QString &key) const
{
    QFile f(m_fallbackFile);
    if (!f.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const QJsonObject all = QJsonDocument::fromJson(f.readAll()).object();
    if (!all.contains(key)) {
        return std::nullopt;
    }
    return all.value(key).toString();
}

bool SecretStore::fileWrite(const QString &key, const std::optional<QString> &secret,
                            QString *error)
{
    QJsonObject all;
    {
        QFile f(m_fallbackFile);
        if (f.open(QIODevice::ReadOnly)) {
            all = QJsonDocument::fromJson(f.readAll()).object();
        }
    }
    if (secret) {
        all.insert(key, *secret);
    } else {
        all.remove(key);
    }
    QDir().mkpath(QFileInfo(m_fallbackFile).absolutePath());
    // Written to a new file created 0600, then renamed over the old one: the secrets are
    // never readable by others, not even for a moment.
    const QString tmpPath = m_fallbackFile + QStringLiteral(".tmp");
    QFile::remove(tmpPath);
    QFile tmp(tmpPath);
    const QByteArray data = QJsonDocument(all).toJson(QJsonDocument::Indented);
    if (!tmp.open(QIODevice::WriteOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || tmp.write(data) != data.size() || !tmp.flush()) {
        if (error) {
            *error = tr("Cannot write %1: %2").arg(tmpPath, tmp.errorString());
        }
        return false;
    }
    tmp.close();
    QFile::remove(m_fallbackFile);
    if (!QFile::rename(tmpPath, m_fallbackFile)) {
        if (error) {
            *error = tr("Cannot replace %1.").arg(m_fallbackFile);
        }
        return false;
    }
    return true;
}

} // namespace fb::ui
