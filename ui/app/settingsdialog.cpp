#include <ui/app/settingsdialog.h>

#include <ui/app/languagemanager.h>
#include <ui/app/theme.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace fb::ui {

SettingsDialog::SettingsDialog(QWidget *parent)
    : SettingsDialog(nullptr, parent)
{
}

SettingsDialog::SettingsDialog(LanguageManager *language, QWidget *parent)
    : QDialog(parent)
    , m_languageManager(language)
    , m_language(new QComboBox(this))
    , m_theme(new QComboBox(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    m_language->addItem(QString(), QStringLiteral("system"));
    for (const auto &[code, name] : LanguageManager::available()) {
        m_language->addItem(name, code);
    }
    m_theme->addItem(QString(), int(AppSettings::Theme::System));
    m_theme->addItem(QString(), int(AppSettings::Theme::Light));
    m_theme->addItem(QString(), int(AppSettings::Theme::Dark));

    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_languageLabel = new QLabel(this);
    m_languageLabel->setBuddy(m_language);
    m_themeLabel = new QLabel(this);
    m_themeLabel->setBuddy(m_theme);
    form->addRow(m_languageLabel, m_language);
    form->addRow(m_themeLabel, m_theme);
    layout->addLayout(form);
    m_note = new QLabel(this);
    m_note->setEnabled(false);
    layout->addWidget(m_note);
    layout->addStretch(1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    layout->addWidget(buttons);

    setLanguage(AppSettings::language());
    setTheme(AppSettings::theme());
    // In force now: the manager's language (it may differ from the stored choice), the
    // stored theme (Theme applies only what AppSettings holds).
    m_initialLanguage = m_languageManager ? m_languageManager->current() : this->language();
    m_initialTheme = theme();
    retranslateUi();
    resize(420, 180);

    // Connected after the initial selection, so opening the dialog changes nothing.
    connect(m_language, &QComboBox::currentIndexChanged, this, &SettingsDialog::applyLanguage);
    connect(m_theme, &QComboBox::currentIndexChanged, this, &SettingsDialog::applyTheme);
}

void SettingsDialog::retranslateUi()
{
    setWindowTitle(tr("Settings"));
    m_language->setItemText(0, tr("Follow the system"));
    m_theme->setItemText(0, tr("Follow the desktop"));
    m_theme->setItemText(1, tr("Light"));
    m_theme->setItemText(2, tr("Dark"));
    m_languageLabel->setText(tr("&Language:"));
    m_themeLabel->setText(tr("&Theme:"));
    m_note->setText(tr("Changes apply at once and are remembered."));
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QDialog::changeEvent(event);
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

void SettingsDialog::applyLanguage()
{
    if (m_languageManager) {
        m_languageManager->apply(language());
        m_languageChanged = true;
    }
}

void SettingsDialog::applyTheme()
{
    Theme::apply(theme());
    m_themeChanged = true;
}

void SettingsDialog::accept()
{
    AppSettings::setLanguage(language());
    AppSettings::setTheme(theme());
    QDialog::accept();
}

void SettingsDialog::reject()
{
    // Back to what was in force before; the combos keep the choices (nothing is stored).
    if (m_languageChanged && m_languageManager) {
        m_languageManager->apply(m_initialLanguage);
        m_languageChanged = false;
    }
    if (m_themeChanged) {
        Theme::apply(m_initialTheme);
        m_themeChanged = false;
    }
    QDialog::reject();
}

} // namespace fb::ui
