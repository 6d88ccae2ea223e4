#pragma once

#include <core/common/result.h>
#include <core/flow/flow.h>
#include <core/flow/flowindex.h>

#include <optional>
#include <string>
#include <vector>

namespace fb {

/// The rules for editing a flow, shared by the flow editor and FlowValidator: which node names
/// are valid and free, renaming a node together with every `${...}` reference to it, and which
/// nodes depend on which (for connectability and cycles).
///
/// Dependencies are read over every body a node name may run: the node itself, or each
/// variant of a `use_variants` stub, so a cycle through any variant counts. A reference is
/// what Reference::parse accepts; malformed `${...}` texts are neither followed nor rewritten.
/// References to nodes that do not exist are ignored by the dependency queries.
///
/// Stateless; all functions are thread-safe as long as no other thread writes the flow.
class FlowEdits
{
public:
    /// True for `^[A-Za-z_][A-Za-z0-9_]*$`: promptflow's rule for variant ids, and ours for
    /// node names the editor creates.
    [[nodiscard]] static bool isIdentifier(const std::string &text);
    /// True for "inputs" and "flow": `${inputs.x}` and `${flow.x}` name flow inputs.
    [[nodiscard]] static bool isReservedNodeName(const std::string &name);
    /// True when `${name}` parses as a reference to node `name`: not empty, not reserved, and
    /// free of '.', '$', braces and whitespace. The loose rule that loaded flows must meet.
    [[nodiscard]] static bool isReferenceableName(const std::string &name);
    /// True when `name` is an identifier and not reserved: the rule for new or renamed nodes.
    [[nodiscard]] static bool isValidNodeName(const std::string &name);

    /// True when some node input, activate.when (of nodes and variants) or flow output holds a
    /// reference to node `name`, whether or not that node exists.
    [[nodiscard]] static bool isReferenced(const Flow &flow, const std::string &name);
    /// Succeeds when a node may be given `name`: it is valid, no node or node_variants entry
    /// has it, and no reference names it (a dangling `${name.output}` would silently connect
    /// to the new node). Fails with ErrorCode::InvalidArgument and a message saying why.
    [[nodiscard]] static Result<void> checkNameAvailable(const Flow &flow, const std::string &name);
    /// checkNameAvailable(flow, name).has_value().
    [[nodiscard]] static bool isNameAvailable(const Flow &flow, const std::string &name);

    /// Renames node `oldName` to `newName` after checking the new name (checkNameAvailable),
    /// then rewrites the name as applyRename does. Renaming a node to its own name succeeds
    /// and changes nothing. Fails with NotFound when there is no node `oldName`, and with
    /// InvalidArgument when `newName` is unusable; the flow is then unchanged.
    [[nodiscard]] static Result<void> renameNode(Flow &flow, const std::string &oldName,
                                                 const std::string &newName);
    /// Renames without checking `newName`: the node, its node_variants entry and variant nodes,
    /// and every reference to `oldName` in node and variant inputs, activate.when and flow
    /// outputs (`${old}`, `${old.output}`, `${old.output.key}` keep their form). For undoing a
    /// rename, which must restore a name the rules may not accept (a loaded `my-node`).
    /// Returns false, changing nothing, when there is no node `oldName`.
    static bool applyRename(Flow &flow, const std::string &oldName, const std::string &newName);
    /// `text` with its reference to node `oldName` renamed, or nullopt when `text` is not a
    /// reference to that node.
    [[nodiscard]] static std::optional<std::string> renamedReference(const std::string &text,
                                                                     const std::string &oldName,
                                                                     const std::string &newName);

    /// The bodies that may run under `node`: the node itself, or every variant's node of a
    /// `use_variants` stub (none when its node_variants entry is missing). Pointers into
    /// `flow`.
    [[nodiscard]] static std::vector<const Node *> bodiesOf(const Flow &flow, const Node &node);
    /// The same through an index of the flow (constant-time lookups).
    [[nodiscard]] static std::vector<const Node *> bodiesOf(const FlowIndex &index,
                                                            const Node &node);
    /// The existing nodes whose output node `nodeName` reads, through the inputs or
    /// activate.when of any of its bodies; each once, in the order first referenced. For
    /// duplicate names the first node counts. Empty when there is no such node.
    [[nodiscard]] static std::vector<std::string> dependenciesOf(const Flow &flow,
                                                                 const std::string &nodeName);
    /// The same through an index of the flow: linear in the node's references, not in the
    /// flow's size.
    [[nodiscard]] static std::vector<std::string> dependenciesOf(const FlowIndex &index,
                                                                 const std::string &nodeName);
    /// True when node `node` reads the output of `dependency`, directly or through other
    /// nodes. A node depends on itself only when it lies on a cycle.
    [[nodiscard]] static bool dependsOn(const Flow &flow, const std::string &node,
                                        const std::string &dependency);
    /// True when making node `toNode` read the output of node `fromNode` would close a cycle:
    /// they are the same node, or `fromNode` already depends on `toNode`.
    [[nodiscard]] static bool wouldCreateCycle(const Flow &flow, const std::string &fromNode,
                                               const std::string &toNode);
};

} // namespace fb
