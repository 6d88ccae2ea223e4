#include <core/flow/flowedits.h>

#include <algorithm>
#include <set>

namespace fb {

namespace {

std::string q(const std::string &name) { return "'" + name + "'"; }

/// The node a reference names, or nullopt when `text` is no node reference.
std::optional<std::string> referencedNode(const std::string &text)
{
    const auto ref = Reference::parse(text);
    if (!ref || ref->kind != Reference::Kind::NodeOutput) {
        return std::nullopt;
    }
    return ref->name;
}

bool referencesNode(const Value &value, const std::string &name)
{
    return value.is_string() && referencedNode(value.get_ref<const std::string &>()) == name;
}

bool nodeReferences(const Node &node, const std::string &name)
{
    const bool inInputs
        = std::any_of(node.inputs.begin(), node.inputs.end(),
                      [&](const NodeInput &in) { return referencesNode(in.value, name); });
    return inInputs || (node.activate && referencedNode(node.activate->when) == name);
}

void renameInString(std::string &text, const std::string &oldName, const std::string &newName)
{
    if (auto renamed = FlowEdits::renamedReference(text, oldName, newName)) {
        text = std::move(*renamed);
    }
}

void renameInNode(Node &node, const std::string &oldName, const std::string &newName)
{
    for (auto &in : node.inputs) {
        if (!in.value.is_string()) {
            continue;
        }
        if (auto renamed = FlowEdits::renamedReference(in.value.get_ref<const std::string &>(),
                                                       oldName, newName)) {
            in.value = std::move(*renamed);
        }
    }
    if (node.activate) {
        renameInString(node.activate->when, oldName, newName);
    }
}

} // namespace

bool FlowEdits::isIdentifier(const std::string &text)
{
    const auto letter
        = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    return !text.empty() && letter(text.front())
           && std::all_of(text.begin(), text.end(), [&](char c) { return letter(c) || digit(c); });
}

bool FlowEdits::isReservedNodeName(const std::string &name)
{
    return name == "inputs" || name == "flow";
}

bool FlowEdits::isReferenceableName(const std::string &name)
{
    // Defined through the parser so that the two cannot drift apart.
    return referencedNode("${" + name + "}") == name;
}

bool FlowEdits::isValidNodeName(const std::string &name)
{
    return isIdentifier(name) && !isReservedNodeName(name);
}

bool FlowEdits::isReferenced(const Flow &flow, const std::string &name)
{
    const auto byNode = [&](const Node &node) { return nodeReferences(node, name); };
    if (std::any_of(flow.nodes.begin(), flow.nodes.end(), byNode)) {
        return true;
    }
    for (const auto &nv : flow.nodeVariants) {
        for (const auto &variant : nv.variants) {
            if (byNode(variant.node)) {
                return true;
            }
        }
    }
    return std::any_of(flow.outputs.begin(), flow.outputs.end(), [&](const FlowOutput &out) {
        return referencedNode(out.reference) == name;
    });
}

Result<void> FlowEdits::checkNameAvailable(const Flow &flow, const std::string &name)
{
    if (name.empty()) {
        return fail(ErrorCode::InvalidArgument, "a node name cannot be empty");
    }
    if (isReservedNodeName(name)) {
        return fail(ErrorCode::InvalidArgument,
                    "node name " + q(name) + " is reserved: ${" + name + ".x} means a flow input");
    }
    if (!isIdentifier(name)) {
        return fail(ErrorCode::InvalidArgument,
                    "node name " + q(name)
                        + " is not valid: use letters, digits and '_', not starting with a digit");
    }
    if (flow.node(name)) {
        return fail(ErrorCode::InvalidArgument, "there is already a node " + q(name));
    }
    if (flow.variantsOf(name)) {
        return fail(ErrorCode::InvalidArgument,
                    "node_variants already has an entry " + q(name) + " (without a node)");
    }
    if (isReferenced(flow, name)) {
        return fail(ErrorCode::InvalidArgument,
                    "a reference already names " + q(name)
                        + " though no node has that name; the new node would take it over");
    }
    return {};
}

bool FlowEdits::isNameAvailable(const Flow &flow, const std::string &name)
{
    return checkNameAvailable(flow, name).has_value();
}

Result<void> FlowEdits::renameNode(Flow &flow, const std::string &oldName,
                                   const std::string &newName)
{
    if (!flow.node(oldName)) {
        return fail(ErrorCode::NotFound, "there is no node " + q(oldName) + " to rename");
    }
    if (oldName == newName) {
        return {};
    }
    if (auto available = checkNameAvailable(flow, newName); !available) {
        return std::move(available).error();
    }
    applyRename(flow, oldName, newName);
    return {};
}

bool FlowEdits::applyRename(Flow &flow, const std::string &oldName, const std::string &newName)
{
    Node *node = flow.node(oldName);
    if (!node) {
        return false;
    }
    if (oldName == newName) {
        return true;
    }
    node->name = newName;
    for (auto &nv : flow.nodeVariants) {
        if (nv.nodeName == oldName) {
            nv.nodeName = newName;
            for (auto &variant : nv.variants) {
                variant.node.name = newName;
            }
        }
    }
    for (auto &n : flow.nodes) {
        renameInNode(n, oldName, newName);
    }
    for (auto &nv : flow.nodeVariants) {
        for (auto &variant : nv.variants) {
            renameInNode(variant.node, oldName, newName);
        }
    }
    for (auto &out : flow.outputs) {
        renameInString(out.reference, oldName, newName);
    }
    return true;
}

std::optional<std::string> FlowEdits::renamedReference(const std::string &text,
                                                       const std::string &oldName,
                                                       const std::string &newName)
{
    if (referencedNode(text) != oldName) {
        return std::nullopt;
    }
    // A parsed node reference is "${" + name + the rest ("}" or ".output...}").
    return "${" + newName + text.substr(2 + oldName.size());
}

namespace {

// Shared by the Flow and FlowIndex overloads: `Source` answers node() and variantsOf().
template <typename Source>
std::vector<const Node *> bodiesIn(const Source &source, const Node &node)
{
    std::vector<const Node *> bodies;
    if (!node.useVariants) {
        bodies.push_back(&node);
        return bodies;
    }
    if (const NodeVariants *nv = source.variantsOf(node.name)) {
        for (const auto &variant : nv->variants) {
            bodies.push_back(&variant.node);
        }
    }
    return bodies;
}

template <typename Source>
std::vector<std::string> dependenciesIn(const Source &source, const std::string &nodeName)
{
    std::vector<std::string> deps;
    const Node *node = source.node(nodeName);
    if (!node) {
        return deps;
    }
    std::set<std::string> seen; // not a search of `deps`: a node may read thousands of nodes
    const auto add = [&](const std::string &text) {
        auto name = referencedNode(text);
        if (name && source.node(*name) && seen.insert(*name).second) {
            deps.push_back(std::move(*name));
        }
    };
    for (const Node *body : bodiesIn(source, *node)) {
        for (const auto &in : body->inputs) {
            if (in.value.is_string()) {
                add(in.value.get_ref<const std::string &>());
            }
        }
        if (body->activate) {
            add(body->activate->when);
        }
    }
    return deps;
}

} // namespace

std::vector<const Node *> FlowEdits::bodiesOf(const Flow &flow, const Node &node)
{
    return bodiesIn(flow, node);
}

std::vector<const Node *> FlowEdits::bodiesOf(const FlowIndex &index, const Node &node)
{
    return bodiesIn(index, node);
}

std::vector<std::string> FlowEdits::dependenciesOf(const Flow &flow, const std::string &nodeName)
{
    return dependenciesIn(flow, nodeName);
}

std::vector<std::string> FlowEdits::dependenciesOf(const FlowIndex &index,
                                                   const std::string &nodeName)
{
    return dependenciesIn(index, nodeName);
}

bool FlowEdits::dependsOn(const Flow &flow, const std::string &node, const std::string &dependency)
{
    const FlowIndex index(flow); // one walk may visit every node
    std::vector<std::string> stack = dependenciesOf(index, node);
    std::set<std::string> seen;
    while (!stack.empty()) {
        const std::string current = std::move(stack.back());
        stack.pop_back();
        if (current == dependency) {
            return true;
        }
        if (!seen.insert(current).second) {
            continue;
        }
        for (auto &dep : dependenciesOf(index, current)) {
            stack.push_back(std::move(dep));
        }
    }
    return false;
}

bool FlowEdits::wouldCreateCycle(const Flow &flow, const std::string &fromNode,
                                 const std::string &toNode)
{
    return fromNode == toNode || dependsOn(flow, fromNode, toNode);
}

} // namespace fb
