#include <ui/editor/addnodecommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QCoreApplication>

#include <cmath>

namespace fb::ui {

AddNodeCommand::AddNodeCommand(FlowGraphModel *model, Node node, const QPointF &pos,
                               QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_model(model)
    , m_node(std::move(node))
{
    if (!m_node.extra.is_object()) {
        m_node.extra = Value::object();
    }
    Value &ns = m_node.extra["flowbench"];
    if (!ns.is_object()) {
        ns = Value::object();
    }
    ns["x"] = std::lround(pos.x());
    ns["y"] = std::lround(pos.y());
    setText(QCoreApplication::translate("fb::ui::AddNodeCommand", "Add node %1")
                .arg(QString::fromStdString(m_node.name)));
}

void AddNodeCommand::redo() { m_model->insertNode(int(m_model->flow().nodes.size()), m_node); }

void AddNodeCommand::undo()
{
    m_model->removeNode(m_model->nodeId(QString::fromStdString(m_node.name)));
}

Node AddNodeCommand::defaultNode(NodeType type, const QString &name, const QString &connection)
{
    Node node;
    node.name = name.toStdString();
    node.type = type;
    node.source.type = "code";
    const auto addInput = [&](const char *key, Value value) {
        NodeInput in;
        in.name = key;
        in.value = std::move(value);
        node.inputs.push_back(std::move(in));
    };
    switch (type) {
    case NodeType::Llm:
    case NodeType::CustomLlm:
        node.type = NodeType::Llm;
        node.source.path = node.name + ".jinja2";
        addInput("model", "gpt-4o-mini");
        addInput("temperature", 1);
        node.connection = connection.toStdString();
        node.api = "chat";
        break;
    case NodeType::Prompt:
        node.source.path = node.name + ".jinja2";
        break;
    case NodeType::Python:
        node.source.path = node.name + ".py";
        break;
    }
    return node;
}

} // namespace fb::ui
