#include <core/flow/flowvalidator.h>

#include <core/common/fileio.h>
#include <core/flow/apiparameters.h>
#include <core/flow/flowedits.h>
#include <core/flow/flowindex.h>
#include <core/flow/yamlscalar_p.h>
#include <core/template/template.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace fb {

namespace {

namespace fs = std::filesystem;

std::string q(const std::string &name) { return "'" + name + "'"; }

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

std::string trimmed(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// Text Python's int() accepts (surrounding blanks allowed).
bool isIntegerText(const std::string &text) { return yamlscalar::isDecimalInteger(trimmed(text)); }

/// Text Python's float() accepts, near enough: decimals, exponents, inf and nan.
bool isNumberText(const std::string &text)
{
    std::string t = lower(trimmed(text));
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        t.erase(0, 1);
    }
    return t == "inf" || t == "infinity" || t == "nan" || yamlscalar::isDecimalFloat(t);
}

bool isBoolText(const std::string &text)
{
    const std::string low = lower(text);
    return low == "true" || low == "false";
}

std::optional<Value> parseJson(const std::string &text)
{
    Value v = Value::parse(text, nullptr, false);
    if (v.is_discarded()) {
        return std::nullopt;
    }
    return v;
}

std::string describe(const Value &v)
{
    switch (v.type()) {
    case Value::value_t::null:
        return "null";
    case Value::value_t::boolean:
        return "a boolean";
    case Value::value_t::number_integer:
    case Value::value_t::number_unsigned:
        return "an integer";
    case Value::value_t::number_float:
        return "a number";
    case Value::value_t::string:
        return "the text " + v.dump(-1, ' ', false, Value::error_handler_t::replace);
    case Value::value_t::array:
        return "a list";
    case Value::value_t::object:
        return "a mapping";
    default:
        return "an unusable value";
    }
}

/// Whether a literal can stand for a value of `type`, with promptflow's string conversions.
bool literalFits(ValueType type, const Value &v)
{
    if (v.is_null()) {
        return true;
    }
    switch (type) {
    case ValueType::String:
        return !v.is_array() && !v.is_object();
    case ValueType::Int:
        if (v.is_number_integer()) {
            return true;
        }
        if (v.is_number_float()) {
            const double d = v.get<double>();
            return std::isfinite(d) && std::trunc(d) == d;
        }
        return v.is_string() && isIntegerText(v.get<std::string>());
    case ValueType::Double:
        return v.is_number() || (v.is_string() && isNumberText(v.get<std::string>()));
    case ValueType::Bool:
        return v.is_boolean() || (v.is_string() && isBoolText(v.get<std::string>()));
    case ValueType::List:
        if (v.is_array()) {
            return true;
        }
        if (v.is_string()) {
            const auto parsed = parseJson(v.get<std::string>());
            return parsed && parsed->is_array();
        }
        return false;
    case ValueType::Object:
        if (v.is_object()) {
            return true;
        }
        if (v.is_string()) {
            const auto parsed = parseJson(v.get<std::string>());
            return parsed && parsed->is_object();
        }
        return false;
    case ValueType::Image:
        return v.is_string() || v.is_object();
    case ValueType::Secret:
    case ValueType::PromptTemplate:
    case ValueType::FilePath:
        return v.is_string();
    }
    return true;
}

/// Expected kind of the literal API parameters we can check without the model.
std::optional<ValueType> apiParameterType(const std::string &name)
{
    switch (ApiParameters::type(name).value_or(ApiParameterType::Any)) {
    case ApiParameterType::Int:
        return ValueType::Int;
    case ApiParameterType::Double:
        return ValueType::Double;
    case ApiParameterType::Bool:
        return ValueType::Bool;
    case ApiParameterType::Object:
        return ValueType::Object;
    default:
        return std::nullopt;
    }
}

/// One parsed template, shared by every node that names the same file.
struct TemplateInfo
{
    bool ok = false;
    std::vector<std::string> variables;
};

class Checker
{
public:
    explicit Checker(const Flow &flow, const FlowValidator::Texts *texts = nullptr)
        : m_flow(flow)
        , m_index(flow)
        , m_texts(texts)
        , m_file(flow.file.empty() ? (flow.dir / "flow.dag.yaml").string() : flow.file.string())
    {
    }

