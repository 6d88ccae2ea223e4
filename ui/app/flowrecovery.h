#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>

namespace fb::ui {

/// Unsaved edits of a flow kept on disk while they are being made, so that a crash, a kill or a
/// power cut loses at most the last few seconds: the flow's YAML as edited and the text of every
/// edited template. One JSON file per flow folder under a recovery folder, replaced atomically
/// (QSaveFile), removed when the flow is saved or its changes are discarded. GUI thread only.
class FlowRecovery
{
public:
    struct Snapshot
    {
        QString flowDir;                   ///< absolute, clean
        QDateTime savedAt;                 ///< UTC
        QByteArray flowYaml;               ///< flow.dag.yaml as edited
        QHash<QString, QString> templates; ///< absolute file path -> edited text
    };

    /// `folder` defaults to <AppLocalDataLocation>/recovery.
    explicit FlowRecovery(QString folder = {});

    [[nodiscard]] QString folder() const { return m_folder; }
    /// The snapshot file of a flow folder.
    [[nodiscard]] QString fileFor(const QString &flowDir) const;

    /// Writes (replaces) the snapshot of `snapshot.flowDir`; false with `error` on failure.
    bool save(const Snapshot &snapshot, QString *error = nullptr);
    /// The snapshot of a flow folder, if one was left behind and is readable.
    [[nodiscard]] std::optional<Snapshot> load(const QString &flowDir) const;
    /// Forgets the snapshot of a flow folder (after a save, or when the user discards it).
    void discard(const QString &flowDir);

private:
    QString m_folder;
};

} // namespace fb::ui
