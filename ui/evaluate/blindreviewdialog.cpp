#include <ui/evaluate/blindreviewdialog.h>

#include <ui/app/appsettings.h>
#include <ui/evaluate/addreviewcommand.h>
#include <ui/evaluate/reviewsummarytext.h>

#include <core/report/preferencesummary.h>
#include <core/report/runscores.h>
#include <core/store/experimentstore.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QUndoStack>
#include <QVBoxLayout>

#include <array>

namespace fb::ui {

namespace {

/// A value as a reviewer reads it: a string as itself, anything else as indented JSON.
QString readable(const fb::Value &value)
{
    if (value.is_string()) {
        return QString::fromStdString(value.get<std::string>());
    }
    return QString::fromStdString(value.dump(2, ' ', false, fb::Value::error_handler_t::replace));
}

/// A line's outputs: the one output's text alone, else "name: value" per output.
QString outputsText(const fb::Value &outputs)
{
    if (outputs.is_object() && outputs.size() == 1) {
        return readable(outputs.begin().value());
    }
    if (!outputs.is_object()) {
        return readable(outputs);
    }
    QStringList parts;
    for (auto it = outputs.begin(); it != outputs.end(); ++it) {
        parts << QString::fromStdString(it.key()) + QStringLiteral(": ") + readable(it.value());
    }
    return parts.join(QLatin1Char('\n'));
}

} // namespace

BlindReviewDialog::BlindReviewDialog(const QString &storePath, fb::RunId first, fb::RunId second,
                                     QWidget *parent)
    : QDialog(parent)
    , m_storePath(storePath)
    , m_first(first)
    , m_second(second)
    , m_undo(new QUndoStack(this))
    , m_intro(new QLabel(this))
    , m_raterLabel(new QLabel(this))
    , m_rater(new QLineEdit(this))
    , m_progress(new QLabel(this))
    , m_inputsTitle(new QLabel(this))
    , m_inputs(new QPlainTextEdit(this))
    , m_leftTitle(new QLabel(this))
    , m_rightTitle(new QLabel(this))
    , m_left(new QPlainTextEdit(this))
    , m_right(new QPlainTextEdit(this))
    , m_leftButton(new QPushButton(this))
    , m_tieButton(new QPushButton(this))
    , m_rightButton(new QPushButton(this))
    , m_skipButton(new QPushButton(this))
    , m_undoButton(new QPushButton(this))
    , m_revealButton(new QPushButton(this))
    , m_judgeLabel(new QLabel(this))
    , m_judge(new QComboBox(this))
    , m_summary(new QTextBrowser(this))
    , m_closeButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("blindReviewDialog"));
    m_intro->setWordWrap(true);
    m_rater->setObjectName(QStringLiteral("blindRater"));
    m_rater->setText(AppSettings::raterName());
    m_raterLabel->setBuddy(m_rater);
    m_progress->setObjectName(QStringLiteral("blindProgress"));
    for (QPlainTextEdit *text : {m_inputs, m_left, m_right}) {
        text->setReadOnly(true);
        // The keys choose; the texts never take them (select with the mouse to copy).
        text->setFocusPolicy(Qt::NoFocus);
        text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    }
    m_inputs->setObjectName(QStringLiteral("blindInputs"));
    m_inputs->setMaximumHeight(110);
    m_left->setObjectName(QStringLiteral("blindLeft"));
    m_right->setObjectName(QStringLiteral("blindRight"));
    m_leftButton->setObjectName(QStringLiteral("blindChooseLeft"));
    m_tieButton->setObjectName(QStringLiteral("blindTie"));
    m_rightButton->setObjectName(QStringLiteral("blindChooseRight"));
    m_skipButton->setObjectName(QStringLiteral("blindSkip"));
    m_undoButton->setObjectName(QStringLiteral("blindUndo"));
    m_revealButton->setObjectName(QStringLiteral("blindReveal"));
    m_judge->setObjectName(QStringLiteral("blindJudge"));
    m_judgeLabel->setBuddy(m_judge);
    m_summary->setObjectName(QStringLiteral("blindSummary"));
    m_summary->setFocusPolicy(Qt::NoFocus);
    m_summary->hide();
    for (QPushButton *b : {m_leftButton, m_tieButton, m_rightButton, m_skipButton, m_undoButton,
                           m_revealButton, m_closeButton}) {
        b->setAutoDefault(false);
    }

    auto *top = new QHBoxLayout;
    top->addWidget(m_intro, 1);
    top->addWidget(m_raterLabel);
    top->addWidget(m_rater);
    auto *outputs = new QGridLayout;
    outputs->addWidget(m_leftTitle, 0, 0);
    outputs->addWidget(m_rightTitle, 0, 1);
    outputs->addWidget(m_left, 1, 0);
    outputs->addWidget(m_right, 1, 1);
    auto *choices = new QHBoxLayout;
    choices->addWidget(m_leftButton);
    choices->addWidget(m_tieButton);
    choices->addWidget(m_rightButton);
    choices->addSpacing(12);
    choices->addWidget(m_skipButton);
    choices->addWidget(m_undoButton);
    choices->addStretch(1);
    choices->addWidget(m_progress);
    auto *results = new QHBoxLayout;
    results->addWidget(m_revealButton);
    results->addWidget(m_judgeLabel);
    results->addWidget(m_judge, 1);
    results->addStretch(1);
    results->addWidget(m_closeButton);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_inputsTitle);
    layout->addWidget(m_inputs);
    layout->addLayout(outputs, 3);
    layout->addLayout(choices);
    layout->addWidget(m_summary, 2);
    layout->addLayout(results);

    connect(m_leftButton, &QPushButton::clicked, this, [this] { choose(Choice::Left); });
    connect(m_rightButton, &QPushButton::clicked, this, [this] { choose(Choice::Right); });
    connect(m_tieButton, &QPushButton::clicked, this, [this] { choose(Choice::Tie); });
    connect(m_skipButton, &QPushButton::clicked, this, &BlindReviewDialog::skip);
    connect(m_undoButton, &QPushButton::clicked, this, &BlindReviewDialog::undo);
    connect(m_revealButton, &QPushButton::clicked, this, &BlindReviewDialog::reveal);
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_judge, &QComboBox::currentIndexChanged, this, [this] {
        if (m_revealed) {
            refreshSummary();
        }
    });
    // Another rater gets their own order, sides and progress; Enter on the name starts the
    // review (the keys choose from then on).
    connect(m_rater, &QLineEdit::editingFinished, this, &BlindReviewDialog::applyRater);
    connect(m_rater, &QLineEdit::returnPressed, this, [this] {
        applyRater();
        m_tieButton->setFocus(Qt::OtherFocusReason);
    });
    connect(m_undo, &QUndoStack::canUndoChanged, m_undoButton, &QPushButton::setEnabled);
    m_undoButton->setEnabled(false);

    const std::array<std::pair<QKeySequence, Choice>, 6> keys{{
        {QKeySequence(Qt::Key_Left), Choice::Left},
        {QKeySequence(Qt::Key_1), Choice::Left},
        {QKeySequence(Qt::Key_Right), Choice::Right},
        {QKeySequence(Qt::Key_2), Choice::Right},
        {QKeySequence(Qt::Key_T), Choice::Tie},
        {QKeySequence(Qt::Key_0), Choice::Tie},
    }};
    for (const auto &[key, choice] : keys) {
        auto *shortcut = new QShortcut(key, this);
        connect(shortcut, &QShortcut::activated, this, [this, choice = choice] {
            if (!m_rater->hasFocus()) {
                choose(choice);
            }
        });
    }
    auto *skipKey = new QShortcut(QKeySequence(Qt::Key_S), this);
    connect(skipKey, &QShortcut::activated, this, [this] {
        if (!m_rater->hasFocus()) {
            skip();
        }
    });
    auto *undoKey = new QShortcut(QKeySequence::Undo, this);
    connect(undoKey, &QShortcut::activated, this, [this] {
        if (!m_rater->hasFocus()) {
            undo();
        }
    });

    retranslate();
    resize(1000, 680);
    fillJudges();
    loadPlan();
}

void BlindReviewDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    // A known rater starts choosing at once; the keys would otherwise type into the name.
    if (m_rater->text().trimmed().isEmpty() || !m_tieButton->isEnabled()) {
        m_rater->setFocus(Qt::OtherFocusReason);
    } else {
        m_tieButton->setFocus(Qt::OtherFocusReason);
    }
}

qint64 BlindReviewDialog::currentLine() const
{
    if (!m_error.isEmpty() || m_position >= m_plan.items().size()) {
        return -1;
    }
    return m_plan.items()[m_position].lineIndex;
}

void BlindReviewDialog::applyRater()
{
    const QString name = m_rater->text().trimmed();
    if (name == m_planRater) {
        return;
    }
    if (!name.isEmpty()) {
        AppSettings::setRaterName(name);
    }
    loadPlan();
}

void BlindReviewDialog::loadPlan()
{
    m_planRater = m_rater->text().trimmed();
    m_error.clear();
    m_position = 0;
    m_judgedHere = 0;
    m_history.clear();
    m_undo->clear();
    const std::string rater = m_rater->text().trimmed().toStdString();
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    auto plan = store ? fb::BlindReviewPlan::load(*store, m_first, m_second, rater)
                      : fb::Result<fb::BlindReviewPlan>(store.error());
    if (!plan) {
        m_error = rater.empty() ? tr("Enter your name as the rater first.")
                                : QString::fromStdString(plan.error().message);
        m_plan = {};
    } else {
        m_plan = std::move(*plan);
    }
    showCurrent();
}

