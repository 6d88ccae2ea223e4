#pragma once

#include <core/common/diagnostic.h>
#include <core/flow/flow.h>

#include <vector>

namespace fb {

/// Semantic checks on a loaded flow, reporting every problem at once, each at the file, line
/// and column of the offending YAML element: unknown references (inputs, nodes, output keys),
/// cycles, missing template/code files, unreadable or unparsable templates (at the template's
/// own file:line), duplicate names, type mismatches of literal defaults and inputs, a template
/// variable named like an API parameter, variant stubs without node_variants, bad or missing
/// default_variant_id, activate without when/is, aggregation nodes feeding per-line nodes,
/// outputs referencing aggregation nodes, unknown node or source types. Thread-safe.
class FlowValidator
{
public:
    [[nodiscard]] static std::vector<Diagnostic> validate(const Flow &flow);
};

} // namespace fb
