#pragma once

// moc cannot read <compare> (which storeids.h includes) and needs no core type to read this.
#ifndef Q_MOC_RUN
#include <core/report/blindreviewplan.h>
#include <core/store/storeids.h>
#endif

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;
class QUndoStack;

namespace fb::ui {

/// Blind A/B review of two runs: one line at a time, the line's inputs and the two runs'
/// outputs side by side with the run names hidden and the sides drawn by BlindReviewPlan (the
/// same order and sides for the same rater; lines already judged are skipped, so a review can
/// stop and go on). The rater says which output is better, or a tie — buttons, or the keys
/// Left/1, Right/2, T/0 (tie) and S (skip); Ctrl+Z takes the last choice back. Choices go to
/// the store as preferences (AddReviewCommand). "Reveal Results" names the runs and shows what
/// every rater chose, the sign test and the raters' agreement, also against a judge (an
/// evaluator both runs have) — ReviewSummaryText over fb::PreferenceSummary.
class BlindReviewDialog final : public QDialog
{
    Q_OBJECT

public:
    BlindReviewDialog(const QString &storePath, fb::RunId first, fb::RunId second,
                      QWidget *parent = nullptr);

    enum class Choice { Left, Right, Tie };
    /// Records `choice` for the line shown and shows the next one. False when no line is shown.
    bool choose(Choice choice);
    /// Shows the next line without a choice.
    void skip();
    /// Takes the last choice back and shows its line again.
    void undo();
    /// Names the runs and shows the results below the outputs.
    void reveal();

    [[nodiscard]] QLineEdit *raterEdit() const { return m_rater; }
    [[nodiscard]] QPlainTextEdit *leftText() const { return m_left; }
    [[nodiscard]] QPlainTextEdit *rightText() const { return m_right; }
    [[nodiscard]] QLabel *progressLabel() const { return m_progress; }
    [[nodiscard]] QTextBrowser *summary() const { return m_summary; }
    [[nodiscard]] QComboBox *judgeCombo() const { return m_judge; }
    /// The line shown, -1 when none is (all judged, or an error).
    [[nodiscard]] qint64 currentLine() const;

Q_SIGNALS:
    /// A preference was stored or taken back.
    void preferencesChanged();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void retranslate();
    void applyRater();
    void loadPlan();
    void showCurrent();
    void updateProgress();
    void refreshSummary();
    void fillJudges();

    QString m_storePath;
    fb::RunId m_first;
    fb::RunId m_second;
    fb::BlindReviewPlan m_plan;
    std::size_t m_position = 0;
    std::size_t m_judgedHere = 0;
    std::vector<std::size_t> m_history; ///< positions of the choices on the undo stack
    bool m_revealed = false;
    bool m_pushFailed = false;
    QString m_error;
    QString m_planRater; ///< whose plan is loaded

    QUndoStack *m_undo = nullptr;
    QLabel *m_intro = nullptr;
    QLabel *m_raterLabel = nullptr;
    QLineEdit *m_rater = nullptr;
    QLabel *m_progress = nullptr;
    QLabel *m_inputsTitle = nullptr;
    QPlainTextEdit *m_inputs = nullptr;
    QLabel *m_leftTitle = nullptr;
    QLabel *m_rightTitle = nullptr;
    QPlainTextEdit *m_left = nullptr;
    QPlainTextEdit *m_right = nullptr;
    QPushButton *m_leftButton = nullptr;
    QPushButton *m_tieButton = nullptr;
    QPushButton *m_rightButton = nullptr;
    QPushButton *m_skipButton = nullptr;
    QPushButton *m_undoButton = nullptr;
    QPushButton *m_revealButton = nullptr;
    QLabel *m_judgeLabel = nullptr;
    QComboBox *m_judge = nullptr;
    QTextBrowser *m_summary = nullptr;
    QPushButton *m_closeButton = nullptr;
};

} // namespace fb::ui
