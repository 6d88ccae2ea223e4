#pragma once

#include <core/common/result.h>
#include <core/flow/flow.h>

#include <map>
#include <string>

namespace fb {

/// Canonical form and content hash of a flow. The canonical form is a deterministic JSON text
/// of the flow's semantics (key order fixed, positions and the folder path left out), so two
/// loads of the same flow give the same text. The content hash is SHA-256 over the canonical
/// form plus the bytes of every file the flow's nodes name (templates, code), so any change to
/// the YAML, a template or the code gives a new hash. Thread-safe.
class FlowHasher
{
public:
    [[nodiscard]] static std::string canonicalForm(const Flow &flow);
    /// Fails when a referenced file cannot be read (the error names it).
    [[nodiscard]] static Result<std::string> contentHash(const Flow &flow);
    /// The files the hash covers: every source path a node or a variant names, once, in path
    /// order (as written in the flow; Flow::resolvePath finds them), with the first node that
    /// names it.
    [[nodiscard]] static std::map<std::string, std::string> sourceFiles(const Flow &flow);
};

} // namespace fb
