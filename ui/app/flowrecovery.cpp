#include <ui/app/flowrecovery.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace fb::ui {

namespace {

constexpr int kFormatVersion = 1;

QString cleanFlowDir(const QString &flowDir)
{
    return QDir::cleanPath(QDir(flowDir).absolutePath());
}

} // namespace

FlowRecovery::FlowRecovery(QString folder)
    : m_folder(folder.isEmpty()
                   ? QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)
                         + QStringLiteral("/recovery")
                   : std::move(folder))
{
}

QString FlowRecovery::fileFor(const QString &flowDir) const
{
    const QByteArray key
        = QCryptographicHash::hash(cleanFlowDir(flowDir).toUtf8(), QCryptographicHash::Sha256)
              .toHex()
              .left(32);
    return QDir(m_folder).filePath(QString::fromLatin1(key) + QStringLiteral(".json"));
}

bool FlowRecovery::save(const Snapshot &snapshot, QString *error)
{
    if (!QDir().mkpath(m_folder)) {
        if (error) {
            *error = QStringLiteral("cannot create %1").arg(m_folder);
        }
        return false;
    }
    QJsonObject templates;
    for (auto it = snapshot.templates.cbegin(); it != snapshot.templates.cend(); ++it) {
        templates.insert(it.key(), it.value());
    }
    const QJsonObject root{
        {QStringLiteral("version"), kFormatVersion},
        {QStringLiteral("flow_dir"), cleanFlowDir(snapshot.flowDir)},
        {QStringLiteral("saved_at"), snapshot.savedAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("flow_yaml"), QString::fromUtf8(snapshot.flowYaml)},
        {QStringLiteral("templates"), templates},
    };
    QSaveFile file(fileFor(snapshot.flowDir));
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) {
            *error = file.errorString();
        }
        return false;
    }
    file.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        if (error) {
            *error = file.errorString();
        }
        return false;
    }
    return true;
}

std::optional<FlowRecovery::Snapshot> FlowRecovery::load(const QString &flowDir) const
{
    QFile file(fileFor(flowDir));
    if (!file.open(QIODevice::ReadOnly)) {
        return std::nullopt;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    const QJsonObject root = doc.object();
    // A snapshot of another folder (a hash collision) or of another format is not ours.
    if (root.value(QStringLiteral("version")).toInt() != kFormatVersion
        || root.value(QStringLiteral("flow_dir")).toString() != cleanFlowDir(flowDir)) {
        return std::nullopt;
    }
    Snapshot snapshot;
    snapshot.flowDir = cleanFlowDir(flowDir);
    snapshot.savedAt = QDateTime::fromString(root.value(QStringLiteral("saved_at")).toString(),
                                             Qt::ISODateWithMs);
    snapshot.flowYaml = root.value(QStringLiteral("flow_yaml")).toString().toUtf8();
    const QJsonObject templates = root.value(QStringLiteral("templates")).toObject();
    for (auto it = templates.begin(); it != templates.end(); ++it) {
        snapshot.templates.insert(it.key(), it.value().toString());
    }
    if (snapshot.flowYaml.isEmpty()) {
        return std::nullopt;
    }
    return snapshot;
}

void FlowRecovery::discard(const QString &flowDir) { QFile::remove(fileFor(flowDir)); }

} // namespace fb::ui
