#include <ui/editor/flowgraphmodel.h>

#include <core/flow/apiparameters.h>
#include <core/flow/flowedits.h>

#include <QSet>

#include <algorithm>
#include <cmath>

namespace fb::ui {

namespace {

std::string toStd(const QString &s) { return s.toStdString(); }

QString fromStd(const std::string &s) { return QString::fromStdString(s); }

QString apiTypeName(ApiParameterType type)
{
    switch (type) {
    case ApiParameterType::String:
        return QStringLiteral("string");
    case ApiParameterType::Int:
        return QStringLiteral("int");
    case ApiParameterType::Double:
        return QStringLiteral("double");
    case ApiParameterType::Bool:
        return QStringLiteral("bool");
    case ApiParameterType::Object:
        return QStringLiteral("object");
    case ApiParameterType::List:
        return QStringLiteral("list");
    case ApiParameterType::StringOrList:
        return QStringLiteral("string|list");
    case ApiParameterType::Any:
        break;
    }
    return QStringLiteral("any");
}

bool isLlmLike(const Node &node)
{
    return node.unknownType.empty()
           && (node.type == NodeType::Llm || node.type == NodeType::CustomLlm);
}

} // namespace

FlowGraphModel::FlowGraphModel(QObject *parent)
    : QObject(parent)
{
}

FlowGraphModel::~FlowGraphModel() = default;

void FlowGraphModel::resetFlow(Flow flow)
{
    m_flow = std::move(flow);
    m_layout.clear();
    m_activeVariant.clear();
    assignIds();
    Q_EMIT modelReset();
}

void FlowGraphModel::assignIds()
{
    m_names.clear();
    m_ids.clear();
    for (const auto &node : m_flow.nodes) {
        const NodeId id = NodeId(m_nextId++);
        m_names[id] = node.name;
        m_ids.insert(fromStd(node.name), id);
    }
}

QList<NodeId> FlowGraphModel::nodeIds() const
{
    QList<NodeId> ids{NodeId::FlowInputs, NodeId::FlowOutputs};
    for (const auto &node : m_flow.nodes) {
        ids.append(idForName(node.name));
    }
    return ids;
}

NodeId FlowGraphModel::nodeId(const QString &name) const
{
    return m_ids.value(name, NodeId::Invalid);
}

NodeId FlowGraphModel::idForName(const std::string &name) const
{
    return m_ids.value(fromStd(name), NodeId::Invalid);
}

QString FlowGraphModel::nodeName(NodeId id) const
{
    const auto it = m_names.find(id);
    return it == m_names.end() ? QString() : fromStd(it->second);
}

GraphNodeKind FlowGraphModel::kind(NodeId id) const
{
    if (id == NodeId::FlowInputs) {
        return GraphNodeKind::FlowInputs;
    }
    if (id == NodeId::FlowOutputs) {
        return GraphNodeKind::FlowOutputs;
    }
    return GraphNodeKind::Node;
}

bool FlowGraphModel::contains(NodeId id) const
{
    return id == NodeId::FlowInputs || id == NodeId::FlowOutputs || m_names.count(id) > 0;
}

const Node *FlowGraphModel::node(NodeId id) const
{
    const auto it = m_names.find(id);
    return it == m_names.end() ? nullptr : m_flow.node(it->second);
}

Node *FlowGraphModel::mutableNode(NodeId id)
{
    const auto it = m_names.find(id);
    return it == m_names.end() ? nullptr : m_flow.node(it->second);
}

const NodeVariants *FlowGraphModel::variants(NodeId id) const
{
    const Node *n = node(id);
    if (!n || !n->useVariants) {
        return nullptr;
    }
    return m_flow.variantsOf(n->name);
}

const Node *FlowGraphModel::effectiveNode(NodeId id) const
{
    return const_cast<FlowGraphModel *>(this)->mutableEffectiveNode(id);
}

Node *FlowGraphModel::mutableEffectiveNode(NodeId id)
{
    Node *n = mutableNode(id);
    if (!n || !n->useVariants) {
        return n;
    }
    const std::string active = toStd(activeVariant(id));
    for (auto &nv : m_flow.nodeVariants) {
        if (nv.nodeName != n->name) {
            continue;
        }
        for (auto &variant : nv.variants) {
            if (variant.id == active) {
                return &variant.node;
            }
        }
    }
    return n;
}

QStringList FlowGraphModel::inPorts(NodeId id) const
{
    QStringList ports;
    if (id == NodeId::FlowOutputs) {
        for (const auto &out : m_flow.outputs) {
            ports.append(fromStd(out.name));
        }
        return ports;
    }
    const Node *n = effectiveNode(id);
    if (!n) {
        return ports;
    }
    for (const auto &in : n->inputs) {
        ports.append(fromStd(in.name));
    }
    if (n->activate) {
        ports.append(activatePortName());
    }
    return ports;
}

QStringList FlowGraphModel::outPorts(NodeId id) const
{
    QStringList ports;
    if (id == NodeId::FlowInputs) {
        for (const auto &in : m_flow.inputs) {
            ports.append(fromStd(in.name));
        }
        return ports;
    }
    if (id == NodeId::FlowOutputs || !node(id)) {
        return ports;
    }
    ports.append(outputPortName());
    return ports;
}

QString FlowGraphModel::portType(NodeId id, const QString &port, bool isInput) const
{
    if (id == NodeId::FlowInputs) {
        const FlowInput *in = m_flow.input(toStd(port));
        if (!in) {
            return QStringLiteral("any");
        }
        return in->unknownType.empty() ? QString::fromLatin1(valueTypeName(in->type))
                                       : fromStd(in->unknownType);
    }
    if (id == NodeId::FlowOutputs) {
        const FlowOutput *out = m_flow.output(toStd(port));
        return out ? QString::fromLatin1(valueTypeName(out->type)) : QStringLiteral("any");
    }
    const Node *n = effectiveNode(id);
    if (!n) {
        return QStringLiteral("any");
    }
    if (!isInput) {
        return n->type == NodeType::Python ? QStringLiteral("any") : QStringLiteral("string");
    }
    if (port == activatePortName()) {
        return QStringLiteral("condition");
    }
    if (isLlmLike(*n) && ApiParameters::isApiParameter(toStd(port), n->api)) {
        if (const auto type = ApiParameters::type(toStd(port))) {
            return apiTypeName(*type);
        }
    }
    const NodeInput *in = n->input(toStd(port));
    if (!in) {
        return QStringLiteral("any");
    }
    if (const auto ref
        = Reference::parse(in->value.is_string() ? in->value.get<std::string>() : std::string())) {
        if (ref->kind == Reference::Kind::FlowInput) {
            return portType(NodeId::FlowInputs, fromStd(ref->name), false);
        }
        return portType(idForName(ref->name), outputPortName(), false);
    }
    switch (in->value.type()) {
    case Value::value_t::string:
        return QStringLiteral("string");
    case Value::value_t::boolean:
        return QStringLiteral("bool");
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
        return QStringLiteral("int");
    case Value::value_t::number_float:
        return QStringLiteral("double");
    case Value::value_t::array:
        return QStringLiteral("list");
    case Value::value_t::object:
        return QStringLiteral("object");
    default:
        return QStringLiteral("any");
    }
}

void FlowGraphModel::collectConnections(NodeId id, QList<GraphConnection> &out) const
{
    const auto add = [&](const Value &value, const QString &inPort) {
        if (!value.is_string()) {
            return;
        }
        const auto ref = Reference::parse(value.get<std::string>());
        if (!ref) {
            return;
        }
        GraphConnection c;
        c.inNode = id;
        c.inPort = inPort;
        if (ref->kind == Reference::Kind::FlowInput) {
            if (!m_flow.input(ref->name)) {
                return;
            }
            c.outNode = NodeId::FlowInputs;
            c.outPort = fromStd(ref->name);
        } else {
            c.outNode = idForName(ref->name);
            if (c.outNode == NodeId::Invalid) {
                return;
            }
            c.outPort = outputPortName();
            c.key = fromStd(ref->key);
        }
        out.append(c);
    };
    if (id == NodeId::FlowOutputs) {
        for (const auto &o : m_flow.outputs) {
            add(Value(o.reference), fromStd(o.name));
        }
        return;
    }
    const Node *n = effectiveNode(id);
    if (!n) {
        return;
    }
    for (const auto &in : n->inputs) {
        add(in.value, fromStd(in.name));
    }
    if (n->activate) {
        add(Value(n->activate->when), activatePortName());
    }
}

QList<GraphConnection> FlowGraphModel::connections() const
{
    QList<GraphConnection> result;
    for (const auto &[id, name] : m_names) {
        collectConnections(id, result);
    }
    collectConnections(NodeId::FlowOutputs, result);
    return result;
}

QList<GraphConnection> FlowGraphModel::connectionsOf(NodeId id) const
{
    QList<GraphConnection> result;
    const QList<GraphConnection> all = connections();
    for (const auto &c : all) {
        if (c.inNode == id || c.outNode == id) {
            result.append(c);
        }
    }
    return result;
}

void FlowGraphModel::emitConnectionDiff(const QList<GraphConnection> &before)
{
    const QList<GraphConnection> after = connections();
    const QSet<GraphConnection> beforeSet(before.begin(), before.end());
    const QSet<GraphConnection> afterSet(after.begin(), after.end());
    for (const auto &c : before) {
        if (!afterSet.contains(c)) {
            Q_EMIT connectionDeleted(c);
        }
    }
    for (const auto &c : after) {
        if (!beforeSet.contains(c)) {
            Q_EMIT connectionCreated(c);
        }
    }
}

Value FlowGraphModel::portValue(NodeId inNode, const QString &inPort) const
{
    if (inNode == NodeId::FlowOutputs) {
        const FlowOutput *out = m_flow.output(toStd(inPort));
        return out ? Value(out->reference) : Value();
    }
    const Node *n = effectiveNode(inNode);
    if (!n) {
        return Value();
    }
    if (inPort == activatePortName()) {
        return n->activate ? Value(n->activate->when) : Value();
    }
    const NodeInput *in = n->input(toStd(inPort));
    return in ? in->value : Value();
}

QString FlowGraphModel::referenceText(NodeId outNode, const QString &outPort,
                                      const QString &key) const
{
    if (outNode == NodeId::FlowInputs) {
        return QStringLiteral("${inputs.%1}").arg(outPort);
    }
    if (key.isEmpty()) {
        return QStringLiteral("${%1.output}").arg(nodeName(outNode));
    }
    return QStringLiteral("${%1.output.%2}").arg(nodeName(outNode), key);
}

bool FlowGraphModel::canConnect(NodeId outNode, const QString &outPort, NodeId inNode,
                                const QString &inPort) const
{
    if (outNode == inNode || !outPorts(outNode).contains(outPort)
        || !inPorts(inNode).contains(inPort)) {
        return false;
    }
    // The pseudo-nodes cannot close a cycle: nothing feeds the flow's inputs and nothing
    // reads its outputs.
    if (kind(outNode) != GraphNodeKind::Node || kind(inNode) != GraphNodeKind::Node) {
        return true;
    }
    return !FlowEdits::wouldCreateCycle(m_flow, toStd(nodeName(outNode)), toStd(nodeName(inNode)));
}

bool FlowGraphModel::isNameAvailable(const QString &name) const
{
    return FlowEdits::isNameAvailable(m_flow, toStd(name));
}

QString FlowGraphModel::uniqueNodeName(const QString &base) const
{
    if (isNameAvailable(base)) {
        return base;
    }
    for (int i = 1;; ++i) {
        const QString candidate = QStringLiteral("%1_%2").arg(base).arg(i);
        if (isNameAvailable(candidate)) {
            return candidate;
        }
    }
}

std::optional<QPointF> FlowGraphModel::savedPosition(NodeId id) const
{
    const Node *n = node(id);
    if (!n || !n->extra.is_object()) {
        return std::nullopt;
    }
    const auto it = n->extra.find("flowbench");
    if (it == n->extra.end() || !it->is_object()) {
        return std::nullopt;
    }
    const auto x = it->find("x");
    const auto y = it->find("y");
    if (x == it->end() || y == it->end() || !x->is_number() || !y->is_number()) {
        return std::nullopt;
    }
    return QPointF(x->get<double>(), y->get<double>());
}

QPointF FlowGraphModel::position(NodeId id) const
{
    if (const auto saved = savedPosition(id)) {
        return *saved;
    }
    return m_layout.value(id);
}

void FlowGraphModel::setNodePosition(NodeId id, const std::optional<QPointF> &pos)
{
    Node *n = mutableNode(id);
    if (!n) {
        if (pos) {
            m_layout.insert(id, *pos);
        }
        Q_EMIT nodePositionUpdated(id);
        return;
    }
    if (!n->extra.is_object()) {
        n->extra = Value::object();
    }
    if (pos) {
        Value &ns = n->extra["flowbench"];
        if (!ns.is_object()) {
            ns = Value::object();
        }
        ns["x"] = std::lround(pos->x());
        ns["y"] = std::lround(pos->y());
    } else if (n->extra.contains("flowbench") && n->extra["flowbench"].is_object()) {
        Value &ns = n->extra["flowbench"];
        ns.erase("x");
        ns.erase("y");
        if (ns.empty()) {
            n->extra.erase("flowbench");
        }
    }
    Q_EMIT nodePositionUpdated(id);
    Q_EMIT flowChanged();
}

void FlowGraphModel::setLayoutPositions(const QHash<NodeId, QPointF> &positions)
{
    for (auto it = positions.begin(); it != positions.end(); ++it) {
        m_layout.insert(it.key(), it.value());
        if (!savedPosition(it.key())) {
            Q_EMIT nodePositionUpdated(it.key());
        }
    }
}

void FlowGraphModel::commitPositions()
{
    for (const auto &[id, name] : m_names) {
        if (!savedPosition(id) && m_layout.contains(id)) {
            setNodePosition(id, m_layout.value(id));
        }
    }
}

int FlowGraphModel::nodeIndex(NodeId id) const
{
    const auto it = m_names.find(id);
    if (it == m_names.end()) {
        return -1;
    }
    for (std::size_t i = 0; i < m_flow.nodes.size(); ++i) {
        if (m_flow.nodes[i].name == it->second) {
            return int(i);
        }
    }
    return -1;
}

int FlowGraphModel::variantsIndex(NodeId id) const
{
    const auto it = m_names.find(id);
    if (it == m_names.end()) {
        return -1;
    }
    for (std::size_t i = 0; i < m_flow.nodeVariants.size(); ++i) {
        if (m_flow.nodeVariants[i].nodeName == it->second) {
            return int(i);
        }
    }
    return -1;
}

NodeId FlowGraphModel::insertNode(int index, const Node &node,
                                  const std::optional<NodeVariants> &variants, int variantsIndex)
{
    Q_ASSERT(!m_ids.contains(fromStd(node.name)));
    const QList<GraphConnection> before = connections();
    index = std::clamp(index, 0, int(m_flow.nodes.size()));
    m_flow.nodes.insert(m_flow.nodes.begin() + index, node);
    if (variants) {
        const int vi = variantsIndex < 0
                           ? int(m_flow.nodeVariants.size())
                           : std::clamp(variantsIndex, 0, int(m_flow.nodeVariants.size()));
        m_flow.nodeVariants.insert(m_flow.nodeVariants.begin() + vi, *variants);
    }
    const NodeId id = NodeId(m_nextId++);
    m_names[id] = node.name;
    m_ids.insert(fromStd(node.name), id);
    Q_EMIT nodeCreated(id);
    emitConnectionDiff(before);
    Q_EMIT flowChanged();
    return id;
}

void FlowGraphModel::removeNode(NodeId id)
{
    const int index = nodeIndex(id);
    if (index < 0) {
        return;
    }
    const QList<GraphConnection> before = connections();
    const std::string name = m_flow.nodes[std::size_t(index)].name;
    m_flow.nodes.erase(m_flow.nodes.begin() + index);
    const int vi = [&] {
        for (std::size_t i = 0; i < m_flow.nodeVariants.size(); ++i) {
            if (m_flow.nodeVariants[i].nodeName == name) {
                return int(i);
            }
        }
        return -1;
    }();
    if (vi >= 0) {
        m_flow.nodeVariants.erase(m_flow.nodeVariants.begin() + vi);
    }
    m_names.erase(id);
    m_ids.remove(fromStd(name));
    m_layout.remove(id);
    m_activeVariant.remove(id);
    emitConnectionDiff(before);
    Q_EMIT nodeDeleted(id);
    Q_EMIT flowChanged();
}

void FlowGraphModel::renameNode(NodeId id, const QString &newName)
{
    Node *n = mutableNode(id);
    if (!n) {
        return;
    }
    const std::string oldName = n->name;
    const std::string name = toStd(newName);
    if (oldName == name) {
        return;
    }
    const QList<GraphConnection> before = connections();
    // Unchecked: undo must restore a name the rules may no longer accept (a loaded "my-node");
    // callers check isNameAvailable before a user's rename (see RenameNodeCommand).
    FlowEdits::applyRename(m_flow, oldName, name);
    m_names[id] = name;
    m_ids.remove(fromStd(oldName));
    m_ids.insert(newName, id);
    emitConnectionDiff(before);
    Q_EMIT nodeUpdated(id);
    Q_EMIT flowChanged();
}

void FlowGraphModel::setPortValue(NodeId inNode, const QString &inPort, const Value &value)
{
    const QList<GraphConnection> before = connections();
    if (inNode == NodeId::FlowOutputs) {
        for (auto &out : m_flow.outputs) {
            if (fromStd(out.name) == inPort) {
                out.reference = value.is_string() ? value.get<std::string>() : std::string();
            }
        }
    } else {
        Node *n = mutableEffectiveNode(inNode);
        if (!n) {
            return;
        }
        if (inPort == activatePortName()) {
            if (value.is_null()) {
                n->activate.reset();
            } else if (!n->activate) {
                Activate activate;
                activate.when = value.get<std::string>();
                activate.is = true;
                n->activate = activate;
            } else {
                n->activate->when = value.is_string() ? value.get<std::string>() : std::string();
            }
        } else {
            const std::string port = toStd(inPort);
            auto it = std::find_if(n->inputs.begin(), n->inputs.end(),
                                   [&](const NodeInput &in) { return in.name == port; });
            if (value.is_null()) {
                if (it != n->inputs.end()) {
                    n->inputs.erase(it);
                }
            } else if (it == n->inputs.end()) {
                NodeInput in;
                in.name = port;
                in.value = value;
                n->inputs.push_back(in);
            } else {
                it->value = value;
            }
        }
    }
    emitConnectionDiff(before);
    Q_EMIT nodeUpdated(inNode);
    Q_EMIT flowChanged();
}

void FlowGraphModel::setEffectiveNode(NodeId id, const Node &node)
{
    Node *n = mutableEffectiveNode(id);
    if (!n) {
        return;
    }
    Q_ASSERT(node.name == n->name);
    const QList<GraphConnection> before = connections();
    *n = node;
    emitConnectionDiff(before);
    Q_EMIT nodeUpdated(id);
    Q_EMIT flowChanged();
}

void FlowGraphModel::setNodeAndVariants(NodeId id, const Node &stub,
                                        const std::optional<NodeVariants> &variants,
                                        int variantsIndex)
{
    Node *n = mutableNode(id);
    if (!n) {
        return;
    }
    Q_ASSERT(stub.name == n->name);
    const QList<GraphConnection> before = connections();
    *n = stub;
    const int existing = this->variantsIndex(id);
    if (existing >= 0) {
        m_flow.nodeVariants.erase(m_flow.nodeVariants.begin() + existing);
    }
    if (variants) {
        const int vi = variantsIndex < 0
                           ? int(m_flow.nodeVariants.size())
                           : std::clamp(variantsIndex, 0, int(m_flow.nodeVariants.size()));
        m_flow.nodeVariants.insert(m_flow.nodeVariants.begin() + vi, *variants);
    }
    if (m_activeVariant.contains(id)) {
        const NodeVariants *nv = this->variants(id);
        if (!nv || !nv->variant(toStd(m_activeVariant.value(id)))) {
            m_activeVariant.remove(id);
        }
    }
    emitConnectionDiff(before);
    Q_EMIT nodeUpdated(id);
    Q_EMIT variantsChanged(id);
    Q_EMIT flowChanged();
}

QString FlowGraphModel::activeVariant(NodeId id) const
{
    const NodeVariants *nv = variants(id);
    if (!nv) {
        return {};
    }
    const QString chosen = m_activeVariant.value(id);
    if (!chosen.isEmpty() && nv->variant(toStd(chosen))) {
        return chosen;
    }
    if (nv->variant(nv->defaultVariantId)) {
        return fromStd(nv->defaultVariantId);
    }
    return nv->variants.empty() ? QString() : fromStd(nv->variants.front().id);
}

void FlowGraphModel::setActiveVariant(NodeId id, const QString &variantId)
{
    const NodeVariants *nv = variants(id);
    if (!nv || !nv->variant(toStd(variantId)) || activeVariant(id) == variantId) {
        return;
    }
    const QList<GraphConnection> before = connections();
    m_activeVariant.insert(id, variantId);
    emitConnectionDiff(before);
    Q_EMIT nodeUpdated(id);
    Q_EMIT variantsChanged(id);
}

Value FlowGraphModel::variantSelection() const
{
    Value selection = Value::object();
    for (const auto &node : m_flow.nodes) {
        const NodeId id = idForName(node.name);
        if (variants(id)) {
            selection[node.name] = toStd(activeVariant(id));
        }
    }
    return selection;
}

} // namespace fb::ui
