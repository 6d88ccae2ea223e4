#include <core/template/templatebuiltins_p.h>
#include <core/template/templateparser_p.h>
#include <algorithm>
#include <initializer_list>

namespace fb::jinja {

namespace {

using Tok = TemplateToken;

std::string describe(const Tok &t)
{
    switch (t.type) {
    case TokenType::Name:
    case TokenType::Operator:
        return t.value;
    case TokenType::String:
        return "string";
    case TokenType::Integer:
        return "integer";
    case TokenType::Float:
        return "float";
    case TokenType::Data:
        return "template data / text";
    case TokenType::VariableBegin:
        return "begin of print statement";
    case TokenType::VariableEnd:
        return "end of print statement";
    case TokenType::BlockBegin:
        return "begin of statement block";
    case TokenType::BlockEnd:
        return "end of statement block";
    case TokenType::Eof:
        return "end of template";
    }
    return "token";
}

class Parser
{
public:
    Parser(std::vector<Tok> tokens, ParsedTemplate &out)
        : m_tokens(std::move(tokens))
        , m_out(out)
    {
    }

    void run()
    {
        m_out.body = subparse({});
        if (cur().type != TokenType::Eof) {
            fail("unexpected " + quoted(describe(cur())));
        }
    }

private:
    std::vector<Tok> m_tokens;
    std::size_t m_pos = 0;
    ParsedTemplate &m_out;
    int m_depth = 0;
    std::vector<ForStmt *> m_forStack;
    std::vector<MacroStmt *> m_macroStack;
    std::vector<std::string> m_tagStack;
    std::vector<std::vector<std::string>> m_endTokenStack;

    struct DepthGuard
    {
        explicit DepthGuard(Parser &p)
            : parser(p)
        {
            if (++parser.m_depth > TemplateParser::kMaxNesting) {
                parser.fail("template nesting is too deep (more than "
                            + std::to_string(TemplateParser::kMaxNesting) + " levels)");
            }
        }
        ~DepthGuard() { --parser.m_depth; }
        Parser &parser;
    };

    static std::string quoted(const std::string &s) { return "'" + s + "'"; }

    const Tok &cur() const { return m_tokens[m_pos]; }
    const Tok &peek(std::size_t ahead = 1) const
    {
        return m_tokens[std::min(m_pos + ahead, m_tokens.size() - 1)];
    }
    Tok next()
    {
        Tok t = m_tokens[m_pos];
        if (m_pos + 1 < m_tokens.size()) {
            ++m_pos;
        }
        return t;
    }

    [[noreturn]] void fail(const std::string &message, int line = 0)
    {
        throw TemplateError{message, line > 0 ? line : cur().line};
    }

    bool isOp(const Tok &t, std::string_view op) const
    {
        return t.type == TokenType::Operator && t.value == op;
    }
    bool isName(const Tok &t, std::string_view name) const
    {
        return t.type == TokenType::Name && t.value == name;
    }
    bool skipOp(std::string_view op)
    {
        if (isOp(cur(), op)) {
            next();
            return true;
        }
        return false;
    }
    bool skipName(std::string_view name)
    {
        if (isName(cur(), name)) {
            next();
            return true;
        }
        return false;
    }
    void expectOp(std::string_view op)
    {
        if (!isOp(cur(), op)) {
            failExpected(std::string(op));
        }
        next();
    }
    void expectType(TokenType type, const char *description)
    {
        if (cur().type != type) {
            failExpected(description);
        }
        next();
    }
    std::string expectName()
    {
        if (cur().type != TokenType::Name) {
            failExpected("name");
        }
        return next().value;
    }
    void expectNameValue(std::string_view name)
    {
        if (!isName(cur(), name)) {
            failExpected(std::string(name));
        }
        next();
    }
    [[noreturn]] void failExpected(const std::string &what)
    {
        if (cur().type == TokenType::Eof) {
            fail("unexpected end of template, expected " + quoted(what) + ".");
        }
        fail("expected token " + quoted(what) + ", got " + quoted(describe(cur())));
    }

    // ---- statements -----------------------------------------------------------------------

    Body subparse(const std::vector<std::string> &endTokens)
    {
        Body body;
        if (!endTokens.empty()) {
            m_endTokenStack.push_back(endTokens);
        }
        while (cur().type != TokenType::Eof) {
            const Tok &t = cur();
            if (t.type == TokenType::Data) {
                if (!body.empty() && body.back()->kind == StmtKind::Text) {
                    static_cast<TextStmt &>(*body.back()).text += t.value;
                } else {
                    auto text = std::make_unique<TextStmt>(t.line);
                    text->text = t.value;
                    body.push_back(std::move(text));
                }
                next();
            } else if (t.type == TokenType::VariableBegin) {
                next();
                auto out = std::make_unique<OutputStmt>(t.line);
                out->expr = parseTuple(false, true, {}, false);
                expectType(TokenType::VariableEnd, "end of print statement");
                body.push_back(std::move(out));
            } else if (t.type == TokenType::BlockBegin) {
                next();
                if (!endTokens.empty() && cur().type == TokenType::Name
                    && std::find(endTokens.begin(), endTokens.end(), cur().value)
                           != endTokens.end()) {
                    m_endTokenStack.pop_back();
                    return body;
                }
                parseStatement(body);
                expectType(TokenType::BlockEnd, "end of statement block");
            } else {
                fail("unexpected " + quoted(describe(t)));
            }
        }
        if (!endTokens.empty()) {
            m_endTokenStack.pop_back();
        }
        return body;
    }