    std::vector<Diagnostic> run();

private:
    void error(SourcePos pos, std::string message)
    {
        add(m_file, pos, Diagnostic::Severity::Error, std::move(message));
    }
    void warning(SourcePos pos, std::string message)
    {
        add(m_file, pos, Diagnostic::Severity::Warning, std::move(message));
    }
    void add(const std::string &file, SourcePos pos, Diagnostic::Severity severity,
             std::string message)
    {
        Diagnostic d;
        d.file = file;
        d.line = pos.line;
        d.column = pos.column;
        d.severity = severity;
        d.message = std::move(message);
        m_diagnostics.push_back(std::move(d));
    }

    void checkTopLevel();
    void checkInputs();
    void checkOutputs();
    void checkNodeNames();
    void checkNodes();
    void checkNodeVariants();
    void checkCycles();

    bool isAggregation(const std::string &nodeName) const;

    void checkBody(const Node &node, const std::string &ctx);
    void checkSource(const Node &node, const std::string &ctx);
    void checkTemplate(const Node &node, const std::string &ctx, const fs::path &file);
    void checkLlm(const Node &node, const std::string &ctx);
    /// Checks one "${...}" (or a value that should be one) used by `node`.
    void checkReference(const Node *user, const std::string &text, SourcePos pos,
                        const std::string &ctx);
    const TemplateInfo &parseTemplate(const fs::path &file, const std::string &ctx, SourcePos pos);

    /// The text standing in for `file`, or nullptr when the file itself counts.
    [[nodiscard]] const std::string *textFor(const fs::path &file) const
    {
        if (!m_texts) {
            return nullptr;
        }
        const auto found = m_texts->find(fs::absolute(file).lexically_normal());
        return found == m_texts->end() ? nullptr : &found->second;
    }

    const Flow &m_flow;
    const FlowIndex m_index; // every lookup by name goes through it: linear, not quadratic
    const FlowValidator::Texts *m_texts = nullptr;
    std::string m_file;
    std::vector<Diagnostic> m_diagnostics;
    std::map<std::string, TemplateInfo> m_templates; // by resolved path
    /// Source paths as written, resolved and checked once however many nodes name them.
    struct SourceFile
    {
        fs::path file;
        Result<std::uint64_t> checked;
    };
    std::unordered_map<std::string, SourceFile> m_sourceFiles;
};

bool Checker::isAggregation(const std::string &nodeName) const
{
    const Node *node = m_index.node(nodeName);
    if (!node) {
        return false;
    }
    const auto bodies = FlowEdits::bodiesOf(m_index, *node);
    return std::any_of(bodies.begin(), bodies.end(), [](const Node *b) { return b->aggregation; });
}

void Checker::checkTopLevel()
{
    for (std::size_t i = 0; i < m_flow.additionalIncludes.size(); ++i) {
        const std::string &include = m_flow.additionalIncludes[i];
        fs::path path(include);
        if (path.is_relative()) {
            path = m_flow.dir / path;
        }
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            error(keyPosition(m_flow.keyPos, "additional_includes." + std::to_string(i),
                              keyPosition(m_flow.keyPos, "additional_includes", {})),
                  "additional include " + q(include) + " not found");
        }
    }
}

void Checker::checkInputs()
{
    std::map<std::string, const FlowInput *> seen;
    const FlowInput *chatInput = nullptr;
    for (const auto &in : m_flow.inputs) {
        const std::string ctx = "input " + q(in.name) + ": ";
        const auto [it, inserted] = seen.emplace(in.name, &in);
        if (!inserted) {
            error(in.pos, "duplicate input name " + q(in.name) + " (first defined at line "
                              + std::to_string(it->second->pos.line) + ")");
        }
        const SourcePos typePos = keyPosition(in.keyPos, "type", in.pos);
        if (!in.unknownType.empty()) {
            error(typePos, ctx + "unknown type " + q(in.unknownType)
                               + " (expected string, int, double, bool, list, object, image, "
                                 "secret, prompt_template or file_path)");
        } else if (in.defaultValue && !literalFits(in.type, *in.defaultValue)) {
            error(keyPosition(in.keyPos, "default", in.pos),
                  ctx + "default is " + describe(*in.defaultValue) + ", not a valid "
                      + valueTypeName(in.type));
        }
        if (in.defaultValue && !in.defaultValue->is_null() && !in.enumValues.empty()
            && std::find(in.enumValues.begin(), in.enumValues.end(), *in.defaultValue)
                   == in.enumValues.end()) {
            error(keyPosition(in.keyPos, "default", in.pos),
                  ctx + "default is not one of the values listed in 'enum'");
        }
        if (in.isChatInput) {
            if (chatInput) {
                error(keyPosition(in.keyPos, "is_chat_input", in.pos),
                      "a chat flow has one chat input, but " + q(chatInput->name) + " and "
                          + q(in.name) + " both set is_chat_input");
            } else {
                chatInput = &in;
            }
        }
        if (in.isChatHistory && in.unknownType.empty() && in.type != ValueType::List) {
            error(typePos, ctx + "a chat history input must have type list");
        }
    }
}

