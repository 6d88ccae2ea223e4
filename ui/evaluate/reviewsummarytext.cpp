#include <ui/evaluate/reviewsummarytext.h>

#include <core/report/preferencesummary.h>
#include <core/report/ratingagreement.h>

#include <QLocale>

namespace fb::ui {

namespace {

QString esc(const std::string &text) { return QString::fromStdString(text).toHtmlEscaped(); }

QString number(double v, int decimals) { return QLocale().toString(v, 'f', decimals); }

/// A table of kappas: first, second, lines, kappa.
QString pairTable(const QString &firstTitle, const QString &secondTitle,
                  const std::vector<fb::PairAgreement> &pairs)
{
    QString html = QStringLiteral("<table cellspacing=0 cellpadding=3 border=1>"
                                  "<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>")
                       .arg(firstTitle.toHtmlEscaped(), secondTitle.toHtmlEscaped(),
                            ReviewSummaryText::tr("lines").toHtmlEscaped(),
                            ReviewSummaryText::tr("Cohen's kappa").toHtmlEscaped());
    for (const auto &p : pairs) {
        QString k = ReviewSummaryText::kappa(p);
        if (p.kappa && p.kappa->kappa) {
            k += QStringLiteral(" (%1)").arg(ReviewSummaryText::kappaWords(*p.kappa->kappa));
        }
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td align=right>%3</td><td>%4</td></tr>")
                    .arg(esc(p.first), esc(p.second), QLocale().toString(qulonglong(p.sharedLines)),
                         k.toHtmlEscaped());
    }
    return html + QStringLiteral("</table>");
}

} // namespace

QString ReviewSummaryText::kappa(const fb::PairAgreement &pair)
{
    if (!pair.kappa) {
        return QStringLiteral("–");
    }
    return pair.kappa->kappa ? number(*pair.kappa->kappa, 3) : tr("undefined");
}

QString ReviewSummaryText::kappaWords(double kappa)
{
    if (kappa < 0.0) {
        return tr("worse than chance");
    }
    if (kappa <= 0.20) {
        return tr("slight agreement");
    }
    if (kappa <= 0.40) {
        return tr("fair agreement");
    }
    if (kappa <= 0.60) {
        return tr("moderate agreement");
    }
    if (kappa <= 0.80) {
        return tr("substantial agreement");
    }
    return tr("almost perfect agreement");
}

QString ReviewSummaryText::preferences(const fb::PreferenceSummary &s)
{
    QString html;
    html += QStringLiteral("<p><b>%1</b></p>")
                .arg(tr("Blind A/B review: A = %1, B = %2").arg(esc(s.nameA), esc(s.nameB)));
    if (s.raters.empty()) {
        return html + QStringLiteral("<p>%1</p>").arg(tr("No preferences recorded yet."));
    }
    const std::size_t decided = s.overall.decided();
    QString verdict;
    if (decided == 0) {
        verdict = tr("Every choice so far is a tie.");
    } else {
        const bool aWins = s.overall.a >= s.overall.b;
        const double share = double(aWins ? s.overall.a : s.overall.b) / double(decided);
        verdict = (s.signTestP < 0.05
                       ? tr("Raters prefer %1: %2 of the decided choices, p = %3 (sign test).")
                       : tr("No significant preference: %1 got %2 of the decided choices, p = %3 "
                            "(sign test)."))
                      .arg(esc(aWins ? s.nameA : s.nameB))
                      .arg(number(100.0 * share, 0) + QStringLiteral(" %"))
                      .arg(QLocale().toString(s.signTestP, 'g', 3));
    }
    html += QStringLiteral("<p>%1</p>").arg(verdict);
    html += QStringLiteral("<table cellspacing=0 cellpadding=3 border=1><tr><th>%1</th><th>A</th>"
                           "<th>B</th><th>%2</th><th>%3</th></tr>")
                .arg(tr("rater").toHtmlEscaped(), tr("tie").toHtmlEscaped(),
                     tr("left chosen").toHtmlEscaped());
    auto row = [](const QString &name, const fb::PreferenceTally &t) {
        const QString left = t.decided() == 0
                                 ? QStringLiteral("–")
                                 : number(100.0 * double(t.left) / double(t.decided()), 0)
                                       + QStringLiteral(" %");
        return QStringLiteral("<tr><td>%1</td><td align=right>%2</td><td align=right>%3</td>"
                              "<td align=right>%4</td><td align=right>%5</td></tr>")
            .arg(name)
            .arg(t.a)
            .arg(t.b)
            .arg(t.ties)
            .arg(left);
    };
    for (const auto &r : s.raters) {
        html += row(esc(r.rater), r.tally);
    }
    html += row(tr("all").toHtmlEscaped(), s.overall) + QStringLiteral("</table>");
    if (decided >= 10 && (s.leftShare > 0.7 || s.leftShare < 0.3)) {
        html += QStringLiteral("<p>%1</p>")
                    .arg(tr("Position bias: %1 of the decided choices went to the output on the "
                            "left.")
                             .arg(number(100.0 * s.leftShare, 0) + QStringLiteral(" %")));
    }
    if (!s.pairs.empty()) {
        html += QStringLiteral("<p><b>%1</b></p>").arg(tr("Agreement between raters"));
        html += pairTable(tr("rater"), tr("rater"), s.pairs);
        html += QStringLiteral("<p>%1</p>")
                    .arg(s.fleiss && s.fleiss->kappa
                             ? tr("Fleiss' kappa over %n line(s) judged by every rater: %1 (%2).",
                                  nullptr, int(s.fleissLines))
                                   .arg(number(*s.fleiss->kappa, 3),
                                        kappaWords(*s.fleiss->kappa))
                             : tr("Fleiss' kappa: no line was judged by every rater yet."));
    }
    if (!s.judge.empty()) {
        html += QStringLiteral("<p><b>%1</b></p>")
                    .arg(tr("Raters against the judge %1 (it prefers the better result)")
                             .arg(esc(s.judge)));
        html += pairTable(tr("rater"), tr("judge"), s.judgePairs);
    }
    return html;
}

QString ReviewSummaryText::agreement(const QString &title, const fb::RatingAgreement &a)
{
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(title.toHtmlEscaped());
    if (a.table.raters.empty()) {
        return html + QStringLiteral("<p>%1</p>").arg(tr("No ratings of this kind yet."));
    }
    html += QStringLiteral("<p>%1</p>")
                .arg(tr("%n rater(s) on %1 line(s).", nullptr, int(a.table.raters.size()))
                         .arg(a.table.lines.size()));
    if (!a.pairs.empty()) {
        html += pairTable(tr("rater"), tr("rater"), a.pairs);
    }
    if (a.table.raters.size() >= 2) {
        html += QStringLiteral("<p>%1</p>")
                    .arg(a.fleiss && a.fleiss->kappa
                             ? tr("Fleiss' kappa over %n line(s) rated by every rater: %1 (%2).",
                                  nullptr, int(a.fleissLines))
                                   .arg(number(*a.fleiss->kappa, 3),
                                        kappaWords(*a.fleiss->kappa))
                             : tr("Fleiss' kappa: no line was rated by every rater yet."));
    }
    if (!a.judge.empty()) {
        html += pairTable(tr("rater"), tr("judge %1").arg(QString::fromStdString(a.judge)),
                          a.judgePairs);
    }
    return html;
}

} // namespace fb::ui