    Body parseStatements(const std::vector<std::string> &endTokens, bool dropNeedle)
    {
        DepthGuard guard(*this);
        skipOp(":");
        expectType(TokenType::BlockEnd, "end of statement block");
        Body body = subparse(endTokens);
        if (cur().type == TokenType::Eof) {
            failEof(endTokens);
        }
        if (dropNeedle) {
            next();
        }
        return body;
    }

    std::string lookingFor(const std::vector<std::string> &tokens) const
    {
        std::string s;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            if (i > 0) {
                s += " or ";
            }
            s += quoted(tokens[i]);
        }
        return s;
    }

    [[noreturn]] void failEof(const std::vector<std::string> &endTokens)
    {
        std::string msg = "Unexpected end of template.";
        if (!endTokens.empty()) {
            msg += " Jinja was looking for the following tags: " + lookingFor(endTokens) + ".";
        }
        if (!m_tagStack.empty()) {
            msg += " The innermost block that needs to be closed is " + quoted(m_tagStack.back())
                   + ".";
        }
        fail(msg);
    }

    [[noreturn]] void failUnknownTag(const std::string &name, int line)
    {
        std::string msg = "Encountered unknown tag " + quoted(name) + ".";
        if (!m_endTokenStack.empty()) {
            bool expectedSomewhere = false;
            for (const auto &tokens : m_endTokenStack) {
                if (std::find(tokens.begin(), tokens.end(), name) != tokens.end()) {
                    expectedSomewhere = true;
                }
            }
            const std::string looking = lookingFor(m_endTokenStack.back());
            if (expectedSomewhere) {
                msg += " You probably made a nesting mistake. Jinja is expecting this tag, but "
                       "currently looking for "
                       + looking + ".";
            } else {
                msg += " Jinja was looking for the following tags: " + looking + ".";
            }
        }
        if (!m_tagStack.empty()) {
            msg += " The innermost block that needs to be closed is " + quoted(m_tagStack.back())
                   + ".";
        }
        fail(msg, line);
    }

    void parseStatement(Body &body)
    {
        const Tok t = cur();
        if (t.type != TokenType::Name) {
            fail("tag name expected", t.line);
        }
        const std::string &tag = t.value;
        static const std::vector<std::string> known
            = {"for",  "if",     "block", "extends", "print", "macro",      "include",
               "from", "import", "set",   "with",    "call",  "autoescape", "filter"};
        if (std::find(known.begin(), known.end(), tag) == known.end()) {
            failUnknownTag(tag, t.line);
        }
        m_tagStack.push_back(tag);
        if (tag == "for") {
            body.push_back(parseFor());
        } else if (tag == "if") {
            body.push_back(parseIf());
        } else if (tag == "set") {
            body.push_back(parseSet());
        } else if (tag == "macro") {
            body.push_back(parseMacro());
        } else if (tag == "call") {
            body.push_back(parseCallBlock());
        } else if (tag == "filter") {
            body.push_back(parseFilterBlock());
        } else if (tag == "with") {
            body.push_back(parseWith());
        } else if (tag == "block" || tag == "autoescape") {
            body.push_back(parseScope(tag));
        } else if (tag == "print") {
            next();
            bool first = true;
            while (cur().type != TokenType::BlockEnd) {
                if (!first) {
                    expectOp(",");
                }
                first = false;
                auto out = std::make_unique<OutputStmt>(t.line);
                out->expr = parseExpression(true);
                body.push_back(std::move(out));
            }
        } else {
            fail("'" + tag
                     + "' is not supported: a prompt template cannot load other templates "
                       "(promptflow renders templates without a loader)",
                 t.line);
        }
        m_tagStack.pop_back();
    }

    StmtPtr parseFor()
    {
        const int line = next().line;
        auto node = std::make_unique<ForStmt>(line);
        node->target = parseAssignTarget(true, false, {"in"}, false);
        expectNameValue("in");
        node->iter = parseTuple(false, false, {"recursive"}, false);
        if (skipName("if")) {
            node->filter = parseExpression(true);
        }
        node->recursive = skipName("recursive");
        node->loopId = m_out.names.intern("loop");
        m_forStack.push_back(node.get());
        node->body = parseStatements({"endfor", "else"}, false);
        m_forStack.pop_back();
        if (next().value != "endfor") {
            node->elseBody = parseStatements({"endfor"}, true);
        }
        return node;
    }

