#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace fb {

/// Incremental SHA-256 (FIPS 180-4). Used for content hashes of flows, datasets and requests.
class Sha256
{
public:
    Sha256();
    void update(std::string_view data);
    /// Finishes the hash; the object must not be updated afterwards.
    [[nodiscard]] std::array<std::uint8_t, 32> digest();
    /// Finishes the hash and returns it as 64 lower-case hex digits.
    [[nodiscard]] std::string hexDigest();

    /// One-shot helper.
    [[nodiscard]] static std::string hex(std::string_view data);

private:
    void compress(const std::uint8_t *block);

    std::array<std::uint32_t, 8> m_state;
    std::array<std::uint8_t, 64> m_buffer{};
    std::size_t m_bufferLen = 0;
    std::uint64_t m_totalLen = 0;
};

} // namespace fb
