#pragma once

#include <core/common/result.h>
#include <core/store/storeids.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fb {

class RunBundle;

/// What BundleImporter does with a run the store already holds.
enum class OnPresentRun {
    Skip,   ///< leave it; the bundle's copy is not imported (importing twice adds nothing)
    Refuse, ///< fail the whole import, naming the run
};

/// What happened to one run of a bundle.
struct ImportedRun
{
    RunId bundleId;       ///< its id in the bundle
    RunId storeId;        ///< its id in the store (the existing one when skipped)
    std::string name;     ///< its name in the store
    bool skipped = false; ///< the store held it already
    bool renamed = false; ///< another run held its name: it got a new one
};

/// The outcome of an import.
struct BundleImportReport
{
    std::vector<ImportedRun> runs; ///< in the bundle's run id order
    std::int64_t lines = 0;        ///< lines added
    std::int64_t scores = 0;
    std::int64_t metrics = 0;
    std::int64_t ratings = 0;
    std::int64_t preferences = 0;
};

/// Imports the runs of a (validated) run bundle into a workspace's experiment store.
///
/// Every run gets a new id in the store (the bundle's ids mean nothing there); references
/// between runs (an evaluation run's base) follow. A run the store already holds — same
/// creation time, flow content hash, dataset fingerprint and variants, whatever its name — is
/// skipped or refused (OnPresentRun). A run whose name another run holds is imported as
/// "NAME-imported" (then "-imported-2", …). Flow and dataset versions are content-addressed:
/// existing ones are reused; experiments are matched by name and creation time. Flow files
/// and dataset rows stay in the bundle (RunBundle::extractFlow writes the files out).
///
/// All of it happens in one IMMEDIATE transaction on the store (the bundle attached
/// read-only): a failure at any point rolls back and leaves the store as it was. The store is
/// created if missing and migrated like ExperimentStore::open. Other connections may use the
/// store meanwhile (they wait for the write lock, as for a StoreWriter's batch).
class BundleImporter final
{
public:
    [[nodiscard]] static Result<BundleImportReport>
    import(const RunBundle &bundle, const std::string &storePath,
           OnPresentRun onPresent = OnPresentRun::Skip);
};

} // namespace fb
