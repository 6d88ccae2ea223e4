#include <core/llm/llmclient.h>

#include <core/common/secretredactor.h>
#include <core/llm/azuretokensource.h>
#include <core/llm/llmprotocol.h>
#include <core/llm/retrypolicy.h>
#include <core/llm/sseparser.h>

#include <curl/curl.h>

#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <new>
#include <optional>
#include <queue>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

namespace fb {

namespace {

using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

/// A curl header list, shared by the calls that send it (curl may read it until the
/// transfer ends, so it lives as long as its last user).
class HeaderList
{
public:
    explicit HeaderList(const std::vector<std::string> &lines)
    {
        for (const auto &line : lines) {
            m_list = curl_slist_append(m_list, line.c_str());
        }
    }
    ~HeaderList() { curl_slist_free_all(m_list); }
    HeaderList(const HeaderList &) = delete;
    HeaderList &operator=(const HeaderList &) = delete;
    [[nodiscard]] curl_slist *list() const { return m_list; }

private:
    curl_slist *m_list = nullptr;
};

/// What every call over one connection shares: protocol, fixed headers, token source.
struct Endpoint
{
    Connection connection; ///< the settings this was built from (compared on reuse)
    const LlmProtocol *protocol = nullptr;
    std::vector<std::string> headerLines;
    std::shared_ptr<HeaderList> headers;
    std::shared_ptr<AzureTokenSource> tokenSource; ///< bearer auth only
    SecretRedactor redactor; ///< the connection's secrets, kept out of error messages
    // I/O thread only: headers carrying the current bearer token.
    std::string bearerToken;
    std::shared_ptr<HeaderList> bearerHeaders;
};

/// A pooled easy handle with its error buffer.
struct EasyHandle
{
    CURL *easy = nullptr;
    char errorBuffer[CURL_ERROR_SIZE] = {};
};

bool sameSettings(const Connection &a, const Connection &b)
{
    return a.type == b.type && a.configs == b.configs && a.secrets == b.secrets;
}

bool startsWithNoCase(std::string_view s, std::string_view prefix)
{
    if (s.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = char(c - 'A' + 'a');
        }
        if (c != prefix[i]) {
            return false;
        }
    }
    return true;
}

std::string headerValue(std::string_view line, std::size_t nameLength)
{
    std::string_view v = line.substr(nameLength);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
        v.remove_prefix(1);
    }
    while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) {
        v.remove_suffix(1);
    }
    return std::string(v);
}

/// Whether the environment names a proxy (or proxy exceptions) that curl would look up on
/// every transfer: http_proxy, https_proxy, all_proxy, no_proxy, in either case.
bool proxyEnvironmentSet()
{
    for (const char *name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                             "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
        const char *value = std::getenv(name);
        if (value && *value) {
            return true;
        }
    }
    return false;
}

/// A received answer went past one of LlmClientOptions' caps: a stated, unretried failure.
Error capError(const std::string &what, std::size_t cap, const char *unit)
{
    return Error(ErrorCode::Provider, what + " exceeds the cap of " + std::to_string(cap) + ' '
                                          + unit + "; the call was stopped");
}