    StmtPtr parseIf()
    {
        const int line = next().line;
        auto node = std::make_unique<IfStmt>(line);
        while (true) {
            ExprPtr test = parseTuple(false, false, {}, false);
            Body body = parseStatements({"elif", "else", "endif"}, false);
            node->branches.emplace_back(std::move(test), std::move(body));
            const Tok t = next();
            if (t.value == "elif") {
                continue;
            }
            if (t.value == "else") {
                node->elseBody = parseStatements({"endif"}, true);
            }
            break;
        }
        return node;
    }

    StmtPtr parseSet()
    {
        const int line = next().line;
        Target target = parseAssignTarget(true, false, {}, true);
        if (skipOp("=")) {
            auto node = std::make_unique<SetStmt>(line);
            node->target = std::move(target);
            node->value = parseTuple(false, true, {}, false);
            return node;
        }
        auto node = std::make_unique<SetBlockStmt>(line);
        node->target = std::move(target);
        node->filter = parseFilter(nullptr, false);
        node->body = parseStatements({"endset"}, true);
        return node;
    }

    void parseSignature(MacroStmt &node)
    {
        expectOp("(");
        bool haveDefault = false;
        while (!isOp(cur(), ")")) {
            if (!node.params.empty()) {
                expectOp(",");
            }
            MacroParam param;
            param.name = expectName();
            param.id = m_out.names.intern(param.name);
            if (skipOp("=")) {
                param.defaultValue = parseExpression(true);
                haveDefault = true;
            } else if (haveDefault) {
                fail("non-default argument follows default argument");
            }
            node.params.push_back(std::move(param));
        }
        expectOp(")");
    }

    StmtPtr parseMacro()
    {
        const int line = next().line;
        auto node = std::make_unique<MacroStmt>(StmtKind::Macro, line);
        node->name = expectName();
        node->id = m_out.names.intern(node->name);
        parseSignature(*node);
        m_macroStack.push_back(node.get());
        node->body = parseStatements({"endmacro"}, true);
        m_macroStack.pop_back();
        return node;
    }

    StmtPtr parseCallBlock()
    {
        const int line = next().line;
        auto node = std::make_unique<MacroStmt>(StmtKind::CallBlock, line);
        node->name = "caller";
        node->id = m_out.names.intern("caller");
        if (isOp(cur(), "(")) {
            parseSignature(*node);
        }
        node->call = parseExpression(true);
        if (node->call->kind != ExprKind::Call) {
            fail("expected call", line);
        }
        m_macroStack.push_back(node.get());
        node->body = parseStatements({"endcall"}, true);
        m_macroStack.pop_back();
        return node;
    }

    StmtPtr parseFilterBlock()
    {
        const int line = next().line;
        auto node = std::make_unique<FilterBlockStmt>(line);
        node->filter = parseFilter(nullptr, true);
        node->body = parseStatements({"endfilter"}, true);
        return node;
    }

    StmtPtr parseWith()
    {
        const int line = next().line;
        auto node = std::make_unique<WithStmt>(line);
        while (cur().type != TokenType::BlockEnd) {
            if (!node->assignments.empty()) {
                expectOp(",");
            }
            Target target = parseAssignTarget(true, false, {}, false);
            expectOp("=");
            node->assignments.emplace_back(std::move(target), parseExpression(true));
        }
        node->body = parseStatements({"endwith"}, true);
        return node;
    }

    StmtPtr parseScope(const std::string &tag)
    {
        const int line = next().line;
        auto node = std::make_unique<ScopeStmt>(line);
        if (tag == "block") {
            const std::string name = expectName();
            skipName("scoped");
            skipName("required");
            if (isOp(cur(), "-")) {
                fail("Block names in Jinja have to be valid Python identifiers and may not "
                     "contain hyphens, use an underscore instead.");
            }
            node->body = parseStatements({"endblock"}, true);
            skipName(name);
        } else {
            parseExpression(true); // autoescape flag: no effect without HTML escaping
            node->body = parseStatements({"endautoescape"}, true);
        }
        return node;
    }

    Target toTarget(const Expr &e)
    {
        Target t;
        t.line = e.line;
        if (e.kind == ExprKind::Name) {
            const auto &n = static_cast<const NameExpr &>(e);
            if (n.name == "true" || n.name == "false" || n.name == "none") {
                fail("can't assign to 'const'", e.line);
            }
            t.kind = Target::Kind::Name;
            t.name = n.name;
            t.id = n.id;
            return t;
        }
        if (e.kind == ExprKind::List && static_cast<const ListExpr &>(e).tuple) {
            t.kind = Target::Kind::Tuple;
            for (const ExprPtr &item : static_cast<const ListExpr &>(e).items) {
                t.items.push_back(toTarget(*item));
            }
            return t;
        }
        std::string what = "const";
        if (e.kind == ExprKind::List) {
            what = "list";
        } else if (e.kind == ExprKind::Dict) {
            what = "dict";
        }
        fail("can't assign to " + quoted(what), e.line);
    }

