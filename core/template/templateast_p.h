#pragma once

#include <core/template/templatevalue_p.h>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace fb::jinja {

// The syntax tree of a parsed template. Nodes are immutable after parsing and shared by all
// concurrent renders of a Template.

using FilterFn
    = TemplateValue (*)(TemplateRenderer &renderer, const TemplateValue &input, CallArgs &args);
using TestFn = bool (*)(TemplateRenderer &renderer, const TemplateValue &input, CallArgs &args);

enum class ExprKind : std::uint8_t {
    Const,
    Name,
    List,
    Dict,
    GetAttr,
    GetItem,
    Slice,
    Call,
    Filter,
    Test,
    Negate,
    Plus,
    Binary,
    Concat,
    Compare,
    And,
    Or,
    Not,
    Conditional,
};

struct Expr
{
    explicit Expr(ExprKind k, int l)
        : kind(k)
        , line(l)
    {
    }
    virtual ~Expr() = default;
    ExprKind kind;
    int line;
};
using ExprPtr = std::unique_ptr<Expr>;

struct ConstExpr final : Expr
{
    ConstExpr(int l)
        : Expr(ExprKind::Const, l)
    {
    }
    std::string text; ///< storage of a string constant (value borrows it)
    TemplateValue value;
};

struct NameExpr final : Expr
{
    NameExpr(int l)
        : Expr(ExprKind::Name, l)
    {
    }
    std::string name;
    int id = -1; ///< interned name id of the template
};

struct ListExpr final : Expr
{
    ListExpr(int l)
        : Expr(ExprKind::List, l)
    {
    }
    std::vector<ExprPtr> items;
    bool tuple = false;
};

struct DictExpr final : Expr
{
    DictExpr(int l)
        : Expr(ExprKind::Dict, l)
    {
    }
    std::vector<std::pair<ExprPtr, ExprPtr>> items;
};

struct GetAttrExpr final : Expr
{
    GetAttrExpr(int l)
        : Expr(ExprKind::GetAttr, l)
    {
    }
    ExprPtr object;
    std::string name;
};

struct GetItemExpr final : Expr
{
    GetItemExpr(int l)
        : Expr(ExprKind::GetItem, l)
    {
    }
    ExprPtr object;
    ExprPtr key;
};

struct SliceExpr final : Expr
{
    SliceExpr(int l)
        : Expr(ExprKind::Slice, l)
    {
    }
    ExprPtr object;
    ExprPtr start; ///< each may be null
    ExprPtr stop;
    ExprPtr step;
};

struct CallArgsNode
{
    std::vector<ExprPtr> args;
    std::vector<std::pair<std::string, ExprPtr>> kwargs;
    ExprPtr dynArgs;   ///< *args
    ExprPtr dynKwargs; ///< **kwargs
};

struct CallExpr final : Expr
{
    CallExpr(int l)
        : Expr(ExprKind::Call, l)
    {
    }
    ExprPtr callee;
    CallArgsNode args;
};

struct FilterExpr final : Expr
{
    FilterExpr(int l)
        : Expr(ExprKind::Filter, l)
    {
    }
    ExprPtr input; ///< null in `{% filter %}` and `{% set x | f %}` blocks
    std::string name;
    FilterFn fn = nullptr;
    CallArgsNode args;
};

struct TestExpr final : Expr
{
    TestExpr(int l)
        : Expr(ExprKind::Test, l)
    {
    }
    ExprPtr input;
    std::string name;
    TestFn fn = nullptr;
    CallArgsNode args;
};

struct UnaryExpr final : Expr
{
    UnaryExpr(ExprKind k, int l)
        : Expr(k, l)
    {
    }
    ExprPtr operand;
};

enum class BinaryOp : std::uint8_t { Add, Sub, Mul, Div, FloorDiv, Mod, Pow };

struct BinaryExpr final : Expr
{
    BinaryExpr(int l)
        : Expr(ExprKind::Binary, l)
    {
    }
    BinaryOp op = BinaryOp::Add;
    ExprPtr left;
    ExprPtr right;
};

/// `a ~ b ~ c`, and `a and b` / `a or b` (two parts).
struct ConcatExpr final : Expr
{
    ConcatExpr(ExprKind k, int l)
        : Expr(k, l)
    {
    }
    std::vector<ExprPtr> parts;
};

enum class CompareOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge, In, NotIn };