/// Transport failures worth another attempt (the server may be restarting or overloaded).
bool isRetryableTransport(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

struct ClientShared;

/// One call: its request (immutable after start()), and the per-attempt state that only
/// the I/O thread touches.
class CallImpl final : public LlmCall,
                       public LlmStreamSink,
                       public std::enable_shared_from_this<CallImpl>
{
public:
    enum class State { New, WaitingToken, Active, Backoff, Done };

    void cancel() override;
    void contentDelta(std::string_view delta) override;

    // Set by start(), read-only afterwards.
    std::weak_ptr<ClientShared> shared;
    std::shared_ptr<Endpoint> endpoint;
    std::string url;
    std::string body;
    LlmApi api = LlmApi::Chat;
    bool stream = false;
    std::size_t promptChars = 0;
    LlmCallbacks callbacks;
    Clock::time_point callStart;
    std::optional<Error> startError;
    std::atomic<bool> cancelRequested{false};
    std::size_t maxResponseBytes = 0;
    std::size_t maxStreamBytes = 0;
    std::int64_t maxSseEvents = 0;

    // I/O thread only.
    State state = State::New;
    std::size_t liveIndex = 0;
    EasyHandle *easy = nullptr;
    std::shared_ptr<HeaderList> headersInUse;
    std::string tokenInUse;
    bool tokenRefreshed = false;
    int attempt = 0;
    Clock::time_point attemptStart;
    Clock::time_point firstDelta;
    Clock::time_point lastDelta;
    int chunks = 0;
    bool modeKnown = false;
    bool sseMode = false;
    long httpStatus = 0;
    std::string retryAfter;
    std::string retryAfterMs;
    std::string responseBody;
    LlmResponse response;
    LlmStreamState streamState;
    SseParser sse;
    std::vector<SseParser::Event> events;
    std::size_t streamedBytes = 0;
    std::int64_t eventCount = 0;
    std::optional<Error> streamError;

    void resetAttempt()
    {
        chunks = 0;
        modeKnown = false;
        sseMode = false;
        httpStatus = 0;
        retryAfter.clear();
        retryAfterMs.clear();
        responseBody.clear();
        response = LlmResponse();
        streamState = LlmStreamState();
        sse.reset();
        streamedBytes = 0;
        eventCount = 0;
        streamError.reset();
    }

    /// Decides, once the headers are in, whether the body is SSE or a whole document.
    void detectMode()
    {
        if (modeKnown) {
            return;
        }
        modeKnown = true;
        curl_easy_getinfo(easy->easy, CURLINFO_RESPONSE_CODE, &httpStatus);
        char *contentType = nullptr;
        curl_easy_getinfo(easy->easy, CURLINFO_CONTENT_TYPE, &contentType);
        sseMode = stream && httpStatus >= 200 && httpStatus < 300
                  && (!contentType || std::strstr(contentType, "event-stream") != nullptr);
    }

    std::string prefix() const
    {
        return "connection '" + endpoint->connection.name + "': POST " + url + ": ";
    }

    static size_t onWrite(char *data, size_t size, size_t count, void *user)
    {
        auto *call = static_cast<CallImpl *>(user);
        // Nothing may unwind through curl: an allocation that fails while an answer grows
        // (near a memory limit) fails this call, not the process.
        try {
            return receive(call, data, size * count);
        } catch (const std::bad_alloc &) {
            const std::size_t held = call->responseBody.size() + call->streamedBytes;
            call->responseBody = std::string();
            call->response.text = std::string();
            call->streamError = Error(ErrorCode::Provider,
                                      "out of memory while receiving the answer ("
                                          + std::to_string(held) + " bytes so far)");
            return CURL_WRITEFUNC_ERROR;
        }
    }

    static size_t receive(CallImpl *call, char *data, std::size_t n)
    {
        call->detectMode();
        if (!call->sseMode) {
            if (call->responseBody.size() + n > call->maxResponseBytes) {
                call->streamError = capError("the response body", call->maxResponseBytes,
                                             "bytes (maxResponseBytes)");
                return CURL_WRITEFUNC_ERROR;
            }
            call->responseBody.append(data, n);
            return n;
        }
        call->streamedBytes += n;
        if (call->streamedBytes > call->maxStreamBytes) {
            call->streamError = capError("the streamed response", call->maxStreamBytes,
                                         "bytes (maxStreamBytes)");
            return CURL_WRITEFUNC_ERROR;
        }
        call->events.clear();
        call->sse.feed(std::string_view(data, n), call->events);
        if (call->sse.overflowed()) {
            call->streamError = capError("a line of the streamed response",
                                         call->sse.maxLineBytes(), "bytes (maxSseLineBytes)");
            return CURL_WRITEFUNC_ERROR;
        }
        call->eventCount += std::int64_t(call->events.size());
        if (call->eventCount > call->maxSseEvents) {
            call->streamError = capError("the streamed response", std::size_t(call->maxSseEvents),
                                         "events (maxSseEvents)");
            return CURL_WRITEFUNC_ERROR;
        }
        for (const auto &event : call->events) {
            auto r = call->endpoint->protocol->parseEvent(event, call->api, call->streamState,
                                                          call->response, *call);
            if (!r) {
                call->streamError = std::move(r).error();
                return CURL_WRITEFUNC_ERROR;
            }
        }
        return n;
    }

    static size_t onHeader(char *data, size_t size, size_t count, void *user)
    {
        auto *call = static_cast<CallImpl *>(user);
        const std::size_t n = size * count;
        const std::string_view line(data, n);
        if (n > 5 && line.compare(0, 5, "HTTP/") == 0) {
            // A new response (after 100-continue or a redirect): forget earlier headers.
            call->retryAfter.clear();
            call->retryAfterMs.clear();
        } else if (n > 12 && (data[0] == 'r' || data[0] == 'R')) {
            if (startsWithNoCase(line, "retry-after-ms:")) {
                call->retryAfterMs = headerValue(line, 15);
            } else if (startsWithNoCase(line, "retry-after:")) {
                call->retryAfter = headerValue(line, 12);
            }
        }
        return n;
    }
};

/// State that outlives the client for LlmCall handles still held by callers.
struct ClientShared
{
    std::mutex mutex;
    int wakeFd = -1;                                 // guarded by mutex (an eventfd)
    bool alive = true;                               // guarded by mutex
    bool stopping = false;                           // guarded by mutex
    std::vector<std::shared_ptr<CallImpl>> incoming; // guarded by mutex
    std::vector<std::shared_ptr<CallImpl>> cancels;  // guarded by mutex
    std::vector<std::pair<std::shared_ptr<CallImpl>, Result<std::string>>>
        tokens; // guarded by mutex

    /// Wakes the I/O thread; caller holds `mutex`.
    void wakeLocked()
    {
        if (alive && wakeFd >= 0) {
            const std::uint64_t one = 1;
            // A full counter still wakes the loop, so a failed write needs no handling.
            [[maybe_unused]] const ssize_t n = ::write(wakeFd, &one, sizeof one);
        }
    }
};

void CallImpl::cancel()
{
    if (cancelRequested.exchange(true)) {
        return;
    }
    const auto s = shared.lock();
    if (!s) {
        return;
    }
    std::lock_guard lock(s->mutex);
    if (!s->alive) {
        return;
    }
    s->cancels.push_back(shared_from_this());
    s->wakeLocked();
}

void CallImpl::contentDelta(std::string_view delta)
{
    const auto now = Clock::now();
    if (chunks == 0) {
        firstDelta = now;
    }
    lastDelta = now;
    ++chunks;
    if (callbacks.onDelta) {
        // Runs inside curl's write callback: nothing may unwind through C code.
        try {
            callbacks.onDelta(delta);
        } catch (...) {
            assert(!"LlmCallbacks::onDelta threw");
        }
    }
}

} // namespace

