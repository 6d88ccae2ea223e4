#pragma once

#include <core/common/chatmessage.h>
#include <core/common/value.h>

#include <string>
#include <unordered_map>

namespace fb {

/// Role-injection defence: values bound straight to flow inputs may contain lines that look
/// like role markers ("# system:"). Before rendering, escape() replaces each such marker with
/// a unique placeholder (recursively through lists and objects); after ChatParser has split
/// the messages, restore() puts the original text back inside the message contents. The
/// placeholders cannot open a new message, so user data can never forge a role.
///
/// Not thread-safe: one RoleEscaper per render.
class RoleEscaper
{
public:
    /// Returns a copy of `value` with role-marker lines replaced by placeholders.
    [[nodiscard]] Value escape(const Value &value);

    /// Replaces placeholders in every message's fields with the original text.
    void restore(ChatMessages &messages) const;

    /// Replaces placeholders in plain text (completion prompts).
    [[nodiscard]] std::string restore(std::string text) const;

private:
    std::string escapeString(const std::string &text);
    std::string placeholderFor(const std::string &original);

    std::unordered_map<std::string, std::string> m_placeholders; // placeholder -> original
    std::unordered_map<std::string, std::string> m_byOriginal;   // original -> placeholder
};

} // namespace fb
