#include <ui/evaluate/ratingbar.h>

#include <ui/app/appsettings.h>
#include <ui/evaluate/addreviewcommand.h>

#include <core/report/ratingsummary.h>
#include <core/store/experimentstore.h>

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>


namespace fb::ui {

RatingBar::RatingBar(QWidget *parent)
    : QWidget(parent)
    , m_undo(new QUndoStack(this))
    , m_title(new QLabel(this))
    , m_raterLabel(new QLabel(this))
    , m_rater(new QLineEdit(this))
    , m_pass(new QToolButton(this))
    , m_fail(new QToolButton(this))
    , m_comment(new QLineEdit(this))
    , m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("ratingBar"));
    m_rater->setObjectName(QStringLiteral("ratingRater"));
    m_rater->setText(AppSettings::raterName());
    m_rater->setMaximumWidth(140);
    m_raterLabel->setBuddy(m_rater);
    m_pass->setObjectName(QStringLiteral("ratePass"));
    m_fail->setObjectName(QStringLiteral("rateFail"));
    for (int i = 1; i <= 5; ++i) {
        auto *star = new QToolButton(this);
        star->setObjectName(QStringLiteral("rateStars%1").arg(i));
        star->setText(QString::number(i) + QChar(0x2605)); // 3★
        m_stars.append(star);
        connect(star, &QToolButton::clicked, this,
                [this, i] { rate(Verdict(int(Verdict::Stars1) + i - 1)); });
    }
    m_comment->setObjectName(QStringLiteral("ratingComment"));
    m_comment->setClearButtonEnabled(true);
    m_summary->setObjectName(QStringLiteral("ratingSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    connect(m_pass, &QToolButton::clicked, this, [this] { rate(Verdict::Pass); });
    connect(m_fail, &QToolButton::clicked, this, [this] { rate(Verdict::Fail); });
    connect(m_comment, &QLineEdit::returnPressed, this, [this] { comment(); });
    connect(m_rater, &QLineEdit::editingFinished, this, [this] {
        const QString name = m_rater->text().trimmed();
        if (!name.isEmpty()) {
            AppSettings::setRaterName(name);
        }
    });

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_title);
    row->addWidget(m_pass);
    row->addWidget(m_fail);
    for (QToolButton *star : m_stars) {
        row->addWidget(star);
    }
    row->addWidget(m_comment, 1);
    row->addWidget(m_raterLabel);
    row->addWidget(m_rater);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_summary);

    retranslate();
    updateEnabled();
}

void RatingBar::setUndoStack(QUndoStack *stack)
{
    m_undo = stack != nullptr ? stack : new QUndoStack(this);
}

void RatingBar::setLine(const QString &storePath, fb::RunId run, qint64 lineIndex)
{
    const bool otherRun = storePath != m_storePath || run != m_run;
    m_storePath = storePath;
    m_run = run;
    m_line = storePath.isEmpty() ? -1 : lineIndex;
    m_error.clear();
    retranslate();
    updateEnabled();
    // The run's ratings are read once and again after each change, not on every row the
    // reviewer moves past.
    if (otherRun || !m_loaded) {
        refresh();
    } else {
        showRatings();
    }
}

void RatingBar::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateEnabled();
}

bool RatingBar::rate(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pass:
        return record(int(fb::RatingKind::PassFail), 1.0, tr("pass"));
    case Verdict::Fail:
        return record(int(fb::RatingKind::PassFail), 0.0, tr("fail"));
    default:
        break;
    }
    const int stars = int(verdict) - int(Verdict::Stars1) + 1;
    return record(int(fb::RatingKind::Stars), double(stars), tr("%n star(s)", nullptr, stars));
}

bool RatingBar::comment()
{
    if (m_comment->text().trimmed().isEmpty()) {
        return false;
    }
    return record(int(fb::RatingKind::Comment), std::nullopt, tr("comment"));
}