void Checker::checkOutputs()
{
    std::map<std::string, const FlowOutput *> seen;
    const FlowOutput *chatOutput = nullptr;
    for (const auto &out : m_flow.outputs) {
        const std::string ctx = "output " + q(out.name) + ": ";
        const auto [it, inserted] = seen.emplace(out.name, &out);
        if (!inserted) {
            error(out.pos, "duplicate output name " + q(out.name) + " (first defined at line "
                               + std::to_string(it->second->pos.line) + ")");
        }
        if (!out.unknownType.empty()) {
            error(keyPosition(out.keyPos, "type", out.pos),
                  ctx + "unknown type " + q(out.unknownType)
                      + " (expected string, int, double, bool, list, object, image, ...)");
        }
        const SourcePos refPos = keyPosition(out.keyPos, "reference", out.pos);
        if (out.reference.empty()) {
            error(out.pos, ctx + "missing 'reference' (e.g. ${node.output})");
        } else if (Reference::looksLikeReference(out.reference)) {
            checkReference(nullptr, out.reference, refPos, ctx);
            const auto ref = Reference::parse(out.reference);
            if (ref && ref->kind == Reference::Kind::NodeOutput && isAggregation(ref->name)) {
                error(refPos, ctx + "references aggregation node " + q(ref->name)
                                  + ", which has no per-line output");
            }
        }
        if (out.isChatOutput) {
            if (chatOutput) {
                error(keyPosition(out.keyPos, "is_chat_output", out.pos),
                      "a chat flow has one chat output, but " + q(chatOutput->name) + " and "
                          + q(out.name) + " both set is_chat_output");
            } else {
                chatOutput = &out;
            }
        }
    }
    if (m_flow.isChatFlow() && !chatOutput) {
        warning(keyPosition(m_flow.keyPos, "outputs", {}),
                "chat flow has no output with is_chat_output: true");
    }
}

void Checker::checkNodeNames()
{
    std::map<std::string, const Node *> seen;
    for (const auto &node : m_flow.nodes) {
        const SourcePos namePos = keyPosition(node.keyPos, "name", node.pos);
        const auto [it, inserted] = seen.emplace(node.name, &node);
        if (!inserted) {
            error(namePos, "duplicate node name " + q(node.name) + " (first defined at line "
                               + std::to_string(it->second->pos.line) + ")");
        }
        if (FlowEdits::isReservedNodeName(node.name)) {
            error(namePos, "node name " + q(node.name) + " is reserved: ${" + node.name
                               + ".x} means a flow input");
        } else if (!node.name.empty() && !FlowEdits::isReferenceableName(node.name)) {
            error(namePos, "node name " + q(node.name)
                               + " cannot be referenced: it contains '.', '$', braces or spaces");
        }
    }
}

void Checker::checkReference(const Node *user, const std::string &text, SourcePos pos,
                             const std::string &ctx)
{
    const auto ref = Reference::parse(text);
    if (!ref) {
        error(pos, ctx + "malformed reference " + q(text)
                       + " (expected ${inputs.x}, ${node}, ${node.output} or "
                         "${node.output.key})");
        return;
    }
    if (ref->kind == Reference::Kind::FlowInput) {
        if (!m_index.input(ref->name)) {
            error(pos, ctx + "references unknown input " + q(ref->name));
        }
        return;
    }
    if (!m_index.node(ref->name)) {
        error(pos, ctx + "references unknown node " + q(ref->name));
        return;
    }
    if (user && !user->aggregation && isAggregation(ref->name)) {
        error(pos, ctx + "per-line node references aggregation node " + q(ref->name)
                       + " (only aggregation nodes may use its output)");
    }
}

