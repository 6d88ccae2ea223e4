#pragma once

#include <core/bundle/bundlelimits.h>
#include <core/bundle/bundlemanifest.h>
#include <core/common/result.h>
#include <core/store/storeids.h>

#include <string>
#include <vector>

namespace fb {

/// What BundleExporter writes.
struct BundleExportOptions
{
    /// The runs to bundle. Their evaluation runs and the runs they evaluate come along, so
    /// that scores from evaluation runs read the same in the bundle.
    std::vector<RunId> runs;
    bool flowFiles = true;   ///< bundle each flow version's files when they are as the runs had
    bool datasetRows = true; ///< bundle the dataset rows the runs' lines came from
    std::string tool;        ///< who wrote it; default "Flowbench <version>"
    BundleLimits limits;     ///< a bundle past them is not written
};

/// Writes a run bundle: one SQLite file (`*.fbbundle`) that holds the selected runs of an
/// experiment store in the store's own schema — their experiments, flow and dataset versions,
/// lines, node results, LLM calls, scores, metrics and ratings, with the store's ids — plus
/// the files of each flow version, the dataset rows the runs used (by line index) and a
/// manifest (see BundleManifest and README "Run bundles").
///
/// The rows are copied by SQLite itself (ATTACH of the store, INSERT … SELECT in one read
/// transaction, so the runs are a consistent snapshot even while a writer adds lines). Flow
/// files are read from the flow folder the store recorded and bundled only when they still
/// hash to the flow version's content hash; dataset rows only when the data still has its
/// fingerprint; otherwise the manifest says why they are missing.
///
/// The file is written to a temporary sibling and renamed over the target when complete and
/// within the limits: a failure leaves no partial bundle and the target untouched.
/// Stateless; the store may be in use by other connections meanwhile.
class BundleExporter final
{
public:
    /// Writes the bundle and returns its manifest. Fails naming the store, the run or the
    /// file: an unknown run, an unreadable store, a limit passed, a write error.
    [[nodiscard]] static Result<BundleManifest> write(const std::string &storePath,
                                                      const BundleExportOptions &options,
                                                      const std::string &bundlePath);
};

} // namespace fb
