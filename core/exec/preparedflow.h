#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/flow/flow.h>
#include <core/flow/variantresolver.h>
#include <core/template/template.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// A node input or output binding, compiled once: a literal, or a reference to a flow input or
/// to a node's output (with an optional key path).
struct PreparedBinding
{
    std::string name;
    Value literal;                      ///< when !reference
    std::optional<Reference> reference; ///< when the value is "${...}"
    int sourceNode = -1;                ///< index of the referenced node, or -1
};

struct PreparedNode
{
    Node node;             ///< the variant's full node when it is a variant node
    std::string variantId; ///< empty for nodes without variants
    std::filesystem::path sourceFile;
    std::optional<Template> tmpl; ///< llm and prompt nodes
    std::vector<PreparedBinding> inputs;
    std::optional<PreparedBinding> activateWhen;
    Value activateIs;
    std::vector<int> dependencies; ///< distinct node indices this node waits for
    std::vector<int> dependents;   ///< distinct node indices waiting for this node
};

/// A flow made ready to execute many times: variants resolved, templates parsed, references
/// compiled, dependencies computed. Immutable after prepare(); share it freely across threads
/// and lines. Failure: prepare() reports the first problem that would make every line fail
/// (unknown reference, cycle, unreadable or unparsable template), naming file and node.
class PreparedFlow
{
public:
    /// Template text by absolute, lexically normal file path, used instead of the file's contents
    /// on disk (an editor's unsaved buffers).
    using TemplateTexts = std::map<std::filesystem::path, std::string>;

    [[nodiscard]] static Result<std::shared_ptr<const PreparedFlow>>
    prepare(const Flow &flow, const VariantSelection &selection = {},
            const TemplateTexts *unsaved = nullptr);

    /// The flow after variant resolution.
    [[nodiscard]] const Flow &flow() const { return m_flow; }
    /// Nodes in the flow's order (aggregation nodes included).
    [[nodiscard]] const std::vector<PreparedNode> &nodes() const { return m_nodes; }
    /// Node indices in a dependency order (every node after the nodes it depends on).
    [[nodiscard]] const std::vector<int> &topologicalOrder() const { return m_order; }
    [[nodiscard]] const std::vector<PreparedBinding> &outputs() const { return m_outputs; }
    [[nodiscard]] int nodeIndex(const std::string &name) const;
    [[nodiscard]] bool hasAggregation() const;
    /// node name -> variant id that this preparation runs.
    [[nodiscard]] const VariantSelection &variants() const { return m_variants; }

    /// Applies defaults and declared types to the given flow inputs. Missing inputs without a
    /// default are an error naming them; unknown keys pass through.
    [[nodiscard]] Result<Value> prepareInputs(const Value &given) const;

private:
    Flow m_flow;
    std::vector<PreparedNode> m_nodes;
    std::vector<int> m_order;
    std::vector<PreparedBinding> m_outputs;
    VariantSelection m_variants;
};

} // namespace fb