const TemplateInfo &Checker::parseTemplate(const fs::path &file, const std::string &ctx,
                                           SourcePos pos)
{
    const std::string key = file.string();
    const auto found = m_templates.find(key);
    if (found != m_templates.end()) {
        return found->second;
    }
    TemplateInfo &info = m_templates[key];
    const std::string *given = textFor(file);
    ReadFileLimits limits;
    limits.maxBytes = kMaxSourceFileBytes;
    const auto source = given ? Result<std::string>(*given) : readFile(file, limits);
    if (!source) {
        error(pos, ctx + "cannot read template: " + source.error().message);
        return info;
    }
    const auto parsed = Template::parse(*source, key);
    if (!parsed) {
        // Messages read "file:line: message" (maybe "file:line:column: message"); put the
        // diagnostic at that place in the template itself.
        std::string message = parsed.error().message;
        int line = 0;
        int column = 0;
        if (message.compare(0, key.size() + 1, key + ":") == 0) {
            std::size_t i = key.size() + 1;
            const auto number = [&](int &out) {
                const std::size_t start = i;
                while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]))) {
                    ++i;
                }
                if (i == start) {
                    return false;
                }
                out = std::stoi(message.substr(start, i - start));
                return true;
            };
            if (number(line)) {
                if (i < message.size() && message[i] == ':' && i + 1 < message.size()
                    && std::isdigit(static_cast<unsigned char>(message[i + 1]))) {
                    ++i;
                    number(column);
                }
                if (message.compare(i, 2, ": ") == 0) {
                    i += 2;
                }
                message = message.substr(i);
            } else {
                message = message.substr(key.size() + 1);
                message.erase(0, message.find_first_not_of(' '));
            }
        }
        add(key, {line, column}, Diagnostic::Severity::Error,
            message + " (template of " + ctx.substr(0, ctx.size() - 2) + ")");
        return info;
    }
    info.ok = true;
    info.variables = parsed->variables();
    return info;
}

void Checker::checkTemplate(const Node &node, const std::string &ctx, const fs::path &file)
{
    const SourcePos pathPos = keyPosition(node.keyPos, "source.path", node.pos);
    const TemplateInfo &info = parseTemplate(file, ctx, pathPos);
    if (!info.ok) {
        return;
    }
    const bool llm = node.type == NodeType::Llm || node.type == NodeType::CustomLlm;
    std::string api = node.api;
    if (const NodeInput *in = node.input("api"); in && in->value.is_string()) {
        api = in->value.get<std::string>();
    }
    const SourcePos inputsPos = keyPosition(node.keyPos, "inputs", node.pos);
    for (const auto &var : info.variables) {
        if (llm && ApiParameters::isApiParameter(var, api)) {
            error(pathPos, ctx + "template variable " + q(var)
                               + " clashes with the LLM API parameter of that name; rename it");
        } else if (!node.input(var)) {
            warning(inputsPos, ctx + "template variable " + q(var)
                                   + " has no node input and will render empty");
        }
    }
}

