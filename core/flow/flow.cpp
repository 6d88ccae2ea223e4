#include <core/flow/flow.h>

#include <algorithm>
#include <array>
#include <utility>

namespace fb {

namespace {

constexpr std::array<std::pair<ValueType, const char *>, 10> kValueTypeNames{{
    {ValueType::String, "string"},
    {ValueType::Int, "int"},
    {ValueType::Double, "double"},
    {ValueType::Bool, "bool"},
    {ValueType::List, "list"},
    {ValueType::Object, "object"},
    {ValueType::Image, "image"},
    {ValueType::Secret, "secret"},
    {ValueType::PromptTemplate, "prompt_template"},
    {ValueType::FilePath, "file_path"},
}};

bool isReferencePart(const std::string &part)
{
    if (part.empty()) {
        return false;
    }
    return std::none_of(part.begin(), part.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' || c == '$';
    });
}

std::vector<std::string> splitOnDots(const std::string &text)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = text.find('.', start);
        if (dot == std::string::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, dot - start));
        start = dot + 1;
    }
}

} // namespace

SourcePos keyPosition(const KeyPositions &positions, const std::string &key, SourcePos fallback)
{
    const auto it = positions.find(key);
    return it == positions.end() ? fallback : it->second;
}

const char *valueTypeName(ValueType type)
{
    for (const auto &[t, name] : kValueTypeNames) {
        if (t == type) {
            return name;
        }
    }
    return "string";
}

std::optional<ValueType> parseValueType(const std::string &name)
{
    for (const auto &[t, text] : kValueTypeNames) {
        if (name == text) {
            return t;
        }
    }
    return std::nullopt;
}

const char *nodeTypeName(NodeType type)
{
    switch (type) {
    case NodeType::Llm:
        return "llm";
    case NodeType::Prompt:
        return "prompt";
    case NodeType::Python:
        return "python";
    case NodeType::CustomLlm:
        return "custom_llm";
    }
    return "llm";
}

std::optional<Reference> Reference::parse(const std::string &text)
{
    if (text.size() < 4 || text.compare(0, 2, "${") != 0 || text.back() != '}') {
        return std::nullopt;
    }
    const std::vector<std::string> parts = splitOnDots(text.substr(2, text.size() - 3));
    if (!std::all_of(parts.begin(), parts.end(), isReferencePart)) {
        return std::nullopt;
    }
    Reference ref;
    if (parts[0] == "inputs" || parts[0] == "flow") {
        if (parts.size() != 2) {
            return std::nullopt;
        }
        ref.kind = Kind::FlowInput;
        ref.name = parts[1];
        return ref;
    }
    ref.kind = Kind::NodeOutput;
    ref.name = parts[0];
    if (parts.size() == 1) {
        return ref;
    }
    if (parts[1] != "output") {
        return std::nullopt;
    }
    // "${node.output.a.b}": promptflow reads one key level; keep the rest verbatim.
    for (std::size_t i = 2; i < parts.size(); ++i) {
        if (!ref.key.empty()) {
            ref.key += '.';
        }
        ref.key += parts[i];
    }
    return ref;
}

bool Reference::looksLikeReference(const Value &value)
{
    if (!value.is_string()) {
        return false;
    }
    const auto &text = value.get_ref<const std::string &>();
    return text.size() >= 3 && text.compare(0, 2, "${") == 0 && text.back() == '}';
}

const NodeInput *Node::input(const std::string &name) const
{
    for (const auto &in : inputs) {
        if (in.name == name) {
            return &in;
        }
    }
    return nullptr;
}

const Variant *NodeVariants::variant(const std::string &id) const
{
    for (const auto &v : variants) {
        if (v.id == id) {
            return &v;
        }
    }
    return nullptr;
}

const FlowInput *Flow::input(const std::string &name) const
{
    for (const auto &in : inputs) {
        if (in.name == name) {
            return &in;
        }
    }
    return nullptr;
}

const FlowOutput *Flow::output(const std::string &name) const
{
    for (const auto &out : outputs) {
        if (out.name == name) {
            return &out;
        }
    }
    return nullptr;
}

const Node *Flow::node(const std::string &name) const
{
    for (const auto &n : nodes) {
        if (n.name == name) {
            return &n;
        }
    }
    return nullptr;
}

Node *Flow::node(const std::string &name)
{
    for (auto &n : nodes) {
        if (n.name == name) {
            return &n;
        }
    }
    return nullptr;
}

std::set<std::string> Flow::connectionNames() const
{
    std::set<std::string> names;
    auto visit = [&names](const Node &node) {
        if (!node.connection.empty()) {
            names.insert(node.connection);
        }
        if (node.type == NodeType::CustomLlm) {
            if (const NodeInput *in = node.input("connection"); in && in->value.is_string()) {
                names.insert(in->value.get<std::string>());
            }
        }
    };
    for (const auto &n : nodes) {
        visit(n);
    }
    for (const auto &nv : nodeVariants) {
        for (const auto &v : nv.variants) {
            visit(v.node);
        }
    }
    return names;
}

const NodeVariants *Flow::variantsOf(const std::string &nodeName) const
{
    for (const auto &nv : nodeVariants) {
        if (nv.nodeName == nodeName) {
            return &nv;
        }
    }
    return nullptr;
}

bool Flow::isChatFlow() const
{
    return std::any_of(inputs.begin(), inputs.end(),
                       [](const FlowInput &in) { return in.isChatInput; });
}

std::filesystem::path Flow::resolvePath(const std::string &relative) const
{
    namespace fs = std::filesystem;
    const fs::path rel(relative);
    if (rel.is_absolute()) {
        return rel;
    }
    const fs::path local = dir / rel;
    std::error_code ec;
    if (fs::exists(local, ec)) {
        return local;
    }
    // An additional include is copied into the flow folder under its own file name (a folder
    // include keeps its subtree), so "name" or "name/sub/path" may refer to it. Later
    // includes overwrite earlier ones, hence the reverse search.
    const fs::path relNorm = rel.lexically_normal();
    for (auto it = additionalIncludes.rbegin(); it != additionalIncludes.rend(); ++it) {
        fs::path include(*it);
        if (include.is_relative()) {
            include = dir / include;
        }
        include = include.lexically_normal();
        if (!include.has_filename()) {
            include = include.parent_path();
        }
        const fs::path includeName = include.filename();
        auto relIt = relNorm.begin();
        if (relIt == relNorm.end() || *relIt != includeName) {
            continue;
        }
        fs::path candidate = include;
        for (++relIt; relIt != relNorm.end(); ++relIt) {
            candidate /= *relIt;
        }
        if (fs::exists(candidate, ec)) {
            return candidate;
        }
    }
    return local;
}

} // namespace fb
