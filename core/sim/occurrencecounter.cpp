#include <core/sim/occurrencecounter.h>

namespace fb {

OccurrenceCounter::OccurrenceCounter(std::size_t capacity)
    : m_capacity(capacity)
{
}

std::uint64_t OccurrenceCounter::next(std::uint64_t key)
{
    const std::lock_guard lock(m_mutex);
    if (m_counts.size() >= m_capacity && m_counts.find(key) == m_counts.end()) {
        m_counts.clear();
    }
    return ++m_counts[key];
}

void OccurrenceCounter::reset()
{
    const std::lock_guard lock(m_mutex);
    m_counts.clear();
}

} // namespace fb
