#pragma once

#include <core/common/result.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fb::token_detail {

/// The merge ranks of one byte-level BPE vocabulary and the merge itself: a piece (one match
/// of the pre-tokeniser) becomes the tokens tiktoken gives it (repeatedly merge the adjacent
/// pair with the lowest rank, leftmost first). Immutable after construction; all const methods
/// are thread-safe.
class BytePairEncoder
{
public:
    static constexpr std::uint32_t kNoRank = 0xFFFFFFFF;

    /// Parses a tiktoken rank file ("<base64 token> <rank>" per line). Fails when a line is
    /// malformed or a single byte has no rank.
    [[nodiscard]] static Result<BytePairEncoder> fromTiktoken(std::string_view text);

    /// Appends the tokens of `piece` (non-empty) to `out`.
    void encode(std::string_view piece, std::vector<std::uint32_t> &out) const;
    /// Number of tokens of `piece` (non-empty), without building them.
    [[nodiscard]] std::size_t count(std::string_view piece) const;

    /// The rank of exactly these bytes, or kNoRank.
    [[nodiscard]] std::uint32_t rankOf(std::string_view bytes) const;
    /// The bytes of a rank; empty when the rank is not in the vocabulary.
    [[nodiscard]] std::string_view bytesOf(std::uint32_t rank) const;
    /// Number of ranks (mergeable tokens).
    [[nodiscard]] std::size_t size() const { return m_size; }

private:
    struct Slot
    {
        std::uint32_t tag = 0;
        std::uint32_t rank = kNoRank;
    };

    template <typename Emit> void merge(std::string_view piece, Emit &&emit) const;
    template <typename Emit> void mergeLinear(std::string_view piece, Emit &&emit) const;
    template <typename Emit> void mergeHeap(std::string_view piece, Emit &&emit) const;
    void insert(std::uint32_t rank);

    std::string m_bytes;                  ///< token bytes, concatenated by rank
    std::vector<std::uint32_t> m_offsets; ///< rank -> [m_offsets[r], m_offsets[r + 1])
    std::vector<Slot> m_slots;            ///< open addressing, power-of-two size
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
    std::array<std::uint32_t, 256> m_byteRank{};
};

} // namespace fb::token_detail
