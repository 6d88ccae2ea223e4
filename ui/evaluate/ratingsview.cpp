#include <ui/evaluate/ratingsview.h>

#include <ui/evaluate/reviewsummarytext.h>

#include <core/report/preferencesummary.h>
#include <core/report/ratingagreement.h>
#include <core/report/ratingsummary.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <set>

namespace fb::ui {

namespace {

/// "12 pass, 3 fail (80 % pass) · 4 star ratings, mean 3.50 · 2 comments".
QString ratingCounts(const std::vector<fb::Rating> &ratings)
{
    const fb::RatingSummary s = fb::RatingSummary::of(ratings);
    QStringList parts;
    if (const auto rate = s.passRate()) {
        parts << ReviewSummaryText::tr("%1 pass, %2 fail (%3 pass)")
                     .arg(s.passes)
                     .arg(s.fails)
                     .arg(QLocale().toString(100.0 * *rate, 'f', 0) + QStringLiteral(" %"));
    }
    if (s.starRatings > 0) {
        parts << ReviewSummaryText::tr("mean stars %1 (%2 rated)")
                     .arg(QLocale().toString(s.starsMean, 'f', 2))
                     .arg(s.starRatings);
    }
    if (s.comments > 0) {
        parts << ReviewSummaryText::tr("%n comment(s)", nullptr, int(s.comments));
    }
    return parts.isEmpty() ? ReviewSummaryText::tr("No ratings yet: select a line in "
                                                   "\"Lines of the Selected Run\" and press P, "
                                                   "F or 1–5.")
                           : parts.join(QStringLiteral(" · "));
}

} // namespace

RatingsView::RatingsView(QWidget *parent)
    : QWidget(parent)
    , m_judgeLabel(new QLabel(this))
    , m_judge(new QComboBox(this))
    , m_blind(new QPushButton(this))
    , m_summary(new QTextBrowser(this))
{
    setObjectName(QStringLiteral("ratingsView"));
    m_judge->setObjectName(QStringLiteral("ratingsJudge"));
    m_judge->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_judgeLabel->setBuddy(m_judge);
    m_blind->setObjectName(QStringLiteral("blindReview"));
    m_summary->setObjectName(QStringLiteral("ratingsSummary"));
    m_summary->setOpenLinks(false);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_blind);
    bar->addStretch(1);
    bar->addWidget(m_judgeLabel);
    bar->addWidget(m_judge);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_summary);

    connect(m_blind, &QPushButton::clicked, this, [this] {
        if (m_runs.size() == 2) {
            Q_EMIT blindReviewRequested(m_runs[0], m_runs[1]);
        }
    });
    connect(m_judge, &QComboBox::currentIndexChanged, this, [this] { render(); });
    retranslate();
}

void RatingsView::setRuns(const QString &storePath, const std::vector<fb::RunId> &runs,
                          bool readOnly)
{
    m_storePath = storePath;
    m_runs = runs;
    m_readOnly = readOnly;
    m_blind->setEnabled(runs.size() == 2 && !readOnly);
    m_stale = true;
    if (isVisible()) {
        fillJudges();
        render();
    }
}

void RatingsView::refresh()
{
    m_stale = true;
    if (isVisible()) {
        render();
    }
}

void RatingsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale) {
        fillJudges();
        render();
    }
}

void RatingsView::fillJudges()
{
    const QString kept = m_judge->currentData().toString();
    QSignalBlocker blocker(m_judge);
    m_judge->clear();
    m_judge->addItem(tr("No judge"), QString());
    if (m_runs.empty()) {
        return;
    }
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    if (!store) {
        return;
    }
    // Evaluators every selected run (of the first two) has.
    std::set<std::string> names;
    for (std::size_t i = 0; i < m_runs.size() && i < 2; ++i) {
        auto scores = fb::RunScores::load(*store, m_runs[i]);
        std::set<std::string> here;
        if (scores) {
            for (const auto &c : scores->columns()) {
                here.insert(c.name);
            }
        }
        if (i == 0) {
            names = here;
        } else {
            std::set<std::string> both;
            for (const auto &n : names) {
                if (here.count(n) != 0) {
                    both.insert(n);
                }
            }
            names = both;
        }
    }
    for (const auto &n : names) {
        m_judge->addItem(QString::fromStdString(n), QString::fromStdString(n));
    }
    const int again = m_judge->findData(kept);
    m_judge->setCurrentIndex(again >= 0 ? again : 0);
}

void RatingsView::render()
{
    m_stale = false;
    if (m_runs.empty()) {
        m_summary->setHtml(QStringLiteral("<p>%1</p>")
                               .arg(tr("Select a run to see its ratings, or two runs for their "
                                       "blind A/B review.")));
        return;
    }
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    if (!store) {
        m_summary->setPlainText(QString::fromStdString(store.error().message));
        return;
    }
    const std::string judge = m_judge->currentData().toString().toStdString();
    QString html;
    if (m_runs.size() == 2) {
        auto ab = fb::PreferenceSummary::load(*store, m_runs[0], m_runs[1], judge);
        html += ab ? ReviewSummaryText::preferences(*ab)
                   : QStringLiteral("<p>%1</p>")
                         .arg(QString::fromStdString(ab.error().message).toHtmlEscaped());
        html += QStringLiteral("<hr>");
    }
    for (std::size_t i = 0; i < m_runs.size() && i < 2; ++i) {
        auto run = store->run(m_runs[i]);
        auto ratings = store->ratings(m_runs[i]);
        if (!run || !ratings) {
            continue;
        }
        html += QStringLiteral("<h3>%1</h3><p>%2</p>")
                    .arg(tr("Ratings of %1").arg(QString::fromStdString(run->name)).toHtmlEscaped(),
                         ratingCounts(*ratings).toHtmlEscaped());
        for (const auto &[kind, title] :
             {std::pair{fb::RatingKind::PassFail, tr("Agreement on pass/fail")},
              std::pair{fb::RatingKind::Stars, tr("Agreement on stars")}}) {
            fb::RatingAgreementOptions options;
            options.kind = kind;
            options.judge = judge;
            auto agreement = fb::RatingAgreement::load(*store, m_runs[i], options);
            if (!agreement) {
                html += QStringLiteral("<p>%1</p>")
                            .arg(QString::fromStdString(agreement.error().message)
                                     .toHtmlEscaped());
                continue;
            }
            if (!agreement->table.raters.empty()) {
                html += ReviewSummaryText::agreement(title, *agreement);
            }
        }
    }
    m_summary->setHtml(html);
}

void RatingsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        if (!m_runs.empty()) {
            render();
        }
    }
    QWidget::changeEvent(event);
}

void RatingsView::retranslate()
{
    m_judgeLabel->setText(tr("Compare raters with the judge:"));
    if (m_judge->count() > 0) {
        m_judge->setItemText(0, tr("No judge"));
    }
    m_blind->setText(tr("Blind A/B Review…"));
    m_blind->setToolTip(tr("Judge the outputs of the two selected runs line by line without "
                           "knowing which run wrote which"));
    if (m_runs.empty()) {
        render();
    }
}

} // namespace fb::ui
