#include <core/sim/simrandom.h>

#include <cmath>
#include <numbers>

namespace fb {

namespace {

std::uint64_t mix64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

SimRandom::SimRandom(std::uint64_t seed)
    : m_state(seed)
{
}

std::uint64_t SimRandom::next()
{
    m_state += 0x9e3779b97f4a7c15ULL;
    return mix64(m_state);
}

double SimRandom::nextDouble() { return toUnit(next()); }

double SimRandom::nextNormal()
{
    // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
    const double u1 = 1.0 - nextDouble();
    const double u2 = nextDouble();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t SimRandom::hash(std::string_view data, std::uint64_t seed)
{
    std::uint64_t h = 0xcbf29ce484222325ULL ^ mix64(seed);
    for (const char c : data) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return mix64(h);
}

std::uint64_t SimRandom::combine(std::uint64_t a, std::uint64_t b)
{
    return mix64(a ^ (mix64(b) + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)));
}

double SimRandom::toUnit(std::uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

} // namespace fb
