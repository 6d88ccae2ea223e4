#pragma once

#include <core/common/result.h>
#include <core/store/storeids.h>
#include <core/store/storetypes.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fb {

/// The experiment store: one SQLite file per workspace holding content-addressed flows and
/// datasets, experiments, runs, lines, node results, LLM calls, metrics and ratings.
///
/// open() creates the file if missing and migrates its schema (`PRAGMA user_version`); it fails
/// naming the file when the file is not SQLite or was written by a newer schema. The connection
/// uses WAL, synchronous=NORMAL (durable across a process kill, not necessarily a power loss),
/// busy_timeout 5 s and foreign keys.
///
/// openReadOnly() opens an existing file read-only and immutable instead (a run bundle, see
/// core/bundle): the same queries work, every write fails naming the file, and nothing is ever
/// written into or beside the file. open() refuses a SQLite file that carries another
/// application id (a run bundle has one) before touching it.
///
/// Thread rules: an ExperimentStore owns one connection and is used by one thread at a time
/// (movable, not copyable). Open one per thread; bulk line writes go through a StoreWriter,
/// which has its own connection. Every failure is a Result naming the file.
class ExperimentStore final
{
public:
    /// A workspace's store, relative to the workspace folder (the CLI's default `--store`).
    static constexpr const char *kDefaultPath = ".flowbench/experiments.sqlite";

    [[nodiscard]] static Result<ExperimentStore> open(const std::string &path);
    /// Opens an existing store file read-only and immutable (SQLite `mode=ro&immutable=1`): no
    /// migration, no journal or WAL files, no locks; the file must not change while it is
    /// open. Fails naming the file when it is not SQLite or its schema version is not the one
    /// this build writes (an older file must be opened read-write once to migrate it).
    [[nodiscard]] static Result<ExperimentStore> openReadOnly(const std::string &path);
    /// The schema version this build writes.
    [[nodiscard]] static int schemaVersion();

    ExperimentStore(ExperimentStore &&other) noexcept;
    ExperimentStore &operator=(ExperimentStore &&other) noexcept;
    ExperimentStore(const ExperimentStore &) = delete;
    ExperimentStore &operator=(const ExperimentStore &) = delete;
    ~ExperimentStore();

    [[nodiscard]] const std::string &path() const;
    /// Opened by openReadOnly().
    [[nodiscard]] bool isReadOnly() const;

    /// The flow version for `contentHash`: the existing id if that content was seen before,
    /// else a new version with these fields.
    [[nodiscard]] Result<FlowVersionId> internFlow(const std::string &contentHash,
                                                   const std::string &name, const std::string &path,
                                                   const std::string &canonical);
    /// The dataset version for `fingerprint` (see DatasetFingerprint), existing or new.
    [[nodiscard]] Result<DatasetVersionId>
    internDataset(const std::string &fingerprint, const std::string &path, std::int64_t rowCount);
    [[nodiscard]] Result<ExperimentId> createExperiment(const std::string &name);
    /// The newest experiment with that name; NotFound when there is none.
    [[nodiscard]] Result<ExperimentId> findExperiment(const std::string &name);
    /// The runs of an experiment, oldest first.
    [[nodiscard]] Result<std::vector<RunSummary>> experimentRuns(ExperimentId experiment);
    /// Where a dataset version was read from; NotFound for an unknown id.
    [[nodiscard]] Result<std::string> datasetPath(DatasetVersionId dataset);

    /// A new run in state NotStarted. Fails with InvalidArgument on an empty or taken name or
    /// an unknown flow/dataset/experiment/base run.
    [[nodiscard]] Result<RunId> createRun(const RunSpec &spec);
    /// Sets the state; Running stamps started_at (first time only), terminal states stamp
    /// finished_at. NotFound for an unknown run.
    [[nodiscard]] Result<void> setRunStatus(RunId run, RunState state);
    [[nodiscard]] Result<void> setRunTotalLines(RunId run, std::int64_t totalLines);
    /// Every run, newest first.
    [[nodiscard]] Result<std::vector<RunSummary>> runs();
    [[nodiscard]] Result<RunSummary> run(RunId run);
    /// Every run as runs() lists it but without line counts (completedLines and failedLines
    /// are 0), newest first: runs() counts each run's lines, a scan of a million-line run.
    [[nodiscard]] Result<std::vector<RunSummary>> runHeaders();
    /// One run as run() gives it but without line counts (see runHeaders()): a key lookup.
    /// NotFound for an unknown run.
    [[nodiscard]] Result<RunSummary> runHeader(RunId run);
    /// NotFound when no run has that name.
    [[nodiscard]] Result<RunSummary> findRunByName(const std::string &name);

    /// Ascending indexes of the lines stored as Completed: what a resumed run need not redo.
    [[nodiscard]] Result<std::vector<std::int64_t>> completedLineIndexes(RunId run);
    /// A page of lines in index order, without node results and LLM calls.
    [[nodiscard]] Result<std::vector<LineRecord>> lines(RunId run, std::int64_t offset,
                                                        std::int64_t limit);
    /// The next page of a pass over all lines: up to `limit` lines after line index `after`
    /// (-1 for the first page), in index order, without node results and LLM calls. A seek on
    /// the key, so a whole pass costs the same per line however long the run: an OFFSET skips
    /// row by row, which made a pass over a million lines quadratic.
    [[nodiscard]] Result<std::vector<LineRecord>> linesAfter(RunId run, std::int64_t after,
                                                             std::int64_t limit);
    /// One line with its node results (in node name order), LLM calls (in write order) and
    /// scores (in evaluator name order).
    [[nodiscard]] Result<LineRecord> line(RunId run, std::int64_t lineIndex);
    /// Every LLM call of a run, by line index then write order (`lineIndex` filled).
    [[nodiscard]] Result<std::vector<LlmCallRecord>> llmCalls(RunId run);
    /// Every evaluator score of a run, by line index then evaluator (`lineIndex` filled).
    [[nodiscard]] Result<std::vector<ScoreRecord>> scores(RunId run);

