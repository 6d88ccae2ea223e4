#include <cmath>
#include <core/template/pyformat_p.h>
#include <core/template/templaterenderer_p.h>
#include <core/template/unicodetext_p.h>

namespace fb::jinja {

namespace {

/// Counts nesting of blocks, macro calls and recursive loops against the limit.
struct DepthScopeGuard
{
    DepthScopeGuard(int &depth, int limit)
        : m_depth(depth)
    {
        if (++m_depth > limit) {
            --m_depth;
            raiseError("nesting or recursion depth limit (" + std::to_string(limit) + ") exceeded");
        }
    }
    ~DepthScopeGuard() { --m_depth; }
    int &m_depth;
};

struct OutputSwap
{
    OutputSwap(std::string *&slot, std::string *buffer)
        : m_slot(slot)
        , m_saved(slot)
    {
        m_slot = buffer;
    }
    ~OutputSwap() { m_slot = m_saved; }
    std::string *&m_slot;
    std::string *m_saved;
};

struct FrameSwap
{
    FrameSwap(Frame *&slot, Frame *frame)
        : m_slot(slot)
        , m_saved(slot)
    {
        m_slot = frame;
    }
    ~FrameSwap() { m_slot = m_saved; }
    Frame *&m_slot;
    Frame *m_saved;
};

struct ArgsLease
{
    explicit ArgsLease(TemplateRenderer &r)
        : renderer(r)
        , args(r.acquireArgs())
    {
    }
    ~ArgsLease() { renderer.releaseArgs(); }
    TemplateRenderer &renderer;
    CallArgs &args;
};

class MacroObject final : public CallableObject
{
public:
    MacroObject(const MacroStmt &macro, Frame captured)
        : m_macro(macro)
        , m_captured(std::move(captured))
    {
    }
    [[nodiscard]] std::string repr() const override { return "<Macro '" + m_macro.name + "'>"; }
    [[nodiscard]] std::string typeName() const override { return "Macro"; }
    TemplateValue call(TemplateRenderer &renderer, CallArgs &args) override
    {
        return renderer.callMacro(m_macro, &m_captured, args);
    }

private:
    const MacroStmt &m_macro;
    Frame m_captured;
};

[[noreturn]] void unsupportedOperands(const char *op, const TemplateValue &a,
                                      const TemplateValue &b)
{
    if (a.isUndefined()) {
        py::failUndefined(a);
    }
    if (b.isUndefined()) {
        py::failUndefined(b);
    }
    raiseError(std::string("unsupported operand type(s) for ") + op + ": '" + py::typeName(a)
               + "' and '" + py::typeName(b) + "'");
}

void checkOverflow(bool overflow)
{
    if (overflow) {
        raiseError("integer overflow (template integers are 64-bit)");
    }
}

bool isListLike(const TemplateValue &v)
{
    return v.kind() == ValKind::JsonArray || (v.kind() == ValKind::List && !v.listObject().tuple);
}

} // namespace

// ---- LoopSource / LoopObject --------------------------------------------------------------------

TemplateValue LoopSource::at(std::size_t i) const
{
    if (materialized) {
        return items[i];
    }
    switch (iterable.kind()) {
    case ValKind::JsonArray:
        return TemplateValue::fromJson(iterable.json()[i]);
    case ValKind::List:
        return iterable.listObject().items[i];
    case ValKind::Range: {
        const RangeObject &r = iterable.rangeObject();
        return TemplateValue::integer(r.start + static_cast<std::int64_t>(i) * r.step);
    }
    default:
        return {};
    }
}

std::string LoopObject::repr() const
{
    return "<LoopContext " + std::to_string(index0 + 1) + "/" + std::to_string(source.size) + ">";
}

// ---- TemplateRenderer -------------------------------------------------------------------------

TemplateRenderer::TemplateRenderer(const ParsedTemplate &tpl, const Value &context,
                                   const TemplateLimits &limits)
    : m_tpl(tpl)
    , m_context(context)
    , m_limits(limits)
    , m_contextCache(tpl.names.names.size(), nullptr)
    , m_contextLooked(tpl.names.names.size(), 0)
{
}

std::string TemplateRenderer::render()
{
    std::string out;
    out.reserve(m_tpl.sourceSize + m_tpl.sourceSize / 2 + 64);
    m_out = &out;
    exec(m_tpl.body);
    return out;
}

CallArgs &TemplateRenderer::acquireArgs()
{
    if (m_argDepth == m_argPool.size()) {
        m_argPool.push_back(std::make_unique<CallArgs>());
    }
    CallArgs &args = *m_argPool[m_argDepth++];
    args.clear();
    args.what = "function";
    args.name = nullptr;
    return args;
}

void TemplateRenderer::releaseArgs() { --m_argDepth; }

void TemplateRenderer::checkSize(std::size_t bytes) const
{
    if (bytes > m_limits.maxOutputBytes) {
        raiseError("rendered output exceeds the limit of " + std::to_string(m_limits.maxOutputBytes)
                   + " bytes");
    }
}

void TemplateRenderer::checkOutput() const
{
    if (m_out->size() > m_limits.maxOutputBytes) {
        checkSize(m_out->size());
    }
}

void TemplateRenderer::countIterations(std::size_t n)
{
    m_iterations += n;
    if (m_iterations > m_limits.maxLoopIterations) {
        raiseError("loop iteration limit (" + std::to_string(m_limits.maxLoopIterations)
                   + ") exceeded");
    }
}

void TemplateRenderer::write(const TemplateValue &value)
{
    if (value.isStr()) {
        m_out->append(value.str());
    } else {
        py::appendStr(*m_out, value);
    }
    checkOutput();
}

// ---- statements -----------------------------------------------------------------------------

void TemplateRenderer::exec(const Body &body)
{
    for (const StmtPtr &stmt : body) {
        execStmt(*stmt);
    }
}

void TemplateRenderer::execStmt(const Stmt &stmt)
{
    m_line = stmt.line;
    switch (stmt.kind) {
    case StmtKind::Text:
        m_out->append(static_cast<const TextStmt &>(stmt).text);
        checkOutput();
        return;
    case StmtKind::Output:
        write(eval(*static_cast<const OutputStmt &>(stmt).expr));
        return;
    case StmtKind::If: {
        const auto &node = static_cast<const IfStmt &>(stmt);
        for (const auto &branch : node.branches) {
            if (py::truthy(eval(*branch.first))) {
                DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
                exec(branch.second);
                return;
            }
        }
        if (!node.elseBody.empty()) {
            DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
            exec(node.elseBody);
        }
        return;
    }
    case StmtKind::For: {
        const auto &node = static_cast<const ForStmt &>(stmt);
        TemplateValue iterable = eval(*node.iter);
        execFor(node, iterable, 0);
        return;
    }
    case StmtKind::Set: {
        const auto &node = static_cast<const SetStmt &>(stmt);
        TemplateValue value = eval(*node.value);
        m_line = node.line;
        assign(node.target, value, *m_frame);
        return;
    }
    case StmtKind::SetBlock: {
        const auto &node = static_cast<const SetBlockStmt &>(stmt);
        TemplateValue value = TemplateValue::string(capture(node.body));
        if (node.filter) {
            value = applyFilterChain(node.filter.get(), value);
        }
        m_line = node.line;
        assign(node.target, value, *m_frame);
        return;
    }
    case StmtKind::Macro:
        execMacroDef(static_cast<const MacroStmt &>(stmt));
        return;
    case StmtKind::CallBlock:
        execCallBlock(static_cast<const MacroStmt &>(stmt));
        return;
    case StmtKind::FilterBlock: {
        const auto &node = static_cast<const FilterBlockStmt &>(stmt);
        TemplateValue body = TemplateValue::string(capture(node.body));
        write(applyFilterChain(node.filter.get(), body));
        return;
    }
    case StmtKind::With: {
        const auto &node = static_cast<const WithStmt &>(stmt);
        Frame frame;
        frame.parent = m_frame;
        std::vector<TemplateValue> values;
        values.reserve(node.assignments.size());
        for (const auto &a : node.assignments) {
            values.push_back(eval(*a.second));
        }
        for (std::size_t i = 0; i < values.size(); ++i) {
            assign(node.assignments[i].first, values[i], frame);
        }
        DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
        FrameSwap swap(m_frame, &frame);
        exec(node.body);
        return;
    }
    case StmtKind::Scope: {
        DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
        exec(static_cast<const ScopeStmt &>(stmt).body);
        return;
    }
    }
}

std::string TemplateRenderer::capture(const Body &body)
{
    DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
    std::string buffer;
    OutputSwap swap(m_out, &buffer);
    exec(body);
    return buffer;
}

void TemplateRenderer::assign(const Target &target, const TemplateValue &value, Frame &frame)
{
    switch (target.kind) {
    case Target::Kind::Name:
        frame.set(target.id, value);
        return;
    case Target::Kind::NamespaceAttr: {
        NameExpr name(target.line);
        name.name = target.name;
        name.id = target.id;
        TemplateValue ns = lookup(name);
        if (ns.kind() != ValKind::Namespace) {
            raiseError("cannot assign attribute on non-namespace object");
        }
        NamespaceObject &obj = ns.namespaceObject();
        if (TemplateValue *slot = obj.find(target.attr)) {
            *slot = value;
        } else {
            obj.attrs.emplace_back(target.attr, value);
        }
        return;
    }
    case Target::Kind::Tuple: {
        const std::size_t expected = target.items.size();
        std::vector<TemplateValue> items;
        if (value.kind() == ValKind::List) {
            items = value.listObject().items;
        } else if (value.isUndefined()) {
            py::failUndefined(value);
        } else if (!py::isIterable(value)) {
            raiseError("cannot unpack non-iterable " + py::typeName(value) + " object");
        } else {
            items = py::toList(value);
        }
        if (items.size() < expected) {
            raiseError("not enough values to unpack (expected " + std::to_string(expected)
                       + ", got " + std::to_string(items.size()) + ")");
        }
        if (items.size() > expected) {
            raiseError("too many values to unpack (expected " + std::to_string(expected) + ")");
        }
        for (std::size_t i = 0; i < expected; ++i) {
            assign(target.items[i], items[i], frame);
        }
        return;
    }
    }
}

void TemplateRenderer::execFor(const ForStmt &node, const TemplateValue &iterable, int depth0)
{
    Frame frame;
    frame.parent = m_frame;
    std::shared_ptr<LoopObject> loop;
    LoopSource localSource;
    LoopSource *source = &localSource;
    if (node.usesLoop || node.recursive) {
        loop = std::make_shared<LoopObject>();
        loop->stmt = &node;
        loop->depth0 = depth0;
        loop->outerFrame = m_frame;
        source = &loop->source;
    }
    source->iterable = iterable;
    switch (iterable.kind()) {
    case ValKind::Undefined:
        source->size = 0;
        break;
    case ValKind::JsonArray:
        source->size = iterable.json().size();
        break;
    case ValKind::List:
        source->size = iterable.listObject().items.size();
        break;
    case ValKind::Range:
        source->size = static_cast<std::size_t>(iterable.rangeObject().size());
        break;
    default:
        if (!py::isIterable(iterable)) {
            raiseError("'" + py::typeName(iterable) + "' object is not iterable");
        }
        source->items = py::toList(iterable);
        source->materialized = true;
        source->size = source->items.size();
        break;
    }
    FrameSwap swap(m_frame, &frame);
    if (node.filter) {
        // The loop filter sees the target but not this loop's `loop` (as in Jinja2).
        std::vector<TemplateValue> kept;
        for (std::size_t i = 0; i < source->size; ++i) {
            countIterations(1);
            TemplateValue item = source->at(i);
            assign(node.target, item, frame);
            if (py::truthy(eval(*node.filter))) {
                kept.push_back(std::move(item));
            }
        }
        source->items = std::move(kept);
        source->materialized = true;
        source->size = source->items.size();
    }
    if (source->size == 0) {
        m_frame = swap.m_saved;
        if (!node.elseBody.empty()) {
            DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
            exec(node.elseBody);
        }
        return;
    }
    DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
    if (loop) {
        loop->running = true;
    }
    for (std::size_t i = 0; i < source->size; ++i) {
        countIterations(1);
        m_line = node.line;
        // Jinja2 enters the loop frame afresh on every iteration: what the body `set` in
        // one iteration is gone in the next.
        frame.vars.clear();
        assign(node.target, source->at(i), frame);
        if (loop) {
            frame.set(node.loopId, TemplateValue::loop(loop));
            loop->index0 = static_cast<std::int64_t>(i);
        }
        exec(node.body);
    }
    if (loop) {
        loop->running = false;
    }
}

TemplateValue TemplateRenderer::callLoop(LoopObject &loop, CallArgs &args)
{
    if (!loop.stmt->recursive) {
        raiseError("Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.");
    }
    if (args.positional.size() != 1 || !args.keywords.empty()) {
        raiseError("loop() takes exactly one argument");
    }
    if (!loop.running) {
        raiseError("a recursive loop can only be called inside its body");
    }
    DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
    std::string buffer;
    {
        OutputSwap swap(m_out, &buffer);
        FrameSwap frames(m_frame, loop.outerFrame);
        const TemplateValue iterable = args.positional[0];
        execFor(*loop.stmt, iterable, loop.depth0 + 1);
    }
    return TemplateValue::string(std::move(buffer));
}

void TemplateRenderer::execMacroDef(const MacroStmt &node)
{
    // Macros see the top level at call time; variables of enclosing loops or with blocks are
    // captured as they are now.
    Frame captured;
    captured.parent = &m_root;
    for (Frame *f = m_frame; f != nullptr && f != &m_root; f = f->parent) {
        for (const auto &entry : f->vars) {
            if (captured.find(entry.first) == nullptr) {
                captured.vars.push_back(entry);
            }
        }
    }
    auto macro = std::make_shared<MacroObject>(node, std::move(captured));
    m_frame->set(node.id, TemplateValue::callable(std::move(macro)));
}

namespace {

class CallerObject final : public CallableObject
{
public:
    CallerObject(const MacroStmt &macro, Frame *parent)
        : m_macro(macro)
        , m_parent(parent)
    {
    }
    [[nodiscard]] std::string repr() const override { return "<Macro 'caller'>"; }
    [[nodiscard]] std::string typeName() const override { return "Macro"; }
    TemplateValue call(TemplateRenderer &renderer, CallArgs &args) override
    {
        return renderer.callMacro(m_macro, m_parent, args);
    }

private:
    const MacroStmt &m_macro;
    Frame *m_parent;
};

} // namespace

void TemplateRenderer::execCallBlock(const MacroStmt &node)
{
    TemplateValue caller = TemplateValue::callable(std::make_shared<CallerObject>(node, m_frame));
    write(evalCall(static_cast<const CallExpr &>(*node.call), &caller));
}

TemplateValue TemplateRenderer::callMacro(const MacroStmt &macro, Frame *parent, CallArgs &args)
{
    DepthScopeGuard depth(m_depth, m_limits.maxRecursionDepth);
    Frame frame;
    frame.parent = parent;
    const std::size_t nParams = macro.params.size();
    std::vector<bool> given(nParams, false);
    std::vector<TemplateValue> extra;
    for (std::size_t i = 0; i < args.positional.size(); ++i) {
        if (i < nParams) {
            frame.set(macro.params[i].id, args.positional[i]);
            given[i] = true;
        } else if (macro.usesVarargs) {
            extra.push_back(args.positional[i]);
        } else {
            raiseError("macro '" + macro.name + "' takes not more than " + std::to_string(nParams)
                       + " argument(s)");
        }
    }
    auto kwargs = std::make_shared<DictObject>();
    for (const auto &kw : args.keywords) {
        bool matched = false;
        for (std::size_t i = 0; i < nParams; ++i) {
            if (macro.params[i].name == kw.first) {
                if (given[i]) {
                    raiseError("macro '" + macro.name + "' got multiple values for argument '"
                               + kw.first + "'");
                }
                frame.set(macro.params[i].id, kw.second);
                given[i] = true;
                matched = true;
                break;
            }
        }
        if (matched) {
            continue;
        }
        if (kw.first == "caller" && macro.usesCaller) {
            frame.set(m_tpl.callerId, kw.second);
        } else if (macro.usesKwargs) {
            kwargs->set(TemplateValue::string(kw.first), kw.second);
        } else {
            raiseError("macro '" + macro.name + "' takes no keyword argument '" + kw.first + "'");
        }
    }
    FrameSwap swap(m_frame, &frame);
    for (std::size_t i = 0; i < nParams; ++i) {
        if (given[i]) {
            continue;
        }
        const MacroParam &p = macro.params[i];
        if (p.defaultValue) {
            frame.set(p.id, eval(*p.defaultValue));
        } else {
            frame.set(p.id,
                      TemplateValue::undefinedHint("parameter '" + p.name + "' was not provided"));
        }
    }
    if (macro.usesVarargs) {
        frame.set(m_tpl.varargsId, TemplateValue::list(std::move(extra), true));
    }
    if (macro.usesKwargs) {
        frame.set(m_tpl.kwargsId, TemplateValue::dict(std::move(kwargs)));
    }
    std::string buffer;
    {
        OutputSwap out(m_out, &buffer);
        exec(macro.body);
    }
    return TemplateValue::string(std::move(buffer));
}

// ---- expressions ----------------------------------------------------------------------------

TemplateValue TemplateRenderer::lookup(const NameExpr &name)
{
    for (Frame *f = m_frame; f != nullptr; f = f->parent) {
        for (const auto &entry : f->vars) {
            if (entry.first == name.id) {
                return entry.second;
            }
        }
    }
    const auto id = static_cast<std::size_t>(name.id);
    if (!m_contextLooked[id]) {
        m_contextLooked[id] = 1;
        if (m_context.is_object()) {
            auto it = m_context.find(name.name);
            if (it != m_context.end()) {
                m_contextCache[id] = &*it;
            }
        }
    }
    if (const Value *v = m_contextCache[id]) {
        return TemplateValue::fromJson(*v);
    }
    if (TemplateBuiltins::isGlobal(name.name)) {
        return TemplateBuiltins::global(name.name);
    }
    return TemplateValue::undefinedName(&name.name);
}

TemplateValue TemplateRenderer::eval(const Expr &expr)
{
    switch (expr.kind) {
    case ExprKind::Const:
        return static_cast<const ConstExpr &>(expr).value;
    case ExprKind::Name:
        return lookup(static_cast<const NameExpr &>(expr));
    case ExprKind::List: {
        const auto &node = static_cast<const ListExpr &>(expr);
        std::vector<TemplateValue> items;
        items.reserve(node.items.size());
        for (const ExprPtr &item : node.items) {
            items.push_back(eval(*item));
        }
        return TemplateValue::list(std::move(items), node.tuple);
    }
    case ExprKind::Dict: {
        const auto &node = static_cast<const DictExpr &>(expr);
        auto dict = std::make_shared<DictObject>();
        for (const auto &item : node.items) {
            TemplateValue key = eval(*item.first);
            TemplateValue value = eval(*item.second);
            (void)py::hash(key);
            dict->set(std::move(key), std::move(value));
        }
        return TemplateValue::dict(std::move(dict));
    }
    case ExprKind::GetAttr: {
        const auto &node = static_cast<const GetAttrExpr &>(expr);
        TemplateValue obj = eval(*node.object);
        m_line = node.line;
        return getAttr(obj, node.name);
    }
    case ExprKind::GetItem: {
        const auto &node = static_cast<const GetItemExpr &>(expr);
        TemplateValue obj = eval(*node.object);
        TemplateValue key = eval(*node.key);
        m_line = node.line;
        return getItem(obj, key);
    }
    case ExprKind::Slice: {
        const auto &node = static_cast<const SliceExpr &>(expr);
        TemplateValue obj = eval(*node.object);
        TemplateValue start = node.start ? eval(*node.start) : TemplateValue::none();
        TemplateValue stop = node.stop ? eval(*node.stop) : TemplateValue::none();
        TemplateValue step = node.step ? eval(*node.step) : TemplateValue::none();
        m_line = node.line;
        return py::slice(obj, start, stop, step);
    }
    case ExprKind::Call:
        return evalCall(static_cast<const CallExpr &>(expr), nullptr);
    case ExprKind::Filter:
        return evalFilter(static_cast<const FilterExpr &>(expr), nullptr);
    case ExprKind::Test: {
        const auto &node = static_cast<const TestExpr &>(expr);
        TemplateValue input = eval(*node.input);
        ArgsLease lease(*this);
        lease.args.what = "test";
        lease.args.name = &node.name;
        evalArgs(node.args, lease.args);
        m_line = node.line;
        return TemplateValue::boolean(node.fn(*this, input, lease.args));
    }
    case ExprKind::Negate:
    case ExprKind::Plus: {
        const auto &node = static_cast<const UnaryExpr &>(expr);
        TemplateValue v = eval(*node.operand);
        m_line = node.line;
        const bool neg = expr.kind == ExprKind::Negate;
        if (v.isFloat()) {
            return TemplateValue::real(neg ? -v.floatValue() : v.floatValue());
        }
        if (v.isIntegral()) {
            const std::int64_t i = v.intValue();
            if (!neg) {
                return TemplateValue::integer(i);
            }
            checkOverflow(i == INT64_MIN);
            return TemplateValue::integer(-i);
        }
        if (v.isUndefined()) {
            py::failUndefined(v);
        }
        raiseError(std::string("bad operand type for unary ") + (neg ? "-" : "+") + ": '"
                   + py::typeName(v) + "'");
    }
    case ExprKind::Not:
        return TemplateValue::boolean(
            !py::truthy(eval(*static_cast<const UnaryExpr &>(expr).operand)));
    case ExprKind::Binary: {
        const auto &node = static_cast<const BinaryExpr &>(expr);
        TemplateValue a = eval(*node.left);
        TemplateValue b = eval(*node.right);
        m_line = node.line;
        return binary(node.op, a, b);
    }
    case ExprKind::Concat: {
        const auto &node = static_cast<const ConcatExpr &>(expr);
        std::string out;
        for (const ExprPtr &part : node.parts) {
            py::appendStr(out, eval(*part));
            checkSize(out.size());
        }
        return TemplateValue::string(std::move(out));
    }
    case ExprKind::And: {
        const auto &node = static_cast<const ConcatExpr &>(expr);
        TemplateValue left = eval(*node.parts[0]);
        if (!py::truthy(left)) {
            return left;
        }
        return eval(*node.parts[1]);
    }
    case ExprKind::Or: {
        const auto &node = static_cast<const ConcatExpr &>(expr);
        TemplateValue left = eval(*node.parts[0]);
        if (py::truthy(left)) {
            return left;
        }
        return eval(*node.parts[1]);
    }
    case ExprKind::Compare: {
        const auto &node = static_cast<const CompareExpr &>(expr);
        TemplateValue left = eval(*node.first);
        for (const auto &r : node.rest) {
            TemplateValue right = eval(*r.second);
            m_line = node.line;
            if (!compareOp(r.first, left, right)) {
                return TemplateValue::boolean(false);
            }
            left = std::move(right);
        }
        return TemplateValue::boolean(true);
    }
    case ExprKind::Conditional: {
        const auto &node = static_cast<const ConditionalExpr &>(expr);
        if (py::truthy(eval(*node.test))) {
            return eval(*node.then);
        }
        if (node.otherwise) {
            return eval(*node.otherwise);
        }
        return TemplateValue::undefinedHint(
            "the inline if-expression on line " + std::to_string(node.line)
            + " evaluated to false and no else section was defined.");
    }
    }
    return {};
}

bool TemplateRenderer::compareOp(CompareOp op, const TemplateValue &a, const TemplateValue &b)
{
    switch (op) {
    case CompareOp::Eq:
        return py::equals(a, b);
    case CompareOp::Ne:
        return !py::equals(a, b);
    case CompareOp::Lt:
        return py::compare(a, b, "<") == -1;
    case CompareOp::Le: {
        const int c = py::compare(a, b, "<=");
        return c == -1 || c == 0;
    }
    case CompareOp::Gt:
        return py::compare(a, b, ">") == 1;
    case CompareOp::Ge: {
        const int c = py::compare(a, b, ">=");
        return c == 1 || c == 0;
    }
    case CompareOp::In:
        return py::contains(b, a);
    case CompareOp::NotIn:
        return !py::contains(b, a);
    }
    return false;
}

TemplateValue TemplateRenderer::binary(BinaryOp op, const TemplateValue &a, const TemplateValue &b)
{
    const bool numbers = a.isNumber() && b.isNumber();
    const bool floats = numbers && (a.isFloat() || b.isFloat());
    switch (op) {
    case BinaryOp::Add:
        if (numbers) {
            if (floats) {
                return TemplateValue::real(a.floatValue() + b.floatValue());
            }
            std::int64_t r = 0;
            checkOverflow(__builtin_add_overflow(a.intValue(), b.intValue(), &r));
            return TemplateValue::integer(r);
        }
        if (a.isStr() && b.isStr()) {
            checkSize(a.str().size() + b.str().size());
            return TemplateValue::string(a.str() + b.str());
        }
        if (a.isStr() && !b.isUndefined()) {
            raiseError("can only concatenate str (not \"" + py::typeName(b) + "\") to str");
        }
        if ((isListLike(a) && isListLike(b))
            || (a.kind() == ValKind::List && b.kind() == ValKind::List && a.listObject().tuple
                && b.listObject().tuple)) {
            std::vector<TemplateValue> items = py::toList(a);
            std::vector<TemplateValue> more = py::toList(b);
            items.insert(items.end(), more.begin(), more.end());
            return TemplateValue::list(std::move(items),
                                       a.kind() == ValKind::List && a.listObject().tuple);
        }
        if ((isListLike(a) || a.kind() == ValKind::List) && !b.isUndefined()) {
            raiseError("can only concatenate " + py::typeName(a) + " (not \"" + py::typeName(b)
                       + "\") to " + py::typeName(a));
        }
        unsupportedOperands("+", a, b);
    case BinaryOp::Sub:
        if (numbers) {
            if (floats) {
                return TemplateValue::real(a.floatValue() - b.floatValue());
            }
            std::int64_t r = 0;
            checkOverflow(__builtin_sub_overflow(a.intValue(), b.intValue(), &r));
            return TemplateValue::integer(r);
        }
        unsupportedOperands("-", a, b);
    case BinaryOp::Mul: {
        if (numbers) {
            if (floats) {
                return TemplateValue::real(a.floatValue() * b.floatValue());
            }
            std::int64_t r = 0;
            checkOverflow(__builtin_mul_overflow(a.intValue(), b.intValue(), &r));
            return TemplateValue::integer(r);
        }
        const TemplateValue *seq = nullptr;
        const TemplateValue *count = nullptr;
        if ((a.isStr() || a.kind() == ValKind::List || a.kind() == ValKind::JsonArray)
            && b.isNumber()) {
            seq = &a;
            count = &b;
        } else if ((b.isStr() || b.kind() == ValKind::List || b.kind() == ValKind::JsonArray)
                   && a.isNumber()) {
            seq = &b;
            count = &a;
        }
        if (seq != nullptr) {
            if (count->isFloat()) {
                raiseError("can't multiply sequence by non-int of type 'float'");
            }
            const std::int64_t n = std::max<std::int64_t>(0, count->intValue());
            if (seq->isStr()) {
                const std::size_t unit = seq->str().size();
                if (unit > 0 && static_cast<std::uint64_t>(n) > m_limits.maxOutputBytes / unit) {
                    checkSize(m_limits.maxOutputBytes + 1);
                }
                std::string out;
                out.reserve(unit * static_cast<std::size_t>(n));
                for (std::int64_t i = 0; i < n; ++i) {
                    out += seq->str();
                }
                return TemplateValue::string(std::move(out));
            }
            std::vector<TemplateValue> base = py::toList(*seq);
            if (!base.empty()
                && static_cast<std::uint64_t>(n) > m_limits.maxOutputBytes / base.size()) {
                checkSize(m_limits.maxOutputBytes + 1);
            }
            std::vector<TemplateValue> items;
            items.reserve(base.size() * static_cast<std::size_t>(n));
            for (std::int64_t i = 0; i < n; ++i) {
                items.insert(items.end(), base.begin(), base.end());
            }
            return TemplateValue::list(std::move(items),
                                       seq->kind() == ValKind::List && seq->listObject().tuple);
        }
        if ((a.isStr() || isListLike(a)) && !b.isUndefined() && !b.isNumber()) {
            raiseError("can't multiply sequence by non-int of type '" + py::typeName(b) + "'");
        }
        unsupportedOperands("*", a, b);
    }
    case BinaryOp::Div:
        if (numbers) {
            if (b.floatValue() == 0.0) {
                raiseError(floats ? "float division by zero" : "division by zero");
            }
            return TemplateValue::real(a.floatValue() / b.floatValue());
        }
        unsupportedOperands("/", a, b);
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod:
        if (op == BinaryOp::Mod && a.isStr() && !b.isUndefined()) {
            std::string out = PyFormat::percent(a.str(), b);
            checkSize(out.size());
            return TemplateValue::string(std::move(out));
        }
        if (numbers) {
            if (floats) {
                const double x = a.floatValue();
                const double y = b.floatValue();
                if (y == 0.0) {
                    raiseError(op == BinaryOp::Mod ? "float modulo"
                                                   : "float floor division by zero");
                }
                double mod = std::fmod(x, y);
                double div = (x - mod) / y;
                if (mod != 0.0) {
                    if ((y < 0) != (mod < 0)) {
                        mod += y;
                        div -= 1.0;
                    }
                } else {
                    mod = std::copysign(0.0, y);
                }
                if (op == BinaryOp::Mod) {
                    return TemplateValue::real(mod);
                }
                double floordiv = 0.0;
                if (div != 0.0) {
                    floordiv = std::floor(div);
                    if (div - floordiv > 0.5) {
                        floordiv += 1.0;
                    }
                } else {
                    floordiv = std::copysign(0.0, x / y);
                }
                return TemplateValue::real(floordiv);
            }
            const std::int64_t x = a.intValue();
            const std::int64_t y = b.intValue();
            if (y == 0) {
                raiseError(op == BinaryOp::Mod ? "integer modulo by zero"
                                               : "integer division or modulo by zero");
            }
            if (x == INT64_MIN && y == -1) {
                if (op == BinaryOp::Mod) {
                    return TemplateValue::integer(0);
                }
                checkOverflow(true);
            }
            std::int64_t q = x / y;
            std::int64_t r = x % y;
            if (r != 0 && ((r < 0) != (y < 0))) {
                r += y;
                q -= 1;
            }
            return TemplateValue::integer(op == BinaryOp::Mod ? r : q);
        }
        unsupportedOperands(op == BinaryOp::Mod ? "%" : "//", a, b);
    case BinaryOp::Pow:
        if (numbers) {
            if (!floats && b.intValue() >= 0) {
                std::int64_t base = a.intValue();
                std::int64_t exp = b.intValue();
                std::int64_t result = 1;
                while (exp > 0) {
                    if (exp & 1) {
                        checkOverflow(__builtin_mul_overflow(result, base, &result));
                    }
                    exp >>= 1;
                    if (exp > 0) {
                        checkOverflow(__builtin_mul_overflow(base, base, &base));
                    }
                }
                return TemplateValue::integer(result);
            }
            const double x = a.floatValue();
            const double y = b.floatValue();
            if (x == 0.0 && y < 0) {
                raiseError("0.0 cannot be raised to a negative power");
            }
            if (x < 0 && y != std::floor(y)) {
                raiseError("complex results are not supported");
            }
            return TemplateValue::real(std::pow(x, y));
        }
        unsupportedOperands("** or pow()", a, b);
    }
    return {};
}

void TemplateRenderer::evalArgs(const CallArgsNode &node, CallArgs &out)
{
    for (const ExprPtr &arg : node.args) {
        out.positional.push_back(eval(*arg));
    }
    if (node.dynArgs) {
        TemplateValue extra = eval(*node.dynArgs);
        for (TemplateValue &item : py::toList(extra)) {
            out.positional.push_back(std::move(item));
        }
    }
    for (const auto &kw : node.kwargs) {
        out.keywords.emplace_back(kw.first, eval(*kw.second));
    }
    if (node.dynKwargs) {
        TemplateValue extra = eval(*node.dynKwargs);
        if (!extra.isMapping()) {
            raiseError("argument after ** must be a mapping, not " + py::typeName(extra));
        }
        py::forEach(extra, [&](const TemplateValue &key) {
            if (!key.isStr()) {
                raiseError("keywords must be strings");
            }
            out.keywords.emplace_back(key.str(), py::getItem(extra, key));
            return true;
        });
    }
}

TemplateValue TemplateRenderer::evalCall(const CallExpr &node, const TemplateValue *caller)
{
    TemplateValue callee;
    if (node.callee->kind == ExprKind::GetAttr) {
        const auto &attr = static_cast<const GetAttrExpr &>(*node.callee);
        TemplateValue self = eval(*attr.object);
        m_line = attr.line;
        if (self.kind() == ValKind::Loop && (attr.name == "cycle" || attr.name == "changed")) {
            ArgsLease lease(*this);
            evalArgs(node.args, lease.args);
            m_line = node.line;
            return loopMethod(static_cast<LoopObject &>(*self.heap()), attr.name, lease.args);
        }
        if (attr.name.rfind("__", 0) != 0 && TemplateBuiltins::hasMethod(self, attr.name)) {
            ArgsLease lease(*this);
            lease.args.what = "method";
            evalArgs(node.args, lease.args);
            m_line = node.line;
            return TemplateBuiltins::callMethod(*this, self, attr.name, lease.args);
        }
        callee = getAttr(self, attr.name);
    } else {
        callee = eval(*node.callee);
    }
    ArgsLease lease(*this);
    evalArgs(node.args, lease.args);
    if (caller != nullptr) {
        lease.args.keywords.emplace_back("caller", *caller);
    }
    m_line = node.line;
    return callValue(callee, lease.args);
}

TemplateValue TemplateRenderer::callValue(const TemplateValue &callee, CallArgs &args)
{
    switch (callee.kind()) {
    case ValKind::Callable:
        return callee.callableObject().call(*this, args);
    case ValKind::Loop:
        return callLoop(static_cast<LoopObject &>(*callee.heap()), args);
    case ValKind::Undefined:
        py::failUndefined(callee);
    default:
        raiseError("'" + py::typeName(callee) + "' object is not callable");
    }
}

TemplateValue TemplateRenderer::evalFilter(const FilterExpr &node, const TemplateValue *input)
{
    TemplateValue value;
    if (node.input) {
        value = eval(*node.input);
    } else if (input != nullptr) {
        value = *input;
    }
    ArgsLease lease(*this);
    lease.args.what = "filter";
    lease.args.name = &node.name;
    evalArgs(node.args, lease.args);
    m_line = node.line;
    return node.fn(*this, value, lease.args);
}

TemplateValue TemplateRenderer::applyFilterChain(const Expr *filter, const TemplateValue &input)
{
    // The chain's innermost filter has no input expression: it receives `input`.
    const auto &node = static_cast<const FilterExpr &>(*filter);
    if (!node.input) {
        return evalFilter(node, &input);
    }
    TemplateValue inner = applyFilterChain(node.input.get(), input);
    ArgsLease lease(*this);
    lease.args.what = "filter";
    lease.args.name = &node.name;
    evalArgs(node.args, lease.args);
    m_line = node.line;
    return node.fn(*this, inner, lease.args);
}

TemplateValue TemplateRenderer::callFilter(const std::string &name, const TemplateValue &value,
                                           CallArgs &args)
{
    FilterFn fn = TemplateBuiltins::filter(name);
    if (fn == nullptr) {
        raiseError("unknown filter '" + name + "'");
    }
    return fn(*this, value, args);
}

bool TemplateRenderer::callTest(const std::string &name, const TemplateValue &value, CallArgs &args)
{
    TestFn fn = TemplateBuiltins::test(name);
    if (fn == nullptr) {
        raiseError("unknown test '" + name + "'");
    }
    return fn(*this, value, args);
}

// ---- attribute and item access (sandboxed) ----------------------------------------------------

TemplateValue TemplateRenderer::getAttr(const TemplateValue &obj, const std::string &name,
                                        bool maybeMethod)
{
    if (obj.isUndefined()) {
        py::failUndefined(obj);
    }
    if (name.size() >= 2 && name[0] == '_' && name[1] == '_') {
        return TemplateValue::undefinedHint("access to attribute '" + name + "' of '"
                                            + py::typeName(obj) + "' object is unsafe.");
    }
    switch (obj.kind()) {
    case ValKind::JsonObject: {
        if (maybeMethod && TemplateBuiltins::hasMethod(obj, name)) {
            return TemplateBuiltins::boundMethod(obj, name);
        }
        auto it = obj.json().find(name);
        if (it != obj.json().end()) {
            return TemplateValue::fromJson(*it);
        }
        return TemplateValue::undefinedWith(name, "dict object", false);
    }
    case ValKind::Namespace:
        if (TemplateValue *v = obj.namespaceObject().find(name)) {
            return *v;
        }
        return TemplateValue::undefinedWith(name, py::objectTypeRepr(obj), false);
    case ValKind::Loop:
        return loopAttr(static_cast<const LoopObject &>(*obj.heap()), name);
    case ValKind::List:
        if (obj.listObject().groupTuple && (name == "grouper" || name == "list")) {
            return obj.listObject().items[name == "grouper" ? 0 : 1];
        }
        break;
    default:
        break;
    }
    if (maybeMethod && TemplateBuiltins::hasMethod(obj, name)) {
        return TemplateBuiltins::boundMethod(obj, name);
    }
    if (obj.kind() == ValKind::Range && (name == "start" || name == "stop" || name == "step")) {
        const RangeObject &r = obj.rangeObject();
        return TemplateValue::integer(name == "start" ? r.start
                                                      : (name == "stop" ? r.stop : r.step));
    }
    if (obj.kind() == ValKind::Dict) {
        return py::getItem(obj, TemplateValue::borrowed(&name));
    }
    return TemplateValue::undefinedWith(name, py::objectTypeRepr(obj), false);
}

TemplateValue TemplateRenderer::getItem(const TemplateValue &obj, const TemplateValue &key)
{
    TemplateValue v = py::getItem(obj, key);
    if (!v.isUndefined() || !key.isStr()) {
        return v;
    }
    const std::string &name = key.str();
    if (name.size() >= 2 && name[0] == '_' && name[1] == '_') {
        return TemplateValue::undefinedHint("access to attribute '" + name + "' of '"
                                            + py::typeName(obj) + "' object is unsafe.");
    }
    if (obj.kind() == ValKind::Namespace || obj.kind() == ValKind::Loop
        || TemplateBuiltins::hasMethod(obj, name)) {
        return getAttr(obj, name);
    }
    return v;
}

TemplateValue TemplateRenderer::getPath(const TemplateValue &obj, const TemplateValue &path)
{
    if (!path.isStr()) {
        if (path.isNone()) {
            return obj;
        }
        return getItem(obj, path);
    }
    TemplateValue current = obj;
    const std::string &p = path.str();
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = p.find('.', start);
        const std::string part
            = p.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool digits
            = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
        current = digits ? getItem(current, TemplateValue::integer(std::stoll(part)))
                         : getItem(current, TemplateValue::string(part));
        if (dot == std::string::npos) {
            break;
        }
        start = dot + 1;
    }
    return current;
}

