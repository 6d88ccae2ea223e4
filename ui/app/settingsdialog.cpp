#include <ui/app/settingsdialog.h>

#include <ui/app/languagemanager.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace fb::ui {

SettingsDialog::SettingsDialog(QWidget *parent)
    : QDialog(parent)
    , m_language(new QComboBox(this))
    , m_theme(new QComboBox(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    m_language->addItem(tr("Follow the system"), QStringLiteral("system"));
    for (const auto &[code, name] : LanguageManager::available()) {
        m_language->addItem(name, code);
    }
    m_theme->addItem(tr("Follow the desktop"), int(AppSettings::Theme::System));
    m_theme->addItem(tr("Light"), int(AppSettings::Theme::Light));
    m_theme->addItem(tr("Dark"), int(AppSettings::Theme::Dark));

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Language:"), m_language);
    form->addRow(tr("&Theme:"), m_theme);
    layout->addLayout(form);
    auto *note = new QLabel(tr("Changes apply at once and are remembered."), this);
    note->setEnabled(false);
    layout->addWidget(note);
    layout->addStretch(1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    setLanguage(AppSettings::language());
    setTheme(AppSettings::theme());
    resize(420, 180);
}

QString SettingsDialog::language() const { return m_language->currentData().toString(); }

void SettingsDialog::setLanguage(const QString &code)
{
    const int i = m_language->findData(code);
    m_language->setCurrentIndex(i < 0 ? 0 : i);
}

AppSettings::Theme SettingsDialog::theme() const
{
    return AppSettings::Theme(m_theme->currentData().toInt());
}

void SettingsDialog::setTheme(AppSettings::Theme theme)
{
    const int i = m_theme->findData(int(theme));
    m_theme->setCurrentIndex(i < 0 ? 0 : i);
}

void SettingsDialog::accept()
{
    AppSettings::setLanguage(language());
    AppSettings::setTheme(theme());
    QDialog::accept();
}

} // namespace fb::ui