    /// The sortable figures of every line of a run (status, latency, tokens, cost) in one pass
    /// over its lines in key order: what a results table sorts and filters by. The pass reads
    /// every page of the run's lines, text included: a million lines take ~0.45 s of CPU and
    /// the result 21 MB. With `threads` = 2 a second thread with its own connection reads the
    /// upper half of the line index range meanwhile (about half the time on two idle cores).
    /// An unknown run has no lines.
    [[nodiscard]] Result<RunLineKeys> lineKeys(RunId run, int threads = 1);
    /// Every evaluator score of a run, aligned to `lineIndexes` (ascending, as in
    /// RunLineKeys::lineIndex), in one pass over the scores of those lines in key order; scores
    /// of lines not in `lineIndexes` are skipped. Two evaluators on a million lines take ~0.3 s
    /// of CPU; `threads` = 2 splits the lines in two halves as lineKeys() does.
    [[nodiscard]] Result<RunScoreKeys>
    scoreKeys(RunId run, const std::vector<std::int64_t> &lineIndexes, int threads = 1);
    /// The durations of a run's lines stored as Completed that record one, in line index
    /// order: what a latency histogram bins. One column in one pass over the lines, about half
    /// the CPU of lineKeys(); `threads` = 2 reads the upper half of the line index range on a
    /// second connection meanwhile, as lineKeys() does. An unknown run has none.
    [[nodiscard]] Result<std::vector<float>> completedLineDurations(RunId run, int threads = 1);
    /// The cost of a run's stored lines, summed in one pass (in double precision).
    [[nodiscard]] Result<LineCostTotals> lineCostTotals(RunId run);
    /// One timing of every LLM call of a run that records it, by line index then write order.
    [[nodiscard]] Result<std::vector<float>> callTimings(RunId run, CallTiming timing);
    /// The lines with these indexes, each with its scores (in evaluator name order) but without
    /// node results and LLM calls, in the order asked; indexes with no stored line are left out
    /// and a repeated index gives one line. A key lookup per line (`IN` lists of up to 500), so
    /// a page of 200 lines in any order costs about as much as 200 lines read in a row.
    [[nodiscard]] Result<std::vector<LineRecord>>
    linesAt(RunId run, const std::vector<std::int64_t> &lineIndexes);

    /// The cached response for `key` written at or after `notBeforeMs` (ms since the epoch;
    /// 0 = any age), if any.
    [[nodiscard]] Result<std::optional<std::string>> cachedResponse(const std::string &key,
                                                                    std::int64_t notBeforeMs);
    /// Stores (or replaces) a cached response, stamped now.
    [[nodiscard]] Result<void> putCachedResponse(const std::string &key,
                                                 const std::string &response);
    [[nodiscard]] Result<std::int64_t> lineCount(RunId run);

    /// Sets (or replaces) one named metric of a run.
    [[nodiscard]] Result<void> putMetric(RunId run, const std::string &name, double value);
    [[nodiscard]] Result<std::map<std::string, double>> metrics(RunId run);

    /// Stores a rating and returns its id. Fails with InvalidArgument for a score that does
    /// not fit its kind (pass/fail 0 or 1, stars 1–5 whole, a comment none, a Score finite),
    /// an empty rater, or a comment-only rating without a comment; with the store's error for
    /// an unknown run.
    [[nodiscard]] Result<std::int64_t> addRating(const Rating &rating);
    /// A run's ratings in insertion order.
    [[nodiscard]] Result<std::vector<Rating>> ratings(RunId run);
    /// Deletes one rating (undo). NotFound when there is no such rating.
    [[nodiscard]] Result<void> removeRating(std::int64_t id);

    /// Stores a blind A/B preference and returns its id. The pair may come in either order;
    /// it is stored ordered. Fails with InvalidArgument when the runs are the same, the
    /// preferred or left run is not one of the two, or the rater is empty.
    [[nodiscard]] Result<std::int64_t> addPreference(const Preference &preference);
    /// The preferences recorded between two runs (either order), in insertion order.
    [[nodiscard]] Result<std::vector<Preference>> preferences(RunId first, RunId second);
    /// Deletes one preference (undo). NotFound when there is no such preference.
    [[nodiscard]] Result<void> removePreference(std::int64_t id);

    /// `PRAGMA integrity_check`'s answer: "ok" for a healthy file.
    [[nodiscard]] Result<std::string> integrityCheck();

    /// Makes the query now running on this store's connection (and on the second connection of
    /// a two-thread lineKeys()/scoreKeys()) fail soon with Cancelled; later queries run
    /// normally. The one call that may come from another thread while the owning thread uses
    /// the store; the store must stay alive until it returns.
    void interrupt();

private:
    class Private;
    explicit ExperimentStore(std::unique_ptr<Private> d);
    /// Lines of `run` matching `tail` (SQL after "WHERE run_id = ?1 ", with ?2 = key, ?3 = limit).
    Result<std::vector<LineRecord>> linePage(RunId run, const char *tail, std::int64_t key,
                                             std::int64_t limit);
    std::unique_ptr<Private> d;
};

} // namespace fb