void BlindReviewDialog::showCurrent()
{
    const qint64 line = currentLine();
    for (QPushButton *b : {m_leftButton, m_tieButton, m_rightButton, m_skipButton}) {
        b->setEnabled(line >= 0);
    }
    updateProgress();
    if (line < 0) {
        m_inputs->setPlainText(m_error);
        m_left->clear();
        m_right->clear();
        m_leftTitle->setText(tr("Output 1"));
        m_rightTitle->setText(tr("Output 2"));
        return;
    }
    const fb::BlindReviewItem &item = m_plan.items()[m_position];
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    auto left = store ? store->line(item.left, item.lineIndex)
                      : fb::Result<fb::LineRecord>(store.error());
    auto right = left ? store->line(item.right, item.lineIndex) : left;
    if (!left || !right) {
        m_inputs->setPlainText(QString::fromStdString((!left ? left : right).error().message));
        return;
    }
    QStringList inputs;
    if (left->inputs.is_object()) {
        for (auto it = left->inputs.begin(); it != left->inputs.end(); ++it) {
            inputs << QString::fromStdString(it.key()) + QStringLiteral(": ")
                          + readable(it.value());
        }
    }
    m_inputsTitle->setText(tr("Line %1 — inputs").arg(item.lineIndex));
    m_inputs->setPlainText(inputs.join(QLatin1Char('\n')));
    m_left->setPlainText(outputsText(left->outputs));
    m_right->setPlainText(outputsText(right->outputs));
    // Hidden until revealed; after that the names help, not bias, the rest of the review.
    auto runName = [&](fb::RunId run) {
        auto summary = store->run(run);
        return summary ? QString::fromStdString(summary->name) : QString();
    };
    m_leftTitle->setText(m_revealed ? tr("Output 1 — %1").arg(runName(item.left))
                                    : tr("Output 1"));
    m_rightTitle->setText(m_revealed ? tr("Output 2 — %1").arg(runName(item.right))
                                     : tr("Output 2"));
}

bool BlindReviewDialog::choose(Choice choice)
{
    if (currentLine() < 0) {
        return false;
    }
    const fb::BlindReviewItem &item = m_plan.items()[m_position];
    fb::Preference p;
    p.runA = m_first;
    p.runB = m_second;
    p.lineIndex = item.lineIndex;
    p.rater = m_rater->text().trimmed().toStdString();
    p.leftRun = item.left;
    if (choice != Choice::Tie) {
        p.preferred = choice == Choice::Left ? item.left : item.right;
    }
    const QString what = choice == Choice::Left    ? tr("output 1")
                         : choice == Choice::Right ? tr("output 2")
                                                   : tr("a tie");
    m_pushFailed = false;
    const QPointer<BlindReviewDialog> self(this);
    auto *command = new AddReviewCommand(
        m_storePath, p, tr("Prefer %1 on Line %2").arg(what).arg(item.lineIndex),
        [self](const QString &message) {
            if (self) {
                self->m_pushFailed = true;
                self->m_progress->setText(message);
            }
        },
        [self] {
            if (self) {
                Q_EMIT self->preferencesChanged();
            }
        });
    m_undo->push(command);
    if (m_pushFailed) {
        return false;
    }
    m_history.push_back(m_position);
    ++m_judgedHere;
    ++m_position;
    showCurrent();
    if (m_revealed) {
        refreshSummary();
    }
    return true;
}