class LlmClient::Private
{
public:
    explicit Private(LlmClientOptions o)
        : options(o)
        , policy(o.maxAttempts, o.backoffBaseMs, o.backoffMaxMs, o.maxRetryAfterMs)
        , shared(std::make_shared<ClientShared>())
        , rng(std::random_device{}())
        , proxyFromEnvironment(proxyEnvironmentSet())
    {
        multi = curl_multi_init();
        if (options.maxConnectionsPerHost > 0) {
            curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.maxConnectionsPerHost);
        }
        // Event-driven: curl tells which sockets to watch and when to time out, epoll says
        // which are ready, and only those transfers are driven. curl_multi_perform() instead
        // visits (and polls) every transfer on every wake-up, which grows with concurrency.
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Private::onSocket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Private::onTimer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
        epollFd = ::epoll_create1(EPOLL_CLOEXEC);
        wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        assert(epollFd >= 0 && wakeFd >= 0);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = wakeFd;
        ::epoll_ctl(epollFd, EPOLL_CTL_ADD, wakeFd, &ev);
        shared->wakeFd = wakeFd;
        thread = std::thread([this] { run(); });
        ioThreadId = thread.get_id();
    }

    ~Private()
    {
        {
            std::lock_guard lock(shared->mutex);
            shared->stopping = true;
            shared->wakeLocked();
        }
        thread.join();
        {
            std::lock_guard lock(shared->mutex);
            shared->alive = false;
            shared->wakeFd = -1;
        }
        {
            std::lock_guard lock(jobMutex);
            jobsStopping = true;
        }
        jobCv.notify_all();
        if (helper.joinable()) {
            helper.join();
        }
        for (auto &e : handles) {
            curl_easy_cleanup(e->easy);
        }
        for (auto &[url, parsed] : parsedUrls) {
            curl_url_cleanup(parsed);
        }
        curl_multi_cleanup(multi);
        ::close(wakeFd);
        ::close(epollFd);
    }

    // --- caller threads ---------------------------------------------------------------

    Result<std::shared_ptr<Endpoint>> endpointFor(const Connection &c)
    {
        std::lock_guard lock(cacheMutex);
        auto &slot = endpoints[c.name];
        if (slot && sameSettings(slot->connection, c)) {
            return slot;
        }
        const LlmProtocol *protocol = LlmProtocol::forType(c.type);
        if (!protocol) {
            return fail(ErrorCode::InvalidArgument, "connection '" + c.name + "' of type "
                                                        + connectionTypeName(c.type)
                                                        + " cannot serve model calls");
        }
        auto headerLines = protocol->headers(c);
        if (!headerLines) {
            return std::move(headerLines).error();
        }
        auto ep = std::make_shared<Endpoint>();
        ep->connection = c;
        ep->protocol = protocol;
        ep->headerLines = std::move(*headerLines);
        // In the list rather than CURLOPT_USERAGENT: curl formats that option into a header on
        // every transfer (its printf, a byte at a time) and then copies it into the request.
        ep->headerLines.emplace_back("User-Agent: flowbench/0.1");
        ep->headers = std::make_shared<HeaderList>(ep->headerLines);
        for (const auto &[key, secret] : c.secrets) {
            ep->redactor.add(secret);
        }
        if (protocol->usesBearerToken(c)) {
            const std::string envName = AzureTokenSource::envNameFor(c);
            const std::string command = AzureTokenSource::commandFor(c);
            auto &source = tokenSources[envName + '\n' + command];
            if (!source) {
                source = std::make_shared<AzureTokenSource>(envName, command,
                                                            options.tokenCommandTimeoutMs);
            }
            ep->tokenSource = source;
        }
        slot = ep;
        return ep;
    }

    void submit(const std::shared_ptr<CallImpl> &call)
    {
        std::unique_lock lock(shared->mutex);
        if (shared->stopping) {
            lock.unlock();
            // The client is being destroyed: nothing will run this call.
            if (call->callbacks.onFinished) {
                call->callbacks.onFinished(
                    fail(ErrorCode::Cancelled, "the client is shutting down"));
            }
            return;
        }
        const bool wasEmpty = shared->incoming.empty();
        shared->incoming.push_back(call);
        if (std::this_thread::get_id() == ioThreadId) {
            // Submitted from a callback: the loop looks at the queue before it sleeps.
            submittedFromLoop = true;
        } else if (wasEmpty) {
            // The I/O thread drains everything queued on each wake-up: one per batch.
            shared->wakeLocked();
        }
    }

    // --- helper thread: blocking token fetches ----------------------------------------

    void requestToken(const std::shared_ptr<CallImpl> &call)
    {
        {
            std::lock_guard lock(jobMutex);
            jobs.push_back(call);
            if (!helper.joinable()) {
                helper = std::thread([this] { runJobs(); });
            }
        }
        jobCv.notify_one();
    }

    void runJobs()
    {
        for (;;) {
            std::shared_ptr<CallImpl> call;
            {
                std::unique_lock lock(jobMutex);
                jobCv.wait(lock, [this] { return jobsStopping || !jobs.empty(); });
                if (jobsStopping) {
                    return;
                }
                call = std::move(jobs.front());
                jobs.pop_front();
            }
            auto token = call->endpoint->tokenSource->fetch();
            std::lock_guard lock(shared->mutex);
            shared->tokens.emplace_back(std::move(call), std::move(token));
            shared->wakeLocked();
        }
    }

    // --- I/O thread -------------------------------------------------------------------

    void run()
    {
        std::vector<std::shared_ptr<CallImpl>> incoming;
        std::vector<std::shared_ptr<CallImpl>> cancels;
        std::vector<std::pair<std::shared_ptr<CallImpl>, Result<std::string>>> tokens;
        for (;;) {
            bool stopping = false;
            {
                std::lock_guard lock(shared->mutex);
                incoming.swap(shared->incoming);
                cancels.swap(shared->cancels);
                tokens.swap(shared->tokens);
                stopping = shared->stopping;
            }
            for (auto &call : incoming) {
                begin(call);
            }
            incoming.clear();
            for (auto &call : cancels) {
                finish(*call, fail(ErrorCode::Cancelled, call->prefix() + "cancelled"));
            }
            cancels.clear();
            for (auto &[call, token] : tokens) {
                tokenArrived(*call, std::move(token));
            }
            tokens.clear();
            if (stopping) {
                while (!live.empty()) {
                    CallImpl &call = *live.back();
                    finish(call, fail(ErrorCode::Cancelled,
                                      call.prefix() + "cancelled: the client is shutting down"));
                }
                return;
            }
            fireTimers();
            if (curlDeadline && *curlDeadline <= Clock::now()) {
                curlDeadline.reset();
                int running = 0;
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
                collectDone();
            }
            const int timeoutMs = submittedFromLoop ? 0 : waitTimeoutMs();
            submittedFromLoop = false;
            const int ready = ::epoll_wait(epollFd, events.data(), int(events.size()), timeoutMs);
            for (int i = 0; i < ready; ++i) {
                const epoll_event &ev = events[std::size_t(i)];
                if (ev.data.fd == wakeFd) {
                    std::uint64_t count = 0;
                    [[maybe_unused]] const ssize_t n = ::read(wakeFd, &count, sizeof count);
                    continue;
                }
                if (std::size_t(ev.data.fd) < sockets.size()
                    && sockets[std::size_t(ev.data.fd)].parked) {
                    // An idle pooled connection was closed by the server (or broke).
                    forgetSocket(ev.data.fd);
                    continue;
                }
                int mask = 0;
                if (ev.events & EPOLLIN) {
                    mask |= CURL_CSELECT_IN;
                }
                if (ev.events & EPOLLOUT) {
                    mask |= CURL_CSELECT_OUT;
                }
                if (ev.events & (EPOLLERR | EPOLLHUP)) {
                    mask |= CURL_CSELECT_ERR;
                }
                int running = 0;
                curl_multi_socket_action(multi, ev.data.fd, mask, &running);
            }
            collectDone();
        }
    }

    /// How long the loop may sleep: until the next backoff timer or curl's own deadline.
    int waitTimeoutMs() const
    {
        std::optional<Clock::time_point> next = curlDeadline;
        if (!timers.empty() && (!next || timers.top().first < *next)) {
            next = timers.top().first;
        }
        if (!next) {
            return 5000;
        }
        const double ms = msBetween(Clock::now(), *next);
        return ms <= 0 ? 0 : int(std::min(ms + 1, 5000.0));
    }

    // curl: watch `s` for what it needs (or stop watching). Runs on the I/O thread.
    // curl: watch `s` for what it needs, or stop watching it. Runs on the I/O thread.
    //
    // curl stops watching a connection when its transfer ends and watches it again (for input,
    // once the next request is sent) when a call reuses it. So a connection put back in the
    // pool stays in the epoll set as it is ("parked") and the next identical request costs no
    // epoll_ctl: two system calls fewer per call. A parked connection that turns readable
    // (the server closed it, or sent something unasked) leaves the set, and curl finds it dead
    // on reuse. Only connection sockets are parked: they are opened and closed through
    // onOpenSocket/onCloseSocket, so a descriptor is never taken for a closed one's successor.
    // Other sockets (e.g. the resolver's) leave the set when curl stops watching them.
    static int onSocket(CURL *, curl_socket_t s, int what, void *user, void *)
    {
        auto *self = static_cast<Private *>(user);
        if (s < 0) {
            return 0;
        }
        if (what == CURL_POLL_REMOVE) {
            SocketState &state = self->socketState(s);
            if (state.owned) {
                state.parked = true;
            } else {
                self->forgetSocket(s);
            }
            return 0;
        }
        const std::uint32_t mask
            = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
        SocketState &state = self->socketState(s);
        state.parked = false;
        if (state.registered && state.events == mask) {
            return 0;
        }
        epoll_event ev{};
        ev.data.fd = s;
        ev.events = mask;
        const int op = state.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        if (::epoll_ctl(self->epollFd, op, s, &ev) != 0) {
            ::epoll_ctl(self->epollFd, op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, s, &ev);
        }
        state.registered = true;
        state.events = mask;
        return 0;
    }

    // curl: open a connection's socket (as curl would) and remember it as ours to park.
    static curl_socket_t onOpenSocket(void *user, curlsocktype, curl_sockaddr *address)
    {
        auto *self = static_cast<Private *>(user);
        const curl_socket_t s = ::socket(address->family, address->socktype, address->protocol);
        if (s >= 0) {
            self->forgetSocket(s);
            self->socketState(s).owned = true;
        }
        return s < 0 ? CURL_SOCKET_BAD : s;
    }

    // curl: close a socket it opened. Runs on the I/O thread (or in the destructor, alone).
    static int onCloseSocket(void *user, curl_socket_t s)
    {
        auto *self = static_cast<Private *>(user);
        self->forgetSocket(s);
        return ::close(s);
    }

    struct SocketState
    {
        bool owned = false;      // opened by onOpenSocket: its close is seen (may be parked)
        bool registered = false; // in the epoll set, for `events`
        bool parked = false;     // curl does not watch it (an idle pooled connection)
        std::uint32_t events = 0;
    };

    SocketState &socketState(curl_socket_t s)
    {
        if (std::size_t(s) >= sockets.size()) {
            sockets.resize(std::size_t(s) + 64);
        }
        return sockets[std::size_t(s)];
    }

    void forgetSocket(curl_socket_t s)
    {
        if (s >= 0 && std::size_t(s) < sockets.size()) {
            if (sockets[std::size_t(s)].registered) {
                ::epoll_ctl(epollFd, EPOLL_CTL_DEL, s, nullptr);
            }
            sockets[std::size_t(s)] = SocketState();
        }
    }

    // curl: call socket_action(TIMEOUT) after `timeoutMs` (-1 = no timer). I/O thread.
    static int onTimer(CURLM *, long timeoutMs, void *user)
    {
        auto *self = static_cast<Private *>(user);
        if (timeoutMs < 0) {
            self->curlDeadline.reset();
        } else {
            self->curlDeadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
        }
        return 0;
    }

    void begin(const std::shared_ptr<CallImpl> &call)
    {
        call->liveIndex = live.size();
        live.push_back(call);
        if (call->startError) {
            finish(*call, std::move(*call->startError));
            return;
        }
        if (call->cancelRequested) {
            finish(*call, fail(ErrorCode::Cancelled, call->prefix() + "cancelled"));
            return;
        }
        startAttempt(*call);
    }

    EasyHandle *acquireEasy()
    {
        if (!freeHandles.empty()) {
            EasyHandle *handle = freeHandles.back();
            freeHandles.pop_back();
            return handle;
        }
        auto handle = std::make_unique<EasyHandle>();
        CURL *e = curl_easy_init();
        handle->easy = e;
        // Options every transfer shares are set once per handle; start() sets the rest.
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, handle->errorBuffer);
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &CallImpl::onWrite);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &CallImpl::onHeader);
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeoutMs);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, options.totalTimeoutMs);
        curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Private::onOpenSocket);
        curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
        curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, &Private::onCloseSocket);
        curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, this);
        if (!proxyFromEnvironment) {
            // No proxy variable is set: saying so spares curl five getenv() calls per
            // transfer. With one set, curl reads them itself, exactly as before.
            curl_easy_setopt(e, CURLOPT_PROXY, "");
            curl_easy_setopt(e, CURLOPT_NOPROXY, "");
        }
        handles.push_back(std::move(handle));
        return handles.back().get();
    }

    void releaseEasy(EasyHandle *handle) { freeHandles.push_back(handle); }

    /// `url` parsed once and kept: given a parsed URL, curl copies it per transfer instead of
    /// parsing the text and printing it back. Null when it does not parse (curl then reports
    /// the error for the text) or when too many distinct URLs were seen.
    CURLU *parsedUrl(const std::string &url)
    {
        if (auto it = parsedUrls.find(url); it != parsedUrls.end()) {
            return it->second;
        }
        if (parsedUrls.size() >= 256) {
            return nullptr;
        }
        CURLU *parsed = curl_url();
        if (!parsed || curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
            curl_url_cleanup(parsed);
            return nullptr;
        }
        parsedUrls.emplace(url, parsed);
        return parsed;
    }

    void startAttempt(CallImpl &call)
    {
        call.headersInUse = call.endpoint->headers;
        if (call.endpoint->tokenSource) {
            std::string token = call.endpoint->tokenSource->cached();
            if (token.empty()) {
                call.state = CallImpl::State::WaitingToken;
                requestToken(call.shared_from_this());
                return;
            }
            useToken(call, std::move(token));
        }
        if (call.attempt >= policy.maxAttempts()) {
            // Only reachable through a token refresh on the last attempt.
            finish(call, fail(ErrorCode::Http, call.prefix() + "gave up after "
                                                   + std::to_string(call.attempt) + " attempts"));
            return;
        }
        call.resetAttempt();
        call.easy = acquireEasy();
        CURL *e = call.easy->easy;
        call.easy->errorBuffer[0] = '\0';
        if (CURLU *parsed = parsedUrl(call.url)) {
            curl_easy_setopt(e, CURLOPT_CURLU, parsed);
        } else {
            curl_easy_setopt(e, CURLOPT_CURLU, nullptr);
            curl_easy_setopt(e, CURLOPT_URL, call.url.c_str());
        }
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, call.headersInUse->list());
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, call.body.data());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(call.body.size()));
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &call);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, &call);
        curl_easy_setopt(e, CURLOPT_PRIVATE, &call);
        ++call.attempt;
        call.attemptStart = Clock::now();
        call.state = CallImpl::State::Active;
        curl_multi_add_handle(multi, e);
    }

    void useToken(CallImpl &call, std::string token)
    {
        Endpoint &ep = *call.endpoint;
        if (!ep.bearerHeaders || ep.bearerToken != token) {
            auto lines = ep.headerLines;
            lines.push_back(AzureTokenSource::authorizationHeader(token));
            ep.bearerHeaders = std::make_shared<HeaderList>(lines);
            ep.bearerToken = token;
        }
        call.headersInUse = ep.bearerHeaders;
        call.tokenInUse = std::move(token);
    }

    void tokenArrived(CallImpl &call, Result<std::string> token)
    {
        if (call.state != CallImpl::State::WaitingToken) {
            return; // cancelled meanwhile
        }
        if (!token) {
            Error e = std::move(token).error();
            e.message = call.prefix() + e.message;
            finish(call, std::move(e));
            return;
        }
        startAttempt(call);
    }

    void fireTimers()
    {
        if (timers.empty()) {
            return;
        }
        const auto now = Clock::now();
        while (!timers.empty() && timers.top().first <= now) {
            auto call = timers.top().second;
            timers.pop();
            if (call->state == CallImpl::State::Backoff) {
                startAttempt(*call);
            }
        }
    }

    void collectDone()
    {
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            CURL *e = msg->easy_handle;
            const CURLcode code = msg->data.result;
            CallImpl *call = nullptr;
            curl_easy_getinfo(e, CURLINFO_PRIVATE, &call);
            attemptDone(*call, code);
        }
    }

    void detach(CallImpl &call)
    {
        if (call.easy) {
            curl_multi_remove_handle(multi, call.easy->easy);
            releaseEasy(call.easy);
            call.easy = nullptr;
        }
    }

    void attemptDone(CallImpl &call, CURLcode code)
    {
        const auto now = Clock::now();
        call.detectMode();
        // Only failures need it (and it costs an allocation per call).
        const std::string curlMessage = code == CURLE_OK ? std::string()
                                        : call.easy->errorBuffer[0]
                                            ? std::string(call.easy->errorBuffer)
                                            : std::string(curl_easy_strerror(code));
        detach(call);

        if (call.streamError) {
            Error e = std::move(*call.streamError);
            e.message = call.prefix() + e.message;
            finish(call, std::move(e));
            return;
        }
        const bool complete = call.sseMode && (call.streamState.done || call.streamState.finished);
        if (code != CURLE_OK && !complete) {
            const bool timeout = code == CURLE_OPERATION_TIMEDOUT;
            if (call.chunks > 0) {
                const std::string what
                    = timeout ? "the stream timed out after " + std::to_string(call.chunks)
                                    + " content chunks; not retried because content was already "
                                      "delivered"
                              : truncatedMessage(call);
                finish(call, fail(timeout ? ErrorCode::Timeout : ErrorCode::Provider,
                                  call.prefix() + what + " (" + curlMessage + ")"));
                return;
            }
            retryOrFail(
                call,
                Error(timeout ? ErrorCode::Timeout : ErrorCode::Http, call.prefix() + curlMessage),
                isRetryableTransport(code), std::nullopt, now);
            return;
        }
        const long status = call.httpStatus;
        if (status >= 200 && status < 300) {
            if (call.sseMode) {
                if (!complete) {
                    if (call.chunks == 0) {
                        retryOrFail(
                            call,
                            Error(ErrorCode::Provider, call.prefix() + truncatedMessage(call)),
                            true, std::nullopt, now);
                    } else {
                        finish(call,
                               fail(ErrorCode::Provider, call.prefix() + truncatedMessage(call)));
                    }
                    return;
                }
            } else {
                auto parsed = call.endpoint->protocol->parseResponse(call.responseBody, call.api,
                                                                     call.response);
                if (!parsed) {
                    Error e = std::move(parsed).error();
                    e.message = call.prefix() + e.message;
                    finish(call, std::move(e));
                    return;
                }
                if (call.stream && !call.response.text.empty()) {
                    // Asked to stream, answered whole: deliver it as one delta.
                    call.contentDelta(call.response.text);
                }
            }
            succeed(call, now);
            return;
        }

        const std::string serverMessage = LlmProtocol::errorMessage(call.responseBody);
        if (status == 401 && call.endpoint->tokenSource && !call.tokenRefreshed) {
            // The bearer token expired or was revoked: fetch a fresh one once.
            call.tokenRefreshed = true;
            call.endpoint->tokenSource->invalidate(call.tokenInUse);
            startAttempt(call);
            return;
        }
        const auto serverDelay = RetryPolicy::serverDelayMs(call.retryAfterMs, call.retryAfter,
                                                            std::chrono::system_clock::now());
        retryOrFail(call,
                    Error(status == 429 ? ErrorCode::RateLimited : ErrorCode::Http,
                          call.prefix() + "HTTP " + std::to_string(status) + ": " + serverMessage),
                    RetryPolicy::isRetryableStatus(status), serverDelay, now);
    }

    static std::string truncatedMessage(const CallImpl &call)
    {
        std::string m = "the stream ended without a finish reason or [DONE] (truncated)";
        if (call.chunks > 0) {
            m += " after " + std::to_string(call.chunks)
                 + " content chunks; not retried because content was already delivered";
        }
        return m;
    }

    void retryOrFail(CallImpl &call, Error error, bool retryable,
                     std::optional<double> serverDelayMs, Clock::time_point now)
    {
        if (!retryable || call.attempt >= policy.maxAttempts()) {
            if (retryable) {
                error.message += " (gave up after " + std::to_string(call.attempt)
                                 + (call.attempt == 1 ? " attempt)" : " attempts)");
            }
            finish(call, std::move(error));
            return;
        }
        const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
        const double delay = policy.delayMs(call.attempt - 1, unit, serverDelayMs);
        call.state = CallImpl::State::Backoff;
        timers.emplace(now + std::chrono::microseconds(std::int64_t(delay * 1000.0)),
                       call.shared_from_this());
    }

    void succeed(CallImpl &call, Clock::time_point now)
    {
        LlmResponse &r = call.response;
        r.httpStatus = int(call.httpStatus);
        r.endpoint = call.url.substr(0, call.url.find('?'));
        r.attempts = call.attempt;
        r.contentChunks = call.chunks;
        r.timing.latencyMs = msBetween(call.attemptStart, now);
        if (call.chunks > 0 && call.sseMode) {
            r.timing.ttftMs = msBetween(call.attemptStart, call.firstDelta);
            if (call.chunks > 1) {
                r.timing.tpotMs = msBetween(call.firstDelta, call.lastDelta) / (call.chunks - 1);
            }
        }
        if (!r.usage.reported) {
            // Labelled estimate (reported = false): about four characters per token.
            r.usage.promptTokens = std::int64_t((call.promptChars + 3) / 4);
            r.usage.completionTokens = std::int64_t((r.text.size() + 3) / 4);
        }
        Result<LlmResponse> result(std::move(r));
        finish(call, std::move(result));
    }

    void finish(CallImpl &call, Result<LlmResponse> result)
    {
        if (call.state == CallImpl::State::Done) {
            return;
        }
        detach(call);
        call.state = CallImpl::State::Done;
        if (result) {
            result->timing.totalMs = msBetween(call.callStart, Clock::now());
        } else {
            // A server's error body may echo the key (or the bearer token) it was sent.
            Error error = std::move(result).error();
            call.endpoint->redactor.redact(error.message);
            if (!call.tokenInUse.empty()) {
                SecretRedactor(std::vector<std::string>{call.tokenInUse}).redact(error.message);
            }
            result = Result<LlmResponse>(std::move(error));
        }
        // Keep the call alive until its callback has run, then drop it from `live`.
        std::shared_ptr<CallImpl> keep = live[call.liveIndex];
        live[call.liveIndex] = std::move(live.back());
        live[call.liveIndex]->liveIndex = call.liveIndex;
        live.pop_back();
        LlmCallbacks callbacks = std::move(call.callbacks);
        call.callbacks = {};
        call.headersInUse.reset();
        if (callbacks.onFinished) {
            try {
                callbacks.onFinished(std::move(result));
            } catch (...) {
                assert(!"LlmCallbacks::onFinished threw");
            }
        }
    }

    LlmClientOptions options;
    RetryPolicy policy;
    std::shared_ptr<ClientShared> shared;
    CURLM *multi = nullptr;
    std::thread thread;

    std::mutex cacheMutex;
    std::unordered_map<std::string, std::shared_ptr<Endpoint>> endpoints; // guarded by cacheMutex
    std::unordered_map<std::string, std::shared_ptr<AzureTokenSource>>
        tokenSources; // guarded by cacheMutex

    std::mutex jobMutex;
    std::condition_variable jobCv;
    std::deque<std::shared_ptr<CallImpl>> jobs; // guarded by jobMutex
    bool jobsStopping = false;                  // guarded by jobMutex
    std::thread helper;                         // started under jobMutex

    std::thread::id ioThreadId;

    int epollFd = -1;
    int wakeFd = -1; // eventfd: other threads wake the loop through ClientShared

    // I/O thread only.
    std::optional<Clock::time_point> curlDeadline; // when curl wants socket_action(TIMEOUT)
    std::vector<epoll_event> events = std::vector<epoll_event>(256);
    std::vector<SocketState> sockets; // by descriptor (see onSocket)
    bool submittedFromLoop = false;
    std::mt19937_64 rng;
    std::vector<std::shared_ptr<CallImpl>> live;
    std::vector<std::unique_ptr<EasyHandle>> handles; // every easy handle made, for cleanup
    std::vector<EasyHandle *> freeHandles;            // the idle ones, reused LIFO
    std::unordered_map<std::string, CURLU *> parsedUrls; // see parsedUrl()
    bool proxyFromEnvironment = false; // read once: whether curl must look at proxy variables
    using Timer = std::pair<Clock::time_point, std::shared_ptr<CallImpl>>;
    struct Later
    {
        bool operator()(const Timer &a, const Timer &b) const { return a.first > b.first; }
    };
    std::priority_queue<Timer, std::vector<Timer>, Later> timers;
};

