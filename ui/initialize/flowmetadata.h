#pragma once

#include <QString>
#include <QStringList>

namespace fb::ui {

/// Workbench-only facts about a flow, kept beside it in `<flow>/.flowbench/` where promptflow
/// never looks: the goal and notes (`notes.md`) and the attached datasets (`datasets.txt`, one
/// path a line, relative to the flow folder when inside the folder that holds the flow — its
/// workspace — else absolute). Stateless; GUI thread (small files).
class FlowMetadata
{
public:
    [[nodiscard]] static QString notesPath(const QString &flowDir);
    [[nodiscard]] static QString notes(const QString &flowDir);
    static bool setNotes(const QString &flowDir, const QString &text, QString *error);

    /// Attached dataset files (absolute). A flow with none attached yet offers its own
    /// data.jsonl / data.csv when present.
    [[nodiscard]] static QStringList datasets(const QString &flowDir);
    static bool setDatasets(const QString &flowDir, const QStringList &files, QString *error);
    /// True for the extensions a dataset may have (.jsonl, .json, .csv, .tsv).
    [[nodiscard]] static bool isDatasetFile(const QString &path);
};

} // namespace fb::ui