    Target parseAssignTarget(bool withTuple, bool nameOnly,
                             const std::vector<std::string> &extraEnd, bool withNamespace)
    {
        if (withNamespace && cur().type == TokenType::Name && isOp(peek(), ".")) {
            Target t;
            t.kind = Target::Kind::NamespaceAttr;
            t.line = cur().line;
            t.name = next().value;
            t.id = m_out.names.intern(t.name);
            next();
            t.attr = expectName();
            return t;
        }
        if (nameOnly) {
            Target t;
            t.line = cur().line;
            t.name = expectName();
            t.id = m_out.names.intern(t.name);
            return t;
        }
        // Parse names without registering them as reads.
        ExprPtr e = withTuple ? parseTuple(true, true, extraEnd, false) : parsePrimary();
        return toTarget(*e);
    }

    // ---- expressions ----------------------------------------------------------------------

    ExprPtr parseExpression(bool withCondexpr)
    {
        return withCondexpr ? parseCondexpr() : parseOr();
    }

    ExprPtr parseCondexpr()
    {
        DepthGuard guard(*this);
        int line = cur().line;
        ExprPtr expr1 = parseOr();
        while (skipName("if")) {
            auto node = std::make_unique<ConditionalExpr>(line);
            node->test = parseOr();
            if (skipName("else")) {
                node->otherwise = parseCondexpr();
            }
            node->then = std::move(expr1);
            expr1 = std::move(node);
            line = cur().line;
        }
        return expr1;
    }

    ExprPtr parseOr()
    {
        int line = cur().line;
        ExprPtr left = parseAnd();
        while (skipName("or")) {
            auto node = std::make_unique<ConcatExpr>(ExprKind::Or, line);
            node->parts.push_back(std::move(left));
            node->parts.push_back(parseAnd());
            left = std::move(node);
            line = cur().line;
        }
        return left;
    }

    ExprPtr parseAnd()
    {
        int line = cur().line;
        ExprPtr left = parseNot();
        while (skipName("and")) {
            auto node = std::make_unique<ConcatExpr>(ExprKind::And, line);
            node->parts.push_back(std::move(left));
            node->parts.push_back(parseNot());
            left = std::move(node);
            line = cur().line;
        }
        return left;
    }

    ExprPtr parseNot()
    {
        if (isName(cur(), "not")) {
            DepthGuard guard(*this);
            const int line = next().line;
            auto node = std::make_unique<UnaryExpr>(ExprKind::Not, line);
            node->operand = parseNot();
            return node;
        }
        return parseCompare();
    }

    ExprPtr parseCompare()
    {
        const int line = cur().line;
        ExprPtr expr = parseMath1();
        std::unique_ptr<CompareExpr> node;
        while (true) {
            CompareOp op;
            const Tok &t = cur();
            if (t.type == TokenType::Operator && t.value == "==") {
                op = CompareOp::Eq;
            } else if (isOp(t, "!=")) {
                op = CompareOp::Ne;
            } else if (isOp(t, "<")) {
                op = CompareOp::Lt;
            } else if (isOp(t, "<=")) {
                op = CompareOp::Le;
            } else if (isOp(t, ">")) {
                op = CompareOp::Gt;
            } else if (isOp(t, ">=")) {
                op = CompareOp::Ge;
            } else if (isName(t, "in")) {
                op = CompareOp::In;
            } else if (isName(t, "not") && isName(peek(), "in")) {
                next();
                op = CompareOp::NotIn;
            } else {
                break;
            }
            next();
            if (!node) {
                node = std::make_unique<CompareExpr>(line);
                node->first = std::move(expr);
            }
            node->rest.emplace_back(op, parseMath1());
        }
        if (node) {
            return node;
        }
        return expr;
    }

    ExprPtr parseMath1()
    {
        int line = cur().line;
        ExprPtr left = parseConcat();
        while (isOp(cur(), "+") || isOp(cur(), "-")) {
            auto node = std::make_unique<BinaryExpr>(line);
            node->op = next().value == "+" ? BinaryOp::Add : BinaryOp::Sub;
            node->left = std::move(left);
            node->right = parseConcat();
            left = std::move(node);
            line = cur().line;
        }
        return left;
    }

    ExprPtr parseConcat()
    {
        const int line = cur().line;
        ExprPtr first = parseMath2();
        if (!isOp(cur(), "~")) {
            return first;
        }
        auto node = std::make_unique<ConcatExpr>(ExprKind::Concat, line);
        node->parts.push_back(std::move(first));
        while (skipOp("~")) {
            node->parts.push_back(parseMath2());
        }
        return node;
    }

    ExprPtr parseMath2()
    {
        int line = cur().line;
        ExprPtr left = parsePow();
        while (isOp(cur(), "*") || isOp(cur(), "/") || isOp(cur(), "//") || isOp(cur(), "%")) {
            auto node = std::make_unique<BinaryExpr>(line);
            if (isOp(cur(), "*")) {
                node->op = BinaryOp::Mul;
            } else if (isOp(cur(), "/")) {
                node->op = BinaryOp::Div;
            } else if (isOp(cur(), "//")) {
                node->op = BinaryOp::FloorDiv;
            } else {
                node->op = BinaryOp::Mod;
            }
            next();
            node->left = std::move(left);
            node->right = parsePow();
            left = std::move(node);
            line = cur().line;
        }
        return left;
    }

