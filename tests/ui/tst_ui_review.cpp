// Human review driven as a reviewer drives it: in Evaluate mode, click a run, click a line and
// rate with the keys (P, 4) and see the rating bar say so; press Ctrl+Z in the window and see
// the rating gone from the store, Ctrl+Shift+Z brings it back; then select two runs, open the
// Ratings tab, press Blind A/B Review…, judge every line with the arrow keys and T as two
// raters in turn — never seeing a run name — undo a choice with Ctrl+Z, reveal the results
// and read the sign test and the raters' kappa, checked against values worked out by hand.
// The runs are written straight to the workspace's store (the review needs no model calls).

#include <ui/app/languagemanager.h>
#include <ui/app/mainwindow.h>
#include <ui/app/uiresources.h>

#include <core/store/experimentstore.h>

#include <tests/core/report/reportfixture.h>

#include <QAbstractItemView>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTest>
#include <QToolButton>

using fb::ui::MainWindow;

namespace {

constexpr int kLines = 6;

/// Two runs, "alpha" and "beta", of kLines completed lines each: alpha answers "alpha-i",
/// beta "beta-i", so a test can tell whose output a pane shows.
bool writeRuns(const QString &storePath)
{
    QDir().mkpath(QFileInfo(storePath).path());
    const std::string path = storePath.toStdString();
    for (const char *name : {"alpha", "beta"}) {
        const fb::RunId run = fb::test::createRun(path, name, kLines);
        if (!run.isValid()) {
            return false;
        }
        std::vector<fb::LineRecord> lines;
        for (int i = 0; i < kLines; ++i) {
            fb::LineRecord l = fb::test::completedLine(run, i, "", 100 + i);
            l.outputs = fb::Value{{"answer", std::string(name) + "-" + std::to_string(i)}};
            lines.push_back(std::move(l));
        }
        if (!fb::test::writeLines(path, std::move(lines))) {
            return false;
        }
    }
    return true;
}

struct Workbench
{
    QTemporaryDir dir;
    fb::ui::LanguageManager language;
    MainWindow window{&language};

    QString storePath() const
    {
        return dir.filePath(QStringLiteral("ws/.flowbench/experiments.sqlite"));
    }

    bool open()
    {
        if (!writeRuns(storePath())) {
            return false;
        }
        QString error;
        if (!window.openWorkspace(dir.filePath(QStringLiteral("ws")), &error)) {
            qWarning("%s", qPrintable(error));
            return false;
        }
        window.resize(1280, 800);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window)) {
            return false;
        }
        auto *mode = window.findChild<QToolButton *>(QStringLiteral("modeButton2"));
        if (!mode) {
            return false;
        }
        QTest::mouseClick(mode, Qt::LeftButton);
        return window.mode() == MainWindow::Mode::Evaluate;
    }

    template<typename T>
    T *find(const QString &name) const
    {
        return window.findChild<T *>(name);
    }

    /// Clicks the runs list's row showing run `name`, with `modifiers` (Ctrl adds to the
    /// selection).
    bool clickRun(const QString &name, Qt::KeyboardModifiers modifiers = {})
    {
        auto *view = find<QTableView>(QStringLiteral("runsTable"));
        for (int r = 0; view && r < view->model()->rowCount(); ++r) {
            const QModelIndex index = view->model()->index(r, 0);
            if (index.data().toString() == name) {
                QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers,
                                  view->visualRect(index).center());
                return true;
            }
        }
        return false;
    }

    std::vector<fb::Rating> ratings(const char *run) const
    {
        auto store = fb::ExperimentStore::open(storePath().toStdString());
        return *store->ratings(store->findRunByName(run)->id);
    }

    std::vector<fb::Preference> preferences() const
    {
        auto store = fb::ExperimentStore::open(storePath().toStdString());
        return *store->preferences(store->findRunByName("alpha")->id,
                                   store->findRunByName("beta")->id);
    }

    void clickTab(const QString &text)
    {
        auto *tabs = find<QTabWidget>(QStringLiteral("evaluateViews"));
        QVERIFY(tabs);
        QTabBar *bar = tabs->tabBar();
        for (int i = 0; i < bar->count(); ++i) {
            if (bar->tabText(i) == text) {
                QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(i).center());
                QCOMPARE(tabs->currentIndex(), i);
                return;
            }
        }
        QFAIL(qPrintable(QStringLiteral("no tab %1").arg(text)));
    }
};

