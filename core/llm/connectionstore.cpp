#include <core/llm/connectionstore.h>

#include <core/common/fileio.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <set>

namespace fb {

namespace {

/// Where each field of a connection came from, for error messages ("file:line:col").
using FieldOrigins = std::map<std::string, std::string>;

std::string markText(const std::filesystem::path &file, const YAML::Mark &mark)
{
    return file.string() + ":" + std::to_string(mark.line + 1) + ":"
           + std::to_string(mark.column + 1);
}

std::optional<ConnectionType> typeFromName(const std::string &name)
{
    if (name == "open_ai") {
        return ConnectionType::OpenAi;
    }
    if (name == "azure_open_ai") {
        return ConnectionType::AzureOpenAi;
    }
    if (name == "serverless") {
        return ConnectionType::Serverless;
    }
    if (name == "anthropic") {
        return ConnectionType::Anthropic;
    }
    if (name == "custom") {
        return ConnectionType::Custom;
    }
    return std::nullopt;
}

/// Fields a typed connection may take even when its file does not name them, so that
/// `<NAME>_<KEY>` can supply them.
const std::vector<std::string> &knownKeys(ConnectionType type)
{
    static const std::vector<std::string> openAi{"api_key", "organization", "base_url"};
    static const std::vector<std::string> azure{"api_key",      "api_base",  "api_type",
                                                "api_version",  "auth_mode", "token_env",
                                                "token_command"};
    static const std::vector<std::string> serverless{"api_key", "api_base"};
    static const std::vector<std::string> anthropic{"api_key", "api_base", "anthropic_version"};
    static const std::vector<std::string> none;
    switch (type) {
    case ConnectionType::OpenAi:
        return openAi;
    case ConnectionType::AzureOpenAi:
        return azure;
    case ConnectionType::Serverless:
        return serverless;
    case ConnectionType::Anthropic:
        return anthropic;
    case ConnectionType::Custom:
        return none;
    }
    return none;
}

std::string envKeyPart(const std::string &s)
{
    std::string out = s;
    for (char &c : out) {
        const auto u = static_cast<unsigned char>(c);
        c = std::isalnum(u) ? char(std::toupper(u)) : '_';
    }
    return out;
}

bool isEnvReference(const std::string &value, std::string &variable)
{
    constexpr std::string_view prefix = "${env:";
    if (value.size() > prefix.size() + 1 && value.compare(0, prefix.size(), prefix) == 0
        && value.back() == '}') {
        variable = value.substr(prefix.size(), value.size() - prefix.size() - 1);
        return !variable.empty();
    }
    return false;
}

std::string locate(const Connection &c, const FieldOrigins &origins, const std::string &field)
{
    const auto it = origins.find(field);
    const std::string where = it != origins.end() ? it->second + ": " : std::string();
    return where + "connection '" + c.name + "'";
}

Result<void> resolve(Connection &c, const FieldOrigins &origins,
                     const ConnectionStore::EnvLookup &env)
{
    for (auto *fields : {&c.configs, &c.secrets}) {
        for (auto &[key, value] : *fields) {
            std::string variable;
            if (!isEnvReference(value, variable)) {
                continue;
            }
            const char *found = env(variable.c_str());
            if (!found) {
                return fail(ErrorCode::NotFound, locate(c, origins, key) + " field '" + key
                                                     + "': environment variable " + variable
                                                     + " is not set");
            }
            value = found;
        }
    }

    // <NAME>_<KEY> overrides, for every field present or known for the type.
    std::set<std::string> keys;
    for (const auto &kv : c.configs) {
        keys.insert(kv.first);
    }
    for (const auto &kv : c.secrets) {
        keys.insert(kv.first);
    }
    for (const auto &k : knownKeys(c.type)) {
        keys.insert(k);
    }
    const std::string prefix = envKeyPart(c.name) + "_";
    for (const auto &key : keys) {
        const std::string variable = prefix + envKeyPart(key);
        const char *found = env(variable.c_str());
        if (!found) {
            continue;
        }
        if (c.secrets.count(key) || (c.type != ConnectionType::Custom && key == "api_key")) {
            c.secrets[key] = found;
        } else {
            c.configs[key] = found;
        }
    }

    // promptflow's templates ship `api_key: "<user-input>"`; calling with it only earns a 401.
    for (const auto &[key, value] : c.secrets) {
        if (value == "<user-input>") {
            return fail(ErrorCode::Validation,
                        locate(c, origins, key) + " field '" + key
                            + "' is still the placeholder <user-input>: set it, write "
                              "${env:VARIABLE}, or set the environment variable "
                            + prefix + envKeyPart(key));
        }
    }

    if ((c.type == ConnectionType::AzureOpenAi || c.type == ConnectionType::Serverless)
        && c.value("api_base").empty()) {
        return fail(ErrorCode::Validation, locate(c, origins, "type") + " of type "
                                               + connectionTypeName(c.type) + " needs an api_base");
    }
    return {};
}

Result<std::string> scalarText(const YAML::Node &node, const std::filesystem::path &file,
                               const std::string &field)
{
    if (node.IsNull()) {
        return std::string();
    }
    if (!node.IsScalar()) {
        return fail(ErrorCode::Parse,
                    markText(file, node.Mark()) + ": field '" + field + "' must be a plain value");
    }
    return node.Scalar();
}

Result<void> readMap(const YAML::Node &node, const std::filesystem::path &file,
                     const std::string &section, std::map<std::string, std::string> &into,
                     FieldOrigins &origins)
{
    if (node.IsNull()) {
        return {};
    }
    if (!node.IsMap()) {
        return fail(ErrorCode::Parse,
                    markText(file, node.Mark()) + ": '" + section + "' must be a mapping");
    }
    for (const auto &kv : node) {
        const std::string key = kv.first.Scalar();
        auto text = scalarText(kv.second, file, section + "." + key);
        if (!text) {
            return std::move(text).error();
        }
        into[key] = std::move(*text);
        origins[key] = markText(file, kv.second.Mark());
    }
    return {};
}

Result<void> parseConnection(const std::string &yaml, const std::filesystem::path &file,
                             Connection &c, FieldOrigins &origins)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception &e) {
        return fail(ErrorCode::Parse, markText(file, e.mark) + ": " + e.msg);
    }
    if (!root.IsMap()) {
        return fail(ErrorCode::Parse,
                    file.string() + ":1:1: a connection file must hold a mapping");
    }
    const YAML::Node name = root["name"];
    if (!name || !name.IsScalar() || name.Scalar().empty()) {
        return fail(ErrorCode::Parse, file.string() + ":1:1: connection has no 'name'");
    }
    c.name = name.Scalar();
    const YAML::Node type = root["type"];
    if (!type || !type.IsScalar()) {
        return fail(ErrorCode::Parse,
                    markText(file, name.Mark()) + ": connection '" + c.name + "' has no 'type'");
    }
    origins["type"] = markText(file, type.Mark());
    const auto parsed = typeFromName(type.Scalar());
    if (!parsed) {
        return fail(ErrorCode::Unsupported,
                    markText(file, type.Mark()) + ": connection '" + c.name
                        + "' has unsupported type '" + type.Scalar()
                        + "' (supported: open_ai, azure_open_ai, serverless, anthropic, custom)");
    }
    c.type = *parsed;

