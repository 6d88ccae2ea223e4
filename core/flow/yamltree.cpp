#include <core/flow/yamltree_p.h>

#include <core/flow/yamlguard_p.h>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

namespace fb {

/// Builds a YamlTree from yaml-cpp's events, each first shown to a YamlGuard.
class YamlTreeBuilder final : public YAML::EventHandler
{
public:
    YamlTreeBuilder(YamlTree &tree, std::string_view text, const FlowLoadLimits &limits)
        : m_tree(tree)
        , m_guard(text, limits)
    {
        m_tree.m_items.emplace_back(); // index 0: Undefined
        m_tree.m_tags.emplace_back();
    }

    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}

    void OnAnchor(const YAML::Mark &, const std::string &name) override { m_guard.onAnchor(name); }

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        m_guard.onNull(mark, anchor);
        attach(add(YamlTree::Kind::Null, mark, {}), anchor);
    }

    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                  const std::string &value) override
    {
        m_guard.onScalar(mark, tag, anchor);
        const std::uint32_t index = add(YamlTree::Kind::Scalar, mark, tag);
        YamlTree::Item &item = m_tree.m_items[index];
        item.offset = m_tree.m_text.size();
        item.length = std::uint32_t(value.size());
        m_tree.m_text += value;
        attach(index, anchor);
    }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        m_guard.onAlias(mark, anchor); // refuses an alias to an open or unknown anchor
        attach(m_anchors.at(anchor), 0);
    }

    void OnSequenceStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(YamlTree::Kind::Sequence, mark, tag, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(YamlTree::Kind::Map, mark, tag, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    std::uint32_t add(YamlTree::Kind kind, const YAML::Mark &mark, const std::string &tag)
    {
        YamlTree::Item item;
        item.kind = kind;
        item.line = mark.line;
        item.column = mark.column;
        item.tag = tagIndex(tag);
        m_tree.m_items.push_back(item);
        return std::uint32_t(m_tree.m_items.size() - 1);
    }

    std::uint32_t tagIndex(const std::string &tag)
    {
        if (tag.empty()) {
            return 0;
        }
        const auto [it, added] = m_tagIndex.try_emplace(tag, std::uint32_t(m_tree.m_tags.size()));
        if (added) {
            m_tree.m_tags.push_back(tag);
        }
        return it->second;
    }

    /// Makes `index` the next child of the open collection, or the root.
    void attach(std::uint32_t index, YAML::anchor_t anchor)
    {
        if (anchor != 0) {
            if (anchor >= m_anchors.size()) {
                m_anchors.resize(anchor + 1, 0);
            }
            m_anchors[anchor] = index;
        }
        if (m_open.empty()) {
            if (m_tree.m_root == 0) {
                m_tree.m_root = index;
            }
        } else {
            m_pending.push_back(index);
        }
    }

    void open(YamlTree::Kind kind, const YAML::Mark &mark, const std::string &tag,
              YAML::anchor_t anchor)
    {
        m_guard.onCollectionStart(mark, anchor);
        const std::uint32_t index = add(kind, mark, tag);
        attach(index, anchor);
        m_open.push_back({index, m_pending.size()});
    }

    void close()
    {
        m_guard.onCollectionEnd();
        const Open frame = m_open.back();
        m_open.pop_back();
        YamlTree::Item &item = m_tree.m_items[frame.item];
        item.offset = m_tree.m_children.size();
        item.length = std::uint32_t(m_pending.size() - frame.firstPending);
        m_tree.m_children.insert(m_tree.m_children.end(),
                                 m_pending.begin() + std::ptrdiff_t(frame.firstPending),
                                 m_pending.end());
        m_pending.resize(frame.firstPending);
    }

    struct Open
    {
        std::uint32_t item;
        std::size_t firstPending;
    };

    YamlTree &m_tree;
    YamlGuard m_guard;
    std::vector<Open> m_open;
    std::vector<std::uint32_t> m_pending; // children of the open collections, innermost last
    std::vector<std::uint32_t> m_anchors; // item index by yaml-cpp's anchor id
    std::unordered_map<std::string, std::uint32_t> m_tagIndex;
};

Result<YamlTree> YamlTree::parse(std::string_view text, const std::string &file,
                                 const FlowLoadLimits &limits)
{
    const auto at = [&](const YAML::Mark &mark) {
        std::string where = file;
        if (!mark.is_null() && mark.line >= 0 && mark.column >= 0) {
            where += ':' + std::to_string(mark.line + 1) + ':' + std::to_string(mark.column + 1);
        }
        return where;
    };
    YamlTree tree;
    {
        std::istringstream in{std::string(text)};
        YAML::Parser parser(in);
        YamlTreeBuilder builder(tree, text, limits);
        try {
            parser.HandleNextDocument(builder);
        } catch (const YamlGuard::Crossed &crossed) {
            return fail(ErrorCode::Parse, at(crossed.mark) + ": " + crossed.message);
        } catch (const YAML::Exception &e) {
            return fail(ErrorCode::Parse, at(e.mark) + ": YAML syntax error: " + e.msg);
        }
    }
    return tree;
}

YamlTree::Node YamlTree::root() const { return Node(this, m_root); }

YamlTree::Kind YamlTree::Node::kind() const
{
    return m_tree ? m_tree->m_items[m_index].kind : Kind::Undefined;
}

std::string YamlTree::Node::scalar() const
{
    if (!m_tree || m_tree->m_items[m_index].kind != Kind::Scalar) {
        return {};
    }
    const Item &item = m_tree->m_items[m_index];
    return m_tree->m_text.substr(item.offset, item.length);
}

const std::string &YamlTree::Node::tag() const
{
    static const std::string none;
    return m_tree ? m_tree->m_tags[m_tree->m_items[m_index].tag] : none;
}

SourcePos YamlTree::Node::pos() const
{
    if (!m_tree || m_tree->m_items[m_index].line < 0 || m_tree->m_items[m_index].column < 0) {
        return {};
    }
    const Item &item = m_tree->m_items[m_index];
    return {item.line + 1, item.column + 1};
}

std::vector<YamlTree::Node> YamlTree::Node::items() const
{
    std::vector<Node> out;
    if (kind() != Kind::Sequence) {
        return out;
    }
    const Item &item = m_tree->m_items[m_index];
    out.reserve(item.length);
    for (std::uint32_t i = 0; i < item.length; ++i) {
        out.push_back(Node(m_tree, m_tree->m_children[item.offset + i]));
    }
    return out;
}

std::vector<std::pair<YamlTree::Node, YamlTree::Node>> YamlTree::Node::entries() const
{
    std::vector<std::pair<Node, Node>> out;
    if (kind() != Kind::Map) {
        return out;
    }
    const Item &item = m_tree->m_items[m_index];
    out.reserve(item.length / 2);
    for (std::uint32_t i = 0; i + 1 < item.length; i += 2) {
        out.emplace_back(Node(m_tree, m_tree->m_children[item.offset + i]),
                         Node(m_tree, m_tree->m_children[item.offset + i + 1]));
    }
    return out;
}

} // namespace fb
