#pragma once

#include <QDialog>

class QLabel;
class QTextBrowser;

namespace fb::ui {

/// The About box: version, what Flowbench is, and the licences of everything we ship.
class AboutDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    /// The licence table as HTML (name, licence), also used by tests.
    [[nodiscard]] static QString licencesHtml();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QLabel *m_title = nullptr;
    QLabel *m_intro = nullptr;
    QTextBrowser *m_licences = nullptr;
};

} // namespace fb::ui
