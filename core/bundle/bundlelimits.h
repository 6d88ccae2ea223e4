#pragma once

#include <cstdint>

namespace fb {

/// Bounds on what a run bundle may hold; a bundle past any of them is refused when it is
/// written (BundleExporter) and when it is opened (RunBundle), naming the limit. The defaults
/// fit a few runs of a million lines each.
struct BundleLimits
{
    std::uint64_t maxBundleBytes = std::uint64_t(2) << 30;      ///< the whole file: 2 GiB
    std::int64_t maxRuns = 1000;                                ///< runs in one bundle
    std::int64_t maxFlowFiles = 1000;                           ///< flow files over all flows
    std::uint64_t maxFlowFileBytes = std::uint64_t(16) << 20;   ///< one flow file: 16 MiB
    std::uint64_t maxFlowFilesBytes = std::uint64_t(64) << 20;  ///< all flow files: 64 MiB
    std::uint64_t maxDatasetRowsBytes = std::uint64_t(1) << 30; ///< all dataset rows: 1 GiB
    std::uint64_t maxManifestBytes = std::uint64_t(16) << 20;   ///< the manifest JSON: 16 MiB
    std::uint64_t maxPathBytes = 1024;                          ///< a flow file's relative path
};

} // namespace fb
