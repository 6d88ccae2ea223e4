#include <algorithm>
#include <cmath>
#include <core/template/pyformat_p.h>
#include <core/template/templatevalue_p.h>
#include <core/template/unicodetext_p.h>
#include <functional>

namespace fb::jinja {

void raiseError(std::string message) { throw TemplateError{std::move(message), 0}; }

// ---- DictObject / RangeObject / NamespaceObject ----------------------------------------------

const TemplateValue *DictObject::find(const TemplateValue &key) const
{
    for (const auto &entry : items) {
        if (py::equals(entry.first, key)) {
            return &entry.second;
        }
    }
    return nullptr;
}

void DictObject::set(TemplateValue key, TemplateValue value)
{
    for (auto &entry : items) {
        if (py::equals(entry.first, key)) {
            entry.second = std::move(value);
            return;
        }
    }
    items.emplace_back(std::move(key), std::move(value));
}

std::int64_t RangeObject::size() const
{
    if (step > 0 && start < stop) {
        return (stop - start - 1) / step + 1;
    }
    if (step < 0 && start > stop) {
        return (start - stop - 1) / (-step) + 1;
    }
    return 0;
}

TemplateValue *NamespaceObject::find(std::string_view name)
{
    for (auto &entry : attrs) {
        if (entry.first == name) {
            return &entry.second;
        }
    }
    return nullptr;
}

// ---- TemplateValue constructors ----------------------------------------------------------------

TemplateValue TemplateValue::undefinedName(const std::string *name)
{
    TemplateValue v;
    v.m_u.s = name;
    return v;
}

TemplateValue TemplateValue::undefinedWith(std::string name, std::string objectType, bool element)
{
    TemplateValue v;
    auto obj = std::make_shared<UndefinedObject>();
    obj->name = std::move(name);
    obj->objectType = std::move(objectType);
    obj->element = element;
    v.m_u.s = nullptr;
    v.m_heap = std::move(obj);
    return v;
}

TemplateValue TemplateValue::undefinedHint(std::string hint)
{
    TemplateValue v;
    auto obj = std::make_shared<UndefinedObject>();
    obj->hint = std::move(hint);
    v.m_u.s = nullptr;
    v.m_heap = std::move(obj);
    return v;
}

TemplateValue TemplateValue::none()
{
    TemplateValue v;
    v.m_kind = ValKind::None;
    return v;
}

TemplateValue TemplateValue::boolean(bool b)
{
    TemplateValue v;
    v.m_kind = ValKind::Bool;
    v.m_u.i = 0;
    v.m_u.b = b;
    return v;
}

TemplateValue TemplateValue::integer(std::int64_t i)
{
    TemplateValue v;
    v.m_kind = ValKind::Int;
    v.m_u.i = i;
    return v;
}

TemplateValue TemplateValue::real(double f)
{
    TemplateValue v;
    v.m_kind = ValKind::Float;
    v.m_u.f = f;
    return v;
}

TemplateValue TemplateValue::borrowed(const std::string *s)
{
    TemplateValue v;
    v.m_kind = ValKind::Str;
    v.m_u.s = s;
    return v;
}

TemplateValue TemplateValue::string(std::string s)
{
    TemplateValue v;
    v.m_kind = ValKind::Str;
    auto obj = std::make_shared<StrObject>();
    obj->text = std::move(s);
    v.m_u.s = &obj->text;
    v.m_heap = std::move(obj);
    return v;
}

TemplateValue TemplateValue::fromJson(const Value &json)
{
    TemplateValue v;
    switch (json.type()) {
    case Value::value_t::null:
        v.m_kind = ValKind::None;
        break;
    case Value::value_t::boolean:
        v.m_kind = ValKind::Bool;
        v.m_u.i = 0;
        v.m_u.b = json.get<bool>();
        break;
    case Value::value_t::number_integer:
        v.m_kind = ValKind::Int;
        v.m_u.i = json.get<std::int64_t>();
        break;
    case Value::value_t::number_unsigned: {
        const auto u = json.get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX)) {
            v.m_kind = ValKind::Int;
            v.m_u.i = static_cast<std::int64_t>(u);
        } else {
            v.m_kind = ValKind::Float;
            v.m_u.f = static_cast<double>(u);
        }
        break;
    }
    case Value::value_t::number_float:
        v.m_kind = ValKind::Float;
        v.m_u.f = json.get<double>();
        break;
    case Value::value_t::string:
        v.m_kind = ValKind::Str;
        v.m_u.s = json.get_ptr<const std::string *>();
        break;
    case Value::value_t::array:
        v.m_kind = ValKind::JsonArray;
        v.m_u.j = &json;
        break;
    case Value::value_t::object:
        v.m_kind = ValKind::JsonObject;
        v.m_u.j = &json;
        break;
    default:
        v.m_kind = ValKind::None;
        break;
    }
    return v;
}

