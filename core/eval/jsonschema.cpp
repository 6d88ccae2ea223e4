#include <core/eval/jsonschema.h>

#include <core/eval/evaltext_p.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

namespace fb {

namespace {

constexpr int kMaxDepth = 200;

bool jsonEqual(const Value &a, const Value &b)
{
    if (a.is_number() && b.is_number()) {
        if (a.is_number_float() || b.is_number_float()) {
            return a.get<double>() == b.get<double>();
        }
        if (a.is_number_unsigned() && b.is_number_unsigned()) {
            return a.get<std::uint64_t>() == b.get<std::uint64_t>();
        }
        const bool aBig
            = a.is_number_unsigned() && a.get<std::uint64_t>() > std::uint64_t(INT64_MAX);
        const bool bBig
            = b.is_number_unsigned() && b.get<std::uint64_t>() > std::uint64_t(INT64_MAX);
        if (aBig || bBig) {
            return false;
        }
        return a.get<std::int64_t>() == b.get<std::int64_t>();
    }
    if (a.type() != b.type()) {
        return false;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) {
            return false;
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            const auto other = b.find(it.key());
            if (other == b.end() || !jsonEqual(it.value(), *other)) {
                return false;
            }
        }
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) {
            return false;
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!jsonEqual(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }
    return a == b;
}

bool isIntegral(const Value &v)
{
    if (v.is_number_integer()) {
        return true;
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

std::string typeOf(const Value &v)
{
    switch (v.type()) {
    case Value::value_t::null:
        return "null";
    case Value::value_t::boolean:
        return "boolean";
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
        return "integer";
    case Value::value_t::number_float:
        return "number";
    case Value::value_t::string:
        return "string";
    case Value::value_t::array:
        return "array";
    case Value::value_t::object:
        return "object";
    default:
        return "unknown";
    }
}

bool hasType(const Value &v, const std::string &t)
{
    if (t == "integer") {
        return isIntegral(v);
    }
    if (t == "number") {
        return v.is_number();
    }
    if (t == "null") {
        return v.is_null();
    }
    if (t == "boolean") {
        return v.is_boolean();
    }
    if (t == "string") {
        return v.is_string();
    }
    if (t == "array") {
        return v.is_array();
    }
    if (t == "object") {
        return v.is_object();
    }
    return false;
}

const std::set<std::string> &typeNames()
{
    static const std::set<std::string> s_names{"null",   "boolean", "integer", "number",
                                               "string", "array",   "object"};
    return s_names;
}

/// Resolves "#", "#/a/b~1c" against the root schema, or nullptr.
const Value *resolveRef(const Value &root, const std::string &ref)
{
    if (ref.empty() || ref[0] != '#') {
        return nullptr;
    }
    const Value *node = &root;
    std::size_t pos = 1;
    if (pos == ref.size()) {
        return node;
    }
    if (ref[pos] != '/') {
        return nullptr;
    }
    while (pos < ref.size()) {
        const std::size_t next = ref.find('/', pos + 1);
        std::string token
            = ref.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
        std::string unescaped;
        for (std::size_t i = 0; i < token.size(); ++i) {
            if (token[i] == '~' && i + 1 < token.size()
                && (token[i + 1] == '0' || token[i + 1] == '1')) {
                unescaped += token[i + 1] == '0' ? '~' : '/';
                ++i;
            } else {
                unescaped += token[i];
            }
        }
        if (node->is_object()) {
            const auto it = node->find(unescaped);
            if (it == node->end()) {
                return nullptr;
            }
            node = &*it;
        } else if (node->is_array()) {
            if (unescaped.empty()
                || unescaped.find_first_not_of("0123456789") != std::string::npos) {
                return nullptr;
            }
            const std::size_t index = std::stoul(unescaped);
            if (index >= node->size()) {
                return nullptr;
            }
            node = &(*node)[index];
        } else {
            return nullptr;
        }
        pos = next == std::string::npos ? ref.size() : next;
    }
    return node;
}

std::string where(const std::string &pointer)
{
    return pointer.empty() ? std::string("(root)") : pointer;
}

} // namespace

std::string JsonSchema::escapePointerToken(const std::string &token)
{
    std::string out;
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

struct JsonSchema::Walker
{
    const JsonSchema &self;

    // ---- compile-time checks ------------------------------------------------------------
    static Result<void> bad(const std::string &ptr, const std::string &what)
    {
        return Error(ErrorCode::InvalidArgument,
                     "invalid JSON schema at '" + where(ptr) + "': " + what);
    }

    static Result<void> check(const Value &s, const std::string &ptr, const Value &root,
                              std::map<std::string, LinearRegex> &patterns, int depth)
    {
        if (depth > kMaxDepth) {
            return bad(ptr, "schema nested too deeply");
        }
        if (s.is_boolean()) {
            return {};
        }
        if (!s.is_object()) {
            return bad(ptr, "a schema must be an object or a boolean");
        }
        auto sub = [&](const Value &v, const std::string &p) {
            return check(v, p, root, patterns, depth + 1);
        };
        auto subList = [&](const char *kw, bool nonEmpty) -> Result<void> {
            const Value &list = s.at(kw);
            if (!list.is_array() || (nonEmpty && list.empty())) {
                return bad(ptr + "/" + kw, std::string("must be a")
                                               + (nonEmpty ? " non-empty" : "n")
                                               + " array of schemas");
            }
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (auto ok = sub(list[i], ptr + "/" + kw + "/" + std::to_string(i)); !ok) {
                    return ok;
                }
            }
            return {};
        };
        auto subMap = [&](const char *kw) -> Result<void> {
            const Value &map = s.at(kw);
            if (!map.is_object()) {
                return bad(ptr + "/" + kw, "must be an object of schemas");
            }
            for (auto it = map.begin(); it != map.end(); ++it) {
                if (auto ok = sub(it.value(), ptr + "/" + kw + "/" + escapePointerToken(it.key()));
                    !ok) {
                    return ok;
                }
            }
            return {};
        };
        auto compileRegex = [&](const std::string &pattern, const std::string &p) -> Result<void> {
            auto re = LinearRegex::compile(pattern);
            if (!re) {
                return bad(p, re.error().message);
            }
            patterns.emplace(p, std::move(*re));
            return {};
        };

        for (auto it = s.begin(); it != s.end(); ++it) {
            const std::string &kw = it.key();
            const Value &v = it.value();
            const std::string p = ptr + "/" + escapePointerToken(kw);
            Result<void> ok;
            if (kw == "type") {
                if (v.is_string()) {
                    if (!typeNames().count(v.get<std::string>())) {
                        ok = bad(p, "unknown type \"" + v.get<std::string>() + "\"");
                    }
                } else if (v.is_array() && !v.empty()) {
                    for (const Value &t : v) {
                        if (!t.is_string() || !typeNames().count(t.get<std::string>())) {
                            ok = bad(p, "must list known type names");
                            break;
                        }
                    }
                } else {
                    ok = bad(p, "must be a type name or a non-empty list of them");
                }
            } else if (kw == "minimum" || kw == "maximum") {
                if (!v.is_number()) {
                    ok = bad(p, "must be a number");
                }
            } else if (kw == "exclusiveMinimum" || kw == "exclusiveMaximum") {
                if (!v.is_number() && !v.is_boolean()) {
                    ok = bad(p, "must be a number");
                }
            } else if (kw == "multipleOf") {
                if (!v.is_number() || v.get<double>() <= 0) {
                    ok = bad(p, "must be a number greater than 0");
                }
            } else if (kw == "minLength" || kw == "maxLength" || kw == "minItems"
                       || kw == "maxItems" || kw == "minProperties" || kw == "maxProperties") {
                if (!isIntegral(v) || v.get<double>() < 0) {
                    ok = bad(p, "must be a non-negative integer");
                }
            } else if (kw == "uniqueItems") {
                if (!v.is_boolean()) {
                    ok = bad(p, "must be true or false");
                }
            } else if (kw == "pattern") {
                ok = v.is_string() ? compileRegex(v.get<std::string>(), p)
                                   : bad(p, "must be a string");
            } else if (kw == "required") {
                if (!v.is_array()) {
                    ok = bad(p, "must be an array of strings");
                } else {
                    for (const Value &name : v) {
                        if (!name.is_string()) {
                            ok = bad(p, "must be an array of strings");
                            break;
                        }
                    }
                }
            } else if (kw == "enum") {
                if (!v.is_array()) {
                    ok = bad(p, "must be an array");
                }
            } else if (kw == "properties" || kw == "$defs" || kw == "definitions") {
                ok = subMap(kw.c_str());
            } else if (kw == "patternProperties") {
                ok = subMap("patternProperties");
                if (ok) {
                    for (auto pp = v.begin(); pp != v.end() && ok; ++pp) {
                        ok = compileRegex(pp.key(), p + "/" + escapePointerToken(pp.key()));
                    }
                }
            } else if (kw == "additionalProperties" || kw == "additionalItems" || kw == "not"
                       || kw == "if" || kw == "then" || kw == "else" || kw == "contains") {
                ok = sub(v, p);
            } else if (kw == "items") {
                ok = v.is_array() ? subList("items", false) : sub(v, p);
            } else if (kw == "prefixItems") {
                ok = subList("prefixItems", false);
            } else if (kw == "allOf" || kw == "anyOf" || kw == "oneOf") {
                ok = subList(kw.c_str(), true);
            } else if (kw == "$ref") {
                if (!v.is_string()) {
                    ok = bad(p, "must be a string");
                } else if (!resolveRef(root, v.get<std::string>())) {
                    ok = bad(p,
                             "cannot resolve \"" + v.get<std::string>()
                                 + "\" (only local references like \"#/$defs/x\" are supported)");
                }
            }
            if (!ok) {
                return ok;
            }
        }
        return {};
    }

    // ---- validation ------------------------------------------------------------------------
    bool validate(const Value &s, const std::string &sp, const Value &inst, const std::string &ip,
                  SchemaViolation &out, int depth) const
    {
        auto fail = [&](const std::string &keyword, const std::string &message) {
            out.instancePointer = ip;
            out.schemaPointer = keyword.empty() ? sp : sp + "/" + keyword;
            out.message = where(ip) + ": " + message;
            return false;
        };
        if (depth > kMaxDepth) {
            return fail("", "schema recursion too deep (a $ref cycle?)");
        }
        if (s.is_boolean()) {
            return s.get<bool>() ? true : fail("", "no value is allowed here (schema is false)");
        }
        auto sub = [&](const Value &schema, const std::string &schemaPtr, const Value &instance,
                       const std::string &instancePtr, SchemaViolation &o) {
            return validate(schema, schemaPtr, instance, instancePtr, o, depth + 1);
        };
        auto kw = [&](const char *name) -> const Value * {
            const auto it = s.find(name);
            return it == s.end() ? nullptr : &*it;
        };

        if (const Value *t = kw("type")) {
            bool ok = false;
            std::string expected;
            if (t->is_string()) {
                ok = hasType(inst, t->get<std::string>());
                expected = t->get<std::string>();
            } else {
                for (const Value &name : *t) {
                    ok = ok || hasType(inst, name.get<std::string>());
                    expected += (expected.empty() ? "" : " or ") + name.get<std::string>();
                }
            }
            if (!ok) {
                return fail("type", "expected type " + expected + ", got " + typeOf(inst));
            }
        }
        if (const Value *c = kw("const"); c && !jsonEqual(*c, inst)) {
            return fail("const", "expected the constant " + c->dump() + ", got " + inst.dump());
        }
        if (const Value *e = kw("enum")) {
            bool found = false;
            for (const Value &candidate : *e) {
                found = found || jsonEqual(candidate, inst);
            }
            if (!found) {
                return fail("enum", inst.dump() + " is not one of " + e->dump());
            }
        }
        if (inst.is_number()) {
            const double x = inst.get<double>();
            if (const Value *m = kw("multipleOf")) {
                const double q = x / m->get<double>();
                if (std::fabs(q - std::round(q)) > 1e-9 * std::max(1.0, std::fabs(q))) {
                    return fail("multipleOf", inst.dump() + " is not a multiple of " + m->dump());
                }
            }
            const Value *exMin = kw("exclusiveMinimum");
            const Value *exMax = kw("exclusiveMaximum");
            if (const Value *m = kw("minimum")) {
                const bool exclusive = exMin && exMin->is_boolean() && exMin->get<bool>();
                if (exclusive ? !(x > m->get<double>()) : x < m->get<double>()) {
                    return fail("minimum", inst.dump() + " is less than "
                                               + (exclusive ? "or equal to " : "") + "the minimum "
                                               + m->dump());
                }
            }
            if (const Value *m = kw("maximum")) {
                const bool exclusive = exMax && exMax->is_boolean() && exMax->get<bool>();
                if (exclusive ? !(x < m->get<double>()) : x > m->get<double>()) {
                    return fail("maximum", inst.dump() + " is greater than "
                                               + (exclusive ? "or equal to " : "") + "the maximum "
                                               + m->dump());
                }
            }
            if (exMin && exMin->is_number() && !(x > exMin->get<double>())) {
                return fail("exclusiveMinimum",
                            inst.dump() + " is not greater than " + exMin->dump());
            }
            if (exMax && exMax->is_number() && !(x < exMax->get<double>())) {
                return fail("exclusiveMaximum", inst.dump() + " is not less than " + exMax->dump());
            }
        }
        if (inst.is_string()) {
            const std::string &str = inst.get_ref<const std::string &>();
            const std::size_t len = EvalText::length(str);
            if (const Value *m = kw("minLength"); m && double(len) < m->get<double>()) {
                return fail("minLength", "string of length " + std::to_string(len)
                                             + " is shorter than " + m->dump());
            }
            if (const Value *m = kw("maxLength"); m && double(len) > m->get<double>()) {
                return fail("maxLength", "string of length " + std::to_string(len)
                                             + " is longer than " + m->dump());
            }
            if (const Value *p = kw("pattern")) {
                const auto re = self.m_patterns.find(sp + "/pattern");
                // Every pattern reachable from the root was compiled; a miss means a $ref
                // spelled differently from the canonical pointer, reported as a violation.
                const bool matched = re != self.m_patterns.end() && re->second.search(str);
                if (!matched) {
                    return fail("pattern",
                                inst.dump() + " does not match the pattern " + p->dump());
                }
            }
        }
        if (inst.is_array()) {
            const std::size_t n = inst.size();
            if (const Value *m = kw("minItems"); m && double(n) < m->get<double>()) {
                return fail("minItems",
                            "array has " + std::to_string(n) + " item(s), fewer than " + m->dump());
            }
            if (const Value *m = kw("maxItems"); m && double(n) > m->get<double>()) {
                return fail("maxItems",
                            "array has " + std::to_string(n) + " item(s), more than " + m->dump());
            }
            if (const Value *u = kw("uniqueItems"); u && u->get<bool>()) {
                for (std::size_t i = 0; i < n; ++i) {
                    for (std::size_t j = i + 1; j < n; ++j) {
                        if (jsonEqual(inst[i], inst[j])) {
                            return fail("uniqueItems", "items " + std::to_string(i) + " and "
                                                           + std::to_string(j) + " are equal");
                        }
                    }
                }
            }
            std::size_t covered = 0; // items checked by a positional (tuple) schema
            const Value *prefix = kw("prefixItems");
            const Value *items = kw("items");
            const Value *tuple = prefix ? prefix : (items && items->is_array() ? items : nullptr);
            const std::string tupleKw = prefix ? "prefixItems" : "items";
            if (tuple) {
                for (std::size_t i = 0; i < n && i < tuple->size(); ++i) {
                    if (!sub((*tuple)[i], sp + "/" + tupleKw + "/" + std::to_string(i), inst[i],
                             ip + "/" + std::to_string(i), out)) {
                        return false;
                    }
                    covered = i + 1;
                }
            }
            const Value *rest = nullptr;
            std::string restKw;
            if (items && !items->is_array()) {
                rest = items;
                restKw = "items";
            } else if (items && items->is_array()) {
                rest = kw("additionalItems");
                restKw = "additionalItems";
            }
            if (rest) {
                for (std::size_t i = covered; i < n; ++i) {
                    if (!sub(*rest, sp + "/" + restKw, inst[i], ip + "/" + std::to_string(i),
                             out)) {
                        return false;
                    }
                }
            }
            if (const Value *c = kw("contains")) {
                bool any = false;
                for (std::size_t i = 0; i < n && !any; ++i) {
                    SchemaViolation ignored;
                    any = sub(*c, sp + "/contains", inst[i], ip + "/" + std::to_string(i), ignored);
                }
                if (!any) {
                    return fail("contains", "no item matches the 'contains' schema");
                }
            }
        }
        if (inst.is_object()) {
            if (const Value *r = kw("required")) {
                for (const Value &name : *r) {
                    if (!inst.contains(name.get<std::string>())) {
                        return fail("required", "required property \"" + name.get<std::string>()
                                                    + "\" is missing");
                    }
                }
            }
            if (const Value *m = kw("minProperties"); m && double(inst.size()) < m->get<double>()) {
                return fail("minProperties", "object has fewer than " + m->dump() + " properties");
            }
            if (const Value *m = kw("maxProperties"); m && double(inst.size()) > m->get<double>()) {
                return fail("maxProperties", "object has more than " + m->dump() + " properties");
            }
            const Value *props = kw("properties");
            const Value *patternProps = kw("patternProperties");
            const Value *additional = kw("additionalProperties");
            for (auto it = inst.begin(); it != inst.end(); ++it) {
                const std::string token = escapePointerToken(it.key());
                const std::string childPtr = ip + "/" + token;
                bool matchedSome = false;
                if (props) {
                    const auto ps = props->find(it.key());
                    if (ps != props->end()) {
                        matchedSome = true;
                        if (!sub(*ps, sp + "/properties/" + token, it.value(), childPtr, out)) {
                            return false;
                        }
                    }
                }
                if (patternProps) {
                    for (auto pp = patternProps->begin(); pp != patternProps->end(); ++pp) {
                        const std::string ppPtr
                            = sp + "/patternProperties/" + escapePointerToken(pp.key());
                        const auto re = self.m_patterns.find(ppPtr);
                        const bool hit = re != self.m_patterns.end() && re->second.search(it.key());
                        if (hit) {
                            matchedSome = true;
                            if (!sub(pp.value(), ppPtr, it.value(), childPtr, out)) {
                                return false;
                            }
                        }
                    }
                }
                if (!matchedSome && additional) {
                    if (additional->is_boolean() && !additional->get<bool>()) {
                        out.instancePointer = childPtr;
                        out.schemaPointer = sp + "/additionalProperties";
                        out.message = where(childPtr) + ": additional property \"" + it.key()
                                      + "\" is not allowed";
                        return false;
                    }
                    if (!sub(*additional, sp + "/additionalProperties", it.value(), childPtr,
                             out)) {
                        return false;
                    }
                }
            }
        }
        if (const Value *all = kw("allOf")) {
            for (std::size_t i = 0; i < all->size(); ++i) {
                if (!sub((*all)[i], sp + "/allOf/" + std::to_string(i), inst, ip, out)) {
                    return false;
                }
            }
        }
        if (const Value *any = kw("anyOf")) {
            SchemaViolation first;
            bool ok = false;
            for (std::size_t i = 0; i < any->size() && !ok; ++i) {
                SchemaViolation v;
                ok = sub((*any)[i], sp + "/anyOf/" + std::to_string(i), inst, ip, v);
                if (!ok && i == 0) {
                    first = v;
                }
            }
            if (!ok) {
                return fail("anyOf", "value matches none of the anyOf schemas (first: "
                                         + first.message + ")");
            }
        }
        if (const Value *one = kw("oneOf")) {
            std::size_t matches = 0;
            SchemaViolation first;
            for (std::size_t i = 0; i < one->size(); ++i) {
                SchemaViolation v;
                if (sub((*one)[i], sp + "/oneOf/" + std::to_string(i), inst, ip, v)) {
                    ++matches;
                } else if (first.message.empty()) {
                    first = v;
                }
            }
            if (matches != 1) {
                return fail("oneOf", "value matches " + std::to_string(matches)
                                         + " of the oneOf schemas, expected exactly one"
                                         + (matches == 0 ? " (first: " + first.message + ")" : ""));
            }
        }
        if (const Value *n = kw("not")) {
            SchemaViolation ignored;
            if (sub(*n, sp + "/not", inst, ip, ignored)) {
                return fail("not", "value must not match the 'not' schema");
            }
        }
        if (const Value *cond = kw("if")) {
            SchemaViolation ignored;
            if (sub(*cond, sp + "/if", inst, ip, ignored)) {
                if (const Value *then = kw("then");
                    then && !sub(*then, sp + "/then", inst, ip, out)) {
                    return false;
                }
            } else if (const Value *otherwise = kw("else");
                       otherwise && !sub(*otherwise, sp + "/else", inst, ip, out)) {
                return false;
            }
        }
        if (const Value *ref = kw("$ref")) {
            const std::string target = ref->get<std::string>();
            const Value *resolved = resolveRef(self.m_schema, target);
            // The pointer after '#' is exactly the schema pointer of the target.
            if (!sub(*resolved, target.substr(1), inst, ip, out)) {
                return false;
            }
        }
        return true;
    }
};

Result<JsonSchema> JsonSchema::compile(const Value &schema)
{
    JsonSchema out;
    out.m_schema = schema;
    if (auto ok = Walker::check(out.m_schema, "", out.m_schema, out.m_patterns, 0); !ok) {
        return ok.error();
    }
    return out;
}

std::optional<SchemaViolation> JsonSchema::validate(const Value &instance) const
{
    SchemaViolation violation;
    const Walker walker{*this};
    if (walker.validate(m_schema, "", instance, "", violation, 0)) {
        return std::nullopt;
    }
    return violation;
}

} // namespace fb
