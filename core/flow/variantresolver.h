#pragma once

#include <core/common/result.h>
#include <core/flow/flow.h>

#include <map>
#include <string>
#include <vector>

namespace fb {

/// Which variant to run for each variant node: node name -> variant id.
/// Nodes not named run their default_variant_id.
using VariantSelection = std::map<std::string, std::string>;

/// Produces the flow to execute: every `use_variants` stub is replaced by the full node of the
/// selected (or default) variant, keeping the stub's name. Fails, naming the node and id, when a
/// selected node has no variants or the id does not exist. Thread-safe.
class VariantResolver
{
public:
    [[nodiscard]] static Result<Flow> resolve(const Flow &flow, const VariantSelection &selection);

    /// Parses the CLI form "${node.variant_id}" (several may be joined by ',').
    [[nodiscard]] static Result<VariantSelection> parseSelection(const std::string &text);

    /// An experiment's selections: the cross product of the variant ids chosen per node
    /// (`choices`: node -> ids in the order given), plus, with `allVariants`, every variant of
    /// every variant node not in `choices`. Nodes in neither run their default. Ordered with
    /// the first node varying slowest. Fails naming the node/id when a node has no variants
    /// or an id does not exist. With no choices and !allVariants: one empty selection.
    [[nodiscard]] static Result<std::vector<VariantSelection>>
    crossProduct(const Flow &flow, const std::map<std::string, std::vector<std::string>> &choices,
                 bool allVariants);
};

} // namespace fb
