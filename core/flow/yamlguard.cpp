#include <core/flow/yamlguard_p.h>

#include <algorithm>

namespace fb {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

} // namespace

YamlGuard::YamlGuard(std::string_view text, const FlowLoadLimits &limits)
    : m_text(text)
    , m_limits(limits)
{
    // yaml-cpp's marks count bytes after a UTF-8 byte-order mark. In UTF-16 or UTF-32 text
    // (a byte-order mark, or a NUL among the first bytes, as YAML detects them) they count
    // decoded characters, which cannot be found in the bytes: no quote check there.
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") {
        m_text.remove_prefix(3);
    } else if (m_text.substr(0, 2) == "\xFE\xFF" || m_text.substr(0, 2) == "\xFF\xFE"
               || m_text.substr(0, 4).find('\0') != std::string_view::npos) {
        m_text = {};
    }
}

void YamlGuard::onAnchor(const std::string &name) { m_pendingName = name; }

void YamlGuard::onNull(const YAML::Mark &mark, YAML::anchor_t anchor) { leaf(mark, anchor); }

void YamlGuard::onScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor)
{
    // yaml-cpp tags plain scalars "?"; quoted and block scalars "!", or their own tag.
    if (tag != "?") {
        checkClosingQuote(mark);
    }
    leaf(mark, anchor);
}

void YamlGuard::onAlias(const YAML::Mark &mark, YAML::anchor_t anchor)
{
    if (anchor >= m_anchors.size() || !m_anchors[anchor].complete) {
        throw Crossed{mark, "the alias " + aliasName(anchor)
                                + " is inside the node it names (a recursive alias)"};
    }
    const Anchor &a = m_anchors[anchor];
    m_aliasNodes += a.size;
    m_produced += a.size;
    if (m_aliasNodes > m_limits.maxAliasNodes) {
        throw Crossed{mark, "aliases expand to more than " + std::to_string(m_limits.maxAliasNodes)
                                + " YAML nodes, the limit on alias expansion"};
    }
    checkNodeCount(mark);
    reach(mark, depth() + a.height - 1);
}

void YamlGuard::onCollectionStart(const YAML::Mark &mark, YAML::anchor_t anchor)
{
    ++m_produced;
    checkNodeCount(mark);
    reach(mark, depth());
    if (anchor != 0) {
        define(anchor);
    }
    m_stack.push_back({anchor, m_produced - 1, depth()});
}

void YamlGuard::onCollectionEnd()
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

void YamlGuard::leaf(const YAML::Mark &mark, YAML::anchor_t anchor)
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

YamlGuard::Anchor &YamlGuard::define(YAML::anchor_t anchor)
{
    if (anchor >= m_anchors.size()) {
        m_anchors.resize(anchor + 1);
    }
    Anchor &a = m_anchors[anchor];
    a.name = std::move(m_pendingName);
    m_pendingName.clear();
    return a;
}

void YamlGuard::reach(const YAML::Mark &mark, int level)
{
    if (level > m_limits.maxDepth) {
        throw Crossed{mark, "YAML nested more than " + std::to_string(m_limits.maxDepth)
                                + " levels deep (the limit)"};
    }
    if (!m_stack.empty()) {
        m_stack.back().deepest = std::max(m_stack.back().deepest, level);
    }
}

void YamlGuard::checkNodeCount(const YAML::Mark &mark) const
{
    if (m_produced > m_limits.maxNodes) {
        throw Crossed{mark, "more than " + std::to_string(m_limits.maxNodes)
                                + " YAML nodes (the limit, counting alias expansion)"};
    }
}

std::string YamlGuard::aliasName(YAML::anchor_t anchor) const
{
    if (anchor < m_anchors.size() && !m_anchors[anchor].name.empty()) {
        return "*" + m_anchors[anchor].name;
    }
    return "here";
}

void YamlGuard::checkClosingQuote(const YAML::Mark &mark) const
{
    // A quoted scalar must end with its quote before the end of the text. The scalar's mark
    // may sit on its anchor or tag; skip those (and blanks or comments) to reach the quote.
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
    throw Crossed{mark, std::string("unclosed ") + (quote == '"' ? "double" : "single")
                            + " quote: the quoted text starting here has no closing " + quote
                            + " before the end of the file"};
}

} // namespace fb