    for (const auto &kv : root) {
        const std::string key = kv.first.Scalar();
        if (key == "name" || key == "type" || key == "$schema" || key == "module") {
            continue;
        }
        if (c.type == ConnectionType::Custom && (key == "configs" || key == "secrets")) {
            auto r
                = readMap(kv.second, file, key, key == "configs" ? c.configs : c.secrets, origins);
            if (!r) {
                return r;
            }
            continue;
        }
        auto text = scalarText(kv.second, file, key);
        if (!text) {
            return std::move(text).error();
        }
        (key == "api_key" ? c.secrets : c.configs)[key] = std::move(*text);
        origins[key] = markText(file, kv.second.Mark());
    }
    return {};
}

} // namespace

ConnectionStore::ConnectionStore()
    : m_env([](const char *name) { return static_cast<const char *>(std::getenv(name)); })
{
}

ConnectionStore::ConnectionStore(EnvLookup env)
    : m_env(std::move(env))
{
}

Result<void> ConnectionStore::loadFile(const std::filesystem::path &file)
{
    auto text = readFile(file);
    if (!text) {
        return std::move(text).error();
    }
    Connection c;
    FieldOrigins origins;
    if (auto r = parseConnection(*text, file, c, origins); !r) {
        return r;
    }
    if (auto r = resolve(c, origins, m_env); !r) {
        return r;
    }
    std::string name = c.name;
    m_connections[std::move(name)] = std::move(c);
    return {};
}

Result<void> ConnectionStore::loadDirectory(const std::filesystem::path &dir)
{
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto ext = it->path().extension();
        if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) {
            files.push_back(it->path());
        }
    }
    if (ec) {
        return fail(ErrorCode::NotFound,
                    dir.string() + ": cannot read connection folder: " + ec.message());
    }
    std::sort(files.begin(), files.end());
    for (const auto &file : files) {
        if (auto r = loadFile(file); !r) {
            return r;
        }
    }
    return {};
}

Result<void> ConnectionStore::add(Connection connection)
{
    if (connection.name.empty()) {
        return fail(ErrorCode::InvalidArgument, "a connection needs a name");
    }
    if (auto r = resolve(connection, {}, m_env); !r) {
        return r;
    }
    std::string name = connection.name;
    m_connections[std::move(name)] = std::move(connection);
    return {};
}

const Connection *ConnectionStore::find(const std::string &name) const
{
    const auto it = m_connections.find(name);
    return it == m_connections.end() ? nullptr : &it->second;
}

std::vector<std::string> ConnectionStore::names() const
{
    std::vector<std::string> out;
    out.reserve(m_connections.size());
    for (const auto &kv : m_connections) {
        out.push_back(kv.first);
    }
    return out;
}

SecretRedactor ConnectionStore::secretRedactor() const
{
    SecretRedactor redactor;
    for (const std::string &name : names()) {
        if (const Connection *c = find(name)) {
            for (const auto &[key, secret] : c->secrets) {
                redactor.add(secret);
            }
        }
    }
    return redactor;
}

} // namespace fb
