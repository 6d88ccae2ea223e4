#include <core/batch/batchrunner.h>

#include <core/batch/rategate.h>
#include <core/data/datasetreader.h>
#include <core/store/experimentstore.h>
#include <core/store/storetypes.h>
#include <core/store/storewriter.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace fb {

namespace {

std::int64_t epochMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

LineRecord toRecord(RunId run, std::int64_t index, LineResult &&line, std::int64_t startedAt,
                    double queueMs, const BatchOptions &options)
{
    LineRecord r;
    r.runId = run;
    r.lineIndex = index;
    r.status = runStatusName(line.status);
    r.inputs = std::move(line.inputs);
    r.outputs = std::move(line.outputs);
    r.error = std::move(line.error);
    r.startedAtMs = startedAt;
    r.durationMs = line.durationMs;
    r.queueMs = queueMs;
    bool priced = static_cast<bool>(options.price);
    double cost = 0;
    r.nodes.reserve(line.nodes.size());
    for (auto &n : line.nodes) {
        NodeResultRecord node;
        node.node = n.node;
        node.variantId = std::move(n.variantId);
        node.status = runStatusName(n.status);
        node.output = std::move(n.output);
        node.error = std::move(n.error);
        node.durationMs = n.durationMs();
        r.nodes.push_back(std::move(node));
        *r.queueMs += n.gateWaitMs;
        if (n.llm) {
            LlmResponse &resp = *n.llm; // the line is consumed: its strings are moved out
            LlmCallRecord call;
            call.lineIndex = index;
            call.node = std::move(n.node);
            call.model = std::move(resp.model);
            call.promptTokens = resp.usage.promptTokens;
            call.completionTokens = resp.usage.completionTokens;
            call.cachedTokens = resp.usage.cachedPromptTokens;
            if (resp.timing.ttftMs >= 0) {
                call.ttftMs = resp.timing.ttftMs;
            }
            if (resp.timing.tpotMs >= 0) {
                call.tpotMs = resp.timing.tpotMs;
            }
            if (!n.cacheHit) {
                call.latencyMs = resp.timing.latencyMs;
            }
            call.attempts = resp.attempts;
            call.httpStatus = resp.httpStatus;
            call.cacheHit = n.cacheHit;
            if (!n.cacheHit) {
                // A cached answer costs nothing and used no tokens of the endpoint.
                r.promptTokens += call.promptTokens;
                r.completionTokens += call.completionTokens;
                if (priced) {
                    const auto price = options.price(call.model, resp.usage);
                    if (price) {
                        cost += *price;
                    } else {
                        priced = false;
                    }
                }
            }
            r.llmCalls.push_back(std::move(call));
        }
    }
    if (priced) {
        r.costUsd = cost;
    }
    return r;
}

std::string asText(const Value &v)
{
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_null()) {
        return {};
    }
    return v.dump();
}

// The evaluator's view of a finished line, or an error naming what is missing.
Result<EvalInput> evalInput(const BatchEvaluator &e, const LineRecord &record, const Value &row)
{
    EvalInput in;
    const Value &outputs = record.outputs;
    if (e.output.empty()) {
        if (outputs.is_object() && !outputs.empty()) {
            in.output = asText(outputs.begin().value());
        }
    } else if (outputs.is_object() && outputs.contains(e.output)) {
        in.output = asText(outputs.at(e.output));
    } else {
        return fail(ErrorCode::InvalidArgument,
                    "evaluator '" + e.name + "': the flow has no output '" + e.output + "'");
    }
    auto column = [&](const std::string &name, std::string &into) -> Result<void> {
        if (name.empty()) {
            return {};
        }
        if (!row.is_object() || !row.contains(name)) {
            return fail(ErrorCode::InvalidArgument,
                        "evaluator '" + e.name + "': the row has no column '" + name + "'");
        }
        into = asText(row.at(name));
        return {};
    };
    for (auto [name, into] : {std::pair{&e.referenceColumn, &in.reference},
                              std::pair{&e.questionColumn, &in.question},
                              std::pair{&e.contextColumn, &in.context}}) {
        if (auto ok = column(*name, *into); !ok) {
            return std::move(ok).error();
        }
    }
    in.latencyMs = record.durationMs;
    in.costUsd = record.costUsd;
    return in;
}

} // namespace

