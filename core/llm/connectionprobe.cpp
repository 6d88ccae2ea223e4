#include <core/llm/connectionprobe.h>

#include <core/common/value.h>
#include <core/llm/azuretokensource.h>
#include <core/llm/llmclient.h>
#include <core/llm/llmprotocol.h>

#include <curl/curl.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

namespace fb {

namespace {

/// Model lists are small; an answer beyond this is not one.
constexpr std::size_t kMaxListBytes = 4 * 1024 * 1024;
constexpr const char *kFallbackModel = "gpt-4o-mini";

std::string who(const Connection &c) { return "connection '" + c.name + "'"; }

struct Transfer
{
    std::string body;
    std::stop_token stop;
    bool tooLarge = false;
};

size_t appendBody(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    if (t->body.size() + size * count > kMaxListBytes) {
        t->tooLarge = true;
        return 0;
    }
    t->body.append(data, size * count);
    return size * count;
}

/// curl calls this at least once a second while a transfer is idle, so a stop request ends
/// even a connect that hangs.
int checkStop(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<Transfer *>(user)->stop.stop_requested() ? 1 : 0;
}

/// Owns an easy handle and its header list.
class EasyGet
{
public:
    EasyGet()
        : m_curl(curl_easy_init())
    {
    }
    ~EasyGet()
    {
        curl_slist_free_all(m_headers);
        if (m_curl) {
            curl_easy_cleanup(m_curl);
        }
    }
    EasyGet(const EasyGet &) = delete;
    EasyGet &operator=(const EasyGet &) = delete;

    [[nodiscard]] CURL *handle() const { return m_curl; }
    void addHeader(const std::string &line)
    {
        m_headers = curl_slist_append(m_headers, line.c_str());
    }
    [[nodiscard]] curl_slist *headers() const { return m_headers; }

private:
    CURL *m_curl;
    curl_slist *m_headers = nullptr;
};

/// Waits for one LlmClient call, cancelling it when `stop` is requested.
class CallWaiter
{
public:
    void finish(Result<LlmResponse> r)
    {
        std::lock_guard lock(m_mutex);
        m_result.emplace(std::move(r));
        m_done.notify_all();
    }
    Result<LlmResponse> wait()
    {
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [this] { return m_result.has_value(); });
        return std::move(*m_result);
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_done;
    std::optional<Result<LlmResponse>> m_result; // guarded by m_mutex
};

} // namespace

ConnectionProbe::ConnectionProbe(ConnectionProbeOptions options)
    : m_options(std::move(options))
{
}

Result<std::vector<std::string>> ConnectionProbe::parseModels(std::string_view body)
{
    const Value doc = Value::parse(body, nullptr, false);
    const auto data = doc.is_object() ? doc.find("data") : doc.end();
    if (!doc.is_object() || data == doc.end() || !data->is_array()) {
        return fail(ErrorCode::Provider,
                    "the answer is not a model list: " + LlmProtocol::excerpt(body));
    }
    std::vector<std::string> models;
    for (const Value &m : *data) {
        if (!m.is_object()) {
            continue;
        }
        const auto id = m.find("id");
        if (id != m.end() && id->is_string() && !id->get_ref<const std::string &>().empty()) {
            models.push_back(id->get<std::string>());
        }
    }
    if (models.empty()) {
        return fail(ErrorCode::Provider, "the server listed no models");
    }
    return models;
}

Result<std::vector<std::string>> ConnectionProbe::listModels(const Connection &connection,
                                                             std::stop_token stop) const
{
    const LlmProtocol *protocol = LlmProtocol::forType(connection.type);
    if (!protocol) {
        return fail(ErrorCode::InvalidArgument, who(connection) + " of type "
                                                    + connectionTypeName(connection.type)
                                                    + " has no model list");
    }
    auto url = protocol->modelsUrl(connection);
    if (!url) {
        return std::move(url).error();
    }
    auto headerLines = protocol->headers(connection);
    if (!headerLines) {
        return std::move(headerLines).error();
    }
    const std::string prefix = who(connection) + ": GET " + *url + ": ";
    if (protocol->usesBearerToken(connection)) {
        // A source of its own: the probe runs rarely, and the LlmClient of the timing call
        // keeps its own cache.
        AzureTokenSource source(AzureTokenSource::envNameFor(connection),
                                AzureTokenSource::commandFor(connection), m_options.tokenTimeoutMs);
        auto token = source.fetch();
        if (!token) {
            Error e = std::move(token).error();
            e.message = prefix + e.message;
            return e;
        }
        headerLines->push_back(AzureTokenSource::authorizationHeader(*token));
    }
    if (stop.stop_requested()) {
        return fail(ErrorCode::Cancelled, prefix + "cancelled");
    }

    EasyGet get;
    if (!get.handle()) {
        return fail(ErrorCode::Internal, prefix + "libcurl could not start");
    }
    for (const std::string &line : *headerLines) {
        get.addHeader(line);
    }
    Transfer transfer;
    transfer.stop = stop;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    CURL *curl = get.handle();
    curl_easy_setopt(curl, CURLOPT_URL, url->c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, get.headers());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, m_options.connectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, m_options.listTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &checkStop);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);

    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        return fail(ErrorCode::Cancelled, prefix + "cancelled");
    }
    if (transfer.tooLarge) {
        return fail(ErrorCode::Provider, prefix + "the answer is larger than "
                                             + std::to_string(kMaxListBytes / (1024 * 1024))
                                             + " MiB: not a model list");
    }
    if (rc != CURLE_OK) {
        const std::string message = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
        return fail(rc == CURLE_OPERATION_TIMEDOUT ? ErrorCode::Timeout : ErrorCode::Http,
                    prefix + message);
    }
    if (status != 200) {
        return fail(ErrorCode::Http, prefix + "HTTP " + std::to_string(status) + ": "
                                         + LlmProtocol::errorMessage(transfer.body));
    }
    auto models = parseModels(transfer.body);
    if (!models) {
        Error e = std::move(models).error();
        e.message = prefix + e.message;
        return e;
    }
    return models;
}

