#pragma once

#include <QIcon>
#include <QList>
#include <QWidget>

class QButtonGroup;
class QToolButton;
class QVBoxLayout;

namespace fb::ui {

/// The vertical bar of lifecycle modes on the left of the main window (icon above label,
/// one checked at a time). GUI thread only.
class ModeBar final : public QWidget
{
    Q_OBJECT

public:
    explicit ModeBar(QWidget *parent = nullptr);

    /// Appends a mode button; returns its index.
    int addMode(const QIcon &icon, const QString &text, const QString &toolTip);
    void setModeText(int index, const QString &text, const QString &toolTip);
    void setCurrent(int index);
    [[nodiscard]] int current() const;
    [[nodiscard]] int count() const { return int(m_buttons.size()); }
    [[nodiscard]] QToolButton *button(int index) const { return m_buttons.value(index); }

Q_SIGNALS:
    void currentChanged(int index);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void fitWidth();
    QVBoxLayout *m_layout = nullptr;
    QButtonGroup *m_group = nullptr;
    QList<QToolButton *> m_buttons;
};

} // namespace fb::ui
