#pragma once

#include <string_view>

namespace fb::detail {

/// The text of resources/pricing.json as it was at build time (generated source).
[[nodiscard]] std::string_view builtinPricingJson();

} // namespace fb::detail
