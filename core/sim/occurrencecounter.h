#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace fb {

/// Counts how often each key (a 64-bit hash of a request or a directive) has been seen, so
/// that the k-th repetition of the same request gets its own reproducible random draw and
/// `times=N` directives can stop failing. Thread-safe. Memory is bounded: past `capacity`
/// distinct keys the table starts afresh.
class OccurrenceCounter
{
public:
    explicit OccurrenceCounter(std::size_t capacity = 1u << 18);

    /// Records one more occurrence of `key` and returns its number, 1 for the first.
    [[nodiscard]] std::uint64_t next(std::uint64_t key);
    void reset();

private:
    std::size_t m_capacity;
    std::mutex m_mutex;
    std::unordered_map<std::uint64_t, std::uint64_t> m_counts; // guarded by m_mutex
};

} // namespace fb
