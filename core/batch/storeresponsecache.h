#pragma once

#include <core/common/result.h>
#include <core/exec/responsecache.h>
#include <core/store/experimentstore.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace fb {

/// The response cache kept in the workspace's experiment store (`response_cache` table), so
/// answers survive between runs. Entries older than the TTL are misses (and are overwritten
/// by the fresh answer); a TTL of 0 never expires. Lookups and writes go through the cache's own store connection.
///
/// Thread-safety: find() and store() may be called from any thread (serialised internally).
/// A store write that fails is counted, not fatal: the run goes on without caching that call.
class StoreResponseCache final : public ResponseCache
{
public:
    [[nodiscard]] static Result<std::unique_ptr<StoreResponseCache>>
    open(const std::string &storePath, std::chrono::milliseconds ttl);

    std::optional<LlmResponse> find(const std::string &key) override;
    void store(const std::string &key, const LlmResponse &response) override;

    [[nodiscard]] std::int64_t hits() const { return m_hits; }
    [[nodiscard]] std::int64_t misses() const { return m_misses; }
    [[nodiscard]] std::int64_t writeErrors() const { return m_writeErrors; }

private:
    StoreResponseCache(ExperimentStore store, std::chrono::milliseconds ttl);

    std::mutex m_mutex;
    ExperimentStore m_store; // guarded by m_mutex
    std::chrono::milliseconds m_ttl;
    std::atomic<std::int64_t> m_hits{0};
    std::atomic<std::int64_t> m_misses{0};
    std::atomic<std::int64_t> m_writeErrors{0};
};

} // namespace fb
