#include <core/template/roleescaper.h>
#include <core/template/rolemarker_p.h>
#include <random>

namespace fb {

namespace {

void replaceAll(std::string &text, const std::string &from, const std::string &to)
{
    if (from.empty()) {
        return;
    }
    std::size_t at = text.find(from);
    while (at != std::string::npos) {
        text.replace(at, from.size(), to);
        at = text.find(from, at + to.size());
    }
}

void restoreValue(Value &value, const std::unordered_map<std::string, std::string> &placeholders)
{
    if (value.is_string()) {
        std::string &s = value.get_ref<std::string &>();
        for (const auto &[placeholder, original] : placeholders) {
            replaceAll(s, placeholder, original);
        }
    } else if (value.is_array() || value.is_object()) {
        for (auto &item : value) {
            restoreValue(item, placeholders);
        }
    }
}

} // namespace

Value RoleEscaper::escape(const Value &value)
{
    if (value.is_string()) {
        return Value(escapeString(value.get<std::string>()));
    }
    if (value.is_array()) {
        Value out = Value::array();
        for (const Value &item : value) {
            out.push_back(escape(item));
        }
        return out;
    }
    if (value.is_object()) {
        Value out = Value::object();
        for (auto it = value.begin(); it != value.end(); ++it) {
            out[it.key()] = escape(it.value());
        }
        return out;
    }
    return value;
}

std::string RoleEscaper::placeholderFor(const std::string &original)
{
    auto known = m_byOriginal.find(original);
    if (known != m_byOriginal.end()) {
        return known->second;
    }
    // Digits and brackets only: case filters (upper, title, ...) leave it unchanged, and it
    // can never read as a role name.
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::string placeholder;
    do {
        placeholder = "[[";
        for (int i = 0; i < 3; ++i) {
            std::string part = std::to_string(rng() % 100000000ULL);
            placeholder += std::string(8 - part.size(), '0') + part;
        }
        placeholder += "]]";
    } while (m_placeholders.count(placeholder) != 0);
    m_placeholders.emplace(placeholder, original);
    m_byOriginal.emplace(original, placeholder);
    return placeholder;
}

std::string RoleEscaper::escapeString(const std::string &text)
{
    std::string out;
    std::size_t copied = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        RoleMarker::Match m;
        if (RoleMarker::matchAt(text, pos, true, m)) {
            out.append(text, copied, m.roleBegin - copied);
            out += placeholderFor(text.substr(m.roleBegin, m.roleEnd - m.roleBegin));
            copied = m.roleEnd;
            pos = m.end;
            if (m.end > 0 && text[m.end - 1] != '\n') {
                break; // matched up to the end of the text
            }
            continue;
        }
        const std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) {
            break;
        }
        pos = nl + 1;
    }
    if (copied == 0) {
        return text;
    }
    out.append(text, copied, std::string::npos);
    return out;
}

void RoleEscaper::restore(ChatMessages &messages) const
{
    if (m_placeholders.empty()) {
        return;
    }
    for (ChatMessage &msg : messages) {
        msg.content = restore(std::move(msg.content));
        msg.name = restore(std::move(msg.name));
        msg.toolCallId = restore(std::move(msg.toolCallId));
        restoreValue(msg.toolCalls, m_placeholders);
    }
}

std::string RoleEscaper::restore(std::string text) const
{
    for (const auto &[placeholder, original] : m_placeholders) {
        replaceAll(text, placeholder, original);
    }
    return text;
}

} // namespace fb
