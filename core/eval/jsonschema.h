#pragma once

#include <core/common/result.h>
#include <core/common/value.h>
#include <core/eval/linearregex.h>

#include <map>
#include <optional>
#include <string>

namespace fb {

/// Where and why a JSON instance breaks a schema.
struct SchemaViolation
{
    std::string instancePointer; ///< JSON pointer into the instance ("" is the root)
    std::string schemaPointer;   ///< JSON pointer of the failing keyword in the schema
    std::string message;         ///< e.g. "/items/2: expected type string, got integer"
};

/// A compiled JSON Schema (a useful subset of drafts 07 and 2020-12).
///
/// Supported: boolean schemas; type (incl. integer: a number with no fractional part),
/// enum, const, multipleOf, minimum, maximum, exclusiveMinimum, exclusiveMaximum (number; the
/// draft-04 boolean form is honoured too), minLength, maxLength (in code points), pattern
/// (unanchored, matched in linear time by RE2: ECMAScript's syntax without backreferences or
/// lookaround, see LinearRegex), items (schema, or the draft-07 array form with additionalItems),
/// prefixItems, minItems, maxItems, uniqueItems, contains, properties, patternProperties,
/// additionalProperties (bool or schema), required, minProperties, maxProperties, allOf, anyOf,
/// oneOf, not, if/then/else, and local $ref ("#", "#/$defs/x", "#/definitions/x") applied
/// alongside sibling keywords as in 2020-12. Unknown keywords (format, $id, title…) are ignored.
/// Equality for enum/const/uniqueItems is JSON equality (1 == 1.0, key order ignored).
///
/// Immutable after `compile`; `validate` is thread-safe.
class JsonSchema
{
public:
    /// Checks the schema's own shape (keyword types, regex syntax, $ref targets) and compiles
    /// its patterns. Fails with InvalidArgument naming the schema pointer of the problem.
    [[nodiscard]] static Result<JsonSchema> compile(const Value &schema);

    /// The first violation in a depth-first walk, or nothing when the instance is valid.
    [[nodiscard]] std::optional<SchemaViolation> validate(const Value &instance) const;

    /// Escapes one reference token for a JSON pointer (~ → ~0, / → ~1).
    [[nodiscard]] static std::string escapePointerToken(const std::string &token);

private:
    JsonSchema() = default;
    struct Walker;
    friend struct Walker;

    Value m_schema;
    std::map<std::string, LinearRegex> m_patterns; // by schema pointer of the regex keyword/key
};

} // namespace fb