TemplateValue TemplateValue::list(std::vector<TemplateValue> items, bool tuple)
{
    TemplateValue v;
    v.m_kind = ValKind::List;
    auto obj = std::make_shared<ListObject>();
    obj->items = std::move(items);
    obj->tuple = tuple;
    v.m_heap = std::move(obj);
    return v;
}

TemplateValue TemplateValue::dict(std::shared_ptr<DictObject> dict)
{
    TemplateValue v;
    v.m_kind = ValKind::Dict;
    v.m_heap = std::move(dict);
    return v;
}

TemplateValue TemplateValue::range(std::int64_t start, std::int64_t stop, std::int64_t step)
{
    TemplateValue v;
    v.m_kind = ValKind::Range;
    auto obj = std::make_shared<RangeObject>();
    obj->start = start;
    obj->stop = stop;
    obj->step = step;
    v.m_heap = std::move(obj);
    return v;
}

TemplateValue TemplateValue::callable(std::shared_ptr<CallableObject> callable)
{
    TemplateValue v;
    v.m_kind = ValKind::Callable;
    v.m_heap = std::move(callable);
    return v;
}

TemplateValue TemplateValue::ns(std::shared_ptr<NamespaceObject> ns)
{
    TemplateValue v;
    v.m_kind = ValKind::Namespace;
    v.m_heap = std::move(ns);
    return v;
}

TemplateValue TemplateValue::loop(std::shared_ptr<HeapObject> loop)
{
    TemplateValue v;
    v.m_kind = ValKind::Loop;
    v.m_heap = std::move(loop);
    return v;
}

// ---- Python semantics ------------------------------------------------------------------------

namespace py {

namespace {

void appendKeyRepr(std::string &out, const std::string &key) { PyFormat::appendStrRepr(out, key); }

void appendSequence(std::string &out, const TemplateValue &v)
{
    bool tuple = v.kind() == ValKind::List && v.listObject().tuple;
    const char *view = v.kind() == ValKind::List ? v.listObject().view : nullptr;
    if (view != nullptr) {
        out += view;
        out.push_back('(');
    }
    out.push_back(tuple ? '(' : '[');
    std::size_t n = 0;
    forEach(v, [&](const TemplateValue &item) {
        if (n++ > 0) {
            out += ", ";
        }
        appendRepr(out, item);
        return true;
    });
    if (tuple && n == 1) {
        out.push_back(',');
    }
    out.push_back(tuple ? ')' : ']');
    if (view != nullptr) {
        out.push_back(')');
    }
}

void appendMapping(std::string &out, const TemplateValue &v)
{
    out.push_back('{');
    bool first = true;
    if (v.kind() == ValKind::JsonObject) {
        for (const auto &entry : v.json().get_ref<const Value::object_t &>()) {
            if (!first) {
                out += ", ";
            }
            first = false;
            appendKeyRepr(out, entry.first);
            out += ": ";
            appendRepr(out, TemplateValue::fromJson(entry.second));
        }
    } else {
        for (const auto &entry : v.dictObject().items) {
            if (!first) {
                out += ", ";
            }
            first = false;
            appendRepr(out, entry.first);
            out += ": ";
            appendRepr(out, entry.second);
        }
    }
    out.push_back('}');
}

std::size_t codePoints(const std::string &s) { return UnicodeText::length(s); }

} // namespace

bool truthy(const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Undefined:
    case ValKind::None:
        return false;
    case ValKind::Bool:
        return v.boolValue();
    case ValKind::Int:
        return v.intValue() != 0;
    case ValKind::Float:
        return v.floatValue() != 0.0;
    case ValKind::Str:
        return !v.str().empty();
    case ValKind::List:
        return !v.listObject().items.empty();
    case ValKind::Dict:
        return !v.dictObject().items.empty();
    case ValKind::JsonArray:
    case ValKind::JsonObject:
        return !v.json().empty();
    case ValKind::Range:
        return v.rangeObject().size() > 0;
    default:
        return true;
    }
}

