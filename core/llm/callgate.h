#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace fb {

/// Admission control for model calls: a batch's per-connection rate limits (RPM and TPM).
/// Whoever starts a model call asks the gate first and starts the call when admitted, then
/// reports what the call used so token budgets charged by estimate are corrected.
///
/// Thread-safety: implementations are thread-safe; `admit` callbacks run on any thread (the
/// caller's, when admitted at once, or the gate's timer thread) and must not block.
class CallGate
{
public:
    /// A pending admission; cancel() makes `admit(false)` run promptly if it has not run yet.
    class Waiter
    {
    public:
        virtual ~Waiter();
        virtual void cancel() = 0;
    };

    virtual ~CallGate();

    /// The gate's own estimate of one call's tokens on `connection` (e.g. the running mean of
    /// actual usage), for callers that cannot estimate; pass the same figure to acquire() and
    /// settle(). 0 when nothing is known yet.
    [[nodiscard]] virtual std::int64_t estimateTokens(const std::string &connection);

    /// Asks to start one call on `connection` expected to use `estimatedTokens` (prompt plus
    /// expected completion; 0 = unknown). Calls
    /// `admit` exactly once: `true` when the call may start, `false` after the waiter was
    /// cancelled. The returned waiter may be dropped.
    virtual std::shared_ptr<Waiter> acquire(const std::string &connection,
                                            std::int64_t estimatedTokens,
                                            std::function<void(bool admitted)> admit)
        = 0;

    /// Reports a finished call admitted with `estimatedTokens`: the tokens it actually used
    /// (0 when it failed without usage) and whether the server rate-limited it (a 429, or
    /// retries), which slows the connection down.
    virtual void settle(const std::string &connection, std::int64_t estimatedTokens,
                        std::int64_t actualTokens, bool rateLimited)
        = 0;
};

} // namespace fb
