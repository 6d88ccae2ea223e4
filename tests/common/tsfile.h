#pragma once

// Test helper: reads a Qt Linguist .ts file message by message. Header-only; tests link Qt.

#include <QFile>
#include <QString>
#include <QXmlStreamReader>

#include <functional>

namespace fb::test {

/// Calls `each(source, translation, finished)` for every message of `file` (a translation
/// marked unfinished has finished == false). False with `error` when the file does not open
/// or is not well-formed XML.
inline bool readTsFile(const QString &file,
                       const std::function<void(const QString &, const QString &, bool)> &each,
                       QString *error = nullptr)
{
    QFile ts(file);
    if (!ts.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = file + QStringLiteral(": ") + ts.errorString();
        }
        return false;
    }
    QXmlStreamReader xml(&ts);
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            continue;
        }
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            const bool unfinished
                = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            each(source, xml.readElementText(QXmlStreamReader::IncludeChildElements), !unfinished);
        }
    }
    if (xml.hasError()) {
        if (error) {
            *error = file + QStringLiteral(": ") + xml.errorString();
        }
        return false;
    }
    return true;
}

} // namespace fb::test
