#pragma once

#include <core/flow/flow.h>

#include <QString>
#include <QUndoCommand>

namespace fb::ui {

class FlowGraphModel;

/// Replaces the properties of a node (of its active variant, for variant nodes): type,
/// connection, api, parameters, activate, aggregation, source. Consecutive edits of the same
/// field (same non-empty `field`) of the same node merge, so typing is one undo step.
class SetNodeCommand final : public QUndoCommand
{
public:
    SetNodeCommand(FlowGraphModel *model, const QString &nodeName, fb::Node after,
                   const QString &field = {}, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;
    [[nodiscard]] int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    void apply(const fb::Node &node);

    FlowGraphModel *m_model;
    QString m_nodeName;
    QString m_variant;
    QString m_field;
    fb::Node m_before;
    fb::Node m_after;
};

} // namespace fb::ui
