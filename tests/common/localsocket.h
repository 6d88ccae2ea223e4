#pragma once

// Test helper: a TCP socket on 127.0.0.1 with an OS-chosen port, for the unhappy paths of
// network code. Header-only, plain POSIX.

#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

namespace fb::test {

/// Listening: connections are accepted by the kernel but never answered. Not listening: the
/// port stays bound, so nothing else can take it, but nobody listens (connecting is refused).
class LocalSocket
{
public:
    explicit LocalSocket(bool listening)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0
            || (listening && ::listen(m_fd, 8) != 0)) {
            return;
        }
        m_port = ntohs(addr.sin_port);
    }
    ~LocalSocket() { close(); }
    LocalSocket(const LocalSocket &) = delete;
    LocalSocket &operator=(const LocalSocket &) = delete;

    /// 0 when the socket could not be set up.
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] int fd() const { return m_fd; }
    /// "http://127.0.0.1:PORT"
    [[nodiscard]] std::string baseUrl() const
    {
        return "http://127.0.0.1:" + std::to_string(m_port);
    }

private:
    void close()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

    int m_fd = -1;
    int m_port = 0;
};

} // namespace fb::test
