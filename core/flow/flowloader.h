#pragma once

#include <core/common/result.h>
#include <core/flow/flow.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace fb {

/// Bounds on what FlowLoader reads, so a hostile or broken flow.dag.yaml ends in an error
/// instead of exhausting memory or the stack. The defaults hold flows of a few hundred
/// thousand nodes.
struct FlowLoadLimits
{
    /// The size of flow.dag.yaml: kMaxFlowYamlBytes, 64 MiB.
    std::uint64_t maxFileBytes = kMaxFlowYamlBytes;
    /// YAML nodes (scalars, keys, sequences, mappings), those written in the file plus those
    /// alias expansion produces: 5,000,000 (bench/validate_scale's 200,000-node flow has 3.5
    /// million).
    std::size_t maxNodes = 5'000'000;
    /// Nodes produced by expanding aliases (*name repeats the whole node &name anchors, and an
    /// anchored node may itself hold aliases, so a 700-byte "billion laughs" file expands to
    /// billions of nodes): 100,000.
    std::size_t maxAliasNodes = 100'000;
    /// Nesting of sequences and mappings, aliases expanded: 100 levels.
    int maxDepth = 100;
};

/// Reads flow.dag.yaml (yaml-cpp's parser, into a compact YamlTree). Accepts a flow folder or
/// the YAML file itself.
/// Structural problems (YAML syntax, a field of the wrong kind, a missing required field)
/// fail with one Error whose message is "file:line:column: message"; semantic checks are
/// FlowValidator's job. Unknown keys at every level are kept in the `extra` members.
///
/// While the document is parsed it is held to FlowLoadLimits: a file that is not a
/// regular file (a FIFO, a device, a directory) is refused before it is opened; larger files,
/// more nodes, deeper nesting or larger alias expansion than the limits, an alias inside the
/// node it names (a recursive alias), and a quoted scalar whose closing quote is missing
/// (yaml-cpp would let it swallow the rest of the file) fail with the place where the limit
/// was crossed. Thread-safe (no shared state).
class FlowLoader
{
public:
    [[nodiscard]] static Result<Flow> load(const std::filesystem::path &flowDirOrFile);
    [[nodiscard]] static Result<Flow> load(const std::filesystem::path &flowDirOrFile,
                                           const FlowLoadLimits &limits);

    /// Parses YAML text; `file` is the path used in messages and as Flow::file,
    /// and its parent becomes Flow::dir.
    [[nodiscard]] static Result<Flow> loadFromString(std::string_view yaml,
                                                     const std::filesystem::path &file);
    [[nodiscard]] static Result<Flow> loadFromString(std::string_view yaml,
                                                     const std::filesystem::path &file,
                                                     const FlowLoadLimits &limits);
};

} // namespace fb