void appendStr(std::string &out, const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Undefined:
        return;
    case ValKind::None:
        out += "None";
        return;
    case ValKind::Bool:
        out += v.boolValue() ? "True" : "False";
        return;
    case ValKind::Int:
        PyFormat::appendInt(out, v.intValue());
        return;
    case ValKind::Float:
        PyFormat::appendFloat(out, v.floatValue());
        return;
    case ValKind::Str:
        out += v.str();
        return;
    case ValKind::List:
    case ValKind::JsonArray:
        appendSequence(out, v);
        return;
    case ValKind::Dict:
    case ValKind::JsonObject:
        appendMapping(out, v);
        return;
    case ValKind::Range: {
        const RangeObject &r = v.rangeObject();
        out += "range(";
        PyFormat::appendInt(out, r.start);
        out += ", ";
        PyFormat::appendInt(out, r.stop);
        if (r.step != 1) {
            out += ", ";
            PyFormat::appendInt(out, r.step);
        }
        out.push_back(')');
        return;
    }
    default:
        out += v.heap()->repr();
        return;
    }
}

std::string str(const TemplateValue &v)
{
    if (v.isStr()) {
        return v.str();
    }
    std::string out;
    appendStr(out, v);
    return out;
}

void appendRepr(std::string &out, const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Str:
        PyFormat::appendStrRepr(out, v.str());
        return;
    case ValKind::Undefined:
        out += "Undefined";
        return;
    default:
        appendStr(out, v);
        return;
    }
}

std::string repr(const TemplateValue &v)
{
    std::string out;
    appendRepr(out, v);
    return out;
}

std::string typeName(const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Undefined:
        return "Undefined";
    case ValKind::None:
        return "NoneType";
    case ValKind::Bool:
        return "bool";
    case ValKind::Int:
        return "int";
    case ValKind::Float:
        return "float";
    case ValKind::Str:
        return "str";
    case ValKind::List:
        return v.listObject().tuple ? "tuple" : "list";
    case ValKind::JsonArray:
        return "list";
    case ValKind::Dict:
    case ValKind::JsonObject:
        return "dict";
    case ValKind::Range:
        return "range";
    case ValKind::Callable:
        return v.callableObject().typeName();
    case ValKind::Namespace:
        return "Namespace";
    case ValKind::Loop:
        return "LoopContext";
    }
    return "object";
}

std::string objectTypeRepr(const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::None:
        return "None";
    case ValKind::Namespace:
        return "jinja2.utils.Namespace object";
    case ValKind::Loop:
        return "jinja2.runtime.LoopContext object";
    case ValKind::Undefined:
        return "jinja2.runtime.Undefined object";
    default:
        return typeName(v) + " object";
    }
}

std::string undefinedMessage(const TemplateValue &v)
{
    const UndefinedObject *details = v.undefinedObject();
    if (details == nullptr) {
        std::string msg;
        PyFormat::appendStrRepr(msg, v.undefinedNamePtr() ? *v.undefinedNamePtr() : std::string());
        return msg + " is undefined";
    }
    if (!details->hint.empty()) {
        return details->hint;
    }
    if (details->objectType.empty()) {
        std::string msg;
        PyFormat::appendStrRepr(msg, details->name);
        return msg + " is undefined";
    }
    if (details->element) {
        return details->objectType + " has no element " + details->name;
    }
    std::string msg;
    PyFormat::appendStrRepr(msg, details->objectType);
    msg += " has no attribute ";
    PyFormat::appendStrRepr(msg, details->name);
    return msg;
}