void Checker::checkSource(const Node &node, const std::string &ctx)
{
    const NodeSource &src = node.source;
    const SourcePos sourcePos = keyPosition(node.keyPos, "source", node.pos);
    if (src.type.empty() && src.path.empty() && src.tool.empty()) {
        error(node.pos, ctx + "missing 'source' (e.g. {type: code, path: prompt.jinja2})");
        return;
    }
    const SourcePos typePos = keyPosition(node.keyPos, "source.type", sourcePos);
    if (src.type.empty()) {
        error(sourcePos, ctx + "missing 'source.type' (code, package or package_with_prompt)");
        return;
    }
    if (src.type != "code" && src.type != "package" && src.type != "package_with_prompt") {
        error(typePos, ctx + "unknown source type " + q(src.type)
                           + " (expected code, package or package_with_prompt)");
        return;
    }
    if ((src.type == "package" || src.type == "package_with_prompt") && src.tool.empty()) {
        error(sourcePos, ctx + "source type " + src.type + " needs 'source.tool'");
    }
    const bool needsPath = src.type == "code" || src.type == "package_with_prompt";
    const SourcePos pathPos = keyPosition(node.keyPos, "source.path", sourcePos);
    if (src.path.empty()) {
        if (needsPath) {
            error(sourcePos, ctx + "source type " + src.type + " needs 'source.path'");
        }
        return;
    }
    if (node.type == NodeType::Python && src.type == "code"
        && fs::path(src.path).extension() != ".py") {
        error(pathPos, ctx + "python node source " + q(src.path) + " is not a .py file");
    }
    auto [known, added] = m_sourceFiles.try_emplace(src.path, SourceFile{{}, std::uint64_t(0)});
    if (added) {
        // Only a regular file within the size limit: a FIFO would hang whoever opens it, a
        // device such as /dev/zero never ends.
        known->second.file = m_flow.resolvePath(src.path);
        known->second.checked = checkRegularFile(known->second.file, kMaxSourceFileBytes);
    }
    const fs::path &file = known->second.file;
    const char *const kind = node.type == NodeType::Python ? "code file " : "template file ";
    if (!textFor(file)) {
        const Result<std::uint64_t> &checked = known->second.checked;
        if (!checked && checked.error().code == ErrorCode::NotFound) {
            error(pathPos,
                  ctx + kind + q(src.path) + " not found (looked in the flow folder"
                      + (m_flow.additionalIncludes.empty() ? ")" : " and additional_includes)"));
            return;
        }
        if (!checked) {
            error(pathPos, ctx + kind + q(src.path) + ": " + checked.error().message);
            return;
        }
    }
    if (node.type != NodeType::Python) {
        checkTemplate(node, ctx, file);
    }
}

void Checker::checkLlm(const Node &node, const std::string &ctx)
{
    const bool custom = node.type == NodeType::CustomLlm;
    std::string api = node.api;
    SourcePos apiPos = keyPosition(node.keyPos, "api", node.pos);
    if (custom) {
        const NodeInput *connection = node.input("connection");
        if (node.connection.empty()
            && (!connection
                || (connection->value.is_string()
                    && connection->value.get<std::string>().empty()))) {
            error(keyPosition(node.keyPos, "inputs", node.pos),
                  ctx + "custom_llm node needs the input 'connection'");
        }
        if (const NodeInput *in = node.input("api")) {
            api = in->value.is_string() ? in->value.get<std::string>() : in->value.dump();
            apiPos = in->pos;
        }
        if (!api.empty() && api != "chat" && api != "completion") {
            error(apiPos, ctx + "'api' is " + q(api) + ", expected chat or completion");
        }
    } else {
        if (node.connection.empty()) {
            error(node.pos, ctx + "llm node needs 'connection' (the name of a connection)");
        }
        if (api.empty()) {
            error(node.pos, ctx + "llm node needs 'api' (chat or completion)");
        } else if (api != "chat" && api != "completion") {
            error(apiPos, ctx + "'api' is " + q(api) + ", expected chat or completion");
        }
    }
    for (const auto &in : node.inputs) {
        const auto type = apiParameterType(in.name);
        if (!type || Reference::looksLikeReference(in.value)) {
            continue;
        }
        if (in.value.is_string() && in.value.get<std::string>().empty()) {
            continue;
        }
        // Older flows write max_tokens: inf for "no limit".
        if (in.name == "max_tokens" && in.value.is_string()
            && lower(in.value.get<std::string>()) == "inf") {
            continue;
        }
        if (!literalFits(*type, in.value)) {
            error(in.pos, ctx + "input " + q(in.name) + " is " + describe(in.value) + ", expected "
                              + (*type == ValueType::Double ? "a number"
                                 : *type == ValueType::Int  ? "an integer"
                                 : *type == ValueType::Bool ? "true or false"
                                                            : "a mapping"));
        }
    }
}