struct CompareExpr final : Expr
{
    CompareExpr(int l)
        : Expr(ExprKind::Compare, l)
    {
    }
    ExprPtr first;
    std::vector<std::pair<CompareOp, ExprPtr>> rest;
};

struct ConditionalExpr final : Expr
{
    ConditionalExpr(int l)
        : Expr(ExprKind::Conditional, l)
    {
    }
    ExprPtr test;
    ExprPtr then;
    ExprPtr otherwise; ///< may be null (gives undefined)
};

// ---- statements ---------------------------------------------------------------------------

enum class StmtKind : std::uint8_t {
    Text,
    Output,
    For,
    If,
    Set,
    SetBlock,
    Macro,
    CallBlock,
    FilterBlock,
    With,
    Scope,
};

struct Stmt
{
    explicit Stmt(StmtKind k, int l)
        : kind(k)
        , line(l)
    {
    }
    virtual ~Stmt() = default;
    StmtKind kind;
    int line;
};
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

/// An assignment target: a name, a tuple of targets, or `namespace.attr`.
struct Target
{
    enum class Kind : std::uint8_t { Name, Tuple, NamespaceAttr };
    Kind kind = Kind::Name;
    int line = 0;
    std::string name;
    int id = -1;
    std::string attr;
    std::vector<Target> items;
};

struct TextStmt final : Stmt
{
    TextStmt(int l)
        : Stmt(StmtKind::Text, l)
    {
    }
    std::string text;
};

struct OutputStmt final : Stmt
{
    OutputStmt(int l)
        : Stmt(StmtKind::Output, l)
    {
    }
    ExprPtr expr;
};

struct ForStmt final : Stmt
{
    ForStmt(int l)
        : Stmt(StmtKind::For, l)
    {
    }
    Target target;
    ExprPtr iter;
    ExprPtr filter; ///< `for x in xs if cond`
    bool recursive = false;
    bool usesLoop = false; ///< the body reads `loop`
    int loopId = -1;
    Body body;
    Body elseBody;
};

struct IfStmt final : Stmt
{
    IfStmt(int l)
        : Stmt(StmtKind::If, l)
    {
    }
    std::vector<std::pair<ExprPtr, Body>> branches;
    Body elseBody;
};

struct SetStmt final : Stmt
{
    SetStmt(int l)
        : Stmt(StmtKind::Set, l)
    {
    }
    Target target;
    ExprPtr value;
};

struct SetBlockStmt final : Stmt
{
    SetBlockStmt(int l)
        : Stmt(StmtKind::SetBlock, l)
    {
    }
    Target target;
    ExprPtr filter; ///< FilterExpr chain whose innermost input is null; may be null
    Body body;
};

struct MacroParam
{
    std::string name;
    int id = -1;
    ExprPtr defaultValue; ///< may be null
};

struct MacroStmt final : Stmt
{
    MacroStmt(StmtKind k, int l)
        : Stmt(k, l)
    {
    }
    std::string name; ///< "caller" for call blocks
    int id = -1;
    std::vector<MacroParam> params;
    Body body;
    bool usesVarargs = false;
    bool usesKwargs = false;
    bool usesCaller = false;
    ExprPtr call; ///< call blocks: the macro call expression
};

struct FilterBlockStmt final : Stmt
{
    FilterBlockStmt(int l)
        : Stmt(StmtKind::FilterBlock, l)
    {
    }
    ExprPtr filter;
    Body body;
};

struct WithStmt final : Stmt
{
    WithStmt(int l)
        : Stmt(StmtKind::With, l)
    {
    }
    std::vector<std::pair<Target, ExprPtr>> assignments;
    Body body;
};

/// `{% block %}` and `{% autoescape %}`: a body rendered in place.
struct ScopeStmt final : Stmt
{
    ScopeStmt(int l)
        : Stmt(StmtKind::Scope, l)
    {
    }
    Body body;
};

/// Names interned per template: every NameExpr and Target refers to one by id.
struct NameTable
{
    std::vector<std::string> names;
    int intern(const std::string &name)
    {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i] == name) {
                return static_cast<int>(i);
            }
        }
        names.push_back(name);
        return static_cast<int>(names.size() - 1);
    }
};

/// Everything a parse produces.
struct ParsedTemplate
{
    std::string fileName;
    Body body;
    NameTable names;
    std::vector<std::string> variables; ///< free variables in first-use order
    std::size_t sourceSize = 0;
    int callerId = -1;
    int varargsId = -1;
    int kwargsId = -1;
};

} // namespace fb::jinja