void failUndefined(const TemplateValue &v) { raiseError(undefinedMessage(v)); }

bool equals(const TemplateValue &a, const TemplateValue &b)
{
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat()) {
            return a.floatValue() == b.floatValue();
        }
        return a.intValue() == b.intValue();
    }
    const ValKind ka = a.kind();
    const ValKind kb = b.kind();
    if (ka == ValKind::Str && kb == ValKind::Str) {
        return a.str() == b.str();
    }
    if ((ka == ValKind::JsonArray || ka == ValKind::JsonObject) && ka == kb) {
        if (&a.json() == &b.json()) {
            return true;
        }
    }
    const bool seqA = ka == ValKind::JsonArray || (ka == ValKind::List && !a.listObject().tuple);
    const bool seqB = kb == ValKind::JsonArray || (kb == ValKind::List && !b.listObject().tuple);
    const bool tupA = ka == ValKind::List && a.listObject().tuple;
    const bool tupB = kb == ValKind::List && b.listObject().tuple;
    if ((seqA && seqB) || (tupA && tupB)) {
        if (length(a) != length(b)) {
            return false;
        }
        std::vector<TemplateValue> la = toList(a);
        std::vector<TemplateValue> lb = toList(b);
        for (std::size_t i = 0; i < la.size(); ++i) {
            if (!equals(la[i], lb[i])) {
                return false;
            }
        }
        return true;
    }
    if (a.isMapping() && b.isMapping()) {
        if (length(a) != length(b)) {
            return false;
        }
        bool same = true;
        forEach(a, [&](const TemplateValue &key) {
            TemplateValue other = getItem(b, key);
            if (other.isUndefined() || !equals(getItem(a, key), other)) {
                same = false;
                return false;
            }
            return true;
        });
        return same;
    }
    if (ka != kb) {
        return false;
    }
    switch (ka) {
    case ValKind::Undefined:
    case ValKind::None:
        return true;
    case ValKind::Range: {
        const RangeObject &ra = a.rangeObject();
        const RangeObject &rb = b.rangeObject();
        const std::int64_t n = ra.size();
        if (n != rb.size()) {
            return false;
        }
        return n == 0 || (ra.start == rb.start && (n == 1 || ra.step == rb.step));
    }
    default:
        return a.heap() == b.heap();
    }
}

int compare(const TemplateValue &a, const TemplateValue &b, const char *op)
{
    if (a.isUndefined()) {
        failUndefined(a);
    }
    if (b.isUndefined()) {
        failUndefined(b);
    }
    if (a.isNumber() && b.isNumber()) {
        if (a.isFloat() || b.isFloat()) {
            const double x = a.floatValue();
            const double y = b.floatValue();
            if (std::isnan(x) || std::isnan(y)) {
                return 2; // unordered: every comparison is false
            }
            return x < y ? -1 : (x > y ? 1 : 0);
        }
        const std::int64_t x = a.intValue();
        const std::int64_t y = b.intValue();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.isStr() && b.isStr()) {
        const int c = a.str().compare(b.str());
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    const bool seqA
        = a.kind() == ValKind::JsonArray || (a.kind() == ValKind::List && !a.listObject().tuple);
    const bool seqB
        = b.kind() == ValKind::JsonArray || (b.kind() == ValKind::List && !b.listObject().tuple);
    const bool tupA = a.kind() == ValKind::List && a.listObject().tuple;
    const bool tupB = b.kind() == ValKind::List && b.listObject().tuple;
    if ((seqA && seqB) || (tupA && tupB)) {
        std::vector<TemplateValue> la = toList(a);
        std::vector<TemplateValue> lb = toList(b);
        const std::size_t n = std::min(la.size(), lb.size());
        for (std::size_t i = 0; i < n; ++i) {
            if (!equals(la[i], lb[i])) {
                return compare(la[i], lb[i], op);
            }
        }
        return la.size() < lb.size() ? -1 : (la.size() > lb.size() ? 1 : 0);
    }
    raiseError(std::string("'") + op + "' not supported between instances of '" + typeName(a)
               + "' and '" + typeName(b) + "'");
}

std::size_t hash(const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Undefined:
    case ValKind::None:
        return 0x9e3779b9u;
    case ValKind::Bool:
    case ValKind::Int:
        return std::hash<std::int64_t>{}(v.intValue());
    case ValKind::Float: {
        const double f = v.floatValue();
        if (std::isfinite(f) && f == std::floor(f) && std::fabs(f) < 9.2e18) {
            return std::hash<std::int64_t>{}(static_cast<std::int64_t>(f));
        }
        return std::hash<double>{}(f);
    }
    case ValKind::Str:
        return std::hash<std::string_view>{}(v.str());
    case ValKind::List:
        if (v.listObject().tuple) {
            std::size_t h = 0x345678;
            for (const TemplateValue &item : v.listObject().items) {
                h = h * 1000003u ^ hash(item);
            }
            return h;
        }
        raiseError("unhashable type: 'list'");
    case ValKind::JsonArray:
        raiseError("unhashable type: 'list'");
    case ValKind::JsonObject:
    case ValKind::Dict:
        raiseError("unhashable type: 'dict'");
    default:
        return std::hash<const void *>{}(v.heap());
    }
}

