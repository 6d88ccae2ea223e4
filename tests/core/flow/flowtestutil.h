#pragma once

#include <core/common/value.h>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>

namespace fb::test {

/// The checked-in fixture folders of these tests.
inline QString flowDataDir() { return QStringLiteral(FB_SOURCE_DIR "/tests/core/flow/data"); }

inline std::filesystem::path toPath(const QString &path)
{
    return std::filesystem::path(path.toStdString());
}

inline QString fromStd(const std::string &text) { return QString::fromStdString(text); }

/// A Value as compact JSON, for QCOMPARE.
inline QString js(const Value &value) { return fromStd(value.dump()); }

/// Lines joined with '\n' (and a final newline), so a row's YAML reads as a file would and
/// line numbers are the list index + 1.
inline QByteArray yamlLines(const QStringList &lines)
{
    return (lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8();
}

/// Writes `files` (relative path -> content) under `root`, creating folders.
inline bool writeTree(const QString &root, const QMap<QString, QByteArray> &files)
{
    for (auto it = files.begin(); it != files.end(); ++it) {
        const QString path = QDir::cleanPath(root + QLatin1Char('/') + it.key());
        if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
            return false;
        }
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            || file.write(it.value()) != it.value().size()) {
            return false;
        }
    }
    return true;
}

inline QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Copies a fixture folder tree (recursively) to `target`.
inline bool copyTree(const QString &source, const QString &target)
{
    QDir src(source);
    if (!QDir().mkpath(target)) {
        return false;
    }
    const auto entries = src.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo &info : entries) {
        const QString dest = target + QLatin1Char('/') + info.fileName();
        if (info.isDir()) {
            if (!copyTree(info.filePath(), dest)) {
                return false;
            }
        } else if (!QFile::copy(info.filePath(), dest)) {
            return false;
        }
    }
    return true;
}

} // namespace fb::test
