#pragma once

// moc cannot read <compare> (which storeids.h includes) and needs no core type to read this.
#ifndef Q_MOC_RUN
#include <core/store/storeids.h>
#endif

#include <QList>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace fb::ui {

/// The human review of the selected runs: for each run, its ratings (pass rate, stars,
/// comments) and how far its raters agree — on pass/fail and on stars separately, and against
/// a judge (an evaluator of the run) — and for two runs, their blind A/B review
/// (ReviewSummaryText). "Blind A/B Review…" opens BlindReviewDialog on two selected runs.
/// Reads the store when shown and when refresh() is called (after a rating).
class RatingsView final : public QWidget
{
    Q_OBJECT

public:
    explicit RatingsView(QWidget *parent = nullptr);

    /// The runs to show (the first two for the A/B review); `readOnly` for a run bundle.
    void setRuns(const QString &storePath, const std::vector<fb::RunId> &runs,
                 bool readOnly = false);
    /// Reads the ratings again (if shown; else when next shown).
    void refresh();

    [[nodiscard]] QTextBrowser *summary() const { return m_summary; }
    [[nodiscard]] QComboBox *judgeCombo() const { return m_judge; }
    [[nodiscard]] QPushButton *blindReviewButton() const { return m_blind; }

Q_SIGNALS:
    /// The user asked for a blind review of these two runs.
    void blindReviewRequested(fb::RunId first, fb::RunId second);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void fillJudges();
    void render();

    QString m_storePath;
    std::vector<fb::RunId> m_runs;
    bool m_readOnly = false;
    bool m_stale = true;
    QLabel *m_judgeLabel = nullptr;
    QComboBox *m_judge = nullptr;
    QPushButton *m_blind = nullptr;
    QTextBrowser *m_summary = nullptr;
};

} // namespace fb::ui
