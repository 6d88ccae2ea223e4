#pragma once

#include <core/common/value.h>

#include <string>
#include <string_view>

namespace fb::yamlscalar {

/// Resolves the text of a plain (unquoted, untagged) YAML scalar with the YAML 1.2 core
/// schema, as promptflow's ruamel.yaml does: null, bool, int (decimal, 0o, 0x), float
/// (including .inf/.nan), else string.
[[nodiscard]] Value resolvePlain(const std::string &text);

/// `text` is `[-+]?[0-9]+` (an integer in the YAML 1.2 core schema).
[[nodiscard]] bool isDecimalInteger(std::string_view text);

/// `text` is `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (a YAML 1.2 float).
[[nodiscard]] bool isDecimalFloat(std::string_view text);

/// True when `text` written as a plain scalar would not read back as this same string under
/// YAML 1.2 or YAML 1.1 (PyYAML) rules, or is not a valid plain scalar in block context.
[[nodiscard]] bool needsQuotes(const std::string &text);

/// `text` as a double-quoted YAML scalar with escapes.
[[nodiscard]] std::string doubleQuoted(const std::string &text);

/// A scalar Value (null, bool, number, string) as YAML text that reads back as the same
/// value and type.
[[nodiscard]] std::string formatScalar(const Value &value);

} // namespace fb::yamlscalar
