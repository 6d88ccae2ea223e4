#pragma once

#include <core/bundle/bundlelimits.h>
#include <core/bundle/bundlemanifest.h>
#include <core/common/result.h>
#include <core/store/storeids.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace fb {

class ExperimentStore;

/// One flow file held by a bundle (without its bytes).
struct BundleFlowFile
{
    FlowVersionId flow; ///< the bundle's flow version id
    std::string path;   ///< relative, '/'-separated, checked by RunBundle::open
    std::uint64_t size = 0;
    std::string sha256;
};

/// One dataset row held by a bundle.
struct BundleDatasetRow
{
    DatasetVersionId dataset; ///< the bundle's dataset version id
    std::int64_t index = 0;   ///< the line index of the runs' lines made from it
    Value row;                ///< the row as a JSON object
};

/// A run bundle opened for reading (see BundleExporter for what one holds).
///
/// open() validates the whole file before anything is read from it and refuses, naming the
/// file and what is wrong: anything but a regular file (a FIFO, a device, a folder), a file
/// over BundleLimits::maxBundleBytes, a file that is not SQLite, one shorter than its header
/// says (truncated), another application's SQLite file (an experiment store included), a
/// failed `PRAGMA quick_check`, a store schema or bundle format version this build does not
/// read, a manifest that does not parse or whose counts or runs differ from the tables, rows
/// that reference missing ones (`PRAGMA foreign_key_check`), a flow file path that is not a
/// plain relative one (absolute, "..", empty or "." components, NUL, backslash, control
/// characters), a flow file whose size differs from its bytes, and anything past a limit.
///
/// The file is opened read-only and immutable: reading never writes into or beside it, and it
/// must not change while open. openStore() gives the same file as a read-only
/// ExperimentStore (the report and results code reads it like a workspace store; the run ids
/// are the bundle's).
///
/// Thread rules: one thread at a time (movable, not copyable); openStore() and
/// StoreReader::openReadOnly(path()) give other connections for other threads.
class RunBundle final
{
public:
    /// File extension of a bundle, with the dot.
    static constexpr const char *kExtension = ".fbbundle";

    [[nodiscard]] static Result<RunBundle> open(const std::string &path,
                                                const BundleLimits &limits = {});
    /// Whether `path` is a regular file whose SQLite header carries the bundle's application
    /// id: a quick look (100 bytes) to tell a bundle from a store, not a validation.
    [[nodiscard]] static bool isBundleFile(const std::string &path);

    RunBundle(RunBundle &&other) noexcept;
    RunBundle &operator=(RunBundle &&other) noexcept;
    RunBundle(const RunBundle &) = delete;
    RunBundle &operator=(const RunBundle &) = delete;
    ~RunBundle();

    [[nodiscard]] const std::string &path() const;
    [[nodiscard]] const BundleManifest &manifest() const;
    /// The file's size in bytes when it was opened.
    [[nodiscard]] std::uint64_t fileSize() const;

    /// The bundle as a read-only experiment store (a new connection; see ExperimentStore::
    /// openReadOnly): runs(), lines(), scores(), metrics(), ratings() and the reports read it.
    [[nodiscard]] Result<ExperimentStore> openStore() const;

    /// The flow files of one flow version (all when `flow` is invalid), by flow then path.
    [[nodiscard]] Result<std::vector<BundleFlowFile>> flowFiles(FlowVersionId flow = {}) const;
    /// The bytes of one flow file, checked against its size and SHA-256.
    [[nodiscard]] Result<std::string> flowFileContent(FlowVersionId flow,
                                                      const std::string &path) const;
    /// Up to `limit` dataset rows of one dataset version with index > `after` (-1 for the
    /// first page), in index order.
    [[nodiscard]] Result<std::vector<BundleDatasetRow>>
    datasetRows(DatasetVersionId dataset, std::int64_t after, std::int64_t limit) const;

    /// Writes the files of one flow version under `dir` (created if missing), each at its
    /// relative path, and returns the paths written. Refuses before writing anything when a
    /// path fails the checks again, when a folder on the way below `dir` or a target is a
    /// symbolic link (nothing is written through a link, so nothing lands outside `dir`), when
    /// a target exists and `overwrite` is false, or when a file's bytes do not match its
    /// SHA-256. Each file is written atomically (temporary sibling, then rename).
    [[nodiscard]] Result<std::vector<std::filesystem::path>>
    extractFlow(FlowVersionId flow, const std::filesystem::path &dir, bool overwrite = false) const;
    /// The same for every flow version that has files, each in its own folder under `dir`
    /// named by flowFolderName(); all targets are checked before any is written.
    [[nodiscard]] Result<std::vector<std::filesystem::path>>
    extractFlows(const std::filesystem::path &dir, bool overwrite = false) const;
    /// "ID-NAME" with every character of the name but letters, digits, '-' and '_' as '_'.
    [[nodiscard]] static std::string flowFolderName(const BundleFlowEntry &flow);

private:
    class Private;
    explicit RunBundle(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace fb
