#pragma once

#include <core/common/result.h>
#include <core/sim/simconfig.h>

#include <cstdint>
#include <memory>
#include <string>

namespace fb {

class SimServerPrivate;
class SimStats;

/// flowbench-sim, the LLM SIMULATOR for tests, demos and benchmarks: an asynchronous HTTP/1.1
/// server (Boost.Asio + Boost.Beast) with OpenAI-, Azure- and Anthropic-compatible endpoints
/// whose answers are generated deterministically, never by a real model.
/// Delays are timers on `threads` I/O threads, so thousands of concurrent streams cost no
/// threads. start() returns once the socket listens; stop() is thread-safe and idempotent
/// (but must not be called from a request handler). The destructor stops the server.
class SimServer
{
public:
    explicit SimServer(SimConfig config);
    SimServer(const SimServer &) = delete;
    SimServer &operator=(const SimServer &) = delete;
    ~SimServer();

    /// Loads the answers file, binds host:port and starts the I/O threads. Fails with a
    /// message naming the file or the address when one is unusable.
    [[nodiscard]] Result<void> start();
    /// Stops accepting, drops every connection and joins the I/O threads.
    void stop();
    /// Blocks until stop() was called (from another thread).
    void wait();
    /// Blocks until SIGINT or SIGTERM arrives (or stop() is called), then stops. Call
    /// blockStopSignals() before start() so that a signal arriving in between is not lost.
    void runUntilSignal();
    /// Blocks SIGINT and SIGTERM in the calling thread (and the threads it starts later), so
    /// they wait for runUntilSignal() instead of killing the process.
    static void blockStopSignals();

    /// The bound port (the real one when the config asked for port 0); 0 before start().
    [[nodiscard]] std::uint16_t port() const;
    /// "http://HOST:PORT".
    [[nodiscard]] std::string url() const;
    /// Live request counters (also served on GET /stats). Valid after a successful start().
    [[nodiscard]] const SimStats &stats() const;
    [[nodiscard]] const SimConfig &config() const;

    /// The line that labels every run: "flowbench-sim: LLM SIMULATOR for tests, demos and
    /// benchmarks - answers do not come from a real model" (with an em dash).
    [[nodiscard]] static std::string banner();

private:
    std::unique_ptr<SimServerPrivate> d;
};

} // namespace fb
