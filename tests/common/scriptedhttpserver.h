#pragma once

// Test helper: a misbehaving HTTP server on 127.0.0.1 with an OS-chosen port. Each accepted
// connection's request (headers and a Content-Length body) is read, then a handler the test
// gives writes whatever it likes to the socket: an endless stream, a line without end, an
// error body that echoes the request's key. Header-only, plain POSIX, one thread per server
// (connections are served one after another).

#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace fb::test {

class ScriptedHttpServer
{
public:
    /// Gets the socket and the raw request; returns when it is done with the connection
    /// (the server closes it). `stopping()` tells a long handler to give up.
    using Handler = std::function<void(int fd, const std::string &request)>;

    explicit ScriptedHttpServer(Handler handler)
        : m_handler(std::move(handler))
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
            || ::listen(m_fd, 16) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
            return;
        }
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~ScriptedHttpServer()
    {
        m_stop = true;
        if (m_thread.joinable()) {
            m_thread.join();
        }
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    ScriptedHttpServer(const ScriptedHttpServer &) = delete;
    ScriptedHttpServer &operator=(const ScriptedHttpServer &) = delete;

    /// 0 when the socket could not be set up.
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] std::string baseUrl() const
    {
        return "http://127.0.0.1:" + std::to_string(m_port);
    }
    [[nodiscard]] bool stopping() const { return m_stop; }
    /// Connections served so far.
    [[nodiscard]] int requests() const { return m_requests; }

    /// Writes all of `data`; false when the peer went away or the server is stopping.
    bool send(int fd, std::string_view data) const
    {
        while (!data.empty()) {
            if (m_stop) {
                return false;
            }
            pollfd p{fd, POLLOUT, 0};
            if (::poll(&p, 1, 100) <= 0) {
                continue;
            }
            const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            data.remove_prefix(std::size_t(n));
        }
        return true;
    }

private:
    void serve()
    {
        while (!m_stop) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            const int client = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                continue;
            }
            std::string request;
            if (readRequest(client, request)) {
                ++m_requests;
                m_handler(client, request);
            }
            ::close(client);
        }
    }

    bool readRequest(int fd, std::string &request) const
    {
        char buf[4096];
        std::size_t headerEnd = std::string::npos;
        std::size_t wanted = 0;
        while (!m_stop) {
            if (headerEnd != std::string::npos && request.size() >= headerEnd + 4 + wanted) {
                return true;
            }
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) {
                continue;
            }
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) {
                return false;
            }
            request.append(buf, std::size_t(n));
            if (headerEnd == std::string::npos) {
                headerEnd = request.find("\r\n\r\n");
                if (headerEnd != std::string::npos) {
                    for (const char *name : {"Content-Length:", "content-length:"}) {
                        const std::size_t at = request.find(name);
                        if (at != std::string::npos && at < headerEnd) {
                            wanted = std::stoul(request.substr(at + std::strlen(name)));
                        }
                    }
                }
            }
        }
        return false;
    }

    Handler m_handler;
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_requests{0};
    std::thread m_thread;
};

} // namespace fb::test