bool RatingBar::record(int kind, std::optional<double> score, const QString &what)
{
    if (m_line < 0 || m_readOnly) {
        return false;
    }
    const QString rater = m_rater->text().trimmed();
    if (rater.isEmpty()) {
        showError(tr("Enter your name as the rater first."));
        m_rater->setFocus();
        return false;
    }
    AppSettings::setRaterName(rater);
    fb::Rating rating;
    rating.runId = m_run;
    rating.lineIndex = m_line;
    rating.rater = rater.toStdString();
    rating.kind = fb::RatingKind(kind);
    rating.score = score;
    rating.comment = m_comment->text().trimmed().toStdString();
    m_error.clear();
    m_pushFailed = false;
    // The stack outlives nothing it points at: the handlers check the bar is still there.
    const QPointer<RatingBar> self(this);
    auto *command = new AddReviewCommand(
        m_storePath, rating, tr("Rate Line %1 %2").arg(m_line).arg(what),
        [self](const QString &message) {
            if (self) {
                self->m_pushFailed = true;
                self->showError(message);
            }
        },
        [self] {
            if (self) {
                self->refresh();
                Q_EMIT self->ratingsChanged();
            }
        });
    m_undo->push(command); // runs redo() now
    if (m_pushFailed) {
        return false;
    }
    m_comment->clear();
    return true;
}

void RatingBar::refresh()
{
    m_ratings.clear();
    m_readError.clear();
    // Read once a line is chosen: opening the run (line -1) never touches the store.
    m_loaded = m_line >= 0;
    if (m_loaded) {
        auto store = fb::ExperimentStore::open(m_storePath.toStdString());
        auto ratings = store ? store->ratings(m_run)
                             : fb::Result<std::vector<fb::Rating>>(store.error());
        if (ratings) {
            m_ratings = std::move(*ratings);
        } else {
            m_readError = QString::fromStdString(ratings.error().message);
        }
    }
    showRatings();
}

void RatingBar::showRatings()
{
    if (m_line < 0) {
        m_summary->setText(m_error);
        return;
    }
    if (!m_readError.isEmpty()) {
        m_summary->setText(m_readError);
        return;
    }
    // Each rater's last pass/fail and stars, and every comment (core's rule).
    const auto lines = fb::RatingSummary::byLine(m_ratings);
    const auto it = lines.find(m_line);
    QStringList parts;
    if (it != lines.end()) {
        for (const fb::RaterOnLine &who : it->second) {
            QStringList what;
            if (who.passed) {
                what << (*who.passed ? tr("pass") : tr("fail"));
            }
            if (who.stars) {
                what << QString(int(*who.stars), QChar(0x2605));
            }
            if (who.score) {
                what << QString::number(*who.score);
            }
            for (const std::string &c : who.comments) {
                what << QStringLiteral("“%1”").arg(QString::fromStdString(c));
            }
            parts << QStringLiteral("%1: %2").arg(QString::fromStdString(who.rater),
                                                  what.join(QStringLiteral(", ")));
        }
    }
    QString text = parts.isEmpty() ? tr("Not rated yet.") : parts.join(QStringLiteral(" · "));
    if (!m_error.isEmpty()) {
        text = m_error + QLatin1Char('\n') + text;
    }
    m_summary->setText(text);
}

void RatingBar::showError(const QString &message)
{
    m_error = message;
    m_summary->setText(message);
}

void RatingBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        showRatings();
    }
    QWidget::changeEvent(event);
}

void RatingBar::retranslate()
{
    m_title->setText(m_line < 0 ? tr("Rate a line:") : tr("Rate line %1:").arg(m_line));
    m_raterLabel->setText(tr("as"));
    m_rater->setPlaceholderText(tr("Your name"));
    m_rater->setToolTip(tr("The name your ratings are stored under"));
    m_pass->setText(tr("Pass"));
    m_pass->setToolTip(tr("The output is acceptable (P)"));
    m_fail->setText(tr("Fail"));
    m_fail->setToolTip(tr("The output is not acceptable (F)"));
    for (int i = 0; i < m_stars.size(); ++i) {
        m_stars[i]->setToolTip(tr("%n of 5 stars (%1)", nullptr, i + 1).arg(i + 1));
    }
    m_comment->setPlaceholderText(tr("Comment (C; Enter saves it)"));
}

void RatingBar::updateEnabled()
{
    const bool can = m_line >= 0 && !m_readOnly;
    for (QWidget *w : std::initializer_list<QWidget *>{m_pass, m_fail, m_comment}) {
        w->setEnabled(can);
    }
    for (QToolButton *star : m_stars) {
        star->setEnabled(can);
    }
    setToolTip(m_readOnly ? tr("A run bundle is read-only: ratings cannot be added here.")
                          : QString());
}

} // namespace fb::ui