std::size_t length(const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Undefined:
        return 0;
    case ValKind::Str:
        return codePoints(v.str());
    case ValKind::List:
        return v.listObject().items.size();
    case ValKind::Dict:
        return v.dictObject().items.size();
    case ValKind::JsonArray:
    case ValKind::JsonObject:
        return v.json().size();
    case ValKind::Range:
        return static_cast<std::size_t>(v.rangeObject().size());
    case ValKind::Namespace:
        raiseError("object of type 'Namespace' has no len()");
    default:
        raiseError("object of type '" + typeName(v) + "' has no len()");
    }
}

bool contains(const TemplateValue &haystack, const TemplateValue &needle)
{
    switch (haystack.kind()) {
    case ValKind::Undefined:
        return false;
    case ValKind::Str:
        if (!needle.isStr()) {
            if (needle.isUndefined()) {
                failUndefined(needle);
            }
            raiseError("'in <string>' requires string as left operand, not " + typeName(needle));
        }
        return haystack.str().find(needle.str()) != std::string::npos;
    case ValKind::JsonObject:
        if (!needle.isStr()) {
            return false;
        }
        return haystack.json().contains(needle.str());
    case ValKind::Dict:
        return haystack.dictObject().find(needle) != nullptr;
    case ValKind::Range: {
        if (!needle.isNumber()) {
            return false;
        }
        const double x = needle.floatValue();
        if (x != std::floor(x)) {
            return false;
        }
        const RangeObject &r = haystack.rangeObject();
        const auto i = static_cast<std::int64_t>(x);
        if (r.step > 0 ? (i < r.start || i >= r.stop) : (i > r.start || i <= r.stop)) {
            return false;
        }
        return (i - r.start) % r.step == 0;
    }
    case ValKind::List:
    case ValKind::JsonArray: {
        bool found = false;
        forEach(haystack, [&](const TemplateValue &item) {
            if (equals(item, needle)) {
                found = true;
                return false;
            }
            return true;
        });
        return found;
    }
    default:
        raiseError("argument of type '" + typeName(haystack) + "' is not iterable");
    }
}

bool isIterable(const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Undefined:
    case ValKind::Str:
    case ValKind::List:
    case ValKind::Dict:
    case ValKind::JsonArray:
    case ValKind::JsonObject:
    case ValKind::Range:
        return true;
    default:
        return false;
    }
}

std::vector<TemplateValue> toList(const TemplateValue &v)
{
    std::vector<TemplateValue> out;
    switch (v.kind()) {
    case ValKind::Undefined:
        return out;
    case ValKind::Str: {
        const std::string &s = v.str();
        std::size_t pos = 0;
        while (pos < s.size()) {
            const std::size_t start = pos;
            UnicodeText::decode(s, pos);
            out.push_back(TemplateValue::string(s.substr(start, pos - start)));
        }
        return out;
    }
    case ValKind::List:
        return v.listObject().items;
    case ValKind::JsonArray:
        out.reserve(v.json().size());
        for (const Value &item : v.json()) {
            out.push_back(TemplateValue::fromJson(item));
        }
        return out;
    case ValKind::JsonObject:
    case ValKind::Dict:
    case ValKind::Range:
        out.reserve(length(v));
        forEach(v, [&](const TemplateValue &item) {
            out.push_back(item);
            return true;
        });
        return out;
    default:
        raiseError("'" + typeName(v) + "' object is not iterable");
    }
}

