#pragma once

#include <core/batch/batchrunner.h>
#include <core/common/result.h>
#include <core/experiment/experimentoutcome.h>
#include <core/experiment/experimentrequest.h>
#include <core/flow/flow.h>
#include <core/flow/variantresolver.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace fb {

class SecretRedactor;

/// Where a plan failed, so each front end can say it its way (the CLI as an exit code).
enum class ExperimentFault {
    None,
    Request,     ///< the request is unusable: options, variants, mapping, dataset, evaluators
    Flow,        ///< the flow does not load or does not validate
    Environment, ///< the store, connections, simulator or open-file limit
    Run,         ///< the batch itself failed
};

/// One experiment — a run, an experiment over a cross product of variants, an evaluation run,
/// or the resumption of any of them — from request to stored result, for both front ends:
///
///   prepare()  checks the whole request without writing anything: the flow loads and validates,
///              the dataset reads, the variants resolve, mapping and evaluators fit the columns;
///   start()    sets up the connections (and the simulator), creates the runs in the store (or
///              reopens the resumed ones) and marks them Running;
///   execute()  runs the batch, reporting progress, until done or cancelled, then runs the
///              aggregation nodes and stores each run's final state.
///
/// Thread-safety: one owner; start() and execute() may run on a worker thread (call both from
/// the same one: a started simulator exits with the thread that started it). `progress` is called
/// on core threads, never concurrently; cancel by setting the atomic given to execute(), and
/// resume later with a request whose `resume` names the run or experiment.
class ExperimentPlan
{
public:
    /// Checks `request`; the error says what is wrong and `fault` (if given) where.
    [[nodiscard]] static Result<ExperimentPlan> prepare(ExperimentRequest request,
                                                        ExperimentFault *fault = nullptr);

    ExperimentPlan(ExperimentPlan &&other) noexcept;
    ExperimentPlan &operator=(ExperimentPlan &&other) noexcept;
    ~ExperimentPlan();

    [[nodiscard]] const ExperimentRequest &request() const;
    [[nodiscard]] const Flow &flow() const;
    /// The flow's validation warnings and the column mapping's, each a line starting with where
    /// it is or "warning: ", for the user to see.
    [[nodiscard]] const std::vector<std::string> &warnings() const;
    /// The dataset that runs: the request's, or an evaluation run's base dataset.
    [[nodiscard]] const std::filesystem::path &dataPath() const;
    [[nodiscard]] std::int64_t rowCount() const;
    /// rowCount() × the number of runs.
    [[nodiscard]] std::int64_t totalLines() const;
    /// One selection per run, in run order.
    [[nodiscard]] const std::vector<VariantSelection> &selections() const;
    /// The runs' names: planned ones (NAME, or NAME/label per run of an experiment) or the
    /// resumed ones.
    [[nodiscard]] const std::vector<std::string> &runNames() const;
    /// The experiment's name when several runs share one, else empty.
    [[nodiscard]] const std::string &experimentName() const;
    [[nodiscard]] bool isResume() const;
    /// The evaluators' spec objects, as stored with each run.
    [[nodiscard]] const Value &evaluatorSpecs() const;

    /// See the class comment. Fails with nothing created in the store when connections or the
    /// simulator are unusable.
    [[nodiscard]] Result<void> start(ExperimentFault *fault = nullptr);
    /// After start(): the runs, in run order.
    [[nodiscard]] const std::vector<RunId> &runIds() const;
    /// After start(): lines the resumed runs already have (0 for new runs).
    [[nodiscard]] std::int64_t alreadyDoneLines() const;
    /// After start(): connections the flow names that nothing supplies (its lines will fail).
    [[nodiscard]] std::vector<std::string> missingConnections() const;
    /// After start(): the simulator's base URL when it stands in for the connections, else empty.
    [[nodiscard]] const std::string &simulatorUrl() const;
    /// The secret values of the connections in use (filled by start()): what is stored and
    /// what a front end prints goes through it.
    [[nodiscard]] const SecretRedactor &redactor() const;

    /// See the class comment. Once per plan, after start().
    [[nodiscard]] Result<ExperimentOutcome>
    execute(const std::function<void(const BatchProgress &)> &progress,
            const std::atomic<bool> *cancel, ExperimentFault *fault = nullptr);

    /// Makes room for `concurrency` lines' sockets beside the store, python workers and the rest,
    /// raising the soft RLIMIT_NOFILE up to the hard one when needed; fails (saying the limit)
    /// when it is too low, so a run never fails half way on "too many open files".
    [[nodiscard]] static Result<void> fitOpenFiles(int concurrency);

    /// "variant_1", or "node.variant_1+other.variant_0" for several nodes, or "default".
    [[nodiscard]] static std::string selectionLabel(const VariantSelection &selection);

private:
    struct Private;
    explicit ExperimentPlan(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace fb
