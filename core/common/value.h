#pragma once

#include <nlohmann/json.hpp>

namespace fb {

/// The dynamic value of flow data: inputs, outputs, template contexts, node parameters.
/// Insertion-ordered so that objects keep the order a user wrote (as Python dicts do).
using Value = nlohmann::ordered_json;

} // namespace fb
