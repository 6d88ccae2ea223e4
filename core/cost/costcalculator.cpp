#include <core/cost/costcalculator.h>

#include <algorithm>

namespace fb {

namespace {

constexpr double kPerMillion = 1e-6;

} // namespace

CostCalculator::CostCalculator(PriceTable table)
    : m_table(std::move(table))
{
}

std::optional<double> CostCalculator::cost(std::string_view model, const TokenUsage &usage) const
{
    if (auto b = breakdown(model, usage)) {
        return b->totalUsd;
    }
    return std::nullopt;
}

std::optional<CallCost> CostCalculator::breakdown(std::string_view model,
                                                  const TokenUsage &usage) const
{
    auto price = m_table.find(model);
    if (!price) {
        return std::nullopt;
    }
    return costAt(*price, usage);
}

CallCost CostCalculator::costAt(const ModelPrice &price, const TokenUsage &usage)
{
    const std::int64_t prompt = std::max<std::int64_t>(usage.promptTokens, 0);
    const std::int64_t cached = std::clamp<std::int64_t>(usage.cachedPromptTokens, 0, prompt);
    const std::int64_t written
        = std::clamp<std::int64_t>(usage.cacheWriteTokens, 0, prompt - cached);
    const std::int64_t plain = prompt - cached - written;
    const std::int64_t completion = std::max<std::int64_t>(usage.completionTokens, 0);

    CallCost c;
    c.inputUsd = double(plain) * price.input * kPerMillion;
    c.cachedInputUsd = double(cached) * price.cachedInput * kPerMillion;
    c.cacheWriteUsd = double(written) * price.cacheWrite.value_or(price.input) * kPerMillion;
    c.outputUsd = double(completion) * price.output * kPerMillion;
    c.totalUsd = c.inputUsd + c.cachedInputUsd + c.cacheWriteUsd + c.outputUsd;
    c.price = price;
    return c;
}

} // namespace fb