LlmClient::LlmClient(LlmClientOptions options)
    : d(std::make_unique<Private>(options))
{
}

LlmClient::~LlmClient() = default;

const LlmClientOptions &LlmClient::options() const { return d->options; }

std::shared_ptr<LlmCall> LlmClient::start(const Connection &connection, LlmRequest request,
                                          LlmCallbacks callbacks)
{
    auto call = std::make_shared<CallImpl>();
    call->callStart = Clock::now();
    call->shared = d->shared;
    call->api = request.api;
    // Embeddings are never streamed: their answer is one JSON document.
    call->stream = request.stream && request.api != LlmApi::Embedding;
    call->callbacks = std::move(callbacks);
    call->maxResponseBytes = d->options.maxResponseBytes;
    call->maxStreamBytes = d->options.maxStreamBytes;
    call->maxSseEvents = d->options.maxSseEvents;
    call->sse.setMaxLineBytes(d->options.maxSseLineBytes);
    if (request.api == LlmApi::Chat) {
        for (const auto &m : request.messages) {
            call->promptChars += m.content.size();
        }
    } else if (request.api == LlmApi::Embedding) {
        for (const auto &text : request.input) {
            call->promptChars += text.size();
        }
    } else {
        call->promptChars = request.prompt.size();
    }
    auto endpoint = d->endpointFor(connection);
    if (!endpoint) {
        call->endpoint = std::make_shared<Endpoint>();
        call->endpoint->connection.name = connection.name;
        call->startError = std::move(endpoint).error();
    } else {
        call->endpoint = std::move(*endpoint);
        auto url = call->endpoint->protocol->url(connection, request);
        auto body = url ? call->endpoint->protocol->body(connection, request)
                        : Result<std::string>(std::string());
        if (!url) {
            call->startError = std::move(url).error();
        } else if (!body) {
            call->url = std::move(*url);
            call->startError = std::move(body).error();
        } else {
            call->url = std::move(*url);
            call->body = std::move(*body);
        }
    }
    d->submit(call);
    return call;
}

Result<LlmResponse> LlmClient::call(const Connection &connection, LlmRequest request,
                                    std::function<void(std::string_view)> onDelta)
{
    assert(std::this_thread::get_id() != d->thread.get_id());
    std::mutex mutex;
    std::condition_variable cv;
    std::optional<Result<LlmResponse>> outcome;
    LlmCallbacks callbacks;
    callbacks.onDelta = std::move(onDelta);
    callbacks.onFinished = [&](Result<LlmResponse> r) {
        std::lock_guard lock(mutex);
        outcome.emplace(std::move(r));
        cv.notify_one();
    };
    start(connection, std::move(request), std::move(callbacks));
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return outcome.has_value(); });
    return std::move(*outcome);
}

} // namespace fb
