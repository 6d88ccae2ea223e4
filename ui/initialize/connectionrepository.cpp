#include <ui/initialize/connectionrepository.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace fb::ui {

namespace {

const char *schemaFor(fb::ConnectionType type)
{
    switch (type) {
    case fb::ConnectionType::OpenAi:
        return "https://azuremlschemas.azureedge.net/promptflow/latest/"
               "OpenAIConnection.schema.json";
    case fb::ConnectionType::AzureOpenAi:
        return "https://azuremlschemas.azureedge.net/promptflow/latest/"
               "AzureOpenAIConnection.schema.json";
    case fb::ConnectionType::Serverless:
        return "https://azuremlschemas.azureedge.net/promptflow/latest/"
               "ServerlessConnection.schema.json";
    case fb::ConnectionType::Custom:
        return "https://azuremlschemas.azureedge.net/promptflow/latest/"
               "CustomConnection.schema.json";
    case fb::ConnectionType::Anthropic:
        return nullptr;
    }
    return nullptr;
}

std::optional<fb::ConnectionType> typeFromName(const std::string &name)
{
    for (auto t : {fb::ConnectionType::OpenAi, fb::ConnectionType::AzureOpenAi,
                   fb::ConnectionType::Serverless, fb::ConnectionType::Anthropic,
                   fb::ConnectionType::Custom}) {
        if (name == fb::connectionTypeName(t)) {
            return t;
        }
    }
    return std::nullopt;
}

} // namespace

ConnectionRepository::ConnectionRepository(QString dir)
    : m_dir(std::move(dir))
{
}

QString ConnectionRepository::fileFor(const QString &name) const
{
    return QDir(m_dir).filePath(name + QStringLiteral(".yaml"));
}

bool ConnectionRepository::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_\\-]*$"));
    return re.match(name).hasMatch();
}

QString ConnectionRepository::secretKey(const QString &workspaceRoot, const QString &name)
{
    return QStringLiteral("%1#%2").arg(QDir::cleanPath(workspaceRoot), name);
}

QByteArray ConnectionRepository::toYaml(const fb::Connection &connection)
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    if (const char *schema = schemaFor(connection.type)) {
        out << YAML::Key << "$schema" << YAML::Value << schema;
    }
    out << YAML::Key << "name" << YAML::Value << connection.name;
    out << YAML::Key << "type" << YAML::Value << fb::connectionTypeName(connection.type);
    const bool keyAuth = connection.value("auth_mode", "key") == "key";
    if (connection.type == fb::ConnectionType::Custom) {
        out << YAML::Key << "configs" << YAML::Value << YAML::BeginMap;
        for (const auto &[k, v] : connection.configs) {
            out << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
        }
        out << YAML::EndMap;
    } else {
        if (keyAuth) {
            // promptflow's placeholder: the key itself is in the keychain, never in a file.
            out << YAML::Key << "api_key" << YAML::Value << YAML::DoubleQuoted << "<user-input>";
        }
        for (const auto &[k, v] : connection.configs) {
            if (!v.empty()) {
                out << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
            }
        }
    }
    out << YAML::EndMap;
    return QByteArray(out.c_str()) + '\n';
}

bool ConnectionRepository::save(const fb::Connection &connection, QString *error) const
{
    const QString name = QString::fromStdString(connection.name);
    if (!isValidName(name)) {
        if (error) {
            *error = QCoreApplication::translate(
                         "fb::ui::ConnectionRepository",
                         "'%1' is not a valid connection name: use letters, digits, '_' and '-'.")
                         .arg(name);
        }
        return false;
    }
    QDir().mkpath(m_dir);
    QSaveFile f(fileFor(name));
    const QByteArray data = toYaml(connection);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        if (error) {
            *error
                = QCoreApplication::translate("fb::ui::ConnectionRepository", "Cannot write %1: %2")
                      .arg(QDir::toNativeSeparators(fileFor(name)), f.errorString());
        }
        return false;
    }
    return true;
}

bool ConnectionRepository::remove(const QString &name, QString *error) const
{
    const QString file = fileFor(name);
    if (QFileInfo::exists(file) && !QFile::remove(file)) {
        if (error) {
            *error
                = QCoreApplication::translate("fb::ui::ConnectionRepository", "Cannot delete %1.")
                      .arg(QDir::toNativeSeparators(file));
        }
        return false;
    }
    return true;
}

QList<fb::Connection> ConnectionRepository::list(QStringList *errors) const
{
    QList<fb::Connection> result;
    const QDir d(m_dir);
    const auto files
        = d.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString path = d.filePath(file);
        try {
            const YAML::Node root = YAML::LoadFile(path.toStdString());
            if (!root.IsMap() || !root["name"] || !root["type"]) {
                if (errors) {
                    errors->append(
                        QCoreApplication::translate("fb::ui::ConnectionRepository",
                                                    "%1: not a connection (needs name and type)")
                            .arg(path));
                }
                continue;
            }
            const auto type = typeFromName(root["type"].as<std::string>());
            if (!type) {
                if (errors) {
                    errors->append(
                        QCoreApplication::translate("fb::ui::ConnectionRepository",
                                                    "%1: unknown connection type '%2'")
                            .arg(path, QString::fromStdString(root["type"].as<std::string>())));
                }
                continue;
            }
            fb::Connection c;
            c.name = root["name"].as<std::string>();
            c.type = *type;
            for (const auto &kv : root) {
                const auto key = kv.first.as<std::string>();
                if (key == "name" || key == "type" || key == "$schema" || key == "api_key"
                    || key == "secrets") {
                    continue;
                }
                if (key == "configs" && kv.second.IsMap()) {
                    for (const auto &inner : kv.second) {
                        c.configs[inner.first.as<std::string>()] = inner.second.as<std::string>();
                    }
                } else if (kv.second.IsScalar()) {
                    c.configs[key] = kv.second.as<std::string>();
                }
            }
            result.append(c);
        } catch (const YAML::Exception &e) {
            if (errors) {
                errors->append(QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what())));
            }
        }
    }
    std::sort(result.begin(), result.end(),
              [](const fb::Connection &a, const fb::Connection &b) { return a.name < b.name; });
    return result;
}

} // namespace fb::ui
