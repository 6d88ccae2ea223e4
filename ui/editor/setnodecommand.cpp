#include <ui/editor/setnodecommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QCoreApplication>

namespace fb::ui {

namespace {
constexpr int kSetNodeCommandId = 0x46420002;
}

SetNodeCommand::SetNodeCommand(FlowGraphModel *model, const QString &nodeName, Node after,
                               const QString &field, QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_nodeName(nodeName)
    , m_field(field)
    , m_after(std::move(after))
{
    const NodeId id = model->nodeId(nodeName);
    m_variant = model->activeVariant(id);
    m_before = *model->effectiveNode(id);
    setText(field.isEmpty()
                ? QCoreApplication::translate("fb::ui::SetNodeCommand", "Edit %1").arg(nodeName)
                : QCoreApplication::translate("fb::ui::SetNodeCommand", "Edit %1 of %2")
                      .arg(field, nodeName));
}

void SetNodeCommand::apply(const Node &node)
{
    const NodeId id = m_model->nodeId(m_nodeName);
    if (!m_variant.isEmpty()) {
        m_model->setActiveVariant(id, m_variant);
    }
    m_model->setEffectiveNode(id, node);
}

void SetNodeCommand::redo() { apply(m_after); }

void SetNodeCommand::undo() { apply(m_before); }

int SetNodeCommand::id() const { return kSetNodeCommandId; }

bool SetNodeCommand::mergeWith(const QUndoCommand *other)
{
    const auto *set = static_cast<const SetNodeCommand *>(other);
    if (m_field.isEmpty() || set->m_field != m_field || set->m_nodeName != m_nodeName
        || set->m_variant != m_variant) {
        return false;
    }
    m_after = set->m_after;
    return true;
}

} // namespace fb::ui
