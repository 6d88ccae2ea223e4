#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fb {

/// What one model costs, in USD per 1M tokens, as one entry of a PriceTable. Plain value type.
struct ModelPrice
{
    std::string model;      ///< the table's key (e.g. "gpt-4o", "flowbench-sim:*")
    std::string provider;   ///< openai, anthropic, flowbench-sim, or what an override says
    double input = 0;       ///< prompt tokens that were not cache hits
    double cachedInput = 0; ///< prompt tokens reported as cache hits (= input when no discount)
    double output = 0;      ///< completion tokens (reasoning tokens included)
    std::optional<double> cacheWrite; ///< prompt tokens written to a cache (Anthropic 5-minute)
    bool simulated = false;           ///< the bundled simulator: no money is spent
    std::vector<std::string> aliases; ///< other names that match this entry exactly
    std::string source;               ///< where the figures come from
};

} // namespace fb
