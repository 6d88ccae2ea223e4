#pragma once

#include <QString>
#include <QStringList>

namespace fb::ui {

/// A workspace: a folder of flows plus its `.flowbench/` folder holding the experiment store
/// (the CLI's default store path, ExperimentStore::kDefaultPath) and the workbench's connection
/// files. Value type; touches the file system only in open() and flows(). GUI thread.
class Workspace
{
public:
    Workspace() = default;

    /// Uses `dir` as the workspace, creating it and `.flowbench/` when missing.
    /// Fails (with a message naming the folder) when it cannot be created or written.
    bool open(const QString &dir, QString *error);
    void close();

    [[nodiscard]] bool isOpen() const { return !m_root.isEmpty(); }
    [[nodiscard]] QString root() const { return m_root; }
    [[nodiscard]] QString name() const;
    /// `<root>/.flowbench`
    [[nodiscard]] QString configDir() const;
    /// `<root>/.flowbench/experiments.sqlite` (ExperimentStore::kDefaultPath).
    [[nodiscard]] QString storePath() const;
    /// `<root>/.flowbench/connections`: promptflow connection YAML files, without secrets.
    [[nodiscard]] QString connectionsDir() const;
    /// Flow folders (holding flow.dag.yaml) directly inside the workspace, sorted by name.
    [[nodiscard]] QStringList flows() const;
    /// A folder name for a new flow based on `base` that does not exist yet in the workspace.
    [[nodiscard]] QString uniqueFlowDir(const QString &base) const;

    /// `~/Documents/Flowbench` (or the home folder's Flowbench when there is no Documents).
    [[nodiscard]] static QString defaultRoot();
    /// True when `dir` holds a flow.dag.yaml.
    [[nodiscard]] static bool isFlowDir(const QString &dir);

private:
    QString m_root;
};

} // namespace fb::ui
