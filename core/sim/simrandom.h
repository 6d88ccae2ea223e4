#pragma once

#include <cstdint>
#include <string_view>

namespace fb {

/// Deterministic hashing and pseudo-random numbers for the LLM simulator.
/// Everything the simulator "decides" (answers, faults, latencies) derives from these, so the
/// same seed and the same requests give the same behaviour on every machine.
/// A SimRandom object is a small value (one 64-bit state); not thread-safe, copy it per use.
class SimRandom
{
public:
    explicit SimRandom(std::uint64_t seed);

    /// Next 64 random bits (SplitMix64).
    [[nodiscard]] std::uint64_t next();
    /// Uniform in [0, 1).
    [[nodiscard]] double nextDouble();
    /// Standard normal (mean 0, standard deviation 1).
    [[nodiscard]] double nextNormal();

    /// FNV-1a over `data` started from `seed`, finished with a SplitMix64 mix.
    [[nodiscard]] static std::uint64_t hash(std::string_view data, std::uint64_t seed = 0);
    /// Mixes two 64-bit values into one (order matters).
    [[nodiscard]] static std::uint64_t combine(std::uint64_t a, std::uint64_t b);
    /// Maps a hash to [0, 1) using its top 53 bits.
    [[nodiscard]] static double toUnit(std::uint64_t h);

private:
    std::uint64_t m_state;
};

} // namespace fb