namespace {

bool normalizeIndex(std::int64_t &index, std::size_t size)
{
    if (index < 0) {
        index += static_cast<std::int64_t>(size);
    }
    return index >= 0 && index < static_cast<std::int64_t>(size);
}

} // namespace

TemplateValue getItem(const TemplateValue &obj, const TemplateValue &key)
{
    switch (obj.kind()) {
    case ValKind::Undefined:
        failUndefined(obj);
    case ValKind::JsonObject:
        if (key.isStr()) {
            auto it = obj.json().find(key.str());
            if (it != obj.json().end()) {
                return TemplateValue::fromJson(*it);
            }
        }
        break;
    case ValKind::Dict:
        if (const TemplateValue *found = obj.dictObject().find(key)) {
            return *found;
        }
        break;
    case ValKind::List:
    case ValKind::JsonArray:
    case ValKind::Str:
    case ValKind::Range:
        if (key.isIntegral()) {
            std::int64_t index = key.intValue();
            if (obj.kind() == ValKind::List) {
                const auto &items = obj.listObject().items;
                if (normalizeIndex(index, items.size())) {
                    return items[static_cast<std::size_t>(index)];
                }
            } else if (obj.kind() == ValKind::JsonArray) {
                if (normalizeIndex(index, obj.json().size())) {
                    return TemplateValue::fromJson(obj.json()[static_cast<std::size_t>(index)]);
                }
            } else if (obj.kind() == ValKind::Range) {
                const RangeObject &r = obj.rangeObject();
                if (normalizeIndex(index, static_cast<std::size_t>(r.size()))) {
                    return TemplateValue::integer(r.start + index * r.step);
                }
            } else {
                const std::string &s = obj.str();
                const std::size_t n = UnicodeText::isAscii(s) ? s.size() : UnicodeText::length(s);
                if (normalizeIndex(index, n)) {
                    if (n == s.size()) {
                        return TemplateValue::string(
                            std::string(1, s[static_cast<std::size_t>(index)]));
                    }
                    std::size_t start = UnicodeText::offsetOf(s, static_cast<std::size_t>(index));
                    std::size_t end = start;
                    UnicodeText::decode(s, end);
                    return TemplateValue::string(s.substr(start, end - start));
                }
            }
        }
        break;
    default:
        break;
    }
    if (key.isStr()) {
        return TemplateValue::undefinedWith(key.str(), objectTypeRepr(obj), false);
    }
    return TemplateValue::undefinedWith(repr(key), objectTypeRepr(obj), true);
}

TemplateValue getKey(const TemplateValue &obj, const std::string &key)
{
    if (obj.kind() == ValKind::JsonObject) {
        auto it = obj.json().find(key);
        if (it != obj.json().end()) {
            return TemplateValue::fromJson(*it);
        }
        return TemplateValue::undefinedWith(key, "dict object", false);
    }
    return getItem(obj, TemplateValue::borrowed(&key));
}