TemplateValue TemplateRenderer::loopAttr(const LoopObject &loop, const std::string &name)
{
    const auto length = static_cast<std::int64_t>(loop.source.size);
    const std::int64_t i = loop.index0;
    if (name == "index") {
        return TemplateValue::integer(i + 1);
    }
    if (name == "index0") {
        return TemplateValue::integer(i);
    }
    if (name == "revindex") {
        return TemplateValue::integer(length - i);
    }
    if (name == "revindex0") {
        return TemplateValue::integer(length - i - 1);
    }
    if (name == "first") {
        return TemplateValue::boolean(i == 0);
    }
    if (name == "last") {
        return TemplateValue::boolean(i == length - 1);
    }
    if (name == "length") {
        return TemplateValue::integer(length);
    }
    if (name == "depth") {
        return TemplateValue::integer(loop.depth0 + 1);
    }
    if (name == "depth0") {
        return TemplateValue::integer(loop.depth0);
    }
    if (name == "previtem") {
        if (i == 0) {
            return TemplateValue::undefinedHint("there is no previous item");
        }
        return loop.source.at(static_cast<std::size_t>(i - 1));
    }
    if (name == "nextitem") {
        if (i + 1 >= length) {
            return TemplateValue::undefinedHint("there is no next item");
        }
        return loop.source.at(static_cast<std::size_t>(i + 1));
    }
    return TemplateValue::undefinedWith(name, "jinja2.runtime.LoopContext object", false);
}

TemplateValue TemplateRenderer::loopMethod(LoopObject &loop, std::string_view name, CallArgs &args)
{
    if (name == "cycle") {
        if (!args.keywords.empty()) {
            raiseError("cycle() takes no keyword arguments");
        }
        if (args.positional.empty()) {
            raiseError("no items for cycling given");
        }
        return args.positional[static_cast<std::size_t>(loop.index0) % args.positional.size()];
    }
    // changed(*values): true on the first call and whenever the values differ from the last.
    std::vector<TemplateValue> values = args.positional;
    bool changed = !loop.haveChanged || values.size() != loop.lastChanged.size();
    if (!changed) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (!py::equals(values[i], loop.lastChanged[i])) {
                changed = true;
                break;
            }
        }
    }
    if (changed) {
        loop.lastChanged = std::move(values);
        loop.haveChanged = true;
    }
    return TemplateValue::boolean(changed);
}

} // namespace fb::jinja
