#include <core/common/secretredactor.h>

#include <algorithm>

namespace fb {

SecretRedactor::SecretRedactor(const std::vector<std::string> &secrets)
{
    for (const std::string &secret : secrets) {
        add(secret);
    }
}

void SecretRedactor::add(std::string_view secret)
{
    if (secret.size() < MinimumLength
        || std::find(m_secrets.begin(), m_secrets.end(), secret) != m_secrets.end()) {
        return;
    }
    const auto at = std::find_if(m_secrets.begin(), m_secrets.end(),
                                 [&](const std::string &s) { return s.size() < secret.size(); });
    m_secrets.insert(at, std::string(secret));
}

void SecretRedactor::addAll(const Value &secrets)
{
    if (secrets.is_string()) {
        add(secrets.get_ref<const std::string &>());
    } else if (secrets.is_structured()) {
        for (const auto &item : secrets) {
            addAll(item);
        }
    }
}

bool SecretRedactor::contains(std::string_view text) const
{
    return std::any_of(m_secrets.begin(), m_secrets.end(), [&](const std::string &s) {
        return text.find(s) != std::string_view::npos;
    });
}

void SecretRedactor::redact(std::string &text) const
{
    for (const std::string &secret : m_secrets) {
        std::size_t at = text.find(secret);
        while (at != std::string::npos) {
            text.replace(at, secret.size(), Placeholder);
            at = text.find(secret, at + Placeholder.size());
        }
    }
}

std::string SecretRedactor::redacted(std::string text) const
{
    redact(text);
    return text;
}

void SecretRedactor::redact(Value &value) const
{
    if (m_secrets.empty()) {
        return;
    }
    if (value.is_string()) {
        redact(value.get_ref<std::string &>());
    } else if (value.is_array()) {
        for (Value &item : value) {
            redact(item);
        }
    } else if (value.is_object()) {
        Value copy = Value::object();
        for (auto &[key, item] : value.items()) {
            redact(item);
            copy[redacted(key)] = std::move(item);
        }
        value = std::move(copy);
    }
}

} // namespace fb
