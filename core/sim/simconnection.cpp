#include <core/sim/simconnection.h>

#include <core/sim/simhttprequest.h>
#include <core/sim/simrequesthandler.h>

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>

#include <charconv>
#include <string_view>

namespace fb {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t HeaderLimit = 64 * 1024;
constexpr std::uint64_t BodyLimit = 64ULL * 1024 * 1024;
constexpr std::string_view Continue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view view(beast::string_view s) { return std::string_view(s.data(), s.size()); }

void appendNumber(std::string &out, std::size_t value, int base = 10)
{
    char buffer[24];
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, base);
    out.append(buffer, ptr);
}

} // namespace

SimConnection::SimConnection(asio::ip::tcp::socket socket, SimRequestHandler &handler)
    : m_socket(std::move(socket))
    , m_timer(m_socket.get_executor())
    , m_handler(handler)
{
}

SimConnection::~SimConnection() { finishRequest(); }

void SimConnection::start() { readHeader(); }

void SimConnection::readHeader()
{
    m_parser.emplace();
    m_parser->header_limit(HeaderLimit);
    m_parser->body_limit(BodyLimit);
    http::async_read_header(m_socket, m_buffer, *m_parser,
                            [self = shared_from_this()](const boost::system::error_code &ec,
                                                        std::size_t) { self->onHeader(ec); });
}

void SimConnection::onHeader(const boost::system::error_code &ec)
{
    if (ec) {
        return close();
    }
    const auto expect = m_parser->get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
        // curl waits a second for this before sending a body larger than 1 KiB.
        asio::async_write(
            m_socket, asio::buffer(Continue.data(), Continue.size()),
            [self = shared_from_this()](const boost::system::error_code &ec, std::size_t) {
                if (ec) {
                    return self->close();
                }
                self->readBody();
            });
        return;
    }
    readBody();
}

void SimConnection::readBody()
{
    if (m_parser->is_done()) {
        return respond();
    }
    http::async_read(m_socket, m_buffer, *m_parser,
                     [self = shared_from_this()](const boost::system::error_code &ec, std::size_t) {
                         self->onBody(ec);
                     });
}

void SimConnection::onBody(const boost::system::error_code &ec)
{
    if (ec) {
        return close();
    }
    respond();
}

void SimConnection::respond()
{
    const auto &request = m_parser->get();
    SimHttpRequest r;
    r.method = view(request.method_string());
    r.target = view(request.target());
    r.body = request.body();
    r.authorization = view(request[http::field::authorization]);
    r.apiKey = view(request["api-key"]);
    r.xApiKey = view(request["x-api-key"]);
    r.anthropicVersion = view(request["anthropic-version"]);
    m_keepAlive = request.keep_alive();
    m_chunked = request.version() >= 11;

    m_handler.handle(r, m_plan);
    m_active = m_plan.counted;
    if (m_plan.streaming && !m_chunked) {
        // HTTP/1.0 has no chunked encoding: the end of the stream is the end of the connection.
        m_keepAlive = false;
    }
    if (m_plan.steps.empty()) {
        m_plan.addStep(std::chrono::microseconds(0));
    }
    m_step = 0;
    m_sent = 0;
    nextStep();
}

void SimConnection::nextStep()
{
    const auto delay = m_plan.steps[m_step].delay;
    if (delay.count() <= 0) {
        return writeStep();
    }
    m_timer.expires_after(delay);
    m_timer.async_wait([self = shared_from_this()](const boost::system::error_code &ec) {
        if (ec) {
            return self->close();
        }
        self->writeStep();
    });
}

void SimConnection::appendHead()
{
    const auto status = static_cast<unsigned>(m_plan.status);
    m_out.append("HTTP/1.1 ");
    appendNumber(m_out, status);
    m_out.push_back(' ');
    const auto reason = http::obsolete_reason(http::int_to_status(status));
    m_out.append(reason.data(), reason.size());
    m_out.append("\r\nserver: flowbench-sim\r\nx-flowbench-simulator: true\r\ncontent-type: ");
    m_out.append(m_plan.contentType);
    m_out.append("\r\n");
    if (m_plan.streaming) {
        if (m_chunked) {
            m_out.append("transfer-encoding: chunked\r\n");
        }
    } else {
        m_out.append("content-length: ");
        appendNumber(m_out, m_plan.body.size());
        m_out.append("\r\n");
    }
    m_out.append(m_plan.headers);
    if (!m_keepAlive) {
        m_out.append("connection: close\r\n");
    }
    m_out.append("\r\n");
}

void SimConnection::writeStep()
{
    const auto &step = m_plan.steps[m_step];
    const bool last = m_step + 1 == m_plan.steps.size();
    m_out.clear();
    if (m_step == 0) {
        appendHead();
    }
    const std::string_view data(m_plan.body.data() + m_sent, step.end - m_sent);
    if (m_plan.streaming && m_chunked) {
        if (!data.empty()) {
            appendNumber(m_out, data.size(), 16);
            m_out.append("\r\n");
            m_out.append(data);
            m_out.append("\r\n");
        }
        if (last && !m_plan.truncated) {
            m_out.append("0\r\n\r\n");
        }
    } else {
        m_out.append(data);
    }
    if (m_out.empty()) {
        return onWritten({});
    }
    asio::async_write(m_socket, asio::buffer(m_out),
                      [self = shared_from_this()](const boost::system::error_code &ec,
                                                  std::size_t) { self->onWritten(ec); });
}

void SimConnection::onWritten(const boost::system::error_code &ec)
{
    if (ec) {
        return close();
    }
    m_sent = m_plan.steps[m_step].end;
    ++m_step;
    if (m_step < m_plan.steps.size()) {
        return nextStep();
    }
    if (m_plan.truncated) {
        // The injected fault: the response stops here, unannounced.
        m_handler.stats().connectionTruncated();
        return close();
    }
    finishRequest();
    if (m_keepAlive) {
        return readHeader();
    }
    close();
}

void SimConnection::finishRequest()
{
    if (m_active) {
        m_active = false;
        m_handler.stats().requestFinished();
    }
}

void SimConnection::close()
{
    finishRequest();
    boost::system::error_code ignored;
    m_timer.cancel();
    m_socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    m_socket.close(ignored);
}

} // namespace fb
