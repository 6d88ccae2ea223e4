// ConnectionStore: promptflow connection YAML of each type, ${env:VAR} resolution,
// <NAME>_<KEY> overrides, and errors that name the file, line and field.

#include <core/llm/connectionstore.h>

#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <string>

using fb::Connection;
using fb::ConnectionStore;
using fb::ConnectionType;
using fb::ErrorCode;

namespace {

/// An injectable environment built from "NAME=value" strings.
ConnectionStore::EnvLookup fakeEnv(const QStringList &entries)
{
    auto values = std::make_shared<std::map<std::string, std::string>>();
    for (const QString &e : entries) {
        const auto eq = e.indexOf(QLatin1Char('='));
        (*values)[e.left(eq).toStdString()] = e.mid(eq + 1).toStdString();
    }
    return [values](const char *name) -> const char * {
        const auto it = values->find(name);
        return it == values->end() ? nullptr : it->second.c_str();
    };
}

QString render(const std::map<std::string, std::string> &fields)
{
    QStringList parts;
    for (const auto &[k, v] : fields) {
        parts << QString::fromStdString(k + "=" + v);
    }
    return parts.join(QLatin1Char(';'));
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        return {};
    }
    f.write(text);
    return path;
}

} // namespace

class TestConnectionStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadFile_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("configs");
        QTest::addColumn<QString>("secrets");

        QTest::newRow("open_ai") << QByteArray(
            "$schema: https://azuremlschemas.azureedge.net/promptflow/latest/"
            "OpenAIConnection.schema.json\nname: open_ai_connection\n"
            "type: open_ai\napi_key: sk-123\norganization: org-1\n"
            "base_url: http://127.0.0.1:8080/v1\n")
                                 << QStringList() << "open_ai_connection"
                                 << "open_ai"
                                 << "base_url=http://127.0.0.1:8080/v1;organization=org-1"
                                 << "api_key=sk-123";
        QTest::newRow("open_ai-empty-organization")
            << QByteArray("name: oa\ntype: open_ai\napi_key: k\norganization:\n") << QStringList()
            << "oa"
            << "open_ai"
            << "organization="
            << "api_key=k";
        QTest::newRow("azure_open_ai-key")
            << QByteArray("name: azure_open_ai_connection\ntype: azure_open_ai\n"
                          "api_key: \"abc\"\napi_base: https://x.openai.azure.com/\n"
                          "api_type: azure\napi_version: 2024-02-01\n")
            << QStringList() << "azure_open_ai_connection"
            << "azure_open_ai"
            << "api_base=https://x.openai.azure.com/;api_type=azure;api_version=2024-02-01"
            << "api_key=abc";
        QTest::newRow("azure_open_ai-meid-token")
            << QByteArray("name: aad\ntype: azure_open_ai\napi_base: https://y.openai.azure.com\n"
                          "auth_mode: meid_token\ntoken_command: az account get-access-token\n")
            << QStringList() << "aad"
            << "azure_open_ai"
            << "api_base=https://y.openai.azure.com;auth_mode=meid_token;"
               "token_command=az account get-access-token"
            << "";
        QTest::newRow("serverless")
            << QByteArray("name: sl\ntype: serverless\napi_key: k2\n"
                          "api_base: https://m.eastus.models.ai.azure.com/v1\n")
            << QStringList() << "sl"
            << "serverless"
            << "api_base=https://m.eastus.models.ai.azure.com/v1"
            << "api_key=k2";
        QTest::newRow("anthropic") << QByteArray("name: claude\ntype: anthropic\napi_key: ak\n"
                                                 "anthropic_version: 2023-06-01\n")
                                   << QStringList() << "claude"
                                   << "anthropic"
                                   << "anthropic_version=2023-06-01"
                                   << "api_key=ak";
        QTest::newRow("custom-configs-and-secrets")
            << QByteArray("name: search\ntype: custom\nconfigs:\n  endpoint: https://s\n"
                          "  retries: 3\nsecrets:\n  token: t0p\n  other: o\n")
            << QStringList() << "search"
            << "custom"
            << "endpoint=https://s;retries=3"
            << "other=o;token=t0p";
        QTest::newRow("env-reference")
            << QByteArray("name: oa\ntype: open_ai\napi_key: ${env:OPENAI_API_KEY}\n"
                          "base_url: ${env:OA_BASE}\n")
            << QStringList{"OPENAI_API_KEY=sk-env", "OA_BASE=http://h/v1"} << "oa"
            << "open_ai"
            << "base_url=http://h/v1"
            << "api_key=sk-env";
        QTest::newRow("env-reference-in-custom-secret")
            << QByteArray("name: c\ntype: custom\nsecrets:\n  token: ${env:TOK}\n")
            << QStringList{"TOK=from-env"} << "c"
            << "custom"
            << ""
            << "token=from-env";
        QTest::newRow("override-existing-field")
            << QByteArray("name: oa\ntype: open_ai\napi_key: file-key\n"
                          "base_url: http://file/v1\n")
            << QStringList{"OA_API_KEY=env-key", "OA_BASE_URL=http://env/v1"} << "oa"
            << "open_ai"
            << "base_url=http://env/v1"
            << "api_key=env-key";
        QTest::newRow("override-adds-known-field")
            << QByteArray("name: my-azure.conn\ntype: azure_open_ai\napi_key: k\n"
                          "api_base: https://a\n")
            << QStringList{"MY_AZURE_CONN_API_VERSION=2024-10-21"} << "my-azure.conn"
            << "azure_open_ai"
            << "api_base=https://a;api_version=2024-10-21"
            << "api_key=k";
        QTest::newRow("override-beats-env-reference")
            << QByteArray("name: oa\ntype: open_ai\napi_key: ${env:UNSET_IS_FINE_NOT}\n")
            << QStringList{"UNSET_IS_FINE_NOT=a", "OA_API_KEY=b"} << "oa"
            << "open_ai"
            << ""
            << "api_key=b";
        QTest::newRow("override-custom-secret")
            << QByteArray("name: c\ntype: custom\nconfigs:\n  url: u\nsecrets:\n  token: t\n")
            << QStringList{"C_TOKEN=new", "C_URL=v"} << "c"
            << "custom"
            << "url=v"
            << "token=new";
        QTest::newRow("override-replaces-placeholder")
            << QByteArray("name: oa\ntype: open_ai\napi_key: <user-input>\n")
            << QStringList{"OA_API_KEY=real"} << "oa"
            << "open_ai"
            << ""
            << "api_key=real";
        QTest::newRow("override-ignores-unrelated")
            << QByteArray("name: c\ntype: custom\nconfigs:\n  url: u\n") << QStringList{"C_OTHER=x"}
            << "c"
            << "custom"
            << "url=u"
            << "";
    }

    void loadFile()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, env);
        QFETCH(QString, name);
        QFETCH(QString, type);
        QFETCH(QString, configs);
        QFETCH(QString, secrets);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = writeFile(dir, QStringLiteral("c.yaml"), yaml);
        ConnectionStore store(fakeEnv(env));
        const auto r = store.loadFile(path.toStdString());
        QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
        const Connection *c = store.find(name.toStdString());
        QVERIFY(c);
        QCOMPARE(QString::fromLatin1(fb::connectionTypeName(c->type)), type);
        QCOMPARE(render(c->configs), configs);
        QCOMPARE(render(c->secrets), secrets);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("mentions");

        QTest::newRow("missing-env-variable")
            << QByteArray("name: oa\ntype: open_ai\nbase_url: http://x\n"
                          "api_key: ${env:NOT_SET_KEY}\n")
            << QStringList() << int(ErrorCode::NotFound) << ":4:10: "
            << "field 'api_key': environment variable NOT_SET_KEY is not set";
        QTest::newRow("missing-env-in-custom-config")
            << QByteArray("name: c\ntype: custom\nconfigs:\n  endpoint: ${env:EP}\n")
            << QStringList() << int(ErrorCode::NotFound) << ":4:13: "
            << "field 'endpoint'";
        QTest::newRow("unknown-type") << QByteArray("name: s\ntype: cognitive_search\napi_key: k\n")
                                      << QStringList() << int(ErrorCode::Unsupported) << ":2:7: "
                                      << "unsupported type 'cognitive_search'";
        QTest::newRow("missing-name") << QByteArray("type: open_ai\napi_key: k\n") << QStringList()
                                      << int(ErrorCode::Parse) << ":1:1: "
                                      << "no 'name'";
        QTest::newRow("missing-type") << QByteArray("name: x\napi_key: k\n") << QStringList()
                                      << int(ErrorCode::Parse) << ":1:7: "
                                      << "has no 'type'";
        QTest::newRow("yaml-syntax") << QByteArray("name: x\ntype: open_ai\napi_key: [unclosed\n")
                                     << QStringList() << int(ErrorCode::Parse) << ":4:"
                                     << "";
        QTest::newRow("not-a-mapping")
            << QByteArray("- a\n- b\n") << QStringList() << int(ErrorCode::Parse) << ":1:1: "
            << "must hold a mapping";
        QTest::newRow("azure-without-api-base")
            << QByteArray("name: az\ntype: azure_open_ai\napi_key: secret-value\n") << QStringList()
            << int(ErrorCode::Validation) << ":2:7: "
            << "needs an api_base";
        QTest::newRow("user-input-placeholder")
            << QByteArray("name: my_conn\ntype: open_ai\napi_key: \"<user-input>\"\n")
            << QStringList() << int(ErrorCode::Validation) << ":3:10: "
            << "still the placeholder <user-input>: set it, write ${env:VARIABLE}, or set the "
               "environment variable MY_CONN_API_KEY";
        QTest::newRow("nested-value-in-typed-connection")
            << QByteArray("name: oa\ntype: open_ai\napi_key:\n  nested: 1\n") << QStringList()
            << int(ErrorCode::Parse) << ":4:3: "
            << "field 'api_key' must be a plain value";
        QTest::newRow("custom-secrets-not-mapping")
            << QByteArray("name: c\ntype: custom\nsecrets: [a, b]\n") << QStringList()
            << int(ErrorCode::Parse) << ":3:10: "
            << "'secrets' must be a mapping";
    }

    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, env);
        QFETCH(int, code);
        QFETCH(QString, where);
        QFETCH(QString, mentions);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = writeFile(dir, QStringLiteral("conn.yaml"), yaml);
        ConnectionStore store(fakeEnv(env));
        const auto r = store.loadFile(path.toStdString());
        QVERIFY(!r.has_value());
        const QString message = QString::fromStdString(r.error().message);
        QCOMPARE(int(r.error().code), code);
        QVERIFY2(message.startsWith(path + where), qPrintable(message));
        QVERIFY2(message.contains(mentions), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("secret-value")), qPrintable(message));
        QVERIFY(store.names().empty());
    }

    void loadDirectory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        writeFile(dir, QStringLiteral("b.yaml"), "name: second\ntype: open_ai\napi_key: 2\n");
        writeFile(dir, QStringLiteral("a.yml"), "name: first\ntype: anthropic\napi_key: 1\n");
        writeFile(dir, QStringLiteral("notes.txt"), "not: a connection\n");
        ConnectionStore store(fakeEnv({}));
        const auto r = store.loadDirectory(dir.path().toStdString());
        QVERIFY2(r.has_value(), r.has_value() ? "" : r.error().message.c_str());
        QCOMPARE(store.names(), (std::vector<std::string>{"first", "second"}));
        QCOMPARE(store.find("first")->type, ConnectionType::Anthropic);
        QVERIFY(store.find("notes") == nullptr);

        const auto missing = store.loadDirectory((dir.path() + "/nope").toStdString());
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void addInCode_data()
    {
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("secrets");

        QTest::newRow("env-resolved") << QStringList{"K=v1"} << true << "api_key=v1";
        QTest::newRow("override-applied")
            << QStringList{"K=v1", "CODE_CONN_API_KEY=v2"} << true << "api_key=v2";
        QTest::newRow("env-missing") << QStringList() << false << "";
    }

    void addInCode()
    {
        QFETCH(QStringList, env);
        QFETCH(bool, ok);
        QFETCH(QString, secrets);

        ConnectionStore store(fakeEnv(env));
        Connection c;
        c.name = "code-conn";
        c.type = ConnectionType::OpenAi;
        c.secrets["api_key"] = "${env:K}";
        const auto r = store.add(c);
        QCOMPARE(r.has_value(), ok);
        if (ok) {
            QCOMPARE(render(store.find("code-conn")->secrets), secrets);
        } else {
            QVERIFY(QString::fromStdString(r.error().message).contains("environment variable K"));
        }
    }

    void connectionValue()
    {
        Connection c;
        c.configs["api_base"] = "http://b";
        c.configs["empty"] = "";
        c.secrets["api_key"] = "k";
        QCOMPARE(c.value("api_base"), std::string("http://b"));
        QCOMPARE(c.value("api_key"), std::string("k"));
        QCOMPARE(c.value("empty", "fb"), std::string("fb"));
        QCOMPARE(c.value("absent", "fb"), std::string("fb"));
    }
};

QTEST_GUILESS_MAIN(TestConnectionStore)
#include "tst_connectionstore.moc"
