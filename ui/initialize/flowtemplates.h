#pragma once

#include <QString>
#include <QStringList>

namespace fb::ui {

/// The sample flows offered as templates for a new flow, and copying one into a workspace.
/// Templates are the folders holding a flow.dag.yaml in the templates folder. Stateless.
class FlowTemplates
{
public:
    /// The templates folder: $FLOWBENCH_FLOWS if set, else `../share/flowbench/flows` beside the
    /// executable, else the source tree's `flows/`.
    [[nodiscard]] static QString templatesDir();
    /// Template folders (absolute paths), sorted by name.
    [[nodiscard]] static QStringList list(const QString &dir = templatesDir());
    /// The first comment line of a template's flow.dag.yaml or its README, for display.
    [[nodiscard]] static QString describe(const QString &templateDir);
    /// Copies `templateDir` recursively to `target` (which must not exist). Skips `__pycache__`
    /// and `.flowbench`. Fails with a message naming the file that could not be copied.
    static bool copy(const QString &templateDir, const QString &target, QString *error);
};

} // namespace fb::ui
