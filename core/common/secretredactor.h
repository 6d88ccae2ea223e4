#pragma once

#include <core/common/value.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Replaces known secret values (API keys, tokens, the secret fields of the connections in
/// use) with "[redacted]" in text that is about to be stored or printed: a server's error
/// body that echoes the key, a tool's traceback that prints its connection.
///
/// Values shorter than MinimumLength are ignored (they would redact ordinary words); longer
/// secrets are replaced first, so one that contains another is replaced whole.
/// Thread-safety: build on one thread (add()), then redact from any number at once.
class SecretRedactor
{
public:
    static constexpr std::string_view Placeholder = "[redacted]";
    static constexpr std::size_t MinimumLength = 4;

    SecretRedactor() = default;
    explicit SecretRedactor(const std::vector<std::string> &secrets);

    void add(std::string_view secret);
    /// Adds every string value of a connection's `secrets` object (nested ones too).
    void addAll(const Value &secrets);

    [[nodiscard]] bool isEmpty() const { return m_secrets.empty(); }
    [[nodiscard]] bool contains(std::string_view text) const;
    [[nodiscard]] std::string redacted(std::string text) const;
    void redact(std::string &text) const;
    /// Redacts every string in a JSON value (keys included), in place.
    void redact(Value &value) const;

private:
    std::vector<std::string> m_secrets; ///< longest first
};

} // namespace fb
