#pragma once

#include <QObject>
#include <QString>
#include <QTranslator>

namespace fb::ui {

/// Installs the workbench's translation (":/i18n/flowbench_<code>.qm") and Qt's own one when
/// available. Widgets retranslate on QEvent::LanguageChange. GUI thread only.
class LanguageManager final : public QObject
{
    Q_OBJECT

public:
    explicit LanguageManager(QObject *parent = nullptr);

    /// "system" follows QLocale::system(); "en", "pl", "zh_CN" pick one. Returns the code
    /// actually applied ("en" when no translation matches).
    QString apply(const QString &code);
    [[nodiscard]] QString current() const { return m_current; }

    /// The codes offered in settings, with their names in their own language.
    [[nodiscard]] static QList<QPair<QString, QString>> available();

Q_SIGNALS:
    void languageChanged(const QString &code);

private:
    QTranslator m_app;
    QTranslator m_qt;
    QString m_current = QStringLiteral("en");
};

} // namespace fb::ui
