#pragma once

#include <QString>
#include <QUndoCommand>

namespace fb::ui {

class FlowGraphModel;

/// Renames a node and every reference to it. Create it only when
/// FlowGraphModel::isNameAvailable(newName) holds, so that undo is exact.
class RenameNodeCommand final : public QUndoCommand
{
public:
    RenameNodeCommand(FlowGraphModel *model, const QString &oldName, const QString &newName,
                      QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    FlowGraphModel *m_model;
    QString m_oldName;
    QString m_newName;
};

} // namespace fb::ui
