#pragma once

#include <core/common/result.h>
#include <core/flow/flowloader.h>

#include <string>
#include <string_view>

namespace fb {

/// A pass over a YAML document's parse events, before anything is built from it, that holds
/// it to FlowLoadLimits: nodes written plus nodes alias expansion would produce, nodes from
/// alias expansion alone, nesting depth (aliases expanded); an alias inside the node it
/// names is refused, and so is a quoted scalar without its closing quote (yaml-cpp 0.7 takes
/// the rest of the file into it). Only the first document is checked, as YAML::Load reads
/// only that one. Memory: one entry per anchor; time: linear in the text.
class YamlGuard
{
public:
    /// Fails with a Parse error "file:line:column: message" at the place the document
    /// crosses a limit. A YAML syntax error is left to the caller: it throws the
    /// YAML::Exception yaml-cpp threw.
    [[nodiscard]] static Result<void> check(std::string_view yaml, const std::string &file,
                                            const FlowLoadLimits &limits);
};

} // namespace fb
