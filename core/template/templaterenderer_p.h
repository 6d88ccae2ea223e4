#pragma once

#include <core/template/template.h>
#include <core/template/templateast_p.h>
#include <core/template/templatebuiltins_p.h>
#include <core/template/templatevalue_p.h>
#include <memory>
#include <string>
#include <vector>

namespace fb::jinja {

/// A variable scope: the top level, a for loop, a macro call or a with block.
struct Frame
{
    std::vector<std::pair<int, TemplateValue>> vars;
    Frame *parent = nullptr;

    TemplateValue *find(int id)
    {
        for (auto &entry : vars) {
            if (entry.first == id) {
                return &entry.second;
            }
        }
        return nullptr;
    }
    void set(int id, TemplateValue value)
    {
        if (TemplateValue *slot = find(id)) {
            *slot = std::move(value);
        } else {
            vars.emplace_back(id, std::move(value));
        }
    }
};

/// The items a for loop walks, with random access for loop.previtem/nextitem/length.
struct LoopSource
{
    TemplateValue iterable;
    std::vector<TemplateValue> items;
    bool materialized = false;
    std::size_t size = 0;

    [[nodiscard]] TemplateValue at(std::size_t i) const;
};

/// Jinja2's LoopContext.
struct LoopObject final : HeapObject
{
    LoopSource source;
    std::int64_t index0 = 0;
    int depth0 = 0;
    const ForStmt *stmt = nullptr;
    Frame *outerFrame = nullptr; ///< for recursive loop calls; valid while the loop runs
    bool running = false;
    std::vector<TemplateValue> lastChanged;
    bool haveChanged = false;

    [[nodiscard]] std::string repr() const override;
};

/// One render of a parsed template: holds the scopes, the output buffer and the limit
/// counters. Not thread-safe; each Template::render() creates its own.
class TemplateRenderer
{
public:
    TemplateRenderer(const ParsedTemplate &tpl, const Value &context, const TemplateLimits &limits);

    /// Renders the whole template; throws TemplateError.
    std::string render();

    /// Line of the node being evaluated (for errors raised without a line).
    [[nodiscard]] int currentLine() const { return m_line; }

    // ---- services for filters, tests and methods ----
    TemplateValue getAttr(const TemplateValue &obj, const std::string &name,
                          bool maybeMethod = true);
    TemplateValue getItem(const TemplateValue &obj, const TemplateValue &key);
    /// Jinja2's make_attrgetter: "a.b.0" looked up with item-then-attribute semantics.
    TemplateValue getPath(const TemplateValue &obj, const TemplateValue &path);
    TemplateValue callValue(const TemplateValue &callee, CallArgs &args);
    TemplateValue callFilter(const std::string &name, const TemplateValue &value, CallArgs &args);
    bool callTest(const std::string &name, const TemplateValue &value, CallArgs &args);
    /// Raises when a string or list of `bytes` would exceed the output limit.
    void checkSize(std::size_t bytes) const;
    void countIterations(std::size_t n);

    /// A CallArgs from the per-render pool; release with releaseArgs() in LIFO order.
    CallArgs &acquireArgs();
    void releaseArgs();

    /// Python binary operators (+ - * / // % **) with 64-bit overflow checks.
    TemplateValue binary(BinaryOp op, const TemplateValue &a, const TemplateValue &b);

    TemplateValue callMacro(const MacroStmt &macro, Frame *parent, CallArgs &args);
    TemplateValue callLoop(LoopObject &loop, CallArgs &args);

private:
    const ParsedTemplate &m_tpl;
    const Value &m_context;
    const TemplateLimits &m_limits;
    std::string *m_out = nullptr;
    Frame m_root;
    Frame *m_frame = &m_root;
    int m_line = 0;
    int m_depth = 0;
    std::size_t m_iterations = 0;
    std::vector<const Value *> m_contextCache;
    std::vector<std::uint8_t> m_contextLooked;
    std::vector<std::unique_ptr<CallArgs>> m_argPool;
    std::size_t m_argDepth = 0;

    friend struct DepthScope;

    void exec(const Body &body);
    void execStmt(const Stmt &stmt);
    void execFor(const ForStmt &node, const TemplateValue &iterable, int depth0);
    void execMacroDef(const MacroStmt &node);
    void execCallBlock(const MacroStmt &node);
    std::string capture(const Body &body);
    void assign(const Target &target, const TemplateValue &value, Frame &frame);
    void write(const TemplateValue &value);
    void checkOutput() const;

    TemplateValue eval(const Expr &expr);
    TemplateValue lookup(const NameExpr &name);
    TemplateValue evalCall(const CallExpr &node, const TemplateValue *caller);
    TemplateValue evalFilter(const FilterExpr &node, const TemplateValue *input);
    TemplateValue applyFilterChain(const Expr *filter, const TemplateValue &input);
    void evalArgs(const CallArgsNode &node, CallArgs &out);
    bool compareOp(CompareOp op, const TemplateValue &a, const TemplateValue &b);
    TemplateValue loopAttr(const LoopObject &loop, const std::string &name);
    TemplateValue loopMethod(LoopObject &loop, std::string_view name, CallArgs &args);
};

} // namespace fb::jinja