TemplateValue slice(const TemplateValue &obj, const TemplateValue &startV,
                    const TemplateValue &stopV, const TemplateValue &stepV)
{
    if (obj.isUndefined()) {
        failUndefined(obj);
    }
    const bool sliceable = obj.isStr() || obj.kind() == ValKind::List
                           || obj.kind() == ValKind::JsonArray || obj.kind() == ValKind::Range;
    auto isIndex = [](const TemplateValue &v) { return v.isNone() || v.isIntegral(); };
    if (!sliceable || !isIndex(startV) || !isIndex(stopV) || !isIndex(stepV)) {
        return TemplateValue::undefinedWith("slice", objectTypeRepr(obj), true);
    }
    std::int64_t step = stepV.isNone() ? 1 : stepV.intValue();
    if (step == 0) {
        raiseError("slice step cannot be zero");
    }
    const bool ascii = obj.isStr() && UnicodeText::isAscii(obj.str());
    const auto len
        = static_cast<std::int64_t>(obj.isStr() && ascii ? obj.str().size() : length(obj));
    auto clamp = [&](const TemplateValue &v, std::int64_t defPos, std::int64_t defNeg) {
        if (v.isNone()) {
            return step > 0 ? defPos : defNeg;
        }
        std::int64_t i = v.intValue();
        if (i < 0) {
            i += len;
            if (i < 0) {
                i = step > 0 ? 0 : -1;
            }
        } else if (i >= len) {
            i = step > 0 ? len : len - 1;
        }
        return i;
    };
    const std::int64_t start = clamp(startV, 0, len - 1);
    const std::int64_t stop = clamp(stopV, len, -1);
    std::vector<std::int64_t> indices;
    if (step > 0) {
        for (std::int64_t i = start; i < stop; i += step) {
            indices.push_back(i);
        }
    } else {
        for (std::int64_t i = start; i > stop; i += step) {
            indices.push_back(i);
        }
    }
    if (obj.isStr()) {
        const std::string &s = obj.str();
        std::string out;
        if (ascii) {
            if (step == 1) {
                return TemplateValue::string(
                    indices.empty() ? std::string()
                                    : s.substr(static_cast<std::size_t>(start), indices.size()));
            }
            for (std::int64_t i : indices) {
                out.push_back(s[static_cast<std::size_t>(i)]);
            }
            return TemplateValue::string(std::move(out));
        }
        std::vector<TemplateValue> chars = toList(obj);
        for (std::int64_t i : indices) {
            out += chars[static_cast<std::size_t>(i)].str();
        }
        return TemplateValue::string(std::move(out));
    }
    std::vector<TemplateValue> items;
    items.reserve(indices.size());
    for (std::int64_t i : indices) {
        items.push_back(getItem(obj, TemplateValue::integer(i)));
    }
    if (obj.kind() == ValKind::Range) {
        const RangeObject &r = obj.rangeObject();
        return TemplateValue::range(r.start + start * r.step, r.start + stop * r.step,
                                    r.step * step);
    }
    return TemplateValue::list(std::move(items),
                               obj.kind() == ValKind::List && obj.listObject().tuple);
}

Value toJson(const TemplateValue &v)
{
    switch (v.kind()) {
    case ValKind::Undefined:
        raiseError("Object of type Undefined is not JSON serializable");
    case ValKind::None:
        return nullptr;
    case ValKind::Bool:
        return v.boolValue();
    case ValKind::Int:
        return v.intValue();
    case ValKind::Float:
        return v.floatValue();
    case ValKind::Str:
        return v.str();
    case ValKind::JsonArray:
    case ValKind::JsonObject:
        return v.json();
    case ValKind::List: {
        Value arr = Value::array();
        for (const TemplateValue &item : v.listObject().items) {
            arr.push_back(toJson(item));
        }
        return arr;
    }
    case ValKind::Dict: {
        Value obj = Value::object();
        for (const auto &entry : v.dictObject().items) {
            std::string key;
            if (entry.first.isStr()) {
                key = entry.first.str();
            } else if (entry.first.isBool()) {
                key = entry.first.boolValue() ? "true" : "false";
            } else if (entry.first.isNone()) {
                key = "null";
            } else {
                key = str(entry.first);
            }
            obj[key] = toJson(entry.second);
        }
        return obj;
    }
    default:
        raiseError("Object of type " + typeName(v) + " is not JSON serializable");
    }
}