/// Types `name` into a line edit as a user does (select all, type, Enter).
void typeName(QLineEdit *edit, const QString &name)
{
    QVERIFY(edit && edit->isVisible());
    QTest::mouseClick(edit, Qt::LeftButton);
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(edit, name);
    QTest::keyClick(edit, Qt::Key_Return);
}

} // namespace

class TestReview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("FLOWBENCH_SECRET_STORE", "file");
        QCoreApplication::setOrganizationName(QStringLiteral("FlowbenchTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_review"));
        fb::ui::initResources();
    }

    void init()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral(
            "^(?!This plugin does not support (propagateSizeHints|raise|grabbing)).*")));
        QSettings().clear();
    }

    void rateLinesWithKeysAndUndo()
    {
        Workbench wb;
        QVERIFY(wb.open());
        QTRY_COMPARE(wb.find<QTableView>(QStringLiteral("runsTable"))->model()->rowCount(), 2);
        QVERIFY(wb.clickRun(QStringLiteral("alpha")));
        auto *table = wb.find<QTableView>(QStringLiteral("resultsTable"));
        QVERIFY(table);
        QTRY_COMPARE(table->model()->rowCount(), kLines);
        typeName(wb.find<QLineEdit>(QStringLiteral("ratingRater")), QStringLiteral("ana"));

        // Click the first line, press P: the line passes and the table moves on.
        const QModelIndex first = table->model()->index(0, 0);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(first).center());
        const qint64 firstLine = first.data(Qt::UserRole).toLongLong();
        QTest::keyClick(table, Qt::Key_P);
        QCOMPARE(table->currentIndex().row(), 1);
        auto ratings = wb.ratings("alpha");
        QCOMPARE(ratings.size(), std::size_t(1));
        QCOMPARE(int(ratings[0].kind), int(fb::RatingKind::PassFail));
        QCOMPARE(*ratings[0].score, 1.0);
        QCOMPARE(ratings[0].rater, std::string("ana"));
        QCOMPARE(ratings[0].lineIndex, firstLine);

        // 4 on the second line: four stars; the bar shows what ana said of it.
        const qint64 secondLine = table->currentIndex().data(Qt::UserRole).toLongLong();
        QTest::keyClick(table, Qt::Key_4);
        ratings = wb.ratings("alpha");
        QCOMPARE(ratings.size(), std::size_t(2));
        QCOMPARE(int(ratings[1].kind), int(fb::RatingKind::Stars));
        QCOMPARE(*ratings[1].score, 4.0);
        QCOMPARE(ratings[1].lineIndex, secondLine);
        // Back on the first line, the bar lists ana's pass.
        QTest::keyClick(table, Qt::Key_Up);
        QTest::keyClick(table, Qt::Key_Up);
        auto *summary = wb.find<QLabel>(QStringLiteral("ratingSummary"));
        QCOMPARE(summary->text(), QStringLiteral("ana: pass"));

        // A comment: C goes to the box, Enter stores it with the line.
        QTest::keyClick(table, Qt::Key_C);
        auto *comment = wb.find<QLineEdit>(QStringLiteral("ratingComment"));
        QVERIFY(comment->hasFocus());
        QTest::keyClicks(comment, QStringLiteral("cites the wrong year"));
        QTest::keyClick(comment, Qt::Key_Return);
        QCOMPARE(wb.ratings("alpha").size(), std::size_t(3));
        QCOMPARE(summary->text(), QStringLiteral("ana: pass, “cites the wrong year”"));
        QVERIFY(comment->text().isEmpty());

        // Ctrl+Z in the window takes the comment back, then the stars; Ctrl+Shift+Z redoes.
        QTest::keyClick(&wb.window, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(wb.ratings("alpha").size(), std::size_t(2));
        QCOMPARE(summary->text(), QStringLiteral("ana: pass"));
        QTest::keyClick(&wb.window, Qt::Key_Z, Qt::ControlModifier);
        ratings = wb.ratings("alpha");
        QCOMPARE(ratings.size(), std::size_t(1));
        QCOMPARE(int(ratings[0].kind), int(fb::RatingKind::PassFail));
        QTest::keyClick(&wb.window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        ratings = wb.ratings("alpha");
        QCOMPARE(ratings.size(), std::size_t(2));
        QCOMPARE(*ratings[1].score, 4.0);

        // The Ratings tab counts it.
        wb.clickTab(QStringLiteral("Ratings"));
        auto *ratingsText = wb.find<QTextBrowser>(QStringLiteral("ratingsSummary"));
        QTRY_VERIFY2(ratingsText->toPlainText().contains(
                         QStringLiteral("1 pass, 0 fail (100 % pass)")),
                     qPrintable(ratingsText->toPlainText()));
        QVERIFY(ratingsText->toPlainText().contains(QStringLiteral("mean stars 4.00 (1 rated)")));
    }

    void blindReviewOfTwoRaters()
    {
        Workbench wb;
        QVERIFY(wb.open());
        QTRY_COMPARE(wb.find<QTableView>(QStringLiteral("runsTable"))->model()->rowCount(), 2);
        QVERIFY(wb.clickRun(QStringLiteral("alpha")));
        QVERIFY(wb.clickRun(QStringLiteral("beta"), Qt::ControlModifier));
        wb.clickTab(QStringLiteral("Ratings"));
        auto *blind = wb.find<QPushButton>(QStringLiteral("blindReview"));
        QTRY_VERIFY(blind->isEnabled());

        // ana prefers alpha except on line 3 (beta); bo the same but a tie on line 4.
        // Labels ana a a a b a a, bo a a a b tie a: p_o 5/6, p_e 5/6 4/6 + 1/6 1/6 = 21/36,
        // Cohen's kappa (30 - 21) / (36 - 21) = 0.6.
        // Fills these (QVERIFY returns from the lambda on failure).
        QWidget *dialog = nullptr;
        int alphaLeft = 0;
        const auto review = [&](const QString &rater, auto choiceFor) {
            QTest::mouseClick(blind, Qt::LeftButton);
            dialog = nullptr;
            QTRY_VERIFY((dialog = QApplication::activeWindow()) != &wb.window && dialog);
            QCOMPARE(dialog->objectName(), QStringLiteral("blindReviewDialog"));
            // The remembered rater's name is filled in and, with lines left to judge, the keys
            // choose rather than type into it.
            QVERIFY(!dialog->findChild<QLineEdit *>(QStringLiteral("blindRater"))->text().isEmpty());
            // (For a rater who has judged every line already, the name field keeps the focus.)
            const bool allDone = dialog->findChild<QLabel *>(QStringLiteral("blindProgress"))
                                     ->text()
                                     .endsWith(QLatin1String("all done."));
            QTRY_COMPARE(QApplication::focusWidget()->objectName(),
                         allDone ? QStringLiteral("blindRater") : QStringLiteral("blindTie"));
            typeName(dialog->findChild<QLineEdit *>(QStringLiteral("blindRater")), rater);
            auto *left = dialog->findChild<QPlainTextEdit *>(QStringLiteral("blindLeft"));
            auto *right = dialog->findChild<QPlainTextEdit *>(QStringLiteral("blindRight"));
            auto *progress = dialog->findChild<QLabel *>(QStringLiteral("blindProgress"));
            QCOMPARE(progress->text(), QStringLiteral("0 of 6 lines judged"));
            alphaLeft = 0;
            for (int judged = 0; judged < kLines; ++judged) {
                // The names of the runs appear nowhere in the dialog.
                for (const QLabel *label : dialog->findChildren<QLabel *>()) {
                    QVERIFY2(!label->text().contains(QLatin1String("alpha"))
                                 && !label->text().contains(QLatin1String("beta")),
                             qPrintable(label->text()));
                }
                const QString l = left->toPlainText();
                const QString r = right->toPlainText();
                QVERIFY2(l.startsWith(QLatin1String("alpha-")) != r.startsWith(QLatin1String("alpha-")),
                         qPrintable(l + QLatin1Char('|') + r));
                const int line = l.section(QLatin1Char('-'), 1).toInt();
                QCOMPARE(r.section(QLatin1Char('-'), 1).toInt(), line);
                const bool alphaIsLeft = l.startsWith(QLatin1String("alpha-"));
                alphaLeft += alphaIsLeft ? 1 : 0;
                const char choice = choiceFor(line);
                if (choice == 't') {
                    QTest::keyClick(dialog, Qt::Key_T);
                } else {
                    const bool wantLeft = (choice == 'a') == alphaIsLeft;
                    QTest::keyClick(dialog, wantLeft ? Qt::Key_Left : Qt::Key_Right);
                }
                if (judged == 0) {
                    // Ctrl+Z takes the first choice back and shows its line again.
                    QCOMPARE(progress->text(), QStringLiteral("1 of 6 lines judged"));
                    QTest::keyClick(dialog, Qt::Key_Z, Qt::ControlModifier);
                    QCOMPARE(progress->text(), QStringLiteral("0 of 6 lines judged"));
                    QCOMPARE(left->toPlainText(), l);
                    QTest::keyClick(dialog, Qt::Key_2); // the right one this time: undone again
                    QTest::keyClick(dialog, Qt::Key_Z, Qt::ControlModifier);
                    QCOMPARE(left->toPlainText(), l);
                    if (choice == 't') {
                        QTest::keyClick(dialog, Qt::Key_0);
                    } else {
                        const bool wantLeft = (choice == 'a') == alphaIsLeft;
                        QTest::keyClick(dialog, wantLeft ? Qt::Key_1 : Qt::Key_2);
                    }
                }
            }
            QCOMPARE(progress->text(), QStringLiteral("6 of 6 lines judged — all done."));
            QVERIFY(left->toPlainText().isEmpty());
        };

        review(QStringLiteral("ana"), [](int line) { return line == 3 ? 'b' : 'a'; });
        QVERIFY(dialog && !QTest::currentTestFailed());
        QWidget *anaDialog = dialog;
        const int anaAlphaLeft = alphaLeft;
        auto prefs = wb.preferences();
        QCOMPARE(prefs.size(), std::size_t(kLines)); // the undone choices are gone
        // What was shown on the left is what the store says was on the left.
        int storedAlphaLeft = 0;
        for (const auto &p : prefs) {
            storedAlphaLeft += p.leftRun == p.runA ? 1 : 0; // alpha was created first
        }
        QCOMPARE(storedAlphaLeft, anaAlphaLeft);
        anaDialog->close();

        review(QStringLiteral("bo"),
               [](int line) { return line == 3 ? 'b' : line == 4 ? 't' : 'a'; });
        QVERIFY(dialog && !QTest::currentTestFailed());
        QWidget *boDialog = dialog;
        QCOMPARE(wb.preferences().size(), std::size_t(2 * kLines));

        // Reveal: names, tallies, sign test (A 9, B 2: 2 x 67/2048 = 0.0654) and kappa 0.6.
        QTest::mouseClick(boDialog->findChild<QPushButton *>(QStringLiteral("blindReveal")),
                          Qt::LeftButton);
        auto *summary = boDialog->findChild<QTextBrowser *>(QStringLiteral("blindSummary"));
        QVERIFY(summary->isVisible());
        const QString text = summary->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("A = alpha, B = beta")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("No significant preference: alpha got 82 % of the "
                                              "decided choices, p = 0.0654")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("0.600 (moderate agreement)")), qPrintable(text));
        boDialog->close();

        // The Ratings tab shows the same review.
        auto *ratingsText = wb.find<QTextBrowser>(QStringLiteral("ratingsSummary"));
        QTRY_VERIFY2(ratingsText->toPlainText().contains(QStringLiteral("0.600")),
                     qPrintable(ratingsText->toPlainText()));
    }
};

QTEST_MAIN(TestReview)
#include "tst_ui_review.moc"
