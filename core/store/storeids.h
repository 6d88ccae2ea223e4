#pragma once

#include <compare>
#include <cstdint>

namespace fb {

/// A run in the experiment store (rowid of `runs`). 0 means "no run".
struct RunId
{
    std::int64_t value = 0;

    [[nodiscard]] bool isValid() const { return value > 0; }
    friend auto operator<=>(const RunId &, const RunId &) = default;
};

/// A content-addressed flow version (rowid of `flows`): same canonical hash, same id.
struct FlowVersionId
{
    std::int64_t value = 0;

    [[nodiscard]] bool isValid() const { return value > 0; }
    friend auto operator<=>(const FlowVersionId &, const FlowVersionId &) = default;
};

/// A content-addressed dataset version (rowid of `datasets`): same fingerprint, same id.
struct DatasetVersionId
{
    std::int64_t value = 0;

    [[nodiscard]] bool isValid() const { return value > 0; }
    friend auto operator<=>(const DatasetVersionId &, const DatasetVersionId &) = default;
};

/// A group of runs started together, e.g. a cross-product of variants (rowid of `experiments`).
struct ExperimentId
{
    std::int64_t value = 0;

    [[nodiscard]] bool isValid() const { return value > 0; }
    friend auto operator<=>(const ExperimentId &, const ExperimentId &) = default;
};

} // namespace fb
