#include <ui/app/languagemanager.h>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

namespace fb::ui {

LanguageManager::LanguageManager(QObject *parent)
    : QObject(parent)
{
}

QList<QPair<QString, QString>> LanguageManager::available()
{
    return {{QStringLiteral("en"), QStringLiteral("English")},
            {QStringLiteral("pl"), QStringLiteral("Polski")},
            {QStringLiteral("zh_CN"), QStringLiteral("中文 (简体)")}};
}

QString LanguageManager::apply(const QString &code)
{
    QString wanted = code;
    if (wanted.isEmpty() || wanted == QLatin1String("system")) {
        const QLocale system = QLocale::system();
        if (system.language() == QLocale::Polish) {
            wanted = QStringLiteral("pl");
        } else if (system.language() == QLocale::Chinese) {
            wanted = QStringLiteral("zh_CN");
        } else {
            wanted = QStringLiteral("en");
        }
    }
    QCoreApplication::removeTranslator(&m_app);
    QCoreApplication::removeTranslator(&m_qt);
    QString applied = QStringLiteral("en");
    if (wanted != QLatin1String("en")
        && m_app.load(QStringLiteral(":/i18n/flowbench_%1.qm").arg(wanted))) {
        QCoreApplication::installTranslator(&m_app);
        if (m_qt.load(QStringLiteral("qtbase_%1").arg(wanted),
                      QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(&m_qt);
        }
        applied = wanted;
    }
    if (applied != m_current) {
        m_current = applied;
        Q_EMIT languageChanged(m_current);
    }
    return m_current;
}

} // namespace fb::ui