void BlindReviewDialog::skip()
{
    if (currentLine() >= 0) {
        ++m_position;
        showCurrent();
    }
}

void BlindReviewDialog::undo()
{
    if (!m_undo->canUndo() || m_history.empty()) {
        return;
    }
    m_undo->undo();
    m_position = m_history.back();
    m_history.pop_back();
    --m_judgedHere;
    showCurrent();
    if (m_revealed) {
        refreshSummary();
    }
}

void BlindReviewDialog::reveal()
{
    m_revealed = true;
    m_summary->show();
    showCurrent();
    refreshSummary();
}

void BlindReviewDialog::updateProgress()
{
    const std::size_t judged = m_plan.judgedBefore() + m_judgedHere;
    if (!m_error.isEmpty()) {
        m_progress->setText(m_error);
    } else if (m_plan.commonLines() == 0) {
        m_progress->setText(tr("The two runs have no completed line in common."));
    } else if (currentLine() < 0 && judged >= m_plan.commonLines()) {
        m_progress->setText(tr("%1 of %1 lines judged — all done.").arg(m_plan.commonLines()));
    } else {
        m_progress->setText(tr("%1 of %2 lines judged").arg(judged).arg(m_plan.commonLines()));
    }
}

void BlindReviewDialog::fillJudges()
{
    m_judge->clear();
    m_judge->addItem(tr("No judge"), QString());
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    if (!store) {
        return;
    }
    auto a = fb::RunScores::load(*store, m_first);
    auto b = fb::RunScores::load(*store, m_second);
    if (!a || !b) {
        return;
    }
    for (const auto &column : a->columns()) {
        if (b->column(column.name) != nullptr) {
            const QString name = QString::fromStdString(column.name);
            m_judge->addItem(name, name);
        }
    }
}

void BlindReviewDialog::refreshSummary()
{
    auto store = fb::ExperimentStore::open(m_storePath.toStdString());
    if (!store) {
        m_summary->setPlainText(QString::fromStdString(store.error().message));
        return;
    }
    auto summary = fb::PreferenceSummary::load(*store, m_first, m_second,
                                               m_judge->currentData().toString().toStdString());
    m_summary->setHtml(summary ? ReviewSummaryText::preferences(*summary)
                               : QString::fromStdString(summary.error().message).toHtmlEscaped());
}

void BlindReviewDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        showCurrent();
        if (m_revealed) {
            refreshSummary();
        }
    }
    QDialog::changeEvent(event);
}

void BlindReviewDialog::retranslate()
{
    setWindowTitle(tr("Blind A/B Review"));
    m_intro->setText(tr("Which output is better? The runs are not named and the sides are "
                        "drawn at random for each line."));
    m_raterLabel->setText(tr("Rater:"));
    m_inputsTitle->setText(tr("Inputs"));
    m_leftButton->setText(tr("← Output 1 Is Better"));
    m_leftButton->setToolTip(tr("Left arrow or 1"));
    m_tieButton->setText(tr("Tie"));
    m_tieButton->setToolTip(tr("T or 0"));
    m_rightButton->setText(tr("Output 2 Is Better →"));
    m_rightButton->setToolTip(tr("Right arrow or 2"));
    m_skipButton->setText(tr("Skip"));
    m_skipButton->setToolTip(tr("S: decide later"));
    m_undoButton->setText(tr("Undo"));
    m_undoButton->setToolTip(QKeySequence(QKeySequence::Undo).toString(QKeySequence::NativeText));
    m_revealButton->setText(tr("Reveal Results"));
    m_revealButton->setToolTip(tr("Names the runs and shows what every rater chose"));
    m_judgeLabel->setText(tr("Judge:"));
    if (m_judge->count() > 0) {
        m_judge->setItemText(0, tr("No judge"));
    }
    m_closeButton->setText(tr("Close"));
}

} // namespace fb::ui
