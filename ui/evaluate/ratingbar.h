#pragma once

// moc cannot read <compare> (which storeids.h includes) and needs no core type to read this.
#ifndef Q_MOC_RUN
#include <core/store/storeids.h>
#include <core/store/storetypes.h>
#endif

#include <QList>
#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QLineEdit;
class QToolButton;
class QUndoStack;

namespace fb::ui {

/// Human rating of one line of a stored run: Pass / Fail, 1–5 stars and a comment, under the
/// rater's name (AppSettings::raterName, editable here), and what everyone has said about the
/// line so far. Each rating is a step on an undo stack (AddReviewCommand), so Ctrl+Z
/// takes it back. The line is set by the results view (the table's current row); rate() is
/// what the buttons and the results table's P, F and 1–5 keys call.
class RatingBar final : public QWidget
{
    Q_OBJECT

public:
    enum class Verdict { Pass, Fail, Stars1, Stars2, Stars3, Stars4, Stars5 };

    explicit RatingBar(QWidget *parent = nullptr);

    /// The stack ratings are steps on (the page's, so the window's Undo reaches them); the
    /// bar's own until one is set.
    void setUndoStack(QUndoStack *stack);

    /// The line to rate; lineIndex -1 (or an empty path) disables the bar.
    void setLine(const QString &storePath, fb::RunId run, qint64 lineIndex);
    /// A run bundle is read-only: the bar shows the ratings but records none.
    void setReadOnly(bool readOnly);
    [[nodiscard]] qint64 lineIndex() const { return m_line; }

    /// Records `verdict` (and the comment box's text with it) for the line. False (with a
    /// message shown) when there is no line, no rater name, or the store refused.
    bool rate(Verdict verdict);
    /// Records the comment box's text alone. False when it is empty.
    bool comment();
    /// Re-reads the run's ratings from the store.
    void refresh();

    [[nodiscard]] QLineEdit *raterEdit() const { return m_rater; }
    [[nodiscard]] QLineEdit *commentEdit() const { return m_comment; }
    [[nodiscard]] QLabel *summaryLabel() const { return m_summary; }

Q_SIGNALS:
    /// A rating was added or taken back (by this bar or its undo stack).
    void ratingsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateEnabled();
    bool record(int kind, std::optional<double> score, const QString &what);
    void showError(const QString &message);
    void showRatings();

    QUndoStack *m_undo = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_raterLabel = nullptr;
    QLineEdit *m_rater = nullptr;
    QToolButton *m_pass = nullptr;
    QToolButton *m_fail = nullptr;
    QList<QToolButton *> m_stars;
    QLineEdit *m_comment = nullptr;
    QLabel *m_summary = nullptr;
    QString m_storePath;
    fb::RunId m_run;
    qint64 m_line = -1;
    bool m_readOnly = false;
    bool m_pushFailed = false;
    QString m_error;
    std::vector<fb::Rating> m_ratings; ///< the run's, as last read
    QString m_readError;
    bool m_loaded = false; ///< m_ratings holds the run's ratings
};

} // namespace fb::ui
