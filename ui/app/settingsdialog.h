#pragma once

#include <ui/app/appsettings.h>

#include <QDialog>
#include <QPointer>

class QComboBox;
class QLabel;

namespace fb::ui {

class LanguageManager;

/// Preferences: language (system, English, Polski, 中文) and theme (system, light, dark).
/// Reads AppSettings when built. A choice applies at once (the language through `language`,
/// when given; the theme through Theme); accept() remembers the choices in AppSettings,
/// reject() goes back to the language and theme in force when the dialog opened.
class SettingsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(QWidget *parent = nullptr);
    explicit SettingsDialog(LanguageManager *language, QWidget *parent = nullptr);

    [[nodiscard]] QString language() const;
    void setLanguage(const QString &code);
    [[nodiscard]] AppSettings::Theme theme() const;
    void setTheme(AppSettings::Theme theme);

    void accept() override;
    void reject() override;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void applyLanguage();
    void applyTheme();

    QPointer<LanguageManager> m_languageManager;
    QComboBox *m_language = nullptr;
    QComboBox *m_theme = nullptr;
    QLabel *m_languageLabel = nullptr;
    QLabel *m_themeLabel = nullptr;
    QLabel *m_note = nullptr;
    // What was in force when the dialog opened, for reject().
    QString m_initialLanguage;
    AppSettings::Theme m_initialTheme = AppSettings::Theme::System;
    bool m_languageChanged = false;
    bool m_themeChanged = false;
};

} // namespace fb::ui
