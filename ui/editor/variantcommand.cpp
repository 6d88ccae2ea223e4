#include <ui/editor/variantcommand.h>

#include <ui/editor/flowgraphmodel.h>

#include <QFileInfo>
#include <QRegularExpression>

namespace fb::ui {

namespace {

void setError(QString *error, const QString &message)
{
    if (error) {
        *error = message;
    }
}

Variant *findVariant(NodeVariants &nv, const std::string &id)
{
    for (auto &variant : nv.variants) {
        if (variant.id == id) {
            return &variant;
        }
    }
    return nullptr;
}

QString freeVariantId(const NodeVariants &nv)
{
    for (int i = 0;; ++i) {
        const std::string candidate = "variant_" + std::to_string(i);
        if (!nv.variant(candidate)) {
            return QString::fromStdString(candidate);
        }
    }
}

bool usesTemplate(const Node &node)
{
    return node.type != NodeType::Python && !node.source.path.empty();
}

} // namespace

VariantCommand::VariantCommand(FlowGraphModel *model, const QString &nodeName, const QString &text)
    : m_model(model)
    , m_nodeName(nodeName)
{
    setText(text);
    const NodeId id = model->nodeId(nodeName);
    m_stubBefore = *model->node(id);
    m_stubAfter = m_stubBefore;
    if (const NodeVariants *nv = model->variants(id)) {
        m_before = *nv;
        m_after = *nv;
    }
    m_variantsIndex = model->variantsIndex(id);
    m_activeBefore = model->activeVariant(id);
    m_activeAfter = m_activeBefore;
}

std::unique_ptr<VariantCommand> VariantCommand::createFrom(FlowGraphModel *model,
                                                           const QString &nodeName,
                                                           const QString &fromVariant,
                                                           QString *error)
{
    const NodeId id = model->nodeId(nodeName);
    const Node *node = model->node(id);
    if (!node) {
        setError(error, tr("There is no node named %1.").arg(nodeName));
        return nullptr;
    }
    std::unique_ptr<VariantCommand> cmd(
        new VariantCommand(model, nodeName, tr("New variant of %1").arg(nodeName)));
    if (!cmd->m_after) {
        if (node->type == NodeType::Python) {
            setError(error, tr("Only llm and prompt nodes have variants."));
            return nullptr;
        }
        // Turn the node into a stub plus node_variants with the node as variant_0.
        NodeVariants nv;
        nv.nodeName = node->name;
        nv.defaultVariantId = "variant_0";
        Variant first;
        first.id = "variant_0";
        first.node = *node;
        first.node.extra = Value::object();
        if (node->extra.is_object()) {
            for (const auto &[key, value] : node->extra.items()) {
                if (key != "flowbench") {
                    first.node.extra[key] = value;
                }
            }
        }
        nv.variants.push_back(first);
        Node stub;
        stub.name = node->name;
        stub.useVariants = true;
        if (node->extra.is_object() && node->extra.contains("flowbench")) {
            stub.extra["flowbench"] = node->extra["flowbench"];
        }
        cmd->m_stubAfter = stub;
        cmd->m_after = nv;
    }
    NodeVariants &nv = *cmd->m_after;
    const std::string from
        = fromVariant.isEmpty() ? nv.variants.front().id : fromVariant.toStdString();
    const Variant *source = nv.variant(from);
    if (!source) {
        setError(error, tr("Node %1 has no variant %2.").arg(nodeName, fromVariant));
        return nullptr;
    }
    Variant copy = *source;
    copy.id = freeVariantId(nv).toStdString();
    copy.description.clear();
    if (copy.extra.is_object()) {
        copy.extra.erase("flowbench");
    }
    if (usesTemplate(copy.node)) {
        const QString path = QString::fromStdString(copy.node.source.path);
        const QFileInfo info(path);
        const QString dir = info.path() == QLatin1String(".") ? QString() : info.path() + '/';
        const QString suffix = info.suffix().isEmpty() ? QString() : '.' + info.suffix();
        QString target
            = dir + info.completeBaseName() + '_' + QString::fromStdString(copy.id) + suffix;
        cmd->m_templateFrom = path;
        cmd->m_templateTo = target;
        copy.node.source.path = target.toStdString();
    }
    cmd->m_activeAfter = QString::fromStdString(copy.id);
    nv.variants.push_back(std::move(copy));
    return cmd;
}

std::unique_ptr<VariantCommand> VariantCommand::rename(FlowGraphModel *model,
                                                       const QString &nodeName,
                                                       const QString &variantId,
                                                       const QString &newId, QString *error)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    std::unique_ptr<VariantCommand> cmd(
        new VariantCommand(model, nodeName, tr("Rename variant %1 to %2").arg(variantId, newId)));
    if (!cmd->m_after) {
        setError(error, tr("Node %1 has no variants.").arg(nodeName));
        return nullptr;
    }
    if (!valid.match(newId).hasMatch()) {
        setError(error, tr("A variant name uses letters, digits and underscores only."));
        return nullptr;
    }
    NodeVariants &nv = *cmd->m_after;
    Variant *variant = findVariant(nv, variantId.toStdString());
    if (!variant) {
        setError(error, tr("Node %1 has no variant %2.").arg(nodeName, variantId));
        return nullptr;
    }
    if (newId != variantId && nv.variant(newId.toStdString())) {
        setError(error, tr("Node %1 already has a variant %2.").arg(nodeName, newId));
        return nullptr;
    }
    variant->id = newId.toStdString();
    if (nv.defaultVariantId == variantId.toStdString()) {
        nv.defaultVariantId = newId.toStdString();
    }
    if (cmd->m_activeAfter == variantId) {
        cmd->m_activeAfter = newId;
    }
    return cmd;
}

