#include <ui/evaluate/addreviewcommand.h>

#include <core/store/experimentstore.h>

namespace fb::ui {

AddReviewCommand::AddReviewCommand(QString storePath, fb::Rating rating, QString text,
                                   ErrorHandler onError, ChangeHandler onChanged)
    : QUndoCommand(std::move(text))
    , m_storePath(std::move(storePath))
    , m_rating(std::move(rating))
    , m_onError(std::move(onError))
    , m_onChanged(std::move(onChanged))
{
}

AddReviewCommand::AddReviewCommand(QString storePath, fb::Preference preference, QString text,
                                   ErrorHandler onError, ChangeHandler onChanged)
    : QUndoCommand(std::move(text))
    , m_storePath(std::move(storePath))
    , m_preference(std::move(preference))
    , m_onError(std::move(onError))
    , m_onChanged(std::move(onChanged))
{
}

void AddReviewCommand::redo()
{
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    auto added = store ? (m_rating ? store->addRating(*m_rating)
                                   : store->addPreference(*m_preference))
                       : fb::Result<std::int64_t>(store.error());
    if (!added) {
        setObsolete(true);
        if (m_onError) {
            m_onError(QString::fromStdString(added.error().message));
        }
        return;
    }
    m_id = *added;
    if (m_onChanged) {
        m_onChanged();
    }
}

void AddReviewCommand::undo()
{
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    auto removed = store ? (m_rating ? store->removeRating(m_id) : store->removePreference(m_id))
                         : fb::Result<void>(store.error());
    if (!removed) {
        setObsolete(true);
        if (m_onError) {
            m_onError(QString::fromStdString(removed.error().message));
        }
        return;
    }
    m_id = 0;
    if (m_onChanged) {
        m_onChanged();
    }
}

} // namespace fb::ui