void Checker::checkBody(const Node &node, const std::string &ctx)
{
    if (!node.unknownType.empty()) {
        error(keyPosition(node.keyPos, "type", node.pos),
              ctx + "unknown node type " + q(node.unknownType)
                  + " (expected llm, prompt, python or custom_llm)");
    } else {
        checkSource(node, ctx);
        if (node.type == NodeType::Llm || node.type == NodeType::CustomLlm) {
            checkLlm(node, ctx);
        }
    }
    for (const auto &in : node.inputs) {
        if (Reference::looksLikeReference(in.value)) {
            checkReference(&node, in.value.get<std::string>(), in.pos,
                           ctx + "input " + q(in.name) + " ");
        }
    }
    if (node.activate) {
        const Activate &a = *node.activate;
        if (a.when.empty()) {
            error(a.pos, ctx + "activate is missing 'when'");
        } else if (!Reference::looksLikeReference(a.when)) {
            error(keyPosition(a.keyPos, "when", a.pos),
                  ctx
                      + "activate.when must be a reference such as ${node.output} or "
                        "${inputs.x}, not "
                      + q(a.when));
        } else {
            checkReference(&node, a.when, keyPosition(a.keyPos, "when", a.pos),
                           ctx + "activate.when ");
        }
        if (!a.hasIs) {
            error(a.pos, ctx + "activate is missing 'is'");
        }
    }
}

void Checker::checkNodes()
{
    for (const auto &node : m_flow.nodes) {
        const std::string ctx = "node " + q(node.name) + ": ";
        if (node.useVariants) {
            if (!m_index.variantsOf(node.name)) {
                error(keyPosition(node.keyPos, "use_variants", node.pos),
                      ctx + "use_variants is set but node_variants has no entry " + q(node.name));
            }
            continue;
        }
        checkBody(node, ctx);
    }
}

void Checker::checkNodeVariants()
{
    for (const auto &nv : m_flow.nodeVariants) {
        const std::string ctx = "node_variants " + q(nv.nodeName) + ": ";
        const Node *stub = m_index.node(nv.nodeName);
        if (!stub) {
            error(nv.pos, ctx + "there is no node " + q(nv.nodeName) + " in 'nodes'");
        } else if (!stub->useVariants) {
            warning(nv.pos,
                    ctx + "unused: node " + q(nv.nodeName) + " does not set use_variants: true");
        }
        if (nv.variants.empty()) {
            error(keyPosition(nv.keyPos, "variants", nv.pos), ctx + "no variants");
        }
        if (nv.defaultVariantId.empty()) {
            error(nv.pos, ctx + "missing 'default_variant_id'");
        } else if (!nv.variant(nv.defaultVariantId)) {
            std::string ids;
            for (const auto &v : nv.variants) {
                ids += (ids.empty() ? "" : ", ") + v.id;
            }
            error(keyPosition(nv.keyPos, "default_variant_id", nv.pos),
                  ctx + "default_variant_id " + q(nv.defaultVariantId)
                      + " is not one of the variants (" + (ids.empty() ? "none" : ids) + ")");
        }
        const Variant *first = nullptr;
        for (const auto &v : nv.variants) {
            const std::string vctx = "node " + q(nv.nodeName) + " variant " + q(v.id) + ": ";
            if (!FlowEdits::isIdentifier(v.id)) {
                error(v.pos, ctx + "variant id " + q(v.id)
                                 + " must be letters, digits and '_', not starting with a digit");
            }
            const std::string typeName
                = v.node.unknownType.empty() ? nodeTypeName(v.node.type) : v.node.unknownType;
            if (!first) {
                first = &v;
            } else {
                const std::string firstType = first->node.unknownType.empty()
                                                  ? nodeTypeName(first->node.type)
                                                  : first->node.unknownType;
                if (typeName != firstType) {
                    error(keyPosition(v.node.keyPos, "type", v.pos),
                          vctx + "is a " + typeName + " node but variant " + q(first->id) + " is a "
                              + firstType + " node; variants must share a type");
                }
            }
            checkBody(v.node, vctx);
        }
    }
}