QString VariantCommand::notes(const Variant &variant)
{
    if (!variant.extra.is_object()) {
        return {};
    }
    const auto ns = variant.extra.find("flowbench");
    if (ns == variant.extra.end() || !ns->is_object()) {
        return {};
    }
    const auto text = ns->find("notes");
    return text != ns->end() && text->is_string() ? QString::fromStdString(text->get<std::string>())
                                                  : QString();
}

std::unique_ptr<VariantCommand>
VariantCommand::describe(FlowGraphModel *model, const QString &nodeName, const QString &variantId,
                         const QString &description, const QString &notes, QString *error)
{
    std::unique_ptr<VariantCommand> cmd(
        new VariantCommand(model, nodeName, tr("Describe variant %1").arg(variantId)));
    Variant *variant = cmd->m_after ? findVariant(*cmd->m_after, variantId.toStdString()) : nullptr;
    if (!variant) {
        setError(error, tr("Node %1 has no variant %2.").arg(nodeName, variantId));
        return nullptr;
    }
    variant->description = description.toStdString();
    if (!variant->extra.is_object()) {
        variant->extra = Value::object();
    }
    if (notes.isEmpty()) {
        if (variant->extra.contains("flowbench") && variant->extra["flowbench"].is_object()) {
            variant->extra["flowbench"].erase("notes");
            if (variant->extra["flowbench"].empty()) {
                variant->extra.erase("flowbench");
            }
        }
    } else {
        Value &ns = variant->extra["flowbench"];
        if (!ns.is_object()) {
            ns = Value::object();
        }
        ns["notes"] = notes.toStdString();
    }
    return cmd;
}

std::unique_ptr<VariantCommand> VariantCommand::setDefault(FlowGraphModel *model,
                                                           const QString &nodeName,
                                                           const QString &variantId, QString *error)
{
    std::unique_ptr<VariantCommand> cmd(new VariantCommand(
        model, nodeName, tr("Make %1 the default variant of %2").arg(variantId, nodeName)));
    if (!cmd->m_after || !cmd->m_after->variant(variantId.toStdString())) {
        setError(error, tr("Node %1 has no variant %2.").arg(nodeName, variantId));
        return nullptr;
    }
    cmd->m_after->defaultVariantId = variantId.toStdString();
    return cmd;
}

std::unique_ptr<VariantCommand> VariantCommand::remove(FlowGraphModel *model,
                                                       const QString &nodeName,
                                                       const QString &variantId, QString *error)
{
    std::unique_ptr<VariantCommand> cmd(
        new VariantCommand(model, nodeName, tr("Delete variant %1").arg(variantId)));
    if (!cmd->m_after || !cmd->m_after->variant(variantId.toStdString())) {
        setError(error, tr("Node %1 has no variant %2.").arg(nodeName, variantId));
        return nullptr;
    }
    NodeVariants &nv = *cmd->m_after;
    if (nv.variants.size() < 2) {
        setError(error, tr("The last variant of a node cannot be deleted."));
        return nullptr;
    }
    const std::string id = variantId.toStdString();
    std::erase_if(nv.variants, [&](const Variant &v) { return v.id == id; });
    if (nv.defaultVariantId == id) {
        nv.defaultVariantId = nv.variants.front().id;
    }
    if (cmd->m_activeAfter == variantId) {
        cmd->m_activeAfter = QString::fromStdString(nv.defaultVariantId);
    }
    return cmd;
}

void VariantCommand::apply(const Node &stub, const std::optional<NodeVariants> &variants,
                           const QString &active)
{
    const NodeId id = m_model->nodeId(m_nodeName);
    m_model->setNodeAndVariants(id, stub, variants, m_variantsIndex);
    if (!active.isEmpty()) {
        m_model->setActiveVariant(id, active);
    }
}

void VariantCommand::redo() { apply(m_stubAfter, m_after, m_activeAfter); }

void VariantCommand::undo() { apply(m_stubBefore, m_before, m_activeBefore); }

} // namespace fb::ui
