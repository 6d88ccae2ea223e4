#pragma once

#include <core/common/result.h>
#include <core/common/value.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fb {

/// Rows of each table a run bundle holds; the manifest states them and RunBundle::open checks
/// them against the tables.
struct BundleCounts
{
    std::int64_t runs = 0;
    std::int64_t experiments = 0;
    std::int64_t flows = 0;
    std::int64_t datasets = 0;
    std::int64_t lines = 0;
    std::int64_t nodeResults = 0;
    std::int64_t llmCalls = 0;
    std::int64_t scores = 0;
    std::int64_t metrics = 0;
    std::int64_t ratings = 0;
    std::int64_t preferences = 0;
    std::int64_t flowFiles = 0;
    std::int64_t datasetRows = 0;
};

/// One run of a bundle as the manifest lists it (ids are the bundle's own, which are those of
/// the store it was exported from).
struct BundleRunEntry
{
    std::int64_t id = 0;
    std::string name;
    std::int64_t baseRunId = 0; ///< 0 unless an evaluation run
};

/// What a bundle holds of one flow version's files.
struct BundleFlowEntry
{
    std::int64_t id = 0; ///< `flows.id` in the bundle
    std::string name;
    std::string contentHash;
    /// "as-run": the files are those the runs used (their hash is the stored content hash);
    /// "changed": the folder no longer hashes to it, so no files were bundled; "unavailable":
    /// the folder could not be read; "partial": some files were left out (see note).
    std::string files;
    std::string note; ///< why files are missing, when they are
};

/// What a bundle holds of one dataset version's rows.
struct BundleDatasetEntry
{
    std::int64_t id = 0; ///< `datasets.id` in the bundle
    std::string name;    ///< the data file's name (no folder)
    std::string fingerprint;
    std::string rows; ///< "as-run", "changed" or "unavailable", as for flow files
    std::string note;
};

/// The manifest of a run bundle: format, provenance, the runs and the counts. Stored as one
/// JSON document in the bundle's `bundle_manifest` table.
struct BundleManifest
{
    /// The bundle format this build writes and the only one it reads.
    static constexpr int kFormatVersion = 1;
    /// The value of `format` in every bundle.
    static constexpr const char *kFormatName = "flowbench-run-bundle";

    int formatVersion = kFormatVersion;
    std::int64_t createdAtMs = 0;
    std::string tool; ///< e.g. "Flowbench 0.1.0"
    int storeSchema = 0;
    std::vector<BundleRunEntry> runs;
    std::vector<BundleFlowEntry> flows;
    std::vector<BundleDatasetEntry> datasets;
    BundleCounts counts;
    std::uint64_t flowFileBytes = 0;   ///< bytes of all flow files
    std::uint64_t datasetRowBytes = 0; ///< bytes of all dataset rows (JSON text)

    [[nodiscard]] Value toJson() const;
    /// Parses and checks a stored manifest: every field present with the right type, counts
    /// not negative. Errors read "<file>: manifest field 'counts.lines': expected ...".
    [[nodiscard]] static Result<BundleManifest> fromJson(std::string_view text,
                                                         const std::string &file);
};

} // namespace fb
