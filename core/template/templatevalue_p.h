#pragma once

#include <core/common/value.h>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fb::jinja {

class TemplateRenderer;
struct CallArgs;

/// Thrown inside the engine for template errors; caught at the Template API boundary, which
/// adds the file name and (when `line` is 0) the line of the node being evaluated.
struct TemplateError
{
    std::string message;
    int line = 0;
};

[[noreturn]] void raiseError(std::string message);

enum class ValKind : std::uint8_t {
    Undefined,
    None,
    Bool,
    Int,
    Float,
    Str,
    List,       ///< owned list or tuple (ListObject)
    Dict,       ///< owned dict (DictObject)
    JsonArray,  ///< borrowed array of the render context
    JsonObject, ///< borrowed object of the render context
    Range,
    Callable,
    Namespace,
    Loop,
};

struct HeapObject
{
    virtual ~HeapObject() = default;
    /// Python repr of objects that are neither strings, numbers nor containers.
    [[nodiscard]] virtual std::string repr() const { return "<object>"; }
};

class TemplateValue;

struct StrObject final : HeapObject
{
    std::string text;
};

struct ListObject final : HeapObject
{
    std::vector<TemplateValue> items;
    bool tuple = false;
    bool groupTuple = false;    ///< groupby's (grouper, list) named tuple
    const char *view = nullptr; ///< "dict_items", "dict_keys", "dict_values" when printed
};

struct DictObject final : HeapObject
{
    std::vector<std::pair<TemplateValue, TemplateValue>> items;
    [[nodiscard]] const TemplateValue *find(const TemplateValue &key) const;
    void set(TemplateValue key, TemplateValue value);
};

struct RangeObject final : HeapObject
{
    std::int64_t start = 0;
    std::int64_t stop = 0;
    std::int64_t step = 1;
    [[nodiscard]] std::int64_t size() const;
};

/// Details of an undefined value that came from a failed lookup, for Jinja2's messages.
struct UndefinedObject final : HeapObject
{
    std::string name;
    std::string objectType; ///< "dict object", "None", ... (empty: a missing variable)
    bool element = false;   ///< failed item lookup with a non-string key
    std::string hint;       ///< explicit message (e.g. "No first item, sequence was empty.")
};

struct NamespaceObject final : HeapObject
{
    std::vector<std::pair<std::string, TemplateValue>> attrs;
    [[nodiscard]] TemplateValue *find(std::string_view name);
};

struct CallableObject : HeapObject
{
    /// Python type name for messages ("builtin_function_or_method", "Macro", ...).
    [[nodiscard]] virtual std::string typeName() const { return "builtin_function_or_method"; }
    virtual TemplateValue call(TemplateRenderer &renderer, CallArgs &args) = 0;
};

/// A Jinja2 runtime value. Scalars are stored inline; strings, lists and objects of the render
/// context are borrowed by pointer (no copies); values the template creates are shared heap
/// objects. Copying is cheap. Borrowed pointers stay valid for one render.
class TemplateValue
{
public:
    TemplateValue() { m_u.i = 0; }

    static TemplateValue undefinedName(const std::string *name);
    static TemplateValue undefinedWith(std::string name, std::string objectType, bool element);
    static TemplateValue undefinedHint(std::string hint);
    static TemplateValue none();
    static TemplateValue boolean(bool b);
    static TemplateValue integer(std::int64_t i);
    static TemplateValue real(double f);
    static TemplateValue borrowed(const std::string *s);
    static TemplateValue string(std::string s);
    static TemplateValue fromJson(const Value &json);
    static TemplateValue list(std::vector<TemplateValue> items, bool tuple = false);
    static TemplateValue dict(std::shared_ptr<DictObject> dict);
    static TemplateValue range(std::int64_t start, std::int64_t stop, std::int64_t step);
    static TemplateValue callable(std::shared_ptr<CallableObject> callable);
    static TemplateValue ns(std::shared_ptr<NamespaceObject> ns);
    static TemplateValue loop(std::shared_ptr<HeapObject> loop);

    [[nodiscard]] ValKind kind() const { return m_kind; }
    [[nodiscard]] bool isUndefined() const { return m_kind == ValKind::Undefined; }
    [[nodiscard]] bool isNone() const { return m_kind == ValKind::None; }
    [[nodiscard]] bool isStr() const { return m_kind == ValKind::Str; }
    [[nodiscard]] bool isInt() const { return m_kind == ValKind::Int; }
    [[nodiscard]] bool isFloat() const { return m_kind == ValKind::Float; }
    [[nodiscard]] bool isBool() const { return m_kind == ValKind::Bool; }
    /// int, float or bool (Python's bool is an int).
    [[nodiscard]] bool isNumber() const
    {
        return m_kind == ValKind::Int || m_kind == ValKind::Float || m_kind == ValKind::Bool;
    }
    [[nodiscard]] bool isIntegral() const
    {
        return m_kind == ValKind::Int || m_kind == ValKind::Bool;
    }
    [[nodiscard]] bool isMapping() const
    {
        return m_kind == ValKind::Dict || m_kind == ValKind::JsonObject;
    }
    [[nodiscard]] bool isSequence() const
    {
        return m_kind == ValKind::List || m_kind == ValKind::JsonArray || m_kind == ValKind::Range;
    }