namespace {

void appendJsonString(std::string &out, std::string_view s)
{
    static const char *hex = "0123456789abcdef";
    auto u4 = [&](unsigned int code) {
        out += "\\u";
        out.push_back(hex[(code >> 12) & 15]);
        out.push_back(hex[(code >> 8) & 15]);
        out.push_back(hex[(code >> 4) & 15]);
        out.push_back(hex[code & 15]);
    };
    out.push_back('"');
    std::size_t pos = 0;
    while (pos < s.size()) {
        const auto c = static_cast<unsigned char>(s[pos]);
        if (c < 0x80) {
            ++pos;
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '<':
            case '>':
            case '&':
            case '\'':
                u4(c); // Jinja2's htmlsafe_json_dumps
                break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    u4(c);
                } else {
                    out.push_back(static_cast<char>(c));
                }
            }
            continue;
        }
        const char32_t cp = UnicodeText::decode(s, pos);
        if (cp >= 0x10000) {
            const char32_t v = cp - 0x10000;
            u4(0xD800 + static_cast<unsigned int>(v >> 10));
            u4(0xDC00 + static_cast<unsigned int>(v & 0x3FF));
        } else {
            u4(static_cast<unsigned int>(cp));
        }
    }
    out.push_back('"');
}

void appendJson(std::string &out, const TemplateValue &v, const std::string *indent, int depth);

void newline(std::string &out, const std::string *indent, int depth)
{
    out.push_back('\n');
    for (int i = 0; i < depth; ++i) {
        out += *indent;
    }
}

void appendJsonKey(std::string &out, const TemplateValue &key)
{
    if (key.isStr()) {
        appendJsonString(out, key.str());
    } else if (key.isBool()) {
        out += key.boolValue() ? "\"true\"" : "\"false\"";
    } else if (key.isNone()) {
        out += "\"null\"";
    } else if (key.isNumber()) {
        out.push_back('"');
        appendStr(out, key);
        out.push_back('"');
    } else {
        raiseError("keys must be str, int, float, bool or None, not " + typeName(key));
    }
}

void appendJson(std::string &out, const TemplateValue &v, const std::string *indent, int depth)
{
    switch (v.kind()) {
    case ValKind::None:
        out += "null";
        return;
    case ValKind::Bool:
        out += v.boolValue() ? "true" : "false";
        return;
    case ValKind::Int:
        PyFormat::appendInt(out, v.intValue());
        return;
    case ValKind::Float: {
        const double f = v.floatValue();
        if (std::isnan(f)) {
            out += "NaN";
        } else if (std::isinf(f)) {
            out += f < 0 ? "-Infinity" : "Infinity";
        } else {
            PyFormat::appendFloat(out, f);
        }
        return;
    }
    case ValKind::Str:
        appendJsonString(out, v.str());
        return;
    case ValKind::List:
    case ValKind::JsonArray: {
        if (length(v) == 0) {
            out += "[]";
            return;
        }
        out.push_back('[');
        bool first = true;
        forEach(v, [&](const TemplateValue &item) {
            if (!first) {
                out += indent ? "," : ", ";
            }
            first = false;
            if (indent) {
                newline(out, indent, depth + 1);
            }
            appendJson(out, item, indent, depth + 1);
            return true;
        });
        if (indent) {
            newline(out, indent, depth);
        }
        out.push_back(']');
        return;
    }
    case ValKind::JsonObject:
    case ValKind::Dict: {
        if (length(v) == 0) {
            out += "{}";
            return;
        }
        std::vector<std::pair<TemplateValue, TemplateValue>> entries;
        if (v.kind() == ValKind::JsonObject) {
            for (const auto &entry : v.json().get_ref<const Value::object_t &>()) {
                entries.emplace_back(TemplateValue::borrowed(&entry.first),
                                     TemplateValue::fromJson(entry.second));
            }
        } else {
            entries = v.dictObject().items;
        }
        std::stable_sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
            return compare(a.first, b.first, "<") < 0;
        });
        out.push_back('{');
        bool first = true;
        for (const auto &entry : entries) {
            if (!first) {
                out += indent ? "," : ", ";
            }
            first = false;
            if (indent) {
                newline(out, indent, depth + 1);
            }
            appendJsonKey(out, entry.first);
            out += ": ";
            appendJson(out, entry.second, indent, depth + 1);
        }
        if (indent) {
            newline(out, indent, depth);
        }
        out.push_back('}');
        return;
    }
    default:
        raiseError("Object of type " + typeName(v) + " is not JSON serializable");
    }
}

} // namespace

std::string toJsonHtmlSafe(const TemplateValue &v, const std::string *indent)
{
    std::string out;
    appendJson(out, v, indent, 0);
    return out;
}

} // namespace py

} // namespace fb::jinja
