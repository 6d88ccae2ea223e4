#pragma once

#include <core/common/diagnostic.h>
#include <core/flow/flow.h>

#include <filesystem>
#include <map>
#include <string>
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
    /// Template and code texts by absolute, lexically normal path, used instead of the files
    /// (an editor's unsaved buffers, a file not written yet).
    using Texts = std::map<std::filesystem::path, std::string>;

    [[nodiscard]] static std::vector<Diagnostic> validate(const Flow &flow);
    /// The same, with `texts` standing in for files: a source file that exists only there is
    /// not missing, and its text is what is checked.
    [[nodiscard]] static std::vector<Diagnostic> validate(const Flow &flow, const Texts &texts);
};

} // namespace fb
