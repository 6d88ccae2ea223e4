#pragma once

#include <core/flow/flowloader.h>

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/mark.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Holds one YAML document's parse events, as they come, to FlowLoadLimits: nodes written
/// plus nodes alias expansion would produce, nodes from alias expansion alone, nesting depth
/// (aliases expanded); an alias inside the node it names is refused, and so is a quoted
/// scalar without its closing quote (yaml-cpp 0.7 takes the rest of the file into it; checked
/// in UTF-8 text only).
/// Sizes and heights of anchored nodes include what their own aliases expand to, so an alias
/// is charged exactly what its expansion would build. Memory: one entry per anchor and per
/// open collection; time: linear in the text. Each hook throws Crossed at the first limit
/// crossed, which stops yaml-cpp's parser.
class YamlGuard
{
public:
    struct Crossed
    {
        YAML::Mark mark;
        std::string message;
    };

    /// `text` is the document's source, for the quote check; the limits are referenced.
    YamlGuard(std::string_view text, const FlowLoadLimits &limits);

    void onAnchor(const std::string &name);
    void onNull(const YAML::Mark &mark, YAML::anchor_t anchor);
    void onScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor);
    void onAlias(const YAML::Mark &mark, YAML::anchor_t anchor);
    void onCollectionStart(const YAML::Mark &mark, YAML::anchor_t anchor);
    void onCollectionEnd();

private:
    struct Anchor
    {
        std::string name;
        std::uint64_t size = 0; ///< nodes the anchored node holds, its aliases expanded
        int height = 0;         ///< levels it spans, its aliases expanded
        bool complete = false;  ///< false while the node is still open
    };
    struct Frame
    {
        YAML::anchor_t anchor = 0;
        std::uint64_t producedAtStart = 0;
        int deepest = 0; ///< the deepest level reached inside, aliases expanded
    };

    /// Depth of a node that would start now (1 for the document's root).
    [[nodiscard]] int depth() const { return int(m_stack.size()) + 1; }
    void leaf(const YAML::Mark &mark, YAML::anchor_t anchor);
    Anchor &define(YAML::anchor_t anchor);
    void reach(const YAML::Mark &mark, int level);
    void checkNodeCount(const YAML::Mark &mark) const;
    [[nodiscard]] std::string aliasName(YAML::anchor_t anchor) const;
    void checkClosingQuote(const YAML::Mark &mark) const;

    std::string_view m_text;
    const FlowLoadLimits &m_limits;
    std::vector<Frame> m_stack;
    std::vector<Anchor> m_anchors; // by yaml-cpp's anchor id (1, 2, ...)
    std::string m_pendingName;
    std::uint64_t m_produced = 0;   // nodes written plus nodes from alias expansion
    std::uint64_t m_aliasNodes = 0; // nodes from alias expansion
};

} // namespace fb