void Checker::checkCycles()
{
    // Nodes by first occurrence of each name, with their dependencies (over every body a name
    // may run: all variants of a stub) as indices.
    std::vector<const Node *> nodes;
    std::unordered_map<std::string_view, std::size_t> indexOf;
    for (const auto &node : m_flow.nodes) {
        if (indexOf.emplace(node.name, nodes.size()).second) {
            nodes.push_back(&node); // a duplicate name is reported elsewhere
        }
    }
    std::vector<std::vector<std::size_t>> deps(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        for (const auto &dep : FlowEdits::dependenciesOf(m_index, nodes[i]->name)) {
            deps[i].push_back(indexOf.at(dep));
        }
    }

    // Depth-first, with an explicit stack: a chain of 200,000 nodes is 200,000 levels deep.
    // Each cycle costs its length to report, and a hostile flow can close n cycles of length
    // n; so at most kMaxCycles are reported, and a long path is shortened in the middle.
    constexpr std::size_t kMaxCycles = 100;
    constexpr std::size_t kPathEnds = 20; // names kept at each end of a long cycle's path
    enum class Mark : unsigned char { White, Grey, Black };
    std::vector<Mark> marks(nodes.size(), Mark::White);
    std::vector<std::size_t> path;    // the grey nodes, in visiting order
    std::vector<std::size_t> nextDep; // for each entry of `path`, its next dependency
    std::vector<std::size_t> pathPos(nodes.size(), 0); // where a grey node sits in `path`
    std::set<std::set<std::string>> reported;
    bool capped = false;
    const auto enter = [&](std::size_t i) {
        marks[i] = Mark::Grey;
        pathPos[i] = path.size();
        path.push_back(i);
        nextDep.push_back(0);
    };
    for (std::size_t root = 0; root < nodes.size(); ++root) {
        if (marks[root] != Mark::White) {
            continue;
        }
        enter(root);
        while (!path.empty()) {
            const std::size_t current = path.back();
            if (nextDep.back() == deps[current].size()) {
                marks[current] = Mark::Black;
                path.pop_back();
                nextDep.pop_back();
                continue;
            }
            const std::size_t dep = deps[current][nextDep.back()++];
            if (marks[dep] == Mark::White) {
                enter(dep);
                continue;
            }
            if (marks[dep] != Mark::Grey || capped) {
                continue;
            }
            const Node *first = nodes[dep];
            const SourcePos pos = keyPosition(first->keyPos, "name", first->pos);
            if (reported.size() == kMaxCycles) {
                capped = true;
                error(pos, "node " + q(first->name) + " is part of a cycle too; only the first "
                               + std::to_string(kMaxCycles) + " cycles are listed");
                continue;
            }
            const auto start = path.begin() + std::ptrdiff_t(pathPos[dep]);
            std::set<std::string> members;
            for (auto it = start; it != path.end(); ++it) {
                members.insert(nodes[*it]->name);
            }
            if (!reported.insert(std::move(members)).second) {
                continue;
            }
            // The path follows data flow: each node feeds the next. On the stack each node
            // depends on the one after it, so walk it backwards from `dep`.
            std::vector<std::size_t> cycle{dep};
            for (auto it = path.end(); --it != start;) {
                cycle.push_back(*it);
            }
            cycle.push_back(dep);
            std::string text;
            for (std::size_t k = 0; k < cycle.size(); ++k) {
                if (cycle.size() > 2 * kPathEnds + 1 && k == kPathEnds) {
                    text += " -> ... (" + std::to_string(cycle.size() - 2 * kPathEnds)
                            + " more nodes)";
                    k = cycle.size() - kPathEnds - 1;
                    continue;
                }
                text += (k ? " -> " : "") + nodes[cycle[k]]->name;
            }
            error(pos, "node " + q(first->name) + " is part of a cycle: " + text);
        }
    }
}

std::vector<Diagnostic> Checker::run()
{
    checkTopLevel();
    checkInputs();
    checkOutputs();
    checkNodeNames();
    checkNodes();
    checkNodeVariants();
    checkCycles();
    // Flow-file diagnostics first, in file order, then those inside templates.
    std::stable_sort(m_diagnostics.begin(), m_diagnostics.end(),
                     [&](const Diagnostic &a, const Diagnostic &b) {
                         const bool aFlow = a.file == m_file;
                         const bool bFlow = b.file == m_file;
                         if (aFlow != bFlow) {
                             return aFlow;
                         }
                         if (a.file != b.file) {
                             return a.file < b.file;
                         }
                         if (a.line != b.line) {
                             return a.line < b.line;
                         }
                         return a.column < b.column;
                     });
    return std::move(m_diagnostics);
}

} // namespace

std::vector<Diagnostic> FlowValidator::validate(const Flow &flow) { return Checker(flow).run(); }

std::vector<Diagnostic> FlowValidator::validate(const Flow &flow, const Texts &texts)
{
    return Checker(flow, &texts).run();
}

} // namespace fb
