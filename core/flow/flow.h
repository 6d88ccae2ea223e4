#pragma once

#include <core/common/value.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fb {

/// The largest flow.dag.yaml FlowLoader reads by default: 64 MiB (a flow of 200,000 nodes in
/// block style is 27 MiB). Larger files are refused, naming the file and the limit.
inline constexpr std::uint64_t kMaxFlowYamlBytes = std::uint64_t(64) << 20;
/// The largest template or code file a flow may name: 16 MiB. Larger files are refused,
/// naming the file and the limit, by validation, hashing and run preparation.
inline constexpr std::uint64_t kMaxSourceFileBytes = std::uint64_t(16) << 20;

/// Position of a YAML element in its file (1-based; 0 = unknown, e.g. built in code).
struct SourcePos
{
    int line = 0;
    int column = 0;
};

/// Where each key of a YAML mapping was written, by key name; nested keys are joined with
/// '.' (e.g. "source.path"). Empty for elements built in code. Used for diagnostics only.
using KeyPositions = std::map<std::string, SourcePos>;

/// The position of `key` in `positions`, or `fallback` when the key was not written.
[[nodiscard]] SourcePos keyPosition(const KeyPositions &positions, const std::string &key,
                                    SourcePos fallback);

/// Declared type of a flow input or output (promptflow's names in comments).
enum class ValueType {
    String,         ///< string
    Int,            ///< int
    Double,         ///< double
    Bool,           ///< bool
    List,           ///< list
    Object,         ///< object
    Image,          ///< image
    Secret,         ///< secret
    PromptTemplate, ///< prompt_template
    FilePath,       ///< file_path
};

[[nodiscard]] const char *valueTypeName(ValueType type);
[[nodiscard]] std::optional<ValueType> parseValueType(const std::string &name);

struct FlowInput
{
    std::string name;
    ValueType type = ValueType::String;
    std::optional<Value> defaultValue;
    std::string description;
    std::vector<Value> enumValues;
    bool isChatInput = false;
    bool isChatHistory = false;
    Value extra = Value::object(); ///< unknown keys, kept for the round trip
    std::string unknownType;       ///< the type as written when it names no ValueType
    SourcePos pos;                 ///< the input's name
    KeyPositions keyPos;
};

struct FlowOutput
{
    std::string name;
    ValueType type = ValueType::String;
    std::string reference; ///< usually "${node.output}"; may be a literal
    std::string description;
    bool isChatOutput = false;
    bool evaluationOnly = false;
    Value extra = Value::object();
    std::string unknownType; ///< the type as written when it names no ValueType
    SourcePos pos;           ///< the output's name
    KeyPositions keyPos;
};

enum class NodeType { Llm, Prompt, Python, CustomLlm };

[[nodiscard]] const char *nodeTypeName(NodeType type);

struct NodeSource
{
    std::string type; ///< code, package, package_with_prompt
    std::string path; ///< relative to the flow folder (or an additional include's name)
    std::string tool; ///< for package tools, e.g. promptflow.tools.llm.llm
    Value extra = Value::object();
};

/// A node input: a literal value, or a string "${...}" reference.
struct NodeInput
{
    std::string name;
    Value value;
    SourcePos pos;
};

/// A parsed "${...}" reference.
struct Reference
{
    enum class Kind {
        FlowInput,  ///< ${inputs.x} or legacy ${flow.x}
        NodeOutput, ///< ${node}, ${node.output}, ${node.output.key}
    };
    Kind kind = Kind::FlowInput;
    std::string name; ///< the input or node name
    std::string key;  ///< for ${node.output.key}; empty otherwise

    /// Parses `${...}`; nullopt when `text` is not a reference (then it is a literal).
    [[nodiscard]] static std::optional<Reference> parse(const std::string &text);
    /// True when `value` is a string of the form "${...}".
    [[nodiscard]] static bool looksLikeReference(const Value &value);
};

struct Activate
{
    std::string when;  ///< a reference
    Value is;          ///< literal to compare with
    bool hasIs = true; ///< false when the YAML had no 'is' key (FlowValidator reports it)
    Value extra = Value::object();
    SourcePos pos;       ///< the 'activate' key
    KeyPositions keyPos; ///< "when", "is"
};

struct Node
{
    std::string name;
    NodeType type = NodeType::Llm;
    NodeSource source;
    std::vector<NodeInput> inputs; ///< in file order
    std::string connection;
    std::string api; ///< chat or completion (llm nodes)
    bool aggregation = false;
    std::optional<Activate> activate;
    bool useVariants = false; ///< a stub whose body lives in node_variants
    bool enableCache = false;
    std::string comment;
    Value extra = Value::object(); ///< unknown keys (legacy provider/module land here too)
    /// The type as written when it names no NodeType (e.g. "csharp"): kept for the round trip
    /// and reported by FlowValidator; `type` is then meaningless.
    std::string unknownType;
    SourcePos pos;       ///< the node's mapping (a variant's node: its 'node' value)
    KeyPositions keyPos; ///< "name", "type", "source", "source.path", "connection", ...

    [[nodiscard]] const NodeInput *input(const std::string &name) const;
};

struct Variant
{
    std::string id; ///< variant_0, variant_1, ...
    std::string description;
    Node node; ///< the full node; its name is the owning node's name
    Value extra = Value::object();
    SourcePos pos; ///< the variant id
    KeyPositions keyPos;
};

struct NodeVariants
{
    std::string nodeName;
    std::string defaultVariantId;
    std::vector<Variant> variants;
    Value extra = Value::object();
    SourcePos pos; ///< the node name under node_variants
    KeyPositions keyPos;

    [[nodiscard]] const Variant *variant(const std::string &id) const;
};

/// A promptflow DAG flow: the in-memory form of flow.dag.yaml. Plain value type.
/// `dir` is the flow folder; node source paths are relative to it.
struct Flow
{
    std::filesystem::path dir;
    std::filesystem::path file; ///< dir / "flow.dag.yaml" usually

    std::vector<FlowInput> inputs;
    std::vector<FlowOutput> outputs;
    std::vector<Node> nodes;
    std::vector<NodeVariants> nodeVariants;
    Value environment = Value::object();          ///< python_requirements_txt, image, ...
    Value environmentVariables = Value::object(); ///< values may be ${conn.key} / ${env:X}
    std::vector<std::string> additionalIncludes;
    std::string id;
    std::string name;
    std::string language;
    std::string messageFormat;
    std::string schema;            ///< "$schema"
    Value extra = Value::object(); ///< unknown top-level keys, in file order
    /// Top-level keys ("inputs", "nodes", ...) and "additional_includes.<index>".
    KeyPositions keyPos;

    [[nodiscard]] const FlowInput *input(const std::string &name) const;
    [[nodiscard]] const FlowOutput *output(const std::string &name) const;
    [[nodiscard]] const Node *node(const std::string &name) const;
    [[nodiscard]] Node *node(const std::string &name);
    [[nodiscard]] const NodeVariants *variantsOf(const std::string &nodeName) const;
    /// True when an input has is_chat_input.
    [[nodiscard]] bool isChatFlow() const;
    /// Every connection name the flow uses: node.connection and custom_llm's `connection`
    /// input, in every variant.
    [[nodiscard]] std::set<std::string> connectionNames() const;

    /// Resolves a source path the way promptflow does: relative to `dir`, else the last
    /// additional include whose file name matches.
    [[nodiscard]] std::filesystem::path resolvePath(const std::string &relative) const;
};

} // namespace fb
