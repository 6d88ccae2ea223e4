#pragma once

#include <core/sim/simresponseplan.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace fb {

class SimRequestHandler;

/// One accepted HTTP/1.1 connection of the simulator (internal to SimServer): reads requests
/// with keep-alive (answering `Expect: 100-continue`), lets the handler plan each response
/// and plays the plan out with one reusable timer - no thread ever sleeps. Lives as long as
/// an asynchronous operation holds it (shared_from_this). All its handlers run on the
/// socket's executor (a strand when the server has several threads).
class SimConnection final : public std::enable_shared_from_this<SimConnection>
{
public:
    SimConnection(boost::asio::ip::tcp::socket socket, SimRequestHandler &handler);
    SimConnection(const SimConnection &) = delete;
    SimConnection &operator=(const SimConnection &) = delete;
    ~SimConnection();

    /// Starts reading the first request.
    void start();

private:
    void readHeader();
    void onHeader(const boost::system::error_code &ec);
    void readBody();
    void onBody(const boost::system::error_code &ec);
    void respond();
    void nextStep();
    void writeStep();
    void onWritten(const boost::system::error_code &ec);
    void appendHead();
    void finishRequest();
    void close();

    boost::asio::ip::tcp::socket m_socket;
    boost::asio::steady_timer m_timer;
    boost::beast::flat_buffer m_buffer;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_parser;
    SimRequestHandler &m_handler;
    SimResponsePlan m_plan;
    std::string m_out; ///< bytes of the write in flight, reused
    std::size_t m_step = 0;
    std::size_t m_sent = 0;
    bool m_keepAlive = true;
    bool m_chunked = true;
    bool m_active = false; ///< a counted request awaits requestFinished()
};

} // namespace fb
