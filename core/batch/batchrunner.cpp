#include <core/batch/batchrunner.h>

#include <core/batch/rategate.h>
#include <core/data/datasetreader.h>
#include <core/store/experimentstore.h>
#include <core/store/storetypes.h>
#include <core/store/storewriter.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace fb {

namespace {

std::int64_t epochMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

LineRecord toRecord(RunId run, std::int64_t index, const LineResult &line, std::int64_t startedAt,
                    double queueMs, const BatchOptions &options)
{
    LineRecord r;
    r.runId = run;
    r.lineIndex = index;
    r.status = runStatusName(line.status);
    r.inputs = line.inputs;
    r.outputs = line.outputs;
    r.error = line.error;
    r.startedAtMs = startedAt;
    r.durationMs = line.durationMs;
    r.queueMs = queueMs;
    bool priced = static_cast<bool>(options.price);
    double cost = 0;
    for (const auto &n : line.nodes) {
        NodeResultRecord node;
        node.node = n.node;
        node.variantId = n.variantId;
        node.status = runStatusName(n.status);
        node.output = n.output;
        node.error = n.error;
        node.durationMs = n.durationMs();
        r.nodes.push_back(std::move(node));
        *r.queueMs += n.gateWaitMs;
        if (n.llm) {
            const LlmResponse &resp = *n.llm;
            LlmCallRecord call;
            call.lineIndex = index;
            call.node = n.node;
            call.model = resp.model;
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
                    const auto price = options.price(resp.model, resp.usage);
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
    EvalServices evalServices = options.evalServices;
    if (options.requestsPerMinute > 0 || options.tokensPerMinute > 0) {
        gate = std::make_unique<RateGate>(
            RateLimiter::Limits{options.requestsPerMinute, options.tokensPerMinute});
        lineOptions.gate = gate.get();
        evalServices.gate = gate.get();
    }

    const auto start = std::chrono::steady_clock::now();
    const int concurrency = std::max(1, options.concurrency);
    std::mutex mutex;
    std::condition_variable cv;
    BatchResult result;                               // guarded by mutex
    std::vector<std::shared_ptr<LineHandle>> handles; // guarded by mutex (in-flight lines)
    bool budgetReached = false;                       // guarded by mutex
    auto lastReport = std::chrono::steady_clock::time_point{};
    std::mutex reportMutex;

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

    // The end of every line: store it, count it, free its slot. Runs on core threads.
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
            if (options.budgetUsd > 0 && result.progress.costUsd >= options.budgetUsd) {
                budgetReached = true;
            }
        }
        report(false);
        // Last touch of run()'s locals: run() returns once inFlight reaches 0.
        std::lock_guard lock(mutex);
        --result.progress.inFlight;
        cv.notify_all();
    };

    // Scores a completed line with every evaluator (model-backed ones asynchronously), then
    // finishes it. Each evaluator's verdict lands in its own slot; the last one finishes.
    auto evaluate = [&](LineRecord record, std::shared_ptr<const Value> row, RunStatus status) {
        struct Pending
        {
            std::mutex mutex;
            LineRecord record;
            int left = 0; // guarded by mutex
        };
        auto pending = std::make_shared<Pending>();
        pending->record = std::move(record);
        pending->left = int(options.evaluators.size());
        pending->record.scores.resize(options.evaluators.size());
        for (std::size_t i = 0; i < options.evaluators.size(); ++i) {
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
    std::int64_t baseOffset = 0;
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
            auto page = baseStore->lines(*options.baseRun, baseOffset, 1000);
            if (!page) {
                return std::move(page).error();
            }
            baseOffset += std::int64_t(page->size());
            baseExhausted = page->empty();
            basePage = std::move(*page);
            basePos = 0;
        }
    };

    Error failure;
    bool failed = false;
    auto stopRequested = [&] {
        if (cancel && cancel->load()) {
            return true;
        }
        std::lock_guard lock(mutex);
        return budgetReached;
    };
    for (;;) {
        if (stopRequested()) {
            break;
        }
        auto next = reader->next();
        if (!next) {
            failure = std::move(next).error();
            failed = true;
            break;
        }
        if (!next->has_value()) {
            break;
        }
        const DataRow &dataRow = **next;
        Value inputs;
        const std::string where = dataRow.file + ":" + std::to_string(dataRow.line);
        const LineRecord *base = nullptr;
        if (baseStore) {
            auto found = baseLine(dataRow.index);
            if (!found) {
                failure = std::move(found).error();
                failed = true;
                break;
            }
            base = *found;
        }
        auto outcome = mapping.resolve(jobs.front().flow->flow(), dataRow.row,
                                       base ? &base->outputs : nullptr,
                                       base ? &base->inputs : nullptr, where, inputs);
        if (!outcome) {
            failure = std::move(outcome).error();
            failed = true;
            break;
        }
        if (*outcome == ColumnMapping::LineOutcome::Drop) {
            std::lock_guard lock(mutex);
            result.progress.dropped += std::int64_t(jobs.size());
            continue;
        }
        auto row = options.evaluators.empty() ? std::make_shared<const Value>()
                                               : std::make_shared<const Value>(dataRow.row);
        const std::int64_t index = dataRow.index;
        for (std::size_t j = 0; j < jobs.size(); ++j) {
            const BatchJob &job = jobs[j];
            if (std::binary_search(done[j].begin(), done[j].end(), index)) {
                std::lock_guard lock(mutex);
                ++result.progress.resumed;
                continue;
            }
            const auto queued = std::chrono::steady_clock::now();
            {
                std::unique_lock lock(mutex);
                cv.wait(lock, [&] {
                    return result.progress.inFlight < concurrency || budgetReached
                           || (cancel && cancel->load());
                });
                if ((cancel && cancel->load()) || budgetReached) {
                    break;
                }
                ++result.progress.inFlight;
                ++result.progress.submitted;
            }
            const double slotWaitMs = std::chrono::duration<double, std::milli>(
                                          std::chrono::steady_clock::now() - queued)
                                          .count();
            const std::int64_t startedAt = epochMs();
            const RunId run = job.run;
            auto handle = m_executor.startLine(
                job.flow, inputs, lineOptions, nullptr,
                [&, run, index, startedAt, slotWaitMs, row](LineResult line) {
                    LineRecord record
                        = toRecord(run, index, line, startedAt, slotWaitMs, options);
                    if (line.status == RunStatus::Completed && !options.evaluators.empty()) {
                        evaluate(std::move(record), row, line.status);
                    } else {
                        finishLine(std::move(record), line.status);
                    }
                });
            if (handle) {
                std::lock_guard lock(mutex);
                handles.erase(std::remove_if(handles.begin(), handles.end(),
                                             [](const std::shared_ptr<LineHandle> &h) {
                                                 return h.use_count() == 1;
                                             }),
                              handles.end());
                handles.push_back(std::move(handle));
            }
        }
    }

    // Drain: wait for lines in flight (cancelling them when asked to stop; a budget stop lets
    // them finish, since their calls are already paid for).
    const bool stopping = failed || (cancel && cancel->load());
    if (stopping) {
        std::vector<std::shared_ptr<LineHandle>> toCancel;
        {
            std::lock_guard lock(mutex);
            toCancel = handles;
        }
        for (auto &h : toCancel) {
            h->cancel();
        }
    }
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return result.progress.inFlight == 0; });
        handles.clear();
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
