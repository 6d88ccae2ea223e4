#pragma once

#include <core/cost/modelprice.h>
#include <core/cost/pricetable.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace fb {

/// The tokens one call was billed for (LlmUsage carries the same counts).
struct TokenUsage
{
    std::int64_t promptTokens = 0;       ///< all prompt tokens, cache hits and writes included
    std::int64_t completionTokens = 0;   ///< output tokens (reasoning tokens included)
    std::int64_t cachedPromptTokens = 0; ///< the part of promptTokens that were cache hits
    std::int64_t cacheWriteTokens = 0;   ///< the part written to a cache (Anthropic), if known
};

/// A call's cost in USD, split by what it paid for.
struct CallCost
{
    double inputUsd = 0;       ///< uncached prompt tokens at the input price
    double cachedInputUsd = 0; ///< cache hits at the cached_input price
    double cacheWriteUsd = 0;  ///< cache writes at the cache_write price (input when none)
    double outputUsd = 0;      ///< completion tokens at the output price
    double totalUsd = 0;
    ModelPrice price; ///< the entry that priced it
};

/// Prices calls from their token usage with a PriceTable: cache hits at the cached-input
/// price, cache writes at the cache-write price, the rest of the prompt at the input price,
/// completion tokens at the output price. Counts are clamped so that hits + writes never
/// exceed the prompt and nothing is negative. Unknown models give nullopt, never a guess.
/// Thread-safety: const methods may be called concurrently.
class CostCalculator
{
public:
    explicit CostCalculator(PriceTable table);

    [[nodiscard]] const PriceTable &table() const { return m_table; }

    /// USD for one call of `model`; nullopt when the table has no price for it.
    [[nodiscard]] std::optional<double> cost(std::string_view model, const TokenUsage &usage) const;
    /// The same, split by kind and with the matched price entry.
    [[nodiscard]] std::optional<CallCost> breakdown(std::string_view model,
                                                    const TokenUsage &usage) const;

    /// USD for one call at a given price.
    [[nodiscard]] static CallCost costAt(const ModelPrice &price, const TokenUsage &usage);

private:
    PriceTable m_table;
};

} // namespace fb
