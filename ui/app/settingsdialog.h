#pragma once

#include <ui/app/appsettings.h>

#include <QDialog>

class QComboBox;

namespace fb::ui {

/// Preferences: language (system, English, Polski, 中文) and theme (system, light, dark).
/// Reads AppSettings when built; accept() writes them back (the caller applies them).
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    [[nodiscard]] QString language() const;
    void setLanguage(const QString &code);
    [[nodiscard]] AppSettings::Theme theme() const;
    void setTheme(AppSettings::Theme theme);

    void accept() override;

private:
    QComboBox *m_language = nullptr;
    QComboBox *m_theme = nullptr;
};

} // namespace fb::ui
