#pragma once

// Test helper: answers a save dialog as a user does. Header-only; GUI tests link Qt Widgets.

#include <QApplication>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>
#include <QTimer>

namespace fb::test {

/// Clicks `button`, then answers the (modal, non-native) save dialog it opens by typing
/// `fileName` once the folder is listed and clicking Save; false if no dialog came.
inline bool saveThroughDialog(QPushButton *button, const QString &fileName)
{
    bool answered = false;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&answered, &poll, fileName] {
        auto *dialog = qobject_cast<QFileDialog *>(QApplication::activeModalWidget());
        if (!dialog || !dialog->isVisible()) {
            return;
        }
        // Type once the folder is listed (as a user sees it): a late listing selects the
        // suggested name again, over what was typed.
        auto *list = dialog->findChild<QListView *>(QStringLiteral("listView"));
        if (!list || list->model()->rowCount(list->rootIndex()) == 0) {
            return;
        }
        poll.stop();
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
        if (!name) {
            qWarning("the save dialog has no file name field");
            dialog->reject();
            return;
        }
        name->selectAll();
        QTest::keyClicks(name, fileName);
        // The path completer may have opened its popup: Escape closes it, as a user does.
        if (QCompleter *completer = name->completer();
            completer && completer->popup() && completer->popup()->isVisible()) {
            QTest::keyClick(completer->popup(), Qt::Key_Escape);
        }
        auto *buttons = dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"));
        QPushButton *save = buttons ? buttons->button(QDialogButtonBox::Save) : nullptr;
        if (save) {
            // Nothing should ask anything more; if something does, say what and refuse.
            QTimer::singleShot(2000, dialog, [] {
                if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                    qWarning("the save dialog asked: %s", qPrintable(box->text()));
                    box->reject();
                }
            });
            QTest::mouseClick(save, Qt::LeftButton);
        }
        answered = save != nullptr;
    });
    poll.start();
    QTest::mouseClick(button, Qt::LeftButton);
    return answered;
}

} // namespace fb::test
