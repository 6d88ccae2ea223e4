#pragma once

#include <core/common/result.h>
#include <core/store/storeids.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fb {

class ExperimentStore;
struct LineRecord;

/// The numbers of a run's lines that comparisons need, without their text: per stored line
/// (ascending line index) its status, duration, cost, tokens and a 64-bit hash of its outputs.
/// About 40 bytes a line. A plain value.
struct LineFigures
{
    enum Status : signed char { Other = -1, Failed = 0, Completed = 1 };

    std::vector<std::int64_t> lineIndexes;   ///< ascending
    std::vector<signed char> statuses;       ///< Status
    std::vector<double> durationsMs;         ///< NaN when not recorded
    std::vector<double> costsUsd;            ///< NaN when the price is unknown
    std::vector<std::int64_t> tokens;        ///< prompt + completion
    std::vector<std::uint64_t> outputHashes; ///< equal outputs, equal hashes

    [[nodiscard]] std::size_t size() const { return lineIndexes.size(); }
    /// Appends one line; lines must come in ascending index order.
    void append(const LineRecord &line);

    /// Reads a run's lines page by page. Fails with the store's error.
    [[nodiscard]] static Result<LineFigures> load(ExperimentStore &store, RunId run,
                                                  std::int64_t pageSize = 10000);
};

} // namespace fb
