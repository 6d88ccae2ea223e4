#pragma once

#include <core/common/result.h>
#include <core/common/value.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Reads the JSON options of one evaluator and turns every mistake into a message naming the
/// evaluator and the key. "type" and "name" are always accepted (the registry and callers use
/// them).
class EvalOptions
{
public:
    EvalOptions(const Value &options, std::string evaluatorType);

    /// Fails when options is neither null nor an object, or holds a key not in `known`.
    [[nodiscard]] Result<void> checkKeys(std::initializer_list<std::string_view> known) const;

    [[nodiscard]] bool has(const std::string &key) const;
    [[nodiscard]] Result<bool> boolean(const std::string &key, bool fallback) const;
    [[nodiscard]] Result<double> number(const std::string &key, double fallback) const;
    [[nodiscard]] Result<std::string> string(const std::string &key, std::string fallback) const;
    [[nodiscard]] Result<std::vector<std::string>> stringList(const std::string &key) const;
    [[nodiscard]] const Value &raw(const std::string &key) const;

    /// An InvalidArgument error "evaluator '<type>': option '<key>' <what>".
    [[nodiscard]] Error error(const std::string &key, const std::string &what) const;

private:
    const Value &m_options;
    std::string m_type;
};

} // namespace fb
