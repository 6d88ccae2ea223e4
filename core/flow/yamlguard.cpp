#include <core/flow/yamlguard_p.h>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <vector>

namespace fb {

namespace {

/// Thrown by the event handler to stop the parser at the first limit crossed.
struct LimitCrossed
{
    YAML::Mark mark;
    std::string message;
};

/// Counts what the parser reports. Sizes and heights of anchored nodes include what their own
/// aliases expand to, so an alias is charged exactly the nodes its expansion would build.
class Counter final : public YAML::EventHandler
{
public:
    Counter(std::string_view text, const FlowLoadLimits &limits)
        : m_text(text)
        , m_limits(limits)
    {
        // yaml-cpp's marks count bytes after a UTF-8 byte-order mark.
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF") {
            m_text.remove_prefix(3);
        }
    }

    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}

    void OnAnchor(const YAML::Mark &, const std::string &name) override { m_pendingName = name; }

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }

    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                  const std::string &) override
    {
        // yaml-cpp tags plain scalars "?"; quoted and block scalars "!", or their own tag.
        if (tag != "?") {
            checkClosingQuote(mark);
        }
        leaf(mark, anchor);
    }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        if (anchor >= m_anchors.size() || !m_anchors[anchor].complete) {
            throw LimitCrossed{mark, "the alias " + aliasName(anchor)
                                         + " is inside the node it names (a recursive alias)"};
        }
        const Anchor &a = m_anchors[anchor];
        m_aliasNodes += a.size;
        m_produced += a.size;
        if (m_aliasNodes > m_limits.maxAliasNodes) {
            throw LimitCrossed{mark, "aliases expand to more than "
                                         + std::to_string(m_limits.maxAliasNodes)
                                         + " YAML nodes, the limit on alias expansion"};
        }
        checkNodeCount(mark);
        reach(mark, depth() + a.height - 1);
    }

    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(mark, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(mark, anchor);
    }
    void OnMapEnd() override { close(); }

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

    void leaf(const YAML::Mark &mark, YAML::anchor_t anchor)
    {
        ++m_produced;
        checkNodeCount(mark);
        reach(mark, depth());
        if (anchor != 0) {
            Anchor &a = define(anchor);
            a.size = 1;
            a.height = 1;
            a.complete = true;
        }
    }

    void open(const YAML::Mark &mark, YAML::anchor_t anchor)
    {
        ++m_produced;
        checkNodeCount(mark);
        reach(mark, depth());
        if (anchor != 0) {
            define(anchor);
        }
        m_stack.push_back({anchor, m_produced - 1, depth()});
    }

    void close()
    {
        const Frame frame = m_stack.back();
        m_stack.pop_back();
        if (frame.anchor != 0) {
            Anchor &a = m_anchors[frame.anchor];
            a.size = m_produced - frame.producedAtStart;
            a.height = frame.deepest - depth() + 1;
            a.complete = true;
        }
        if (!m_stack.empty()) {
            m_stack.back().deepest = std::max(m_stack.back().deepest, frame.deepest);
        }
    }

    Anchor &define(YAML::anchor_t anchor)
    {
        if (anchor >= m_anchors.size()) {
            m_anchors.resize(anchor + 1);
        }
        Anchor &a = m_anchors[anchor];
        a.name = std::move(m_pendingName);
        m_pendingName.clear();
        return a;
    }

    void reach(const YAML::Mark &mark, int level)
    {
        if (level > m_limits.maxDepth) {
            throw LimitCrossed{mark, "YAML nested more than " + std::to_string(m_limits.maxDepth)
                                         + " levels deep (the limit)"};
        }
        if (!m_stack.empty()) {
            m_stack.back().deepest = std::max(m_stack.back().deepest, level);
        }
    }

    void checkNodeCount(const YAML::Mark &mark) const
    {
        if (m_produced > m_limits.maxNodes) {
            throw LimitCrossed{mark, "more than " + std::to_string(m_limits.maxNodes)
                                         + " YAML nodes (the limit, counting alias expansion)"};
        }
    }

    [[nodiscard]] std::string aliasName(YAML::anchor_t anchor) const
    {
        if (anchor < m_anchors.size() && !m_anchors[anchor].name.empty()) {
            return "*" + m_anchors[anchor].name;
        }
        return "here";
    }

    /// A quoted scalar must end with its quote before the end of the text. The scalar's mark
    /// may sit on its anchor or tag; skip those (and blanks or comments) to reach the quote.
    void checkClosingQuote(const YAML::Mark &mark) const
    {
        if (mark.pos < 0) {
            return;
        }
        std::size_t i = std::size_t(mark.pos);
        const std::size_t n = m_text.size();
        while (i < n && (m_text[i] == '&' || m_text[i] == '!')) {
            while (i < n && !isBlank(m_text[i])) {
                ++i;
            }
            while (i < n && (isBlank(m_text[i]) || m_text[i] == '#')) {
                if (m_text[i] == '#') {
                    while (i < n && m_text[i] != '\n') {
                        ++i;
                    }
                } else {
                    ++i;
                }
            }
        }
        if (i >= n || (m_text[i] != '"' && m_text[i] != '\'')) {
            return; // a block scalar (| or >), or a mark we cannot place: nothing to check
        }
        const char quote = m_text[i];
        for (std::size_t j = i + 1; j < n; ++j) {
            if (quote == '"' && m_text[j] == '\\') {
                ++j; // an escape: the next character is never the closing quote
            } else if (m_text[j] == quote) {
                if (quote == '\'' && j + 1 < n && m_text[j + 1] == '\'') {
                    ++j; // '' inside single quotes is one quote
                } else {
                    return;
                }
            }
        }
        throw LimitCrossed{mark, std::string("unclosed ") + (quote == '"' ? "double" : "single")
                                     + " quote: the quoted text starting here has no closing "
                                     + quote + " before the end of the file"};
    }

    static bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    std::string_view m_text;
    const FlowLoadLimits &m_limits;
    std::vector<Frame> m_stack;
    std::vector<Anchor> m_anchors; // by yaml-cpp's anchor id (1, 2, ...)
    std::string m_pendingName;
    std::uint64_t m_produced = 0;   // nodes written plus nodes from alias expansion
    std::uint64_t m_aliasNodes = 0; // nodes from alias expansion
};

} // namespace

Result<void> YamlGuard::check(std::string_view yaml, const std::string &file,
                              const FlowLoadLimits &limits)
{
    std::istringstream in{std::string(yaml)};
    YAML::Parser parser(in);
    Counter counter(yaml, limits);
    try {
        parser.HandleNextDocument(counter);
    } catch (const LimitCrossed &crossed) {
        std::string where = file;
        if (crossed.mark.line >= 0 && crossed.mark.column >= 0) {
            where += ':' + std::to_string(crossed.mark.line + 1) + ':'
                     + std::to_string(crossed.mark.column + 1);
        }
        return fail(ErrorCode::Parse, where + ": " + crossed.message);
    }
    return {};
}

} // namespace fb