    [[nodiscard]] bool boolValue() const { return m_u.b; }
    [[nodiscard]] std::int64_t intValue() const { return m_kind == ValKind::Bool ? m_u.b : m_u.i; }
    [[nodiscard]] double floatValue() const
    {
        return m_kind == ValKind::Float ? m_u.f : static_cast<double>(intValue());
    }
    [[nodiscard]] const std::string &str() const { return *m_u.s; }
    [[nodiscard]] const Value &json() const { return *m_u.j; }
    [[nodiscard]] ListObject &listObject() const { return static_cast<ListObject &>(*m_heap); }
    [[nodiscard]] DictObject &dictObject() const { return static_cast<DictObject &>(*m_heap); }
    [[nodiscard]] const RangeObject &rangeObject() const
    {
        return static_cast<const RangeObject &>(*m_heap);
    }
    [[nodiscard]] CallableObject &callableObject() const
    {
        return static_cast<CallableObject &>(*m_heap);
    }
    [[nodiscard]] NamespaceObject &namespaceObject() const
    {
        return static_cast<NamespaceObject &>(*m_heap);
    }
    [[nodiscard]] HeapObject *heap() const { return m_heap.get(); }
    [[nodiscard]] const std::shared_ptr<HeapObject> &heapPtr() const { return m_heap; }
    /// Undefined details, or null for a plain missing variable.
    [[nodiscard]] const UndefinedObject *undefinedObject() const
    {
        return static_cast<const UndefinedObject *>(m_heap.get());
    }
    [[nodiscard]] const std::string *undefinedNamePtr() const { return m_u.s; }

    /// Markup (HTML-safe) flag: escape() leaves such strings alone.
    [[nodiscard]] bool isSafe() const { return m_safe; }
    void setSafe(bool safe) { m_safe = safe; }

private:
    ValKind m_kind = ValKind::Undefined;
    bool m_safe = false;
    union {
        bool b;
        std::int64_t i;
        double f;
        const std::string *s;
        const Value *j;
    } m_u;
    std::shared_ptr<HeapObject> m_heap;
};

/// Python semantics over TemplateValue.
namespace py {

[[nodiscard]] bool truthy(const TemplateValue &v);
/// Python str(v) appended to `out` (undefined appends nothing).
void appendStr(std::string &out, const TemplateValue &v);
[[nodiscard]] std::string str(const TemplateValue &v);
/// Python repr(v) appended to `out`.
void appendRepr(std::string &out, const TemplateValue &v);
[[nodiscard]] std::string repr(const TemplateValue &v);
/// Python type name: "int", "str", "dict", "NoneType", "Undefined", ...
[[nodiscard]] std::string typeName(const TemplateValue &v);
/// Jinja2's object_type_repr: "None", "dict object", ...
[[nodiscard]] std::string objectTypeRepr(const TemplateValue &v);
/// The message Jinja2 gives when an undefined value is used.
[[nodiscard]] std::string undefinedMessage(const TemplateValue &v);
[[noreturn]] void failUndefined(const TemplateValue &v);

[[nodiscard]] bool equals(const TemplateValue &a, const TemplateValue &b);
/// Python ordering: -1, 0, 1; raises TypeError-like errors for unorderable types.
[[nodiscard]] int compare(const TemplateValue &a, const TemplateValue &b, const char *op);
[[nodiscard]] std::size_t hash(const TemplateValue &v);
/// Python len(); raises for values without a length.
[[nodiscard]] std::size_t length(const TemplateValue &v);
/// Python `needle in haystack`.
[[nodiscard]] bool contains(const TemplateValue &haystack, const TemplateValue &needle);

/// Materializes any iterable as a vector (dicts give keys, strings give characters);
/// raises "'int' object is not iterable" for others. Undefined gives an empty list.
[[nodiscard]] std::vector<TemplateValue> toList(const TemplateValue &v);
/// Calls `fn(item)` for each item; `fn` returns false to stop early.
template <typename Fn> void forEach(const TemplateValue &v, Fn &&fn);
[[nodiscard]] bool isIterable(const TemplateValue &v);

/// Item lookups with Python semantics; return an Undefined (with details) when missing.
[[nodiscard]] TemplateValue getItem(const TemplateValue &obj, const TemplateValue &key);
[[nodiscard]] TemplateValue getKey(const TemplateValue &obj, const std::string &key);
[[nodiscard]] TemplateValue slice(const TemplateValue &obj, const TemplateValue &start,
                                  const TemplateValue &stop, const TemplateValue &step);

/// Converts to a JSON value (tuples become arrays, undefined raises).
[[nodiscard]] Value toJson(const TemplateValue &v);
/// Python json.dumps(v, sort_keys=True, indent=indent) (indent null: None),
/// then Jinja2's HTML-safe escaping of < > & '.
[[nodiscard]] std::string toJsonHtmlSafe(const TemplateValue &v, const std::string *indent);

} // namespace py

template <typename Fn> void py::forEach(const TemplateValue &v, Fn &&fn)
{
    switch (v.kind()) {
    case ValKind::List:
        for (const TemplateValue &item : v.listObject().items) {
            if (!fn(item)) {
                return;
            }
        }
        return;
    case ValKind::JsonArray:
        for (const Value &item : v.json()) {
            if (!fn(TemplateValue::fromJson(item))) {
                return;
            }
        }
        return;
    case ValKind::JsonObject:
        for (const auto &entry : v.json().template get_ref<const Value::object_t &>()) {
            if (!fn(TemplateValue::borrowed(&entry.first))) {
                return;
            }
        }
        return;
    case ValKind::Dict:
        for (const auto &entry : v.dictObject().items) {
            if (!fn(entry.first)) {
                return;
            }
        }
        return;
    case ValKind::Range: {
        const RangeObject &r = v.rangeObject();
        const std::int64_t n = r.size();
        for (std::int64_t i = 0; i < n; ++i) {
            if (!fn(TemplateValue::integer(r.start + i * r.step))) {
                return;
            }
        }
        return;
    }
    case ValKind::Undefined:
        return;
    default:
        for (const TemplateValue &item : toList(v)) {
            if (!fn(item)) {
                return;
            }
        }
        return;
    }
}

} // namespace fb::jinja
