#include <ui/initialize/connectiontester.h>

#include <core/llm/llmclient.h>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaObject>

#include <curl/curl.h>

#include <string>

namespace fb::ui {

namespace {

size_t appendBody(char *data, size_t size, size_t count, void *user)
{
    auto *body = static_cast<std::string *>(user);
    body->append(data, size * count);
    // Model lists are small; stop reading absurdly large answers.
    return body->size() > 4 * 1024 * 1024 ? 0 : size * count;
}

QString trimSlash(QString s)
{
    while (s.endsWith(QLatin1Char('/'))) {
        s.chop(1);
    }
    return s;
}

/// GET <url>; returns the model ids or an error.
QStringList listModels(const fb::Connection &c, const QString &url, QString *error)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        *error = QCoreApplication::translate("fb::ui::ConnectionTester", "libcurl could not start");
        return {};
    }
    std::string body;
    curl_slist *headers = nullptr;
    const std::string key = c.value("api_key");
    if (c.type == fb::ConnectionType::Anthropic) {
        headers = curl_slist_append(headers, ("x-api-key: " + key).c_str());
        headers = curl_slist_append(
            headers, ("anthropic-version: " + c.value("anthropic_version", "2023-06-01")).c_str());
    } else if (c.type == fb::ConnectionType::AzureOpenAi) {
        headers = curl_slist_append(headers, ("api-key: " + key).c_str());
    } else if (!key.empty()) {
        headers = curl_slist_append(headers, ("Authorization: Bearer " + key).c_str());
    }
    const std::string u = url.toStdString();
    curl_easy_setopt(curl, CURLOPT_URL, u.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 15000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
        *error = QCoreApplication::translate("fb::ui::ConnectionTester", "%1: %2")
                     .arg(url, QString::fromUtf8(curl_easy_strerror(rc)));
        return {};
    }
    if (status != 200) {
        *error = QCoreApplication::translate("fb::ui::ConnectionTester", "%1 answered HTTP %2: %3")
                     .arg(url)
                     .arg(status)
                     .arg(QString::fromStdString(body.substr(0, 300)));
        return {};
    }
    QStringList models;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(body));
    for (const QJsonValue &m : doc.object().value(QStringLiteral("data")).toArray()) {
        const QString id = m.toObject().value(QStringLiteral("id")).toString();
        if (!id.isEmpty()) {
            models.append(id);
        }
    }
    if (models.isEmpty()) {
        *error = QCoreApplication::translate("fb::ui::ConnectionTester", "%1 listed no models")
                     .arg(url);
    }
    return models;
}

} // namespace

ConnectionTester::ConnectionTester(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<fb::ui::ConnectionTestReport>();
}

ConnectionTester::~ConnectionTester()
{
    if (m_cancel) {
        m_cancel->store(true);
    }
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

QString ConnectionTester::modelsUrl(const fb::Connection &c)
{
    switch (c.type) {
    case fb::ConnectionType::OpenAi:
        return trimSlash(QString::fromStdString(c.value("base_url", "https://api.openai.com/v1")))
               + QStringLiteral("/models");
    case fb::ConnectionType::Serverless:
        return trimSlash(QString::fromStdString(c.value("api_base"))) + QStringLiteral("/models");
    case fb::ConnectionType::AzureOpenAi:
        return trimSlash(QString::fromStdString(c.value("api_base")))
               + QStringLiteral("/openai/models?api-version=")
               + QString::fromStdString(c.value("api_version", "2024-02-01"));
    case fb::ConnectionType::Anthropic:
        return trimSlash(QString::fromStdString(c.value("api_base", "https://api.anthropic.com")))
               + QStringLiteral("/v1/models");
    case fb::ConnectionType::Custom:
        return {};
    }
    return {};
}

bool ConnectionTester::test(const fb::Connection &connection, const QString &model, bool simulated)
{
    if (m_running) {
        return false;
    }
    if (m_worker.joinable()) {
        m_worker.join();
    }
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    m_worker = std::thread([this, connection, model, simulated, cancel] {
        ConnectionTestReport report;
        report.connection = QString::fromStdString(connection.name);
        report.simulated = simulated;
        const QString url = modelsUrl(connection);
        const bool meid = connection.value("auth_mode", "key") != "key";
        if (url.isEmpty()) {
            report.modelsError = QCoreApplication::translate(
                "fb::ui::ConnectionTester", "this connection type has no model list");
        } else if (meid) {
            report.modelsError = QCoreApplication::translate(
                "fb::ui::ConnectionTester",
                "listing models needs an API key (Entra ID connection)");
        } else {
            report.models = listModels(connection, url, &report.modelsError);
        }
        if (!cancel->load()) {
            report.model = !model.isEmpty()           ? model
                           : !report.models.isEmpty() ? report.models.first()
                                                      : QStringLiteral("gpt-4o-mini");
            fb::LlmClientOptions options;
            options.maxAttempts = 1;
            options.connectTimeoutMs = 5000;
            options.totalTimeoutMs = 30000;
            fb::LlmClient client(options);
            fb::LlmRequest request;
            request.model = report.model.toStdString();
            request.stream = true;
            request.messages = {{"user", "Reply with the single word OK.", {}, {}, nullptr}};
            request.parameters = {{"max_tokens", 8}};
            const auto result = client.call(connection, request);
            if (result) {
                report.ttftMs = result->timing.ttftMs;
                report.latencyMs = result->timing.latencyMs;
            } else {
                report.callError = QString::fromStdString(result.error().message);
            }
        } else {
            report.callError = QCoreApplication::translate("fb::ui::ConnectionTester", "cancelled");
        }
        // Hop to the GUI thread; the worker is joined before `this` dies.
        QMetaObject::invokeMethod(
            this,
            [this, report] {
                m_running = false;
                Q_EMIT finished(report);
            },
            Qt::QueuedConnection);
    });
    return true;
}

} // namespace fb::ui
