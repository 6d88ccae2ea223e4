#pragma once

#include <string_view>
#include <vector>

namespace fb {

/// Deterministic pseudo-embeddings for the simulator: a unit vector (L2 norm 1) drawn from a
/// hash of the text alone, so the same text gives the same vector in every run and with every
/// seed, and different texts give unrelated vectors. Stateless and thread-safe.
class EmbeddingGenerator
{
public:
    static constexpr int DefaultDimensions = 64;
    static constexpr int MaxDimensions = 8192;

    /// `dimensions` must be in 1..MaxDimensions.
    [[nodiscard]] static std::vector<float> embed(std::string_view text, int dimensions);
};

} // namespace fb