ConnectionProbeResult ConnectionProbe::run(const Connection &connection, std::stop_token stop) const
{
    ConnectionProbeResult result;
    result.connection = connection.name;
    result.simulated = m_options.simulated;

    if (auto models = listModels(connection, stop)) {
        result.models = std::move(*models);
    } else {
        result.modelsError = models.error().message;
    }
    result.model = !m_options.model.empty() ? m_options.model
                   : !result.models.empty() ? result.models.front()
                                            : std::string(kFallbackModel);
    if (stop.stop_requested()) {
        result.callError = who(connection) + ": cancelled";
        return result;
    }

    LlmClientOptions clientOptions;
    clientOptions.maxAttempts = 1; // a test reports what happened, it does not retry
    clientOptions.connectTimeoutMs = m_options.connectTimeoutMs;
    clientOptions.totalTimeoutMs = m_options.callTimeoutMs;
    clientOptions.tokenCommandTimeoutMs = m_options.tokenTimeoutMs;
    LlmClient client(clientOptions);
    LlmRequest request;
    request.model = result.model;
    request.stream = true;
    request.messages = {{"user", "Reply with the single word OK.", {}, {}, nullptr}};
    request.parameters = {{"max_tokens", 8}};

    auto waiter = std::make_shared<CallWaiter>();
    LlmCallbacks callbacks;
    callbacks.onFinished = [waiter](Result<LlmResponse> r) { waiter->finish(std::move(r)); };
    const std::shared_ptr<LlmCall> call = client.start(connection, std::move(request), callbacks);
    Result<LlmResponse> response = [&] {
        // Runs cancel() on this thread if stop was already requested, else on the thread
        // that requests it; onFinished then reports Cancelled.
        const std::stop_callback cancelOnStop(stop, [&call] {
            if (call) {
                call->cancel();
            }
        });
        return waiter->wait();
    }();
    if (response) {
        result.ttftMs = response->timing.ttftMs;
        result.latencyMs = response->timing.latencyMs;
    } else {
        result.callError = response.error().message;
    }
    return result;
}

} // namespace fb
