#pragma once

#include <QCoreApplication>
#include <QString>

namespace fb {
struct PreferenceSummary;
struct RatingAgreement;
struct PairAgreement;
} // namespace fb

namespace fb::ui {

/// Human review results in words, as HTML for a QTextBrowser: a blind A/B review's tallies,
/// sign test, position bias and rater agreement (PreferenceSummary); a run's ratings'
/// agreement (RatingAgreement). Shared by the blind review dialog and the Ratings tab.
class ReviewSummaryText
{
    Q_DECLARE_TR_FUNCTIONS(fb::ui::ReviewSummaryText)

public:
    [[nodiscard]] static QString preferences(const fb::PreferenceSummary &summary);
    /// `title` says which ratings ("Pass/fail", "Stars").
    [[nodiscard]] static QString agreement(const QString &title,
                                           const fb::RatingAgreement &agreement);
    /// "0.688", "undefined" (every label alike) or "–" (no shared line).
    [[nodiscard]] static QString kappa(const fb::PairAgreement &pair);
    /// Landis and Koch's words for a kappa ("substantial agreement").
    [[nodiscard]] static QString kappaWords(double kappa);
};

} // namespace fb::ui