BatchRunner::BatchRunner(FlowExecutor &executor, StoreWriter &writer)
    : m_executor(executor)
    , m_writer(writer)
{
}

Result<BatchResult> BatchRunner::run(const std::vector<BatchJob> &jobs,
                                     const std::filesystem::path &data,
                                     const ColumnMapping &mapping, const BatchOptions &options,
                                     const std::function<void(const BatchProgress &)> &progress,
                                     const std::atomic<bool> *cancel)
{
    if (jobs.empty()) {
        return fail(ErrorCode::InvalidArgument, "a batch needs at least one run");
    }
    DatasetReaderOptions readerOptions;
    readerOptions.onBadRow = options.onBadRow;
    auto reader = DatasetReader::open(data, readerOptions);
    if (!reader) {
        return std::move(reader).error();
    }
    std::vector<std::vector<std::int64_t>> done;
    for (const auto &job : jobs) {
        done.push_back(job.alreadyDone);
        std::sort(done.back().begin(), done.back().end());
    }

    // One gate for every call of every job: per-connection RPM/TPM shared by the variants.
    std::unique_ptr<RateGate> gate;
    LineOptions lineOptions = options.line;
    lineOptions.recordDetail = false; // the store keeps none of it
    EvalServices evalServices = options.evalServices;
    if (options.requestsPerMinute > 0 || options.tokensPerMinute > 0) {
        gate = std::make_unique<RateGate>(
            RateLimiter::Limits{options.requestsPerMinute, options.tokensPerMinute});
        lineOptions.gate = gate.get();
        evalServices.gate = gate.get();
    }

    const auto start = std::chrono::steady_clock::now();
    const int concurrency = std::max(1, options.concurrency);
    // Lines waiting for a slot, read ahead by this thread. A finishing line starts the next one
    // itself, on the thread that finished it, so a line costs no thread hand-off; this thread
    // only wakes to refill the queue when it runs below `lowWater`.
    const std::size_t lowWater = std::size_t(concurrency);
    const std::size_t capacity = 2 * lowWater;
    struct Unit
    {
        std::size_t job = 0;
        std::int64_t index = 0;
        Value inputs;
        std::shared_ptr<const Value> row;
        std::chrono::steady_clock::time_point queued;
    };
    std::mutex mutex;
    std::condition_variable refill;                   // the queue ran low, or the batch must stop
    std::condition_variable idle;                     // no line in flight and no thread in launch()
    BatchResult result;                               // guarded by mutex
    std::vector<std::shared_ptr<LineHandle>> handles; // guarded by mutex (in-flight lines)
    std::deque<Unit> ready;                           // guarded by mutex
    auto lastStart = start;                           // guarded by mutex: when a unit last left
    int launchers = 0;                                // guarded by mutex: threads in launch()
    bool budgetReached = false;                       // guarded by mutex
    bool failed = false;                              // guarded by mutex: reading rows failed
    Error failure;
    auto lastReport = std::chrono::steady_clock::time_point{};
    std::mutex reportMutex;

    // Whether to stop starting lines; caller holds `mutex`.
    auto stopLocked = [&] { return failed || budgetReached || (cancel && cancel->load()); };

    // A line the store could not take (a full disk, an I/O error) stops the batch at once:
    // lines that go on would be paid for and then lost. Caller holds `mutex`; takes the
    // writer's lock inside it (the writer never calls back into the runner under its own).
    const std::uint64_t storeFailuresBefore = m_writer.failedCount();
    auto noteStoreFailureLocked = [&] {
        if (failed || m_writer.failedCount() == storeFailuresBefore) {
            return;
        }
        const std::optional<Error> error = m_writer.lastError();
        failure = Error(ErrorCode::Io,
                        "the experiment store could not be written, so the batch stopped: no "
                        "further line was started and the lines in flight were cancelled (the "
                        "lines stored before stay; resume once the store is writable): "
                            + (error ? error->message : std::string("unknown error")));
        failed = true;
        refill.notify_all();
    };

    auto report = [&](bool force) {
        if (!progress) {
            return;
        }
        BatchProgress snapshot;
        {
            std::lock_guard lock(mutex);
            const auto now = std::chrono::steady_clock::now();
            if (!force && now - lastReport < options.progressInterval) {
                return;
            }
            lastReport = now;
            result.progress.elapsedS = std::chrono::duration<double>(now - start).count();
            snapshot = result.progress;
        }
        std::lock_guard lock(reportMutex);
        progress(snapshot);
    };

    std::function<void(bool)> launch;

    // The end of every line: store it, count it, free its slot (and fill it). Core threads.
    auto finishLine = [&](LineRecord record, RunStatus status) {
        const std::int64_t calls = std::int64_t(record.llmCalls.size());
        std::int64_t hits = 0;
        for (const auto &c : record.llmCalls) {
            hits += c.cacheHit ? 1 : 0;
        }
        const std::int64_t promptTokens = record.promptTokens;
        const std::int64_t completionTokens = record.completionTokens;
        const double cost = record.costUsd.value_or(0);
        if (status != RunStatus::Cancelled) {
            m_writer.submit(std::move(record));
        }
        {
            std::lock_guard lock(mutex);
            if (status == RunStatus::Completed) {
                ++result.progress.completed;
            } else if (status == RunStatus::Failed) {
                ++result.progress.failed;
            }
            result.progress.promptTokens += promptTokens;
            result.progress.completionTokens += completionTokens;
            result.progress.llmCalls += calls;
            result.progress.cacheHits += hits;
            result.progress.costUsd += cost;
            if (options.budgetUsd > 0 && result.progress.costUsd >= options.budgetUsd
                && !budgetReached) {
                budgetReached = true;
                refill.notify_all();
            }
        }
        report(false);
        launch(true);
    };

    // Scores a completed line with every evaluator (model-backed ones asynchronously), then
    // finishes it. Each evaluator's verdict lands in its own slot; the last one finishes.
    // The last verdict may settle inside evaluateAsync() (on this thread or another), and once
    // the line is finished run() may return: after starting evaluator i this loop must touch
    // nothing of run()'s, the evaluator list included — it counts on a copy of its size.
    auto evaluate = [&](LineRecord record, std::shared_ptr<const Value> row, RunStatus status) {
        struct Pending
        {
            std::mutex mutex;
            LineRecord record;
            int left = 0; // guarded by mutex
        };
        auto pending = std::make_shared<Pending>();
        pending->record = std::move(record);
        const std::size_t count = options.evaluators.size();
        pending->left = int(count);
        pending->record.scores.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            const BatchEvaluator &e = options.evaluators[i];
            auto settle = [&, pending, i, status](Result<EvalScore> verdict) {
                bool last = false;
                {
                    std::lock_guard lock(pending->mutex);
                    ScoreRecord &s = pending->record.scores[i];
                    s.lineIndex = pending->record.lineIndex;
                    s.evaluator = options.evaluators[i].name;
                    if (verdict) {
                        s.score = verdict->score;
                        s.passed = verdict->passed;
                        s.detail = verdict->detail;
                    } else {
                        s.detail = verdict.error().message;
                    }
                    last = --pending->left == 0;
                }
                if (last) {
                    finishLine(std::move(pending->record), status);
                }
            };
            auto input = evalInput(e, pending->record, *row);
            if (!input) {
                settle(std::move(input).error());
                continue;
            }
            e.evaluator->evaluateAsync(*input, evalServices, settle);
        }
    };

    // Starts one line of a unit that holds a slot.
    auto startUnit = [&](Unit unit, double slotWaitMs) {
        const std::int64_t startedAt = epochMs();
        const RunId run = jobs[unit.job].run;
        const std::int64_t index = unit.index;
        auto handle = m_executor.startLine(
            jobs[unit.job].flow, std::move(unit.inputs), lineOptions, nullptr,
            [&, run, index, startedAt, slotWaitMs, row = std::move(unit.row)](LineResult line) {
                const RunStatus status = line.status;
                LineRecord record
                    = toRecord(run, index, std::move(line), startedAt, slotWaitMs, options);
                if (status == RunStatus::Completed && !options.evaluators.empty()) {
                    evaluate(std::move(record), row, status);
                } else {
                    finishLine(std::move(record), status);
                }
            });
        if (!handle) {
            return;
        }
        bool cancelNow = false;
        {
            std::lock_guard lock(mutex);
            if (handles.size() >= 2 * std::size_t(concurrency)) {
                // Forget lines that ended (only this list still holds them).
                handles.erase(std::remove_if(handles.begin(), handles.end(),
                                             [](const std::shared_ptr<LineHandle> &h) {
                                                 return h.use_count() == 1;
                                             }),
                              handles.end());
            }
            handles.push_back(handle);
            // The drain may have collected the handles before this one arrived.
            cancelNow = failed || (cancel && cancel->load());
        }
        if (cancelNow) {
            handle->cancel();
        }
    };

    // Fills free slots from the queue, on the calling thread; `releaseSlot` first frees the slot
    // of a line that just ended. A line that ends inside startLine() (it failed before it began)
    // only frees its slot: the loop further up this thread's stack fills it, so nothing recurses.
    // Every touch of run()'s locals happens under `mutex`, the last one included: run()
    // returns only once no line is in flight and no thread is in here.
    thread_local const void *launchingFor = nullptr;
    auto notifyIfIdle = [&] {
        if (result.progress.inFlight == 0 && launchers == 0) {
            idle.notify_all();
        }
    };
    launch = [&](bool releaseSlot) {
        std::unique_lock lock(mutex);
        if (releaseSlot) {
            --result.progress.inFlight;
        }
        noteStoreFailureLocked();
        if (launchingFor == &mutex) {
            return; // the loop up this thread's stack goes on
        }
        launchingFor = &mutex;
        ++launchers;
        while (!ready.empty() && result.progress.inFlight < concurrency && !stopLocked()) {
            Unit unit = std::move(ready.front());
            ready.pop_front();
            ++result.progress.inFlight;
            ++result.progress.submitted;
            // A unit waits for a slot from when it reached the head of the queue.
            const auto now = std::chrono::steady_clock::now();
            const double slotWaitMs
                = std::chrono::duration<double, std::milli>(now - std::max(unit.queued, lastStart))
                      .count();
            lastStart = now;
            if (ready.size() + 1 == lowWater) {
                refill.notify_all();
            }
            lock.unlock();
            startUnit(std::move(unit), slotWaitMs);
            lock.lock();
        }
        --launchers;
        launchingFor = nullptr;
        notifyIfIdle();
    };

    // Evaluation runs: a cursor over the base run's lines, in index order, a page at a time.
    std::optional<ExperimentStore> baseStore;
    if (options.baseRun) {
        auto opened = ExperimentStore::open(options.baseStorePath);
        if (!opened) {
            return std::move(opened).error();
        }
        baseStore.emplace(std::move(*opened));
    }
    std::vector<LineRecord> basePage;
    std::size_t basePos = 0;
    std::int64_t baseAfter = -1; // the last line index read from the base run
    bool baseExhausted = false;
    auto baseLine = [&](std::int64_t index) -> Result<const LineRecord *> {
        for (;;) {
            if (basePos < basePage.size()) {
                const LineRecord &l = basePage[basePos];
                if (l.lineIndex < index) {
                    ++basePos;
                    continue;
                }
                return l.lineIndex == index && l.status == kLineCompleted ? &l : nullptr;
            }
            if (baseExhausted) {
                return static_cast<const LineRecord *>(nullptr);
            }
            auto page = baseStore->linesAfter(*options.baseRun, baseAfter, 1000);
            if (!page) {
                return std::move(page).error();
            }
            baseExhausted = page->empty();
            if (!baseExhausted) {
                baseAfter = page->back().lineIndex;
            }
            basePage = std::move(*page);
            basePos = 0;
        }
    };

    // Reads the next row into units (one per job that still needs the line). Returns false
    // at the end of the data or on an error (then `error` is set).
    std::vector<Unit> units;
    auto readUnits = [&](std::optional<Error> &error) -> bool {
        for (;;) {
            auto next = reader->next();
            if (!next) {
                error = std::move(next).error();
                return false;
            }
            if (!next->has_value()) {
                return false;
            }
            const DataRow &dataRow = **next;
            Value inputs;
            const LineRecord *base = nullptr;
            if (baseStore) {
                auto found = baseLine(dataRow.index);
                if (!found) {
                    error = std::move(found).error();
                    return false;
                }
                base = *found;
            }
            auto outcome
                = mapping.resolve(jobs.front().flow->flow(), dataRow.row,
                                  base ? &base->outputs : nullptr, base ? &base->inputs : nullptr,
                                  dataRow.file + ":" + std::to_string(dataRow.line), inputs);
            if (!outcome) {
                error = std::move(outcome).error();
                return false;
            }
            if (*outcome == ColumnMapping::LineOutcome::Drop) {
                std::lock_guard lock(mutex);
                result.progress.dropped += std::int64_t(jobs.size());
                continue;
            }
            auto row = options.evaluators.empty() ? std::shared_ptr<const Value>()
                                                  : std::make_shared<const Value>(dataRow.row);
            const auto now = std::chrono::steady_clock::now();
            std::int64_t resumed = 0;
            for (std::size_t j = 0; j < jobs.size(); ++j) {
                if (std::binary_search(done[j].begin(), done[j].end(), dataRow.index)) {
                    ++resumed;
                    continue;
                }
                units.push_back({j, dataRow.index,
                                 j + 1 == jobs.size() ? std::move(inputs) : inputs, row, now});
            }
            if (resumed > 0) {
                std::lock_guard lock(mutex);
                result.progress.resumed += resumed;
            }
            return true;
        }
    };

    bool exhausted = false;
    for (;;) {
        // Read ahead up to the queue's capacity, then start what the free slots take.
        while (!exhausted) {
            {
                std::lock_guard lock(mutex);
                if (stopLocked() || ready.size() >= capacity) {
                    break;
                }
            }
            std::optional<Error> error;
            exhausted = !readUnits(error);
            std::lock_guard lock(mutex);
            for (Unit &u : units) {
                ready.push_back(std::move(u));
            }
            units.clear();
            if (error) {
                failure = std::move(*error);
                failed = true;
            }
        }
        launch(false);
        std::unique_lock lock(mutex);
        noteStoreFailureLocked();
        if (exhausted || stopLocked()) {
            break;
        }
        // The timeout polls `cancel`, which a signal handler may set.
        refill.wait_for(lock, std::chrono::milliseconds(100),
                        [&] { return stopLocked() || ready.size() < lowWater; });
    }

    // Drain: wait for the queue and the lines in flight. When asked to stop, in-flight lines
    // are cancelled (a budget stop lets them finish: their calls are already paid for).
    bool cancelledHandles = false;
    for (;;) {
        std::vector<std::shared_ptr<LineHandle>> toCancel;
        {
            std::unique_lock lock(mutex);
            if (!cancelledHandles && (failed || (cancel && cancel->load()))) {
                cancelledHandles = true;
                toCancel = handles;
            } else if (result.progress.inFlight == 0 && launchers == 0
                       && (ready.empty() || stopLocked())) {
                handles.clear();
                break;
            } else {
                idle.wait_for(lock, std::chrono::milliseconds(100));
                continue;
            }
        }
        for (auto &h : toCancel) {
            h->cancel();
        }
    }
    for (const auto &d : reader->skipped()) {
        result.skippedRows.push_back(d.toString());
    }
    if (auto flushed = m_writer.flush(); !flushed && !failed) {
        failure = std::move(flushed).error();
        failed = true;
    }
    report(true);
    if (failed) {
        return failure;
    }
    result.cancelled = cancel && cancel->load();
    result.budgetReached = budgetReached;
    if (gate) {
        result.gateWaitMs = gate->totalWaitMs();
    }
    return result;
}

} // namespace fb
