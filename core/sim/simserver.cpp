#include <core/sim/simserver.h>

#include <core/sim/answerbook.h>
#include <core/sim/simconnection.h>
#include <core/sim/simrequesthandler.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace fb {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class SimServerPrivate
{
public:
    explicit SimServerPrivate(SimConfig c)
        : config(std::move(c))
    {
    }

    void accept();
    void raiseFileLimit();

    SimConfig config;
    // Declaration order is destruction order reversed: connections die with the io_context
    // and still report to the handler, so the handler outlives it.
    std::unique_ptr<SimRequestHandler> handler;
    std::unique_ptr<asio::io_context> io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::optional<tcp::acceptor> acceptor;
    std::optional<asio::steady_timer> acceptRetry;
    std::vector<std::thread> threads;
    std::uint16_t port = 0;

    std::mutex mutex;
    std::condition_variable stopRequested;
    bool stopping = false; // guarded by mutex
    bool stopped = false;  // guarded by mutex
};

void SimServerPrivate::accept()
{
    auto onAccept = [this](const boost::system::error_code &ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
            return;
        }
        if (ec) {
            // Typically EMFILE: back off briefly instead of spinning.
            acceptRetry->expires_after(std::chrono::milliseconds(10));
            acceptRetry->async_wait([this](const boost::system::error_code &e) {
                if (!e) {
                    accept();
                }
            });
            return;
        }
        boost::system::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<SimConnection>(std::move(socket), *handler)->start();
        accept();
    };
    if (config.threads > 1) {
        acceptor->async_accept(asio::make_strand(*io), std::move(onAccept));
    } else {
        acceptor->async_accept(*io, std::move(onAccept));
    }
}

void SimServerPrivate::raiseFileLimit()
{
    // Thousands of concurrent streams need thousands of descriptors.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

SimServer::SimServer(SimConfig config)
    : d(std::make_unique<SimServerPrivate>(std::move(config)))
{
}

SimServer::~SimServer() { stop(); }

Result<void> SimServer::start()
{
    if (d->io) {
        return fail(ErrorCode::InvalidArgument, "the server was already started");
    }
    AnswerBook answers;
    if (!d->config.answersPath.empty()) {
        auto loaded = AnswerBook::load(d->config.answersPath);
        if (!loaded) {
            return fail(loaded.error().code, "--answers: " + loaded.error().message);
        }
        answers = std::move(*loaded);
    }
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(
        d->config.host == "localhost" ? std::string("127.0.0.1") : d->config.host, ec);
    if (ec) {
        return fail(ErrorCode::InvalidArgument,
                    "--host: '" + d->config.host + "' is not an IP address");
    }
    d->raiseFileLimit();
    d->handler = std::make_unique<SimRequestHandler>(d->config, std::move(answers));
    d->io = std::make_unique<asio::io_context>(d->config.threads);
    d->work.emplace(d->io->get_executor());
    const tcp::endpoint endpoint(address, d->config.port);
    const std::string where = d->config.host + ":" + std::to_string(d->config.port);
    d->acceptor.emplace(*d->io);
    d->acceptor->open(endpoint.protocol(), ec);
    if (!ec) {
        d->acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec) {
        d->acceptor->bind(endpoint, ec);
    }
    if (!ec) {
        d->acceptor->listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        d->acceptor.reset();
        d->work.reset();
        d->io.reset();
        return fail(ErrorCode::Io, "cannot listen on " + where + ": " + ec.message());
    }
    d->port = d->acceptor->local_endpoint().port();
    d->acceptRetry.emplace(*d->io);
    d->accept();
    // I/O threads never take signals: they inherit a full block mask, so SIGINT/SIGTERM
    // reach the thread that waits for them in runUntilSignal().
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    for (int i = 0; i < d->config.threads; ++i) {
        d->threads.emplace_back([io = d->io.get()] {
            while (true) {
                try {
                    io->run();
                    return;
                } catch (const std::exception &e) {
                    std::fprintf(stderr, "flowbench-sim: I/O thread error: %s\n", e.what());
                }
            }
        });
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return {};
}

void SimServer::stop()
{
    {
        const std::lock_guard lock(d->mutex);
        if (d->stopped) {
            return;
        }
        d->stopping = true;
        d->stopped = true;
    }
    d->stopRequested.notify_all();
    if (!d->io) {
        return;
    }
    asio::post(*d->io, [p = d.get()] {
        boost::system::error_code ignored;
        p->acceptor->close(ignored);
        p->acceptRetry->cancel();
    });
    d->work.reset();
    d->io->stop();
    for (auto &thread : d->threads) {
        thread.join();
    }
    d->threads.clear();
    // Destroy pending handlers (and with them the connections) while the handler lives.
    d->acceptRetry.reset();
    d->acceptor.reset();
    d->io.reset();
}

void SimServer::wait()
{
    std::unique_lock lock(d->mutex);
    d->stopRequested.wait(lock, [this] { return d->stopping; });
}

void SimServer::blockStopSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void SimServer::runUntilSignal()
{
    blockStopSignals();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    // Poll the stop flag a few times a second so that stop() from another thread ends it too.
    const timespec timeout{0, 200 * 1000 * 1000};
    while (true) {
        {
            const std::lock_guard lock(d->mutex);
            if (d->stopping) {
                break;
            }
        }
        const int sig = sigtimedwait(&set, nullptr, &timeout);
        if (sig == SIGINT || sig == SIGTERM) {
            break;
        }
    }
    stop();
}

std::uint16_t SimServer::port() const { return d->port; }

std::string SimServer::url() const
{
    const bool v6 = d->config.host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + d->config.host + "]" : d->config.host) + ":"
           + std::to_string(d->port);
}

const SimStats &SimServer::stats() const { return d->handler->stats(); }

const SimConfig &SimServer::config() const { return d->config; }

std::string SimServer::banner()
{
    return "flowbench-sim: LLM SIMULATOR for tests, demos and benchmarks \u2014 answers do not "
           "come from a real model";
}

} // namespace fb
