#include <core/batch/storeresponsecache.h>

namespace fb {

Result<std::unique_ptr<StoreResponseCache>> StoreResponseCache::open(const std::string &storePath,
                                                                     std::chrono::milliseconds ttl)
{
    auto store = ExperimentStore::open(storePath);
    if (!store) {
        return std::move(store).error();
    }
    return std::unique_ptr<StoreResponseCache>(new StoreResponseCache(std::move(*store), ttl));
}

StoreResponseCache::StoreResponseCache(ExperimentStore store, std::chrono::milliseconds ttl)
    : m_store(std::move(store))
    , m_ttl(ttl)
{
}

std::optional<LlmResponse> StoreResponseCache::find(const std::string &key)
{
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::int64_t notBefore
        = m_ttl.count() > 0 ? now - m_ttl.count() : 0;
    Result<std::optional<std::string>> text = std::optional<std::string>();
    {
        std::lock_guard lock(m_mutex);
        text = m_store.cachedResponse(key, notBefore);
    }
    if (text && text->has_value()) {
        if (auto response = ResponseCache::deserialize(**text)) {
            ++m_hits;
            return response;
        }
    }
    ++m_misses;
    return std::nullopt;
}

void StoreResponseCache::store(const std::string &key, const LlmResponse &response)
{
    const std::string text = ResponseCache::serialize(response);
    std::lock_guard lock(m_mutex);
    if (!m_store.putCachedResponse(key, text)) {
        ++m_writeErrors;
    }
}

} // namespace fb
