#pragma once

#include <QWidget>

class QLabel;

namespace fb::ui {

/// A page for a mode that is not built yet: a title and a paragraph saying what is coming.
class PlaceholderPage final : public QWidget
{
    Q_OBJECT

public:
    explicit PlaceholderPage(QWidget *parent = nullptr);
    void setTexts(const QString &title, const QString &body);

private:
    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
};

} // namespace fb::ui
