#pragma once

#include <core/common/result.h>
#include <core/flow/flow.h>
#include <core/flow/flowloader.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fb {

/// One YAML document as a compact read-only tree, built from yaml-cpp's parse events in one
/// pass that YamlGuard holds to FlowLoadLimits, so nothing is built past a limit. An alias is
/// the node it names, shared, never copied (as in yaml-cpp's node graph, at a fraction of its
/// memory: about 40 bytes per node against several hundred, which made a 200,000-node flow
/// take 1.8 GB). Only the first document of the text is read, as YAML::Load does.
class YamlTree
{
public:
    enum class Kind : std::uint8_t { Undefined, Null, Scalar, Sequence, Map };

    /// A node of the tree: a handle, valid while the tree lives (and is not moved).
    class Node
    {
    public:
        Node() = default;

        [[nodiscard]] explicit operator bool() const { return kind() != Kind::Undefined; }
        [[nodiscard]] Kind kind() const;
        [[nodiscard]] bool isNull() const { return kind() == Kind::Null; }
        [[nodiscard]] bool isScalar() const { return kind() == Kind::Scalar; }
        [[nodiscard]] bool isSequence() const { return kind() == Kind::Sequence; }
        [[nodiscard]] bool isMap() const { return kind() == Kind::Map; }
        /// A scalar's text (empty for other kinds).
        [[nodiscard]] std::string scalar() const;
        /// yaml-cpp's tag: "?" for a plain scalar, "!" for a quoted or block one, else the
        /// tag written (e.g. "tag:yaml.org,2002:str" for !!str).
        [[nodiscard]] const std::string &tag() const;
        /// Where the node starts (1-based), or {} when unknown.
        [[nodiscard]] SourcePos pos() const;
        /// A sequence's items (empty for other kinds).
        [[nodiscard]] std::vector<Node> items() const;
        /// A mapping's key/value pairs in file order, duplicate keys included.
        [[nodiscard]] std::vector<std::pair<Node, Node>> entries() const;

    private:
        friend class YamlTree;
        Node(const YamlTree *tree, std::uint32_t index)
            : m_tree(tree)
            , m_index(index)
        {
        }
        const YamlTree *m_tree = nullptr;
        std::uint32_t m_index = 0;
    };

    /// Parses `text`; errors are Parse errors "file:line:column: message": a YAML syntax
    /// error (yaml-cpp's message), or a limit YamlGuard found crossed.
    [[nodiscard]] static Result<YamlTree> parse(std::string_view text, const std::string &file,
                                                const FlowLoadLimits &limits);

    /// The document's root; an Undefined node when the text holds no document.
    [[nodiscard]] Node root() const;

private:
    friend class Node;
    friend class YamlTreeBuilder;

    struct Item
    {
        Kind kind = Kind::Undefined;
        std::int32_t line = -1; ///< 0-based, as yaml-cpp's marks; -1 unknown
        std::int32_t column = -1;
        std::uint32_t tag = 0;    ///< index into m_tags
        std::uint32_t length = 0; ///< scalar bytes, or child count (keys and values for a map)
        std::uint64_t offset = 0; ///< into m_text (scalar) or m_children (collection)
    };

    std::vector<Item> m_items;             // m_items[0] is the Undefined node
    std::vector<std::uint32_t> m_children; // each collection's children, consecutive
    std::string m_text;                    // every scalar's text, consecutive
    std::vector<std::string> m_tags;       // distinct tags; m_tags[0] is ""
    std::uint32_t m_root = 0;
};

} // namespace fb
