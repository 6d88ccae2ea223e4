#include <core/sim/simstats.h>

#include <nlohmann/json.hpp>

#include <chrono>

namespace fb {

void SimStats::requestStarted(std::string_view path)
{
    m_requests.fetch_add(1, std::memory_order_relaxed);
    m_active.fetch_add(1, std::memory_order_relaxed);
    const double now = std::chrono::duration<double, std::milli>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count();
    const std::lock_guard lock(m_mutex);
    if (m_firstMs < 0) {
        m_firstMs = now;
    }
    m_lastMs = now;
    const auto it = m_byPath.find(path);
    if (it != m_byPath.end()) {
        ++it->second;
    } else {
        m_byPath.emplace(std::string(path), 1);
    }
}

void SimStats::statusSent(int status)
{
    if (status >= 0 && status < static_cast<int>(m_byStatus.size())) {
        m_byStatus[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
    }
}

void SimStats::requestFinished() { m_active.fetch_sub(1, std::memory_order_relaxed); }

void SimStats::reset()
{
    m_requests = 0;
    m_truncated = 0;
    m_malformed = 0;
    for (auto &count : m_byStatus) {
        count = 0;
    }
    const std::lock_guard lock(m_mutex);
    m_byPath.clear();
    m_firstMs = -1;
    m_lastMs = -1;
}

std::string SimStats::toJson() const
{
    nlohmann::ordered_json json;
    json["simulator"] = true;
    json["requests"] = requests();
    json["by_status"] = nlohmann::ordered_json::object();
    for (std::size_t status = 0; status < m_byStatus.size(); ++status) {
        const auto n = m_byStatus[status].load(std::memory_order_relaxed);
        if (n > 0) {
            json["by_status"][std::to_string(status)] = n;
        }
    }
    json["active"] = active();
    json["by_path"] = nlohmann::ordered_json::object();
    {
        const std::lock_guard lock(m_mutex);
        for (const auto &[path, n] : m_byPath) {
            json["by_path"][path] = n;
        }
        if (m_firstMs >= 0) {
            json["first_request_ms"] = m_firstMs;
            json["last_request_ms"] = m_lastMs;
        }
    }
    json["truncated"] = m_truncated.load(std::memory_order_relaxed);
    json["malformed"] = m_malformed.load(std::memory_order_relaxed);
    return json.dump();
}

} // namespace fb