    ExprPtr parsePow()
    {
        int line = cur().line;
        ExprPtr left = parseUnary(true);
        while (isOp(cur(), "**")) {
            next();
            auto node = std::make_unique<BinaryExpr>(line);
            node->op = BinaryOp::Pow;
            node->left = std::move(left);
            node->right = parseUnary(true);
            left = std::move(node);
            line = cur().line;
        }
        return left;
    }

    ExprPtr parseUnary(bool withFilter)
    {
        DepthGuard guard(*this);
        const int line = cur().line;
        ExprPtr node;
        if (isOp(cur(), "-") || isOp(cur(), "+")) {
            const bool neg = next().value == "-";
            auto u = std::make_unique<UnaryExpr>(neg ? ExprKind::Negate : ExprKind::Plus, line);
            u->operand = parseUnary(false);
            node = std::move(u);
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(std::move(node));
        if (withFilter) {
            node = parseFilterExpr(std::move(node));
        }
        return node;
    }

    ExprPtr makeName(const Tok &t)
    {
        auto n = std::make_unique<NameExpr>(t.line);
        n->name = t.value;
        n->id = m_out.names.intern(t.value);
        if (t.value == "loop" && !m_forStack.empty()) {
            m_forStack.back()->usesLoop = true;
        }
        if (!m_macroStack.empty()) {
            if (t.value == "varargs") {
                m_macroStack.back()->usesVarargs = true;
            } else if (t.value == "kwargs") {
                m_macroStack.back()->usesKwargs = true;
            } else if (t.value == "caller") {
                m_macroStack.back()->usesCaller = true;
            }
        }
        return n;
    }

    ExprPtr parsePrimary()
    {
        DepthGuard guard(*this);
        const Tok t = cur();
        if (t.type == TokenType::Name) {
            next();
            auto c = std::make_unique<ConstExpr>(t.line);
            if (t.value == "true" || t.value == "True") {
                c->value = TemplateValue::boolean(true);
            } else if (t.value == "false" || t.value == "False") {
                c->value = TemplateValue::boolean(false);
            } else if (t.value == "none" || t.value == "None") {
                c->value = TemplateValue::none();
            } else {
                return makeName(t);
            }
            return c;
        }
        if (t.type == TokenType::String) {
            next();
            auto c = std::make_unique<ConstExpr>(t.line);
            c->text = t.value;
            while (cur().type == TokenType::String) {
                c->text += next().value;
            }
            c->value = TemplateValue::borrowed(&c->text);
            return c;
        }
        if (t.type == TokenType::Integer || t.type == TokenType::Float) {
            next();
            auto c = std::make_unique<ConstExpr>(t.line);
            c->value = t.type == TokenType::Integer ? TemplateValue::integer(t.intValue)
                                                    : TemplateValue::real(t.floatValue);
            return c;
        }
        if (isOp(t, "(")) {
            next();
            ExprPtr e = parseTuple(false, true, {}, true);
            expectOp(")");
            return e;
        }
        if (isOp(t, "[")) {
            next();
            auto list = std::make_unique<ListExpr>(t.line);
            while (!isOp(cur(), "]")) {
                if (!list->items.empty()) {
                    expectOp(",");
                }
                if (isOp(cur(), "]")) {
                    break;
                }
                list->items.push_back(parseExpression(true));
            }
            expectOp("]");
            return list;
        }
        if (isOp(t, "{")) {
            next();
            auto dict = std::make_unique<DictExpr>(t.line);
            while (!isOp(cur(), "}")) {
                if (!dict->items.empty()) {
                    expectOp(",");
                }
                if (isOp(cur(), "}")) {
                    break;
                }
                ExprPtr key = parseExpression(true);
                expectOp(":");
                ExprPtr value = parseExpression(true);
                dict->items.emplace_back(std::move(key), std::move(value));
            }
            expectOp("}");
            return dict;
        }
        if (t.type == TokenType::Eof) {
            fail("unexpected end of template", t.line);
        }
        fail("unexpected " + quoted(describe(t)), t.line);
    }

    bool isTupleEnd(const std::vector<std::string> &extraEnd) const
    {
        const Tok &t = cur();
        if (t.type == TokenType::VariableEnd || t.type == TokenType::BlockEnd || isOp(t, ")")) {
            return true;
        }
        if (t.type == TokenType::Name) {
            return std::find(extraEnd.begin(), extraEnd.end(), t.value) != extraEnd.end();
        }
        return false;
    }

    ExprPtr parseTuple(bool simplified, bool withCondexpr, const std::vector<std::string> &extraEnd,
                       bool explicitParentheses)
    {
        int line = cur().line;
        std::vector<ExprPtr> args;
        bool isTuple = false;
        while (true) {
            if (!args.empty()) {
                expectOp(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            if (simplified) {
                args.push_back(parsePrimary());
            } else {
                args.push_back(parseExpression(withCondexpr));
            }
            if (isOp(cur(), ",")) {
                isTuple = true;
            } else {
                break;
            }
            line = cur().line;
        }
        if (!isTuple) {
            if (!args.empty()) {
                return std::move(args[0]);
            }
            if (!explicitParentheses) {
                if (cur().type == TokenType::Eof) {
                    fail("unexpected end of template");
                }
                fail("Expected an expression, got " + quoted(describe(cur())));
            }
        }
        auto tuple = std::make_unique<ListExpr>(line);
        tuple->tuple = true;
        tuple->items = std::move(args);
        return tuple;
    }

    ExprPtr parsePostfix(ExprPtr node)
    {
        while (true) {
            if (isOp(cur(), ".") || isOp(cur(), "[")) {
                node = parseSubscript(std::move(node));
            } else if (isOp(cur(), "(")) {
                node = parseCall(std::move(node));
            } else {
                break;
            }
        }
        return node;
    }

    ExprPtr parseFilterExpr(ExprPtr node)
    {
        while (true) {
            if (isOp(cur(), "|")) {
                node = parseFilter(std::move(node), false);
            } else if (isName(cur(), "is")) {
                node = parseTest(std::move(node));
            } else if (isOp(cur(), "(")) {
                node = parseCall(std::move(node));
            } else {
                break;
            }
        }
        return node;
    }

    ExprPtr parseSubscript(ExprPtr node)
    {
        const Tok t = next();
        if (t.value == ".") {
            const Tok attr = next();
            if (attr.type == TokenType::Name) {
                auto g = std::make_unique<GetAttrExpr>(t.line);
                g->object = std::move(node);
                g->name = attr.value;
                return g;
            }
            if (attr.type != TokenType::Integer) {
                fail("expected name or number", attr.line);
            }
            auto g = std::make_unique<GetItemExpr>(t.line);
            g->object = std::move(node);
            auto c = std::make_unique<ConstExpr>(attr.line);
            c->value = TemplateValue::integer(attr.intValue);
            g->key = std::move(c);
            return g;
        }
        // '['
        std::vector<ExprPtr> args;
        while (!isOp(cur(), "]")) {
            if (!args.empty()) {
                expectOp(",");
            }
            args.push_back(parseSubscribed());
        }
        expectOp("]");
        if (args.size() == 1 && args[0]->kind == ExprKind::Slice
            && static_cast<SliceExpr &>(*args[0]).object == nullptr) {
            auto &s = static_cast<SliceExpr &>(*args[0]);
            s.object = std::move(node);
            return std::move(args[0]);
        }
        auto g = std::make_unique<GetItemExpr>(t.line);
        g->object = std::move(node);
        if (args.size() == 1) {
            g->key = std::move(args[0]);
        } else {
            for (const ExprPtr &a : args) {
                if (a->kind == ExprKind::Slice && static_cast<SliceExpr &>(*a).object == nullptr) {
                    fail("slices inside tuple subscripts are not supported", t.line);
                }
            }
            auto tuple = std::make_unique<ListExpr>(t.line);
            tuple->tuple = true;
            tuple->items = std::move(args);
            g->key = std::move(tuple);
        }
        return g;
    }

    ExprPtr parseSubscribed()
    {
        const int line = cur().line;
        ExprPtr start;
        if (isOp(cur(), ":")) {
            next();
        } else {
            ExprPtr e = parseExpression(true);
            if (!isOp(cur(), ":")) {
                return e;
            }
            next();
            start = std::move(e);
        }
        auto s = std::make_unique<SliceExpr>(line);
        s->start = std::move(start);
        if (isOp(cur(), ":")) {
            // no stop
        } else if (!isOp(cur(), "]") && !isOp(cur(), ",")) {
            s->stop = parseExpression(true);
        }
        if (isOp(cur(), ":")) {
            next();
            if (!isOp(cur(), "]") && !isOp(cur(), ",")) {
                s->step = parseExpression(true);
            }
        }
        return s;
    }

    void parseCallArgs(CallArgsNode &out)
    {
        const int line = cur().line;
        expectOp("(");
        bool requireComma = false;
        auto ensure = [&](bool ok) {
            if (!ok) {
                fail("invalid syntax for function call expression", line);
            }
        };
        while (!isOp(cur(), ")")) {
            if (requireComma) {
                expectOp(",");
                if (isOp(cur(), ")")) {
                    break;
                }
            }
            if (isOp(cur(), "*")) {
                ensure(!out.dynArgs && !out.dynKwargs);
                next();
                out.dynArgs = parseExpression(true);
            } else if (isOp(cur(), "**")) {
                ensure(!out.dynKwargs);
                next();
                out.dynKwargs = parseExpression(true);
            } else if (cur().type == TokenType::Name && isOp(peek(), "=")) {
                ensure(!out.dynKwargs);
                std::string key = next().value;
                next();
                out.kwargs.emplace_back(std::move(key), parseExpression(true));
            } else {
                ensure(!out.dynArgs && !out.dynKwargs && out.kwargs.empty());
                out.args.push_back(parseExpression(true));
            }
            requireComma = true;
        }
        expectOp(")");
    }

    ExprPtr parseCall(ExprPtr node)
    {
        auto call = std::make_unique<CallExpr>(cur().line);
        call->callee = std::move(node);
        parseCallArgs(call->args);
        return call;
    }

    ExprPtr parseFilter(ExprPtr node, bool startInline)
    {
        while (isOp(cur(), "|") || startInline) {
            if (!startInline) {
                next();
            }
            const Tok t = cur();
            std::string name = expectName();
            while (isOp(cur(), ".")) {
                next();
                name += "." + expectName();
            }
            auto f = std::make_unique<FilterExpr>(t.line);
            f->name = name;
            f->fn = TemplateBuiltins::filter(name);
            if (f->fn == nullptr) {
                fail("unknown filter '" + name + "'", t.line);
            }
            if (isOp(cur(), "(")) {
                parseCallArgs(f->args);
            }
            f->input = std::move(node);
            node = std::move(f);
            startInline = false;
        }
        return node;
    }

    ExprPtr parseTest(ExprPtr node)
    {
        const Tok isTok = next();
        const bool negated = skipName("not");
        const Tok nameTok = cur();
        std::string name = expectName();
        while (isOp(cur(), ".")) {
            next();
            name += "." + expectName();
        }
        auto test = std::make_unique<TestExpr>(isTok.line);
        test->name = name;
        test->fn = TemplateBuiltins::test(name);
        if (test->fn == nullptr) {
            fail("unknown test '" + name + "'", nameTok.line);
        }
        const Tok &c = cur();
        if (isOp(c, "(")) {
            parseCallArgs(test->args);
        } else if ((c.type == TokenType::Name || c.type == TokenType::String
                    || c.type == TokenType::Integer || c.type == TokenType::Float || isOp(c, "(")
                    || isOp(c, "[") || isOp(c, "{"))
                   && !isName(c, "else") && !isName(c, "or") && !isName(c, "and")) {
            if (isName(c, "is")) {
                fail("You cannot chain multiple tests with is");
            }
            ExprPtr arg = parsePrimary();
            arg = parsePostfix(std::move(arg));
            test->args.args.push_back(std::move(arg));
        }
        test->input = std::move(node);
        if (negated) {
            auto n = std::make_unique<UnaryExpr>(ExprKind::Not, isTok.line);
            n->operand = std::move(test);
            return n;
        }
        return test;
    }
};

// ---- free variables -------------------------------------------------------------------------

class VariableCollector
{
public:
    explicit VariableCollector(ParsedTemplate &t)
        : m_t(t)
    {
        m_scopes.emplace_back();
    }

    void run() { visitBody(m_t.body); }

private:
    ParsedTemplate &m_t;
    std::vector<std::vector<int>> m_scopes;

    bool isBound(int id) const
    {
        for (const auto &scope : m_scopes) {
            if (std::find(scope.begin(), scope.end(), id) != scope.end()) {
                return true;
            }
        }
        return false;
    }
    void bind(int id) { m_scopes.back().push_back(id); }
    void bindTarget(const Target &t)
    {
        if (t.kind == Target::Kind::Name) {
            bind(t.id);
        } else if (t.kind == Target::Kind::Tuple) {
            for (const Target &item : t.items) {
                bindTarget(item);
            }
        } else {
            load(t.id, t.name);
        }
    }
    void load(int id, const std::string &name)
    {
        if (isBound(id) || TemplateBuiltins::isGlobal(name)) {
            return;
        }
        if (std::find(m_t.variables.begin(), m_t.variables.end(), name) == m_t.variables.end()) {
            m_t.variables.push_back(name);
        }
    }

    void visitArgs(const CallArgsNode &args)
    {
        for (const ExprPtr &a : args.args) {
            visit(a.get());
        }
        for (const auto &kw : args.kwargs) {
            visit(kw.second.get());
        }
        visit(args.dynArgs.get());
        visit(args.dynKwargs.get());
    }

    void visit(const Expr *e)
    {
        if (e == nullptr) {
            return;
        }
        switch (e->kind) {
        case ExprKind::Const:
            return;
        case ExprKind::Name: {
            const auto &n = static_cast<const NameExpr &>(*e);
            load(n.id, n.name);
            return;
        }
        case ExprKind::List:
            for (const ExprPtr &item : static_cast<const ListExpr &>(*e).items) {
                visit(item.get());
            }
            return;
        case ExprKind::Dict:
            for (const auto &item : static_cast<const DictExpr &>(*e).items) {
                visit(item.first.get());
                visit(item.second.get());
            }
            return;
        case ExprKind::GetAttr:
            visit(static_cast<const GetAttrExpr &>(*e).object.get());
            return;
        case ExprKind::GetItem:
            visit(static_cast<const GetItemExpr &>(*e).object.get());
            visit(static_cast<const GetItemExpr &>(*e).key.get());
            return;
        case ExprKind::Slice: {
            const auto &s = static_cast<const SliceExpr &>(*e);
            visit(s.object.get());
            visit(s.start.get());
            visit(s.stop.get());
            visit(s.step.get());
            return;
        }
        case ExprKind::Call:
            visit(static_cast<const CallExpr &>(*e).callee.get());
            visitArgs(static_cast<const CallExpr &>(*e).args);
            return;
        case ExprKind::Filter:
            visit(static_cast<const FilterExpr &>(*e).input.get());
            visitArgs(static_cast<const FilterExpr &>(*e).args);
            return;
        case ExprKind::Test:
            visit(static_cast<const TestExpr &>(*e).input.get());
            visitArgs(static_cast<const TestExpr &>(*e).args);
            return;
        case ExprKind::Negate:
        case ExprKind::Plus:
        case ExprKind::Not:
            visit(static_cast<const UnaryExpr &>(*e).operand.get());
            return;
        case ExprKind::Binary:
            visit(static_cast<const BinaryExpr &>(*e).left.get());
            visit(static_cast<const BinaryExpr &>(*e).right.get());
            return;
        case ExprKind::Concat:
        case ExprKind::And:
        case ExprKind::Or:
            for (const ExprPtr &p : static_cast<const ConcatExpr &>(*e).parts) {
                visit(p.get());
            }
            return;
        case ExprKind::Compare:
            visit(static_cast<const CompareExpr &>(*e).first.get());
            for (const auto &r : static_cast<const CompareExpr &>(*e).rest) {
                visit(r.second.get());
            }
            return;
        case ExprKind::Conditional: {
            const auto &c = static_cast<const ConditionalExpr &>(*e);
            visit(c.test.get());
            visit(c.then.get());
            visit(c.otherwise.get());
            return;
        }
        }
    }

    void visitBody(const Body &body)
    {
        for (const StmtPtr &s : body) {
            visitStmt(*s);
        }
    }

    void visitMacro(const MacroStmt &m)
    {
        for (const MacroParam &p : m.params) {
            visit(p.defaultValue.get());
        }
        m_scopes.emplace_back();
        for (const MacroParam &p : m.params) {
            bind(p.id);
        }
        bind(m_t.names.intern("varargs"));
        bind(m_t.names.intern("kwargs"));
        if (m.kind == StmtKind::Macro) {
            bind(m_t.names.intern("caller"));
        }
        visitBody(m.body);
        m_scopes.pop_back();
    }

    void visitStmt(const Stmt &s)
    {
        switch (s.kind) {
        case StmtKind::Text:
            return;
        case StmtKind::Output:
            visit(static_cast<const OutputStmt &>(s).expr.get());
            return;
        case StmtKind::For: {
            const auto &f = static_cast<const ForStmt &>(s);
            visit(f.iter.get());
            m_scopes.emplace_back();
            bindTarget(f.target);
            visit(f.filter.get());
            bind(f.loopId);
            visitBody(f.body);
            m_scopes.pop_back();
            visitBody(f.elseBody);
            return;
        }
        case StmtKind::If: {
            const auto &i = static_cast<const IfStmt &>(s);
            for (const auto &branch : i.branches) {
                visit(branch.first.get());
                visitBody(branch.second);
            }
            visitBody(i.elseBody);
            return;
        }
        case StmtKind::Set: {
            const auto &set = static_cast<const SetStmt &>(s);
            visit(set.value.get());
            bindTarget(set.target);
            return;
        }
        case StmtKind::SetBlock: {
            const auto &set = static_cast<const SetBlockStmt &>(s);
            visitBody(set.body);
            visit(set.filter.get());
            bindTarget(set.target);
            return;
        }
        case StmtKind::Macro: {
            const auto &m = static_cast<const MacroStmt &>(s);
            bind(m.id);
            visitMacro(m);
            return;
        }
        case StmtKind::CallBlock: {
            const auto &m = static_cast<const MacroStmt &>(s);
            visit(m.call.get());
            visitMacro(m);
            return;
        }
        case StmtKind::FilterBlock: {
            const auto &f = static_cast<const FilterBlockStmt &>(s);
            visitBody(f.body);
            visit(f.filter.get());
            return;
        }
        case StmtKind::With: {
            const auto &w = static_cast<const WithStmt &>(s);
            for (const auto &a : w.assignments) {
                visit(a.second.get());
            }
            m_scopes.emplace_back();
            for (const auto &a : w.assignments) {
                bindTarget(a.first);
            }
            visitBody(w.body);
            m_scopes.pop_back();
            return;
        }
        case StmtKind::Scope:
            visitBody(static_cast<const ScopeStmt &>(s).body);
            return;
        }
    }
};

} // namespace

void TemplateParser::parse(std::string_view source, ParsedTemplate &out)
{
    out.sourceSize = source.size();
    Parser parser(TemplateLexer::tokenize(source), out);
    parser.run();
    VariableCollector(out).run();
    out.callerId = out.names.intern("caller");
    out.varargsId = out.names.intern("varargs");
    out.kwargsId = out.names.intern("kwargs");
}

} // namespace fb::jinja
