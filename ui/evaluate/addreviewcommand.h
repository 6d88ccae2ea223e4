#pragma once

// moc cannot read <compare> (which storeids.h includes) and needs no core type to read this.
#ifndef Q_MOC_RUN
#include <core/store/storetypes.h>
#endif

#include <QString>
#include <QUndoCommand>

#include <functional>
#include <optional>

namespace fb::ui {

/// Records a human rating or a blind A/B preference in the store, undoably: redo() adds it
/// (ExperimentStore::addRating / addPreference, where core checks it), undo() removes it, a
/// redo after an undo adds it again. Each step opens the store briefly on the calling (GUI)
/// thread: a rating is one small row. A step that fails reports through `onError` and makes
/// the command obsolete (the undo stack drops it); `onChanged` runs after every successful step.
class AddReviewCommand final : public QUndoCommand
{
public:
    using ErrorHandler = std::function<void(const QString &message)>;
    using ChangeHandler = std::function<void()>;

    AddReviewCommand(QString storePath, fb::Rating rating, QString text, ErrorHandler onError,
                     ChangeHandler onChanged);
    AddReviewCommand(QString storePath, fb::Preference preference, QString text,
                     ErrorHandler onError, ChangeHandler onChanged);

    void redo() override;
    void undo() override;

    /// The store id of the record while it is stored, else 0.
    [[nodiscard]] qint64 storedId() const { return m_id; }

private:
    QString m_storePath;
    std::optional<fb::Rating> m_rating;
    std::optional<fb::Preference> m_preference;
    ErrorHandler m_onError;
    ChangeHandler m_onChanged;
    qint64 m_id = 0;
};

} // namespace fb::ui
